package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/output.txt")

// TestRun runs the program over its sample alerts and one of the module's
// own (which the built-ins handle), and compares the output with
// testdata/output.txt.
func TestRun(t *testing.T) {
	args := []string{
		"testdata/fetchd-download.json",
		"testdata/fetchd-internal-mirror.json",
		"../../extract/testdata/alerts/sysmon-eid22-dns-public-results.json",
	}
	var out, errOut bytes.Buffer
	if status := explain(args, &out, &errOut); status != 0 || errOut.Len() > 0 {
		t.Fatalf("status %d, stderr %q", status, errOut.String())
	}
	golden := filepath.Join("testdata", "output.txt")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	// What the extractor is for: the URL, its host and the file of the
	// download, besides the built-ins' finding.
	for _, s := range []string{
		"fetchd-downloads  url       url          https://files.example.net/tools/setup.exe?token=f81c2",
		"fetchd-downloads  url-host  domain-name  files.example.net",
		"fetchd-downloads  file      file         SHA-256=fb9f1174c3578c88c6608b313de618dbd40bb1b1fb84f56bd857f66b036ae61f",
		"generic-addresses source    ipv4-addr    45.146.165.37",
	} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("output lacks %q", s)
		}
	}
}

func TestRunErrors(t *testing.T) {
	var out, errOut bytes.Buffer
	if status := explain(nil, &out, &errOut); status != 2 {
		t.Errorf("no arguments: status %d", status)
	}
	errOut.Reset()
	if status := explain([]string{"testdata/no-such.json", "testdata/fetchd-download.json"}, &out, &errOut); status != 1 || !strings.Contains(errOut.String(), "no-such.json") {
		t.Errorf("missing file: status %d, stderr %q", status, errOut.String())
	}
}
