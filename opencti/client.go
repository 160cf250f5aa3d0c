package opencti

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"time"
)

// Client is an OpenCTI GraphQL API client. It is safe for concurrent use.
// Create it with New.
type Client struct {
	endpoint string // for display; the token is never stored in a printable field
	t        *transport
	pageSize int
	maxPages int
	log      *slog.Logger
}

// New returns a client for the GraphQL endpoint of an OpenCTI server (the URL
// ending in /graphql, e.g. "https://opencti.example/graphql") that
// authenticates with an API token. It does no I/O except reading the file of
// WithCAFile; use Health to check the server and the token.
func New(endpoint, token string, opts ...Option) (*Client, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// The value is not echoed: when an API key holds a space,
		// integratord shifts the arguments and this is part of the key.
		return nil, errors.New("opencti: the endpoint is not an http(s) URL such as https://opencti.example/graphql (if the API key contains a space, integratord shifts the arguments)")
	}
	if token == "" {
		return nil, errors.New("opencti: empty API token")
	}
	if strings.ContainsFunc(token, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
		return nil, errors.New("opencti: the API token contains white space or control characters")
	}

	s := defaultSettings()
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	logger := s.logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	hc, err := s.buildHTTPClient()
	if err != nil {
		return nil, err
	}
	if s.insecure {
		logger.Warn("opencti: TLS certificate verification is off", slog.String("endpoint", u.Redacted()))
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = &authTransport{base: base, origin: origin(u), value: "Bearer " + token}

	ua := s.userAgent
	if ua == "" {
		ua = "wazuh-opencti/" + moduleVersion()
	}
	t := &transport{
		endpoint:    u.String(),
		hc:          hc,
		userAgent:   ua,
		timeout:     s.timeout,
		retries:     s.retries,
		backoffBase: s.backoffBase,
		backoffMax:  s.backoffMax,
		maxSize:     s.maxResponseSize,
		log:         logger,
		redact:      redactor(token),
		sleep:       sleepContext,
		jitter:      newRand(),
		now:         time.Now,
	}
	return &Client{endpoint: u.Redacted(), t: t, pageSize: s.pageSize, maxPages: s.maxPages, log: logger}, nil
}

// String names the client by its endpoint.
func (c *Client) String() string { return "opencti.Client(" + c.endpoint + ")" }

// GoString is String: %#v must not dump the internals, which hold the token.
func (c *Client) GoString() string { return c.String() }

func (s *settings) validate() error {
	switch {
	case s.timeout < 0:
		return fmt.Errorf("opencti: negative timeout %v", s.timeout)
	case s.retries < 0:
		return fmt.Errorf("opencti: negative retry count %d", s.retries)
	case s.backoffBase <= 0 || s.backoffMax < s.backoffBase:
		return fmt.Errorf("opencti: invalid backoff %v..%v", s.backoffBase, s.backoffMax)
	case s.maxResponseSize <= 0:
		return fmt.Errorf("opencti: invalid response size limit %d", s.maxResponseSize)
	case s.pageSize < 1 || s.pageSize > MaxPageSize:
		return fmt.Errorf("opencti: page size %d is not in 1..%d", s.pageSize, MaxPageSize)
	case s.maxPages < 1:
		return fmt.Errorf("opencti: invalid page limit %d", s.maxPages)
	case strings.ContainsAny(s.userAgent, "\r\n"):
		return errors.New("opencti: the user agent contains a line break")
	}
	return nil
}

// buildHTTPClient returns a copy of the configured client, or a new one over
// a clone of http.DefaultTransport (proxy from the environment), with the
// TLS options applied. A program may have replaced http.DefaultTransport
// with another RoundTripper (to instrument or mock it); without TLS options
// that one is used as it is.
func (s *settings) buildHTTPClient() (*http.Client, error) {
	var hc http.Client
	if s.httpClient != nil {
		hc = *s.httpClient
	} else {
		hc.CheckRedirect = limitRedirects
	}
	def, isTransport := http.DefaultTransport.(*http.Transport)
	if s.caFile == "" && !s.insecure {
		if s.httpClient == nil {
			hc.Transport = http.DefaultTransport
			if isTransport {
				hc.Transport = def.Clone()
			}
		}
		return &hc, nil
	}
	var tr *http.Transport
	switch base := hc.Transport.(type) {
	case nil:
		if !isTransport {
			return nil, errors.New("opencti: WithCAFile and WithInsecureSkipVerify need an *http.Transport, and http.DefaultTransport has been replaced; give a client with one to WithHTTPClient")
		}
		tr = def.Clone()
	case *http.Transport:
		tr = base.Clone()
	default:
		return nil, errors.New("opencti: WithCAFile and WithInsecureSkipVerify need an *http.Transport; configure TLS in the transport of the client given to WithHTTPClient")
	}
	if tr.TLSClientConfig == nil {
		tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if s.caFile != "" {
		pem, err := os.ReadFile(s.caFile)
		if err != nil {
			return nil, fmt.Errorf("opencti: CA file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("opencti: CA file %s holds no PEM certificate", s.caFile)
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	if s.insecure {
		tr.TLSClientConfig.InsecureSkipVerify = true
	}
	hc.Transport = tr
	return &hc, nil
}

// limitRedirects follows at most five redirects.
func limitRedirects(req *http.Request, via []*http.Request) error {
	if len(via) > 5 {
		return errRedirect
	}
	return nil
}

// redactor returns a function that removes the token from text the server
// sent back (an error message or a proxy page could echo request headers).
func redactor(token string) func(string) string {
	return func(s string) string {
		if len(token) < 4 {
			return s
		}
		return strings.ReplaceAll(s, token, "[REDACTED]")
	}
}

const modulePath = "github.com/wazuh-opencti/wazuh-opencti"

// moduleVersion is this module's version as the build recorded it: a tag
// such as v1.2.0 for a dependency, "devel" when built inside the module.
func moduleVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if bi.Main.Path == modulePath {
		return cleanVersion(bi.Main.Version)
	}
	for _, d := range bi.Deps {
		if d.Path == modulePath {
			return cleanVersion(d.Version)
		}
	}
	return "devel"
}

func cleanVersion(v string) string {
	if v == "" || v == "(devel)" {
		return "devel"
	}
	return v
}

// Health is what Client.Health learns about the server.
type Health struct {
	Version string // OpenCTI version, e.g. "6.9.17"
	User    string // name of the token's user
}

// Health reads the server's version and the name of the token's user, in one
// request. It is how to check a URL and a token: an invalid token fails with
// an error matching ErrAuthRequired.
func (c *Client) Health(ctx context.Context) (Health, error) {
	x := &exchange{t: c.t}
	resp, err := health(ctx, x)
	var h Health
	if resp != nil {
		h = Health{Version: resp.About.Version, User: resp.Me.Name}
	}
	return h, err
}
