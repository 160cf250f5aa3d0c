package opencti

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/Khan/genqlient/graphql"
)

// transport sends GraphQL documents to one endpoint: retries, timeouts,
// size limit, and the decoding of GraphQL responses and errors. It holds no
// per-request state, so one transport serves concurrent calls.
type transport struct {
	endpoint    string
	hc          *http.Client // its transport adds the Authorization header
	userAgent   string
	timeout     time.Duration
	retries     int
	backoffBase time.Duration
	backoffMax  time.Duration
	maxSize     int64
	log         *slog.Logger
	redact      func(string) string // removes the token from server-provided text

	// Replaced in tests.
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func() float64 // in [0, 1)
	now    func() time.Time
}

// exchange is one genqlient call (possibly several HTTP requests, with
// retries and pages); it counts the requests it makes.
type exchange struct {
	t        *transport
	requests int
	dropped  int // response objects of types this package does not decode
}

var _ graphql.Client = (*exchange)(nil)

// MakeRequest implements graphql.Client: genqlient's generated functions call
// it with the operation and a pointer to the generated response type.
func (x *exchange) MakeRequest(ctx context.Context, req *graphql.Request, resp *graphql.Response) error {
	body, err := marshalRequest(req)
	if err != nil {
		return fmt.Errorf("opencti: encoding the request: %w", err)
	}
	raw, err := x.t.send(ctx, req.OpName, body, &x.requests)
	if err != nil {
		return err
	}
	dropped, err := x.t.decode(raw, resp)
	x.dropped += dropped
	return err
}

// send posts body, retrying what is worth retrying, and returns the body of
// the answer: 2xx, or another status whose body holds GraphQL errors.
func (t *transport) send(ctx context.Context, op string, body []byte, requests *int) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		*requests++
		start := t.now()
		raw, status, retry, err := t.attempt(ctx, body)
		if err == nil {
			t.log.LogAttrs(ctx, slog.LevelDebug, "opencti request",
				slog.String("operation", op), slog.Int("status", status),
				slog.Int("bytes", len(raw)), slog.Duration("duration", t.now().Sub(start)))
			return raw, nil
		}
		if ctx.Err() != nil {
			return nil, contextError(ctx)
		}
		if !retry || attempt >= t.retries {
			return nil, err
		}
		var retryAfter time.Duration
		if he, ok := errors.AsType[*HTTPError](err); ok {
			retryAfter = he.RetryAfter
		}
		wait := t.backoff(attempt, retryAfter)
		t.log.LogAttrs(ctx, slog.LevelWarn, "opencti request failed, retrying",
			slog.String("operation", op), slog.Int("attempt", attempt+1),
			slog.Duration("wait", wait), slog.String("error", err.Error()))
		if err := t.sleep(ctx, wait); err != nil {
			return nil, contextError(ctx)
		}
	}
}

// attempt makes one HTTP request. retry says whether a failure is worth
// another attempt.
func (t *transport) attempt(ctx context.Context, body []byte) (raw []byte, status int, retry bool, err error) {
	actx := ctx
	if t.timeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, t.timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(actx, http.MethodPost, t.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, 0, false, fmt.Errorf("opencti: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json, application/json")
	req.Header.Set("User-Agent", t.userAgent)

	resp, err := t.hc.Do(req)
	if err != nil {
		return nil, 0, t.retryableNetError(actx, err), t.netError(actx, err)
	}
	defer resp.Body.Close()
	raw, err = readLimited(resp.Body, resp.ContentLength, t.maxSize)
	if err != nil {
		if errors.Is(err, ErrResponseTooLarge) {
			return nil, resp.StatusCode, false, err
		}
		return nil, resp.StatusCode, t.retryableNetError(actx, err), t.netError(actx, err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return raw, resp.StatusCode, false, nil
	}
	// A GraphQL server may report errors with a 4xx status (Apollo answers
	// invalid documents with 400): keep its typed errors.
	if !retryableStatus(resp.StatusCode) && hasGraphQLErrors(raw) {
		return raw, resp.StatusCode, false, nil
	}
	return nil, resp.StatusCode, retryableStatus(resp.StatusCode), &HTTPError{
		StatusCode: resp.StatusCode,
		Body:       t.excerpt(raw),
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), t.now()),
	}
}

// readLimited reads a body of at most limit bytes.
func readLimited(r io.Reader, contentLength, limit int64) ([]byte, error) {
	tooLarge := fmt.Errorf("%w (limit %d bytes)", ErrResponseTooLarge, limit)
	if contentLength > limit {
		return nil, tooLarge
	}
	size := 4096
	if contentLength > 0 {
		size = int(contentLength) + 1
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	n, err := buf.ReadFrom(io.LimitReader(r, limit+min(1, math.MaxInt64-limit))) // limit+1, without overflow
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, tooLarge
	}
	return buf.Bytes(), nil
}

// netError describes a failed exchange with the server; the per-request
// timeout wraps context.DeadlineExceeded.
func (t *transport) netError(actx context.Context, err error) error {
	if errors.Is(actx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("opencti: no answer within %v: %w", t.timeout, context.DeadlineExceeded)
	}
	return fmt.Errorf("opencti: %w", err)
}

