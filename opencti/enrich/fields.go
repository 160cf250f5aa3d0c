package enrich

import (
	"slices"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/opencti"
)

// timestamp formats a time as OpenCTI shows it; the zero time is empty.
func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

func optionalInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func optionalBool(p *bool) any {
	if p == nil {
		return nil
	}
	return *p
}

// indicator is an indicator as events carry it: the Python integration's
// fields, plus markings and expired.
func (b *builder) indicator(ind opencti.Indicator) Object {
	var o Object
	o.Set("id", ind.ID)
	o.Set("standard_id", ind.StandardID)
	o.Set("name", ind.Name)
	o.Set("description", ind.Description)
	o.Set("pattern", ind.Pattern)
	o.Set("pattern_type", ind.PatternType)
	o.Set("valid_from", timestamp(ind.ValidFrom))
	if ind.ValidUntil != nil {
		o.Set("valid_until", timestamp(*ind.ValidUntil))
	}
	o.Set("revoked", ind.Revoked)
	o.Set("expired", b.expired(ind))
	o.Set("confidence", optionalInt(ind.Confidence))
	o.Set("x_opencti_score", optionalInt(ind.Score))
	o.Set("x_opencti_detection", optionalBool(ind.Detection))
	o.Set("x_opencti_main_observable_type", ind.MainObservableType)
	o.Set("indicator_types", ind.IndicatorTypes)
	o.Set("x_mitre_platforms", ind.Platforms)
	o.Set("type", "Indicator")
	o.Set("created_at", timestamp(ind.CreatedAt))
	o.Set("updated_at", timestamp(ind.UpdatedAt))
	o.Set("createdBy", identity(ind.CreatedBy))
	o.Set("labels", ind.Labels)
	o.Set("markings", markings(ind.Markings))
	phases := make([]string, 0, len(ind.KillChainPhases))
	for _, p := range ind.KillChainPhases {
		switch {
		case p.KillChainName != "" && p.PhaseName != "":
			phases = append(phases, p.KillChainName+":"+p.PhaseName)
		default:
			phases = append(phases, p.KillChainName+p.PhaseName)
		}
	}
	o.Set("killChainPhases", phases)
	o.Set("externalReferences", externalReferences(ind.ExternalReferences))
	return o
}

// observable is an observable's own fields, as observable events carry them
// directly under "opencti".
func (b *builder) observable(obs opencti.Observable) Object {
	var o Object
	o.Set("id", obs.ID)
	o.Set("standard_id", obs.StandardID)
	o.Set("type", obs.EntityType)
	o.Set("created_at", timestamp(obs.CreatedAt))
	o.Set("updated_at", timestamp(obs.UpdatedAt))
	o.Set("createdBy", identity(obs.CreatedBy))
	o.Set("labels", obs.Labels)
	o.Set("markings", markings(obs.Markings))
	o.Set("externalReferences", externalReferences(obs.ExternalReferences))
	o.Set("observable_value", obs.ObservableValue)
	o.Set("x_opencti_description", obs.Description)
	o.Set("x_opencti_score", optionalInt(obs.Score))
	o.Set("value", obs.Value)
	o.Set("name", obs.Name)
	if obs.Size != nil {
		o.Set("size", *obs.Size)
	}
	if len(obs.Hashes) > 0 {
		var h Object
		algs := make([]string, 0, len(obs.Hashes))
		for alg := range obs.Hashes {
			algs = append(algs, alg)
		}
		slices.Sort(algs)
		for _, alg := range algs {
			h.Set(alg, obs.Hashes[alg])
		}
		o.Set("hashes", h)
	}
	o.Set("observable_link", b.observableLink(obs.ID))
	return o
}

// observableValue is the value to show for a related observable.
func observableValue(obs opencti.Observable) string {
	if obs.Value != "" {
		return obs.Value
	}
	return obs.ObservableValue
}

func identity(id *opencti.Identity) Object {
	var o Object
	if id == nil {
		return o
	}
	o.Set("id", id.ID)
	o.Set("standard_id", id.StandardID)
	o.Set("name", id.Name)
	return o
}

func markings(ms []opencti.Marking) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.Definition)
	}
	return out
}

// externalReferences are listed by URL, as the Python integration did; a
// reference without a URL is shown as "source:external_id".
func externalReferences(refs []opencti.ExternalReference) []string {
	out := make([]string, 0, len(refs))
	for _, r := range refs {
		switch {
		case r.URL != "":
			out = append(out, r.URL)
		case r.ExternalID != "":
			out = append(out, r.SourceName+":"+r.ExternalID)
		}
	}
	return out
}
