package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestE2EArgvForms runs the same alert with every command line
// wazuh-integratord has used (see ParseInvocation and
// shared/notes/wazuh-integration.md) and checks each gives the same
// datagrams, exit status 0, nothing on stdout or stderr, and the log
// records of its debug setting: with debug, what was parsed (timeout and
// retries included) and each step; without, the one summary line.
func TestE2EArgvForms(t *testing.T) {
	const alertName = "suricata-http"
	const neutralOptions = `{"max_ind_alerts": 3}` // the default: same events
	tests := []struct {
		name string
		// rest is argv after ALERT KEY URL; OPTIONS stands for the
		// options file.
		rest    []string
		argv0   string // "" for the program's path
		debug   bool
		timeout string // as the debug log shows what was parsed
		retries string
	}{
		// Wazuh 4.3 – 4.6: four arguments; argv[0] was "integrations".
		{"4.3 debug", []string{"debug"}, "integrations", true, "10s", "3"},
		{"4.3", []string{redirect43}, "integrations", false, "", ""},
		// Wazuh 4.7: the options file fifth (or "" without <options>).
		{"4.7 debug", []string{"debug", "OPTIONS"}, "", true, "10s", "3"},
		{"4.7", []string{"", "OPTIONS"}, "", false, "", ""},
		{"4.7 redirection after the options", []string{"", "OPTIONS", redirect48}, "", false, "", ""},
		{"4.7 debug without options", []string{"debug", ""}, "", true, "10s", "3"},
		// Wazuh 4.8 and later: timeout and retries, and the redirection
		// text as one last argument when debug is off.
		{"4.8 debug", []string{"debug", "OPTIONS", "10", "3"}, "", true, "10s", "3"},
		{"4.8", []string{"", "OPTIONS", "10", "3", redirect48}, "", false, "", ""},
		{"4.8 without options", []string{"", "", "10", "3", redirect48}, "", false, "", ""},
		{"4.8 redirection split in words", []string{"", "OPTIONS", "10", "3", ">", "/dev/null", "2>&1"}, "", false, "", ""},
		{"4.8 debug with other timeout and retries", []string{"debug", "OPTIONS", "7", "2"}, "", true, "7s", "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, nil)
			e := newEnv(t)
			e.argv0 = tt.argv0
			alert := e.alert(alertName)
			opts := ""
			args := []string{alert, e2eToken, srv.GraphQLURL()}
			for _, a := range tt.rest {
				if a == "OPTIONS" {
					opts = e.options(neutralOptions)
					a = opts
				}
				args = append(args, a)
			}
			r := e.run(args...)
			if r.status != 0 || r.stdout != "" || r.stderr != "" {
				t.Fatalf("exit status %d, stdout %q, stderr %q; want 0 and silence\nlog:\n%s", r.status, r.stdout, r.stderr, r.log)
			}
			checkDatagrams(t, r.msgs, header(t, alert, "opencti"), "opencti")
			checkGoldenDatagrams(t, alertName, r.msgs, srv)

			want := []string{"custom-opencti: INFO: looked up 3 observables: 3 events alert_id=1770710401.1155866 rule_id=86601 requests=1"}
			if tt.debug {
				shownOpts := `""`
				if opts != "" {
					shownOpts = "OPTIONS"
				}
				want = []string{
					"custom-opencti: DEBUG: started invocation.alert_file=ALERT invocation.api_key=[redacted] invocation.hook_url=URL invocation.debug=true invocation.options_file=" + shownOpts + " invocation.timeout=" + tt.timeout + " invocation.retries=" + tt.retries,
					"custom-opencti: DEBUG: opencti request operation=lookup status=200 bytes=BYTES duration=DURATION",
					`custom-opencti: DEBUG: not looked up value=10.40.12.31 reason="private 10.0.0.0/8"`,
					want[0],
					"custom-opencti: DEBUG: done alert_id=1770710401.1155866 took=DURATION",
				}
			}
			got := logLines(r.log)
			for i, line := range got {
				line = strings.ReplaceAll(line, alert, "ALERT")
				if opts != "" {
					line = strings.ReplaceAll(line, opts, "OPTIONS")
				}
				line = strings.ReplaceAll(line, srv.GraphQLURL(), "URL")
				got[i] = requestStats.ReplaceAllString(line, "bytes=BYTES duration=DURATION")
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("integrations.log (-want +got):\n%s", diff)
			}
		})
	}
}
