package extract_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// sampleAlerts returns the paths of the sample alerts copied into
// testdata/alerts (invented data, so the tests need no environment).
func sampleAlerts(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "alerts", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no sample alerts in testdata/alerts: %v", err)
	}
	return paths
}

func readAlert(t testing.TB, path string) *wazuh.Alert {
	t.Helper()
	a, err := wazuh.ReadAlertFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// describe is the one-line form of a finding used by handExpected.
func describe(f extract.Finding) string {
	return f.Extractor + " " + string(f.Role) + " " + f.Field + " " + f.Observable.Type() + " " + value(f.Observable)
}

// value is an observable's value, or a file's hashes.
func value(o stix.Observable) string {
	if f, ok := o.(stix.File); ok {
		var hs []string
		for _, h := range f.Hashes() {
			hs = append(hs, h.String())
		}
		return strings.Join(hs, ",")
	}
	return o.String()
}

func TestSampleAlertsByHand(t *testing.T) {
	set := extract.Default()
	seen := map[string]bool{}
	for _, path := range sampleAlerts(t) {
		name := filepath.Base(path)
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			want, ok := handExpected[name]
			if !ok {
				t.Fatalf("no hand-derived expectation for %s: read the alert and add one to handExpected", name)
			}
			res := set.Extract(readAlert(t, path))
			var got []string
			for _, f := range res.Findings {
				got = append(got, describe(f))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings (-hand +got):\n%s", diff)
			}
			if len(res.Findings) == 0 {
				if diff := cmp.Diff(handSkipped[name], res.Skipped); diff != "" {
					t.Errorf("Skipped (-hand +got):\n%s", diff)
				}
			} else if res.Skipped != "" {
				t.Errorf("Skipped = %q with findings", res.Skipped)
			}
		})
	}
	for name := range handExpected {
		if !seen[name] {
			t.Errorf("handExpected names %s, which is not in testdata/alerts", name)
		}
	}
}

// goldenResult is the golden form of a Result: everything it holds, with
// observables as their STIX JSON.
type goldenResult struct {
	Findings []goldenFinding   `json:"findings"`
	Dropped  []goldenFinding   `json:"dropped,omitempty"`
	Invalid  []extract.Invalid `json:"invalid,omitempty"`
	Skipped  string            `json:"skipped,omitempty"`
}

type goldenFinding struct {
	Extractor  string          `json:"extractor"`
	Role       extract.Role    `json:"role"`
	Field      string          `json:"field"`
	Observable json.RawMessage `json:"observable"`
	Reason     string          `json:"reason,omitempty"`
}

func toGolden(t *testing.T, r extract.Result) goldenResult {
	t.Helper()
	conv := func(f extract.Finding, reason string) goldenFinding {
		b, err := json.Marshal(f.Observable)
		if err != nil {
			t.Fatalf("%v: %v", f.Observable, err)
		}
		return goldenFinding{Extractor: f.Extractor, Role: f.Role, Field: f.Field, Observable: b, Reason: reason}
	}
	g := goldenResult{Findings: []goldenFinding{}, Invalid: r.Invalid, Skipped: r.Skipped}
	for _, f := range r.Findings {
		g.Findings = append(g.Findings, conv(f, ""))
	}
	for _, d := range r.Dropped {
		g.Dropped = append(g.Dropped, conv(d.Finding, d.Reason))
	}
	return g
}

func TestSampleAlertsGolden(t *testing.T) {
	set := extract.Default()
	for _, path := range sampleAlerts(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			res := set.Extract(readAlert(t, path))
			for _, f := range append(res.Observables(), droppedObservables(res)...) {
				revalidate(t, f)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(toGolden(t, res)); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", name)
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), buf.String()); diff != "" {
				t.Errorf("result differs from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

func droppedObservables(r extract.Result) []stix.Observable {
	var out []stix.Observable
	for _, d := range r.Dropped {
		out = append(out, d.Finding.Observable)
	}
	return out
}

// revalidate checks that o survives a round trip through its STIX JSON and
// the stix package's parser: it is a valid, normalised observable.
func revalidate(t testing.TB, o stix.Observable) {
	t.Helper()
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatalf("%v: MarshalJSON: %v", o, err)
	}
	back, err := stix.ParseObservable(b)
	if err != nil {
		t.Fatalf("%s does not parse back: %v", b, err)
	}
	if back.ID() != o.ID() || back.Pattern() != o.Pattern() {
		t.Fatalf("%s parses back as %s (%s)", b, back.ID(), back.Pattern())
	}
}
