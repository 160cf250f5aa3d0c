package enrich

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/opencti"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// Event types, the values of opencti.event_type.
const (
	IndicatorPatternMatch          = "indicator_pattern_match"
	IndicatorPartialPatternMatch   = "indicator_partial_pattern_match"
	ObservableWithIndicator        = "observable_with_indicator"
	ObservableWithRelatedIndicator = "observable_with_related_indicator"
	ErrorEventType                 = "error"
)

// DefaultName is the integration name: the value of the events' "integration"
// field and the location analysisd gives them.
const DefaultName = "opencti"

// Config says how events are built. The zero value is not useful on its own:
// start from DefaultConfig.
type Config struct {
	// Name is the value of the events' "integration" field; Wazuh rules key
	// on it. Default "opencti".
	Name string
	// HookURL is the OpenCTI GraphQL URL; links to the OpenCTI dashboard are
	// derived from it by removing its trailing "graphql".
	HookURL string
	// MaxIndicatorEvents caps indicator events per alert (max_ind_alerts);
	// MaxObservableEvents caps observable events (max_obs_alerts). Zero
	// writes none of that kind.
	MaxIndicatorEvents  int
	MaxObservableEvents int
	// MaxEventSize is the largest encoded event, in bytes. Zero means the
	// most that fits one analysisd datagram after the alert's header. (An
	// agent whose name fills the datagram leaves no room: the events then
	// do not fit, and wazuh.Queue refuses them rather than cut them.)
	MaxEventSize int
	// Now is the clock that decides whether an indicator has expired.
	// Nil means time.Now.
	Now func() time.Time
}

// DefaultConfig returns the reference integration's settings: name
// "opencti", three indicator and three observable events per alert.
func DefaultConfig(hookURL string) Config {
	return Config{Name: DefaultName, HookURL: hookURL, MaxIndicatorEvents: 3, MaxObservableEvents: 3}
}

// Event is one event to send to analysisd.
type Event struct {
	// Type is the opencti.event_type of the event.
	Type string
	// Body is the whole event, {"integration": …, "opencti": {…}}.
	Body Object
	// Truncated reports that the event was shrunk to fit a datagram.
	Truncated bool
}

// MarshalJSON encodes the event's body.
func (e Event) MarshalJSON() ([]byte, error) { return e.Body.MarshalJSON() }

// Build returns the events for one alert: the findings that were looked up
// and the lookup's result. A nil result gives no events. Indicator events
// come first, then observable events, each kind in rank order.
func (c Config) Build(alert *wazuh.Alert, findings []extract.Finding, res *opencti.LookupResult) []Event {
	if res == nil {
		return nil
	}
	b := newBuilder(c, alert, findings)
	var events []Event
	events = append(events, b.indicatorEvents(res.Indicators)...)
	events = append(events, b.observableEvents(res.Observables)...)
	for i := range events {
		events[i] = b.fit(events[i])
	}
	return events
}

// ErrorEvent returns the event that reports a failed lookup. msg must be fit
// for a SIEM: clear, and free of secrets.
func (c Config) ErrorEvent(alert *wazuh.Alert, msg string) Event {
	b := newBuilder(c, alert, nil)
	var body Object
	body.Set("error", msg)
	body.Set("event_type", ErrorEventType)
	body.Set("source", b.source)
	return b.fit(b.event(ErrorEventType, body))
}

// builder holds what every event of one alert shares.
type builder struct {
	cfg       Config
	now       time.Time
	base      string                            // dashboard base URL
	queried   map[stix.Equality]extract.Finding // looked-up equalities, name variants included
	patterns  []query                           // each finding's whole canonical pattern, parsed
	byID      map[string]extract.Finding        // observable STIX id → first finding
	queryKey  string
	queryVals string
	source    Object
	limit     int
	reported  map[string]bool // indicator ids already in an event
}

// query is a finding's canonical pattern, parsed once.
type query struct {
	pattern *stix.Pattern
	finding extract.Finding
}

