package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestE2EOptions runs alerts with <options> that change what is looked up
// or sent, and checks the event types, the header and the integration
// field, and the log.
func TestE2EOptions(t *testing.T) {
	tests := []struct {
		name, alert, options string
		want                 []string // event types; nil: no datagram
		integration          string   // "" for "opencti"
		logHas               []string // parts of one log record
	}{
		{name: "max_ind_alerts 1 keeps the best indicator", alert: "suricata-http",
			options: `{"max_ind_alerts": 1}`, want: []string{ipm}},
		{name: "max_ind_alerts 0", alert: "sysmon-eid3-network",
			options: `{"max_ind_alerts": 0}`, want: []string{owi}},
		{name: "max_obs_alerts 1", alert: "sysmon-eid22-cname",
			options: `{"max_obs_alerts": 1}`, want: []string{ipm, owi}},
		{name: "max_obs_alerts 0", alert: "sysmon-eid3-network",
			options: `{"max_obs_alerts": 0}`, want: []string{ipm, ipm}},
		{name: "disable_extractors leaves nothing to look up", alert: "sysmon-eid1-hashes",
			options: `{"disable_extractors": ["sysmon-hashes"]}`,
			logHas:  []string{"DEBUG: nothing to look up", "no extractor found an observable"}},
		{name: "disable_extractors of another source changes nothing", alert: "sysmon-eid1-hashes",
			options: `{"disable_extractors": ["suricata", "osquery"]}`, want: []string{ipm, ipm}},
		{name: "include_private_addresses", alert: "firewall-private",
			options: `{"include_private_addresses": true}`, want: []string{ipm}},
		{name: "private addresses by default", alert: "firewall-private", options: `{}`,
			logHas: []string{"DEBUG: nothing to look up", "10.20.30.40 (private 10.0.0.0/8)"}},
		{name: "lookup_ranges", alert: "firewall-documentation-range",
			options: `{"lookup_ranges": ["203.0.113.0/24"]}`, want: []string{ipm}},
		{name: "documentation ranges by default", alert: "firewall-documentation-range", options: `{}`,
			logHas: []string{"DEBUG: nothing to look up", "203.0.113.77 (documentation 203.0.113.0/24)"}},
		{name: "ignore_ranges", alert: "suricata-http",
			options: `{"ignore_ranges": ["62.210.77.0/24"]}`, want: []string{ipm, ipm},
			logHas: []string{"DEBUG: not looked up value=62.210.77.139"}},
		{name: "ignore_hashes", alert: "sysmon-eid1-hashes",
			options: `{"ignore_hashes": ["072B615057F060C96E31A2F44AF219B65BAD45F8171185D2E3D20397AEC83112"]}`,
			logHas:  []string{"DEBUG: nothing to look up"}},
		{name: "integration_name", alert: "sshd-srcip",
			options: `{"integration_name": "threatintel"}`, want: []string{ipm}, integration: "threatintel"},
		{name: "integration_name: own events under the new name are skipped", alert: "own-event-threatintel",
			options: `{"integration_name": "threatintel"}`,
			logHas:  []string{"DEBUG: nothing to look up", "the alert is an event of the threatintel integration itself"}},
		{name: "unknown keys are a warning", alert: "sshd-srcip",
			options: `{"max_ind_alerts": 2, "api_url": "https://cti.example/graphql", "colour": "blue"}`, want: []string{ipm},
			logHas: []string{"WARNING: ignoring an unknown option key=api_url"}},
		{name: "timeout and retries in the options", alert: "sshd-srcip",
			options: `{"timeout": "2.5s", "retries": 0}`, want: []string{ipm}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, nil)
			e := newEnv(t)
			alert := e.alert(tt.alert)
			r := e.run(alert, e2eToken, srv.GraphQLURL(), "debug", e.options(tt.options), "10", "3")
			if r.status != 0 || r.stdout != "" || r.stderr != "" {
				t.Fatalf("exit status %d, stdout %q, stderr %q; want 0 and silence\nlog:\n%s", r.status, r.stdout, r.stderr, r.log)
			}
			name := tt.integration
			if name == "" {
				name = "opencti"
			}
			checkDatagrams(t, r.msgs, header(t, alert, name), name)
			if diff := cmp.Diff(tt.want, eventTypes(decodeEvents(t, r.msgs))); diff != "" {
				t.Errorf("event types (-want +got):\n%s", diff)
			}
			if len(tt.want) == 0 && len(srv.Requests()) != 0 {
				t.Errorf("%d requests to OpenCTI for an alert with nothing to look up", len(srv.Requests()))
			}
			if len(tt.logHas) > 0 && !hasLine(r.log, tt.logHas...) {
				t.Errorf("no log record with %q in:\n%s", tt.logHas, r.log)
			}
			if strings.Contains(r.log, "ERROR:") {
				t.Errorf("an error was logged:\n%s", r.log)
			}
		})
	}
}

// TestE2EUnknownOptionsEachWarned checks every unknown key gets its own
// warning, also without debug, and the run goes on.
func TestE2EUnknownOptionsEachWarned(t *testing.T) {
	srv := newFake(t, nil)
	e := newEnv(t)
	r := e.run(e.alert("sshd-srcip"), e2eToken, srv.GraphQLURL(), "", e.options(`{"colour": "blue", "api_url": "x"}`), "10", "3", redirect48)
	if r.status != 0 || len(r.msgs) != 1 {
		t.Fatalf("exit status %d, %d datagrams; want 0 and 1\nstderr: %s", r.status, len(r.msgs), r.stderr)
	}
	want := []string{
		"custom-opencti: WARNING: ignoring an unknown option key=api_url",
		"custom-opencti: WARNING: ignoring an unknown option key=colour",
		"custom-opencti: INFO: looked up 1 observables: 1 events alert_id=1770711130.1290489 rule_id=5710 requests=1",
	}
	if diff := cmp.Diff(want, logLines(r.log)); diff != "" {
		t.Errorf("integrations.log (-want +got):\n%s", diff)
	}
}

