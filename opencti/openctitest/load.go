package openctitest

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// ErrInvalidBundle is matched by errors.Is for every bundle NewServer and
// NewHandler refuse; the message names the object at fault and says why.
var ErrInvalidBundle = errors.New("openctitest: invalid bundle")

func bundleError(id, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if id != "" {
		return fmt.Errorf("%w: %s: %s", ErrInvalidBundle, id, msg)
	}
	return fmt.Errorf("%w: %s", ErrInvalidBundle, msg)
}

// loadBundle turns a bundle into the store the fake serves.
//
// What is served: the observables of package stix's types, indicators, and
// the relationships between them; identities and marking definitions as
// the createdBy and objectMarking of those. Objects of other types (reports,
// malware, sightings, …) are accepted and not served, and so are
// relationships with such an object at one end.
//
// What is refused: an object the stix package cannot decode (an invalid
// observable value, an indicator without pattern, …), two objects with the
// same id or, for observables, the same value, and references that do not
// resolve inside the bundle: created_by_ref to anything but an identity,
// object_marking_refs to anything but a marking definition, a relationship
// whose source or target is not in the bundle.
//
// Indicator patterns are served as they are, even when they do not parse:
// OpenCTI holds such indicators too (other pattern types, older imports),
// and clients must cope with them.
func loadBundle(b *stix.Bundle) (*store, error) {
	if b == nil {
		return nil, bundleError("", "no bundle")
	}
	objs := make(map[string]*stix.Object, len(b.Objects))
	for i := range b.Objects {
		o := &b.Objects[i]
		if _, dup := objs[o.ID]; dup {
			return nil, bundleError(o.ID, "the id appears twice")
		}
		objs[o.ID] = o
	}
	l := &loader{
		objs:       objs,
		identities: map[string]*identity{},
		markings:   map[string]*marking{},
		s:          &store{byID: map[string]node{}},
		fallback:   latestTimestamp(b),
	}
	// Identities and markings first: the other objects point to them.
	for _, o := range b.Objects {
		var err error
		switch o.Type {
		case "identity":
			err = l.addIdentity(o)
		case "marking-definition":
			err = l.addMarking(o)
		}
		if err != nil {
			return nil, err
		}
	}
	for _, o := range b.Objects {
		var err error
		switch {
		case entityTypes[o.Type] != "":
			err = l.addObservable(o)
		case o.Type == "indicator":
			err = l.addIndicator(o)
		}
		if err != nil {
			return nil, err
		}
	}
	for _, o := range b.Objects {
		if o.Type == "relationship" {
			if err := l.addRelationship(o); err != nil {
				return nil, err
			}
		}
	}
	return l.s, nil
}

type loader struct {
	objs       map[string]*stix.Object
	identities map[string]*identity
	markings   map[string]*marking
	s          *store
	fallback   time.Time // created_at of objects without timestamps
}

// latestTimestamp is the newest created or modified time in the bundle: the
// time the bundle could have been imported, used as created_at of objects
// that have no timestamp of their own (observables). Zero when none.
func latestTimestamp(b *stix.Bundle) time.Time {
	var latest time.Time
	for _, o := range b.Objects {
		var ts struct {
			Created, Modified string
		}
		if json.Unmarshal(o.Raw(), &ts) != nil {
			continue
		}
		for _, s := range []string{ts.Created, ts.Modified} {
			if t, err := stix.ParseTimestamp(s); err == nil && t.After(latest) {
				latest = t
			}
		}
	}
	return latest
}

// props gives access to an object's properties under the names OpenCTI
// uses in its exports: top-level x_opencti_ properties, or the same data in
// a property extension (OpenCTI's extension-definition--ea279b3e-… and
// extension-definition--f93e2c80-…).
type props struct {
	top  map[string]json.RawMessage
	exts []map[string]json.RawMessage
}

func readProps(o stix.Object) (props, error) {
	var p props
	if err := json.Unmarshal(o.Raw(), &p.top); err != nil {
		return p, bundleError(o.ID, "%v", err)
	}
	if raw, ok := p.top["extensions"]; ok {
		var exts map[string]map[string]json.RawMessage
		if err := json.Unmarshal(raw, &exts); err != nil {
			return p, bundleError(o.ID, "extensions: %v", err)
		}
		for _, k := range sortedKeys(exts) {
			p.exts = append(p.exts, exts[k])
		}
	}
	return p, nil
}

