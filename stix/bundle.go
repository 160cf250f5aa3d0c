package stix

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ErrInvalidBundle is matched by errors.Is for every error of DecodeBundle
// and Bundle.MarshalJSON.
var ErrInvalidBundle = errors.New("invalid STIX bundle")

// Bundle is a STIX 2.1 bundle: a container of objects.
type Bundle struct {
	ID      string // "bundle--<uuid>"
	Objects []Object
}

// Object is one entry of a bundle. Its JSON is kept as read (or as
// NewObject wrote it), so nothing is lost, and decoded on demand with the
// typed accessors.
type Object struct {
	Type string
	ID   string
	raw  json.RawMessage
}

// Raw returns the object's JSON. The slice is shared: do not modify it.
func (o Object) Raw() json.RawMessage { return o.raw }

// MarshalJSON writes the object's JSON.
func (o Object) MarshalJSON() ([]byte, error) {
	if len(o.raw) == 0 {
		return nil, fmt.Errorf("stix: empty object (use NewObject): %w", ErrInvalidObject)
	}
	return o.raw, nil
}

// NewObject wraps a STIX object (an Observable, Indicator, Relationship,
// MarkingDefinition, Identity, or any value whose JSON has type and id) for
// a bundle.
func NewObject(v json.Marshaler) (Object, error) {
	if v == nil {
		return Object{}, fmt.Errorf("stix: nil object: %w", ErrInvalidObject)
	}
	data, err := v.MarshalJSON()
	if err != nil {
		return Object{}, err
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		return Object{}, fmt.Errorf("stix: object JSON: %w", err)
	}
	o, err := objectFromJSON(buf.Bytes())
	if err != nil {
		return Object{}, err
	}
	return o, nil
}

