package opencti

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const testToken = "tok-5e1f0c2a-9d47-4b8e-a3c6-1f2e3d4c5b6a"

// recorded is one request a test server received.
type recorded struct {
	Method, Path string
	Header       http.Header
	Body         []byte
}

// testServer is an httptest server that records requests and answers the
// n-th with handlers[n] (the last handler answers any further ones).
type testServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []recorded
	conns    int
}

func newTestServer(t testing.TB, handlers ...http.HandlerFunc) *testServer {
	t.Helper()
	s := &testServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.requests)
		s.requests = append(s.requests, recorded{r.Method, r.URL.Path, r.Header.Clone(), body})
		s.mu.Unlock()
		handlers[min(n, len(handlers)-1)](w, r)
	}))
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.mu.Lock()
			s.conns++
			s.mu.Unlock()
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *testServer) Requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.requests...)
}

func (s *testServer) Conns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

func (s *testServer) GraphQLURL() string { return s.URL + "/graphql" }

// answer serves a fixed body with a status.
func answer(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// answerJSON serves a JSON body with status 200.
func answerJSON(body string) http.HandlerFunc {
	return answer(http.StatusOK, "application/json", body)
}

// answerFile serves a file of testdata/ as JSON with status 200.
func answerFile(t testing.TB, name string) http.HandlerFunc {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return answerJSON(string(b))
}

// sleeps records the waits of a client instead of waiting.
type sleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// newTestClient is New with a fake sleep and a fixed jitter of one half, so
// retries are instant and their waits predictable.
func newTestClient(t *testing.T, endpoint string, opts ...Option) (*Client, *sleeps) {
	t.Helper()
	c, err := New(endpoint, testToken, opts...)
	if err != nil {
		t.Fatal(err)
	}
	s := &sleeps{}
	c.t.sleep = s.sleep
	c.t.jitter = func() float64 { return 0.5 }
	return c, s
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the code produces (rerun with -update to accept):\n%s", path, cmp.Diff(string(want), string(got)))
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func ptr[T any](v T) *T { return &v }