func newBuilder(c Config, alert *wazuh.Alert, findings []extract.Finding) *builder {
	if alert == nil {
		alert = &wazuh.Alert{}
	}
	if c.Name == "" {
		c.Name = DefaultName
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	b := &builder{
		cfg:      c,
		now:      now(),
		base:     dashboardBase(c.HookURL),
		byID:     make(map[string]extract.Finding, len(findings)),
		queried:  make(map[stix.Equality]extract.Finding),
		source:   sourceContext(alert),
		reported: make(map[string]bool),
	}
	b.limit = c.MaxEventSize
	if b.limit <= 0 {
		b.limit = wazuh.MaxMessageSize - len(wazuh.Header(alert.Agent, c.Name))
	}
	var keys, vals []string
	for _, f := range findings {
		if f.Observable == nil {
			continue
		}
		if _, dup := b.byID[f.Observable.ID()]; dup {
			continue
		}
		b.byID[f.Observable.ID()] = f
		eqs := f.Observable.Equalities()
		for _, eq := range eqs {
			keys = appendUnique(keys, filterKey(eq))
			vals = appendUnique(vals, eq.Value)
			for _, v := range nameVariants(eq) {
				if _, dup := b.queried[v]; !dup {
					b.queried[v] = f
				}
			}
		}
		if len(eqs) > 1 {
			// A file with several hashes: its whole pattern ORs them.
			if p, err := stix.ParsePattern(f.Observable.Pattern()); err == nil {
				b.patterns = append(b.patterns, query{pattern: p, finding: f})
			}
		}
	}
	b.queryKey = strings.Join(keys, ";")
	b.queryVals = strings.Join(vals, ";")
	return b
}

// nameVariants returns eq and, for a name, the same name as the other name
// type: OpenCTI keeps names as Domain-Name or Hostname observables, the
// lookup asks for both, and an indicator on either is an exact match.
func nameVariants(eq stix.Equality) []stix.Equality {
	other := eq
	switch eq.ObjectType {
	case stix.TypeDomainName:
		other.ObjectType = stix.TypeHostname
	case stix.TypeHostname:
		other.ObjectType = stix.TypeDomainName
	default:
		return []stix.Equality{eq}
	}
	return []stix.Equality{eq, other}
}

// dashboardBase is the hook URL without its trailing "graphql" (or
// "graphql/"), query and fragment, ending in '/', and without user
// information, which would put a password in every event; "" when it is not
// an http(s) URL.
func dashboardBase(hook string) string {
	u, err := url.Parse(hook)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.User = nil
	u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = "", false, "", ""
	p := strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "graphql")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	u.Path, u.RawPath = p, ""
	return u.String()
}

func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// filterKey is the OpenCTI filter key an equality is looked up by:
// "value", "name", or "hashes.SHA-256" (hash paths without the quotes).
func filterKey(eq stix.Equality) string {
	return strings.ReplaceAll(eq.Path, "'", "")
}

// event wraps the opencti object in the envelope.
func (b *builder) event(eventType string, body Object) Event {
	var env Object
	env.Set("integration", b.cfg.Name)
	env.Set("opencti", body)
	return Event{Type: eventType, Body: env}
}

// indicatorEvents reports the indicators found by the pattern filter.
func (b *builder) indicatorEvents(inds []opencti.Indicator) []Event {
	var events []Event
	for _, ind := range b.rank(inds) {
		if len(events) >= b.cfg.MaxIndicatorEvents {
			break
		}
		b.reported[ind.ID] = true // rank removed duplicates
		eventType, match := b.classify(ind)
		var body Object
		body.Set("indicator", b.indicator(ind))
		body.Set("indicator_link", b.indicatorLink(ind.ID))
		body.Set("query_key", b.queryKey)
		body.Set("query_values", b.queryVals)
		body.Set("event_type", eventType)
		if match != nil {
			body.Set("match", matchObject(*match))
		}
		body.Set("source", b.source)
		events = append(events, b.event(eventType, body))
	}
	return events
}

// classify decides exact or partial. A match is exact when the indicator's
// pattern is a single equality on a looked-up value (in any spelling that
// parses to the same normalised value: quoting, spacing, hex case, a /32
// block for an address, hostname for a domain name) or is equivalent to a
// looked-up observable's whole pattern. Anything else the lookup returned is
// partial: compound patterns, and patterns that do not parse (the
// specification says those never match). classify also returns the finding
// the indicator concerns, when one can be told.
func (b *builder) classify(ind opencti.Indicator) (string, *extract.Finding) {
	p, err := stix.ParsePattern(ind.Pattern)
	if err == nil {
		if alts := p.Alternatives(); len(p.Comparisons()) == 1 && len(alts) == 1 {
			if f, ok := b.queried[alts[0]]; ok {
				return IndicatorPatternMatch, &f
			}
		}
		for i := range b.patterns {
			if p.Equivalent(b.patterns[i].pattern) {
				return IndicatorPatternMatch, &b.patterns[i].finding
			}
		}
		for _, eq := range p.Equalities() {
			if f, ok := b.queried[eq]; ok {
				return IndicatorPartialPatternMatch, &f
			}
		}
	}
	for _, o := range ind.Matches {
		if f, ok := b.byID[o.ID()]; ok {
			return IndicatorPartialPatternMatch, &f
		}
	}
	return IndicatorPartialPatternMatch, nil
}

