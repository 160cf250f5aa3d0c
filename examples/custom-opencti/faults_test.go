package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/opencti/openctitest"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// faultAlert is the alert of the fault cases: one public address, which
// the e2e bundle has an indicator for.
const faultAlert = "sshd-srcip"

// A lookup that fails is bounded by timeout × (retries + 1) plus the
// backoff before each retry (at most 0.5 s before the first): with argv
// timeout 1 and retries 1, 2.5 s. faultSlack allows for starting the
// process and a loaded CI machine.
const (
	faultTimeout = "1"
	faultRetries = "1"
	faultBudget  = 2500 * time.Millisecond
	faultSlack   = 3500 * time.Millisecond
)

// faultCase is one row of the fault matrix.
type faultCase struct {
	name string
	// run prepares the case and runs the binary; the fake (started
	// before, on the e2e bundle) may be changed or ignored.
	run func(t *testing.T, e *env, srv *openctitest.Server) result
	// status is the exit status; stderr a part of the one line printed
	// (nothing is printed when status is 0).
	status int
	stderr string
	// errorEvent is a part of opencti.error of the error event sent last;
	// "" when OpenCTI is not at fault and no error event may be sent.
	errorEvent string
	// requests is how many requests the fake given to run received:
	// one, plus one per retry of a failure worth retrying.
	requests int
	// maxTook bounds the run's wall time (0: not checked).
	maxTook time.Duration
	// events are the event types of a run that succeeds.
	events []string
	// logHas are parts of one log record that must be there.
	logHas []string
	// check makes further assertions.
	check func(t *testing.T, r result, e *env)
}

// integratord runs the fault alert as Wazuh 4.8 does with debug on, with
// argv timeout 1 and retries 1 and the options given ("" for none).
func integratord(e *env, url, options string) result {
	e.t.Helper()
	opts := ""
	if options != "" {
		opts = e.options(options)
	}
	return e.run(e.alert(faultAlert), e2eToken, url, "debug", opts, faultTimeout, faultRetries)
}

// withAlert runs an alert file of the given content.
func withAlert(content []byte) func(*testing.T, *env, *openctitest.Server) result {
	return func(t *testing.T, e *env, srv *openctitest.Server) result {
		return e.run(e.writeAlert(content), e2eToken, srv.GraphQLURL(), "debug", "", faultTimeout, faultRetries)
	}
}

func withFault(f openctitest.Fault) func(*testing.T, *env, *openctitest.Server) result {
	return func(t *testing.T, e *env, srv *openctitest.Server) result {
		srv.SetFault(f)
		return integratord(e, srv.GraphQLURL(), "")
	}
}

