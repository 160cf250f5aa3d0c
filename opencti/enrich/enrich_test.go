package enrich

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/opencti"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func testConfig() Config {
	c := DefaultConfig("https://cti.example/graphql")
	c.Now = func() time.Time { return testNow }
	return c
}

func readAlert(t *testing.T, name string) *wazuh.Alert {
	t.Helper()
	a, err := wazuh.ReadAlertFile(filepath.Join("testdata", "alerts", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func ptr[T any](v T) *T { return &v }

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// indicator returns a plausible OpenCTI indicator; tests change what they test.
func indicator(id, pattern string) opencti.Indicator {
	return opencti.Indicator{
		ID:          id,
		StandardID:  "indicator--" + id,
		Name:        pattern,
		Pattern:     pattern,
		PatternType: "stix",
		ValidFrom:   date("2026-01-01T00:00:00Z"),
		ValidUntil:  ptr(date("2027-01-01T00:00:00Z")),
		Confidence:  ptr(75),
		Score:       ptr(80),
		Detection:   ptr(true),
		Labels:      []string{"c2"},
		Markings:    []opencti.Marking{{DefinitionType: "TLP", Definition: "TLP:AMBER"}},
		CreatedBy:   &opencti.Identity{ID: "ident-1", StandardID: "identity--1", Name: "CERT Example"},
		KillChainPhases: []stix.KillChainPhase{
			{KillChainName: "mitre-attack", PhaseName: "command-and-control"},
		},
		ExternalReferences: []opencti.ExternalReference{{SourceName: "blog", URL: "https://blog.example/c2"}},
		CreatedAt:          date("2026-01-02T03:04:05Z"),
		UpdatedAt:          date("2026-02-02T03:04:05Z"),
	}
}

func mustObs[T stix.Observable](o T, err error) stix.Observable {
	if err != nil {
		panic(err)
	}
	return o
}

// encode renders events one JSON object per line, as they are sent.
func encode(t *testing.T, events []Event) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, e := range events {
		b := e.Body.AppendJSON(nil)
		if !json.Valid(b) {
			t.Fatalf("invalid JSON: %s", b)
		}
		var indented bytes.Buffer
		if err := json.Indent(&indented, b, "", "  "); err != nil {
			t.Fatal(err)
		}
		buf.Write(indented.Bytes())
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("events differ from %s (-want +got):\n%s", path, diff)
	}
}

func types(events []Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Type)
	}
	return out
}

// TestBuildDNS covers every event type on a Sysmon DNS alert: an exact
// indicator (on the hostname form of the queried name), a compound one, an
// observable with an indicator of its own besides one already reported, and
// an address related to a flagged name.
func TestBuildDNS(t *testing.T) {
	alert := readAlert(t, "sysmon-eid22-dns-public-results")
	found := extract.Default().Extract(alert)
	domain := found.Findings[0].Observable
	if domain.String() != "update-check.example.com" {
		t.Fatalf("first finding is %v, want the query name", domain)
	}
	addr := mustObs(stix.NewIPv4Addr("151.101.1.69"))

	exact := indicator("ind-exact", "[hostname:value = 'update-check.example.com']")
	compound := indicator("ind-compound", "[domain-name:value = 'update-check.example.com'] OR [url:value = 'https://update-check.example.com/x']")
	compound.Score = ptr(60)
	own := indicator("ind-own", "[domain-name:value = 'update-check.example.com' AND domain-name:resolves_to_refs[*].value = '151.101.1.69']")
	own.Score = ptr(50)
	related := indicator("ind-related", "[domain-name:value = 'bad-cdn.example.net']")
	related.Revoked = true
	related.ValidUntil = ptr(date("2026-06-01T00:00:00Z"))

	res := &opencti.LookupResult{
		Indicators: []opencti.Indicator{compound, exact},
		Observables: []opencti.Observable{
			{
				ID: "obs-domain", StandardID: domain.ID(), EntityType: "Domain-Name",
				ObservableValue: "update-check.example.com", Value: "update-check.example.com",
				Score: ptr(0), Labels: []string{"dns"},
				Indicators: []opencti.Indicator{exact, own},
				Matches:    []stix.Observable{domain},
			},
			{
				ID: "obs-ip", StandardID: addr.ID(), EntityType: "IPv4-Addr",
				ObservableValue: "151.101.1.69", Value: "151.101.1.69",
				Related: []opencti.Relation{{
					RelationshipType: "resolves-to", Incoming: true,
					Observable: opencti.Observable{
						ID: "obs-bad", EntityType: "Domain-Name", ObservableValue: "bad-cdn.example.net",
						Value: "bad-cdn.example.net", Indicators: []opencti.Indicator{related},
					},
				}},
				Matches: []stix.Observable{addr},
			},
		},
	}
	events := testConfig().Build(alert, found.Findings, res)
	want := []string{IndicatorPatternMatch, IndicatorPartialPatternMatch, ObservableWithIndicator, ObservableWithRelatedIndicator}
	if diff := cmp.Diff(want, types(events)); diff != "" {
		t.Errorf("event types (-want +got):\n%s", diff)
	}
	golden(t, "dns", encode(t, events))
}