// get returns the first of the top-level names present, else the first of
// the extension names present in an extension.
func (p props) get(top []string, ext []string) (json.RawMessage, bool) {
	for _, k := range top {
		if v, ok := p.top[k]; ok && string(v) != "null" {
			return v, true
		}
	}
	for _, e := range p.exts {
		for _, k := range ext {
			if v, ok := e[k]; ok && string(v) != "null" {
				return v, true
			}
		}
	}
	return nil, false
}

func (p props) decode(id, what string, top, ext []string, v any) (bool, error) {
	raw, ok := p.get(top, ext)
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return false, bundleError(id, "%s: %v", what, err)
	}
	return true, nil
}

// integer reads a number, or a numeric string as some exports write scores.
func (p props) integer(id, what string, top, ext []string) (*int, error) {
	raw, ok := p.get(top, ext)
	if !ok {
		return nil, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, bundleError(id, "%s is not a number: %s", what, raw)
		}
		n = json.Number(s)
	}
	v, err := strconv.Atoi(string(n))
	if err != nil {
		return nil, bundleError(id, "%s is not an integer: %s", what, raw)
	}
	return &v, nil
}

func (p props) str(id, what string, top, ext []string) (*string, error) {
	var s string
	ok, err := p.decode(id, what, top, ext, &s)
	if !ok || err != nil {
		return nil, err
	}
	return &s, nil
}

func (p props) time(id, what string, top, ext []string) (*time.Time, error) {
	s, err := p.str(id, what, top, ext)
	if s == nil || err != nil {
		return nil, err
	}
	t, err := stix.ParseTimestamp(*s)
	if err != nil {
		return nil, bundleError(id, "%s: %v", what, err)
	}
	return &t, nil
}

// decodeObject decodes o with decode, validates it as package stix does,
// and reads its properties.
func decodeObject[T interface{ Validate() error }](o stix.Object, decode func() (T, error)) (T, props, error) {
	v, err := decode()
	if err == nil {
		err = v.Validate()
	}
	if err != nil {
		return v, props{}, bundleError(o.ID, "%v", err)
	}
	p, err := readProps(o)
	return v, p, err
}

func (l *loader) addIdentity(o stix.Object) error {
	v, p, err := decodeObject(o, o.Identity)
	if err != nil {
		return err
	}
	l.identities[o.ID] = &identity{
		internalID: internalID(o.ID, p),
		standardID: o.ID,
		name:       v.Name,
		class:      v.IdentityClass,
	}
	return nil
}

// Extension definition of TLP 2.0 markings in STIX.
const tlp2Extension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

func (l *loader) addMarking(o stix.Object) error {
	v, err := o.MarkingDefinition()
	if err != nil {
		return bundleError(o.ID, "%v", err)
	}
	p, err := readProps(o)
	if err != nil {
		return err
	}
	m := &marking{internalID: internalID(o.ID, p), standardID: o.ID}
	// OpenCTI shows a marking as a type and a text: "TLP" and "TLP:AMBER",
	// "statement" and its text. STIX writes TLP 1.0 as {"tlp": "amber"}
	// and TLP 2.0 as an extension with the name "TLP:AMBER".
	dt, _ := p.str(o.ID, "x_opencti_definition_type", []string{"x_opencti_definition_type"}, nil)
	def, _ := p.str(o.ID, "x_opencti_definition", []string{"x_opencti_definition"}, nil)
	switch {
	case dt != nil && def != nil:
		m.definitionType, m.definition = *dt, *def
	case strings.EqualFold(v.DefinitionType, "tlp") && v.Definition["tlp"] != "":
		m.definitionType, m.definition = "TLP", "TLP:"+strings.ToUpper(v.Definition["tlp"])
	case v.DefinitionType == "" && hasExtension(p, tlp2Extension) && v.Name != "":
		m.definitionType, m.definition = "TLP", v.Name
	default:
		m.definitionType = v.DefinitionType
		switch {
		case v.Name != "":
			m.definition = v.Name
		case len(v.Definition) == 1:
			for _, d := range v.Definition {
				m.definition = d
			}
		default:
			return bundleError(o.ID, "cannot tell how OpenCTI would name this marking: it has no name and %d definition values", len(v.Definition))
		}
	}
	if m.definitionType == "" || m.definition == "" {
		return bundleError(o.ID, "marking definition without a type or a definition")
	}
	l.markings[o.ID] = m
	return nil
}

