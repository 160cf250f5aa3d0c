package opencti

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const healthOK = `{"data":{"about":{"version":"6.9.17"},"me":{"name":"wazuh-connector"}}}`

func TestHealth(t *testing.T) {
	srv := newTestServer(t, answerJSON(healthOK))
	c, _ := newTestClient(t, srv.GraphQLURL())
	h, err := c.Health(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := (Health{Version: "6.9.17", User: "wazuh-connector"}); h != want {
		t.Errorf("Health = %+v, want %+v", h, want)
	}
	r := srv.Requests()[0]
	want, _ := json.Marshal(struct {
		Query string `json:"query"`
		Op    string `json:"operationName"`
	}{health_Operation, "health"})
	if !bytes.Equal(r.Body, want) {
		t.Errorf("request body\n got %s\nwant %s", r.Body, want)
	}
	if strings.Contains(string(r.Body), "api_token") {
		t.Error("the health query selects api_token")
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
		t.Errorf("Authorization = %q", got)
	}
}

// TestGraphQLErrors checks that OpenCTI's errors (HTTP 200, or 400 for an
// invalid document) become typed errors, and that none is retried.
func TestGraphQLErrors(t *testing.T) {
	gqlError := func(code, msg string) string {
		return fmt.Sprintf(`{"errors":[{"message":%q,"locations":[{"line":1,"column":2}],"path":["me"],"extensions":{"code":%q}}],"data":null}`, msg, code)
	}
	tests := []struct {
		name     string
		status   int
		body     string
		sentinel error
		want     *GraphQLError
	}{
		{"auth required", 200, gqlError("AUTH_REQUIRED", "You must be logged in to do this."), ErrAuthRequired,
			&GraphQLError{Code: "AUTH_REQUIRED", Message: "You must be logged in to do this.", Path: []string{"me"}}},
		{"forbidden", 200, gqlError("FORBIDDEN_ACCESS", "You are not allowed to do this."), ErrForbidden,
			&GraphQLError{Code: "FORBIDDEN_ACCESS", Message: "You are not allowed to do this.", Path: []string{"me"}}},
		{"validation, HTTP 400", 400, gqlError("GRAPHQL_VALIDATION_FAILED", `Cannot query field "colour" on type "MeUser".`), ErrValidation,
			&GraphQLError{Code: "GRAPHQL_VALIDATION_FAILED", Message: `Cannot query field "colour" on type "MeUser".`, Path: []string{"me"}}},
		{"unsupported filter", 200, gqlError("UNSUPPORTED_ERROR", "Unsupported filter key"), ErrUnsupported,
			&GraphQLError{Code: "UNSUPPORTED_ERROR", Message: "Unsupported filter key", Path: []string{"me"}}},
		{"other code", 200, gqlError("DATABASE_ERROR", "Search fail"), nil,
			&GraphQLError{Code: "DATABASE_ERROR", Message: "Search fail", Path: []string{"me"}}},
		{"no code, list path", 200, `{"errors":[{"message":"boom","path":["stixCyberObservables","edges",3,"node"]}]}`, nil,
			&GraphQLError{Message: "boom", Path: []string{"stixCyberObservables", "edges", "3", "node"}}},
	}
	sentinels := []error{ErrAuthRequired, ErrForbidden, ErrValidation, ErrUnsupported}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, answer(tt.status, "application/json", tt.body))
			c, sl := newTestClient(t, srv.GraphQLURL(), WithRetries(3))
			_, err := c.Health(context.Background())
			var ge *GraphQLError
			if !errors.As(err, &ge) {
				t.Fatalf("error %v (%T) is not a *GraphQLError", err, err)
			}
			if diff := cmp.Diff(tt.want, ge); diff != "" {
				t.Errorf("GraphQLError (-want +got):\n%s", diff)
			}
			for _, s := range sentinels {
				if errors.Is(err, s) != (s == tt.sentinel) {
					t.Errorf("errors.Is(err, %v) = %t", s, errors.Is(err, s))
				}
			}
			if n := len(srv.Requests()); n != 1 || len(sl.Waits()) != 0 {
				t.Errorf("made %d requests with %d waits; GraphQL errors must not be retried", n, len(sl.Waits()))
			}
		})
	}
}

