package main

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/opencti/enrich"
	"github.com/wazuh-opencti/wazuh-opencti/opencti/openctitest"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh/wazuhtest"
)

// demoAlerts are alerts in the shapes Wazuh writes them, whose values hit
// the fake OpenCTI's demo bundle (see openctitest.DemoBundle).
//
//go:embed demo/alerts/*.json
var demoAlerts embed.FS

// demoOptions is the <options> block the demo runs with: the demo's
// indicators live in documentation ranges, which are never looked up by
// default.
const demoOptions = `{"lookup_ranges": ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"]}`

const demoUsage = `usage: custom-opencti demo [-json] [-log]

Runs the integration end to end on built-in data, with nothing installed:
a fake OpenCTI serving a small bundle of invented indicators, a stand-in for
analysisd's queue socket in a temporary Wazuh home, and a few sample alerts,
each run through the integration exactly as wazuh-integratord runs it.
Prints the events Wazuh would receive.

  -json  print each datagram exactly as analysisd receives it
  -log   print what the integration wrote to integrations.log
`

// demo implements the demo subcommand.
func demo(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("demo", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, demoUsage) }
	raw := flags.Bool("json", false, "print the datagrams as received")
	showLog := flags.Bool("log", false, "print integrations.log")
	if err := flags.Parse(args); err != nil || flags.NArg() > 0 {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		flags.Usage()
		return exitBadUsage
	}
	if err := runDemo(stdout, *raw, *showLog); err != nil {
		fmt.Fprintf(stderr, "custom-opencti demo: %v\n", err)
		return exitFailure
	}
	return exitOK
}

