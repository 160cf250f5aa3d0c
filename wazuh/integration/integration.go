// Package integration runs a Go program as a wazuh-integratord integration:
// it does the parts every integration shares, so that the program only
// decides what an alert means.
//
// A run goes like this:
//
//	run, err := integration.Start(os.Args[1:], integration.Config{Program: "custom-example"})
//	if err != nil {
//		os.Exit(run.Finish(err))
//	}
//	defer run.Close()
//	// … look at run.Alert, build events …
//	err = run.Send(ctx, "example", events...)
//	os.Exit(run.Finish(err))
//
// Start parses the arguments, finds the Wazuh home, opens
// logs/integrations.log as the run's logger, and reads the options file and
// the alert. Send writes events to analysisd's queue socket under the
// alert's agent. Finish logs the outcome, prints one line on stderr when the
// run failed (wazuh-integratord copies the last line a failed integration
// printed into ossec.log) and returns the exit status, following the codes of
// Wazuh's own integrations (see ExitCode).
//
// The package knows nothing of any particular integration; the reference
// OpenCTI integration in examples/custom-opencti is built on it.
package integration

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// Config describes the program.
type Config struct {
	// Program is the integration's file name, e.g. "custom-opencti"; it
	// starts every log line and every line on stderr.
	Program string
	// Home is the Wazuh installation directory; "" finds it with
	// wazuh.FindHome.
	Home string
	// Stderr receives the one-line failure message; nil means os.Stderr.
	Stderr io.Writer
}

// Run is one run of the integration under wazuh-integratord.
type Run struct {
	Invocation wazuh.Invocation
	Home       string
	Options    wazuh.Options
	Alert      *wazuh.Alert
	// Logger writes to logs/integrations.log (or to stderr when that cannot
	// be opened); debug records only when integratord passed "debug". The
	// API key is redacted from everything it writes.
	Logger *slog.Logger

	program   string
	stderr    io.Writer
	logFile   *os.File
	queue     *wazuh.Queue
	queueName string // the integration name queue writes in headers
	start     time.Time
}

// Start prepares a run from the program's arguments (os.Args[1:]). It
// always returns a usable Run, so that a failure can be finished with
// run.Finish(err); the error says which step failed and maps to an exit
// status (ExitCode).
func Start(args []string, cfg Config) (*Run, error) {
	r := &Run{program: cfg.Program, stderr: cfg.Stderr, start: time.Now()}
	if r.stderr == nil {
		r.stderr = os.Stderr
	}
	if r.program == "" {
		r.program = "integration"
	}
	inv, invErr := wazuh.ParseInvocation(args)
	r.Invocation = inv // partial on error; its key is never printed

	r.Home = cfg.Home
	var homeErr error
	if r.Home == "" {
		r.Home, homeErr = wazuh.FindHome()
	}
	r.Logger = r.openLogger(homeErr)
	if invErr != nil {
		return r, Exit(wazuh.ExitBadArguments, invErr)
	}
	r.Logger.Debug("started", "invocation", inv)
	if homeErr != nil {
		return r, Exit(wazuh.ExitMissingModule, homeErr)
	}

	opts, err := wazuh.ReadOptions(inv.OptionsFile)
	if err != nil {
		return r, Exit(wazuh.ExitBadArguments, err)
	}
	r.Options = opts

	alert, err := wazuh.ReadAlertFile(inv.AlertFile)
	if err != nil {
		return r, alertError(err)
	}
	r.Alert = alert
	return r, nil
}

// alertError gives a failure to read the alert its exit status: 6 when the
// file cannot be opened, 7 when its content is not an alert.
func alertError(err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return Exit(wazuh.ExitFileNotFound, err)
	}
	return Exit(wazuh.ExitInvalidJSON, err)
}

