package stix

import (
	"encoding/json"
	"fmt"
	"time"
)

// marshalObject writes wire and appends the custom properties.
func marshalObject(wire any, custom map[string]json.RawMessage, known func(string) bool) ([]byte, error) {
	b, err := json.Marshal(wire)
	if err != nil {
		return nil, err
	}
	return appendCustom(b, custom, known)
}

// unmarshalObject decodes data into wire, checks the type property and
// returns the custom properties.
func unmarshalObject(data []byte, wire any, gotType *string, want string, known func(string) bool) (map[string]json.RawMessage, error) {
	if err := json.Unmarshal(data, wire); err != nil {
		return nil, fmt.Errorf("stix: decode %s: %w", want, err)
	}
	if err := checkType(*gotType, want); err != nil {
		return nil, err
	}
	custom, err := decodeCustom(data, known)
	if err != nil {
		return nil, fmt.Errorf("stix: decode %s: %w", want, err)
	}
	return custom, nil
}

// Indicator is a STIX 2.1 indicator: a pattern that detects suspicious or
// malicious activity. Its JSON has type "indicator" and spec_version "2.1";
// timestamps are written with TimestampLayout.
type Indicator struct {
	ID                 string
	Created, Modified  time.Time
	Name, Description  string
	IndicatorTypes     []string
	Pattern            string
	PatternType        string // "stix" for STIX patterns
	PatternVersion     string
	ValidFrom          time.Time
	ValidUntil         time.Time // zero when absent
	KillChainPhases    []KillChainPhase
	Labels             []string
	Confidence         *int // nil when absent
	Revoked            bool
	ExternalReferences []ExternalReference
	CreatedByRef       string
	ObjectMarkingRefs  []string
	// Custom holds the properties not modelled above, as raw JSON: the x_
	// properties (x_opencti_score, x_mitre_platforms, …) and standard ones
	// such as lang or granular_markings. Decoding fills it, encoding writes
	// it back.
	Custom map[string]json.RawMessage
}

type indicatorJSON struct {
	sdoHead
	Name            string           `json:"name,omitempty"`
	Description     string           `json:"description,omitempty"`
	IndicatorTypes  []string         `json:"indicator_types,omitempty"`
	Pattern         string           `json:"pattern"`
	PatternType     string           `json:"pattern_type"`
	PatternVersion  string           `json:"pattern_version,omitempty"`
	ValidFrom       timestamp        `json:"valid_from"`
	ValidUntil      *timestamp       `json:"valid_until,omitempty"`
	KillChainPhases []KillChainPhase `json:"kill_chain_phases,omitempty"`
	sdoTail
}

func isIndicatorProperty(k string) bool {
	switch k {
	case "name", "description", "indicator_types", "pattern", "pattern_type",
		"pattern_version", "valid_from", "valid_until", "kill_chain_phases":
		return true
	}
	return isCommonProperty(k)
}

// Validate checks what STIX requires of an indicator: an indicator--
// identifier, created ≤ modified, a pattern and pattern_type, valid_from
// before valid_until, confidence 0–100, well-formed references and kill
// chain phases. MarshalJSON calls it.
func (ind Indicator) Validate() error {
	const typ = "indicator"
	if err := ind.common().check(typ); err != nil {
		return err
	}
	switch {
	case ind.Pattern == "":
		return objectProblem(typ, ind.ID, "no pattern")
	case ind.PatternType == "":
		return objectProblem(typ, ind.ID, "no pattern_type")
	case ind.ValidFrom.IsZero():
		return objectProblem(typ, ind.ID, "no valid_from")
	case !ind.ValidUntil.IsZero() && !ind.ValidUntil.After(ind.ValidFrom):
		return objectProblem(typ, ind.ID, "valid_until is not after valid_from")
	}
	for _, k := range ind.KillChainPhases {
		if k.KillChainName == "" || k.PhaseName == "" {
			return objectProblem(typ, ind.ID, "kill chain phase without kill_chain_name or phase_name")
		}
	}
	return nil
}

func (ind Indicator) common() Common {
	return Common{
		Type: "indicator", ID: ind.ID, Created: ind.Created, Modified: ind.Modified,
		CreatedByRef: ind.CreatedByRef, Revoked: ind.Revoked, Labels: ind.Labels, Confidence: ind.Confidence,
		ExternalReferences: ind.ExternalReferences, ObjectMarkingRefs: ind.ObjectMarkingRefs,
	}
}

// MarshalJSON writes the STIX object after Validate.
func (ind Indicator) MarshalJSON() ([]byte, error) {
	if err := ind.Validate(); err != nil {
		return nil, err
	}
	c := ind.common()
	return marshalObject(indicatorJSON{
		sdoHead: c.head(), sdoTail: c.tail(),
		Name: ind.Name, Description: ind.Description, IndicatorTypes: ind.IndicatorTypes,
		Pattern: ind.Pattern, PatternType: ind.PatternType, PatternVersion: ind.PatternVersion,
		ValidFrom: timestamp(ind.ValidFrom), ValidUntil: optTime(ind.ValidUntil),
		KillChainPhases: ind.KillChainPhases,
	}, ind.Custom, isIndicatorProperty)
}

