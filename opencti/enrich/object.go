package enrich

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// Object is a JSON object that keeps its keys in insertion order and leaves
// out empty values when encoded.
//
// Events are built as Objects rather than structs for two reasons: the
// field order of the Python integration's events is kept (it makes events
// easy to compare by eye), and "empty" has the meaning the integration's
// users rely on: null, "", [] and {} are left out, while numeric zero and
// false are kept (the Python integration dropped a score of 0).
//
// Values are usually string, bool, int, int64, float64, []string, Object,
// []Object, json.RawMessage or nil; any other value is encoded with
// encoding/json (without HTML escaping) and never shrunk.
type Object struct {
	fields []field
}

type field struct {
	key string
	val any
}

// Set sets key to v, replacing an existing value in place or appending.
func (o *Object) Set(key string, v any) {
	for i := range o.fields {
		if o.fields[i].key == key {
			o.fields[i].val = v
			return
		}
	}
	o.fields = append(o.fields, field{key, v})
}

// Get returns the value of key.
func (o Object) Get(key string) (any, bool) {
	for _, f := range o.fields {
		if f.key == key {
			return f.val, true
		}
	}
	return nil, false
}

// Delete removes key.
func (o *Object) Delete(key string) {
	for i := range o.fields {
		if o.fields[i].key == key {
			o.fields = append(o.fields[:i:i], o.fields[i+1:]...)
			return
		}
	}
}

// Keys returns the keys in order, including those whose values are empty.
func (o Object) Keys() []string {
	keys := make([]string, len(o.fields))
	for i, f := range o.fields {
		keys[i] = f.key
	}
	return keys
}

// IsEmpty reports whether the object encodes as nothing: every value is empty.
func (o Object) IsEmpty() bool {
	for _, f := range o.fields {
		if !isEmpty(f.val) {
			return false
		}
	}
	return true
}

// Clone returns a deep copy, so that shrinking one event never changes another.
func (o Object) Clone() Object {
	c := Object{fields: make([]field, len(o.fields))}
	for i, f := range o.fields {
		c.fields[i] = field{f.key, cloneValue(f.val)}
	}
	return c
}

func cloneValue(v any) any {
	switch v := v.(type) {
	case Object:
		return v.Clone()
	case []Object:
		c := make([]Object, len(v))
		for i := range v {
			c[i] = v[i].Clone()
		}
		return c
	case []string:
		return append([]string(nil), v...)
	case json.RawMessage:
		return append(json.RawMessage(nil), v...)
	default:
		return v
	}
}

// MarshalJSON encodes the object without HTML escaping and without empty values.
func (o Object) MarshalJSON() ([]byte, error) {
	return o.AppendJSON(nil), nil
}

// AppendJSON appends the encoding of o to b.
func (o Object) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	first := true
	for _, f := range o.fields {
		if isEmpty(f.val) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, f.key)
		b = append(b, ':')
		b = appendValue(b, f.val)
	}
	return append(b, '}')
}

func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []string:
		for _, s := range v {
			if s != "" {
				return false
			}
		}
		return true
	case Object:
		return v.IsEmpty()
	case []Object:
		for _, o := range v {
			if !o.IsEmpty() {
				return false
			}
		}
		return true
	case json.RawMessage:
		switch string(v) {
		case "", "null", `""`, "[]", "{}":
			return true
		}
	}
	return false
}

func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case string:
		return appendString(b, v)
	case bool:
		return strconv.AppendBool(b, v)
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case float64:
		return strconv.AppendFloat(b, v, 'g', -1, 64)
	case []string:
		b = append(b, '[')
		first := true
		for _, s := range v {
			if s == "" {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendString(b, s)
		}
		return append(b, ']')
	case Object:
		return v.AppendJSON(b)
	case []Object:
		b = append(b, '[')
		first := true
		for _, o := range v {
			if o.IsEmpty() {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = o.AppendJSON(b)
		}
		return append(b, ']')
	case json.RawMessage:
		if !json.Valid(v) {
			return append(b, "null"...)
		}
		return append(b, v...)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return append(b, "null"...)
	}
	return append(b, bytes.TrimRight(buf.Bytes(), "\n")...)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Unlike encoding/json it does not
// escape <, > and & (analysisd and the rules see the text as it was);
// invalid UTF-8 becomes U+FFFD, as encoding/json does.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
