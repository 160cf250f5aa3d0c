package openctitest

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testToken is the token of the handlers of the tests.
const testToken = "0f6b6e2c-8d4f-4d8e-9d51-3c6f0a2b7e15"

// testNow is the clock of the tests: after the 2025 indicator expired,
// before the others do.
var testNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

// newTestHandler serves the demo bundle with the test token and clock.
func newTestHandler(t testing.TB, opts ...Option) *Handler {
	t.Helper()
	h, err := NewHandler(DemoBundle(), append([]Option{WithToken(testToken), WithClock(fixedClock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// gqlRequest is a request of the table tests.
type gqlRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName,omitempty"`
	Variables     map[string]any `json:"variables,omitempty"`
}

// post sends a GraphQL request to h; token "" sends no Authorization
// header.
func post(t testing.TB, h http.Handler, token string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Header(), rec.Body.Bytes()
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// indent re-indents JSON text for golden files and diffs.
func indent(t testing.TB, b []byte) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, "", "  "); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return buf.String() + "\n"
}

// golden compares got with testdata/<name>, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

// decodeBundle decodes bundle JSON text of a test.
func decodeBundle(t testing.TB, text string) *stix.Bundle {
	t.Helper()
	b, err := stix.DecodeBundle(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// response is a decoded GraphQL answer.
type testResponse struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func decodeResponse(t testing.TB, body []byte) testResponse {
	t.Helper()
	var r testResponse
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, body)
	}
	return r
}

// codes lists the extensions.code of an answer's errors.
func (r testResponse) codes() []string {
	var out []string
	for _, e := range r.Errors {
		c, _ := e.Extensions["code"].(string)
		out = append(out, c)
	}
	return out
}