// UnmarshalJSON reads an indicator. It requires type "indicator" and
// well-formed timestamps; other requirements are left to Validate, so
// that incomplete data from a third party can still be read.
func (ind *Indicator) UnmarshalJSON(data []byte) error {
	var w indicatorJSON
	custom, err := unmarshalObject(data, &w, &w.Type, "indicator", isIndicatorProperty)
	if err != nil {
		return err
	}
	*ind = Indicator{
		ID: w.ID, Created: fromOptTime(w.Created), Modified: fromOptTime(w.Modified),
		Name: w.Name, Description: w.Description, IndicatorTypes: w.IndicatorTypes,
		Pattern: w.Pattern, PatternType: w.PatternType, PatternVersion: w.PatternVersion,
		ValidFrom: time.Time(w.ValidFrom), ValidUntil: fromOptTime(w.ValidUntil),
		KillChainPhases: w.KillChainPhases, Labels: w.Labels, Confidence: w.Confidence,
		Revoked: w.Revoked, ExternalReferences: w.ExternalReferences, CreatedByRef: w.CreatedByRef,
		ObjectMarkingRefs: w.ObjectMarkingRefs, Custom: custom,
	}
	return nil
}

// Relationship is a STIX 2.1 relationship between two objects, e.g. an
// indicator "based-on" an observable.
type Relationship struct {
	ID                 string
	RelationshipType   string // "based-on", "indicates", "related-to", …
	Description        string
	SourceRef          string
	TargetRef          string
	Created, Modified  time.Time
	CreatedByRef       string
	Labels             []string
	Confidence         *int
	Revoked            bool
	ExternalReferences []ExternalReference
	ObjectMarkingRefs  []string
	Custom             map[string]json.RawMessage // properties not modelled above
}

type relationshipJSON struct {
	sdoHead
	RelationshipType string `json:"relationship_type"`
	Description      string `json:"description,omitempty"`
	SourceRef        string `json:"source_ref"`
	TargetRef        string `json:"target_ref"`
	sdoTail
}

func isRelationshipProperty(k string) bool {
	switch k {
	case "relationship_type", "description", "source_ref", "target_ref":
		return true
	}
	return isCommonProperty(k)
}

// Validate checks the identifiers, the relationship type (lower-case
// letters, digits and hyphens) and the timestamps.
func (r Relationship) Validate() error {
	const typ = "relationship"
	if err := r.common().check(typ); err != nil {
		return err
	}
	if r.RelationshipType == "" || !isRelationshipType(r.RelationshipType) {
		return objectProblem(typ, r.ID, "relationship_type must be lower-case letters, digits and hyphens")
	}
	for _, ref := range [...]struct{ name, id string }{{"source_ref", r.SourceRef}, {"target_ref", r.TargetRef}} {
		if err := checkID(typ+" "+r.ID+" "+ref.name, ref.id, ""); err != nil {
			return err
		}
		switch t, _, _ := ParseID(ref.id); t {
		case "relationship", "sighting", "bundle", "marking-definition", "language-content":
			return objectProblem(typ, r.ID, ref.name+" cannot refer to a "+t)
		}
	}
	return nil
}

func (r Relationship) common() Common {
	return Common{
		Type: "relationship", ID: r.ID, Created: r.Created, Modified: r.Modified,
		CreatedByRef: r.CreatedByRef, Revoked: r.Revoked, Labels: r.Labels, Confidence: r.Confidence,
		ExternalReferences: r.ExternalReferences, ObjectMarkingRefs: r.ObjectMarkingRefs,
	}
}

