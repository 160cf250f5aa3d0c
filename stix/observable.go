package stix

import (
	"encoding/json"
	"strings"
)

// STIX types of the cyber-observables this package models.
const (
	TypeFile       = "file"
	TypeIPv4Addr   = "ipv4-addr"
	TypeIPv6Addr   = "ipv6-addr"
	TypeDomainName = "domain-name"
	TypeURL        = "url"
	TypeEmailAddr  = "email-addr"
	TypeHostname   = "hostname" // OpenCTI's custom SCO for host names
)

// SpecVersion is the STIX version of everything this package writes.
const SpecVersion = "2.1"

// Observable is any cyber-observable of this package: IPv4Addr, IPv6Addr,
// DomainName, Hostname, URL, EmailAddr or File. Values come from the
// constructors (NewIPv4Addr, …) or ParseObservable and are always valid and
// normalised; the zero value of each type is invalid, and its methods return
// empty results (and MarshalJSON an error) instead of panicking.
type Observable interface {
	// Type is the STIX type, e.g. "ipv4-addr".
	Type() string
	// ID is the deterministic identifier of spec section 2.9, e.g.
	// "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4".
	ID() string
	// Equalities are the comparable values: one for a single-valued
	// observable; for a file one per hash in canonical order (MD5, SHA-1,
	// SHA-256, SHA-512), or its name when it has no hash.
	Equalities() []Equality
	// Pattern is the canonical pattern that matches the observable: its
	// Equalities ORed in one observation expression.
	Pattern() string
	// String is a short human form: the value, or "SHA-256=ab…" for a file.
	String() string
	// MarshalJSON writes the STIX 2.1 object: type, spec_version, id and
	// value (hashes, name, size for a file).
	json.Marshaler
}

// Equality is one "object-path = constant" comparison: the atom of lookups
// and of exact pattern matching. It is comparable, so usable as a map key.
type Equality struct {
	ObjectType string // "file"
	Path       string // canonical path text: "value", "name", "hashes.MD5", "hashes.'SHA-256'"
	Value      string // normalised constant (lower-case hex for hashes), unescaped
}

// String returns the canonical single-comparison pattern of e, such as
// [file:hashes.'SHA-256' = 'e3b0…'], with the constant escaped.
func (e Equality) String() string {
	var b strings.Builder
	b.Grow(len(e.ObjectType) + len(e.Path) + len(e.Value) + 10)
	b.WriteByte('[')
	e.writeComparison(&b)
	b.WriteByte(']')
	return b.String()
}

func (e Equality) writeComparison(b *strings.Builder) {
	b.WriteString(e.ObjectType)
	b.WriteByte(':')
	b.WriteString(e.Path)
	b.WriteString(" = ")
	writeQuoted(b, e.Value)
}

// equalitiesPattern ORs equalities in one observation expression.
func equalitiesPattern(eqs []Equality) string {
	if len(eqs) == 0 {
		return ""
	}
	if len(eqs) == 1 {
		return eqs[0].String()
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, e := range eqs {
		if i > 0 {
			b.WriteString(" OR ")
		}
		e.writeComparison(&b)
	}
	b.WriteByte(']')
	return b.String()
}

// writeQuoted writes s as a pattern string constant: in apostrophes, with
// backslash and apostrophe escaped (the only escapes the grammar has).
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\\' || c == '\'' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('\'')
}

// quotePathStep returns the canonical text of one object-path property
// name: bare when it is an identifier ([A-Za-z_][A-Za-z0-9_]*) that is not
// a reserved word of the grammar, otherwise quoted and escaped, as in
// hashes.'SHA-256'.
func quotePathStep(name string) string {
	if !needsQuoting(name) {
		return name
	}
	var b strings.Builder
	writeQuoted(&b, name)
	return b.String()
}

func needsQuoting(name string) bool {
	if name == "" || isReserved(name) {
		return true
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return true
		}
	}
	return false
}

// isReserved reports whether w is a keyword or boolean literal of the
// patterning grammar; such a property name must be quoted to parse.
func isReserved(w string) bool {
	switch w {
	case "AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES", "ISSUPERSET",
		"ISSUBSET", "EXISTS", "LAST", "IN", "START", "STOP", "SECONDS",
		"WITHIN", "REPEATS", "TIMES", "true", "false":
		return true
	}
	return false
}

// valueEquality is the single equality of the value-typed observables.
func valueEquality(typ, value string) []Equality {
	if value == "" {
		return nil
	}
	return []Equality{{ObjectType: typ, Path: "value", Value: value}}
}

// valueID is the identifier of the observables whose only contributing
// property is value.
func valueID(typ, value string) string {
	if value == "" {
		return ""
	}
	return deterministicID(typ, appendJCSObject(nil, []jcsMember{{key: "value", str: value}}))
}

// valueObject is the JSON form of the value-typed observables.
type valueObject struct {
	Type        string `json:"type"`
	SpecVersion string `json:"spec_version"`
	ID          string `json:"id"`
	Value       string `json:"value"`
}

func marshalValue(typ, value string) ([]byte, error) {
	if value == "" {
		return nil, invalid(typ, "", "zero value: use the constructor")
	}
	return json.Marshal(valueObject{Type: typ, SpecVersion: SpecVersion, ID: valueID(typ, value), Value: value})
}
