package extract

import (
	"strconv"
	"strings"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// Set is an ordered collection of extractors and the Policy they share. It
// is immutable: With, Without and WithPolicy return new Sets. A Set is safe
// for concurrent use.
type Set struct {
	extractors []Extractor
	policy     compiledPolicy
}

// NewSet returns a Set of the extractors under the policy. The extractors
// run in the order given; nil extractors are left out, and an extractor
// whose name is already in the Set replaces the earlier one in its place.
func NewSet(p Policy, ex ...Extractor) *Set {
	s := &Set{policy: compilePolicy(p)}
	s.extractors = merge(nil, ex)
	return s
}

// Default returns a Set of every built-in extractor (see the package
// documentation for the list) under DefaultPolicy.
func Default() *Set {
	return NewSet(DefaultPolicy(), Builtins()...)
}

// merge appends ex to list, replacing extractors of the same name in place.
func merge(list, ex []Extractor) []Extractor {
	out := append(make([]Extractor, 0, len(list)+len(ex)), list...)
next:
	for _, e := range ex {
		if e == nil {
			continue
		}
		name := e.Name()
		for i, old := range out {
			if old.Name() == name {
				out[i] = e
				continue next
			}
		}
		out = append(out, e)
	}
	return out
}

// With returns a new Set with the extractors added after s's own; one whose
// name is already in s replaces it in its place. s is unchanged.
func (s *Set) With(ex ...Extractor) *Set {
	return &Set{policy: s.policy, extractors: merge(s.extractors, ex)}
}

// Without returns a new Set without the extractors of the given names.
// Unknown names are ignored. s is unchanged.
func (s *Set) Without(names ...string) *Set {
	out := &Set{policy: s.policy}
	for _, e := range s.extractors {
		drop := false
		for _, n := range names {
			if e.Name() == n {
				drop = true
				break
			}
		}
		if !drop {
			out.extractors = append(out.extractors, e)
		}
	}
	return out
}

// WithPolicy returns a new Set with the same extractors under p.
func (s *Set) WithPolicy(p Policy) *Set {
	return &Set{policy: compilePolicy(p), extractors: s.extractors}
}

// Policy returns the Set's policy (a copy: changing it changes nothing).
func (s *Set) Policy() Policy { return s.policy.Policy.clone() }

// Names returns the names of the extractors in the order they run.
func (s *Set) Names() []string {
	names := make([]string, len(s.extractors))
	for i, e := range s.extractors {
		names[i] = e.Name()
	}
	return names
}

// Result is what a Set found in one alert.
type Result struct {
	// Findings are the observables to look up: deduplicated by STIX
	// identifier, in the order the extractors found them, at most the
	// policy's cap.
	Findings []Finding `json:"findings"`
	// Dropped are the findings the policy rejected (non-public address,
	// ignored name or hash, over the cap), each once, in the same order.
	Dropped []Drop `json:"dropped,omitempty"`
	// Invalid are values built-in extractors read from the alert but could
	// not turn into observables, such as a 300-byte DNS name.
	Invalid []Invalid `json:"invalid,omitempty"`
	// Skipped says why nothing is looked up; it is "" when Findings is not
	// empty.
	Skipped string `json:"skipped,omitempty"`
}

// Drop is a finding the policy rejected.
type Drop struct {
	Finding Finding `json:"finding"`
	Reason  string  `json:"reason"` // e.g. "private 10.0.0.0/8", "ignored hash MD5"
}

// Invalid is a value an extractor found where an observable belongs that no
// stix constructor accepts.
type Invalid struct {
	Field     string `json:"field"`     // dotted path from the alert root
	Value     string `json:"value"`     // the value, shortened when long
	Extractor string `json:"extractor"` // the extractor that read it
	Reason    string `json:"reason"`    // e.g. "domain-name: label longer than 63 octets"
}

// Observables returns the observables of r.Findings, in order.
func (r Result) Observables() []stix.Observable {
	if len(r.Findings) == 0 {
		return nil
	}
	obs := make([]stix.Observable, len(r.Findings))
	for i, f := range r.Findings {
		obs[i] = f.Observable
	}
	return obs
}

// Extract runs the extractors on a and applies the policy: observables are
// deduplicated by STIX identifier (the first finding wins and names its
// extractor), every URL is followed by its host (RoleURLHost) unless that
// is already known, findings the policy rejects move to Dropped, and the
// findings beyond the cap too. Alerts the integration wrote itself (see
// Policy.IntegrationName) are skipped.
func (s *Set) Extract(a *wazuh.Alert) Result {
	if a == nil {
		return Result{Skipped: "no alert"}
	}
	if a.IsIntegrationEvent(s.policy.name) {
		return Result{Skipped: "the alert is an event of the " + s.policy.name + " integration itself"}
	}
	c := collector{}
	for _, e := range s.extractors {
		c.extractor = e.Name()
		if b, ok := e.(*builtin); ok {
			b.run(&c, a)
			continue
		}
		for _, f := range e.Extract(a) {
			c.addFinding(f)
		}
	}

	var r Result
	r.Invalid = c.invalid
	for _, f := range c.findings {
		if reason := s.policy.dropReason(f.Observable); reason != "" {
			r.Dropped = append(r.Dropped, Drop{Finding: f, Reason: reason})
			continue
		}
		if s.policy.max >= 0 && len(r.Findings) >= s.policy.max {
			r.Dropped = append(r.Dropped, Drop{Finding: f, Reason: s.policy.capReason()})
			continue
		}
		r.Findings = append(r.Findings, f)
	}
	if len(r.Findings) == 0 {
		r.Skipped = skippedReason(&r, c.notes)
	}
	return r
}

// skippedReason summarises why nothing is looked up.
func skippedReason(r *Result, notes []string) string {
	var parts []string
	if len(r.Dropped) > 0 {
		items := make([]string, len(r.Dropped))
		for i, d := range r.Dropped {
			items[i] = shorten(d.Finding.Observable.String(), 80) + " (" + d.Reason + ")"
		}
		parts = append(parts, "dropped by the policy: "+listSome(items))
	}
	if len(r.Invalid) > 0 {
		items := make([]string, len(r.Invalid))
		for i, v := range r.Invalid {
			items[i] = v.Field + " (" + v.Reason + ")"
		}
		parts = append(parts, "invalid: "+listSome(items))
	}
	parts = append(parts, notes...)
	if len(parts) == 0 {
		return "no extractor found an observable"
	}
	return strings.Join(parts, "; ")
}

// listSome joins the first few items and counts the rest.
func listSome(items []string) string {
	const show = 3
	if len(items) <= show {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:show], ", ") + " and " + strconv.Itoa(len(items)-show) + " more"
}