func TestGraphQLErrorsSeveral(t *testing.T) {
	body := `{"errors":[{"message":"a","extensions":{"code":"FORBIDDEN_ACCESS"}},{"message":"b","extensions":{"code":"DATABASE_ERROR"}}]}`
	srv := newTestServer(t, answerJSON(body))
	c, _ := newTestClient(t, srv.GraphQLURL())
	_, err := c.Health(context.Background())
	var list GraphQLErrors
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("error %v (%T), want GraphQLErrors of 2", err, err)
	}
	if !errors.Is(err, ErrForbidden) {
		t.Error("errors.Is(err, ErrForbidden) = false")
	}
	if want := "opencti: FORBIDDEN_ACCESS: a; DATABASE_ERROR: b"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
}

func TestHTTPErrors(t *testing.T) {
	html := "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title><style>body{}</style></head>\n<body>\n  <h1>Internal   Server Error</h1>\n <p>nginx</p></body></html>"
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		retries    int
		requests   int
		wantStatus int
		wantBody   string
		sentinel   error
	}{
		{"500 with an HTML page, not retried", answer(500, "text/html", html), 3, 1, 500,
			"500 Internal Server Error Internal Server Error nginx", nil},
		{"502 retried", answer(502, "text/html", "<h1>Bad Gateway</h1>"), 2, 3, 502, "Bad Gateway", nil},
		{"404 plain text", answer(404, "text/plain", "no such path\n"), 3, 1, 404, "no such path", nil},
		{"401 from a proxy", answer(401, "", ""), 3, 1, 401, "", ErrAuthRequired},
		{"403 from a proxy", answer(403, "text/html", "<b>denied</b>"), 3, 1, 403, "denied", ErrForbidden},
		{"long body cut", answer(500, "text/plain", strings.Repeat("é", 400)), 0, 1, 500, strings.Repeat("é", excerptLen/2) + "…", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, tt.handler)
			c, _ := newTestClient(t, srv.GraphQLURL(), WithRetries(tt.retries))
			_, err := c.Health(context.Background())
			var he *HTTPError
			if !errors.As(err, &he) {
				t.Fatalf("error %v (%T) is not an *HTTPError", err, err)
			}
			if he.StatusCode != tt.wantStatus || he.Body != tt.wantBody {
				t.Errorf("HTTPError = {%d, %q}, want {%d, %q}", he.StatusCode, he.Body, tt.wantStatus, tt.wantBody)
			}
			if n := len(srv.Requests()); n != tt.requests {
				t.Errorf("made %d requests, want %d", n, tt.requests)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(err, %v) = false", tt.sentinel)
			}
			if tt.sentinel == nil && (errors.Is(err, ErrAuthRequired) || errors.Is(err, ErrForbidden)) {
				t.Errorf("%v matches an auth sentinel", err)
			}
		})
	}
}

// TestInvalidResponses: bodies that are not GraphQL responses.
func TestInvalidResponses(t *testing.T) {
	tests := []struct {
		name, contentType, body, want string
	}{
		{"malformed JSON", "application/json", `{"data": {"about": {"version": 6.9.17}}}`, "malformed JSON at byte"},
		{"truncated JSON", "application/json", healthOK[:40], "truncated JSON"},
		{"HTML with status 200", "text/html", "<html><body>Please log in</body></html>", "Please log in"},
		{"empty body", "application/json", "", "empty body"},
		{"neither data nor errors", "application/json", `{}`, "neither data nor errors"},
		{"data of the wrong shape", "application/json", `{"data":{"about":{"version":7}}}`, "cannot unmarshal number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, answer(200, tt.contentType, tt.body))
			c, _ := newTestClient(t, srv.GraphQLURL(), WithRetries(2))
			_, err := c.Health(context.Background())
			if !errors.Is(err, ErrInvalidResponse) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want ErrInvalidResponse mentioning %q", err, tt.want)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("made %d requests; an invalid answer is not retried", n)
			}
		})
	}
}

