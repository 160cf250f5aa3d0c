package openctitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRequestLog(t *testing.T) {
	h := newTestHandler(t)
	body := mustJSON(t, gqlRequest{
		Query:         `query health { about { version } }`,
		OperationName: "health",
		Variables:     map[string]any{"note": "token " + testToken + " pasted by mistake", "n": 3},
	})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("X-Debug", "echo "+testToken)
	req.Header.Set("User-Agent", "wazuh-opencti/test")
	h.ServeHTTP(httptest.NewRecorder(), req)

	reqs := h.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests logged", len(reqs))
	}
	r := reqs[0]
	if r.Time.IsZero() {
		t.Error("no time")
	}
	got := []any{r.Method, r.Path, r.OperationName, r.Query, r.Variables, r.Header.Get("Authorization"), r.Header.Get("X-Debug"), r.Header.Get("User-Agent"), r.Authenticated, r.Fault}
	want := []any{"POST", "/graphql", "health", `query health { about { version } }`,
		map[string]any{"note": "token [REDACTED] pasted by mistake", "n": float64(3)},
		"Bearer [REDACTED]", "echo [REDACTED]", "wazuh-opencti/test", true, FaultNone}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("[method, path, operation, query, variables, authorization, x-debug, user-agent, authenticated, fault] (-want +got):\n%s", diff)
	}
	if strings.Contains(fmt.Sprintf("%#v", reqs), testToken) {
		t.Error("the token is in the request log")
	}

	h.ClearRequests()
	if n := len(h.Requests()); n != 0 {
		t.Errorf("%d requests after ClearRequests", n)
	}
	for range MaxLoggedRequests + 5 {
		post(t, h, testToken, body)
	}
	if n := len(h.Requests()); n != MaxLoggedRequests {
		t.Errorf("%d requests logged, want at most %d", n, MaxLoggedRequests)
	}
}