func hasExtension(p props, id string) bool {
	var exts map[string]json.RawMessage
	if raw, ok := p.top["extensions"]; ok && json.Unmarshal(raw, &exts) == nil {
		_, ok := exts[id]
		return ok
	}
	return false
}

// common fills the parts of an entity every served object has, from the
// properties shared by observables and indicators.
func (l *loader) common(o stix.Object, p props, e *entity) error {
	e.internalID = internalID(o.ID, p)
	e.bundleID = o.ID
	if e.standardID == "" {
		e.standardID = o.ID
	}
	e.stixIDs = []string{o.ID}
	if e.standardID != o.ID {
		e.stixIDs = []string{e.standardID, o.ID}
	}

	var created, modified *time.Time
	var err error
	if created, err = p.time(o.ID, "created", []string{"created"}, nil); err != nil {
		return err
	}
	if modified, err = p.time(o.ID, "modified", []string{"modified"}, nil); err != nil {
		return err
	}
	createdAt, err := p.time(o.ID, "created_at", nil, []string{"created_at"})
	if err != nil {
		return err
	}
	updatedAt, err := p.time(o.ID, "updated_at", nil, []string{"updated_at"})
	if err != nil {
		return err
	}
	e.createdAt = firstTime(createdAt, created, &l.fallback)
	e.updatedAt = firstTime(updatedAt, modified, &e.createdAt)

	var by string
	if _, err := p.decode(o.ID, "created_by_ref", []string{"created_by_ref", "x_opencti_created_by_ref"}, []string{"created_by_ref"}, &by); err != nil {
		return err
	}
	if by != "" {
		e.createdBy = l.identities[by]
		if e.createdBy == nil {
			return l.danglingRef(o.ID, "created_by_ref", by, "an identity")
		}
	}
	var refs []string
	if _, err := p.decode(o.ID, "object_marking_refs", []string{"object_marking_refs"}, []string{"object_marking_refs"}, &refs); err != nil {
		return err
	}
	for _, r := range refs {
		m := l.markings[r]
		if m == nil {
			return l.danglingRef(o.ID, "object_marking_refs", r, "a marking definition")
		}
		if !slices.Contains(e.markings, m) {
			e.markings = append(e.markings, m)
		}
	}
	if _, err := p.decode(o.ID, "labels", []string{"labels", "x_opencti_labels"}, []string{"labels"}, &e.labels); err != nil {
		return err
	}
	if _, err := p.decode(o.ID, "external_references", []string{"external_references", "x_opencti_external_references"}, []string{"external_references"}, &e.extRefs); err != nil {
		return err
	}
	for _, r := range e.extRefs {
		if r.SourceName == "" {
			return bundleError(o.ID, "an external reference has no source_name")
		}
	}
	return nil
}

func (l *loader) danglingRef(id, prop, ref, want string) error {
	if o, ok := l.objs[ref]; ok {
		return bundleError(id, "%s %s is a %s, not %s", prop, ref, o.Type, want)
	}
	return bundleError(id, "%s %s is not in the bundle", prop, ref)
}

func firstTime(ts ...*time.Time) time.Time {
	for _, t := range ts {
		if t != nil && !t.IsZero() {
			return *t
		}
	}
	return time.Time{}
}

// index makes n findable by each of its ids; an id already taken means two
// objects that OpenCTI would have merged into one.
func (l *loader) index(n node) error {
	e := n.base()
	for _, id := range append([]string{e.internalID}, e.stixIDs...) {
		if prev, ok := l.s.byID[id]; ok && prev != n {
			return bundleError(e.bundleID, "it is the same object as %s (both have the id %s)", prev.base().bundleID, id)
		}
		l.s.byID[id] = n
	}
	return nil
}

