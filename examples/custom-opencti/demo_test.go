package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// normaliseDemo replaces what changes from run to run: the fake's port,
// the temporary home and the durations.
func normaliseDemo(s string) string {
	for _, r := range []struct{ re, with string }{
		{`http://127\.0\.0\.1:\d+`, "http://127.0.0.1:PORT"},
		{`/tmp/[^ ]*wazuh-home-\d+|/tmp/wh-\d+`, "HOME"},
		{`, \d+(\.\d+)?(ms|µs|s)\n`, ", TIME\n"},
	} {
		s = regexp.MustCompile(r.re).ReplaceAllString(s, r.with)
	}
	return s
}

// TestDemo runs the demo as a user would and compares what it prints with
// testdata/demo.txt: every alert, the exit status, and every event Wazuh
// would receive.
func TestDemo(t *testing.T) {
	var out, errOut bytes.Buffer
	if status := run([]string{"demo"}, &out, &errOut); status != exitOK {
		t.Fatalf("demo exited %d: %s", status, errOut.String())
	}
	got := normaliseDemo(out.String())
	path := filepath.Join("testdata", "demo.txt")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("demo output differs from %s (-want +got):\n%s", path, diff)
	}
	for _, event := range []string{"indicator_pattern_match", "observable_with_indicator", "observable_with_related_indicator"} {
		if !strings.Contains(got, event) {
			t.Errorf("the demo shows no %s event", event)
		}
	}
}

// TestDemoRaw checks -json prints datagrams as analysisd receives them and
// -log the integration's log, without the token.
func TestDemoRaw(t *testing.T) {
	var out, errOut bytes.Buffer
	if status := run([]string{"demo", "-json", "-log"}, &out, &errOut); status != exitOK {
		t.Fatalf("demo exited %d: %s", status, errOut.String())
	}
	if !strings.Contains(out.String(), `   1:[002] (ids-sensor-01) 10.40.0.5->opencti:{"integration":"opencti","opencti":{`) {
		t.Errorf("no raw datagram in:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "custom-opencti: INFO: looked up") {
		t.Errorf("no log in:\n%s", out.String())
	}
	if strings.Contains(out.String(), "Bearer") {
		t.Errorf("credentials in the output")
	}
}