// TestFaultMatrix runs the binary against each failure of OpenCTI, of
// analysisd's socket and of the alert file, and checks it never panics,
// ends with the documented exit status (2 bad arguments or options,
// 4 OpenCTI failed, 5 socket, 6 alert missing, 7 invalid alert), prints
// exactly one clear line on stderr, logs an ERROR record, never shows the
// token, and sends an error event when OpenCTI is at fault.
func TestFaultMatrix(t *testing.T) {
	sshdAlert, err := os.ReadFile("testdata/e2e/alerts/" + faultAlert + ".json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []faultCase{
		{
			name: "OpenCTI unreachable",
			run: func(t *testing.T, e *env, srv *openctitest.Server) result {
				return integratord(e, closedURL(t), "")
			},
			status: 4, stderr: "OpenCTI lookup failed: connection: cannot reach OpenCTI (opencti: Post", errorEvent: "connection refused", requests: 0,
			maxTook: faultBudget + faultSlack,
		},
		{
			name: "OpenCTI hanging",
			run: func(t *testing.T, e *env, srv *openctitest.Server) result {
				srv.SetLatency(time.Minute)
				return integratord(e, srv.GraphQLURL(), "")
			},
			// Which gives up first, the second attempt's timeout or the
			// whole lookup's budget, depends on scheduling: both say
			// "context deadline exceeded".
			status: 4, stderr: "context deadline exceeded", errorEvent: "context deadline exceeded", requests: 2,
			maxTook: faultBudget + faultSlack,
			check: func(t *testing.T, r result, e *env) {
				if r.took < 2*time.Second {
					t.Errorf("took %s: gave up before timeout × (retries + 1) = 2s", r.took)
				}
			},
		},
		{
			// 500 is not worth retrying: the server failed, not a proxy.
			name:   "HTTP 500 with an HTML page",
			run:    withFault(openctitest.Fault{Kind: openctitest.FaultHTTP500}),
			status: 4, stderr: "OpenCTI lookup failed: HTTP: OpenCTI answered 500 (opencti: HTTP 500 Internal Server Error", errorEvent: "HTTP 500", requests: 1,
		},
		{
			name:   "HTTP 503 from a proxy, retried",
			run:    withFault(openctitest.Fault{Kind: openctitest.FaultHTTP500, Status: 503}),
			status: 4, stderr: "OpenCTI lookup failed: HTTP: a proxy in front of OpenCTI answered 503; OpenCTI may be down or overloaded (opencti: HTTP 503 Service Unavailable", errorEvent: "HTTP 503", requests: 2,
			maxTook: faultBudget + faultSlack,
		},
		{
			name:   "HTTP 503 once, then an answer",
			run:    withFault(openctitest.Fault{Kind: openctitest.FaultHTTP500, Status: 503, Times: 1}),
			status: 0, requests: 2, events: []string{ipm},
			logHas: []string{"WARNING: opencti request failed, retrying", "HTTP 503"},
		},
		{
			name:   "malformed JSON",
			run:    withFault(openctitest.Fault{Kind: openctitest.FaultMalformed}),
			status: 4, stderr: "OpenCTI lookup failed: opencti: invalid response: malformed JSON", errorEvent: "malformed JSON", requests: 1,
			maxTook: faultBudget + faultSlack,
		},
		{
			name:   "truncated JSON",
			run:    withFault(openctitest.Fault{Kind: openctitest.FaultTruncated}),
			status: 4, stderr: "OpenCTI lookup failed: opencti: invalid response: truncated JSON", errorEvent: "truncated JSON", requests: 1,
			maxTook: faultBudget + faultSlack,
		},
		{
			name:   "GraphQL error",
			run:    withFault(openctitest.Fault{Kind: openctitest.FaultGraphQLError, Code: "INTERNAL_SERVER_ERROR", Message: "Elasticsearch is unavailable"}),
			status: 4, stderr: "OpenCTI lookup failed: opencti: INTERNAL_SERVER_ERROR: Elasticsearch is unavailable", errorEvent: "Elasticsearch is unavailable", requests: 1,
			maxTook: faultBudget + faultSlack,
		},
		{
			name: "wrong token",
			run: func(t *testing.T, e *env, srv *openctitest.Server) result {
				other := newFake(t, nil, openctitest.WithToken("another-token-than-ours-0000"))
				r := integratord(e, other.GraphQLURL(), "")
				if n := len(other.Requests()); n != 1 {
					t.Errorf("%d requests with a refused token, want 1: no retry", n)
				}
				return r
			},
			status: 4, stderr: "OpenCTI lookup failed: authentication: OpenCTI refused the API key", errorEvent: "authentication: OpenCTI refused the API key", requests: 0,
		},
		{
			name:   "token revoked (AUTH_REQUIRED)",
			run:    withFault(openctitest.Fault{Kind: openctitest.FaultAuth}),
			status: 4, stderr: "OpenCTI lookup failed: authentication: OpenCTI refused the API key", errorEvent: "authentication: OpenCTI refused the API key", requests: 1,
		},
		{
			name:   "connection reset",
			run:    withFault(openctitest.Fault{Kind: openctitest.FaultReset}),
			status: 4, stderr: "OpenCTI lookup failed: connection: the connection to OpenCTI failed (opencti: Post", errorEvent: "connection reset by peer", requests: 2,
			maxTook: faultBudget + faultSlack,
		},
		{
			name: "TLS with an unknown CA",
			run: func(t *testing.T, e *env, srv *openctitest.Server) result {
				url, _, _ := newTLSFake(t)
				return integratord(e, url, "")
			},
			status: 4, stderr: "TLS: OpenCTI's certificate is signed by an unknown authority; trust its CA with ca_file in <options>", errorEvent: "x509: certificate signed by unknown authority", requests: 0,
		},
		{
			name: "TLS with ca_file",
			run: func(t *testing.T, e *env, srv *openctitest.Server) result {
				url, h, ca := newTLSFake(t)
				r := integratord(e, url, `{"ca_file": "`+ca+`"}`)
				if n := len(h.Requests()); n != 1 {
					t.Errorf("%d requests over TLS, want 1", n)
				}
				return r
			},
			status: 0, requests: 0, events: []string{ipm},
		},
		{
			name: "TLS with insecure_skip_verify, twice",
			run: func(t *testing.T, e *env, srv *openctitest.Server) result {
				url, _, _ := newTLSFake(t)
				first := integratord(e, url, `{"insecure_skip_verify": true}`)
				wantEvents(t, first, ipm)
				if !hasLine(first.log, "WARNING: TLS certificate verification is off (insecure_skip_verify)") {
					t.Errorf("first run: no warning in the log:\n%s", first.log)
				}
				return integratord(e, url, `{"insecure_skip_verify": true}`)
			},
			status: 0, requests: 0, events: []string{ipm},
			logHas: []string{"WARNING: TLS certificate verification is off (insecure_skip_verify): anyone on the path to OpenCTI can read the API key"},
		},
		{
			name: "queue socket missing (Wazuh not running)",
			run: func(t *testing.T, e *env, srv *openctitest.Server) result {
				if err := os.Remove(e.home.QueuePath()); err != nil {
					t.Fatal(err)
				}
				e.noQueue = true
				return integratord(e, srv.GraphQLURL(), "")
			},
			status: 5, stderr: "wazuh is not running (queue socket missing or refusing)", requests: 1,
		},
		{
			name: "queue socket stale (nobody reading it)",
			run: func(t *testing.T, e *env, srv *openctitest.Server) result {
				path := e.home.QueuePath()
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
				c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
				if err != nil {
					t.Fatal(err)
				}
				c.Close() // the file stays, nothing reads it: ECONNREFUSED
				e.noQueue = true
				return integratord(e, srv.GraphQLURL(), "")
			},
			status: 5, stderr: "sending event 1 of 1: wazuh: connecting to ", requests: 1,
		},
		{
			name: "event over 64 KiB",
			run: func(t *testing.T, e *env, srv *openctitest.Server) result {
				big := newFake(t, hugeIndicatorBundle(t))
				return integratord(e, big.GraphQLURL(), "")
			},
			status: 0, requests: 0, events: []string{ipm, ipm},
			logHas: []string{"WARNING: event shrunk to fit a datagram", "event_type=indicator_pattern_match"},
			check: func(t *testing.T, r result, e *env) {
				// The usual indicator (detection on) ranks first and is sent
				// whole; the huge one (no detection flag) follows, shrunk.
				if len(r.msgs) == 2 {
					evs := decodeEvents(t, r.msgs)
					if ev := evs[0].OpenCTI; ev.Truncated || ev.Indicator.Name != "SSH brute forcer 95.142.39.8" {
						t.Errorf("first event: indicator %q, truncated %t; want the usual one, whole", ev.Indicator.Name, ev.Truncated)
					}
					if ev := evs[1].OpenCTI; !ev.Truncated || ev.Indicator.Name != "Huge report" {
						t.Errorf("second event: indicator %q, truncated %t; want the huge one, truncated", ev.Indicator.Name, ev.Truncated)
					}
					// Shrunk, not emptied: the lists and strings are cut,
					// what is left is still worth reading.
					if n := len(r.msgs[1].Raw); n > 65535 || n < 32<<10 {
						t.Errorf("datagram of %d bytes, want it shrunk to between 32 KiB and 65,535 bytes", n)
					}
					var huge struct {
						OpenCTI struct {
							Indicator struct {
								Description string   `json:"description"`
								Labels      []string `json:"labels"`
							} `json:"indicator"`
						} `json:"opencti"`
					}
					if err := json.Unmarshal(r.msgs[1].Event, &huge); err != nil {
						t.Fatal(err)
					}
					ind := huge.OpenCTI.Indicator
					if !strings.HasPrefix(ind.Description, "A very long analysis. ") || len(ind.Labels) == 0 || len(ind.Labels) >= 3000 {
						t.Errorf("shrunk indicator: description %.40q… (%d bytes), %d labels; want both shortened, not gone",
							ind.Description, len(ind.Description), len(ind.Labels))
					}
				}
			},
		},
		{name: "alert file empty", run: withAlert(nil), status: 7, stderr: "alert", requests: 0},
		{name: "alert file truncated", run: withAlert(sshdAlert[:len(sshdAlert)/2]), status: 7, stderr: "alert", requests: 0},
		{name: "alert file not an object", run: withAlert([]byte(`["not", "an", "alert"]` + "\n")), status: 7, stderr: "alert", requests: 0},
		{name: "alert file JSON null", run: withAlert([]byte("null\n")), status: 7, stderr: "alert", requests: 0},
		{name: "alert file binary garbage", run: withAlert(garbage(t, 4096)), status: 7, stderr: "alert", requests: 0},
		{name: "alert file of 2 MiB", run: withAlert(bigAlert(sshdAlert, 2<<20)), status: 7, stderr: "alert", requests: 0},
		{
			name: "alert file missing",
			run: func(t *testing.T, e *env, srv *openctitest.Server) result {
				return e.run(e.tmp+"/"+tmpName("alert"), e2eToken, srv.GraphQLURL(), "debug", "", faultTimeout, faultRetries)
			},
			status: 6, stderr: "no such file or directory", requests: 0,
		},
		{
			name: "too few arguments",
			run: func(t *testing.T, e *env, srv *openctitest.Server) result {
				return e.run(e.alert(faultAlert), e2eToken)
			},
			status: 2, stderr: "wazuh: bad invocation: got 2 arguments, want at least 3 (alert file, api key, hook url)", requests: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, nil)
			e := newEnv(t)
			r := tt.run(t, e, srv)
			t.Logf("exit status %d in %s, %d requests; stderr: %s", r.status, r.took.Round(time.Millisecond), len(srv.Requests()), strings.TrimSuffix(r.stderr, "\n"))
			if tt.status == 0 {
				if r.status != 0 || r.stderr != "" || r.stdout != "" {
					t.Errorf("exit status %d, stdout %q, stderr %q; want 0 and silence\nlog:\n%s", r.status, r.stdout, r.stderr, r.log)
				}
				if strings.Contains(r.log, "ERROR:") {
					t.Errorf("an error was logged:\n%s", r.log)
				}
			} else {
				checkFailure(t, r, tt.status, tt.stderr)
			}
			evs := decodeEvents(t, r.msgs)
			var errEvents []event
			for _, ev := range evs {
				if ev.OpenCTI.EventType == errE {
					errEvents = append(errEvents, ev)
				}
			}
			switch {
			case tt.errorEvent == "" && len(errEvents) > 0:
				t.Errorf("an error event although OpenCTI is not at fault: %+v", errEvents[0].OpenCTI)
			case tt.errorEvent != "":
				checkErrorEvent(t, r, tt.errorEvent)
			}
			if n := len(srv.Requests()); n != tt.requests {
				t.Errorf("%d requests to OpenCTI, want %d", n, tt.requests)
			}
			if tt.maxTook > 0 && r.took > tt.maxTook {
				t.Errorf("the run took %s, more than %s", r.took, tt.maxTook)
			}
			if tt.status == 0 {
				wantEvents(t, r, tt.events...)
			}
			if len(tt.logHas) > 0 && !hasLine(r.log, tt.logHas...) {
				t.Errorf("no log record with %q in:\n%s", tt.logHas, r.log)
			}
			if tt.check != nil {
				tt.check(t, r, e)
			}
		})
	}
}

