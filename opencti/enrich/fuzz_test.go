package enrich_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/opencti"
	"github.com/wazuh-opencti/wazuh-opencti/opencti/enrich"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// The seed corpora are in testdata/fuzz/<FuzzName>/; FuzzEnrichAlert's
// holds every sample alert of ../shared/alerts with a lookup plan each.

// optionKeys are the JSON names of the Options fields.
var optionKeys = func() []string {
	var keys []string
	t := reflect.TypeFor[enrich.Options]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		keys = append(keys, name)
	}
	return keys
}()

// knownKey reports whether encoding/json gives key a field of Options: it
// matches field names ignoring case (Unicode simple folding).
func knownKey(key string) bool {
	return slices.ContainsFunc(optionKeys, func(k string) bool { return strings.EqualFold(k, key) })
}

// FuzzParseOptions reads any options text as the reference integration
// does: wazuh.ParseOptions, then enrich.ParseOptions. Errors name the key
// at fault, or are about the whole text; unknown keys are returned sorted,
// once each; accepted options validate again, re-encode to JSON that parses
// back to equal options, and apply within bounds.
func FuzzParseOptions(f *testing.F) {
	builtins := extract.Default().Names()
	f.Fuzz(func(t *testing.T, data []byte) {
		raw, err := wazuh.ParseOptions(data)
		if err != nil {
			var oe *wazuh.OptionsError
			if !errors.As(err, &oe) || oe.Key != "" || oe.Reason == "" {
				t.Fatalf("the text's error is not about the text: %#v", err)
			}
			return
		}
		o, unknown, err := enrich.ParseOptions(raw, builtins)
		if !slices.IsSorted(unknown) || len(slices.Compact(slices.Clone(unknown))) != len(unknown) {
			t.Fatalf("unknown keys not sorted or repeated: %q", unknown)
		}
		for _, k := range unknown {
			if _, ok := raw[k]; !ok || knownKey(k) {
				t.Fatalf("unknown key %q: not in the options, or an option", k)
			}
		}
		if err != nil {
			checkOptionError(t, raw, err)
			return
		}
		if err := o.Validate(builtins); err != nil {
			t.Fatalf("accepted options do not validate: %v", err)
		}

		text, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		raw2, err := wazuh.ParseOptions(text)
		if err != nil {
			t.Fatalf("re-encoded options %s do not parse: %v", text, err)
		}
		o2, unknown2, err := enrich.ParseOptions(raw2, builtins)
		if err != nil || unknown2 != nil {
			t.Fatalf("re-encoded options %s: unknown %q, %v", text, unknown2, err)
		}
		if diff := cmp.Diff(o, o2, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("options change through %s (-first +second):\n%s", text, diff)
		}

		c := o.Apply(enrich.DefaultConfig("https://cti.example/graphql"))
		if c.MaxIndicatorEvents < 0 || c.MaxIndicatorEvents > enrich.MaxEventsPerKind ||
			c.MaxObservableEvents < 0 || c.MaxObservableEvents > enrich.MaxEventsPerKind || c.Name == "" {
			t.Fatalf("Apply gives %+v", c)
		}
		names := o.Extractors(extract.Default()).Names()
		for _, n := range builtins {
			if slices.Contains(names, n) == slices.Contains(o.DisableExtractors, n) {
				t.Fatalf("extractors %q with %q disabled", names, o.DisableExtractors)
			}
		}
		d, r := o.Limits(wazuh.Invocation{Timeout: wazuh.DefaultTimeout, Retries: wazuh.DefaultRetries})
		if d < time.Millisecond || d > enrich.MaxTimeout || r < 0 || r > enrich.MaxRetries {
			t.Fatalf("Limits gives %v, %d", d, r)
		}
	})
}

// checkOptionError checks that err says which option is wrong: an option
// the text holds (in any case), named in the message.
func checkOptionError(t *testing.T, raw wazuh.Options, err error) {
	t.Helper()
	var key string
	var oe *enrich.OptionError
	var we *wazuh.OptionsError
	switch {
	case errors.As(err, &oe) && errors.Is(err, enrich.ErrInvalidOption):
		key = oe.Key
	case errors.As(err, &we) && errors.Is(err, wazuh.ErrInvalidOptions):
		key = we.Key
	default:
		t.Fatalf("untyped error %T: %v", err, err)
	}
	present := slices.ContainsFunc(slices.Collect(maps.Keys(raw)), func(k string) bool { return strings.EqualFold(k, key) })
	if key == "" || !knownKey(key) || !present || !strings.Contains(err.Error(), key) {
		t.Fatalf("error does not name an option of the text (key %q): %v", key, err)
	}
}