// openLogger logs to integrations.log, or to stderr when the home is
// unknown or the log cannot be opened (the reason is logged too).
func (r *Run) openLogger(homeErr error) *slog.Logger {
	opts := wazuh.LogOptions{Name: r.program, Debug: r.Invocation.Debug}
	if r.Invocation.APIKey != "" {
		opts.Secrets = []string{r.Invocation.APIKey}
	}
	if homeErr == nil {
		f, err := wazuh.OpenLog(r.Home)
		if err == nil {
			r.logFile = f
			return slog.New(wazuh.NewLogHandler(f, opts))
		}
		l := slog.New(wazuh.NewLogHandler(r.stderr, opts))
		l.Warn("cannot open the integrations log; logging to stderr", "error", err)
		return l
	}
	return slog.New(wazuh.NewLogHandler(r.stderr, opts))
}

// Send writes events to analysisd's queue socket as events of the
// integration called name (the location of the alerts they become), under
// the alert's agent. It stops at the first failure.
func (r *Run) Send(ctx context.Context, name string, events ...any) error {
	if len(events) == 0 {
		return nil
	}
	if r.queue == nil || r.queueName != name {
		if r.queue != nil {
			_ = r.queue.Close()
		}
		r.queue, r.queueName = wazuh.NewQueue(wazuh.QueuePath(r.Home), wazuh.WithIntegrationName(name)), name
	}
	var agent wazuh.Agent
	if r.Alert != nil {
		agent = r.Alert.Agent
	}
	for i, e := range events {
		if err := r.queue.Send(ctx, agent, e); err != nil {
			return Exit(wazuh.ExitSocketFailure, fmt.Errorf("sending event %d of %d: %w", i+1, len(events), err))
		}
	}
	return nil
}

// Finish ends the run: it logs the outcome and returns the exit status.
// A failure is logged as an error record and printed as one line on
// stderr.
func (r *Run) Finish(err error) int {
	took := time.Since(r.start).Round(time.Millisecond)
	alertID := ""
	if r.Alert != nil {
		alertID = r.Alert.ID
	}
	if err == nil {
		r.Logger.Debug("done", "alert_id", alertID, "took", took)
		return wazuh.ExitOK
	}
	code := ExitCode(err)
	msg := wazuh.Redact(err.Error(), r.Invocation.APIKey)
	r.Logger.Error(msg, "alert_id", alertID, "exit_status", code, "took", took)
	fmt.Fprintf(r.stderr, "%s: %s\n", r.program, oneLine(msg))
	return code
}

// Close releases the log and the socket.
func (r *Run) Close() error {
	var errs []error
	if r.queue != nil {
		errs = append(errs, r.queue.Close())
	}
	if r.logFile != nil {
		errs = append(errs, r.logFile.Close())
	}
	return errors.Join(errs...)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// ExitError gives an error the exit status the run ends with.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// Exit wraps err with an exit status; a nil err stays nil.
func Exit(code int, err error) error {
	if err == nil {
		return nil
	}
	return &ExitError{Code: code, Err: err}
}

// ExitCode is the exit status for err: the code of an *ExitError in its
// chain, else one derived from the wazuh package's errors, else 1.
//
//	0  success
//	2  bad arguments or options (wazuh.ErrInvocation, wazuh.ErrInvalidOptions)
//	4  the remote API gave no usable answer (set by the integration)
//	5  the queue socket failed (wazuh.ErrNotRunning, ErrQueueFull, ErrMessageTooLong)
//	6  the alert file does not exist or cannot be read
//	7  the alert is not valid JSON, or too large
func ExitCode(err error) int {
	var ee *ExitError
	switch {
	case err == nil:
		return wazuh.ExitOK
	case errors.As(err, &ee):
		return ee.Code
	case errors.Is(err, wazuh.ErrInvocation), errors.Is(err, wazuh.ErrInvalidOptions):
		return wazuh.ExitBadArguments
	case errors.Is(err, wazuh.ErrNotRunning), errors.Is(err, wazuh.ErrQueueFull), errors.Is(err, wazuh.ErrMessageTooLong):
		return wazuh.ExitSocketFailure
	case errors.Is(err, wazuh.ErrInvalidAlert), errors.Is(err, wazuh.ErrAlertTooLarge):
		return wazuh.ExitInvalidJSON
	}
	return 1
}