// checkErrorEvent checks the run sent exactly one event, the error event,
// under the alert's agent, saying want, with the alert's id and rule.
func checkErrorEvent(t *testing.T, r result, want string) {
	t.Helper()
	if len(r.msgs) != 1 {
		t.Fatalf("%d datagrams, want the error event alone", len(r.msgs))
	}
	checkDatagrams(t, r.msgs, "1:[021] (bastion-01) 2001|:db8|:20|:|:21->opencti:", "opencti")
	ev := decodeEvents(t, r.msgs)[0].OpenCTI
	t.Logf("opencti.error: %s", ev.Error)
	if ev.EventType != errE || !strings.Contains(ev.Error, want) {
		t.Errorf("event type %q, error %q; want an error event saying %q", ev.EventType, ev.Error, want)
	}
	if ev.Source["alert_id"] != "1770711130.1290489" || ev.Source["rule_id"] != "5710" {
		t.Errorf("error event source %v, want the alert's id and rule", ev.Source)
	}
	if strings.Contains(strings.ToLower(ev.Error), "bearer") {
		t.Errorf("the error event shows credentials: %q", ev.Error)
	}
}

func wantEvents(t *testing.T, r result, types ...string) {
	t.Helper()
	got := eventTypes(decodeEvents(t, r.msgs))
	if strings.Join(got, ",") != strings.Join(types, ",") {
		t.Errorf("event types %q, want %q\nstderr: %s\nlog:\n%s", got, types, r.stderr, r.log)
	}
}

