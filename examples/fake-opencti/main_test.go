package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The command is built and run as a user runs it; these tests talk to it
// over loopback HTTP.

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// build compiles the command once for all tests.
func build(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH: cannot build fake-opencti")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "fake-opencti-test")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "fake-opencti")
		if runtime.GOOS == "windows" {
			binary += ".exe"
		}
		out, err := exec.Command(goTool, "build", "-o", binary, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return binary
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary != "" {
		os.RemoveAll(filepath.Dir(binary))
	}
	os.Exit(code)
}

// safeBuffer collects a process's standard error while it runs.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs the command and returns its GraphQL URL.
func start(t *testing.T, args ...string) (cmd *exec.Cmd, url string, stderr *safeBuffer, stdout *safeBuffer) {
	t.Helper()
	cmd = exec.Command(build(t), append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stderr, stdout = &safeBuffer{}, &safeBuffer{}
	cmd.Stderr = stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			stdout.Write([]byte(sc.Text() + "\n"))
			if u, ok := strings.CutPrefix(sc.Text(), "GraphQL URL: "); ok {
				lines <- u
			}
		}
		close(lines)
	}()
	select {
	case u, ok := <-lines:
		if !ok {
			t.Fatalf("fake-opencti printed no URL; stderr:\n%s", stderr)
		}
		return cmd, u, stderr, stdout
	case <-time.After(30 * time.Second):
		t.Fatalf("fake-opencti did not start; stderr:\n%s", stderr)
	}
	return nil, "", nil, nil
}

func query(t *testing.T, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, b)
	}
	return resp.StatusCode, v
}

const lookupQuery = `{"query":"query lookup($v: [Any!]!) { stixCyberObservables(filters: {mode: or, filters: [{key: [\"value\"], values: $v}], filterGroups: []}) { edges { node { entity_type observable_value indicators { edges { node { name } } } } } } }","variables":{"v":["update.bad.example","203.0.113.66"]},"operationName":"lookup"}`

func TestServeDemo(t *testing.T) {
	const token = "f4k3-t0k3n-for-the-test"
	cmd, url, stderr, stdout := start(t, "-token", token, "-version", "7.260817.0")
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/graphql") {
		t.Errorf("URL %q", url)
	}

	status, got := query(t, url, token, lookupQuery)
	want := map[string]any{"data": map[string]any{"stixCyberObservables": map[string]any{"edges": []any{
		map[string]any{"node": map[string]any{"entity_type": "Domain-Name", "observable_value": "update.bad.example",
			"indicators": map[string]any{"edges": []any{}}}},
		map[string]any{"node": map[string]any{"entity_type": "IPv4-Addr", "observable_value": "203.0.113.66",
			"indicators": map[string]any{"edges": []any{map[string]any{"node": map[string]any{"name": "Malicious hosting 203.0.113.66"}}}}}},
	}}}}
	if diff := cmp.Diff(want, got); diff != "" || status != http.StatusOK {
		t.Errorf("lookup: status %d (-want +got):\n%s", status, diff)
	}
	_, got = query(t, url, token, `{"query":"{ about { version } }"}`)
	if diff := cmp.Diff(map[string]any{"data": map[string]any{"about": map[string]any{"version": "7.260817.0"}}}, got); diff != "" {
		t.Errorf("about (-want +got):\n%s", diff)
	}
	_, got = query(t, url, "wrong", `{"query":"{ about { version } }"}`)
	if !strings.Contains(mustMarshal(t, got), `"code":"AUTH_REQUIRED"`) {
		t.Errorf("wrong token: %v", got)
	}

	if runtime.GOOS == "windows" {
		return // no SIGINT to send
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGINT: %v; stderr:\n%s", err, stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("fake-opencti did not stop on SIGINT")
	}
	out := stdout.String() + stderr.String()
	if strings.Contains(out, token) {
		t.Errorf("the token is in the output:\n%s", out)
	}
	for _, s := range []string{"demo bundle", "requests must carry the token", `operation=lookup`, "authenticated=false", "shutting down"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
}

func TestServeFileWithFault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bundle.json")
	bundle := `{"type":"bundle","id":"bundle--44444444-4444-4444-8444-444444444444","objects":[{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","value":"198.51.100.3"}]}`
	if err := os.WriteFile(path, []byte(bundle), 0o600); err != nil {
		t.Fatal(err)
	}
	_, url, stderr, _ := start(t, "-data", path, "-fault", "graphql-error", "-fault-code", "DATABASE_ERROR")
	status, got := query(t, url, "any-token-will-do", `{"query":"{ about { version } }"}`)
	if s := mustMarshal(t, got); status != http.StatusOK || !strings.Contains(s, `"code":"DATABASE_ERROR"`) {
		t.Errorf("status %d, answer %s", status, s)
	}
	if !strings.Contains(stderr.String(), "any non-empty bearer token is accepted") || !strings.Contains(stderr.String(), "(1 observables, 0 indicators, 0 relationships)") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

func TestPrintDemo(t *testing.T) {
	out, err := exec.Command(build(t), "-print-demo").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(out) || !bytes.Contains(out, []byte(`"c2.evil.example"`)) {
		t.Errorf("-print-demo printed %.200s…", out)
	}
}

// TestFailures: bad arguments and bad bundles end the command with a clear
// message and a non-zero status.
func TestFailures(t *testing.T) {
	dir := t.TempDir()
	dangling := filepath.Join(dir, "dangling.json")
	os.WriteFile(dangling, []byte(`{"type":"bundle","id":"bundle--44444444-4444-4444-8444-444444444444","objects":[{"type":"relationship","spec_version":"2.1","id":"relationship--55555555-5555-4555-8555-555555555555","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","relationship_type":"resolves-to","source_ref":"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7","target_ref":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"}]}`), 0o600)
	notJSON := filepath.Join(dir, "not.json")
	os.WriteFile(notJSON, []byte("hello"), 0o600)
	tests := []struct {
		name   string
		args   []string
		status int
		want   string
	}{
		{"unknown fault", []string{"-fault", "explode"}, 2, `unknown fault "explode"`},
		{"unknown flag", []string{"-colour"}, 2, "flag provided but not defined: -colour"},
		{"stray argument", []string{"bundle.json"}, 2, `unexpected argument "bundle.json"`},
		{"negative latency", []string{"-latency", "-1s"}, 2, "is negative"},
		{"fault code without graphql-error", []string{"-fault-code", "X"}, 2, "-fault-code goes with -fault graphql-error"},
		{"missing file", []string{"-data", filepath.Join(dir, "nope.json")}, 1, "nope.json: no such file"},
		{"not JSON", []string{"-data", notJSON}, 1, "not.json: stix: bundle"},
		{"dangling relationship", []string{"-data", dangling}, 1, "source_ref domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7 is not in the bundle"},
		{"bad address", []string{"-addr", "256.0.0.1:1"}, 1, "256.0.0.1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(build(t), tc.args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.status {
				t.Errorf("exit %v, want status %d", err, tc.status)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q does not say %q", stderr.String(), tc.want)
			}
		})
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
