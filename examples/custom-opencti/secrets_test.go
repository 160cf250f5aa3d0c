package main

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wazuh-opencti/wazuh-opencti/opencti/openctitest"
)

// TestSecretsEveryCommandPath runs every command path of the binary with
// the recognisable token e2eToken (as the API key, in a token file and in
// $OPENCTI_TOKEN) and debug on, and checks the token appears in no log
// record, output, event or error: env.run fails the test when it shows in
// stdout, stderr, integrations.log or any datagram. Each path must also
// have produced what proves it ran, so a path that silently did nothing
// does not pass for a clean one.
func TestSecretsEveryCommandPath(t *testing.T) {
	type path struct {
		name string
		run  func(t *testing.T, e *env, srv *openctitest.Server) result
		// status is the exit status the path ends with.
		status int
		// shows is a part of the output (stdout, stderr, log or a
		// datagram) proving the path ran.
		shows string
	}
	integ := func(rest ...string) func(t *testing.T, e *env, srv *openctitest.Server) result {
		return func(t *testing.T, e *env, srv *openctitest.Server) result {
			return e.run(append([]string{e.alert(faultAlert), e2eToken, srv.GraphQLURL(), "debug"}, rest...)...)
		}
	}
	withFault := func(f openctitest.Fault) func(t *testing.T, e *env, srv *openctitest.Server) result {
		return func(t *testing.T, e *env, srv *openctitest.Server) result {
			srv.SetFault(f)
			return integratord(e, srv.GraphQLURL(), "")
		}
	}
	paths := []path{
		{"integratord: events sent", integ("", "10", "3"), 0, `"event_type":"indicator_pattern_match"`},
		{"integratord: nothing to look up", func(t *testing.T, e *env, srv *openctitest.Server) result {
			return e.run(e.alert("own-event"), e2eToken, srv.GraphQLURL(), "debug")
		}, 0, "nothing to look up"},
		{"integratord: OpenCTI refuses the token", func(t *testing.T, e *env, srv *openctitest.Server) result {
			other := newFake(t, nil, openctitest.WithToken("another-token-than-ours-0000"))
			return integratord(e, other.GraphQLURL(), "")
		}, 4, "AUTH_REQUIRED"},
		{"integratord: OpenCTI unreachable", func(t *testing.T, e *env, srv *openctitest.Server) result {
			return integratord(e, closedURL(t), "")
		}, 4, "connection refused"},
		{"integratord: OpenCTI answers 500", withFault(openctitest.Fault{Kind: openctitest.FaultHTTP500}), 4, "HTTP 500"},
		{"integratord: malformed answer", withFault(openctitest.Fault{Kind: openctitest.FaultMalformed}), 4, "malformed JSON"},
		{"integratord: OpenCTI's error message quotes the token",
			withFault(openctitest.Fault{Kind: openctitest.FaultGraphQLError, Code: "AUTH_REQUIRED", Message: "token " + e2eToken + " is expired"}),
			4, "is expired"},
		{"integratord: a proxy's error page echoes the request headers", func(t *testing.T, e *env, srv *openctitest.Server) result {
			return integratord(e, echoingProxy(t), "")
		}, 4, "HTTP 502"},
		{"integratord: TLS refused", func(t *testing.T, e *env, srv *openctitest.Server) result {
			url, _, _ := newTLSFake(t)
			return integratord(e, url, "")
		}, 4, "unknown authority"},
		{"integratord: queue socket missing", func(t *testing.T, e *env, srv *openctitest.Server) result {
			os.Remove(e.home.QueuePath())
			e.noQueue = true
			return integratord(e, srv.GraphQLURL(), "")
		}, 5, "wazuh is not running"},
		{"integratord: alert file missing", func(t *testing.T, e *env, srv *openctitest.Server) result {
			return e.run(filepath.Join(e.tmp, tmpName("alert")), e2eToken, srv.GraphQLURL(), "debug")
		}, 6, "no such file"},
		{"integratord: invalid alert", func(t *testing.T, e *env, srv *openctitest.Server) result {
			return e.run(e.writeAlert([]byte(`{"rule": `)), e2eToken, srv.GraphQLURL(), "debug")
		}, 7, "truncated"},
		{"integratord: invalid options", func(t *testing.T, e *env, srv *openctitest.Server) result {
			return e.run(e.alert(faultAlert), e2eToken, srv.GraphQLURL(), "debug", e.options(`{"integration_name": "`+e2eToken+`!"}`))
		}, 2, "integration_name"},
		{"integratord: too few arguments", func(t *testing.T, e *env, srv *openctitest.Server) result {
			return e.run(e.alert(faultAlert), e2eToken)
		}, 2, "want at least 3"},
		// <api_key>Bearer TOKEN</api_key>: integratord splits the command
		// line on spaces, so "Bearer" arrives as the key and the token
		// where the hook URL belongs.
		{"integratord: api_key written as \"Bearer TOKEN\"", func(t *testing.T, e *env, srv *openctitest.Server) result {
			return e.run(e.alert(faultAlert), "Bearer", e2eToken, srv.GraphQLURL(), "debug")
		}, 2, "URL"},
		{"check: works", func(t *testing.T, e *env, srv *openctitest.Server) result {
			return e.run("check", "-url", srv.GraphQLURL(), "-token-file", tokenFile(t, e))
		}, 0, "authenticated as"},
		{"check: token from the environment", func(t *testing.T, e *env, srv *openctitest.Server) result {
			return e.run("check", "-url", srv.GraphQLURL())
		}, 0, "authenticated as"},
		{"check: token refused", func(t *testing.T, e *env, srv *openctitest.Server) result {
			other := newFake(t, nil, openctitest.WithToken("another-token-than-ours-0000"))
			return e.run("check", "-url", other.GraphQLURL(), "-token-file", tokenFile(t, e))
		}, 4, "authentication"},
		{"check: a proxy's error page echoes the request headers", func(t *testing.T, e *env, srv *openctitest.Server) result {
			return e.run("check", "-url", echoingProxy(t), "-token-file", tokenFile(t, e))
		}, 4, "HTTP"},
		{"check: unreachable", func(t *testing.T, e *env, srv *openctitest.Server) result {
			return e.run("check", "-url", closedURL(t), "-token-file", tokenFile(t, e))
		}, 4, "connection"},
		{"explain", func(t *testing.T, e *env, srv *openctitest.Server) result {
			return e.run("explain", "-json", e.alert(faultAlert))
		}, 0, "95.142.39.8"},
		{"demo", func(t *testing.T, e *env, srv *openctitest.Server) result {
			return e.run("demo", "-json", "-log")
		}, 0, "indicator_pattern_match"},
		{"-version", func(t *testing.T, e *env, srv *openctitest.Server) result { return e.run("-version") }, 0, "custom-opencti "},
		{"-h", func(t *testing.T, e *env, srv *openctitest.Server) result { return e.run("-h") }, 0, "usage:"},
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, nil)
			e := newEnv(t)
			e.extraEnv = []string{"OPENCTI_TOKEN=" + e2eToken}
			r := p.run(t, e, srv) // env.run checks the token is nowhere
			if r.status != p.status {
				t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s\nlog:\n%s", r.status, p.status, r.stdout, r.stderr, r.log)
			}
			all := r.stdout + r.stderr + r.log
			for _, m := range r.msgs {
				all += string(m.Raw)
			}
			if !strings.Contains(all, p.shows) {
				t.Errorf("nothing shows %q: did the path run?\nstdout: %s\nstderr: %s\nlog:\n%s", p.shows, r.stdout, r.stderr, r.log)
			}
		})
	}
}

