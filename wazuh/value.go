package wazuh

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind is the JSON type of a Value.
type Kind uint8

// The kinds of Value. The zero Value is KindMissing.
const (
	KindMissing Kind = iota // no such field
	KindNull                // JSON null
	KindString
	KindNumber
	KindBool
	KindArray
	KindObject
)

var kindNames = [...]string{"missing", "null", "string", "number", "bool", "array", "object"}

// String returns the kind's name in lower case ("string", "array", ...).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// node is one decoded JSON value. Nodes are never modified after parsing, so
// Values can be copied and shared freely, also between goroutines.
type node struct {
	kind    Kind
	b       bool
	str     string // KindString: the text; KindNumber: the literal as written
	elems   []*node
	members []member
}

type member struct {
	key string
	val *node
}

// Value is a read-only JSON value from an alert. The zero Value is "missing":
// every method works on it and reports absence.
//
// Wazuh's JSON decoder turns the numbers, booleans and nulls of the events it
// decodes into strings ("443", "false", "null", "1755196584425738.000000"),
// while numbers inside arrays stay numbers. The accessors accept both forms,
// so callers do not care which one an alert happens to carry.
type Value struct {
	n *node
}

// Get follows a dotted path ("win.eventdata.hashes") from v. An empty path
// gives v itself. On an object each segment is a key; on an array a segment
// of decimal digits is an index, and any other segment is applied to every
// element, giving an array of what was found (elements without it are left
// out), so "dns.query.rrname" collects the rrname of every query. A path that
// leads nowhere gives the missing Value. Keys containing dots can be reached
// with Key.
func (v Value) Get(path string) Value {
	if path == "" {
		return v
	}
	for {
		seg, rest, more := strings.Cut(path, ".")
		v = v.step(seg)
		if !more || v.n == nil {
			return v
		}
		path = rest
	}
}

func (v Value) step(seg string) Value {
	if v.n == nil {
		return Value{}
	}
	switch v.n.kind {
	case KindObject:
		return v.Key(seg)
	case KindArray:
		if i, ok := parseIndex(seg); ok {
			return v.Index(i)
		}
		var found []*node
		for _, e := range v.n.elems {
			if w := (Value{e}).step(seg); w.n != nil {
				found = append(found, w.n)
			}
		}
		if found == nil {
			return Value{}
		}
		return Value{&node{kind: KindArray, elems: found}}
	}
	return Value{}
}

func parseIndex(seg string) (int, bool) {
	if seg == "" || len(seg) > 9 {
		return 0, false
	}
	i := 0
	for j := 0; j < len(seg); j++ {
		c := seg[j]
		if c < '0' || c > '9' {
			return 0, false
		}
		i = i*10 + int(c-'0')
	}
	return i, true
}

// Key returns the member named key of an object (the key is taken literally,
// dots included); anything else gives the missing Value.
func (v Value) Key(key string) Value {
	if v.n == nil || v.n.kind != KindObject {
		return Value{}
	}
	for _, m := range v.n.members {
		if m.key == key {
			return Value{m.val}
		}
	}
	return Value{}
}

// Index returns element i of an array; out of range or not an array gives the
// missing Value.
func (v Value) Index(i int) Value {
	if v.n == nil || v.n.kind != KindArray || i < 0 || i >= len(v.n.elems) {
		return Value{}
	}
	return Value{v.n.elems[i]}
}

// Len returns the number of elements of an array or members of an object,
// and 0 for anything else.
func (v Value) Len() int {
	if v.n == nil {
		return 0
	}
	return len(v.n.elems) + len(v.n.members)
}

// Exists reports whether the value is present (it may still be null).
func (v Value) Exists() bool { return v.n != nil }

// IsNull reports whether the value is JSON null or the string "null", which is
// how Wazuh's JSON decoder writes a null.
func (v Value) IsNull() bool {
	return v.n != nil && (v.n.kind == KindNull || v.n.kind == KindString && v.n.str == "null")
}

// Kind returns the JSON type of the value as written (a numeric string is
// KindString).
func (v Value) Kind() Kind {
	if v.n == nil {
		return KindMissing
	}
	return v.n.kind
}

// String returns a string as is, and a number or bool as its JSON text. It
// reports false for a missing value, null, the string "null", an array or an
// object.
func (v Value) String() (string, bool) {
	if v.n == nil {
		return "", false
	}
	switch v.n.kind {
	case KindString:
		if v.n.str == "null" {
			return "", false
		}
		return v.n.str, true
	case KindNumber:
		return v.n.str, true
	case KindBool:
		return strconv.FormatBool(v.n.b), true
	}
	return "", false
}

// Text returns what String returns, or "" when String reports false.
func (v Value) Text() string {
	s, _ := v.String()
	return s
}

