package extract_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// appDownload is a user's extractor, written as a user would in their own
// package: the download URL and SHA-256 that a custom decoder writes.
var appDownload = extract.Func("app-download", func(a *wazuh.Alert) []extract.Finding {
	var fs []extract.Finding
	if s, ok := a.Field("data.app.download_url").String(); ok {
		if u, err := stix.NewURL(s); err == nil {
			fs = append(fs, extract.Finding{Observable: u, Field: "data.app.download_url", Role: extract.RoleURL})
		}
	}
	if s, ok := a.Field("data.app.sha256").String(); ok {
		if h, err := stix.NewHash(stix.SHA256, s); err == nil {
			if f, err := stix.NewFile("", h); err == nil {
				fs = append(fs, extract.Finding{Observable: f, Field: "data.app.sha256", Role: extract.RoleFile})
			}
		}
	}
	return fs
})

const appAlert = `{"rule":{"id":"100700","groups":["app","local"]},"agent":{"id":"004"},
 "data":{"srcip":"45.146.165.37","app":{"download_url":"HTTPS://Dl.Example.NET/a.exe?x=1",
 "sha256":"FB9F1174C3578C88C6608B313DE618DBD40BB1B1FB84F56BD857F66B036AE61F"}},"location":"/var/log/app.json"}`

