// Command e2ebench is the end-to-end benchmark of the reference integration:
// it measures what one alert costs when wazuh-integratord runs
// examples/custom-opencti, against a minimal Go program doing the same I/O
// (./baseline), in the same run.
//
// It builds both programs (CGO_ENABLED=0, -trimpath; also with
// -ldflags='-s -w', for the size), starts the fake OpenCTI of package
// openctitest on loopback serving its demo bundle and a Wazuh home of
// package wazuhtest with a real queue socket, installs both programs in
// <home>/integrations, and starts each of them N times as integratord does
// (Wazuh 4.8 argv, working directory the home, the program by its path
// relative to the home, an options file beside the alert file, output to a
// pipe):
//
//   - hit: custom-opencti on an alert whose values the bundle knows;
//   - no-op: custom-opencti on an alert with nothing to look up;
//   - baseline: the minimal program on the hit alert, sending the request
//     body the integration sent for it (recorded from a first hit run).
//
// With -against PATH, another custom-opencti binary (an earlier build, say)
// runs on both alerts in the same rounds, for before/after comparisons on a
// machine whose load changes.
//
// The runs of each round go in an order drawn from a seeded random source,
// so that machine noise and ordering effects fall on all kinds alike. Every
// run is checked, and the benchmark fails on the first run that is wrong:
// exit status 0, exactly one HTTP request for the hit alert and the
// baseline, none for the no-op alert, and the expected datagrams on the
// socket. Timings are only reported, never judged: the targets line says
// whether they are met.
//
// Each program is started by ./launch, a small program that measures it:
// wall time from fork to exit, and CPU time, minor page faults and peak RSS
// from the child's rusage (see launch's documentation for why the benchmark
// cannot start the programs itself). The fake's time answering each request
// is recorded too, so that the report can also give the wall time less the
// fake's: what the program itself costs, however slow the fake.
//
// Usage, from anywhere in the module:
//
//	go run ./internal/e2ebench [-n 200] [-seed 1] [-warmup 3] [-strip] [-bin PATH] [-against PATH]
//	go run ./internal/e2ebench -serve [-bin PATH]
//
// With -serve it measures nothing: it sets everything up, prints the command
// line of each kind of run and waits for Ctrl-C, so that the runs can be
// repeated under perf, strace or GODEBUG=inittrace=1.
package main

import (
	"bytes"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/opencti/openctitest"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh/wazuhtest"
)

// The alerts, copied from the demo (hit) and the shared samples (no-op).
var (
	//go:embed testdata/hit.json
	hitAlert []byte
	//go:embed testdata/noop.json
	noopAlert []byte
)

// options is the <options> block of the runs: the demo bundle's values are in
// documentation ranges, which the integration only looks up when asked.
const options = `{"lookup_ranges": ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"]}`

// token is the fake's API token; fixed, so that runs are reproducible.
const token = "e2ebench-0123456789abcdef"

// Targets of issue 8.
const (
	targetRatio  = 1.5
	targetRSSKiB = 20 * 1024
)

// subject is one kind of measured run: a program on an alert.
type subject struct {
	name     string
	prog     string // path relative to the home, as integratord starts it
	alert    string // the alert file
	requests int    // HTTP requests it must make
	// datagrams says how many datagrams it must send: -1 one or more.
	datagrams int
	// role: "integration", "baseline"; the ratio is integration/baseline.
	role string

	samples []sample
}

// sample is one measured process.
type sample struct {
	wall        time.Duration
	fake        time.Duration // the fake OpenCTI's time answering the run's request
	cpu         time.Duration // user + system
	rssKiB      int64
	minflt      int64 // minor page faults
	floorRSSKiB int64 // the launcher's own peak RSS: rssKiB is never below it
}