// retryableNetError tells failures that may go away (refused or reset
// connections, timeouts, a proxy hiccup) from those that will not
// (certificate problems, unknown host names, a redirect policy, an https
// URL for a server that speaks plain HTTP).
func (t *transport) retryableNetError(actx context.Context, err error) bool {
	if errors.Is(actx.Err(), context.DeadlineExceeded) {
		return true
	}
	var (
		verify   *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		dns      *net.DNSError
		header   tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &verify), errors.As(err, &unknown), errors.As(err, &hostname),
		errors.As(err, &invalid), errors.As(err, &header):
		return false
	case errors.As(err, &dns):
		return !dns.IsNotFound
	case errors.Is(err, errRedirect), errors.Is(err, http.ErrSchemeMismatch):
		return false
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.Op == "parse" {
		return false
	}
	return true
}

// backoff is the wait before retry number attempt+1: "equal jitter" over an
// exponential step, so concurrent clients spread out while the wait still
// grows; a Retry-After asking for longer is honoured up to the maximum.
func (t *transport) backoff(attempt int, retryAfter time.Duration) time.Duration {
	step := t.backoffMax
	if attempt < 32 {
		if s := t.backoffBase << attempt; s > 0 && s < step {
			step = s
		}
	}
	wait := step/2 + time.Duration(t.jitter()*float64(step/2))
	if retryAfter > wait {
		wait = min(retryAfter, t.backoffMax)
	}
	return wait
}

func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func contextError(ctx context.Context) error {
	return fmt.Errorf("opencti: %w", ctx.Err())
}

// wireError is an entry of a GraphQL response's errors array.
type wireError struct {
	Message    string `json:"message"`
	Path       []any  `json:"path"`
	Extensions struct {
		Code any `json:"code"`
	} `json:"extensions"`
}

func hasGraphQLErrors(raw []byte) bool {
	var env struct {
		Errors []wireError `json:"errors"`
	}
	return json.Unmarshal(raw, &env) == nil && len(env.Errors) > 0
}

// decode fills resp.Data from a response body and returns the response's
// GraphQL errors. Data that arrives with errors is kept (partial results).
// It reports how many objects of unknown types it had to drop.
func (t *transport) decode(raw []byte, resp *graphql.Response) (dropped int, err error) {
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []wireError     `json:"errors"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return 0, t.invalid(raw, err)
	}
	hasData := len(env.Data) > 0 && !bytes.Equal(env.Data, []byte("null"))
	if !hasData && len(env.Errors) == 0 {
		return 0, t.invalid(raw, errors.New("neither data nor errors"))
	}
	if hasData {
		if err := decodeData(env.Data, resp.Data); err != nil {
			// An object type this package does not decode (a newer server's
			// observable type, say) fails genqlient's type switch; drop such
			// objects and try again rather than lose the whole answer.
			clean, n, cerr := dropUnknownTypes(env.Data)
			if cerr != nil || n == 0 {
				return 0, t.invalid(raw, err)
			}
			if err := json.Unmarshal(clean, resp.Data); err != nil {
				return 0, t.invalid(raw, err)
			}
			dropped = n
		}
	}
	return dropped, t.graphQLErrors(env.Errors)
}

func (t *transport) invalid(raw []byte, err error) error {
	var se *json.SyntaxError
	var msg string
	switch {
	case len(bytes.TrimSpace(raw)) == 0:
		msg = "empty body"
	case errors.As(err, &se) && se.Offset >= int64(len(raw)), errors.Is(err, io.ErrUnexpectedEOF):
		msg = "truncated JSON"
	case errors.As(err, &se):
		msg = fmt.Sprintf("malformed JSON at byte %d", se.Offset)
	default:
		msg = err.Error()
	}
	if ex := t.excerpt(raw); ex != "" {
		msg += ": " + ex
	}
	return fmt.Errorf("%w: %s", ErrInvalidResponse, t.redact(msg))
}

// excerpt is excerpt(raw) without the token. It is removed from the body
// before the cut, which could keep the start of it, and again after, since
// decoded HTML entities could spell it.
func (t *transport) excerpt(raw []byte) string {
	return t.redact(excerpt([]byte(t.redact(string(raw)))))
}

func (t *transport) graphQLErrors(wire []wireError) error {
	if len(wire) == 0 {
		return nil
	}
	list := make(GraphQLErrors, len(wire))
	for i, w := range wire {
		e := &GraphQLError{Message: t.redact(w.Message)}
		if code, ok := w.Extensions.Code.(string); ok {
			e.Code = code
		}
		for _, p := range w.Path {
			switch p := p.(type) {
			case string:
				e.Path = append(e.Path, p)
			case float64:
				e.Path = append(e.Path, strconv.FormatFloat(p, 'f', -1, 64))
			}
		}
		list[i] = e
	}
	if len(list) == 1 {
		return list[0]
	}
	return list
}

// authTransport adds the Authorization header to requests for the endpoint's
// origin only, so a redirect to another host, port or scheme never carries
// the token, whatever redirect policy the http.Client has.
type authTransport struct {
	base   http.RoundTripper
	origin string // scheme://host:port
	value  string // "Bearer <token>"
}

func (a *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if origin(req.URL) != a.origin {
		return a.base.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", a.value)
	return a.base.RoundTrip(r)
}

// origin is scheme://host:port with the default port made explicit.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

var errRedirect = errors.New("too many redirects")

// newRand is the default jitter source.
func newRand() func() float64 { return rand.Float64 }
