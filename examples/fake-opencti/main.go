// Command fake-opencti serves a STIX 2.1 bundle through OpenCTI's GraphQL
// API, so that a Wazuh integration, a script or a test can be pointed at an
// OpenCTI without running one. It is package
// github.com/wazuh-opencti/wazuh-opencti/opencti/openctitest as a program.
//
// Usage:
//
//	fake-opencti [-addr 127.0.0.1:4000] [-token TOKEN] [-data bundle.json]
//	             [-latency 2s] [-fault none|http500|malformed|truncated|graphql-error|auth|reset]
//	             [-fault-code CODE] [-version 6.9.17] [-quiet]
//	fake-opencti -print-demo > bundle.json
//
// Without -data it serves the demo bundle of openctitest. Without -token it
// accepts any non-empty bearer token. It prints the GraphQL URL on standard
// output, logs each request on standard error (never the token), and serves
// until interrupted (SIGINT or SIGTERM).
//
// Exit status: 0 after an interrupt, 1 when the bundle cannot be used or the
// address cannot be listened on, 2 for bad arguments.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/opencti/openctitest"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// run is the program: it serves until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fake-opencti", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		addr      = fs.String("addr", "127.0.0.1:4000", "`address` to listen on (port 0 picks a free port)")
		token     = fs.String("token", "", "API `token` clients must send as \"Authorization: Bearer TOKEN\"; without it any non-empty token is accepted")
		data      = fs.String("data", "", "STIX 2.1 bundle `file` to serve; the demo bundle when empty")
		latency   = fs.Duration("latency", 0, "delay every answer by this `duration`, e.g. 2s")
		fault     = fs.String("fault", "none", "inject a `fault` into every answer: "+faultNames())
		faultCode = fs.String("fault-code", "", "extensions.code of the error of -fault graphql-error (default INTERNAL_SERVER_ERROR)")
		version   = fs.String("version", openctitest.DefaultVersion, "OpenCTI `version` to report in about { version }")
		quiet     = fs.Bool("quiet", false, "do not log requests")
		printDemo = fs.Bool("print-demo", false, "print the demo bundle's JSON and exit")
	)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: fake-opencti [flags]\n\nA fake OpenCTI serving a STIX bundle through its GraphQL API.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "fake-opencti: unexpected argument %q (flags only; see -h)\n", fs.Arg(0))
		return exitUsage
	}
	if *printDemo {
		stdout.Write(openctitest.DemoBundleJSON())
		return exitOK
	}
	kind, err := openctitest.ParseFaultKind(*fault)
	if err != nil {
		fmt.Fprintf(stderr, "fake-opencti: -fault: %v\n", strings.TrimPrefix(err.Error(), "openctitest: "))
		return exitUsage
	}
	if *latency < 0 {
		fmt.Fprintf(stderr, "fake-opencti: -latency %v is negative\n", *latency)
		return exitUsage
	}
	if *faultCode != "" && kind != openctitest.FaultGraphQLError {
		fmt.Fprintln(stderr, "fake-opencti: -fault-code goes with -fault graphql-error")
		return exitUsage
	}

	bundle, source, err := loadBundle(*data)
	if err != nil {
		fmt.Fprintf(stderr, "fake-opencti: %v\n", err)
		return exitError
	}
	logOut := stderr
	if *quiet {
		logOut = io.Discard
	}
	opts := []openctitest.Option{
		openctitest.WithVersion(*version),
		openctitest.WithLatency(*latency),
		openctitest.WithFault(openctitest.Fault{Kind: kind, Code: *faultCode}),
		openctitest.WithLogger(slog.New(slog.NewTextHandler(logOut, nil))),
	}
	if *token != "" {
		opts = append(opts, openctitest.WithToken(*token))
	} else {
		opts = append(opts, openctitest.WithAnyToken())
	}
	h, err := openctitest.NewHandler(bundle, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "fake-opencti: %s: %v\n", source, err)
		return exitError
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "fake-opencti: %v\n", err)
		return exitError
	}
	url := "http://" + ln.Addr().String() + "/graphql"
	fmt.Fprintf(stderr, "fake-opencti: serving %s as OpenCTI %s\n", describe(bundle, source), *version)
	if *token != "" {
		fmt.Fprintln(stderr, "fake-opencti: requests must carry the token given with -token")
	} else {
		fmt.Fprintln(stderr, "fake-opencti: no -token given: any non-empty bearer token is accepted")
	}
	if kind != openctitest.FaultNone || *latency > 0 {
		fmt.Fprintf(stderr, "fake-opencti: fault %s, latency %v on every request\n", kind, *latency)
	}
	fmt.Fprintf(stdout, "GraphQL URL: %s\n", url)

	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "fake-opencti: %v\n", err)
		return exitError
	case <-ctx.Done():
	}
	fmt.Fprintln(stderr, "fake-opencti: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	return exitOK
}

// loadBundle reads the bundle file, or the demo bundle when path is "".
func loadBundle(path string) (*stix.Bundle, string, error) {
	if path == "" {
		return openctitest.DemoBundle(), "the demo bundle", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, path, err
	}
	defer f.Close()
	b, err := stix.DecodeBundle(f)
	if err != nil {
		return nil, path, fmt.Errorf("%s: %w", path, err)
	}
	return b, path, nil
}

// describe counts what a bundle holds, for the start-up message.
func describe(b *stix.Bundle, source string) string {
	var obs, ind, rel int
	for _, o := range b.Objects {
		switch o.Type {
		case "indicator":
			ind++
		case "relationship":
			rel++
		case stix.TypeIPv4Addr, stix.TypeIPv6Addr, stix.TypeDomainName, stix.TypeHostname,
			stix.TypeURL, stix.TypeEmailAddr, stix.TypeFile:
			obs++
		}
	}
	return fmt.Sprintf("%s (%d observables, %d indicators, %d relationships)", source, obs, ind, rel)
}

func faultNames() string {
	var names []string
	for _, k := range openctitest.FaultKinds() {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}