func decode(t testing.TB, js string) *wazuh.Alert {
	t.Helper()
	a, err := wazuh.DecodeAlert([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func lines(r extract.Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, describe(f))
	}
	return out
}

func TestUserExtractorPlugsIn(t *testing.T) {
	a := decode(t, appAlert)

	// Default alone does not know the app's fields.
	if got := lines(extract.Default().Extract(a)); !cmp.Equal(got, []string{"generic-addresses source data.srcip ipv4-addr 45.146.165.37"}) {
		t.Errorf("Default: %q", got)
	}

	set := extract.Default().With(appDownload)
	want := []string{
		"generic-addresses source data.srcip ipv4-addr 45.146.165.37",
		"app-download url data.app.download_url url https://dl.example.net/a.exe?x=1",
		"app-download url-host data.app.download_url domain-name dl.example.net",
		"app-download file data.app.sha256 file SHA-256=fb9f1174c3578c88c6608b313de618dbd40bb1b1fb84f56bd857f66b036ae61f",
	}
	if diff := cmp.Diff(want, lines(set.Extract(a))); diff != "" {
		t.Errorf("Default().With(app-download) (-want +got):\n%s", diff)
	}
	if names := set.Names(); names[len(names)-1] != "app-download" || len(names) != len(extract.Default().Names())+1 {
		t.Errorf("Names() = %q", names)
	}

	// Without removes a built-in and leaves the user's extractor.
	if diff := cmp.Diff(want[1:], lines(set.Without("generic-addresses").Extract(a))); diff != "" {
		t.Errorf("Without(generic-addresses) (-want +got):\n%s", diff)
	}
	// A set of the user's extractor alone.
	if diff := cmp.Diff(want[1:], lines(extract.NewSet(extract.DefaultPolicy(), appDownload).Extract(a))); diff != "" {
		t.Errorf("NewSet(app-download) (-want +got):\n%s", diff)
	}
}

func TestSetWithReplacesByName(t *testing.T) {
	mine := extract.Func("generic-addresses", func(*wazuh.Alert) []extract.Finding { return nil })
	s := extract.Default()
	r := s.With(mine, nil)
	if !slices.Equal(s.Names(), r.Names()) {
		t.Errorf("replacing kept the position? %q vs %q", s.Names(), r.Names())
	}
	a := decode(t, appAlert)
	if got := r.Extract(a); len(got.Findings) != 0 {
		t.Errorf("the replaced built-in still ran: %q", lines(got))
	}
	if got := s.Extract(a); len(got.Findings) != 1 {
		t.Errorf("With changed the original set: %q", lines(got))
	}
}

func TestSetNamesAndWithout(t *testing.T) {
	want := []string{"sysmon-hashes", "sysmon-network", "sysmon-dns", "suricata", "packetbeat-dns", "fim", "osquery", "audit-urls", "generic-addresses"}
	s := extract.Default()
	if diff := cmp.Diff(want, s.Names()); diff != "" {
		t.Errorf("Default().Names() (-want +got):\n%s", diff)
	}
	w := s.Without("suricata", "fim", "no-such-extractor")
	if diff := cmp.Diff([]string{"sysmon-hashes", "sysmon-network", "sysmon-dns", "packetbeat-dns", "osquery", "audit-urls", "generic-addresses"}, w.Names()); diff != "" {
		t.Errorf("Without (-want +got):\n%s", diff)
	}
	if len(s.Names()) != len(want) {
		t.Errorf("Without changed the original set")
	}
	if got := extract.NewSet(extract.Policy{}).Names(); len(got) != 0 {
		t.Errorf("empty set has names %q", got)
	}
}

// Removing the suricata extractor stops looking at Suricata alerts: the
// generic extractor does not step in.
func TestWithoutSuricataReallyStops(t *testing.T) {
	a := readAlert(t, "testdata/alerts/suricata-alert-tls-sni.json")
	res := extract.Default().Without("suricata").Extract(a)
	if len(res.Findings) != 0 {
		t.Errorf("findings without the suricata extractor: %q", lines(res))
	}
}

func TestSetDeduplicates(t *testing.T) {
	ip := must(extract.ParseAddress("45.146.165.37"))
	u := must(stix.NewURL("http://45.146.165.37/x"))
	first := extract.Func("first", func(*wazuh.Alert) []extract.Finding {
		return []extract.Finding{
			{Observable: ip, Field: "data.a", Role: extract.RoleSource},
			{Observable: ip, Field: "data.b", Role: extract.RoleDestination},
		}
	})
	second := extract.Func("second", func(*wazuh.Alert) []extract.Finding {
		return []extract.Finding{
			{Observable: u, Field: "data.u", Role: extract.RoleURL},
			{Observable: must(extract.ParseAddress("::ffff:45.146.165.37")), Field: "data.c", Role: extract.RoleAddress},
		}
	})
	res := extract.NewSet(extract.DefaultPolicy(), first, second).Extract(anyAlert)
	want := []string{
		"first source data.a ipv4-addr 45.146.165.37",
		"second url data.u url http://45.146.165.37/x",
	}
	if diff := cmp.Diff(want, lines(res)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestSetRejectsBadFindings(t *testing.T) {
	bad := extract.Func("bad", func(*wazuh.Alert) []extract.Finding {
		return []extract.Finding{
			{Observable: nil, Field: "data.nil"},
			{Observable: stix.IPv4Addr{}, Field: "data.zero"},
			{Observable: must(extract.ParseAddress("45.146.165.37")), Field: "data.ok", Role: extract.RoleSource, Extractor: "lies"},
		}
	})
	res := extract.NewSet(extract.DefaultPolicy(), bad).Extract(anyAlert)
	if diff := cmp.Diff([]string{"bad source data.ok ipv4-addr 45.146.165.37"}, lines(res)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	want := []extract.Invalid{
		{Field: "data.nil", Extractor: "bad", Reason: "the extractor returned no observable"},
		{Field: "data.zero", Extractor: "bad", Reason: "the extractor returned an invalid ipv4-addr observable"},
	}
	if diff := cmp.Diff(want, res.Invalid); diff != "" {
		t.Errorf("Invalid (-want +got):\n%s", diff)
	}
}

func TestSetSkips(t *testing.T) {
	set := extract.Default()
	if got := set.Extract(nil).Skipped; got != "no alert" {
		t.Errorf("nil alert: %q", got)
	}
	own := []string{
		`{"rule":{"id":"100210","groups":["opencti"]},"data":{"integration":"opencti","opencti":{"source":{"src_ip":"45.146.165.37"}},"srcip":"45.146.165.37"},"location":"x"}`,
		`{"rule":{"id":"100210"},"data":{"integration":"custom-opencti","srcip":"45.146.165.37"},"location":"x"}`,
		`{"rule":{"id":"100210"},"data":{"srcip":"45.146.165.37"},"location":"opencti"}`,
	}
	for _, js := range own {
		res := set.Extract(decode(t, js))
		if len(res.Findings) != 0 || res.Skipped != "the alert is an event of the opencti integration itself" {
			t.Errorf("own event %s: %q, skipped %q", js, lines(res), res.Skipped)
		}
	}
	// A renamed integration guards its own name.
	p := extract.DefaultPolicy()
	p.IntegrationName = "custom-threatintel"
	renamed := set.WithPolicy(p)
	if res := renamed.Extract(decode(t, `{"data":{"integration":"threatintel","srcip":"45.146.165.37"}}`)); len(res.Findings) != 0 {
		t.Errorf("renamed integration's own event looked up: %q", lines(res))
	}
	if res := renamed.Extract(decode(t, `{"data":{"integration":"opencti","srcip":"45.146.165.37"}}`)); len(res.Findings) != 1 {
		t.Errorf("another integration's event not looked up: %q (%s)", lines(res), res.Skipped)
	}
}

func TestSetConcurrent(t *testing.T) {
	set := extract.Default().With(appDownload)
	alerts := []*wazuh.Alert{decode(t, appAlert)}
	for _, p := range sampleAlerts(t) {
		alerts = append(alerts, readAlert(t, p))
	}
	want := make([][]string, len(alerts))
	for i, a := range alerts {
		want[i] = lines(set.Extract(a))
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i, a := range alerts {
				if got := lines(set.Extract(a)); !cmp.Equal(got, want[i]) {
					t.Errorf("concurrent run differs: %q vs %q", got, want[i])
				}
			}
		})
	}
	wg.Wait()
}

func TestFuncNil(t *testing.T) {
	e := extract.Func("nil", nil)
	if e.Name() != "nil" || e.Extract(anyAlert) != nil || appDownload.Extract(nil) != nil {
		t.Error("Func with nil function or alert found something")
	}
	for _, b := range extract.Builtins() {
		if b.Extract(nil) != nil {
			t.Errorf("%s: found something in a nil alert", b.Name())
		}
	}
}

// A built-in used alone, outside a Set, leaves Extractor empty for the Set
// to fill in.
func TestBuiltinAlone(t *testing.T) {
	a := readAlert(t, "testdata/alerts/suricata-alert-http-public-src.json")
	for _, b := range extract.Builtins() {
		if b.Name() != "suricata" {
			continue
		}
		fs := b.Extract(a)
		if len(fs) == 0 {
			t.Fatal("suricata found nothing")
		}
		for _, f := range fs {
			if f.Extractor != "" {
				t.Errorf("Extractor = %q outside a Set", f.Extractor)
			}
		}
	}
}
