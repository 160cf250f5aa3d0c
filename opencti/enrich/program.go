package enrich

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/opencti"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh/integration"
)

// Program is a whole OpenCTI integration for wazuh-integratord: the
// reference integration examples/custom-opencti is one, and a user's binary
// with extractors of its own is another, in a few lines:
//
//	func main() {
//		set := extract.Default().With(extract.Func("my-app", myExtractor))
//		os.Exit(enrich.Program{Name: "custom-opencti", Extractors: set}.Main(os.Args[1:]))
//	}
//
// Main parses integratord's arguments and the <options> block (Options),
// reads the alert, looks it up with one request bounded by the timeout and
// retries, sends the events under the alert's agent, and returns the exit
// status (see package wazuh/integration).
type Program struct {
	// Name is the program's file name in <home>/integrations, starting
	// with "custom-"; it starts every log line.
	Name string
	// Extractors are the extractors to run before the options apply;
	// nil means extract.Default().
	Extractors *extract.Set
	// UserAgent is sent to OpenCTI; "" means the client's default.
	UserAgent string
	// Home is the Wazuh home; "" finds it from the executable's path.
	Home string
	// Stderr receives the one-line failure message; nil means os.Stderr.
	Stderr io.Writer
}

// Waits between attempts: the n-th retry waits at most min(base·2ⁿ⁻¹, max).
const (
	BackoffBase = 500 * time.Millisecond
	BackoffMax  = 5 * time.Second
)

// sendTimeout bounds the writes to the queue socket, after the lookup.
const sendTimeout = 10 * time.Second

// Main runs the integration on integratord's arguments (os.Args[1:]) and
// returns the exit status.
func (p Program) Main(args []string) int {
	run, err := integration.Start(args, integration.Config{Program: p.Name, Home: p.Home, Stderr: p.Stderr})
	if err == nil {
		err = p.enrich(run)
	}
	status := run.Finish(err)
	run.Close() // also after a failed Start, which may have opened the log
	return status
}

// enrich looks the alert up and sends the events. Whatever events were
// built are sent, also when the lookup failed part way; a failed lookup
// then ends the run with exit status 4 after an error event.
func (p Program) enrich(run *integration.Run) error {
	log := run.Logger
	inv := run.Invocation
	set := p.Extractors
	if set == nil {
		set = extract.Default()
	}
	opts, unknown, err := ParseOptions(run.Options, set.Names())
	if err != nil {
		return integration.Exit(wazuh.ExitBadArguments, err)
	}
	for _, k := range unknown {
		log.Warn("ignoring an unknown option", "key", k)
	}
	set = opts.Extractors(set)
	cfg := opts.Apply(DefaultConfig(inv.HookURL))
	timeout, retries := opts.Limits(inv)

	clientOpts := []opencti.Option{
		opencti.WithTimeout(timeout),
		opencti.WithRetries(retries),
		opencti.WithBackoff(BackoffBase, BackoffMax),
		opencti.WithLogger(log),
	}
	if p.UserAgent != "" {
		clientOpts = append(clientOpts, opencti.WithUserAgent(p.UserAgent))
	}
	if opts.CAFile != "" {
		clientOpts = append(clientOpts, opencti.WithCAFile(opts.CAFile))
	}
	if opts.InsecureSkipVerify {
		log.Warn("TLS certificate verification is off (insecure_skip_verify): anyone on the path to OpenCTI can read the API key")
		clientOpts = append(clientOpts, opencti.WithInsecureSkipVerify())
	}
	client, err := opencti.New(inv.HookURL, inv.APIKey, clientOpts...)
	if err != nil {
		return integration.Exit(wazuh.ExitBadArguments, err)
	}

	// The whole lookup, retries included, ends within this bound, so that
	// a hung OpenCTI cannot stall integratord (which waits for us).
	ctx, cancel := context.WithTimeout(context.Background(), LookupBudget(timeout, retries))
	defer cancel()
	out := Pipeline{Extractors: set, Client: client, Config: cfg}.Run(ctx, run.Alert)
	if len(out.Extraction.Findings) == 0 {
		log.Debug("nothing to look up", "alert_id", run.Alert.ID, "reason", out.Extraction.Skipped)
		return nil
	}
	for _, d := range out.Extraction.Dropped {
		log.Debug("not looked up", "value", d.Finding.Observable.String(), "reason", d.Reason)
	}

	sendCtx, cancelSend := context.WithTimeout(context.Background(), sendTimeout)
	defer cancelSend()
	events := make([]any, len(out.Events))
	for i, e := range out.Events {
		events[i] = e
		if e.Truncated {
			log.Warn("event shrunk to fit a datagram", "alert_id", run.Alert.ID, "event_type", e.Type)
		}
	}
	sendErr := run.Send(sendCtx, cfg.Name, events...)

	requests := 0
	if out.Result != nil {
		requests = out.Result.Requests
	}
	found := len(out.Events)
	if out.Err != nil {
		found-- // the error event
	}
	log.Info(fmt.Sprintf("looked up %d observables: %d events", len(out.Extraction.Findings), found),
		"alert_id", run.Alert.ID, "rule_id", run.Alert.Rule.ID, "requests", requests)

	if out.Err != nil {
		err := fmt.Errorf("OpenCTI lookup failed: %w", Explain(out.Err))
		if sendErr != nil { // say so: the error event was not delivered either
			err = fmt.Errorf("%w; and the events were not sent: %w", err, sendErr)
		}
		return integration.Exit(wazuh.ExitNoResponse, err)
	}
	return sendErr
}

// LookupBudget bounds a whole lookup: every attempt may take the timeout,
// and each retry waits at most its backoff first.
func LookupBudget(timeout time.Duration, retries int) time.Duration {
	total := timeout * time.Duration(retries+1)
	wait := min(BackoffBase, BackoffMax)
	for range retries {
		total += wait
		wait = min(2*wait, BackoffMax) // capped before it can overflow
	}
	return total
}
