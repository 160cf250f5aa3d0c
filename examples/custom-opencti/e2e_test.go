package main

// End-to-end tests: the binary is built once per test run and started
// exactly as wazuh-integratord starts it, from <home>/integrations in a
// temporary Wazuh home (package wazuhtest) with the fake OpenCTI (package
// openctitest) serving testdata/e2e/bundle.json.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wazuh-opencti/wazuh-opencti/opencti/openctitest"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh/wazuhtest"
)

// e2eToken is the API token of every end-to-end run: recognisable, so that
// any leak of it is found (see checkNoToken).
const e2eToken = "SECRET-TOKEN-4f9d2c7a1b"

// redirect is what integratord appends when integrator.debug is off. Wazuh
// 4.3 – 4.6 split the command line into at most 5 fields, so it arrives
// with its leading space as argv[4]; 4.8 passes it as one last argument.
const (
	redirect43 = " > /dev/null 2>&1"
	redirect48 = "> /dev/null 2>&1"
)

// built is the binary, built once for the whole test run.
var built struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// binary builds the integration with the go command on PATH (CGO off, as
// the README tells users to build it) and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: builds and runs the binary (skipped with -short)")
	}
	built.once.Do(func() {
		goCmd, err := exec.LookPath("go")
		if err != nil {
			built.err = fmt.Errorf("no go command on PATH: %w", err)
			return
		}
		if built.dir, built.err = os.MkdirTemp("", "custom-opencti-e2e-"); built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, program)
		args := []string{"build", "-o", built.path}
		// To check that a test catches a deliberate breakage without
		// editing the shared tree, build from replaced files: see
		// go help build, -overlay.
		if o := os.Getenv("CUSTOM_OPENCTI_E2E_OVERLAY"); o != "" {
			args = append(args, "-overlay", o)
		}
		cmd := exec.Command(goCmd, append(args, ".")...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

// e2eBundle decodes testdata/e2e/bundle.json: invented intelligence whose
// values the alerts in testdata/e2e/alerts hit, one or more per event
// source and event type.
func e2eBundle(t *testing.T) *stix.Bundle {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "e2e", "bundle.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := stix.DecodeBundle(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newFake starts the fake OpenCTI on the e2e bundle (or the bundle given),
// expecting e2eToken unless opts say otherwise.
func newFake(t *testing.T, bundle *stix.Bundle, opts ...openctitest.Option) *openctitest.Server {
	t.Helper()
	if bundle == nil {
		bundle = e2eBundle(t)
	}
	srv, err := openctitest.NewServer(bundle, append([]openctitest.Option{openctitest.WithToken(e2eToken)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// env is a Wazuh home with the integration installed.
type env struct {
	t    *testing.T
	home *wazuhtest.Home
	bin  string // <home>/integrations/custom-opencti
	tmp  string // where integratord would write the .alert and .options files
	// argv0 replaces the program path as argv[0] when set: Wazuh before
	// 4.4 passed "integrations".
	argv0 string
	// extraEnv is added to the child's environment.
	extraEnv []string
	// noQueue is set when a test took the queue socket away: there are
	// no datagrams to collect.
	noQueue bool
	// logged is how much of integrations.log earlier runs wrote.
	logged int
}

// newEnv creates a Wazuh home and installs the binary in it as
// integratord expects it: integrations/custom-opencti, mode 0750.
func newEnv(t *testing.T) *env {
	t.Helper()
	src := binary(t)
	home, err := wazuhtest.NewHome("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { home.Close() })
	bin := home.IntegrationPath(program)
	if err := install(src, bin); err != nil {
		t.Fatal(err)
	}
	return &env{t: t, home: home, bin: bin, tmp: t.TempDir()}
}

// install puts the binary at dst with mode 0750. A hard link is a copy
// as far as the program can tell (it finds its home from the path it was
// started by) and saves writing 15 MB for every test; across file systems
// the file is copied.
func install(src, dst string) error {
	if err := os.Link(src, dst); err != nil {
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, 0o750); err != nil {
			return err
		}
	}
	return os.Chmod(dst, 0o750) // whatever the umask
}

// tmpName is a file name as integratord makes them:
// custom-opencti-<epoch>-<random>.<ext>.
func tmpName(ext string) string {
	return fmt.Sprintf("%s-%d-%d.%s", program, time.Now().Unix(), rand.Int32(), ext)
}

// writeAlert writes an alert file as integratord does.
func (e *env) writeAlert(data []byte) string {
	e.t.Helper()
	p := filepath.Join(e.tmp, tmpName("alert"))
	if err := os.WriteFile(p, data, 0o640); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// alert writes testdata/e2e/alerts/<name>.json as an alert file.
func (e *env) alert(name string) string {
	e.t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "e2e", "alerts", name+".json"))
	if err != nil {
		e.t.Fatal(err)
	}
	return e.writeAlert(data)
}

// options writes an options file: the <options> text verbatim plus "\n".
func (e *env) options(text string) string {
	e.t.Helper()
	p := filepath.Join(e.tmp, tmpName("options"))
	if err := os.WriteFile(p, []byte(text+"\n"), 0o640); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// result is what one run of the binary did.
type result struct {
	status         int
	stdout, stderr string
	log            string // what this run appended to integrations.log
	msgs           []wazuhtest.Message
	took           time.Duration
}

// maxRun bounds every run: a hung binary fails the test instead of
// stalling it.
const maxRun = 60 * time.Second

// run starts the installed binary with args, from the Wazuh home as
// integratord does, waits for it and collects its datagrams. It fails the
// test when the token shows anywhere or the binary panicked.
func (e *env) run(args ...string) result {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), maxRun)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.bin, args...)
	if e.argv0 != "" {
		cmd.Args[0] = e.argv0
	}
	cmd.Dir = e.home.Dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + e.tmp, "TZ=UTC", "LANG=C"}, e.extraEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := result{took: time.Since(start), stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr) && exitErr.ExitCode() >= 0:
		r.status = exitErr.ExitCode()
	default:
		e.t.Fatalf("running %s: %v (after %s)\nstderr: %s", e.bin, err, r.took, r.stderr)
	}
	log := e.home.ReadLog()
	if len(log) >= e.logged {
		r.log = log[e.logged:]
	}
	e.logged = len(log)
	if !e.noQueue {
		msgs, err := e.home.Flush(10 * time.Second)
		if err != nil {
			e.t.Fatalf("collecting datagrams: %v", err)
		}
		r.msgs = msgs
	}
	checkNoToken(e.t, r)
	checkNoPanic(e.t, r)
	return r
}

// checkNoToken fails when the token appears in anything a run produced.
func checkNoToken(t *testing.T, r result) {
	t.Helper()
	for what, s := range map[string]string{"stdout": r.stdout, "stderr": r.stderr, "integrations.log": r.log} {
		if strings.Contains(s, e2eToken) {
			t.Errorf("the token appears in %s:\n%s", what, s)
		}
	}
	for i, m := range r.msgs {
		if bytes.Contains(m.Raw, []byte(e2eToken)) {
			t.Errorf("the token appears in datagram %d: %s", i+1, m.Raw)
		}
	}
}

func checkNoPanic(t *testing.T, r result) {
	t.Helper()
	for _, s := range []string{r.stdout, r.stderr, r.log} {
		if strings.Contains(s, "panic:") || strings.Contains(s, "goroutine ") {
			t.Fatalf("the binary panicked:\nstdout: %s\nstderr: %s\nlog: %s", r.stdout, r.stderr, r.log)
		}
	}
}

// logLines returns the log records without their timestamps, durations
// replaced by DURATION.
func logLines(log string) []string {
	var out []string
	for line := range strings.Lines(log) {
		line = logTimestamp.ReplaceAllString(strings.TrimSuffix(line, "\n"), "")
		line = logDuration.ReplaceAllString(line, "${1}DURATION")
		out = append(out, line)
	}
	return out
}

var (
	logTimestamp = regexp.MustCompile(`^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d `)
	logDuration  = regexp.MustCompile(`(took=)[0-9.]+(ns|µs|ms|s|m)\S*`)
	// requestStats are the figures of the client's debug record of a
	// request, which vary from run to run.
	requestStats = regexp.MustCompile(`bytes=\d+ duration=\S+`)
	alertID      = regexp.MustCompile(`alert_id=\S+`)
)

// hasLine reports whether a log record (without timestamp) contains all of
// parts.
func hasLine(log string, parts ...string) bool {
	for _, line := range logLines(log) {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			return true
		}
	}
	return false
}

// header is the location header analysisd expects for an alert's agent.
func header(t *testing.T, alertFile, name string) string {
	t.Helper()
	a, err := wazuh.ReadAlertFile(alertFile)
	if err != nil {
		t.Fatal(err)
	}
	return wazuh.Header(a.Agent, name)
}

// checkDatagrams checks what every datagram must be: the alert's header,
// JSON object payload starting with {", at most 65,535 bytes, the
// integration field.
func checkDatagrams(t *testing.T, msgs []wazuhtest.Message, wantHeader, name string) {
	t.Helper()
	for i, m := range msgs {
		if len(m.Raw) > wazuh.MaxMessageSize {
			t.Errorf("datagram %d is %d bytes, more than %d", i+1, len(m.Raw), wazuh.MaxMessageSize)
		}
		if !bytes.HasPrefix(m.Raw, []byte(wantHeader)) {
			t.Errorf("datagram %d starts %.80q, want header %q", i+1, m.Raw, wantHeader)
		}
		if !bytes.HasPrefix(m.Event, []byte(`{"`)) {
			t.Errorf("datagram %d: payload does not start with {\": %.40q", i+1, m.Event)
		}
		var ev struct {
			Integration string         `json:"integration"`
			OpenCTI     map[string]any `json:"opencti"`
		}
		if err := json.Unmarshal(m.Event, &ev); err != nil {
			t.Errorf("datagram %d: invalid JSON: %v", i+1, err)
			continue
		}
		if ev.Integration != name || ev.OpenCTI["event_type"] == nil {
			t.Errorf("datagram %d: integration %q, event_type %v; want %q and a type", i+1, ev.Integration, ev.OpenCTI["event_type"], name)
		}
	}
}

// event is the part of an event most assertions look at.
type event struct {
	Integration string `json:"integration"`
	OpenCTI     struct {
		EventType string `json:"event_type"`
		Error     string `json:"error"`
		Truncated bool   `json:"truncated"`
		Value     string `json:"observable_value"`
		Indicator struct {
			Name string `json:"name"`
		} `json:"indicator"`
		Source map[string]any `json:"source"`
	} `json:"opencti"`
}

func decodeEvents(t *testing.T, msgs []wazuhtest.Message) []event {
	t.Helper()
	out := make([]event, len(msgs))
	for i, m := range msgs {
		if err := json.Unmarshal(m.Event, &out[i]); err != nil {
			t.Fatalf("datagram %d: %v: %s", i+1, err, m.Raw)
		}
	}
	return out
}

func eventTypes(evs []event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.OpenCTI.EventType)
	}
	return out
}

