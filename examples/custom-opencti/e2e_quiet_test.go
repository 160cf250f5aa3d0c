package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestE2ENothingToLookUp checks alerts with nothing to look up, our own
// events among them: exit 0, no datagram, no request to OpenCTI; with
// debug one record says why, without debug nothing is logged at all.
func TestE2ENothingToLookUp(t *testing.T) {
	tests := []struct {
		alert, why string
	}{
		{"own-event", "the alert is an event of the opencti integration itself"},
		{"no-observables", "no extractor found an observable"},
		{"firewall-private", "dropped by the policy: 10.20.30.40 (private 10.0.0.0/8), 10.40.0.1 (private 10.0.0.0/8)"},
		{"firewall-documentation-range", "dropped by the policy: 203.0.113.77 (documentation 203.0.113.0/24), 10.40.0.1 (private 10.0.0.0/8)"},
	}
	for _, tt := range tests {
		t.Run(tt.alert, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, nil)
			e := newEnv(t)
			alert := e.alert(tt.alert)
			for _, debug := range []bool{true, false} {
				args := []string{alert, e2eToken, srv.GraphQLURL(), "", "", "10", "3", redirect48}
				if debug {
					args = []string{alert, e2eToken, srv.GraphQLURL(), "debug", "", "10", "3"}
				}
				r := e.run(args...)
				if r.status != 0 || r.stdout != "" || r.stderr != "" || len(r.msgs) != 0 {
					t.Errorf("debug %t: exit status %d, stdout %q, stderr %q, %d datagrams; want 0, silence, none",
						debug, r.status, r.stdout, r.stderr, len(r.msgs))
				}
				if !debug {
					if r.log != "" {
						t.Errorf("without debug, the log has:\n%s", r.log)
					}
					continue
				}
				lines := logLines(r.log)
				if len(lines) != 3 || !strings.HasPrefix(lines[0], "custom-opencti: DEBUG: started ") {
					t.Fatalf("want three debug records (started, nothing to look up, done), got:\n%s", r.log)
				}
				id := strings.TrimPrefix(alertID.FindString(lines[2]), "alert_id=")
				want := []string{
					`custom-opencti: DEBUG: nothing to look up alert_id=` + id + ` reason="` + tt.why + `"`,
					`custom-opencti: DEBUG: done alert_id=` + id + ` took=DURATION`,
				}
				if diff := cmp.Diff(want, lines[1:]); diff != "" || id == "" {
					t.Errorf("debug records (-want +got):\n%s", diff)
				}
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests to OpenCTI, want none", n)
			}
		})
	}
}