func runDemo(w io.Writer, raw, showLog bool) error {
	token := make([]byte, 16)
	if _, err := rand.Read(token); err != nil {
		return err
	}
	srv, err := openctitest.NewServer(openctitest.DemoBundle(), openctitest.WithToken(hex.EncodeToString(token)))
	if err != nil {
		return err
	}
	defer srv.Close()
	home, err := wazuhtest.NewHome("")
	if err != nil {
		return fmt.Errorf("creating a Wazuh home: %w", err)
	}
	defer home.Close()
	tmp, err := os.MkdirTemp("", "custom-opencti-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	fmt.Fprintf(w, `custom-opencti demo

  fake OpenCTI     %s (the demo bundle of package openctitest)
  Wazuh home       %s (analysisd's queue socket is a real datagram socket there)
  <options>        %s
                   (the demo's indicators are in documentation ranges, which are
                   otherwise never looked up)

Each alert runs through the integration as wazuh-integratord runs it:
  custom-opencti ALERT_FILE API_KEY %s "" OPTIONS_FILE 10 3 "> /dev/null 2>&1"
`, srv.GraphQLURL(), home.Dir, demoOptions, srv.GraphQLURL())

	names, err := fs.Glob(demoAlerts, "demo/alerts/*.json")
	if err != nil {
		return err
	}
	options := filepath.Join(tmp, "custom-opencti-1.options")
	if err := os.WriteFile(options, []byte(demoOptions+"\n"), 0o600); err != nil {
		return err
	}
	total := 0
	for i, name := range names {
		data, err := demoAlerts.ReadFile(name)
		if err != nil {
			return err
		}
		alertFile := filepath.Join(tmp, fmt.Sprintf("custom-opencti-%d-%d.alert", time.Now().Unix(), i+1))
		if err := os.WriteFile(alertFile, data, 0o600); err != nil {
			return err
		}
		alert, err := wazuh.DecodeAlert(data)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Fprintf(w, "\n── %s\n   rule %s (%s), agent %s\n", path.Base(name), alert.Rule.ID, alert.Rule.Description, agentName(alert.Agent))
		found, err := extractDemo(alert)
		if err != nil {
			return err
		}
		writeLookedUp(w, found)

		var stderr bytes.Buffer
		start := time.Now()
		status := integrate([]string{alertFile, srv.Token, srv.GraphQLURL(), "", options, "10", "3", ">", "/dev/null", "2>&1"}, &stderr, home.Dir)
		took := time.Since(start)
		msgs, err := home.Flush(10 * time.Second)
		if err != nil {
			return err
		}
		total += len(msgs)
		fmt.Fprintf(w, "   exit status %d, %d events, %s\n", status, len(msgs), took.Round(time.Millisecond))
		if s := strings.TrimSpace(stderr.String()); s != "" {
			fmt.Fprintf(w, "   stderr: %s\n", s)
		}
		for _, m := range msgs {
			if raw {
				fmt.Fprintf(w, "   %s\n", m.Raw)
				continue
			}
			writeEventSummary(w, m)
		}
	}
	fmt.Fprintf(w, "\n%d alerts, %d events sent to analysisd.\n", len(names), total)
	if showLog {
		fmt.Fprintf(w, "\nintegrations.log:\n%s", home.ReadLog())
	}
	return nil
}

// extractDemo shows what the integration will look up, with the demo's
// options applied exactly as the integration applies them.
func extractDemo(a *wazuh.Alert) (extract.Result, error) {
	raw, err := wazuh.ParseOptions([]byte(demoOptions))
	if err != nil {
		return extract.Result{}, err
	}
	set := extract.Default()
	opts, _, err := enrich.ParseOptions(raw, set.Names())
	if err != nil {
		return extract.Result{}, err
	}
	return opts.Extractors(set).Extract(a), nil
}

func writeLookedUp(w io.Writer, res extract.Result) {
	if len(res.Findings) == 0 {
		fmt.Fprintf(w, "   nothing to look up: %s\n", res.Skipped)
		return
	}
	var vals []string
	for _, f := range res.Findings {
		vals = append(vals, fmt.Sprintf("%s (%s)", f.Observable, f.Role))
	}
	fmt.Fprintf(w, "   looks up %s\n", strings.Join(vals, ", "))
}

func agentName(a wazuh.Agent) string {
	if a.IsManager() {
		return "000 (the manager)"
	}
	return a.ID + " " + a.Name
}

// writeEventSummary prints one event in a few lines: where analysisd puts
// it, its type, and what it says.
func writeEventSummary(w io.Writer, m wazuhtest.Message) {
	var e struct {
		OpenCTI struct {
			EventType string `json:"event_type"`
			Error     string `json:"error"`
			Value     string `json:"observable_value"`
			Type      string `json:"type"`
			Indicator *struct {
				Name     string   `json:"name"`
				Pattern  string   `json:"pattern"`
				Score    *int     `json:"x_opencti_score"`
				Revoked  bool     `json:"revoked"`
				Markings []string `json:"markings"`
			} `json:"indicator"`
			Related *struct {
				Value        string `json:"value"`
				Relationship string `json:"relationship"`
				Indicator    struct {
					Name string `json:"name"`
				} `json:"indicator"`
			} `json:"related"`
			Match *struct {
				Value string `json:"value"`
				Field string `json:"field"`
			} `json:"match"`
			Link      string `json:"indicator_link"`
			Truncated bool   `json:"truncated"`
		} `json:"opencti"`
	}
	if err := json.Unmarshal(m.Event, &e); err != nil {
		fmt.Fprintf(w, "   %s: invalid JSON: %v\n", m.Location, err)
		return
	}
	o := e.OpenCTI
	fmt.Fprintf(w, "   → %s  %s\n", m.Location, o.EventType)
	switch {
	case o.Error != "":
		fmt.Fprintf(w, "       error: %s\n", o.Error)
	case o.Related != nil:
		fmt.Fprintf(w, "       %s %s %s %s, which has indicator %q\n", o.Type, o.Value, o.Related.Relationship, o.Related.Value, o.Related.Indicator.Name)
	case o.Indicator != nil:
		ind := o.Indicator
		what := fmt.Sprintf("indicator %q %s", ind.Name, ind.Pattern)
		if o.Value != "" {
			what = fmt.Sprintf("%s %s has %s", o.Type, o.Value, what)
		}
		fmt.Fprintf(w, "       %s\n", what)
		var facts []string
		if ind.Score != nil {
			facts = append(facts, fmt.Sprintf("score %d", *ind.Score))
		}
		if ind.Revoked {
			facts = append(facts, "revoked")
		}
		facts = append(facts, ind.Markings...)
		if o.Match != nil {
			facts = append(facts, "from "+o.Match.Field)
		}
		fmt.Fprintf(w, "       %s\n", strings.Join(facts, ", "))
	}
	if o.Link != "" {
		fmt.Fprintf(w, "       %s\n", o.Link)
	}
	if o.Truncated {
		fmt.Fprintf(w, "       (shrunk to fit a datagram)\n")
	}
}
