package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/opencti"
	"github.com/wazuh-opencti/wazuh-opencti/opencti/enrich"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

const checkUsage = `usage: custom-opencti check -url URL [-token-file FILE] [-ca-file FILE] [-insecure] [-timeout 10s]

Checks that the integration can use an OpenCTI server: it resolves the
server's name, connects, verifies the API token, prints the OpenCTI version
and the token's user, and runs one sample lookup. When something is wrong it
says what: DNS, TLS, HTTP status, authentication or the query itself.

The token is read from -token-file, or else from $OPENCTI_TOKEN; it is never
printed. Exit status 0 when every step works, 4 when one fails, 2 for bad
usage.
`

// check implements the check subcommand.
func check(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, checkUsage) }
	endpoint := fs.String("url", "", "the OpenCTI GraphQL URL, e.g. https://opencti.example/graphql")
	tokenFile := fs.String("token-file", "", "file holding the API token (default: $OPENCTI_TOKEN)")
	caFile := fs.String("ca-file", "", "PEM file of CA certificates to trust")
	insecure := fs.Bool("insecure", false, "do not verify the server's TLS certificate")
	timeout := fs.Duration("timeout", 10*time.Second, "time allowed for each step")
	if err := fs.Parse(args); err != nil {
		return exitBadUsage
	}
	if *endpoint == "" || fs.NArg() > 0 {
		fs.Usage()
		return exitBadUsage
	}
	token, err := readToken(*tokenFile)
	if err != nil {
		fmt.Fprintf(stderr, "custom-opencti check: %v\n", err)
		return exitBadUsage
	}
	u, err := url.Parse(*endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		fmt.Fprintln(stderr, "custom-opencti check: -url is not an http(s) URL such as https://opencti.example/graphql")
		return exitBadUsage
	}

	ok := true
	step := func(name string, err error, detail string) {
		if err != nil {
			ok = false
			fmt.Fprintf(stdout, "%-8s FAIL  %s\n", name, err)
			return
		}
		fmt.Fprintf(stdout, "%-8s ok    %s\n", name, detail)
	}
	if !strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/graphql") {
		fmt.Fprintf(stdout, "%-8s note  the URL does not end in /graphql; OpenCTI's API is usually at <base>/graphql\n", "url")
	}

	ctx := context.Background()
	if ip := net.ParseIP(u.Hostname()); ip == nil {
		dctx, cancel := context.WithTimeout(ctx, *timeout)
		addrs, err := net.DefaultResolver.LookupHost(dctx, u.Hostname())
		cancel()
		if err != nil {
			step("dns", fmt.Errorf("cannot resolve %s: %v", u.Hostname(), err), "")
			return exitNoResponse
		}
		step("dns", nil, fmt.Sprintf("%s is %s", u.Hostname(), strings.Join(addrs, ", ")))
	}

	opts := []opencti.Option{opencti.WithTimeout(*timeout), opencti.WithRetries(0), opencti.WithUserAgent(userAgent())}
	if *caFile != "" {
		opts = append(opts, opencti.WithCAFile(*caFile))
	}
	if *insecure {
		fmt.Fprintf(stdout, "%-8s note  TLS verification is off (-insecure)\n", "tls")
		opts = append(opts, opencti.WithInsecureSkipVerify())
	}
	client, err := opencti.New(*endpoint, token, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "custom-opencti check: %v\n", err)
		return exitBadUsage
	}

	hctx, cancel := context.WithTimeout(ctx, *timeout)
	h, err := client.Health(hctx)
	cancel()
	if err != nil {
		step("server", enrich.Explain(err), "")
		return exitNoResponse
	}
	step("server", nil, "OpenCTI "+h.Version)
	step("token", nil, "authenticated as "+h.User)

	// A lookup proves the server accepts the integration's query, which a
	// change of OpenCTI's schema would break.
	sample, _ := stix.NewIPv4Addr("198.51.100.1")
	lctx, cancel := context.WithTimeout(ctx, *timeout)
	start := time.Now()
	res, err := client.Lookup(lctx, []stix.Observable{sample})
	cancel()
	if err != nil {
		step("lookup", enrich.Explain(err), "")
	} else {
		step("lookup", nil, fmt.Sprintf("sample lookup of %s answered in %s (%d observables, %d indicators)",
			sample, time.Since(start).Round(time.Millisecond), len(res.Observables), len(res.Indicators)))
	}
	if !ok {
		return exitNoResponse
	}
	fmt.Fprintln(stdout, "OpenCTI is ready for the integration.")
	return exitOK
}

// readToken reads the token from a file, or from $OPENCTI_TOKEN.
func readToken(file string) (string, error) {
	if file == "" {
		t := strings.TrimSpace(os.Getenv("OPENCTI_TOKEN"))
		if t == "" {
			return "", errors.New("no token: use -token-file FILE or set OPENCTI_TOKEN")
		}
		return t, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("reading the token: %w", err)
	}
	t := strings.TrimSpace(string(b))
	if t == "" {
		return "", fmt.Errorf("the token file %s is empty", file)
	}
	return t, nil
}