// TestRanking checks the order and the caps: not revoked, detection on,
// higher score, higher confidence, not expired, with missing values ranked
// below present ones.
func TestRanking(t *testing.T) {
	alert := readAlert(t, "suricata-alert-http-public-src")
	found := extract.Default().Extract(alert)
	pattern := "[ipv4-addr:value = '45.146.165.37']"
	mk := func(id string, f func(*opencti.Indicator)) opencti.Indicator {
		ind := indicator(id, pattern)
		f(&ind)
		return ind
	}
	inds := []opencti.Indicator{
		mk("revoked", func(i *opencti.Indicator) { i.Revoked = true; i.Score = ptr(100) }),
		mk("no-detection", func(i *opencti.Indicator) { i.Detection = ptr(false); i.Score = ptr(100) }),
		mk("detection-unset", func(i *opencti.Indicator) { i.Detection = nil; i.Score = ptr(100) }),
		mk("score-null", func(i *opencti.Indicator) { i.Score = nil }),
		mk("score-0", func(i *opencti.Indicator) { i.Score = ptr(0) }),
		mk("score-90", func(i *opencti.Indicator) { i.Score = ptr(90) }),
		mk("score-80-conf-null", func(i *opencti.Indicator) { i.Confidence = nil }),
		mk("score-80-conf-90", func(i *opencti.Indicator) { i.Confidence = ptr(90) }),
		mk("score-80-conf-90-expired", func(i *opencti.Indicator) {
			i.Confidence = ptr(90)
			i.ValidUntil = ptr(testNow)
		}),
		mk("score-90", func(i *opencti.Indicator) { i.Score = ptr(90) }), // duplicate id
	}
	b := newBuilder(testConfig(), alert, found.Findings)
	var got []string
	for _, ind := range b.rank(inds) {
		got = append(got, ind.ID)
	}
	want := []string{"score-90", "score-80-conf-90", "score-80-conf-90-expired", "score-80-conf-null",
		"score-0", "score-null", "detection-unset", "no-detection", "revoked"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rank order (-want +got):\n%s", diff)
	}

	cfg := testConfig()
	cfg.MaxIndicatorEvents = 2
	events := cfg.Build(alert, found.Findings, &opencti.LookupResult{Indicators: inds})
	got = nil
	for _, e := range events {
		got = append(got, e.Body.fields[1].val.(Object).fields[0].val.(Object).fields[0].val.(string))
	}
	if diff := cmp.Diff([]string{"score-90", "score-80-conf-90"}, got); diff != "" {
		t.Errorf("capped indicator events (-want +got):\n%s", diff)
	}

	cfg.MaxIndicatorEvents = 0
	if events := cfg.Build(alert, found.Findings, &opencti.LookupResult{Indicators: inds}); len(events) != 0 {
		t.Errorf("MaxIndicatorEvents 0 wrote %d events", len(events))
	}
}