func TestResponseTooLarge(t *testing.T) {
	big := `{"data":{"about":{"version":"` + strings.Repeat("9", 2000) + `"},"me":{"name":"x"}}}`
	chunked := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		for i := 0; i < len(big); i += 100 {
			w.Write([]byte(big[i:min(i+100, len(big))]))
			w.(http.Flusher).Flush()
		}
	}
	for _, tt := range []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"with Content-Length", answerJSON(big)},
		{"chunked", chunked},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, tt.handler)
			c, _ := newTestClient(t, srv.GraphQLURL(), WithMaxResponseSize(1000))
			_, err := c.Health(context.Background())
			if !errors.Is(err, ErrResponseTooLarge) {
				t.Errorf("error = %v, want ErrResponseTooLarge", err)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("made %d requests, want 1", n)
			}
		})
	}
	// Exactly at the limit is fine, and so is the largest limit.
	for _, limit := range []int64{int64(len(big)), math.MaxInt64} {
		srv := newTestServer(t, answerJSON(big))
		c, _ := newTestClient(t, srv.GraphQLURL(), WithMaxResponseSize(limit))
		if _, err := c.Health(context.Background()); err != nil {
			t.Errorf("a body of %d bytes with the limit %d: %v", len(big), limit, err)
		}
	}
}

// hangUp closes the connection without answering: a network error.
func hangUp(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func withRetryAfter(v string, status int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", v)
		w.WriteHeader(status)
	}
}

// TestRetries checks what is retried, how often, and how long each wait is
// (backoff 100 ms doubling up to 1 s, jitter fixed at one half).
func TestRetries(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name     string
		handlers []http.HandlerFunc
		retries  int
		wantErr  bool
		waits    []time.Duration
	}{
		{"succeeds first", []http.HandlerFunc{answerJSON(healthOK)}, 3, false, nil},
		{"503 then success", []http.HandlerFunc{answer(503, "", ""), answerJSON(healthOK)}, 3, false, []time.Duration{75 * ms}},
		{"429, 502, 504 then success", []http.HandlerFunc{answer(429, "", ""), answer(502, "", ""), answer(504, "", ""), answerJSON(healthOK)}, 3, false,
			[]time.Duration{75 * ms, 150 * ms, 300 * ms}},
		{"gives up after the retries", []http.HandlerFunc{answer(503, "", "")}, 4, true,
			[]time.Duration{75 * ms, 150 * ms, 300 * ms, 600 * ms}},
		{"backoff capped", []http.HandlerFunc{answer(503, "", "")}, 6, true,
			[]time.Duration{75 * ms, 150 * ms, 300 * ms, 600 * ms, 750 * ms, 750 * ms}},
		{"no retries", []http.HandlerFunc{answer(503, "", "")}, 0, true, nil},
		{"network error then success", []http.HandlerFunc{hangUp, answerJSON(healthOK)}, 3, false, []time.Duration{75 * ms}},
		{"Retry-After honoured", []http.HandlerFunc{withRetryAfter("1", 429), answerJSON(healthOK)}, 3, false, []time.Duration{time.Second}},
		{"Retry-After capped at the maximum", []http.HandlerFunc{withRetryAfter("120", 503), answerJSON(healthOK)}, 3, false, []time.Duration{time.Second}},
		{"auth errors are not retried", []http.HandlerFunc{answerJSON(`{"errors":[{"message":"no","extensions":{"code":"AUTH_REQUIRED"}}]}`)}, 3, true, nil},
		{"500 is not retried", []http.HandlerFunc{answer(500, "", "")}, 3, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, tt.handlers...)
			c, sl := newTestClient(t, srv.GraphQLURL(), WithRetries(tt.retries), WithBackoff(100*ms, time.Second))
			_, err := c.Health(context.Background())
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want error %t", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.waits, sl.Waits()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if n, want := len(srv.Requests()), len(tt.waits)+1; n != want {
				t.Errorf("made %d requests, want %d", n, want)
			}
		})
	}
}

