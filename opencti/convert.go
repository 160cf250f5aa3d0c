package opencti

import (
	"encoding/json"
	"strings"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// accumulator turns pages of generated response types into the result.
type accumulator struct {
	q       *lookupQuery
	res     *LookupResult
	seenObs map[string]bool
	seenInd map[string]bool
}

func newAccumulator(q *lookupQuery, res *LookupResult) *accumulator {
	return &accumulator{q: q, res: res, seenObs: map[string]bool{}, seenInd: map[string]bool{}}
}

func (a *accumulator) addObservables(page observablePage) {
	for _, edge := range page.Edges {
		if edge.Node == nil || edge.Node.GetId() == "" || a.seenObs[edge.Node.GetId()] {
			continue
		}
		a.seenObs[edge.Node.GetId()] = true
		o := a.matched(edge.Node)
		o.Matches = a.q.observableMatches(&o)
		a.res.Observables = append(a.res.Observables, o)
	}
}

func (a *accumulator) addIndicators(page indicatorPage) {
	for _, edge := range page.Edges {
		if edge.Node.Id == "" || a.seenInd[edge.Node.Id] {
			continue
		}
		a.seenInd[edge.Node.Id] = true
		a.res.Indicators = append(a.res.Indicators, a.indicator(&edge.Node))
	}
}

// matched converts a matching observable with its indicators and relations.
func (a *accumulator) matched(n matchedObservable) Observable {
	o := Observable{
		ID:                 n.GetId(),
		StandardID:         n.GetStandardId(),
		EntityType:         n.GetEntityType(),
		ObservableValue:    n.GetObservableValue(),
		Description:        n.GetXOpenctiDescription(),
		Score:              n.GetXOpenctiScore(),
		CreatedAt:          n.GetCreatedAt(),
		UpdatedAt:          n.GetUpdatedAt(),
		Markings:           markings(n.GetObjectMarking()),
		ExternalReferences: a.externalReferences(n.GetExternalReferences()),
	}
	if by := n.GetCreatedBy(); by != nil {
		o.CreatedBy = &Identity{ID: by.Id, StandardID: by.StandardId, Name: by.Name}
	}
	for _, l := range n.GetObjectLabel() {
		if l.Value != "" {
			o.Labels = append(o.Labels, l.Value)
		}
	}
	if v, ok := n.(interface{ GetValue() string }); ok {
		o.Value = v.GetValue()
	}
	if f, ok := n.(*matchedObservableStixFile); ok {
		o.Name = f.Name
		if f.Size != nil {
			size := int64(*f.Size)
			o.Size = &size
		}
		for _, h := range f.Hashes {
			if h.Algorithm == "" || h.Hash == "" {
				continue
			}
			if o.Hashes == nil {
				o.Hashes = map[string]string{}
			}
			alg, value := normaliseHash(h.Algorithm, h.Hash)
			o.Hashes[alg] = value
		}
	}
	o.Indicators = a.indicators(n.GetIndicators())

	rels := n.GetStixCoreRelationships()
	if rels.PageInfo.HasNextPage {
		a.res.Truncated = true
	}
	seen := map[[2]string]bool{}
	for _, edge := range rels.Edges {
		r := edge.Node
		other, incoming := r.To, false
		if r.ToId == o.ID {
			other, incoming = r.From, true
		}
		fields, ok := other.(relatedFields)
		if !ok || fields.GetId() == "" || fields.GetId() == o.ID {
			continue
		}
		key := [2]string{r.RelationshipType, fields.GetId()}
		if seen[key] {
			continue
		}
		seen[key] = true
		related := Observable{
			ID:              fields.GetId(),
			StandardID:      fields.GetStandardId(),
			EntityType:      fields.GetEntityType(),
			ObservableValue: fields.GetObservableValue(),
			Score:           fields.GetXOpenctiScore(),
			Indicators:      a.indicators(fields.GetIndicators()),
		}
		if v, ok := other.(interface{ GetValue() string }); ok {
			related.Value = v.GetValue()
		}
		o.Related = append(o.Related, Relation{RelationshipType: r.RelationshipType, Incoming: incoming, Observable: related})
	}
	return o
}

// relatedFields are the getters every implementation of relatedEnd has.
type relatedFields interface {
	GetId() string
	GetStandardId() string
	GetEntityType() string
	GetObservableValue() string
	GetXOpenctiScore() *int
	GetIndicators() indicatorPage
}

// indicators converts the nested indicators of an observable.
func (a *accumulator) indicators(page indicatorPage) []Indicator {
	if page.PageInfo.HasNextPage {
		a.res.Truncated = true
	}
	var out []Indicator
	for _, edge := range page.Edges {
		if edge.Node.Id != "" {
			out = append(out, a.indicator(&edge.Node))
		}
	}
	return out
}

func (a *accumulator) indicator(n *indicatorFields) Indicator {
	i := Indicator{
		ID:                 n.Id,
		StandardID:         n.StandardId,
		Name:               n.Name,
		Description:        n.Description,
		Pattern:            n.Pattern,
		PatternType:        n.PatternType,
		PatternVersion:     n.PatternVersion,
		MainObservableType: n.XOpenctiMainObservableType,
		ValidFrom:          n.ValidFrom,
		ValidUntil:         n.ValidUntil,
		Revoked:            n.Revoked,
		Confidence:         n.Confidence,
		Score:              n.XOpenctiScore,
		Detection:          n.XOpenctiDetection,
		IndicatorTypes:     nonEmpty(n.IndicatorTypes),
		Platforms:          nonEmpty(n.XMitrePlatforms),
		Markings:           markings(n.ObjectMarking),
		ExternalReferences: a.externalReferences(n.ExternalReferences),
		Created:            n.Created,
		Modified:           n.Modified,
		CreatedAt:          n.CreatedAt,
		UpdatedAt:          n.UpdatedAt,
	}
	if n.CreatedBy != nil {
		i.CreatedBy = &Identity{ID: n.CreatedBy.Id, StandardID: n.CreatedBy.StandardId, Name: n.CreatedBy.Name}
	}
	for _, k := range n.KillChainPhases {
		i.KillChainPhases = append(i.KillChainPhases, stix.KillChainPhase{KillChainName: k.KillChainName, PhaseName: k.PhaseName})
	}
	for _, l := range n.ObjectLabel {
		if l.Value != "" {
			i.Labels = append(i.Labels, l.Value)
		}
	}
	if i.PatternType == "stix" {
		i.Matches = a.q.indicatorMatches(i.Pattern)
	}
	return i
}

func markings(in []markingFields) []Marking {
	var out []Marking
	for _, m := range in {
		if m.DefinitionType == "" && m.Definition == "" {
			continue
		}
		out = append(out, Marking{DefinitionType: m.DefinitionType, Definition: m.Definition, StandardID: m.StandardId})
	}
	return out
}

func (a *accumulator) externalReferences(in externalReferenceList) []ExternalReference {
	if in.PageInfo.HasNextPage {
		a.res.Truncated = true
	}
	var out []ExternalReference
	for _, e := range in.Edges {
		n := e.Node
		out = append(out, ExternalReference{SourceName: n.SourceName, Description: n.Description, URL: n.Url, ExternalID: n.ExternalId})
	}
	return out
}

// nonEmpty drops the empty strings a GraphQL list of nullable strings
// decodes its nulls to.
func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// normaliseHash spells the four algorithms of package stix as it does, with
// lower-case hex; other algorithms (SSDEEP, TLSH, …) are kept as given.
func normaliseHash(alg, value string) (string, string) {
	a, err := stix.ParseHashAlgorithm(alg)
	if err != nil {
		return alg, value
	}
	return string(a), strings.ToLower(strings.TrimSpace(value))
}

// STIX returns the indicator as a STIX 2.1 indicator. Its ID is the
// StandardID; created_by_ref and object_marking_refs are the STIX ids of the
// author and the markings; OpenCTI's own properties (x_opencti_score,
// x_opencti_detection, x_opencti_main_observable_type, x_mitre_platforms)
// go to Custom. Missing STIX times are filled in: created and modified from
// OpenCTI's created_at and updated_at, valid_from from created.
func (i Indicator) STIX() stix.Indicator {
	s := stix.Indicator{
		ID:              i.StandardID,
		Created:         i.Created,
		Modified:        i.Modified,
		Name:            i.Name,
		Description:     i.Description,
		IndicatorTypes:  i.IndicatorTypes,
		Pattern:         i.Pattern,
		PatternType:     i.PatternType,
		PatternVersion:  i.PatternVersion,
		ValidFrom:       i.ValidFrom,
		KillChainPhases: i.KillChainPhases,
		Labels:          i.Labels,
		Confidence:      i.Confidence,
		Revoked:         i.Revoked,
	}
	if s.Created.IsZero() {
		s.Created = i.CreatedAt
	}
	if s.Modified.IsZero() {
		s.Modified = i.UpdatedAt
	}
	if s.ValidFrom.IsZero() {
		s.ValidFrom = s.Created // STIX requires valid_from
	}
	if i.ValidUntil != nil {
		s.ValidUntil = *i.ValidUntil
	}
	if i.CreatedBy != nil {
		s.CreatedByRef = i.CreatedBy.StandardID
	}
	for _, m := range i.Markings {
		if m.StandardID != "" {
			s.ObjectMarkingRefs = append(s.ObjectMarkingRefs, m.StandardID)
		}
	}
	for _, e := range i.ExternalReferences {
		s.ExternalReferences = append(s.ExternalReferences, stix.ExternalReference{
			SourceName: e.SourceName, Description: e.Description, URL: e.URL, ExternalID: e.ExternalID,
		})
	}
	custom := map[string]json.RawMessage{}
	setCustom(custom, "x_opencti_score", i.Score)
	setCustom(custom, "x_opencti_detection", i.Detection)
	if i.MainObservableType != "" {
		setCustom(custom, "x_opencti_main_observable_type", i.MainObservableType)
	}
	if len(i.Platforms) > 0 {
		setCustom(custom, "x_mitre_platforms", i.Platforms)
	}
	if len(custom) > 0 {
		s.Custom = custom
	}
	return s
}

func setCustom[T any](m map[string]json.RawMessage, key string, v T) {
	b, err := json.Marshal(v)
	if err == nil && string(b) != "null" {
		m[key] = b
	}
}
