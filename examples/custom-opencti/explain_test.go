package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// explainInputs are the sample alerts of the extract package (invented
// data), a truncated alert and a file that does not exist.
func explainInputs(t *testing.T) []string {
	t.Helper()
	alerts, err := filepath.Glob("../../extract/testdata/alerts/*.json")
	if err != nil || len(alerts) == 0 {
		t.Fatalf("no sample alerts: %v", err)
	}
	return append(alerts, "testdata/truncated-alert.json", "testdata/no-such-alert.json")
}

func runExplain(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errOut bytes.Buffer
	status = run(append([]string{"explain"}, args...), &out, &errOut)
	return out.String(), errOut.String(), status
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("output differs from %s (-want +got):\n%s", path, diff)
	}
}

func TestExplainJSON(t *testing.T) {
	inputs := explainInputs(t)
	stdout, stderr, status := runExplain(t, append([]string{"-json"}, inputs...)...)
	if status != exitFailure {
		t.Errorf("status %d, want %d: two files cannot be read", status, exitFailure)
	}
	if stderr != "" {
		t.Errorf("stderr: %q", stderr)
	}
	checkGolden(t, "explain.jsonl", stdout)

	// The format, exactly: one object per file, in order, one per line.
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != len(inputs) {
		t.Fatalf("%d lines for %d files", len(lines), len(inputs))
	}
	for i, line := range lines {
		var rec map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		var file string
		if err := json.Unmarshal(rec["file"], &file); err != nil || file != inputs[i] {
			t.Errorf("line %d: file %s, want %q", i+1, rec["file"], inputs[i])
		}
		if _, ok := rec["error"]; ok {
			if got := keys(rec); !slices.Equal(got, []string{"error", "file"}) {
				t.Errorf("line %d: error record keys %q", i+1, got)
			}
			continue
		}
		var obs []map[string]json.RawMessage
		if err := json.Unmarshal(rec["observables"], &obs); err != nil {
			t.Fatalf("line %d: observables: %v", i+1, err)
		}
		want := []string{"extractors", "file", "observables"}
		if len(obs) == 0 {
			want = append(want, "skipped")
		}
		if got := keys(rec); !slices.Equal(got, want) {
			t.Errorf("line %d: keys %q, want %q", i+1, got, want)
		}
		for _, o := range obs {
			k := keys(o)
			if !slices.Equal(k, []string{"id", "type", "value"}) && !slices.Equal(k, []string{"hashes", "id", "type"}) &&
				!slices.Equal(k, []string{"hashes", "id", "name", "type"}) {
				t.Errorf("line %d: observable keys %q", i+1, k)
			}
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestExplainTable(t *testing.T) {
	stdout, _, status := runExplain(t, explainInputs(t)...)
	if status != exitFailure {
		t.Errorf("status %d, want %d", status, exitFailure)
	}
	checkGolden(t, "explain.txt", stdout)
}

func TestExplainStatus(t *testing.T) {
	ok := "../../extract/testdata/alerts/sysmon-eid22-dns-public-results.json"
	if _, _, status := runExplain(t, "-json", ok); status != exitOK {
		t.Errorf("readable file: status %d", status)
	}
	if _, _, status := runExplain(t, ok); status != exitOK {
		t.Errorf("readable file, table: status %d", status)
	}
	if _, stderr, status := runExplain(t); status != exitBadUsage || !strings.Contains(stderr, "usage:") {
		t.Errorf("no file: status %d, stderr %q", status, stderr)
	}
	if _, _, status := runExplain(t, "-nosuchflag", ok); status != exitBadUsage {
		t.Errorf("bad flag: status %d", status)
	}
	if _, stderr, status := runExplain(t, "-h"); status != exitOK || !strings.Contains(stderr, "-json") {
		t.Errorf("-h: status %d, stderr %q", status, stderr)
	}
	// An unreadable file does not stop the others.
	stdout, _, status := runExplain(t, "-json", "testdata/no-such-alert.json", ok)
	if status != exitFailure || strings.Count(stdout, "\n") != 2 || !strings.Contains(stdout, `"observables":[{`) {
		t.Errorf("status %d, output %q", status, stdout)
	}
}

func TestDispatch(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		status int
		stderr string
	}{
		{nil, exitBadUsage, "usage:"},
		{[]string{"check"}, exitBadUsage, "usage: custom-opencti check"},
		{[]string{"/tmp/custom-opencti-1-2.alert"}, exitBadUsage, "want at least 3"},
		{[]string{"-h"}, exitOK, ""},
		{[]string{"demo", "extra"}, exitBadUsage, "usage: custom-opencti demo"},
	} {
		var out, errOut bytes.Buffer
		if status := run(tc.args, &out, &errOut); status != tc.status || !strings.Contains(errOut.String(), tc.stderr) {
			t.Errorf("run(%q) = %d, stderr %q; want %d, %q", tc.args, status, errOut.String(), tc.status, tc.stderr)
		}
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"invoice\u202efdp.exe": `invoice\u202efdp.exe`,
		"a\tb\x1b[31m":         `a\tb\x1b[31m`,
		"Блокнот™":             "Блокнот™",
	} {
		if got := printable(in, 0); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
	if got := printable("abcdef", 3); got != "abc…" {
		t.Errorf("printable cut: %q", got)
	}
}