// plan hands out the fuzzer's choices for a synthetic lookup result one
// byte at a time; zeros once the bytes run out, so any input is a plan.
type plan struct{ b []byte }

func (p *plan) next() byte {
	if len(p.b) == 0 {
		return 0
	}
	c := p.b[0]
	p.b = p.b[1:]
	return c
}

func (p *plan) pick(n int) int { return int(p.next()) % n }
func (p *plan) yes() bool      { return p.next()&1 == 1 }

// optionalInt is nil, 0 or a number up to 100.
func (p *plan) optionalInt() *int {
	switch c := p.next(); c % 4 {
	case 0:
		return nil
	case 1:
		v := 0
		return &v
	default:
		v := int(c) % 101
		return &v
	}
}

// word is a short string of pieces that JSON escapes or that take several
// bytes, so that the size of an encoding is not the length of its text.
func (p *plan) word(prefix string) string {
	pieces := []string{"x", `"`, `\`, "\x01", "é", "😀", "\xff", "\u2028", "<&>", " "}
	var b strings.Builder
	b.WriteString(prefix)
	for range 1 + p.pick(8) {
		b.WriteString(pieces[p.pick(len(pieces))])
	}
	return b.String()
}

// text is a word, or now and then a word repeated to up to 96 KiB: more
// than a datagram holds.
func (p *plan) text(prefix string) string {
	w := p.word(prefix)
	if c := p.next(); c >= 208 {
		return strings.Repeat(w, int(c-207)*2048/len(w))
	}
	return w
}

// list is none, a few or now and then hundreds of words.
func (p *plan) list(prefix string) []string {
	n := p.pick(4)
	if c := p.next(); c >= 224 {
		n = int(c-223) * 64
	}
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	w := p.word(prefix)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%d", w, i)
	}
	return out
}

// Kinds of pattern a planned indicator has, and what Build must call it.
const (
	patternExact    = iota // a looked-up value's Equality.String or Pattern: indicator_pattern_match
	patternAnd             // that AND another comparison: indicator_partial_pattern_match
	patternCompound        // OR, a block, another type, not STIX: either
)

// plannedIndicator is an indicator of the synthetic result and the kind
// of its pattern.
type plannedIndicator struct {
	ind  opencti.Indicator
	kind int
}

var fuzzNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// synthesize builds a lookup result that hits the findings as the plan
// says: observables with their own and related observables' indicators,
// indicators found by pattern, shared between them so that one indicator
// can be reported in several places.
func synthesize(p *plan, findings []extract.Finding) (*opencti.LookupResult, map[string]plannedIndicator) {
	pool := map[string]plannedIndicator{}
	indicator := func(f *extract.Finding) opencti.Indicator {
		id := fmt.Sprintf("ind-%d", p.pick(12))
		if pi, ok := pool[id]; ok {
			return pi.ind
		}
		kind, pattern := planPattern(p, f)
		ind := opencti.Indicator{
			ID:                 id,
			StandardID:         "indicator--" + id,
			Name:               p.text("name "),
			Description:        p.text("description "),
			Pattern:            pattern,
			PatternType:        "stix",
			MainObservableType: "IPv4-Addr",
			ValidFrom:          fuzzNow.AddDate(0, -1, 0),
			Revoked:            p.pick(8) == 0,
			Confidence:         p.optionalInt(),
			Score:              p.optionalInt(),
			IndicatorTypes:     p.list("type"),
			Platforms:          p.list("platform"),
			Labels:             p.list("label"),
			CreatedAt:          fuzzNow.AddDate(0, 0, -p.pick(30)),
			UpdatedAt:          fuzzNow.AddDate(0, 0, -p.pick(30)),
		}
		if p.pick(8) == 0 {
			ind.PatternType = "yara"
		}
		switch p.pick(3) {
		case 1:
			until := fuzzNow.AddDate(0, 0, -1)
			ind.ValidUntil = &until
		case 2:
			until := fuzzNow.AddDate(1, 0, 0)
			ind.ValidUntil = &until
		}
		if c := p.pick(3); c > 0 {
			det := c == 2
			ind.Detection = &det
		}
		for _, l := range p.list("phase") {
			ind.KillChainPhases = append(ind.KillChainPhases, stix.KillChainPhase{KillChainName: "mitre-attack", PhaseName: l})
		}
		for _, l := range p.list("https://ref.example/") {
			ind.ExternalReferences = append(ind.ExternalReferences, opencti.ExternalReference{SourceName: "ref", URL: l})
		}
		if p.yes() {
			ind.Markings = []opencti.Marking{{DefinitionType: "TLP", Definition: "TLP:AMBER"}}
			ind.CreatedBy = &opencti.Identity{ID: "identity-1", Name: p.text("author ")}
		}
		if f != nil {
			ind.Matches = []stix.Observable{f.Observable}
		}
		pool[id] = plannedIndicator{ind, kind}
		return ind
	}

	res := &opencti.LookupResult{Requests: 1}
	for i := range findings {
		f := &findings[i]
		if p.pick(4) == 0 {
			continue // a miss
		}
		if p.yes() {
			res.Indicators = append(res.Indicators, indicator(f))
		}
		obs := observable(p, fmt.Sprintf("obs-%d", i), f.Observable)
		obs.Matches = []stix.Observable{f.Observable}
		for range p.pick(4) {
			obs.Indicators = append(obs.Indicators, indicator(f))
		}
		for j := range p.pick(3) {
			rel := opencti.Relation{RelationshipType: "resolves-to", Incoming: p.yes()}
			rel.Observable = opencti.Observable{
				ID: fmt.Sprintf("rel-%d-%d", i, j), StandardID: fmt.Sprintf("ipv4-addr--rel-%d-%d", i, j),
				EntityType: "IPv4-Addr", ObservableValue: "203.0.113.9", Value: "203.0.113.9", Score: p.optionalInt(),
			}
			for range p.pick(3) {
				rel.Observable.Indicators = append(rel.Observable.Indicators, indicator(nil))
			}
			obs.Related = append(obs.Related, rel)
		}
		res.Observables = append(res.Observables, obs)
	}
	for range p.pick(3) {
		res.Indicators = append(res.Indicators, indicator(nil)) // about no finding
	}
	return res, pool
}

// planPattern returns an indicator pattern about f (or about nothing).
func planPattern(p *plan, f *extract.Finding) (int, string) {
	other := "[ipv4-addr:value = '198.51.100.77']"
	if f == nil {
		return patternCompound, []string{other, "[domain-name:value = 'nothing.example']", "not a pattern", ""}[p.pick(4)]
	}
	eqs := f.Observable.Equalities()
	eq := eqs[p.pick(len(eqs))]
	switch p.pick(6) {
	case 0, 1:
		return patternExact, eq.String()
	case 2:
		return patternExact, f.Observable.Pattern()
	case 3:
		return patternAnd, "[" + strings.Trim(eq.String(), "[]") + " AND ipv4-addr:value = '198.51.100.77']"
	case 4:
		return patternCompound, eq.String() + " OR " + other
	}
	return patternCompound, "[" + strings.Trim(eq.String(), "[]") + " OR " + strings.Trim(other, "[]") + "]"
}

// observable is the OpenCTI observable of a looked-up value.
func observable(p *plan, id string, o stix.Observable) opencti.Observable {
	types := map[string]string{stix.TypeIPv4Addr: "IPv4-Addr", stix.TypeIPv6Addr: "IPv6-Addr", stix.TypeDomainName: "Domain-Name",
		stix.TypeHostname: "Hostname", stix.TypeURL: "Url", stix.TypeEmailAddr: "Email-Addr", stix.TypeFile: "StixFile"}
	obs := opencti.Observable{
		ID: id, StandardID: o.ID(), EntityType: types[o.Type()], ObservableValue: o.String(),
		Description: p.text("observable "), Score: p.optionalInt(), Labels: p.list("label"),
		CreatedAt: fuzzNow.AddDate(0, -2, 0), UpdatedAt: fuzzNow.AddDate(0, -1, 0),
	}
	if file, ok := o.(stix.File); ok {
		obs.Hashes = map[string]string{}
		for _, h := range file.Hashes() {
			obs.Hashes[string(h.Algorithm)] = h.Value
		}
	} else if v, ok := o.(interface{ Value() string }); ok {
		obs.Value = v.Value()
	}
	return obs
}

var eventTypes = []string{enrich.IndicatorPatternMatch, enrich.IndicatorPartialPatternMatch,
	enrich.ObservableWithIndicator, enrich.ObservableWithRelatedIndicator, enrich.ErrorEventType}

// FuzzEnrichAlert runs the whole path of an alert: decode, extract with the
// default set, a synthetic lookup result planned by the second input, and
// the events Build writes, plus an error event. The findings' observables
// must pass stix validation; every event must encode (wazuh.Message) to a
// datagram of at most wazuh.MaxMessageSize bytes whose payload is a JSON
// object naming the integration and an event type, marked truncated when
// shrunk; no indicator may be reported twice; the caps hold; and an
// indicator whose pattern is a looked-up value's own is an exact match.
// maxFuzzHeader bounds the datagram headers FuzzEnrichAlert expects events
// to fit after.
const maxFuzzHeader = 4096

func FuzzEnrichAlert(f *testing.F) {
	f.Fuzz(func(t *testing.T, alertData, planData []byte) {
		checkEnrichAlert(t, alertData, planData)
	})
}

// enrichStats says what one input exercised.
type enrichStats struct {
	types     map[string]int
	truncated int
}

func checkEnrichAlert(t *testing.T, alertData, planData []byte) enrichStats {
	stats := enrichStats{types: map[string]int{}}
	alert, err := wazuh.DecodeAlert(alertData)
	if err != nil {
		return stats
	}
	if len(wazuh.Header(alert.Agent, enrich.DefaultName)) > maxFuzzHeader {
		// An agent whose name or address fills the datagram leaves no room
		// for any event; integratord never passes such an alert (its
		// alerts are under 64 KiB), and Queue.Send refuses the events
		// with ErrMessageTooLong rather than cut them.
		return stats
	}
	p := &plan{planData}
	set := extract.Default()
	if p.yes() {
		pol := set.Policy()
		pol.IncludePrivate = true
		set = set.WithPolicy(pol)
	}
	findings := set.Extract(alert).Findings
	for _, fd := range findings {
		b, err := json.Marshal(fd.Observable)
		if err != nil {
			t.Fatalf("%v: MarshalJSON: %v", fd.Observable, err)
		}
		back, err := stix.ParseObservable(b)
		if err != nil || back.ID() != fd.Observable.ID() {
			t.Fatalf("finding %s does not validate as itself: %v, %v", b, back, err)
		}
	}

	cfg := enrich.DefaultConfig("https://cti.example/graphql")
	cfg.Now = func() time.Time { return fuzzNow }
	caps := []int{3, 0, 1, 2, enrich.MaxEventsPerKind}
	cfg.MaxIndicatorEvents = caps[p.pick(len(caps))]
	cfg.MaxObservableEvents = caps[p.pick(len(caps))]
	if p.yes() {
		cfg.HookURL = ""
	}
	res, pool := synthesize(p, findings)
	events := cfg.Build(alert, findings, res)

	reported := map[string]string{}
	var indicatorEvents, observableEvents int
	for i, e := range events {
		body := checkEvent(t, alert.Agent, cfg.Name, e)
		stats.types[e.Type]++
		if e.Truncated {
			stats.truncated++
		}
		switch e.Type {
		case enrich.IndicatorPatternMatch, enrich.IndicatorPartialPatternMatch:
			indicatorEvents++
			if observableEvents > 0 {
				t.Fatalf("event %d: an indicator event after an observable event", i)
			}
		case enrich.ObservableWithIndicator, enrich.ObservableWithRelatedIndicator:
			observableEvents++
		default:
			t.Fatalf("event %d: Build wrote a %s event", i, e.Type)
		}
		id := indicatorID(body)
		if id == "" {
			if !e.Truncated {
				t.Fatalf("event %d (%s) reports no indicator: %v", i, e.Type, body)
			}
			continue
		}
		planned, ok := pool[id]
		if !ok {
			t.Fatalf("event %d reports indicator %q, which the result does not hold", i, id)
		}
		if prev, dup := reported[id]; dup {
			t.Fatalf("indicator %s reported twice: in a %s event and in event %d (%s)", id, prev, i, e.Type)
		}
		reported[id] = e.Type
		switch {
		case e.Type == enrich.IndicatorPartialPatternMatch && planned.kind == patternExact:
			t.Fatalf("event %d: pattern %q of a looked-up value is called a partial match", i, planned.ind.Pattern)
		case e.Type == enrich.IndicatorPatternMatch && planned.kind == patternAnd:
			t.Fatalf("event %d: pattern %q is called an exact match", i, planned.ind.Pattern)
		}
	}
	if indicatorEvents > cfg.MaxIndicatorEvents || observableEvents > cfg.MaxObservableEvents {
		t.Fatalf("%d indicator and %d observable events, caps %d and %d",
			indicatorEvents, observableEvents, cfg.MaxIndicatorEvents, cfg.MaxObservableEvents)
	}

	e := cfg.ErrorEvent(alert, p.text("lookup failed: "))
	if e.Type != enrich.ErrorEventType {
		t.Fatalf("ErrorEvent is a %s event", e.Type)
	}
	checkEvent(t, alert.Agent, cfg.Name, e)
	stats.types[e.Type]++
	if e.Truncated {
		stats.truncated++
	}
	return stats
}

// checkEvent checks that an event encodes to a datagram analysisd takes
// whole, and returns the payload's "opencti" object.
func checkEvent(t *testing.T, agent wazuh.Agent, name string, e enrich.Event) map[string]any {
	t.Helper()
	if !slices.Contains(eventTypes, e.Type) {
		t.Fatalf("unknown event type %q", e.Type)
	}
	msg, err := wazuh.Message(agent, name, e)
	if err != nil {
		t.Fatalf("%s event (truncated %v) does not encode: %v", e.Type, e.Truncated, err)
	}
	header := wazuh.Header(agent, name)
	if len(msg) > wazuh.MaxMessageSize || !bytes.HasPrefix(msg, []byte(header)) {
		t.Fatalf("%s event: datagram of %d bytes, header %q", e.Type, len(msg), msg[:min(len(msg), len(header))])
	}
	payload := msg[len(header):]
	var body map[string]any
	if err := json.Unmarshal(payload, &body); err != nil {
		t.Fatalf("%s event: payload is not a JSON object: %v\n%.300s", e.Type, err, payload)
	}
	op, _ := body["opencti"].(map[string]any)
	if body["integration"] != enrich.DefaultName || op == nil || op["event_type"] != e.Type {
		t.Fatalf("%s event: integration %v, event_type %v", e.Type, body["integration"], op["event_type"])
	}
	if truncated, _ := op["truncated"].(bool); truncated != e.Truncated {
		t.Fatalf("%s event: Truncated %v, but \"truncated\": %v", e.Type, e.Truncated, op["truncated"])
	}
	return op
}

// indicatorID is the id of the indicator an event reports: its own, or
// the related observable's.
func indicatorID(op map[string]any) string {
	if rel, ok := op["related"].(map[string]any); ok {
		op = rel
	}
	ind, _ := op["indicator"].(map[string]any)
	id, _ := ind["id"].(string)
	return id
}

// TestFuzzEnrichAlertSeeds runs FuzzEnrichAlert's seed corpus and checks
// that it exercises what the target is for: every event type, and events
// shrunk to fit a datagram.
func TestFuzzEnrichAlertSeeds(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzEnrichAlert", "*"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no seeds: %v", err)
	}
	total := enrichStats{types: map[string]int{}}
	for _, path := range paths {
		args := readCorpusFile(t, path)
		s := checkEnrichAlert(t, args[0], args[1])
		for typ, n := range s.types {
			total.types[typ] += n
		}
		total.truncated += s.truncated
	}
	t.Logf("%d seeds: events %v, %d truncated", len(paths), total.types, total.truncated)
	for _, typ := range eventTypes {
		if total.types[typ] == 0 {
			t.Errorf("no seed gives a %s event", typ)
		}
	}
	if total.truncated == 0 {
		t.Error("no seed gives an event over the datagram size")
	}
}

// readCorpusFile reads a "go test fuzz v1" file of two []byte values.
func readCorpusFile(t *testing.T, path string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 3 || lines[0] != "go test fuzz v1" {
		t.Fatalf("%s: not a corpus file of two values", path)
	}
	var args [][]byte
	for _, l := range lines[1:] {
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(l, "[]byte("), ")"))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		args = append(args, []byte(s))
	}
	return args
}
