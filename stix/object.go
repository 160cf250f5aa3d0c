package stix

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// ErrInvalidObject is matched by errors.Is when a STIX object (indicator,
// relationship, …) cannot be encoded or decoded because a property is
// missing or malformed.
var ErrInvalidObject = errors.New("invalid STIX object")

// TimestampLayout is the STIX timestamp form this package writes: UTC with
// millisecond precision. Times with finer precision are written with 6 or 9
// fractional digits, so nothing is lost.
const TimestampLayout = "2006-01-02T15:04:05.000Z"

// FormatTimestamp formats t in UTC with at least millisecond precision.
func FormatTimestamp(t time.Time) string {
	return string(appendTimestamp(nil, t))
}

func appendTimestamp(b []byte, t time.Time) []byte {
	t = t.UTC()
	switch ns := t.Nanosecond(); {
	case ns%1e6 == 0:
		return t.AppendFormat(b, TimestampLayout)
	case ns%1e3 == 0:
		return t.AppendFormat(b, "2006-01-02T15:04:05.000000Z")
	default:
		return t.AppendFormat(b, "2006-01-02T15:04:05.000000000Z")
	}
}

// ParseTimestamp parses an RFC 3339 timestamp. STIX requires the "Z" zone;
// other offsets are accepted and converted to UTC.
func ParseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stix: timestamp %q: %w", shorten(s, maxErrorValue), ErrInvalidObject)
	}
	return t.UTC(), nil
}

// timestamp is the wire form of a time.Time.
type timestamp time.Time

func (t timestamp) MarshalJSON() ([]byte, error) {
	b := append(make([]byte, 0, 32), '"')
	b = appendTimestamp(b, time.Time(t))
	return append(b, '"'), nil
}

func (t *timestamp) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil // absent, as encoding/json treats null
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("stix: timestamp is not a string: %w", ErrInvalidObject)
	}
	v, err := ParseTimestamp(s)
	if err != nil {
		return err
	}
	*t = timestamp(v)
	return nil
}

// optTime is the wire form of an optional time: nil for the zero time.
func optTime(t time.Time) *timestamp {
	if t.IsZero() {
		return nil
	}
	ts := timestamp(t)
	return &ts
}

func fromOptTime(t *timestamp) time.Time {
	if t == nil {
		return time.Time{}
	}
	return time.Time(*t)
}

// KillChainPhase is one phase of a kill chain, e.g. {"mitre-attack",
// "command-and-control"}.
type KillChainPhase struct {
	KillChainName string `json:"kill_chain_name"`
	PhaseName     string `json:"phase_name"`
}

// ExternalReference points to non-STIX information.
type ExternalReference struct {
	SourceName  string `json:"source_name"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url,omitempty"`
	ExternalID  string `json:"external_id,omitempty"`
}

// ParseID splits a STIX identifier "<type>--<uuid>" and checks it as the
// STIX schemas do: a type of lower-case letters, digits and inner hyphens,
// and an RFC 4122 UUID of version 1 to 5.
func ParseID(id string) (typ, uuid string, err error) {
	typ, uuid, reason := splitID(id)
	if reason != "" {
		return "", "", fmt.Errorf("stix: identifier %q %s: %w", shorten(id, maxErrorValue), reason, ErrInvalidObject)
	}
	return typ, uuid, nil
}

// splitID is ParseID with the problem as a phrase ("" when valid).
func splitID(id string) (typ, uuid, reason string) {
	i := len(id) - 36 - 2
	if i < 1 || id[i:i+2] != "--" {
		return "", "", "is not <type>--<uuid>"
	}
	typ, uuid = id[:i], id[i+2:]
	switch {
	// The identifier schema wants the type to end with a letter or digit
	// (the type schema alone allows a final hyphen): "abc---<uuid>" is
	// not type "abc-".
	case !validTypeName(typ) || typ[len(typ)-1] == '-':
		return "", "", "has a bad type"
	case !validUUID(uuid):
		return "", "", "has no version 1-5 UUID"
	}
	return typ, uuid, ""
}