// normaliseDatagram replaces the fake's address, the one thing in a
// datagram that changes from run to run.
func normaliseDatagram(raw []byte, srv *openctitest.Server) string {
	return strings.ReplaceAll(string(raw), srv.URL+"/", "http://127.0.0.1:PORT/")
}

// checkGoldenDatagrams compares the datagrams, one per line, with
// testdata/e2e/golden/<name>.datagrams (rewritten with -update).
func checkGoldenDatagrams(t *testing.T, name string, msgs []wazuhtest.Message, srv *openctitest.Server) {
	t.Helper()
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(normaliseDatagram(m.Raw, srv))
		b.WriteByte('\n')
	}
	got := b.String()
	path := filepath.Join("testdata", "e2e", "golden", name+".datagrams")
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
	if errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if err != nil {
		t.Fatal(err)
	}
	if string(want) == got {
		return
	}
	// Datagrams are long lines: compare them taken apart, so the diff
	// names the fields that differ.
	if diff := cmp.Diff(splitDatagrams(t, string(want)), splitDatagrams(t, got)); diff != "" {
		t.Errorf("datagrams differ from %s (-want +got):\n%s", path, diff)
	} else {
		t.Errorf("datagrams differ from %s in their encoding (key order, spacing or escaping):\nwant:\n%s\ngot:\n%s", path, want, got)
	}
}

// splitDatagram is a datagram taken apart for a readable diff.
type splitDatagram struct {
	Header string
	Event  any
}

func splitDatagrams(t *testing.T, s string) []splitDatagram {
	t.Helper()
	var out []splitDatagram
	for line := range strings.Lines(s) {
		m, err := wazuhtest.ParseMessage([]byte(strings.TrimSuffix(line, "\n")))
		if err != nil {
			out = append(out, splitDatagram{Header: "unparsable: " + line})
			continue
		}
		// The header as sent, escapes included.
		d := splitDatagram{Header: string(m.Raw[:len(m.Raw)-len(m.Event)])}
		if err := json.Unmarshal(m.Event, &d.Event); err != nil {
			d.Event = "invalid JSON: " + string(m.Event)
		}
		out = append(out, d)
	}
	return out
}
