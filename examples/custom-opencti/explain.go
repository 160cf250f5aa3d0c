package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

const explainUsage = `usage: custom-opencti explain [-json] ALERT_FILE...

Runs the default extractors on each alert file, offline, and shows what
would be looked up in OpenCTI: the observables, the extractor and field each
came from, and what the policy dropped and why. With -json, prints one JSON
object per file, one per line:

  {"file": "...", "extractors": [...], "observables": [...], "skipped": "..."}

where extractors are the extractors that found the observables looked up,
observables are STIX objects (type, id, and value or hashes), and skipped,
present only when nothing is looked up, says why. A file that
cannot be read or decoded gives {"file": "...", "error": "..."} and a
non-zero exit status once every file has been processed.
`

// explainRecord is the -json line of one alert file.
type explainRecord struct {
	File        string              `json:"file"`
	Extractors  []string            `json:"extractors"`
	Observables []explainObservable `json:"observables"`
	Skipped     string              `json:"skipped,omitempty"`
}

// explainObservable is an observable's STIX JSON cut to the keys that
// identify it: no spec_version, no size.
type explainObservable struct {
	Type   string            `json:"type"`
	ID     string            `json:"id"`
	Value  string            `json:"value,omitempty"`
	Hashes map[string]string `json:"hashes,omitempty"`
	Name   string            `json:"name,omitempty"`
}

// explainError is the -json line of a file that could not be read.
type explainError struct {
	File  string `json:"file"`
	Error string `json:"error"`
}

// explain implements the explain subcommand and returns the exit status.
func explain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, explainUsage) }
	asJSON := fs.Bool("json", false, "print one JSON object per file, one per line")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitBadUsage
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitBadUsage
	}

	set := extract.Default()
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false) // URLs keep their & and <
	status := exitOK
	for i, path := range fs.Args() {
		a, err := wazuh.ReadAlertFile(path)
		if err != nil {
			status = exitFailure
		}
		switch {
		case *asJSON && err != nil:
			if werr := enc.Encode(explainError{File: path, Error: err.Error()}); werr != nil {
				return writeFailed(stderr, werr)
			}
		case *asJSON:
			rec, rerr := newExplainRecord(path, set.Extract(a))
			if rerr != nil {
				// Only an observable that cannot be marshalled gets here:
				// a bug, reported like an unreadable file.
				status = exitFailure
				if werr := enc.Encode(explainError{File: path, Error: rerr.Error()}); werr != nil {
					return writeFailed(stderr, werr)
				}
				continue
			}
			if werr := enc.Encode(rec); werr != nil {
				return writeFailed(stderr, werr)
			}
		default:
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			var res extract.Result
			if err == nil {
				res = set.Extract(a)
			}
			if werr := writeExplainTable(stdout, path, res, err); werr != nil {
				return writeFailed(stderr, werr)
			}
		}
	}
	return status
}

func writeFailed(stderr io.Writer, err error) int {
	fmt.Fprintln(stderr, "custom-opencti explain:", err)
	return exitFailure
}

// newExplainRecord builds the -json record of one alert's result.
func newExplainRecord(path string, res extract.Result) (explainRecord, error) {
	rec := explainRecord{File: path, Extractors: []string{}, Observables: []explainObservable{}, Skipped: res.Skipped}
	for _, f := range res.Findings {
		if !contains(rec.Extractors, f.Extractor) {
			rec.Extractors = append(rec.Extractors, f.Extractor)
		}
		b, err := json.Marshal(f.Observable)
		if err != nil {
			return explainRecord{}, fmt.Errorf("observable %s: %w", f.Observable, err)
		}
		var o explainObservable
		if err := json.Unmarshal(b, &o); err != nil {
			return explainRecord{}, fmt.Errorf("observable %s: %w", f.Observable, err)
		}
		rec.Observables = append(rec.Observables, o)
	}
	return rec, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// writeExplainTable writes the readable form of one file's result: a
// heading, one aligned row per observable looked up, dropped or invalid,
// and the reason when nothing is looked up.
func writeExplainTable(w io.Writer, path string, res extract.Result, readErr error) error {
	fmt.Fprintf(w, "== %s\n", printable(path, 0))
	if readErr != nil {
		_, err := fmt.Fprintf(w, "   error: %s\n", printable(readErr.Error(), 0))
		return err
	}
	if len(res.Findings)+len(res.Dropped)+len(res.Invalid) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "   STATUS\tTYPE\tVALUE\tROLE\tFIELD\tEXTRACTOR\tWHY")
		for _, f := range res.Findings {
			writeObservableRows(tw, "lookup", f, "")
		}
		for _, d := range res.Dropped {
			writeObservableRows(tw, "dropped", d.Finding, d.Reason)
		}
		for _, v := range res.Invalid {
			// strconv.Quote escapes what a terminal must not interpret.
			fmt.Fprintf(tw, "   invalid\t\t%s\t\t%s\t%s\t%s\n", strconv.Quote(cut(v.Value, maxCell)), v.Field, v.Extractor, printable(v.Reason, 0))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if res.Skipped != "" {
		fmt.Fprintf(w, "   nothing to look up: %s\n", printable(res.Skipped, 0))
	}
	return nil
}

// maxCell bounds the width of a value in the table; -json has it whole.
const maxCell = 72

// writeObservableRows writes one observable: a file gets one row per hash.
func writeObservableRows(tw io.Writer, status string, f extract.Finding, why string) {
	values := []string{f.Observable.String()}
	if file, ok := f.Observable.(stix.File); ok && len(file.Hashes()) > 0 {
		values = values[:0]
		for _, h := range file.Hashes() {
			values = append(values, h.String())
		}
	}
	// No tab after the last non-empty cell: tabwriter would pad it with
	// trailing spaces.
	if why != "" {
		why = "\t" + printable(why, 0)
	}
	fmt.Fprintf(tw, "   %s\t%s\t%s\t%s\t%s\t%s%s\n", status, f.Observable.Type(), printable(values[0], maxCell), f.Role, f.Field, f.Extractor, why)
	for _, v := range values[1:] {
		fmt.Fprintf(tw, "   \t\t%s\n", printable(v, maxCell))
	}
}

// cut shortens s to limit runes, marking the cut.
func cut(s string, limit int) string {
	n := 0
	for i := range s {
		if n == limit {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// printable makes s safe for a terminal: control and format characters
// (such as U+202E, which reverses the text after it) are escaped, and s is
// cut to limit runes when limit > 0.
func printable(s string, limit int) string {
	if limit > 0 {
		s = cut(s, limit)
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