// validTypeName checks a STIX type name: 3 to 250 characters, a-z, 0-9
// and hyphens, starting with a letter, no double hyphen.
func validTypeName(s string) bool {
	if len(s) < 3 || len(s) > 250 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

func validUUID(u string) bool {
	if len(u) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := u[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
			continue
		case 14:
			if c < '1' || c > '5' {
				return false
			}
		case 19:
			if !bytes.ContainsRune([]byte("89abAB"), rune(c)) {
				return false
			}
		}
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// NewID returns a new random identifier "<typ>--<UUIDv4>" for objects
// that have no deterministic identifier (indicators, relationships,
// bundles).
func NewID(typ string) string {
	var u [16]byte
	rand.Read(u[:]) // never fails
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return formatUUID(typ, u[:])
}

// checkID checks that id is a valid identifier of type want (any type
// when want is "").
func checkID(what, id, want string) error {
	if id == "" {
		return fmt.Errorf("stix: %s: no id: %w", what, ErrInvalidObject)
	}
	typ, _, reason := splitID(id)
	if reason == "" && want != "" && typ != want {
		reason = "is not of type " + want
	}
	if reason != "" {
		return fmt.Errorf("stix: %s: identifier %q %s: %w", what, shorten(id, maxErrorValue), reason, ErrInvalidObject)
	}
	return nil
}

// objectProblem is a validation error of an object.
func objectProblem(typ, id, reason string) error {
	if id != "" {
		return fmt.Errorf("stix: %s %s: %s: %w", typ, shorten(id, maxErrorValue), reason, ErrInvalidObject)
	}
	return fmt.Errorf("stix: %s: %s: %w", typ, reason, ErrInvalidObject)
}

// checkRefs checks created_by_ref and object_marking_refs.
func checkRefs(typ, id, createdBy string, markings []string) error {
	if createdBy != "" {
		if err := checkID(typ+" "+id+" created_by_ref", createdBy, ""); err != nil {
			return err
		}
	}
	for _, m := range markings {
		if err := checkID(typ+" "+id+" object_marking_refs", m, "marking-definition"); err != nil {
			return err
		}
	}
	return nil
}

func checkCreatedModified(typ, id string, created, modified time.Time) error {
	switch {
	case created.IsZero():
		return objectProblem(typ, id, "no created time")
	case modified.IsZero():
		return objectProblem(typ, id, "no modified time")
	case modified.Before(created):
		return objectProblem(typ, id, "modified before created")
	}
	return nil
}

func checkExternalReferences(typ, id string, refs []ExternalReference) error {
	for _, r := range refs {
		if r.SourceName == "" {
			return objectProblem(typ, id, "external reference without source_name")
		}
		if r.Description == "" && r.URL == "" && r.ExternalID == "" {
			return objectProblem(typ, id, "external reference "+r.SourceName+" needs a description, url or external_id")
		}
	}
	return nil
}

func checkConfidence(typ, id string, c *int) error {
	if c != nil && (*c < 0 || *c > 100) {
		return objectProblem(typ, id, "confidence outside 0-100")
	}
	return nil
}

// Custom properties: whatever an object has beyond the properties this
// package models (x_opencti_score, extensions, …) is kept as raw JSON and
// written back unchanged.

// decodeCustom returns the members of the JSON object data whose names are
// not known, or nil.
func decodeCustom(data []byte, known func(string) bool) (map[string]json.RawMessage, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	var custom map[string]json.RawMessage
	for k, v := range all {
		if known(k) {
			continue
		}
		if custom == nil {
			custom = make(map[string]json.RawMessage)
		}
		custom[k] = v
	}
	return custom, nil
}

// appendCustom adds the custom members, in name order, to the JSON object
// obj (which ends with '}'). Names that are known properties are refused:
// a custom property must not silently replace a modelled one.
func appendCustom(obj []byte, custom map[string]json.RawMessage, known func(string) bool) ([]byte, error) {
	if len(custom) == 0 {
		return obj, nil
	}
	keys := sortedKeys(custom)
	out := slices.Clip(obj[:len(obj)-1])
	empty := bytes.Equal(bytes.TrimSpace(out), []byte("{"))
	for _, k := range keys {
		if known(k) || k == "" {
			return nil, fmt.Errorf("stix: custom property %q collides with a standard one: %w", k, ErrInvalidObject)
		}
		v := custom[k]
		if !json.Valid(v) {
			return nil, fmt.Errorf("stix: custom property %q is not valid JSON: %w", k, ErrInvalidObject)
		}
		if !empty {
			out = append(out, ',')
		}
		empty = false
		name, _ := json.Marshal(k)
		out = append(out, name...)
		out = append(out, ':')
		var buf bytes.Buffer
		if err := json.Compact(&buf, v); err != nil {
			return nil, err
		}
		out = append(out, buf.Bytes()...)
	}
	return append(out, '}'), nil
}

// isCommonProperty reports the properties shared by all SDOs and SROs.
func isCommonProperty(k string) bool {
	switch k {
	case "type", "spec_version", "id", "created_by_ref", "created", "modified",
		"revoked", "labels", "confidence", "external_references", "object_marking_refs":
		return true
	}
	return false
}

// Common holds the properties shared by STIX domain and relationship
// objects, read from any object of a bundle.
type Common struct {
	Type               string
	ID                 string
	SpecVersion        string
	Created, Modified  time.Time
	CreatedByRef       string
	Revoked            bool
	Labels             []string
	Confidence         *int
	ExternalReferences []ExternalReference
	ObjectMarkingRefs  []string
	// Custom holds the x_ properties, e.g. x_opencti_score. Other
	// properties specific to the object's type are not in Common.
	Custom map[string]json.RawMessage
}

// sdoHead and sdoTail are the wire form of the common properties, split so
// that an object's own properties are written between them, in the order
// the specification lists them.
type sdoHead struct {
	Type         string     `json:"type"`
	SpecVersion  string     `json:"spec_version"`
	ID           string     `json:"id"`
	CreatedByRef string     `json:"created_by_ref,omitempty"`
	Created      *timestamp `json:"created"`
	Modified     *timestamp `json:"modified"`
}

type sdoTail struct {
	Revoked            bool                `json:"revoked,omitempty"`
	Labels             []string            `json:"labels,omitempty"`
	Confidence         *int                `json:"confidence,omitempty"`
	ExternalReferences []ExternalReference `json:"external_references,omitempty"`
	ObjectMarkingRefs  []string            `json:"object_marking_refs,omitempty"`
}

func (c Common) head() sdoHead {
	return sdoHead{Type: c.Type, SpecVersion: SpecVersion, ID: c.ID, CreatedByRef: c.CreatedByRef,
		Created: optTime(c.Created), Modified: optTime(c.Modified)}
}

func (c Common) tail() sdoTail {
	return sdoTail{Revoked: c.Revoked, Labels: c.Labels, Confidence: c.Confidence,
		ExternalReferences: c.ExternalReferences, ObjectMarkingRefs: c.ObjectMarkingRefs}
}

// check validates the common properties of an object of type typ.
func (c Common) check(typ string) error {
	if err := checkID(typ, c.ID, typ); err != nil {
		return err
	}
	if err := checkCreatedModified(typ, c.ID, c.Created, c.Modified); err != nil {
		return err
	}
	if err := checkConfidence(typ, c.ID, c.Confidence); err != nil {
		return err
	}
	if err := checkExternalReferences(typ, c.ID, c.ExternalReferences); err != nil {
		return err
	}
	return checkRefs(typ, c.ID, c.CreatedByRef, c.ObjectMarkingRefs)
}

func decodeCommon(data []byte) (Common, error) {
	var w struct {
		sdoHead
		sdoTail
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return Common{}, fmt.Errorf("stix: decode object: %w", err)
	}
	custom, err := decodeCustom(data, func(k string) bool { return len(k) < 2 || k[:2] != "x_" })
	if err != nil {
		return Common{}, fmt.Errorf("stix: decode object: %w", err)
	}
	return Common{
		Type: w.Type, ID: w.ID, SpecVersion: w.SpecVersion,
		Created: fromOptTime(w.Created), Modified: fromOptTime(w.Modified),
		CreatedByRef: w.CreatedByRef, Revoked: w.Revoked, Labels: w.Labels, Confidence: w.Confidence,
		ExternalReferences: w.ExternalReferences, ObjectMarkingRefs: w.ObjectMarkingRefs,
		Custom: custom,
	}, nil
}

// checkType checks the type property of a decoded object.
func checkType(got, want string) error {
	if got != want {
		return fmt.Errorf("stix: object of type %q is not a %s: %w", shorten(got, maxErrorValue), want, ErrInvalidObject)
	}
	return nil
}
