package stix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// observableJSON holds the properties ParseObservable reads.
type observableJSON struct {
	Type   string            `json:"type"`
	Value  *string           `json:"value"`
	Hashes map[string]string `json:"hashes"`
	Name   *string           `json:"name"`
	Size   *int64            `json:"size"`
}

// ParseObservable decodes the STIX JSON of a supported cyber-observable and
// validates it through the constructors, so the result is normalised. The
// identifier is recomputed from the value (ID()), not taken from the input.
// For a file, hash algorithms this package does not model (SSDEEP, …) are
// ignored. An unsupported type gives an error matching ErrUnsupported; a
// missing or invalid value one matching ErrInvalidValue.
func ParseObservable(data []byte) (Observable, error) {
	var o observableJSON
	if err := json.Unmarshal(data, &o); err != nil {
		return nil, fmt.Errorf("stix: decode observable: %w", err)
	}
	switch o.Type {
	case TypeFile:
		var hs []Hash
		for _, k := range sortedKeys(o.Hashes) {
			alg, ok := lookupHashAlgorithm(k)
			if !ok {
				continue
			}
			h, err := NewHash(alg, o.Hashes[k])
			if err != nil {
				return nil, err
			}
			hs = append(hs, h)
		}
		var name string
		if o.Name != nil {
			name = *o.Name
		}
		f, err := NewFile(name, hs...)
		if err != nil {
			return nil, err
		}
		if o.Size != nil {
			if *o.Size < 0 {
				return nil, invalid(TypeFile, fmt.Sprint(*o.Size), "negative size")
			}
			f = f.WithSize(*o.Size)
		}
		return f, nil
	case TypeIPv4Addr, TypeIPv6Addr, TypeDomainName, TypeHostname, TypeURL, TypeEmailAddr:
		if o.Value == nil {
			return nil, invalid(o.Type, "", "no value property")
		}
		return newValueObservable(o.Type, *o.Value)
	case "":
		return nil, invalid("observable", string(bytes.TrimSpace(data)), "no type property")
	}
	return nil, fmt.Errorf("stix: observable type %q: %w", shorten(o.Type, maxErrorValue), ErrUnsupported)
}

// NewObservable builds the observable of a value-typed STIX type
// (ipv4-addr, ipv6-addr, domain-name, hostname, url, email-addr) from its
// value. For files use NewFile.
func NewObservable(typ, value string) (Observable, error) {
	switch typ {
	case TypeIPv4Addr, TypeIPv6Addr, TypeDomainName, TypeHostname, TypeURL, TypeEmailAddr:
		return newValueObservable(typ, value)
	}
	return nil, fmt.Errorf("stix: observable type %q with a single value: %w", shorten(typ, maxErrorValue), ErrUnsupported)
}

func newValueObservable(typ, v string) (Observable, error) {
	var (
		o   Observable
		err error
	)
	switch typ {
	case TypeIPv4Addr:
		o, err = NewIPv4Addr(v)
	case TypeIPv6Addr:
		o, err = NewIPv6Addr(v)
	case TypeDomainName:
		o, err = NewDomainName(v)
	case TypeHostname:
		o, err = NewHostname(v)
	case TypeURL:
		o, err = NewURL(v)
	case TypeEmailAddr:
		o, err = NewEmailAddr(v)
	}
	if err != nil {
		return nil, err
	}
	return o, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
