// Command custom-extractor is a user's own OpenCTI integration for Wazuh:
// the reference integration plus an extractor for the fields that a custom
// Wazuh decoder writes for a made-up download manager, fetchd. Installed as
// <home>/integrations/custom-opencti, wazuh-integratord runs it like the
// reference integration; its explain subcommand prints what would be looked
// up in OpenCTI for each alert file given:
//
//	go run ./examples/custom-extractor explain examples/custom-extractor/testdata/*.json
//
// See README.md for how to write an extractor of your own.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/opencti/enrich"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "explain" {
		os.Exit(explain(args[1:], os.Stdout, os.Stderr))
	}
	// Everything else is wazuh-integratord running the integration: the
	// reference integration's whole pipeline, with our extractor set.
	os.Exit(enrich.Program{Name: "custom-opencti", Extractors: extractors()}.Main(args))
}

// fetchdDownloads finds the IoCs of fetchd's download log, which a custom
// decoder turns into data.app.download_url and data.app.sha256 (and
// data.app.name, which is not an observable). It only reads the alert;
// the Set applies the policy (private hosts, ignored hashes, the cap) and
// adds the URL's host, so an extractor stays this small.
func fetchdDownloads(a *wazuh.Alert) []extract.Finding {
	if a.Decoder.Name != "fetchd" && !a.HasGroup("fetchd") {
		return nil
	}
	var fs []extract.Finding
	if s, ok := a.Field("data.app.download_url").String(); ok {
		// Invalid values are left out: an extractor returns valid
		// observables only.
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
}

// extractors is the set this binary uses: every built-in plus ours.
func extractors() *extract.Set {
	return extract.Default().With(extract.Func("fetchd-downloads", fetchdDownloads))
}

// explain prints what the set would look up in each alert file.
func explain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, "usage: custom-extractor explain ALERT_FILE...")
		return 2
	}
	set := extractors()
	status := 0
	for _, path := range args {
		a, err := wazuh.ReadAlertFile(path)
		if err != nil {
			fmt.Fprintln(stderr, "custom-extractor:", err)
			status = 1
			continue
		}
		res := set.Extract(a)
		fmt.Fprintf(stdout, "%s\n", path)
		for _, f := range res.Findings {
			fmt.Fprintf(stdout, "  look up  %-17s %-9s %-12s %s\n", f.Extractor, f.Role, f.Observable.Type(), f.Observable)
		}
		for _, d := range res.Dropped {
			fmt.Fprintf(stdout, "  dropped  %-17s %-9s %-12s %s: %s\n", d.Finding.Extractor, d.Finding.Role, d.Finding.Observable.Type(), d.Finding.Observable, d.Reason)
		}
		if len(res.Findings) == 0 {
			fmt.Fprintf(stdout, "  nothing to look up: %s\n", res.Skipped)
		}
	}
	return status
}