func main() {
	n := flag.Int("n", 200, "runs of each kind")
	seed := flag.Uint64("seed", 1, "seed of the order of the runs in each round")
	strip := flag.Bool("strip", false, "run the binary built with -ldflags='-s -w'")
	bin := flag.String("bin", "", "run this custom-opencti binary instead of building one")
	against := flag.String("against", "", "also run this custom-opencti binary (an earlier build, say), interleaved")
	warmup := flag.Int("warmup", 3, "unmeasured runs of each kind first")
	serve := flag.Bool("serve", false, "measure nothing: set everything up, print the command lines and wait for Ctrl-C (for perf, strace, GODEBUG=inittrace=1)")
	flag.Parse()
	if *n < 1 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: e2ebench [-n N] [-seed S] [-warmup N] [-strip] [-bin PATH] [-against PATH] [-serve]")
		os.Exit(2)
	}
	cfg := config{n: *n, warmup: *warmup, seed: *seed, strip: *strip, bin: *bin, against: *against, serve: *serve}
	if err := run(os.Stdout, cfg); err != nil {
		fmt.Fprintf(os.Stderr, "e2ebench: %v\n", err)
		os.Exit(1)
	}
}

type config struct {
	n, warmup    int
	seed         uint64
	strip, serve bool
	bin, against string
}

func run(w io.Writer, cfg config) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	build, err := os.MkdirTemp("", "e2ebench-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(build)

	plain := filepath.Join(build, "custom-opencti")
	stripped := filepath.Join(build, "custom-opencti-stripped")
	baseline := filepath.Join(build, "baseline")
	launcher := filepath.Join(build, "launch")
	for _, b := range []struct {
		out, pkg string
		ldflags  string
	}{
		{plain, "./examples/custom-opencti", ""},
		{stripped, "./examples/custom-opencti", "-s -w"},
		{baseline, "./internal/e2ebench/baseline", ""},
		{launcher, "./internal/e2ebench/launch", ""},
	} {
		if err := goBuild(root, b.out, b.pkg, b.ldflags); err != nil {
			return err
		}
	}
	integration := plain
	switch {
	case cfg.bin != "":
		integration = cfg.bin
	case cfg.strip:
		integration = stripped
	}

	srv, err := startFake()
	if err != nil {
		return err
	}
	defer srv.close()
	home, err := wazuhtest.NewHome("")
	if err != nil {
		return err
	}
	defer home.Close()

	// Where integratord puts the files it passes: /tmp/<name>-<epoch>-<random>.
	tmp, err := os.MkdirTemp("", "e2ebench-alerts-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	stamp := time.Now().Unix()
	hitFile := filepath.Join(tmp, fmt.Sprintf("custom-opencti-%d-1.alert", stamp))
	noopFile := filepath.Join(tmp, fmt.Sprintf("custom-opencti-%d-2.alert", stamp))
	optionsFile := filepath.Join(tmp, fmt.Sprintf("custom-opencti-%d-1.options", stamp))
	for _, f := range []struct {
		path string
		data []byte
	}{{hitFile, hitAlert}, {noopFile, noopAlert}, {optionsFile, []byte(options)}} {
		if err := os.WriteFile(f.path, append(bytes.Clone(f.data), '\n'), 0o600); err != nil {
			return err
		}
	}

	// integratord starts a program by its path relative to the home.
	installs := []struct{ src, name string }{{integration, "custom-opencti"}, {baseline, "e2ebench-baseline"}}
	subjects := []*subject{
		{name: "custom-opencti, hit", prog: "custom-opencti", alert: hitFile, requests: 1, datagrams: -1, role: "integration"},
		{name: "custom-opencti, no-op", prog: "custom-opencti", alert: noopFile, requests: 0, datagrams: 0, role: "no-op"},
		{name: "baseline", prog: "e2ebench-baseline", alert: hitFile, requests: 1, datagrams: 1, role: "baseline"},
	}
	if cfg.against != "" {
		installs = append(installs, struct{ src, name string }{cfg.against, "custom-opencti-against"})
		subjects = append(subjects,
			&subject{name: "against, hit", prog: "custom-opencti-against", alert: hitFile, requests: 1, datagrams: -1, role: "against"},
			&subject{name: "against, no-op", prog: "custom-opencti-against", alert: noopFile, requests: 0, datagrams: 0, role: "no-op"},
		)
	}
	for _, in := range installs {
		if err := install(in.src, home.IntegrationPath(in.name)); err != nil {
			return err
		}
	}
	for _, s := range subjects {
		s.prog = filepath.Join("integrations", s.prog)
	}

	r := &runner{launcher: launcher, home: home, srv: srv, options: optionsFile}
	// The baseline asks the integration's own question: record the request
	// body of a hit run for it to replay, so that both wait equally for the
	// fake and their ratio measures the programs.
	if err := r.run(subjects[0]); err != nil {
		return fmt.Errorf("recording the hit request: %w", err)
	}
	reqs := srv.Requests()
	if err := os.WriteFile(home.IntegrationPath("e2ebench-baseline")+".request", reqs[len(reqs)-1].Body, 0o600); err != nil {
		return err
	}
	if cfg.serve {
		return serveOnly(w, r, subjects)
	}
	for range cfg.warmup {
		for _, s := range subjects {
			if err := r.run(s); err != nil {
				return fmt.Errorf("warm-up: %w", err)
			}
		}
	}
	for _, s := range subjects {
		s.samples = nil
	}
	load := loadAverage()
	rng := rand.New(rand.NewPCG(cfg.seed, 0x65326562656e6368))
	order := slices.Clone(subjects)
	for range cfg.n {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, s := range order {
			if err := r.run(s); err != nil {
				return err
			}
		}
	}

	return report(w, reportInput{
		cfg: cfg, subjects: subjects,
		sizes: [][2]string{
			{"custom-opencti (-trimpath)", size(plain)},
			{"custom-opencti (-trimpath -ldflags='-s -w')", size(stripped)},
			{"baseline (-trimpath)", size(baseline)},
		},
		hitInfo: r.hitInfo,
		load:    [2]string{load, loadAverage()},
	})
}

// serveOnly prints the command line of each kind of run and waits for an
// interrupt, so that the runs can be repeated by hand under a profiler.
func serveOnly(w io.Writer, r *runner, subjects []*subject) error {
	fmt.Fprintf(w, "fake OpenCTI at %s, Wazuh home %s; each run, from any shell:\n\n", r.srv.url, r.home.Dir)
	for _, s := range subjects {
		args := []string{s.prog}
		for _, a := range r.argv(s) {
			args = append(args, shellQuote(a))
		}
		fmt.Fprintf(w, "# %s\n(cd %s && %s)\n\n", s.name, shellQuote(r.home.Dir), strings.Join(args, " "))
	}
	fmt.Fprintln(w, "Ctrl-C ends it and removes everything.")
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	// Drain the datagrams, as analysisd would, so that any number of runs
	// finds room on the socket.
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return nil
		case <-tick.C:
			_, _ = r.home.Received()
		}
	}
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// moduleRoot is the directory of the module's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run e2ebench from inside the wazuh-opencti module")
	}
	return filepath.Dir(mod), nil
}