// TestE2EInvalidOptions checks that an invalid <options> block or argument
// ends the run before any lookup with exit status 2, one clear line on
// stderr naming what is wrong, and an ERROR record.
func TestE2EInvalidOptions(t *testing.T) {
	tests := []struct {
		name    string
		options string // the options file's text; "MISSING" for no file
		args    []string
		stderr  string // the one line, after "custom-opencti: "
	}{
		{name: "max_ind_alerts negative", options: `{"max_ind_alerts": -1}`,
			stderr: "option max_ind_alerts: -1 is out of range 0 to 100"},
		{name: "max_obs_alerts too large", options: `{"max_obs_alerts": 1000}`,
			stderr: "option max_obs_alerts: 1000 is out of range 0 to 100"},
		{name: "max_obs_alerts of the wrong type", options: `{"max_obs_alerts": "three"}`,
			stderr: `wazuh: invalid options: key "max_obs_alerts": want an integer, got a JSON string`},
		{name: "timeout not a duration", options: `{"timeout": "fast"}`,
			stderr: `wazuh: invalid options: key "timeout": want seconds or a duration such as "10s", got "fast"`},
		{name: "retries out of range", options: `{"retries": 1000}`,
			stderr: "option retries: 1000 is out of range 0 to 100"},
		{name: "unknown extractor", options: `{"disable_extractors": ["nope"]}`,
			stderr: `option disable_extractors: no extractor is called "nope" (there are sysmon-hashes, sysmon-network, sysmon-dns, suricata, packetbeat-dns, fim, osquery, audit-urls, generic-addresses)`},
		{name: "integration_name with a colon", options: `{"integration_name": "open:cti"}`,
			stderr: `option integration_name: "open:cti": use letters, digits, '-' and '_' only`},
		{name: "ignore_hashes not hex", options: `{"ignore_hashes": ["xyz"]}`,
			stderr: `option ignore_hashes: "xyz" is not an MD5, SHA-1, SHA-256 or SHA-512 hex value`},
		{name: "lookup_ranges not a range", options: `{"lookup_ranges": ["everything"]}`,
			stderr: `wazuh: invalid options: key "lookup_ranges": `},
		{name: "not JSON", options: `{nope`, stderr: "not valid JSON: invalid character 'n' looking for an object key (at byte 1)"},
		{name: "not an object", options: `[1, 2]`, stderr: "want a JSON object"},
		{name: "options file missing", options: "MISSING", stderr: "wazuh: reading options: open "},
		{name: "timeout argument out of range", args: []string{"", "", "0", "3"},
			stderr: "wazuh: bad invocation: argument 6: timeout 0 is out of range (1 to 3600 seconds)"},
		{name: "retries argument out of range", args: []string{"", "", "10", "-1"},
			stderr: "wazuh: bad invocation: argument 7: retries -1 is out of range (0 to 100)"},
		{name: "no hook URL", args: []string{"", "", "10", "3"}, stderr: "is not an http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, nil)
			e := newEnv(t)
			url := srv.GraphQLURL()
			rest := tt.args
			switch {
			case tt.options == "MISSING":
				rest = []string{"debug", e.tmp + "/custom-opencti-1-2.options"}
			case tt.options != "":
				rest = []string{"debug", e.options(tt.options), "10", "3"}
			}
			if tt.name == "no hook URL" {
				url = ""
			}
			r := e.run(append([]string{e.alert("sshd-srcip"), e2eToken, url}, rest...)...)
			checkFailure(t, r, 2, tt.stderr)
			if len(r.msgs) != 0 {
				t.Errorf("%d datagrams, want none:\n%s", len(r.msgs), r.msgs[0].Raw)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests to OpenCTI, want none", n)
			}
		})
	}
}

// checkFailure checks how a run that fails ends: the exit status, exactly
// one line on stderr, "custom-opencti: " and then text containing want,
// nothing on stdout, and an ERROR record with the same message and exit
// status in the log.
func checkFailure(t *testing.T, r result, status int, want string) {
	t.Helper()
	if r.status != status {
		t.Errorf("exit status %d, want %d\nstderr: %s\nlog:\n%s", r.status, status, r.stderr, r.log)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q, want nothing", r.stdout)
	}
	line, rest, _ := strings.Cut(r.stderr, "\n")
	if rest != "" || !strings.HasSuffix(r.stderr, "\n") {
		t.Errorf("stderr is not exactly one line: %q", r.stderr)
	}
	t.Logf("stderr: %s", line)
	msg, ok := strings.CutPrefix(line, program+": ")
	if !ok || !strings.Contains(msg, want) {
		t.Errorf("stderr %q, want %q + a message containing %q", line, program+": ", want)
	}
	if !hasLine(r.log, program+": ERROR: ", msg, "exit_status="+strconv.Itoa(status)) {
		t.Errorf("no ERROR record with the stderr message and exit_status=%d in the log:\n%s", status, r.log)
	}
}