// TestRequestLogOperationName: a token pasted as the operation name is
// redacted too, in the request log and in the log records.
func TestRequestLogOperationName(t *testing.T) {
	var logs bytes.Buffer
	h := newTestHandler(t, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	post(t, h, testToken, mustJSON(t, gqlRequest{Query: `{ about { version } }`, OperationName: "op " + testToken}))
	reqs := h.Requests()
	if len(reqs) != 1 || reqs[0].OperationName != "op [REDACTED]" {
		t.Errorf("requests = %+v, want one with the operation name redacted", reqs)
	}
	if strings.Contains(logs.String(), testToken) {
		t.Errorf("the token is in the log: %s", logs.String())
	}
}

func TestHTTPBehaviour(t *testing.T) {
	h := newTestHandler(t)
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		wantBody                 string
	}{
		{"root page", http.MethodGet, "/", "", http.StatusOK, "POST to /graphql"},
		{"GET graphql", http.MethodGet, "/graphql", "", http.StatusMethodNotAllowed, "send GraphQL queries with POST"},
		{"other path", http.MethodPost, "/api", `{"query":"{ about { version } }"}`, http.StatusNotFound, "not found"},
		{"trailing slash", http.MethodPost, "/graphql/", `{"query":"{ about { version } }"}`, http.StatusOK, `"version":"6.9.17"`},
		{"not JSON", http.MethodPost, "/graphql", `query=x`, http.StatusBadRequest, `"code":"BAD_REQUEST"`},
		{"no query", http.MethodPost, "/graphql", `{"variables":{}}`, http.StatusBadRequest, "non-empty `query`"},
		{"batch", http.MethodPost, "/graphql", `[{"query":"{ about { version } }"}]`, http.StatusBadRequest, `"code":"BAD_REQUEST"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			req.Header.Set("Authorization", "Bearer "+testToken)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.wantStatus || !strings.Contains(rec.Body.String(), tc.wantBody) {
				t.Errorf("%d %q, want %d and %q", rec.Code, rec.Body.String(), tc.wantStatus, tc.wantBody)
			}
		})
	}
}

func TestAuthentication(t *testing.T) {
	query := mustJSON(t, gqlRequest{Query: `{ me { name } }`})
	tests := []struct {
		name   string
		opts   []Option
		header string
		want   bool
	}{
		{"right token", nil, "Bearer " + testToken, true},
		{"scheme in lower case", nil, "bearer " + testToken, true},
		{"wrong token", nil, "Bearer x" + testToken, false},
		{"no header", nil, "", false},
		{"no scheme", nil, testToken, false},
		{"basic", nil, "Basic " + testToken, false},
		{"empty bearer", nil, "Bearer ", false},
		{"any token", []Option{WithAnyToken()}, "Bearer whatever", true},
		{"any token, none sent", []Option{WithAnyToken()}, "", false},
		{"auth fault", []Option{WithFault(Fault{Kind: FaultAuth})}, "Bearer " + testToken, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newTestHandler(t, tc.opts...)
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(query))
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			r := decodeResponse(t, rec.Body.Bytes())
			if got := len(r.Errors) == 0; got != tc.want || rec.Code != http.StatusOK {
				t.Errorf("status %d, answer %s; want accepted %v", rec.Code, rec.Body, tc.want)
			}
			if !tc.want && cmp.Diff([]string{"AUTH_REQUIRED"}, r.codes()) != "" {
				t.Errorf("codes %v, want AUTH_REQUIRED", r.codes())
			}
		})
	}
}

func TestFaultTimes(t *testing.T) {
	h := newTestHandler(t, WithFault(Fault{Kind: FaultGraphQLError, Code: "DATABASE_ERROR", Times: 2}))
	body := mustJSON(t, gqlRequest{Query: `{ about { version } }`})
	var codes [][]string
	for range 3 {
		_, _, b := post(t, h, testToken, body)
		codes = append(codes, decodeResponse(t, b).codes())
	}
	if diff := cmp.Diff([][]string{{"DATABASE_ERROR"}, {"DATABASE_ERROR"}, nil}, codes); diff != "" {
		t.Errorf("codes (-want +got):\n%s", diff)
	}
	var faults []FaultKind
	for _, r := range h.Requests() {
		faults = append(faults, r.Fault)
	}
	if diff := cmp.Diff([]FaultKind{FaultGraphQLError, FaultGraphQLError, FaultNone}, faults); diff != "" {
		t.Errorf("logged faults (-want +got):\n%s", diff)
	}
}

// TestFaultAnswers checks the bytes of each fault's answer.
func TestFaultAnswers(t *testing.T) {
	body := mustJSON(t, gqlRequest{Query: `{ about { version } }`})
	tests := []struct {
		fault       Fault
		status      int
		contentType string
		check       func([]byte) bool
	}{
		{Fault{Kind: FaultHTTP500}, 500, "text/html", func(b []byte) bool { return bytes.Contains(b, []byte("<h1>500 Internal Server Error</h1>")) }},
		{Fault{Kind: FaultHTTP500, Status: 504}, 504, "text/html", func(b []byte) bool { return bytes.Contains(b, []byte("504 Gateway Timeout")) }},
		{Fault{Kind: FaultMalformed}, 200, "application/json", func(b []byte) bool { return bytes.HasPrefix(b, []byte("{")) && !jsonValid(b) }},
		{Fault{Kind: FaultTruncated}, 200, "application/json", func(b []byte) bool {
			return bytes.HasPrefix(b, []byte(`{"data":`)) && !jsonValid(b)
		}},
		{Fault{Kind: FaultGraphQLError}, 200, "application/json", func(b []byte) bool {
			return string(b) == `{"errors":[{"message":"openctitest: injected error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":null}`+"\n"
		}},
	}
	for _, tc := range tests {
		t.Run(string(tc.fault.Kind), func(t *testing.T) {
			h := newTestHandler(t, WithFault(tc.fault))
			status, hdr, b := post(t, h, testToken, body)
			if status != tc.status || !strings.HasPrefix(hdr.Get("Content-Type"), tc.contentType) || !tc.check(b) {
				t.Errorf("%d %s %q", status, hdr.Get("Content-Type"), b)
			}
		})
	}
}

func jsonValid(b []byte) bool {
	var v any
	return json.Unmarshal(b, &v) == nil
}

func TestOptionsRejected(t *testing.T) {
	for _, opt := range []Option{WithToken("two words"), WithToken("tab\there"), WithLatency(-time.Second)} {
		if _, err := NewHandler(DemoBundle(), opt); err == nil {
			t.Error("NewHandler accepted an invalid option")
		}
	}
}

func TestParseFaultKind(t *testing.T) {
	for _, k := range FaultKinds() {
		got, err := ParseFaultKind(string(k))
		if err != nil || got != k {
			t.Errorf("ParseFaultKind(%q) = %q, %v", k, got, err)
		}
	}
	if got, err := ParseFaultKind(""); err != nil || got != FaultNone {
		t.Errorf(`ParseFaultKind("") = %q, %v`, got, err)
	}
	if _, err := ParseFaultKind("HTTP500"); err == nil || !strings.Contains(err.Error(), "http500") {
		t.Errorf("ParseFaultKind(HTTP500): %v, want an error listing the kinds", err)
	}
}

// TestServerClose: Close ends a request held by latency and frees the port.
func TestServerClose(t *testing.T) {
	srv, err := NewServer(DemoBundle(), WithLatency(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") && !strings.HasPrefix(srv.URL, "http://[::1]:") {
		t.Errorf("URL %s is not a loopback address", srv.URL)
	}
	if srv.GraphQLURL() != srv.URL+"/graphql" || srv.Token == "" || srv.Token != srv.Handler.Token() {
		t.Errorf("GraphQLURL %s, token set %v", srv.GraphQLURL(), srv.Token != "")
	}
	done := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, srv.GraphQLURL(), strings.NewReader(`{"query":"{ about { version } }"}`))
		req.Header.Set("Authorization", "Bearer "+srv.Token)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	for len(srv.Requests()) == 0 {
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	srv.Close()
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Close took %v", d)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the held request did not end")
	}
	if _, err := http.Get(srv.URL); err == nil {
		t.Error("the server still answers after Close")
	}
}