// TestBackoffBounds checks the real jitter: every wait is between half and
// all of its step, and never above the maximum.
func TestBackoffBounds(t *testing.T) {
	tr := &transport{backoffBase: 200 * time.Millisecond, backoffMax: 5 * time.Second, jitter: newRand()}
	for attempt := range 100 {
		step := min(tr.backoffBase<<min(attempt, 30), tr.backoffMax)
		if attempt > 30 {
			step = tr.backoffMax
		}
		for range 20 {
			w := tr.backoff(attempt, 0)
			if w < step/2 || w > step {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, w, step/2, step)
			}
		}
	}
	if w := tr.backoff(0, time.Hour); w != tr.backoffMax {
		t.Errorf("backoff with Retry-After 1h = %v, want the maximum %v", w, tr.backoffMax)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0}, {"3", 3 * time.Second}, {" 10 ", 10 * time.Second}, {"0", 0}, {"-5", 0}, {"soon", 0},
		{"999999999", 24 * time.Hour},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func slow(d time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
		}
		answerJSON(healthOK)(w, r)
	}
}

func TestTimeouts(t *testing.T) {
	t.Run("per request, retried", func(t *testing.T) {
		srv := newTestServer(t, slow(2*time.Second))
		c, sl := newTestClient(t, srv.GraphQLURL(), WithTimeout(50*time.Millisecond), WithRetries(2))
		_, err := c.Health(context.Background())
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error = %v, want one wrapping context.DeadlineExceeded", err)
		}
		if n := len(srv.Requests()); n != 3 || len(sl.Waits()) != 2 {
			t.Errorf("made %d requests and %d waits, want 3 and 2", n, len(sl.Waits()))
		}
	})
	t.Run("caller's deadline", func(t *testing.T) {
		srv := newTestServer(t, slow(2*time.Second))
		c, _ := newTestClient(t, srv.GraphQLURL(), WithRetries(5))
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.Health(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error = %v, want one wrapping context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("took %v after the deadline", d)
		}
		if n := len(srv.Requests()); n != 1 {
			t.Errorf("made %d requests, want 1: the caller's deadline ends retries", n)
		}
	})
	t.Run("cancelled while waiting to retry", func(t *testing.T) {
		srv := newTestServer(t, answer(503, "", ""))
		c, err := New(srv.GraphQLURL(), testToken, WithBackoff(time.Hour, time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		_, err = c.Health(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error = %v, want one wrapping context.Canceled", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("cancellation took %v", d)
		}
	})
}

// TestRedirects: the token goes to the endpoint's origin only.
func TestRedirects(t *testing.T) {
	other := newTestServer(t, answerJSON(healthOK))
	redirectTo := func(url string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, url, http.StatusTemporaryRedirect)
		}
	}
	t.Run("to another host", func(t *testing.T) {
		srv := newTestServer(t, redirectTo(other.GraphQLURL()))
		c, _ := newTestClient(t, srv.GraphQLURL())
		if _, err := c.Health(context.Background()); err != nil {
			t.Fatal(err)
		}
		reqs := other.Requests()
		if len(reqs) != 1 {
			t.Fatalf("the other host got %d requests, want 1", len(reqs))
		}
		if got := reqs[0].Header.Get("Authorization"); got != "" {
			t.Errorf("the other host got Authorization %q", got)
		}
		if got := srv.Requests()[0].Header.Get("Authorization"); got != "Bearer "+testToken {
			t.Errorf("the endpoint got Authorization %q", got)
		}
	})
	t.Run("same origin", func(t *testing.T) {
		var srv *testServer
		srv = newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, srv.URL+"/api/graphql", http.StatusPermanentRedirect)
		}, answerJSON(healthOK))
		c, _ := newTestClient(t, srv.GraphQLURL())
		if _, err := c.Health(context.Background()); err != nil {
			t.Fatal(err)
		}
		reqs := srv.Requests()
		if len(reqs) != 2 || reqs[1].Path != "/api/graphql" || reqs[1].Header.Get("Authorization") != "Bearer "+testToken {
			t.Errorf("requests = %+v, want the redirect followed with the token", reqs)
		}
	})
	t.Run("loop", func(t *testing.T) {
		var srv *testServer
		srv = newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, srv.GraphQLURL(), http.StatusTemporaryRedirect)
		})
		c, _ := newTestClient(t, srv.GraphQLURL(), WithRetries(3))
		_, err := c.Health(context.Background())
		if err == nil || !strings.Contains(err.Error(), "redirect") {
			t.Errorf("error = %v, want a redirect error", err)
		}
		if n := len(srv.Requests()); n != 6 {
			t.Errorf("made %d requests, want 6 (5 redirects, no retry)", n)
		}
	})
}

