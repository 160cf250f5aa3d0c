package stix

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// File is a file observable identified by its hashes and/or its name.
type File struct {
	hashes  [len(hashAlgorithms)]string // by index in hashAlgorithms
	name    string
	size    int64
	hasSize bool
}

// maxFileName bounds a file name; real file systems stop at 255 bytes per
// component and 4096 per path, so anything longer is not a file name.
const maxFileName = 4096

// NewFile builds a file observable from a name and validated hashes. It
// needs at least one hash or a non-empty name, at most one value per
// algorithm (the same value twice is accepted), and a name of valid UTF-8
// without NUL bytes, at most 4096 bytes. The name is kept as given.
func NewFile(name string, hashes ...Hash) (File, error) {
	var f File
	for _, h := range hashes {
		i := hashIndex(h.Algorithm)
		if i < 0 {
			return File{}, invalid(TypeFile, h.String(), "unknown hash algorithm")
		}
		// Revalidate: a Hash is a plain struct and may not come from NewHash.
		v, err := NewHash(h.Algorithm, h.Value)
		if err != nil {
			return File{}, err
		}
		if f.hashes[i] != "" && f.hashes[i] != v.Value {
			return File{}, invalid(TypeFile, h.String(), "two different "+string(h.Algorithm)+" values")
		}
		f.hashes[i] = v.Value
	}
	switch {
	case len(name) > maxFileName:
		return File{}, invalid(TypeFile, name, "name longer than 4096 bytes")
	case !utf8.ValidString(name):
		return File{}, invalid(TypeFile, name, "name is not valid UTF-8")
	case strings.IndexByte(name, 0) >= 0:
		return File{}, invalid(TypeFile, name, "name contains a NUL byte")
	}
	f.name = name
	if f.empty() {
		return File{}, invalid(TypeFile, name, "needs a hash or a name")
	}
	return f, nil
}

func hashIndex(a HashAlgorithm) int {
	for i, x := range hashAlgorithms {
		if x == a {
			return i
		}
	}
	return -1
}

func (f File) empty() bool {
	return f.name == "" && f.hashes == [len(hashAlgorithms)]string{}
}

// WithSize returns a copy of f with its size in bytes set; a negative n
// removes the size.
func (f File) WithSize(n int64) File {
	f.size, f.hasSize = max(n, 0), n >= 0
	return f
}

// Type is "file".
func (File) Type() string { return TypeFile }

// Hashes returns the hashes in canonical order: MD5, SHA-1, SHA-256, SHA-512.
func (f File) Hashes() []Hash {
	var hs []Hash
	for i, v := range f.hashes {
		if v != "" {
			hs = append(hs, Hash{Algorithm: hashAlgorithms[i], Value: v})
		}
	}
	return hs
}

// Hash returns the lower-case hex value of one algorithm.
func (f File) Hash(alg HashAlgorithm) (string, bool) {
	i := hashIndex(alg)
	if i < 0 || f.hashes[i] == "" {
		return "", false
	}
	return f.hashes[i], true
}

// Name is the file name, "" when unknown.
func (f File) Name() string { return f.name }

// Size is the size in bytes, when known.
func (f File) Size() (int64, bool) { return f.size, f.hasSize }

// ID is the deterministic identifier: the contributing properties are one
// hash (the first of MD5, SHA-1, SHA-256, SHA-512 present) and the name.
func (f File) ID() string {
	if f.empty() {
		return ""
	}
	var members [2]jcsMember
	var hash [1]jcsMember
	n := 0
	for i, v := range f.hashes {
		if v != "" {
			hash[0] = jcsMember{key: string(hashAlgorithms[i]), str: v}
			members[n] = jcsMember{key: "hashes", obj: hash[:]}
			n++
			break
		}
	}
	if f.name != "" {
		members[n] = jcsMember{key: "name", str: f.name}
		n++
	}
	return deterministicID(TypeFile, appendJCSObject(nil, members[:n]))
}

// Equalities are one per hash in canonical order, or the name when f has
// no hash: [file:hashes.MD5 = '…'], [file:hashes.'SHA-256' = '…'],
// [file:name = '…'].
func (f File) Equalities() []Equality {
	var eqs []Equality
	for i, v := range f.hashes {
		if v != "" {
			eqs = append(eqs, Equality{ObjectType: TypeFile, Path: hashAlgorithms[i].path(), Value: v})
		}
	}
	if eqs == nil && f.name != "" {
		eqs = []Equality{{ObjectType: TypeFile, Path: "name", Value: f.name}}
	}
	return eqs
}

// Pattern is the canonical pattern matching f: its Equalities ORed.
func (f File) Pattern() string { return equalitiesPattern(f.Equalities()) }

// String is the first hash as "SHA-256=e3b0…", or the name when f has no
// hash.
func (f File) String() string {
	for i, v := range f.hashes {
		if v != "" {
			return string(hashAlgorithms[i]) + "=" + v
		}
	}
	return f.name
}

type fileObject struct {
	Type        string            `json:"type"`
	SpecVersion string            `json:"spec_version"`
	ID          string            `json:"id"`
	Hashes      map[string]string `json:"hashes,omitempty"`
	Name        string            `json:"name,omitempty"`
	Size        *int64            `json:"size,omitempty"`
}

// MarshalJSON writes the STIX object with hashes, name and size.
func (f File) MarshalJSON() ([]byte, error) {
	if f.empty() {
		return nil, invalid(TypeFile, "", "zero value: use NewFile")
	}
	o := fileObject{Type: TypeFile, SpecVersion: SpecVersion, ID: f.ID(), Name: f.name}
	for i, v := range f.hashes {
		if v != "" {
			if o.Hashes == nil {
				o.Hashes = make(map[string]string, len(f.hashes))
			}
			o.Hashes[string(hashAlgorithms[i])] = v
		}
	}
	if f.hasSize {
		o.Size = &f.size
	}
	return json.Marshal(o)
}
