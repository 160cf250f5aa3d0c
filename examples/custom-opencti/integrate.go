package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/opencti"
	"github.com/wazuh-opencti/wazuh-opencti/opencti/enrich"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh/integration"
)

// program is the integration's file name in <home>/integrations.
const program = "custom-opencti"

// Waits between attempts: the n-th retry waits at most min(base·2ⁿ⁻¹, max).
const (
	backoffBase = 500 * time.Millisecond
	backoffMax  = 5 * time.Second
)

// sendTimeout bounds the writes to the queue socket, after the lookup.
const sendTimeout = 10 * time.Second

// integrate is the entry point wazuh-integratord uses. It returns the exit
// status. home is the Wazuh home; "" finds it from the executable's path.
func integrate(args []string, stderr io.Writer, home string) int {
	run, err := integration.Start(args, integration.Config{Program: program, Home: home, Stderr: stderr})
	if err != nil {
		return run.Finish(err)
	}
	defer run.Close()
	return run.Finish(enrichAlert(run))
}

// enrichAlert looks the alert up and sends the events. Whatever events
// were built are sent, also when the lookup failed part way; a failed
// lookup then ends the run with exit status 4 after an error event.
func enrichAlert(run *integration.Run) error {
	log := run.Logger
	inv := run.Invocation
	set := extract.Default()
	opts, unknown, err := enrich.ParseOptions(run.Options, set.Names())
	if err != nil {
		return integration.Exit(wazuh.ExitBadArguments, err)
	}
	for _, k := range unknown {
		log.Warn("ignoring an unknown option", "key", k)
	}
	set = opts.Extractors(set)
	cfg := opts.Apply(enrich.DefaultConfig(inv.HookURL))
	timeout, retries := opts.Limits(inv)

	clientOpts := []opencti.Option{
		opencti.WithTimeout(timeout),
		opencti.WithRetries(retries),
		opencti.WithBackoff(backoffBase, backoffMax),
		opencti.WithUserAgent(userAgent()),
		opencti.WithLogger(log),
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
	ctx, cancel := context.WithTimeout(context.Background(), lookupBudget(timeout, retries))
	defer cancel()
	p := enrich.Pipeline{Extractors: set, Client: client, Config: cfg}
	out := p.Run(ctx, run.Alert)
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
	log.Info(fmt.Sprintf("looked up %d observables: %d events", len(out.Extraction.Findings), len(out.Events)),
		"alert_id", run.Alert.ID, "rule_id", run.Alert.Rule.ID, "requests", requests)

	if out.Err != nil {
		return integration.Exit(wazuh.ExitNoResponse, fmt.Errorf("OpenCTI lookup failed: %w", out.Err))
	}
	return sendErr
}

// lookupBudget bounds a lookup: every attempt may take the timeout, and
// each retry waits at most its backoff first.
func lookupBudget(timeout time.Duration, retries int) time.Duration {
	total := timeout * time.Duration(retries+1)
	wait := backoffBase
	for range retries {
		total += min(wait, backoffMax)
		wait *= 2
	}
	return total
}