func goBuild(root, out, pkg, ldflags string) error {
	args := []string{"build", "-trimpath", "-o", out}
	if ldflags != "" {
		args = append(args, "-ldflags="+ldflags)
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(cmd.Args[1:], " "), err, b)
	}
	return nil
}

func install(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o750)
}

func size(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "?"
	}
	return fmt.Sprintf("%.1f MiB (%d bytes)", float64(fi.Size())/(1<<20), fi.Size())
}

// fake is the fake OpenCTI, served through a wrapper that times each answer.
type fake struct {
	*openctitest.Handler
	url  string
	srv  *http.Server
	done chan struct{}

	mu       sync.Mutex
	dur      []time.Duration
	requests int // every request received; the Handler's log keeps only the last MaxLoggedRequests
}

func startFake() (*fake, error) {
	h, err := openctitest.NewHandler(openctitest.DemoBundle(), openctitest.WithToken(token))
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &fake{Handler: h, url: "http://" + ln.Addr().String() + "/graphql", done: make(chan struct{})}
	f.srv = &http.Server{
		ReadHeaderTimeout: 10 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			f.mu.Lock()
			f.requests++
			f.mu.Unlock()
			h.ServeHTTP(w, r)
			f.mu.Lock()
			f.dur = append(f.dur, time.Since(start))
			f.mu.Unlock()
		}),
	}
	go func() {
		defer close(f.done)
		_ = f.srv.Serve(ln)
	}()
	return f, nil
}