// candidate is an observable event before the cap is applied.
type candidate struct {
	obs     opencti.Observable
	own     []opencti.Indicator // ranked, not yet reported
	related *opencti.Relation
	relInds []opencti.Indicator // the related observable's, ranked, not yet reported
	order   int
}

// pick chooses what an observable event reports: its own indicators when it
// has any not yet reported, else the related observable whose best
// indicator ranks highest. ok is false when there is nothing to report: an
// observable without indicators is no verdict.
func (b *builder) pick(obs opencti.Observable, order int) (c candidate, ok bool) {
	c = candidate{obs: obs, order: order}
	c.own = b.unreported(b.rank(obs.Indicators))
	if len(c.own) > 0 {
		return c, true
	}
	for j := range obs.Related {
		rel := &obs.Related[j]
		inds := b.unreported(b.rank(rel.Observable.Indicators))
		if len(inds) > 0 && (c.related == nil || b.less(inds[0], c.relInds[0])) {
			c.related, c.relInds = rel, inds
		}
	}
	return c, c.related != nil
}

func (c candidate) best() opencti.Indicator {
	if len(c.own) > 0 {
		return c.own[0]
	}
	return c.relInds[0]
}

// observableEvents reports matching observables that have indicators of
// their own, or related observables with indicators, best first.
func (b *builder) observableEvents(list []opencti.Observable) []Event {
	var cands []candidate
	for i, obs := range list {
		if c, ok := b.pick(obs, i); ok {
			cands = append(cands, c)
		}
	}
	slices.SortStableFunc(cands, func(x, y candidate) int {
		switch xb, yb := x.best(), y.best(); {
		case b.less(xb, yb):
			return -1
		case b.less(yb, xb):
			return 1
		}
		return cmp.Compare(x.order, y.order)
	})

	var events []Event
	for _, c := range cands {
		if len(events) >= b.cfg.MaxObservableEvents {
			break
		}
		// An earlier event of this alert may have reported the indicator
		// this one would: choose again.
		c, ok := b.pick(c.obs, c.order)
		if !ok {
			continue
		}
		events = append(events, b.observableEvent(c))
	}
	return events
}

func (b *builder) observableEvent(c candidate) Event {
	body := b.observable(c.obs)
	eventType := ObservableWithRelatedIndicator
	if len(c.own) > 0 {
		eventType = ObservableWithIndicator
		best := c.own[0]
		b.reported[best.ID] = true
		body.Set("indicator", b.indicator(best))
		body.Set("multipleIndicators", len(c.own) > 1)
		body.Set("indicator_link", b.indicatorLink(best.ID))
	} else {
		best := c.relInds[0]
		b.reported[best.ID] = true
		var rel Object
		rel.Set("id", c.related.Observable.ID)
		rel.Set("type", c.related.Observable.EntityType)
		rel.Set("relationship", c.related.RelationshipType)
		rel.Set("value", observableValue(c.related.Observable))
		rel.Set("observable_link", b.observableLink(c.related.Observable.ID))
		rel.Set("indicator", b.indicator(best))
		rel.Set("multipleIndicators", len(c.relInds) > 1)
		rel.Set("indicator_link", b.indicatorLink(best.ID))
		body.Set("related", rel)
	}
	body.Set("query_key", b.queryKey)
	body.Set("query_values", b.queryVals)
	body.Set("event_type", eventType)
	for _, m := range c.obs.Matches {
		if f, ok := b.byID[m.ID()]; ok {
			body.Set("match", matchObject(f))
			break
		}
	}
	body.Set("source", b.source)
	return b.event(eventType, body)
}

func (b *builder) unreported(inds []opencti.Indicator) []opencti.Indicator {
	out := inds[:0:0]
	for _, ind := range inds {
		if !b.reported[ind.ID] {
			out = append(out, ind)
		}
	}
	return out
}

func (b *builder) indicatorLink(id string) string {
	if b.base == "" || id == "" {
		return ""
	}
	return b.base + "dashboard/observations/indicators/" + id
}

func (b *builder) observableLink(id string) string {
	if b.base == "" || id == "" {
		return ""
	}
	return b.base + "dashboard/observations/observables/" + id
}

// matchObject says which looked-up value an event answers and where in the
// alert it was found; role "url-host" marks the weaker signal of a host
// taken from a URL.
func matchObject(f extract.Finding) Object {
	var m Object
	m.Set("type", f.Observable.Type())
	m.Set("value", f.Observable.String())
	m.Set("field", f.Field)
	m.Set("role", string(f.Role))
	m.Set("extractor", f.Extractor)
	return m
}
