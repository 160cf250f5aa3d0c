package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Event types, short.
const (
	ipm  = "indicator_pattern_match"
	ippm = "indicator_partial_pattern_match"
	owi  = "observable_with_indicator"
	owri = "observable_with_related_indicator"
	errE = "error"
)

// TestE2EEventSources runs one alert of every event source through the
// binary, as Wazuh 4.8 runs it without debug, and compares the datagrams
// exactly with testdata/e2e/golden/<alert>.datagrams.
func TestE2EEventSources(t *testing.T) {
	tests := []struct {
		alert   string
		options string // "" for none
		want    []string
	}{
		// Upper-case hex in the alert; the MD5 indicator is written
		// hashes.MD5 with upper-case hex, found as a spelling variant.
		{"sysmon-eid1-hashes", "", []string{ipm, ipm}},
		// An exact, a revoked (ranked last) and a compound indicator.
		{"sysmon-eid3-network", "", []string{ipm, ipm, owi}},
		// Name, CNAME target and an IPv4-mapped address in the answers.
		{"sysmon-eid22-cname", "", []string{ipm, owi, owi}},
		// No answers: the name alone is looked up; it resolved to a
		// flagged address before.
		{"sysmon-eid22-nxdomain", "", []string{owri}},
		// Destination (a /32 pattern), HTTP host (stored as a Hostname)
		// and the URL.
		{"suricata-http", "", []string{ipm, ipm, ipm}},
		{"suricata-tls", "", []string{ipm}},
		{"suricata-fileinfo", "", []string{ipm}},
		{"suricata-dns", "", []string{ipm}},
		{"packetbeat-dns", "", []string{ipm}},
		{"fim-added", "", []string{ipm}},
		{"osquery-hashes", "", []string{ipm}},
		// The logged URL differs in case from the indicator's: OpenCTI
		// finds it (it compares case-insensitively), but it is not the
		// same URL: a partial match. Its host has a compound indicator.
		{"audit-url", "", []string{ippm, owi}},
		{"sshd-srcip", "", []string{ipm}},
		// An IPv6 source written in full form; the manager's own alert.
		{"sshd-srcip-ipv6-manager", "", []string{ipm}},
		// Special ranges, looked up only when the options say so.
		{"firewall-documentation-range", `{"lookup_ranges": ["203.0.113.0/24"]}`, []string{ipm}},
		{"firewall-private", `{"include_private_addresses": true}`, []string{ipm}},
	}
	for _, tt := range tests {
		t.Run(tt.alert, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, nil)
			e := newEnv(t)
			alert := e.alert(tt.alert)
			opts := ""
			if tt.options != "" {
				opts = e.options(tt.options)
			}
			r := e.run(alert, e2eToken, srv.GraphQLURL(), "", opts, "10", "3", redirect48)
			if r.status != 0 || r.stderr != "" || r.stdout != "" {
				t.Fatalf("exit status %d, stdout %q, stderr %q; want 0 and silence\nlog:\n%s", r.status, r.stdout, r.stderr, r.log)
			}
			checkDatagrams(t, r.msgs, header(t, alert, "opencti"), "opencti")
			if diff := cmp.Diff(tt.want, eventTypes(decodeEvents(t, r.msgs))); diff != "" {
				t.Errorf("event types (-want +got):\n%s", diff)
			}
			checkGoldenDatagrams(t, tt.alert, r.msgs, srv)
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("%d requests to OpenCTI, want one per alert", n)
			}
		})
	}
}

// TestE2EEventTypesCovered checks the golden datagrams, between them,
// hold every kind of finding, so that a change of the bundle or the alerts
// cannot quietly lose one (the error event is the fault matrix's).
func TestE2EEventTypesCovered(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "e2e", "golden", "*.datagrams"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden datagrams: %v", err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range splitDatagrams(t, string(data)) {
			if ev, ok := d.Event.(map[string]any); ok {
				if o, ok := ev["opencti"].(map[string]any); ok {
					seen[fmt.Sprint(o["event_type"])] = true
				}
			}
		}
	}
	for _, want := range []string{ipm, ippm, owi, owri} {
		if !seen[want] {
			t.Errorf("no golden datagram has event type %s", want)
		}
	}
}
