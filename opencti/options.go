package opencti

import (
	"log/slog"
	"net/http"
	"time"
)

// Defaults of the options.
const (
	DefaultTimeout         = 30 * time.Second
	DefaultRetries         = 2
	DefaultBackoffBase     = 500 * time.Millisecond
	DefaultBackoffMax      = 10 * time.Second
	DefaultMaxResponseSize = 16 << 20
	DefaultPageSize        = 100
	DefaultMaxPages        = 3
	// MaxPageSize is the largest page OpenCTI serves; it silently caps larger
	// requests, which would make pagination miss results.
	MaxPageSize = 5000
	// NestedLimit bounds each list nested in a result: the indicators, the
	// relationships and the external references of one observable, and the
	// indicators of one related observable. Those lists have no further
	// pages; when one is cut, LookupResult.Truncated is set.
	NestedLimit = 25
)

// Option configures a Client; pass options to New.
type Option func(*settings)

type settings struct {
	httpClient      *http.Client
	timeout         time.Duration
	retries         int
	backoffBase     time.Duration
	backoffMax      time.Duration
	caFile          string
	insecure        bool
	userAgent       string
	maxResponseSize int64
	pageSize        int
	maxPages        int
	logger          *slog.Logger
}

func defaultSettings() settings {
	return settings{
		timeout:         DefaultTimeout,
		retries:         DefaultRetries,
		backoffBase:     DefaultBackoffBase,
		backoffMax:      DefaultBackoffMax,
		maxResponseSize: DefaultMaxResponseSize,
		pageSize:        DefaultPageSize,
		maxPages:        DefaultMaxPages,
	}
}

// WithHTTPClient makes the client send its requests through hc instead of
// one of its own. The client copies hc and wraps its transport to add the
// Authorization header, so hc itself is not changed. Without this option the
// client uses a transport like http.DefaultTransport, which takes its proxy
// from the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), or
// http.DefaultTransport itself when the program has replaced it with
// another RoundTripper.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) { s.httpClient = hc }
}

// WithTimeout bounds each HTTP request, from sending it to reading the whole
// answer (default DefaultTimeout). A request that times out is retried like
// a network error. 0 means no limit other than the caller's context.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) { s.timeout = d }
}

// WithRetries sets how many times a request is sent again after a network
// error, a timeout, or HTTP 429, 502, 503 or 504 (default DefaultRetries).
// Authentication, permission and validation errors are never retried.
// 0 disables retries.
func WithRetries(n int) Option {
	return func(s *settings) { s.retries = n }
}

// WithBackoff sets the waits between attempts: the n-th retry waits between
// half and all of base·2ⁿ⁻¹, capped at max (defaults DefaultBackoffBase and
// DefaultBackoffMax). A Retry-After header asking for longer is honoured up
// to max.
func WithBackoff(base, max time.Duration) Option {
	return func(s *settings) { s.backoffBase, s.backoffMax = base, max }
}

// WithCAFile trusts the PEM certificates in path, in addition to the
// system's roots, to verify the server (for an OpenCTI behind a private CA).
func WithCAFile(path string) Option {
	return func(s *settings) { s.caFile = path }
}

// WithInsecureSkipVerify turns off verification of the server's TLS
// certificate. It exposes the token to anyone on the network path; use it for
// tests only.
func WithInsecureSkipVerify() Option {
	return func(s *settings) { s.insecure = true }
}

// WithUserAgent replaces the User-Agent header, "wazuh-opencti/<version>" by
// default.
func WithUserAgent(ua string) Option {
	return func(s *settings) { s.userAgent = ua }
}

// WithMaxResponseSize bounds the size of a response body in bytes (default
// DefaultMaxResponseSize, 16 MiB). Larger answers fail with
// ErrResponseTooLarge.
func WithMaxResponseSize(n int64) Option {
	return func(s *settings) { s.maxResponseSize = n }
}

// WithPageSize sets how many observables and how many indicators one request
// asks for (default DefaultPageSize, at most MaxPageSize).
func WithPageSize(n int) Option {
	return func(s *settings) { s.pageSize = n }
}

// WithMaxPages bounds the requests of one Lookup (default DefaultMaxPages):
// the first one plus follow-ups for further pages of observables or
// indicators. When the bound stops pagination, LookupResult.Truncated is set.
func WithMaxPages(n int) Option {
	return func(s *settings) { s.maxPages = n }
}

// WithLogger makes the client log its requests, retries and anomalies (at
// levels Debug and Warn) to l. Log records never hold the token. By default
// nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) { s.logger = l }
}
