package enrich_test

import (
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/opencti/enrich"
	"github.com/wazuh-opencti/wazuh-opencti/opencti/openctitest"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh/wazuhtest"
)

// TestProgram runs a user's integration, with an extractor of its own, in
// process against the fake OpenCTI: the extractor's finding is looked up
// and its event arrives on the queue socket.
func TestProgram(t *testing.T) {
	srv, err := openctitest.NewServer(openctitest.DemoBundle())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	home, err := wazuhtest.NewHome("")
	if err != nil {
		t.Fatal(err)
	}
	defer home.Close()

	dir := t.TempDir()
	alert := filepath.Join(dir, "custom-mine-1-1.alert")
	os.WriteFile(alert, []byte(`{"rule":{"id":"100900","level":5,"groups":["myapp"]},"agent":{"id":"012","name":"app-01","ip":"10.0.0.12"},"id":"1.2","data":{"myapp":{"peer":"c2.evil.example"}},"location":"myapp"}`+"\n"), 0o600)
	options := filepath.Join(dir, "custom-mine-1-1.options")
	os.WriteFile(options, []byte(`{"max_obs_alerts": 0, "colour": "blue"}`), 0o600)

	mine := extract.Func("myapp-peer", func(a *wazuh.Alert) []extract.Finding {
		o, err := extract.ParseHost(a.Field("data.myapp.peer").Text())
		if err != nil {
			return nil
		}
		return []extract.Finding{{Observable: o, Field: "data.myapp.peer", Role: extract.RoleHost}}
	})
	var stderr bytes.Buffer
	p := enrich.Program{Name: "custom-mine", Extractors: extract.Default().With(mine), Home: home.Dir, Stderr: &stderr}
	if status := p.Main([]string{alert, srv.Token, srv.GraphQLURL(), "debug", options, "5", "1"}); status != 0 {
		t.Fatalf("exit status %d: %s", status, stderr.String())
	}
	msgs, err := home.Flush(5 * time.Second)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("events: %v, %v", msgs, err)
	}
	for _, m := range msgs {
		if m.Location != "[012] (app-01) 10.0.0.12->opencti" || !bytes.Contains(m.Event, []byte(`"event_type":"indicator_pattern_match"`)) ||
			!bytes.Contains(m.Event, []byte(`"extractor":"myapp-peer"`)) {
			t.Errorf("unexpected event %s", m.Raw)
		}
	}
	log := home.ReadLog()
	for _, want := range []string{"WARNING: ignoring an unknown option key=colour", "INFO: looked up 1 observables"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, srv.Token) {
		t.Errorf("token in the log")
	}
}

// TestProgramLookupAndSendFail: when OpenCTI cannot be reached and the
// error event cannot be sent either, the run ends with exit status 4 and
// its one stderr line (and log record) says both.
func TestProgramLookupAndSendFail(t *testing.T) {
	home, err := wazuhtest.NewHome("")
	if err != nil {
		t.Fatal(err)
	}
	defer home.Close()
	if err := os.Remove(home.QueuePath()); err != nil { // Wazuh is not running
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/graphql"
	l.Close()

	dir := t.TempDir()
	alert := filepath.Join(dir, "custom-opencti-1-1.alert")
	if err := os.WriteFile(alert, []byte(`{"rule":{"id":"5710","groups":["sshd"]},"id":"1.2","data":{"srcip":"95.142.39.8"},"location":"/var/log/auth.log"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	p := enrich.Program{Name: "custom-opencti", Home: home.Dir, Stderr: &stderr}
	if status := p.Main([]string{alert, "tok-5f2b9c61d8e04a7f", closed, "", "", "1", "0"}); status != wazuh.ExitNoResponse {
		t.Errorf("exit status %d, want %d", status, wazuh.ExitNoResponse)
	}
	line := strings.TrimSpace(stderr.String())
	if strings.Count(line, "\n") != 0 || !strings.Contains(line, "cannot reach OpenCTI") || !strings.Contains(line, "wazuh is not running") {
		t.Errorf("stderr %q: want one line saying the lookup and the sending failed", stderr.String())
	}
	if log := home.ReadLog(); !strings.Contains(log, "wazuh is not running") {
		t.Errorf("the log does not say the events were not sent:\n%s", log)
	}
}

// TestProgramClosesLogOnFailure: Main is called in process (the demo runs
// every alert so), so a run that fails must not leave its log open.
func TestProgramClosesLogOnFailure(t *testing.T) {
	fds := func() int {
		entries, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Skipf("cannot count open files: %v", err)
		}
		return len(entries)
	}
	home, err := wazuhtest.NewHome("")
	if err != nil {
		t.Fatal(err)
	}
	defer home.Close()
	p := enrich.Program{Name: "custom-opencti", Home: home.Dir, Stderr: io.Discard}
	missing := filepath.Join(t.TempDir(), "custom-opencti-1-1.alert")
	before := fds()
	for range 20 {
		if status := p.Main([]string{missing, "tok-5f2b9c61d8e04a7f", "https://cti.example/graphql"}); status != wazuh.ExitFileNotFound {
			t.Fatalf("exit status %d, want %d", status, wazuh.ExitFileNotFound)
		}
	}
	if after := fds(); after > before+2 {
		t.Errorf("%d files open after 20 failed runs, %d before: the log is left open", after, before)
	}
}

func TestLookupBudget(t *testing.T) {
	for _, tc := range []struct {
		timeout time.Duration
		retries int
		want    time.Duration
	}{
		{10 * time.Second, 0, 10 * time.Second},
		{10 * time.Second, 3, 40*time.Second + 3500*time.Millisecond},
		{time.Second, 6, 7*time.Second + (500+1000+2000+4000+5000+5000)*time.Millisecond},
		// Past 35 retries a doubling wait overflowed and made the budget
		// negative: every lookup then failed at once.
		{time.Second, 36, 37*time.Second + 7500*time.Millisecond + 32*5*time.Second},
		{time.Second, enrich.MaxRetries, 101*time.Second + 7500*time.Millisecond + 96*5*time.Second},
		{enrich.MaxTimeout, enrich.MaxRetries, 101*enrich.MaxTimeout + 7500*time.Millisecond + 96*5*time.Second},
	} {
		if got := enrich.LookupBudget(tc.timeout, tc.retries); got != tc.want {
			t.Errorf("LookupBudget(%s, %d) = %s, want %s", tc.timeout, tc.retries, got, tc.want)
		}
	}
}