func tokenFile(t *testing.T, e *env) string {
	t.Helper()
	p := filepath.Join(e.tmp, "token")
	if err := os.WriteFile(p, []byte(e2eToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// echoingProxy is a reverse proxy that fails with 502 and, as some do,
// shows the request's headers in its error page: the token included.
func echoingProxy(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, "<html><body><h1>502 Bad Gateway</h1><p>upstream failed for request with Authorization: %s (token %s)</p></body></html>",
			html.EscapeString(r.Header.Get("Authorization")), html.EscapeString(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/graphql"
}

// TestSecretsTLSVerifiedByDefault checks a server whose certificate cannot
// be verified never gets the token: without options the handshake fails,
// so the server receives no request at all; the run fails with exit 4.
func TestSecretsTLSVerifiedByDefault(t *testing.T) {
	url, h, _ := newTLSFake(t)
	e := newEnv(t)
	r := integratord(e, url, "")
	checkFailure(t, r, 4, "x509: certificate signed by unknown authority")
	if n := len(h.Requests()); n != 0 {
		t.Errorf("the server received %d requests: the token went to an unverified server", n)
	}
	// The same server with insecure_skip_verify: the request goes through,
	// and the run warns.
	r = integratord(e, url, `{"insecure_skip_verify": true}`)
	if r.status != 0 || len(h.Requests()) != 1 {
		t.Errorf("with insecure_skip_verify: exit status %d, %d requests; want 0 and 1", r.status, len(h.Requests()))
	}
	if !hasLine(r.log, "WARNING: TLS certificate verification is off") {
		t.Errorf("no warning with insecure_skip_verify:\n%s", r.log)
	}
}

// TestSecretsHookURLPassword checks a password in the hook URL's user
// information stays out of the log and the events (the links to the
// OpenCTI dashboard are derived from the hook URL).
func TestSecretsHookURLPassword(t *testing.T) {
	const password = "hunter2-4f9d2c7a1b"
	srv := newFake(t, nil)
	e := newEnv(t)
	url := strings.Replace(srv.GraphQLURL(), "http://", "http://wazuh:"+password+"@", 1)
	r := e.run(e.alert(faultAlert), e2eToken, url, "debug", "", "10", "3")
	if r.status != 0 || len(r.msgs) == 0 {
		t.Fatalf("exit status %d, %d datagrams; want 0 and events\nstderr: %s", r.status, len(r.msgs), r.stderr)
	}
	if strings.Contains(r.log, password) || strings.Contains(r.stderr, password) {
		t.Errorf("the hook URL's password is in the log or on stderr:\n%s%s", r.log, r.stderr)
	}
	for _, m := range r.msgs {
		if strings.Contains(string(m.Raw), password) {
			t.Errorf("the hook URL's password is in an event: %s", m.Raw)
			break
		}
	}
}