// TestObservableCap checks max_obs_alerts, which the Python integration never applied.
func TestObservableCap(t *testing.T) {
	alert := readAlert(t, "suricata-alert-http-public-src")
	found := extract.Default().Extract(alert)
	var obs []opencti.Observable
	for i := range 6 {
		id := string(rune('a' + i))
		ind := indicator("ind-"+id, "[domain-name:value = 'other.example']")
		ind.Score = ptr(10 * i)
		obs = append(obs, opencti.Observable{ID: "obs-" + id, EntityType: "Domain-Name", Value: id + ".example", Indicators: []opencti.Indicator{ind}})
	}
	events := testConfig().Build(alert, found.Findings, &opencti.LookupResult{Observables: obs})
	var got []string
	for _, e := range events {
		o, _ := e.Body.Get("opencti")
		id, _ := o.(Object).Get("id")
		got = append(got, id.(string))
	}
	if diff := cmp.Diff([]string{"obs-f", "obs-e", "obs-d"}, got); diff != "" {
		t.Errorf("observable events (-want +got):\n%s", diff)
	}
}

// TestNoIndicatorTwice: an indicator shared by two observables is reported
// once; the second observable is reported only with what is left.
func TestNoIndicatorTwice(t *testing.T) {
	alert := readAlert(t, "sysmon-eid22-dns-public-results")
	found := extract.Default().Extract(alert)
	shared := indicator("shared", "[domain-name:value = 'update-check.example.com']")
	res := &opencti.LookupResult{
		Indicators: []opencti.Indicator{shared},
		Observables: []opencti.Observable{
			{ID: "d", EntityType: "Domain-Name", Value: "update-check.example.com", Indicators: []opencti.Indicator{shared}},
			{ID: "h", EntityType: "Hostname", Value: "update-check.example.com", Indicators: []opencti.Indicator{shared}},
		},
	}
	events := testConfig().Build(alert, found.Findings, res)
	if diff := cmp.Diff([]string{IndicatorPatternMatch}, types(events)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestZeroAndFalseKept(t *testing.T) {
	alert := readAlert(t, "suricata-alert-http-public-src")
	ind := indicator("z", "[ipv4-addr:value = '45.146.165.37']")
	ind.Score, ind.Confidence, ind.Detection = ptr(0), ptr(0), ptr(false)
	ind.Labels, ind.Description = nil, ""
	events := testConfig().Build(alert, extract.Default().Extract(alert).Findings, &opencti.LookupResult{Indicators: []opencti.Indicator{ind}})
	if len(events) != 1 {
		t.Fatalf("got %d events", len(events))
	}
	b := events[0].Body.AppendJSON(nil)
	for _, want := range []string{`"x_opencti_score":0`, `"confidence":0`, `"x_opencti_detection":false`, `"revoked":false`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("event lacks %s: %s", want, b)
		}
	}
	for _, absent := range []string{`"labels"`, `"description"`} {
		if bytes.Contains(b, []byte(absent)) {
			t.Errorf("event has empty %s: %s", absent, b)
		}
	}
}

func TestNilResult(t *testing.T) {
	alert := readAlert(t, "suricata-alert-http-public-src")
	if events := testConfig().Build(alert, nil, nil); events != nil {
		t.Errorf("Build(nil result) = %v", events)
	}
}

func TestErrorEvent(t *testing.T) {
	alert := readAlert(t, "misc-sshd-invalid-user-ipv6-agent-labels-cluster")
	e := testConfig().ErrorEvent(alert, "OpenCTI did not answer within 10s")
	golden(t, "error", encode(t, []Event{e}))
}

// TestShrink: an event too big for a datagram is shrunk, lists first, then
// strings, and marked truncated; it stays valid JSON within the limit.
func TestShrink(t *testing.T) {
	alert := readAlert(t, "syscheck-modified-manager-000-whodata")
	found := extract.Default().Extract(alert)
	ind := indicator("big", "[file:hashes.'SHA-256' = '36386bc5a3388b25c62e5d2c857443ae6958911bf00300ff595d04484aa75e15']")
	for i := range 5000 {
		ind.Labels = append(ind.Labels, strings.Repeat("l", 10)+string(rune('a'+i%26)))
	}
	ind.Description = strings.Repeat("Ω <desc> ", 20000)
	res := &opencti.LookupResult{Indicators: []opencti.Indicator{ind}}
	labels := len(ind.Labels)

	limit := wazuh.MaxMessageSize - len(wazuh.Header(alert.Agent, DefaultName))
	events := testConfig().Build(alert, found.Findings, res)
	if len(events) != 1 {
		t.Fatalf("got %d events", len(events))
	}
	e := events[0]
	msg, err := wazuh.Message(alert.Agent, DefaultName, e)
	if err != nil {
		t.Fatalf("the shrunk event does not fit a datagram: %v", err)
	}
	b := msg[len(wazuh.Header(alert.Agent, DefaultName)):]
	if len(b) > limit || !json.Valid(b) || !e.Truncated {
		t.Fatalf("event of %d bytes (limit %d), valid %v, truncated %v", len(b), limit, json.Valid(b), e.Truncated)
	}
	var decoded struct {
		OpenCTI struct {
			Truncated bool `json:"truncated"`
			EventType string
			Indicator struct {
				ID          string   `json:"id"`
				Labels      []string `json:"labels"`
				Description string   `json:"description"`
				Pattern     string   `json:"pattern"`
			} `json:"indicator"`
		} `json:"opencti"`
	}
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	o := decoded.OpenCTI
	if !o.Truncated || o.Indicator.ID != "big" || o.Indicator.Pattern != ind.Pattern {
		t.Errorf("shrunk event lost what rules need: %+v", o)
	}
	if len(o.Indicator.Labels) == 0 || len(o.Indicator.Labels) >= labels {
		t.Errorf("labels: %d left, want some but not all", len(o.Indicator.Labels))
	}
	if !strings.HasSuffix(o.Indicator.Description, "…") {
		t.Errorf("description not marked as cut: …%q", o.Indicator.Description[max(0, len(o.Indicator.Description)-20):])
	}

	// The original was not changed by shrinking.
	if len(ind.Labels) != labels {
		t.Errorf("shrinking changed the lookup result")
	}
}

// TestFitCutsWhatShrinks: a short string that escapes to more bytes than a
// longer one must not be chosen for cutting when cutting it gains nothing;
// the longer string is cut and the event keeps its content.
func TestFitCutsWhatShrinks(t *testing.T) {
	var body Object
	body.Set("event_type", IndicatorPatternMatch)
	body.Set("short", strings.Repeat("\x01", 66)) // 66 bytes, 398 encoded
	body.Set("long", strings.Repeat("x", 300))    // 300 bytes, 302 encoded
	var env Object
	env.Set("integration", "opencti")
	env.Set("opencti", body)
	limit := len(env.AppendJSON(nil)) - 200
	e := fitEvent(Event{Type: IndicatorPatternMatch, Body: env}, limit)
	b := e.Body.AppendJSON(nil)
	if len(b) > limit || !e.Truncated {
		t.Fatalf("event of %d bytes (limit %d), truncated %v", len(b), limit, e.Truncated)
	}
	o, _ := e.Body.Get("opencti")
	short, _ := o.(Object).Get("short")
	long, _ := o.(Object).Get("long")
	if short != strings.Repeat("\x01", 66) || !strings.HasSuffix(fmt.Sprint(long), "…") {
		t.Errorf("want the long string cut and the short one kept: %s", b)
	}
}

func TestFitMinimal(t *testing.T) {
	// Keys alone bigger than the limit: nothing to shorten, so the event is
	// replaced by a minimal one rather than cut.
	var body Object
	for i := range 100 {
		body.Set(strings.Repeat("k", 50)+string(rune('A'+i)), 1)
	}
	var env Object
	env.Set("integration", "opencti")
	env.Set("opencti", body)
	e := fitEvent(Event{Type: IndicatorPatternMatch, Body: env}, 200)
	b := e.Body.AppendJSON(nil)
	want := `{"integration":"opencti","opencti":{"event_type":"indicator_pattern_match","truncated":true}}`
	if string(b) != want || !e.Truncated {
		t.Errorf("got %s, want %s", b, want)
	}
}

func TestClassify(t *testing.T) {
	dns := readAlert(t, "sysmon-eid22-dns-public-results")
	fim := readAlert(t, "syscheck-modified-manager-000-whodata")
	findings := append(extract.Default().Extract(dns).Findings, extract.Default().Extract(fim).Findings...)
	b := newBuilder(testConfig(), dns, findings)
	const sha256 = "36386bc5a3388b25c62e5d2c857443ae6958911bf00300ff595d04484aa75e15"
	tests := []struct {
		pattern string
		want    string
		field   string // of the finding it concerns; "" for none
	}{
		{"[domain-name:value = 'update-check.example.com']", IndicatorPatternMatch, "data.win.eventdata.queryName"},
		{"[hostname:value = 'update-check.example.com']", IndicatorPatternMatch, "data.win.eventdata.queryName"},
		{"[domain-name:value='update-check.example.com']", IndicatorPatternMatch, "data.win.eventdata.queryName"},
		{"[domain-name:value = 'UPDATE-CHECK.example.com']", IndicatorPatternMatch, "data.win.eventdata.queryName"},
		{"[ipv4-addr:value = '151.101.1.69/32']", IndicatorPatternMatch, "data.win.eventdata.queryResults"},
		{"[ipv4-addr:value IN ('151.101.1.69')]", IndicatorPatternMatch, "data.win.eventdata.queryResults"},
		{"[ipv6-addr:value = '2a04:4e42:0::69']", IndicatorPatternMatch, "data.win.eventdata.queryResults"},
		{"[file:hashes.'SHA-256' = '" + strings.ToUpper(sha256) + "']", IndicatorPatternMatch, "syscheck"},
		{"[file:hashes.SHA256 = '" + sha256 + "']", IndicatorPatternMatch, "syscheck"},
		{"[file:hashes.MD5 = '24b5c44ecb0a40a22e3a238dfdff5812' OR file:hashes.'SHA-1' = '632d126b7b2f9130db0f93fa644c507c2482158d' OR file:hashes.'SHA-256' = '" + sha256 + "']", IndicatorPatternMatch, "syscheck"},
		{"[file:hashes.MD5 = '24b5c44ecb0a40a22e3a238dfdff5812' OR file:hashes.'SHA-256' = '" + sha256 + "']", IndicatorPartialPatternMatch, "syscheck"},
		{"[file:hashes.'SHA-256' = '" + sha256 + "' AND file:name = 'sshd']", IndicatorPartialPatternMatch, "syscheck"},
		{"[ipv4-addr:value = '151.101.1.69' OR ipv4-addr:value = '198.51.100.1']", IndicatorPartialPatternMatch, "data.win.eventdata.queryResults"},
		{"[ipv4-addr:value = '151.101.1.69'] AND [domain-name:value = 'x.example']", IndicatorPartialPatternMatch, "data.win.eventdata.queryResults"},
		{"[ipv4-addr:value != '151.101.1.69']", IndicatorPartialPatternMatch, ""},
		{"[ipv4-addr:value = '151.101.1.0/24']", IndicatorPartialPatternMatch, ""},
		{"not a pattern", IndicatorPartialPatternMatch, ""},
		{"[ipv4-addr:value = '151.101.1.69'] WITHIN 5 SECONDS", IndicatorPartialPatternMatch, ""},
	}
	for _, tt := range tests {
		got, f := b.classify(opencti.Indicator{Pattern: tt.pattern})
		field := ""
		if f != nil {
			field = f.Field
		}
		if got != tt.want || field != tt.field {
			t.Errorf("classify(%s) = %s, %q; want %s, %q", tt.pattern, got, field, tt.want, tt.field)
		}
	}
}

// TestLinksWithoutCredentials: a hook URL with a password must not put it
// in every event's links; a hook URL that is not one gives no links.
func TestLinksWithoutCredentials(t *testing.T) {
	for hook, want := range map[string]string{
		"https://wazuh:hunter2@cti.example/graphql": "https://cti.example/dashboard/observations/indicators/x",
		"https://cti.example/graphql":               "https://cti.example/dashboard/observations/indicators/x",
		"http://cti.example:8080/api/graphql":       "http://cti.example:8080/api/dashboard/observations/indicators/x",
		"https://cti.example/graphql/":              "https://cti.example/dashboard/observations/indicators/x",
		"https://cti.example/graphql?x=1#top":       "https://cti.example/dashboard/observations/indicators/x",
		"https://cti.example":                       "https://cti.example/dashboard/observations/indicators/x",
		"not a url":                                 "",
		"":                                          "",
	} {
		b := newBuilder(Config{HookURL: hook}, &wazuh.Alert{}, nil)
		if got := b.indicatorLink("x"); got != want {
			t.Errorf("hook %q: link %q, want %q", hook, got, want)
		}
	}
}