func isRelationshipType(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// MarshalJSON writes the STIX object after Validate.
func (r Relationship) MarshalJSON() ([]byte, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	c := r.common()
	return marshalObject(relationshipJSON{
		sdoHead: c.head(), sdoTail: c.tail(),
		RelationshipType: r.RelationshipType, Description: r.Description,
		SourceRef: r.SourceRef, TargetRef: r.TargetRef,
	}, r.Custom, isRelationshipProperty)
}

// UnmarshalJSON reads a relationship (type "relationship").
func (r *Relationship) UnmarshalJSON(data []byte) error {
	var w relationshipJSON
	custom, err := unmarshalObject(data, &w, &w.Type, "relationship", isRelationshipProperty)
	if err != nil {
		return err
	}
	*r = Relationship{
		ID: w.ID, RelationshipType: w.RelationshipType, Description: w.Description,
		SourceRef: w.SourceRef, TargetRef: w.TargetRef,
		Created: fromOptTime(w.Created), Modified: fromOptTime(w.Modified), CreatedByRef: w.CreatedByRef,
		Labels: w.Labels, Confidence: w.Confidence, Revoked: w.Revoked,
		ExternalReferences: w.ExternalReferences, ObjectMarkingRefs: w.ObjectMarkingRefs, Custom: custom,
	}
	return nil
}

// MarkingDefinition is a STIX 2.1 marking definition, such as a TLP level
// ({"tlp": "amber"}) or OpenCTI's {"TLP": "TLP:AMBER"} with definition type
// "TLP".
type MarkingDefinition struct {
	ID             string
	Name           string
	DefinitionType string
	Definition     map[string]string
	Created        time.Time
	CreatedByRef   string
	// Custom holds the properties not modelled above (extensions,
	// x_opencti_color, …).
	Custom map[string]json.RawMessage
}

type markingJSON struct {
	Type           string            `json:"type"`
	SpecVersion    string            `json:"spec_version"`
	ID             string            `json:"id"`
	CreatedByRef   string            `json:"created_by_ref,omitempty"`
	Created        timestamp         `json:"created"`
	Name           string            `json:"name,omitempty"`
	DefinitionType string            `json:"definition_type,omitempty"`
	Definition     map[string]string `json:"definition,omitempty"`
}

func isMarkingProperty(k string) bool {
	switch k {
	case "type", "spec_version", "id", "created_by_ref", "created", "name", "definition_type", "definition":
		return true
	}
	return false
}

// Validate checks the identifier and the created time, and that a marking
// has a definition type and a definition unless it uses extensions.
func (m MarkingDefinition) Validate() error {
	const typ = "marking-definition"
	if err := checkID(typ, m.ID, typ); err != nil {
		return err
	}
	if m.Created.IsZero() {
		return objectProblem(typ, m.ID, "no created time")
	}
	if _, ext := m.Custom["extensions"]; !ext && (m.DefinitionType == "" || len(m.Definition) == 0) {
		return objectProblem(typ, m.ID, "needs definition_type and definition (or extensions)")
	}
	return checkRefs(typ, m.ID, m.CreatedByRef, nil)
}

// MarshalJSON writes the STIX object after Validate.
func (m MarkingDefinition) MarshalJSON() ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return marshalObject(markingJSON{
		Type: "marking-definition", SpecVersion: SpecVersion, ID: m.ID, CreatedByRef: m.CreatedByRef,
		Created: timestamp(m.Created), Name: m.Name, DefinitionType: m.DefinitionType, Definition: m.Definition,
	}, m.Custom, isMarkingProperty)
}

// UnmarshalJSON reads a marking definition (type "marking-definition").
// Definition values must be strings, as in TLP and statement markings.
func (m *MarkingDefinition) UnmarshalJSON(data []byte) error {
	var w markingJSON
	custom, err := unmarshalObject(data, &w, &w.Type, "marking-definition", isMarkingProperty)
	if err != nil {
		return err
	}
	*m = MarkingDefinition{
		ID: w.ID, Name: w.Name, DefinitionType: w.DefinitionType, Definition: w.Definition,
		Created: time.Time(w.Created), CreatedByRef: w.CreatedByRef, Custom: custom,
	}
	return nil
}

// Identity is a STIX 2.1 identity: the author of objects (created_by_ref).
type Identity struct {
	ID                string
	Name              string
	Description       string
	IdentityClass     string // "organization", "individual", …
	Created, Modified time.Time
	Custom            map[string]json.RawMessage // properties not modelled above
}

type identityJSON struct {
	Type          string    `json:"type"`
	SpecVersion   string    `json:"spec_version"`
	ID            string    `json:"id"`
	Created       timestamp `json:"created"`
	Modified      timestamp `json:"modified"`
	Name          string    `json:"name"`
	Description   string    `json:"description,omitempty"`
	IdentityClass string    `json:"identity_class,omitempty"`
}

func isIdentityProperty(k string) bool {
	switch k {
	case "type", "spec_version", "id", "created", "modified", "name", "description", "identity_class":
		return true
	}
	return false
}

// Validate checks the identifier, the timestamps and the name.
func (i Identity) Validate() error {
	const typ = "identity"
	if err := checkID(typ, i.ID, typ); err != nil {
		return err
	}
	if err := checkCreatedModified(typ, i.ID, i.Created, i.Modified); err != nil {
		return err
	}
	if i.Name == "" {
		return objectProblem(typ, i.ID, "no name")
	}
	return nil
}

// MarshalJSON writes the STIX object after Validate.
func (i Identity) MarshalJSON() ([]byte, error) {
	if err := i.Validate(); err != nil {
		return nil, err
	}
	return marshalObject(identityJSON{
		Type: "identity", SpecVersion: SpecVersion, ID: i.ID,
		Created: timestamp(i.Created), Modified: timestamp(i.Modified),
		Name: i.Name, Description: i.Description, IdentityClass: i.IdentityClass,
	}, i.Custom, isIdentityProperty)
}

// UnmarshalJSON reads an identity (type "identity").
func (i *Identity) UnmarshalJSON(data []byte) error {
	var w identityJSON
	custom, err := unmarshalObject(data, &w, &w.Type, "identity", isIdentityProperty)
	if err != nil {
		return err
	}
	*i = Identity{
		ID: w.ID, Name: w.Name, Description: w.Description, IdentityClass: w.IdentityClass,
		Created: time.Time(w.Created), Modified: time.Time(w.Modified), Custom: custom,
	}
	return nil
}