// numeric returns the number text of a number or a numeric string.
func (v Value) numeric() (string, bool) {
	if v.n == nil {
		return "", false
	}
	switch v.n.kind {
	case KindNumber:
		return v.n.str, true
	case KindString:
		s := v.n.str
		if end, ok := scanNumber(s, 0, true); ok && end == len(s) {
			return s, true
		}
	}
	return "", false
}

// Int returns an integral number: 443, "443", "443.000000" (how Wazuh prints
// large numbers) or 1e3. It reports false for anything else, including
// fractions and values outside int64.
func (v Value) Int() (int64, bool) {
	s, ok := v.numeric()
	if !ok {
		return 0, false
	}
	// Strip an all-zero fraction so "%f" output stays exact beyond 2^53.
	if dot := strings.IndexByte(s, '.'); dot >= 0 && !strings.ContainsAny(s, "eE") &&
		strings.Trim(s[dot+1:], "0") == "" {
		s = s[:dot]
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || f < -(1<<63) || f >= 1<<63 {
		return 0, false
	}
	return int64(f), true
}

// Float returns a number or a numeric string as a float64. It reports false
// for anything else and for values outside the float64 range.
func (v Value) Float() (float64, bool) {
	s, ok := v.numeric()
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// Bool returns true or false, given as JSON booleans or as the strings "true"
// and "false".
func (v Value) Bool() (bool, bool) {
	if v.n == nil {
		return false, false
	}
	switch v.n.kind {
	case KindBool:
		return v.n.b, true
	case KindString:
		switch v.n.str {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// Array returns the elements of an array; anything else gives nil.
func (v Value) Array() []Value {
	if v.n == nil || v.n.kind != KindArray {
		return nil
	}
	out := make([]Value, len(v.n.elems))
	for i, e := range v.n.elems {
		out[i] = Value{e}
	}
	return out
}

// Strings returns a scalar as one string, and the elements of an array that
// String accepts (nulls, nested arrays and objects are left out). Anything
// else gives nil.
func (v Value) Strings() []string {
	if v.n == nil {
		return nil
	}
	if v.n.kind != KindArray {
		if s, ok := v.String(); ok {
			return []string{s}
		}
		return nil
	}
	var out []string
	for _, e := range v.n.elems {
		if s, ok := (Value{e}).String(); ok {
			out = append(out, s)
		}
	}
	return out
}

// Keys returns the keys of an object in document order; anything else gives nil.
func (v Value) Keys() []string {
	if v.n == nil || v.n.kind != KindObject {
		return nil
	}
	out := make([]string, len(v.n.members))
	for i, m := range v.n.members {
		out[i] = m.key
	}
	return out
}

// Interface returns the value as plain Go values: map[string]any, []any,
// string, json.Number, bool, or nil for null and missing.
func (v Value) Interface() any {
	if v.n == nil {
		return nil
	}
	switch v.n.kind {
	case KindString:
		return v.n.str
	case KindNumber:
		return json.Number(v.n.str)
	case KindBool:
		return v.n.b
	case KindArray:
		out := make([]any, len(v.n.elems))
		for i, e := range v.n.elems {
			out[i] = Value{e}.Interface()
		}
		return out
	case KindObject:
		out := make(map[string]any, len(v.n.members))
		for _, m := range v.n.members {
			out[m.key] = Value{m.val}.Interface()
		}
		return out
	}
	return nil
}

// MarshalJSON returns the value as compact JSON, keys in document order,
// without HTML escaping. A missing value is written as null.
func (v Value) MarshalJSON() ([]byte, error) {
	return v.appendJSON(nil), nil
}

func (v Value) appendJSON(b []byte) []byte {
	if v.n == nil {
		return append(b, "null"...)
	}
	switch v.n.kind {
	case KindNull:
		return append(b, "null"...)
	case KindString:
		return appendQuoted(b, v.n.str)
	case KindNumber:
		return append(b, v.n.str...)
	case KindBool:
		return strconv.AppendBool(b, v.n.b)
	case KindArray:
		b = append(b, '[')
		for i, e := range v.n.elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = Value{e}.appendJSON(b)
		}
		return append(b, ']')
	case KindObject:
		b = append(b, '{')
		for i, m := range v.n.members {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendQuoted(b, m.key)
			b = append(b, ':')
			b = Value{m.val}.appendJSON(b)
		}
		return append(b, '}')
	}
	return append(b, "null"...)
}

// appendQuoted appends s as a JSON string. s is valid UTF-8 (the parser
// guarantees it); any invalid byte would still be written as U+FFFD.
func appendQuoted(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i++
			start = i
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
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Format writes the value's JSON text for the verbs %v and %s, so a Value
// prints readably in logs and test failures; a missing value prints as
// <missing>.
func (v Value) Format(f fmt.State, verb rune) {
	if v.n == nil {
		_, _ = f.Write([]byte("<missing>"))
		return
	}
	switch verb {
	case 'q':
		_, _ = f.Write([]byte(strconv.Quote(string(v.appendJSON(nil)))))
	default:
		_, _ = f.Write(v.appendJSON(nil))
	}
}