// received is the number of requests received so far. It is counted before
// the answer, so a program that got its answer is counted.
func (f *fake) received() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// answered is the number of answers timed so far.
func (f *fake) answered() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.dur)
}

// timeSince waits until the answers after the first n are timed (the
// handler records an answer's time after the client may have exited) and
// returns their total time.
func (f *fake) timeSince(n, want int) (time.Duration, error) {
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Microsecond) {
		f.mu.Lock()
		got := f.dur[n:]
		var total time.Duration
		for _, d := range got {
			total += d
		}
		f.mu.Unlock()
		if len(got) >= want {
			return total, nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("the fake timed %d answers, want %d", len(got), want)
		}
	}
}

func (f *fake) close() {
	f.srv.Close()
	<-f.done
}

type runner struct {
	launcher string
	home     *wazuhtest.Home
	srv      *fake
	options  string
	hitInfo  string
}

// env is the child's environment: this one without WAZUH_HOME, so that the
// programs find their home from where they are installed, as under Wazuh.
var env = slices.DeleteFunc(os.Environ(), func(s string) bool { return strings.HasPrefix(s, "WAZUH_HOME=") })

// argv is the arguments integratord (Wazuh 4.8) passes with debug off:
// ALERT API_KEY HOOK_URL "" OPTIONS TIMEOUT RETRIES and the literal
// "> /dev/null 2>&1", split on spaces.
func (r *runner) argv(s *subject) []string {
	return []string{s.alert, token, r.srv.url, "", r.options, "10", "3", ">", "/dev/null", "2>&1"}
}

// run starts one program as integratord does (through the launcher, which
// measures it), waits for it, checks what it did and records the sample.
func (r *runner) run(s *subject) error {
	args := append([]string{r.home.Dir, s.prog}, r.argv(s)...)
	cmd := exec.Command(r.launcher, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr // the child's output: a pipe, as integratord gives
	before := r.srv.received()
	timed := r.srv.answered()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: launch: %w: %s", s.name, err, bytes.TrimSpace(stderr.Bytes()))
	}
	var m sample
	var wall, user, sys, status int64
	if _, err := fmt.Sscanf(stdout.String(), "wall_ns=%d user_ns=%d sys_ns=%d maxrss_kib=%d minflt=%d status=%d self_maxrss_kib=%d",
		&wall, &user, &sys, &m.rssKiB, &m.minflt, &status, &m.floorRSSKiB); err != nil {
		return fmt.Errorf("%s: reading the launcher's report %q: %w", s.name, stdout.String(), err)
	}
	m.wall, m.cpu = time.Duration(wall), time.Duration(user+sys)
	if status != 0 {
		return fmt.Errorf("%s: exit status %d: %s", s.name, status, bytes.TrimSpace(stderr.Bytes()))
	}

	requests := r.srv.received() - before
	msgs, err := r.home.Flush(10 * time.Second)
	if err != nil {
		return fmt.Errorf("%s: reading the queue socket: %w", s.name, err)
	}
	if requests != s.requests {
		return fmt.Errorf("%s: %d HTTP requests, want %d", s.name, requests, s.requests)
	}
	switch {
	case s.datagrams < 0 && len(msgs) == 0:
		return fmt.Errorf("%s: no datagram, want some", s.name)
	case s.datagrams >= 0 && len(msgs) != s.datagrams:
		return fmt.Errorf("%s: %d datagrams, want %d", s.name, len(msgs), s.datagrams)
	}
	if s.role == "integration" && r.hitInfo == "" {
		r.hitInfo = fmt.Sprintf("%d datagrams; the integration logged: %s", len(msgs), lookedUp(r.home.ReadLog()))
	}
	if m.fake, err = r.srv.timeSince(timed, requests); err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	s.samples = append(s.samples, m)
	return nil
}

// lookedUp finds what the integration logged about its lookup.
func lookedUp(log string) string {
	for line := range strings.Lines(log) {
		if i := strings.Index(line, "looked up "); i >= 0 {
			s := line[i:]
			if j := strings.Index(s, " events"); j >= 0 {
				return s[:j+len(" events")]
			}
		}
	}
	return "lookup not logged"
}