// objectFromJSON reads the type and id of one object and checks them.
func objectFromJSON(data json.RawMessage) (Object, error) {
	var head struct {
		Type *string `json:"type"`
		ID   *string `json:"id"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return Object{}, fmt.Errorf("not a JSON object with string type and id: %w", ErrInvalidObject)
	}
	switch {
	case head.Type == nil || *head.Type == "":
		return Object{}, fmt.Errorf("no type: %w", ErrInvalidObject)
	case head.ID == nil || *head.ID == "":
		return Object{}, fmt.Errorf("%s without id: %w", shorten(*head.Type, maxErrorValue), ErrInvalidObject)
	}
	if !validTypeName(*head.Type) {
		return Object{}, fmt.Errorf("bad type %q: %w", shorten(*head.Type, maxErrorValue), ErrInvalidObject)
	}
	typ, _, reason := splitID(*head.ID)
	if reason != "" {
		return Object{}, fmt.Errorf("identifier %q %s: %w", shorten(*head.ID, maxErrorValue), reason, ErrInvalidObject)
	}
	if typ != *head.Type {
		return Object{}, fmt.Errorf("id %s does not match type %s: %w", shorten(*head.ID, maxErrorValue), *head.Type, ErrInvalidObject)
	}
	return Object{Type: *head.Type, ID: *head.ID, raw: data}, nil
}

// DecodeBundle reads one STIX bundle from r. It rejects input that is not
// a single JSON object, whose type is not "bundle", whose id is not a
// bundle identifier, whose objects is not an array, and objects without a
// valid type and id (the id's type must be the object's type). Objects are
// otherwise kept as they are; use the Object accessors to decode them.
// Errors match ErrInvalidBundle and say which object is at fault.
func DecodeBundle(r io.Reader) (*Bundle, error) {
	dec := json.NewDecoder(r)
	var w struct {
		Type    *string           `json:"type"`
		ID      *string           `json:"id"`
		Objects []json.RawMessage `json:"objects"`
	}
	if err := dec.Decode(&w); err != nil {
		return nil, fmt.Errorf("stix: bundle: %w: %w", ErrInvalidBundle, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("stix: bundle: %w: data after the bundle", ErrInvalidBundle)
	}
	switch {
	case w.Type == nil:
		return nil, fmt.Errorf("stix: bundle: %w: no type", ErrInvalidBundle)
	case *w.Type != "bundle":
		return nil, fmt.Errorf("stix: bundle: %w: type is %q, not \"bundle\"", ErrInvalidBundle, shorten(*w.Type, maxErrorValue))
	case w.ID == nil:
		return nil, fmt.Errorf("stix: bundle: %w: no id", ErrInvalidBundle)
	}
	if typ, _, reason := splitID(*w.ID); reason != "" || typ != "bundle" {
		return nil, fmt.Errorf("stix: bundle: %w: id %q is not a bundle identifier", ErrInvalidBundle, shorten(*w.ID, maxErrorValue))
	}
	b := &Bundle{ID: *w.ID, Objects: make([]Object, 0, len(w.Objects))}
	for i, raw := range w.Objects {
		o, err := objectFromJSON(raw)
		if err != nil {
			return nil, fmt.Errorf("stix: bundle %s: object %d: %w: %w", b.ID, i, ErrInvalidBundle, err)
		}
		b.Objects = append(b.Objects, o)
	}
	return b, nil
}

// MarshalJSON writes {"type":"bundle","id":…,"objects":[…]}. The objects
// property is omitted when there are none (the schema wants at least one).
// It has a value receiver so that a Bundle encodes the same whether or not
// it is addressable.
func (b Bundle) MarshalJSON() ([]byte, error) {
	if typ, _, reason := splitID(b.ID); reason != "" || typ != "bundle" {
		return nil, fmt.Errorf("stix: bundle: %w: id %q is not a bundle identifier (use NewID(\"bundle\"))", ErrInvalidBundle, shorten(b.ID, maxErrorValue))
	}
	var buf bytes.Buffer
	buf.WriteString(`{"type":"bundle","id":`)
	id, _ := json.Marshal(b.ID)
	buf.Write(id)
	if len(b.Objects) > 0 {
		buf.WriteString(`,"objects":[`)
		for i, o := range b.Objects {
			if len(o.raw) == 0 {
				return nil, fmt.Errorf("stix: bundle %s: object %d: %w: empty object (use NewObject)", b.ID, i, ErrInvalidBundle)
			}
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.Write(o.raw)
		}
		buf.WriteByte(']')
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON decodes a bundle with the checks of DecodeBundle, so that
// json.Unmarshal into a Bundle keeps each object's JSON.
func (b *Bundle) UnmarshalJSON(data []byte) error {
	d, err := DecodeBundle(bytes.NewReader(data))
	if err != nil {
		return err
	}
	*b = *d
	return nil
}

// UnmarshalJSON keeps the object's JSON, after the checks DecodeBundle
// makes of each object (a valid type and id).
func (o *Object) UnmarshalJSON(data []byte) error {
	v, err := objectFromJSON(bytes.Clone(data))
	if err != nil {
		return fmt.Errorf("stix: object: %w: %w", ErrInvalidBundle, err)
	}
	*o = v
	return nil
}

// Common decodes the properties shared by all SDOs and SROs.
func (o Object) Common() (Common, error) { return decodeCommon(o.raw) }

// Observable decodes a supported cyber-observable (see ParseObservable).
func (o Object) Observable() (Observable, error) { return ParseObservable(o.raw) }

// Indicator decodes an indicator; other types are an error.
func (o Object) Indicator() (Indicator, error) {
	var v Indicator
	err := json.Unmarshal(o.raw, &v)
	return v, err
}

// Relationship decodes a relationship; other types are an error.
func (o Object) Relationship() (Relationship, error) {
	var v Relationship
	err := json.Unmarshal(o.raw, &v)
	return v, err
}

// MarkingDefinition decodes a marking definition; other types are an
// error.
func (o Object) MarkingDefinition() (MarkingDefinition, error) {
	var v MarkingDefinition
	err := json.Unmarshal(o.raw, &v)
	return v, err
}

// Identity decodes an identity; other types are an error.
func (o Object) Identity() (Identity, error) {
	var v Identity
	err := json.Unmarshal(o.raw, &v)
	return v, err
}
