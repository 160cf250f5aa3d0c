package wazuh

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// ErrInvalidOptions matches every *OptionsError.
var ErrInvalidOptions = errors.New("invalid options")

// OptionsError says what is wrong with the options file or one of its keys.
type OptionsError struct {
	File   string // the options file; "" when not known
	Key    string // the offending key; "" when the problem is the whole file
	Offset int64  // byte offset of a syntax problem; -1 otherwise
	Reason string
	Err    error // underlying error (e.g. from encoding/json), may be nil
}

func (e *OptionsError) Error() string {
	s := "wazuh: invalid options"
	if e.File != "" {
		s += " " + strconv.Quote(e.File)
	}
	s += ": "
	if e.Key != "" {
		s += "key " + strconv.Quote(e.Key) + ": "
	}
	s += e.Reason
	if e.Offset >= 0 {
		s += " (at byte " + strconv.FormatInt(e.Offset, 10) + ")"
	}
	return s
}

// Unwrap lets errors.Is match ErrInvalidOptions and the underlying error.
func (e *OptionsError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrInvalidOptions, e.Err}
	}
	return []error{ErrInvalidOptions}
}

// Options is the JSON object of an <options> block (Wazuh >= 4.7), one raw
// JSON value per key.
type Options map[string]json.RawMessage

// ReadOptions reads an options file. An empty path, an empty file or one of
// only whitespace give empty Options. Anything but a JSON object is an
// *OptionsError; a missing file matches fs.ErrNotExist.
func ReadOptions(path string) (Options, error) {
	if path == "" {
		return Options{}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("wazuh: reading options: %w", err)
	}
	defer f.Close()
	data, err := readLimited(f, MaxAlertSize)
	if errors.Is(err, errTooLarge) {
		return nil, &OptionsError{File: path, Offset: -1, Reason: fmt.Sprintf("file is over %d bytes", MaxAlertSize)}
	}
	if err != nil {
		return nil, fmt.Errorf("wazuh: reading options: %w", err)
	}
	o, err := ParseOptions(data)
	var oe *OptionsError
	if errors.As(err, &oe) {
		oe.File = path
	}
	return o, err
}

// ParseOptions parses the text of an <options> block; see ReadOptions.
func ParseOptions(data []byte) (Options, error) {
	n, se := parseJSON(string(data))
	if se != nil {
		reason := se.msg
		if se.truncated {
			reason = "unexpected end of input: the JSON is incomplete"
		}
		return nil, &OptionsError{Offset: int64(se.offset), Reason: "not valid JSON: " + reason}
	}
	if n == nil {
		return Options{}, nil
	}
	if n.kind != KindObject {
		return nil, &OptionsError{Offset: -1, Reason: "want a JSON object, got " + withArticle(n.kind.String())}
	}
	o := make(Options, len(n.members))
	for _, m := range n.members {
		o[m.key] = Value{m.val}.appendJSON(nil)
	}
	return o, nil
}

// Decode stores the options in the struct (or map) v points to, following
// encoding/json's rules for field names and tags. Keys that match no field
// are returned, sorted, so the caller can warn about them; they are not an
// error. A value of the wrong type is an *OptionsError naming the key.
func (o Options) Decode(v any) (unknown []string, err error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil, &OptionsError{Offset: -1, Reason: fmt.Sprintf("Decode needs a non-nil pointer, got %T", v)}
	}
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		name, _ := json.Marshal(k)
		if !knownKey(rv.Type().Elem(), name) {
			unknown = append(unknown, k)
			continue
		}
		obj := make([]byte, 0, len(name)+len(o[k])+3)
		obj = append(append(append(append(obj, '{'), name...), ':'), o[k]...)
		obj = append(obj, '}')
		if err := json.Unmarshal(obj, v); err != nil {
			return unknown, &OptionsError{Key: k, Offset: -1, Reason: describeDecodeError(err), Err: err}
		}
	}
	return unknown, nil
}

// knownKey asks encoding/json itself whether the key has a destination:
// decoding {"key":null} with unknown fields disallowed fails only when the key
// matches nothing. That keeps its rules (tags, case folding, embedded structs).
func knownKey(t reflect.Type, name []byte) bool {
	d := json.NewDecoder(bytes.NewReader(append(append([]byte{'{'}, name...), ":null}"...)))
	d.DisallowUnknownFields()
	return d.Decode(reflect.New(t).Interface()) == nil
}

func describeDecodeError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		s := "want " + describeType(te.Type) + ", got a JSON " + te.Value
		if strings.Contains(te.Field, ".") {
			s += " at " + te.Field
		}
		return s
	}
	return err.Error()
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return t.String()
}