// TestTokenNeverShown prints the client and its errors every way, and logs
// a failing exchange at debug level, looking for the token.
func TestTokenNeverShown(t *testing.T) {
	echo := func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		fmt.Fprintf(w, "<pre>%s</pre>", r.Header.Get("Authorization"))
	}
	gqlEcho := func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"errors":[{"message":"bad token %s","extensions":{"code":"AUTH_REQUIRED"}}]}`,
			strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	}
	// The token where the excerpt of the body is cut: no part of it may
	// show.
	cutEcho := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			fmt.Fprintf(w, "%s%s and more", strings.Repeat("x", excerptLen-10), strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		}
	}
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var shown []string
	for _, h := range []http.HandlerFunc{echo, gqlEcho, answer(503, "", ""), hangUp, cutEcho(500), cutEcho(200)} {
		srv := newTestServer(t, h)
		c, _ := newTestClient(t, srv.GraphQLURL(), WithLogger(logger), WithRetries(1))
		_, err := c.Health(context.Background())
		if err == nil {
			t.Fatal("want an error")
		}
		shown = append(shown, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err),
			fmt.Sprint(c), fmt.Sprintf("%#v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%v", *c), fmt.Sprintf("%#v", *c))
	}
	for _, s := range append(shown, logs.String()) {
		if strings.Contains(s, testToken[:8]) {
			t.Errorf("the token appears in %q", s)
		}
	}
	if !strings.Contains(shown[0], "[REDACTED]") {
		t.Errorf("echoed token not redacted: %q", shown[0])
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name, endpoint, token string
		opts                  []Option
		want                  string
	}{
		{"relative URL", "/graphql", testToken, nil, "not an http(s) URL"},
		{"other scheme", "ftp://opencti.example/graphql", testToken, nil, "not an http(s) URL"},
		{"no host", "https:///graphql", testToken, nil, "not an http(s) URL"},
		{"empty token", "https://opencti.example/graphql", "", nil, "empty API token"},
		{"token with a line break", "https://opencti.example/graphql", "abc\r\nX-Evil: 1", nil, "white space or control"},
		{"negative timeout", "https://opencti.example/graphql", testToken, []Option{WithTimeout(-time.Second)}, "negative timeout"},
		{"negative retries", "https://opencti.example/graphql", testToken, []Option{WithRetries(-1)}, "negative retry"},
		{"backoff", "https://opencti.example/graphql", testToken, []Option{WithBackoff(time.Second, time.Millisecond)}, "invalid backoff"},
		{"page size", "https://opencti.example/graphql", testToken, []Option{WithPageSize(MaxPageSize + 1)}, "page size"},
		{"pages", "https://opencti.example/graphql", testToken, []Option{WithMaxPages(0)}, "page limit"},
		{"response size", "https://opencti.example/graphql", testToken, []Option{WithMaxResponseSize(0)}, "size limit"},
		{"user agent", "https://opencti.example/graphql", testToken, []Option{WithUserAgent("a\nb")}, "line break"},
		{"missing CA file", "https://opencti.example/graphql", testToken, []Option{WithCAFile("/nonexistent/ca.pem")}, "CA file"},
		{"CA file without certificates", "https://opencti.example/graphql", testToken, []Option{WithCAFile("client_test.go")}, "no PEM certificate"},
		{"TLS options over a custom transport", "https://opencti.example/graphql", testToken,
			[]Option{WithHTTPClient(&http.Client{Transport: roundTripFunc(nil)}), WithInsecureSkipVerify()}, "need an *http.Transport"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.endpoint, tt.token, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New = %v, %v; want an error containing %q", c, err, tt.want)
			}
			if tt.token != "" && strings.Contains(err.Error(), tt.token) {
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(answerJSON(healthOK))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("unknown authority, not retried", func(t *testing.T) {
		c, sl := newTestClient(t, srv.URL+"/graphql", WithRetries(3))
		_, err := c.Health(context.Background())
		if err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("error = %v, want a certificate error", err)
		}
		if len(sl.Waits()) != 0 {
			t.Errorf("retried a certificate error %d times", len(sl.Waits()))
		}
	})
	t.Run("https to a plain HTTP server, not retried", func(t *testing.T) {
		plain := newTestServer(t, answerJSON(healthOK))
		c, sl := newTestClient(t, strings.Replace(plain.GraphQLURL(), "http://", "https://", 1), WithRetries(3))
		_, err := c.Health(context.Background())
		if !errors.Is(err, http.ErrSchemeMismatch) {
			t.Errorf("error = %v, want http.ErrSchemeMismatch", err)
		}
		if len(sl.Waits()) != 0 {
			t.Errorf("retried a scheme mismatch %d times", len(sl.Waits()))
		}
	})
	t.Run("CA file", func(t *testing.T) {
		c, _ := newTestClient(t, srv.URL+"/graphql", WithCAFile(caFile))
		if _, err := c.Health(context.Background()); err != nil {
			t.Error(err)
		}
	})
	t.Run("insecure", func(t *testing.T) {
		var logs bytes.Buffer
		c, _ := newTestClient(t, srv.URL+"/graphql", WithInsecureSkipVerify(), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
		if _, err := c.Health(context.Background()); err != nil {
			t.Error(err)
		}
		if !strings.Contains(logs.String(), "verification is off") {
			t.Errorf("no warning logged: %q", logs.String())
		}
	})
	t.Run("CA file over a given client", func(t *testing.T) {
		c, _ := newTestClient(t, srv.URL+"/graphql", WithHTTPClient(&http.Client{}), WithCAFile(caFile))
		if _, err := c.Health(context.Background()); err != nil {
			t.Error(err)
		}
	})
}

// TestHTTPClientOption: a given client is used (its transport wrapped) and
// not modified.
func TestHTTPClientOption(t *testing.T) {
	srv := newTestServer(t, answerJSON(healthOK))
	var seen string
	base := http.DefaultTransport
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = r.Header.Get("Authorization")
		return base.RoundTrip(r)
	})}
	orig := hc.Transport
	c, _ := newTestClient(t, srv.GraphQLURL(), WithHTTPClient(hc), WithUserAgent("my-tool/1.0"))
	if _, err := c.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	if seen != "Bearer "+testToken {
		t.Errorf("the given transport saw Authorization %q", seen)
	}
	if fmt.Sprint(hc.Transport) != fmt.Sprint(orig) {
		t.Error("the given client was modified")
	}
	if ua := srv.Requests()[0].Header.Get("User-Agent"); ua != "my-tool/1.0" {
		t.Errorf("User-Agent = %q", ua)
	}
}

func TestDefaultTransport(t *testing.T) {
	c, err := New("https://opencti.example/graphql", testToken)
	if err != nil {
		t.Fatal(err)
	}
	tr, ok := c.t.hc.Transport.(*authTransport).base.(*http.Transport)
	if !ok || tr.Proxy == nil {
		t.Errorf("default transport %T has no proxy function; want the proxy from the environment", c.t.hc.Transport.(*authTransport).base)
	}
	if tr == http.DefaultTransport {
		t.Error("the client shares http.DefaultTransport")
	}
	if got := c.String(); got != "opencti.Client(https://opencti.example/graphql)" {
		t.Errorf("String() = %q", got)
	}
}

// TestReplacedDefaultTransport: a program that replaced http.DefaultTransport
// (to instrument or mock it) gets a client over it, or an error when TLS
// options need an *http.Transport; New does not panic.
func TestReplacedDefaultTransport(t *testing.T) {
	srv := newTestServer(t, answerJSON(healthOK))
	orig := http.DefaultTransport
	var seen int
	http.DefaultTransport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen++
		return orig.RoundTrip(r)
	})
	t.Cleanup(func() { http.DefaultTransport = orig })

	c, _ := newTestClient(t, srv.GraphQLURL())
	if _, err := c.Health(context.Background()); err != nil || seen != 1 {
		t.Errorf("Health = %v with %d requests through the replaced http.DefaultTransport, want 1", err, seen)
	}
	if _, err := New(srv.GraphQLURL(), testToken, WithInsecureSkipVerify()); err == nil || !strings.Contains(err.Error(), "need an *http.Transport") {
		t.Errorf("New with TLS options = %v, want an error", err)
	}
}

func TestOrigin(t *testing.T) {
	tests := []struct{ a, b string }{
		{"https://opencti.example/graphql", "https://OpenCTI.example:443/other"},
		{"http://opencti.example/graphql", "http://opencti.example:80/"},
		{"http://[2001:db8::1]/graphql", "http://[2001:DB8::1]:80/x"},
	}
	for _, tt := range tests {
		a, b := must(url.Parse(tt.a)), must(url.Parse(tt.b))
		if origin(a) != origin(b) {
			t.Errorf("origin(%s) = %s, origin(%s) = %s; want equal", tt.a, origin(a), tt.b, origin(b))
		}
	}
	for _, tt := range []struct{ a, b string }{
		{"https://opencti.example/graphql", "http://opencti.example/graphql"},
		{"https://opencti.example/graphql", "https://opencti.example:8443/graphql"},
		{"https://opencti.example/graphql", "https://cdn.opencti.example/graphql"},
	} {
		a, b := must(url.Parse(tt.a)), must(url.Parse(tt.b))
		if origin(a) == origin(b) {
			t.Errorf("origin(%s) == origin(%s); want different", tt.a, tt.b)
		}
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain text\n", "plain text"},
		{"<html><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>", "502 Bad Gateway nginx"},
		{"a\x00b\tc", "a b c"},
		{"bad \xff utf-8", "bad \uFFFD utf-8"},
		{strings.Repeat("x", 300), strings.Repeat("x", excerptLen) + "…"},
		{"<p>Fish &amp; chips</p><script type=x>alert(1)</script><STYLE>p{}</STYLE>done", "Fish & chips done"},
		{"<p>unclosed <b", "unclosed"},
		{"<p>a&#10;b&#0;c &nbsp; d</p>", "a b\uFFFDc d"},
		{strings.Repeat("x", excerptLen) + "</body></html>", strings.Repeat("x", excerptLen)},
	}
	for _, tt := range tests {
		if got := excerpt([]byte(tt.in)); got != tt.want {
			t.Errorf("excerpt(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