// hugeIndicatorBundle is the e2e bundle plus, on the fault alert's
// address, an indicator far too big for a datagram: a 100 KB description
// and 3,000 labels.
func hugeIndicatorBundle(t *testing.T) *stix.Bundle {
	t.Helper()
	b := e2eBundle(t)
	labels := make([]string, 3000)
	for i := range labels {
		labels[i] = "label-" + strings.Repeat("x", 10) + "-" + string(rune('a'+i%26))
	}
	score := json.RawMessage(`99`)
	created := time.Date(2026, 2, 2, 10, 0, 0, 0, time.UTC)
	ind := stix.Indicator{
		ID:          "indicator--9e1c2f4a-7b3d-4c5e-8f60-1a2b3c4d5e6f",
		Created:     created,
		Modified:    created,
		Name:        "Huge report",
		Description: strings.Repeat("A very long analysis. ", 5000),
		Pattern:     "[ipv4-addr:value = '95.142.39.8']",
		PatternType: "stix",
		ValidFrom:   created,
		Labels:      labels,
		Custom:      map[string]json.RawMessage{"x_opencti_score": score},
	}
	o, err := stix.NewObject(ind)
	if err != nil {
		t.Fatal(err)
	}
	b.Objects = append(b.Objects, o)
	return b
}

// garbage is n random bytes that are not JSON.
func garbage(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	b[0] = 0x7f // never a JSON value's first byte
	return b
}

// bigAlert is the alert with a full_log padded to size bytes: valid JSON,
// but over the 1 MiB the integration accepts (integratord never passes an
// alert over 64 KiB).
func bigAlert(alert []byte, size int) []byte {
	alert = bytes.TrimSpace(alert)
	pad := size - len(alert) - len(`,"padding":""`)
	return append(append(alert[:len(alert)-1:len(alert)-1], []byte(`,"padding":"`+strings.Repeat("x", pad)+`"}`)...), '\n')
}