func (l *loader) addObservable(o stix.Object) error {
	v, err := o.Observable()
	if err != nil {
		return bundleError(o.ID, "%v", err)
	}
	p, err := readProps(o)
	if err != nil {
		return err
	}
	et := entityTypes[v.Type()]
	ob := &observable{}
	ob.entityType = et
	ob.parents = observableParents
	// OpenCTI computes the standard id of an observable from its value, as
	// STIX does; the bundle's id is kept as one of its STIX ids.
	ob.standardID = v.ID()
	if err := l.common(o, p, &ob.entity); err != nil {
		return err
	}
	switch v := v.(type) {
	case stix.File:
		ob.name = v.Name()
		if n, ok := v.Size(); ok {
			ob.size = &n
		}
		if ob.hashes, err = fileHashes(o.ID, p); err != nil {
			return err
		}
	case interface{ Value() string }:
		ob.value = v.Value()
	}
	if ob.score, err = p.integer(o.ID, "x_opencti_score", []string{"x_opencti_score"}, []string{"score"}); err != nil {
		return err
	}
	if ob.description, err = p.str(o.ID, "x_opencti_description", []string{"x_opencti_description", "description"}, []string{"description"}); err != nil {
		return err
	}
	ob.ordinal = len(l.s.observables)
	if err := l.index(ob); err != nil {
		return err
	}
	l.s.observables = append(l.s.observables, ob)
	return nil
}

// fileHashes reads every hash of a file, also the algorithms package stix
// does not model (SHA3-256, SSDEEP, TLSH, …): the four of package stix
// under their STIX names with lower-case values, in canonical order, then
// the others as written, sorted by name.
func fileHashes(id string, p props) ([]hash, error) {
	var raw map[string]string
	if _, err := p.decode(id, "hashes", []string{"hashes"}, nil, &raw); err != nil {
		return nil, err
	}
	var known, other []hash
	for _, k := range sortedKeys(raw) {
		if alg, err := stix.ParseHashAlgorithm(k); err == nil {
			known = append(known, hash{string(alg), strings.ToLower(raw[k])})
		} else {
			other = append(other, hash{k, raw[k]})
		}
	}
	order := map[string]int{"MD5": 0, "SHA-1": 1, "SHA-256": 2, "SHA-512": 3}
	sort.SliceStable(known, func(i, j int) bool { return order[known[i].algorithm] < order[known[j].algorithm] })
	return append(known, other...), nil
}

func (l *loader) addIndicator(o stix.Object) error {
	v, p, err := decodeObject(o, o.Indicator)
	if err != nil {
		return err
	}
	in := &indicator{
		name:            v.Name,
		pattern:         v.Pattern,
		patternType:     v.PatternType,
		indicatorTypes:  v.IndicatorTypes,
		revoked:         v.Revoked,
		confidence:      v.Confidence,
		killChainPhases: v.KillChainPhases,
		created:         v.Created,
		modified:        v.Modified,
	}
	in.entityType = "Indicator"
	in.parents = indicatorParents
	if err := l.common(o, p, &in.entity); err != nil {
		return err
	}
	if in.name == "" {
		in.name = v.Pattern // OpenCTI requires a name and defaults to the pattern
	}
	if v.Description != "" {
		in.description = &v.Description
	}
	if v.PatternVersion != "" {
		in.patternVersion = &v.PatternVersion
	}
	if !v.ValidFrom.IsZero() {
		in.validFrom = &v.ValidFrom
	}
	if !v.ValidUntil.IsZero() {
		in.validUntil = &v.ValidUntil
	}
	if in.score, err = p.integer(o.ID, "x_opencti_score", []string{"x_opencti_score"}, []string{"score"}); err != nil {
		return err
	}
	var detection bool
	if ok, err := p.decode(o.ID, "x_opencti_detection", []string{"x_opencti_detection"}, []string{"detection"}, &detection); err != nil {
		return err
	} else if ok {
		in.detection = &detection
	}
	if mt, err := p.str(o.ID, "x_opencti_main_observable_type", []string{"x_opencti_main_observable_type"}, []string{"main_observable_type"}); err != nil {
		return err
	} else if mt != nil {
		in.mainObservableType = *mt
	} else {
		in.mainObservableType = mainObservableType(v.Pattern, v.PatternType)
	}
	if _, err := p.decode(o.ID, "x_mitre_platforms", []string{"x_mitre_platforms"}, []string{"x_mitre_platforms"}, &in.platforms); err != nil {
		return err
	}
	in.ordinal = len(l.s.indicators)
	if err := l.index(in); err != nil {
		return err
	}
	l.s.indicators = append(l.s.indicators, in)
	return nil
}

