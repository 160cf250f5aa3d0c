package integration_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh/integration"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh/wazuhtest"
)

const token = "tok-5f2b9c61d8e04a7f"

func newHome(t *testing.T) *wazuhtest.Home {
	t.Helper()
	h, err := wazuhtest.NewHome("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const alertJSON = `{"timestamp":"2025-03-14T09:26:53.417+0000","rule":{"level":5,"id":"5710","groups":["sshd"]},` +
	`"agent":{"id":"017","name":"WS-LAB-07","ip":"2001:db8::31"},"id":"1741944413.1","data":{"srcip":"198.51.100.7"},"location":"/var/log/auth.log"}` + "\n"

func TestRunSendsAndLogs(t *testing.T) {
	h := newHome(t)
	alert := writeFile(t, t.TempDir(), "custom-x-1-2.alert", alertJSON)
	opts := writeFile(t, t.TempDir(), "custom-x-1-2.options", `{"max_ind_alerts": 1}`)
	var stderr bytes.Buffer
	run, err := integration.Start([]string{alert, token, "https://cti.example/graphql", "debug", opts, "5", "2"},
		integration.Config{Program: "custom-x", Home: h.Dir, Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	if run.Alert.ID != "1741944413.1" || run.Invocation.Timeout != 5*time.Second || string(run.Options["max_ind_alerts"]) != "1" {
		t.Errorf("run = %+v", run)
	}
	run.Logger.Info("looking up", "token_in_message", "Bearer "+token)
	if err := run.Send(context.Background(), "x", map[string]string{"integration": "x"}); err != nil {
		t.Fatal(err)
	}
	if code := run.Finish(nil); code != 0 {
		t.Errorf("Finish(nil) = %d", code)
	}
	run.Close()

	m, err := h.Next(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if want := "1:[017] (WS-LAB-07) 2001|:db8|:|:31->x:"; !strings.HasPrefix(string(m.Raw), want) {
		t.Errorf("datagram %q, want header %q", m.Raw, want)
	}
	log := h.ReadLog()
	if !strings.Contains(log, "custom-x: DEBUG: started") || !strings.Contains(log, "custom-x: DEBUG: done") {
		t.Errorf("log lacks the debug records:\n%s", log)
	}
	if strings.Contains(log, token) || strings.Contains(stderr.String(), token) {
		t.Errorf("the token was written:\nlog: %s\nstderr: %s", log, stderr.String())
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr on success: %q", stderr.String())
	}
}

// TestSendNames: each Send writes under the name it is given, also after
// an earlier Send with another name.
func TestSendNames(t *testing.T) {
	h := newHome(t)
	alert := writeFile(t, t.TempDir(), "a.alert", alertJSON)
	run, err := integration.Start([]string{alert, token, "u"}, integration.Config{Program: "custom-x", Home: h.Dir, Stderr: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	for _, name := range []string{"first", "second"} {
		if err := run.Send(context.Background(), name, map[string]string{"integration": name}); err != nil {
			t.Fatal(err)
		}
		m, err := h.Next(time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if want := "[017] (WS-LAB-07) 2001:db8::31->" + name; m.Location != want {
			t.Errorf("Send(%q): location %q, want %q", name, m.Location, want)
		}
	}
}

func TestStartFailures(t *testing.T) {
	h := newHome(t)
	dir := t.TempDir()
	good := writeFile(t, dir, "good.alert", alertJSON)
	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"too few arguments", []string{good}, wazuh.ExitBadArguments, "bad invocation"},
		{"missing alert", []string{filepath.Join(dir, "gone.alert"), token, "u"}, wazuh.ExitFileNotFound, "no such file"},
		{"empty alert", []string{writeFile(t, dir, "empty.alert", ""), token, "u"}, wazuh.ExitInvalidJSON, "empty"},
		{"truncated alert", []string{writeFile(t, dir, "cut.alert", alertJSON[:60]), token, "u"}, wazuh.ExitInvalidJSON, "alert"},
		{"not an object", []string{writeFile(t, dir, "arr.alert", "[1,2]"), token, "u"}, wazuh.ExitInvalidJSON, "alert"},
		{"bad options", []string{good, token, "u", "", writeFile(t, dir, "bad.options", "{nope")}, wazuh.ExitBadArguments, "options"},
		{"missing options", []string{good, token, "u", "", filepath.Join(dir, "gone.options")}, wazuh.ExitBadArguments, "options"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			run, err := integration.Start(tt.args, integration.Config{Program: "custom-x", Home: h.Dir, Stderr: &stderr})
			if err == nil {
				t.Fatal("Start succeeded")
			}
			code := run.Finish(err)
			run.Close()
			if code != tt.code {
				t.Errorf("exit status %d, want %d (%v)", code, tt.code, err)
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "custom-x: ") || !strings.Contains(lines[0], tt.says) {
				t.Errorf("stderr %q, want one line saying %q", stderr.String(), tt.says)
			}
			if strings.Contains(stderr.String(), token) || strings.Contains(h.ReadLog(), token) {
				t.Errorf("token written")
			}
			if !strings.Contains(h.ReadLog(), "ERROR:") {
				t.Errorf("no error record in the log:\n%s", h.ReadLog())
			}
		})
	}
}

func TestSendWithoutAnalysisd(t *testing.T) {
	h := newHome(t)
	alert := writeFile(t, t.TempDir(), "a.alert", alertJSON)
	run, err := integration.Start([]string{alert, token, "u"}, integration.Config{Program: "custom-x", Home: h.Dir, Stderr: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	h.Close() // analysisd stops: the socket goes away
	err = run.Send(context.Background(), "x", map[string]int{"a": 1})
	if !errors.Is(err, wazuh.ErrNotRunning) || integration.ExitCode(err) != wazuh.ExitSocketFailure {
		t.Errorf("Send = %v (exit %d), want ErrNotRunning and exit 5", err, integration.ExitCode(err))
	}
}

func TestExitCode(t *testing.T) {
	for err, want := range map[error]int{
		nil:                0,
		errors.New("boom"): 1,
		integration.Exit(4, errors.New("no answer")): 4,
		wazuh.ErrQueueFull:                           5,
		&wazuh.InvocationError{Reason: "x"}:          2,
	} {
		if got := integration.ExitCode(err); got != want {
			t.Errorf("ExitCode(%v) = %d, want %d", err, got, want)
		}
	}
	if integration.Exit(3, nil) != nil {
		t.Errorf("Exit(3, nil) is not nil")
	}
}