// mainObservableType is the entity type of the objects a STIX pattern
// compares, when they are all of one type the fake serves; "Unknown"
// otherwise (as OpenCTI shows an indicator whose type it cannot tell).
func mainObservableType(pattern, patternType string) string {
	if patternType != "stix" {
		return "Unknown"
	}
	p, err := stix.ParsePattern(pattern)
	if err != nil {
		return "Unknown"
	}
	t := ""
	for _, c := range p.Comparisons() {
		et := entityTypes[c.Path.ObjectType]
		if et == "" || (t != "" && t != et) {
			return "Unknown"
		}
		t = et
	}
	if t == "" {
		return "Unknown"
	}
	return t
}

func (l *loader) addRelationship(o stix.Object) error {
	v, p, err := decodeObject(o, o.Relationship)
	if err != nil {
		return err
	}
	for _, ref := range []struct{ name, id string }{{"source_ref", v.SourceRef}, {"target_ref", v.TargetRef}} {
		if _, ok := l.objs[ref.id]; !ok {
			return bundleError(o.ID, "%s %s is not in the bundle", ref.name, ref.id)
		}
	}
	from, to := l.s.byID[v.SourceRef], l.s.byID[v.TargetRef]
	if from == nil || to == nil {
		return nil // an end the fake does not serve
	}
	r := &relationship{relationshipType: v.RelationshipType, from: from, to: to}
	// OpenCTI's entity_type of a relationship is its relationship type.
	r.entityType = v.RelationshipType
	r.parents = []string{"basic-relationship", "stix-relationship", "stix-core-relationship"}
	if err := l.common(o, p, &r.entity); err != nil {
		return err
	}
	if v.Description != "" {
		r.description = &v.Description
	}
	r.ordinal = len(l.s.relationships)
	l.s.relationships = append(l.s.relationships, r)
	from.base().relations = append(from.base().relations, r)
	if to != from {
		to.base().relations = append(to.base().relations, r)
	}
	if v.RelationshipType == "based-on" {
		in, isInd := from.(*indicator)
		ob, isObs := to.(*observable)
		if !isInd || !isObs {
			return bundleError(o.ID, "a based-on relationship goes from an indicator to an observable, not from %s to %s", v.SourceRef, v.TargetRef)
		}
		if !slices.Contains(ob.indicators, in) {
			ob.indicators = append(ob.indicators, in)
		}
	}
	return nil
}

// internalID is the UUID OpenCTI would show as id: the one an OpenCTI export
// carries in its property extension, else one derived from the STIX id so
// that it is stable across runs and differs from the standard id, as on a
// real server.
func internalID(stixID string, p props) string {
	var id string
	for _, e := range p.exts {
		if raw, ok := e["id"]; ok && json.Unmarshal(raw, &id) == nil && isUUID(id) {
			return id
		}
	}
	return uuid5(internalIDNamespace, stixID)
}

// isUUID reports whether s is a lower-case RFC 4122 UUID of version 1 to 8:
// xxxxxxxx-xxxx-Vxxx-Nxxx-xxxxxxxxxxxx. (A hand check rather than a regexp
// compiled at init: the integration binary links this package for its
// demo, and pays every package's init on each alert.)
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		case 14:
			if c < '1' || c > '8' {
				return false
			}
		case 19:
			if c != '8' && c != '9' && c != 'a' && c != 'b' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// internalIDNamespace is the namespace of the UUIDs derived from STIX ids,
// chosen for this package.
var internalIDNamespace = [16]byte{0x6f, 0x70, 0x65, 0x6e, 0x63, 0x74, 0x69, 0x74, 0x65, 0x73, 0x74, 0x2d, 0x69, 0x64, 0x73, 0x31}

// uuid5 is the name-based UUID of RFC 9562 (SHA-1, version 5).
func uuid5(ns [16]byte, name string) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
