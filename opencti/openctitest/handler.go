package openctitest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/graph-gophers/graphql-go"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// Defaults of the options.
const (
	DefaultVersion  = "6.9.17"
	DefaultUserName = "admin"
	// MaxLoggedRequests bounds the request log: older entries are dropped.
	MaxLoggedRequests = 1000
	// maxBodySize bounds a request body, as any server does.
	maxBodySize = 8 << 20
)

// Option configures NewHandler and NewServer.
type Option func(*config)

type config struct {
	token    string
	anyToken bool
	version  string
	userName string
	latency  time.Duration
	fault    Fault
	logger   *slog.Logger
	now      func() time.Time
}

// WithToken sets the API token clients must send as "Authorization:
// Bearer <token>". By default the fake makes up a random one (see
// Handler.Token).
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithAnyToken makes the fake accept any non-empty bearer token; a request
// without one still fails with AUTH_REQUIRED. For demonstrations, where
// nobody should have to copy a token around.
func WithAnyToken() Option { return func(c *config) { c.anyToken = true } }

// WithVersion sets the version about { version } reports (default
// DefaultVersion).
func WithVersion(v string) Option { return func(c *config) { c.version = v } }

// WithUserName sets the name me { name } reports (default DefaultUserName).
func WithUserName(name string) Option { return func(c *config) { c.userName = name } }

// WithLatency delays every answer to a GraphQL request by d (see
// Handler.SetLatency).
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = d } }

// WithFault injects a fault from the start (see Handler.SetFault).
func WithFault(f Fault) Option { return func(c *config) { c.fault = f } }

// WithLogger logs one record per GraphQL request (operation, status, fault,
// duration; never the token) to l. By default nothing is logged.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithClock sets the clock the fake tells time by: an indicator whose
// valid_until has passed is served as revoked, as OpenCTI's indicator
// manager revokes expired indicators. Default time.Now.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// Handler is the fake OpenCTI as an http.Handler: it answers GraphQL
// requests (POST /graphql) from the objects of a STIX bundle. It is safe
// for concurrent use, including its methods that change faults and
// latency while requests are served.
type Handler struct {
	schema   *graphql.Schema
	token    string
	anyToken bool
	logger   *slog.Logger

	mu       sync.Mutex
	fault    Fault
	latency  time.Duration
	requests []Request
}

// Request is a GraphQL request the fake received, for assertions in tests.
// The token appears nowhere in it: wherever it was, it is replaced by
// "[REDACTED]".
type Request struct {
	Time          time.Time
	Method, Path  string
	Header        http.Header
	Body          []byte
	Query         string
	OperationName string
	Variables     map[string]any
	// Authenticated reports whether the request carried a valid token.
	Authenticated bool
	// Fault is the fault injected into the answer, FaultNone when none.
	Fault FaultKind
}

// NewHandler loads bundle (see the package documentation for what it
// serves and what it refuses) and returns a handler serving it. Errors
// about the bundle match ErrInvalidBundle.
func NewHandler(bundle *stix.Bundle, opts ...Option) (*Handler, error) {
	c := config{version: DefaultVersion, userName: DefaultUserName, now: time.Now}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.token == "" {
		c.token = randomToken()
	}
	if strings.ContainsFunc(c.token, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, errors.New("openctitest: the token contains white space or control characters")
	}
	if c.latency < 0 {
		return nil, fmt.Errorf("openctitest: negative latency %v", c.latency)
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	s, err := loadBundle(bundle)
	if err != nil {
		return nil, err
	}
	text, err := servedSchema()
	if err != nil {
		return nil, err
	}
	e := &env{s: s, version: c.version, userName: c.userName, userID: uuid5(internalIDNamespace, "user:"+c.userName), now: c.now}
	schema, err := graphql.ParseSchema(text, &rootResolver{e},
		graphql.RestrictIntrospection(func(context.Context) bool { return false }),
		// Bounds the work of validating a hostile document; real queries
		// stay far below.
		graphql.OverlapValidationLimit(20000))
	if err != nil {
		// The schema of package opencti has a field the resolvers lack.
		return nil, fmt.Errorf("openctitest: cannot serve the schema: %w", err)
	}
	return &Handler{
		schema:   schema,
		token:    c.token,
		anyToken: c.anyToken,
		logger:   c.logger,
		fault:    c.fault,
		latency:  c.latency,
	}, nil
}

// randomToken makes a token in the form of OpenCTI's, a random UUID.
func randomToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// Token returns the token clients must send (with WithAnyToken, one of the
// tokens accepted).
func (h *Handler) Token() string { return h.token }

// SetFault injects f into the answers from now on; the zero Fault stops
// injecting.
func (h *Handler) SetFault(f Fault) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fault = f
}

// SetLatency delays every answer to a GraphQL request by d from now on
// (0 for none). A client that gives up earlier gets no answer.
func (h *Handler) SetLatency(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.latency = max(d, 0)
}

// Requests returns the GraphQL requests received so far, oldest first (at
// most MaxLoggedRequests).
func (h *Handler) Requests() []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Request(nil), h.requests...)
}

// ClearRequests empties the request log.
func (h *Handler) ClearRequests() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.requests = nil
}

// next takes the fault and latency for one request and logs it.
func (h *Handler) next(r Request) (Fault, time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f := h.fault
	if f.active() && f.Times > 0 {
		h.fault.Times--
		if h.fault.Times == 0 {
			h.fault = Fault{}
		}
	}
	if !f.active() {
		f = Fault{Kind: FaultNone}
	}
	r.Fault = f.Kind
	if len(h.requests) >= MaxLoggedRequests {
		h.requests = append(h.requests[:0], h.requests[1:]...)
	}
	h.requests = append(h.requests, r)
	return f, h.latency
}

// graphQLRequest is the body of a GraphQL POST.
type graphQLRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

// response is the body of a GraphQL answer.
type response struct {
	Errors []wireError     `json:"errors,omitempty"`
	Data   json.RawMessage `json:"data,omitempty"`
}

// ServeHTTP answers POST /graphql; GET / says where to send queries.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "openctitest: a fake OpenCTI. Send GraphQL queries with POST to /graphql, with the header Authorization: Bearer <token>.\n")
		return
	case r.URL.Path != "/graphql" && r.URL.Path != "/graphql/":
		http.NotFound(w, r)
		return
	case r.Method != http.MethodPost:
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "openctitest: send GraphQL queries with POST and a JSON body", http.StatusMethodNotAllowed)
		return
	}
	start := time.Now()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodySize))
	if err != nil {
		http.Error(w, "openctitest: request body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	presented, authenticated := h.authenticate(r.Header.Get("Authorization"))
	redact := h.redactor(presented)
	var req graphQLRequest
	decodeErr := json.Unmarshal(body, &req)
	rec := Request{
		Time:          start,
		Method:        r.Method,
		Path:          r.URL.Path,
		Header:        redactHeader(r.Header, redact),
		Body:          []byte(redact(string(body))),
		Query:         redact(req.Query),
		OperationName: redact(req.OperationName),
		Variables:     redactValue(req.Variables, redact).(map[string]any),
		Authenticated: authenticated,
	}
	fault, latency := h.next(rec)

	status := http.StatusOK
	defer func() {
		h.logger.LogAttrs(r.Context(), slog.LevelInfo, "graphql request",
			slog.String("operation", rec.OperationName), slog.Int("status", status),
			slog.Bool("authenticated", authenticated), slog.String("fault", string(fault.Kind)),
			slog.Duration("duration", time.Since(start)))
	}()

	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-r.Context().Done():
			t.Stop()
			status = 0
			return
		case <-t.C:
		}
	}

	switch fault.Kind {
	case FaultReset:
		status = 0
		resetConnection(w)
		return
	case FaultHTTP500:
		status = fault.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		writeHTMLError(w, status)
		return
	case FaultMalformed:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		io.WriteString(w, `{"data": {"about": {"version": ]}, "errors": [}`)
		return
	case FaultGraphQLError:
		code, msg := fault.Code, fault.Message
		if code == "" {
			code = codeInternal
		}
		if msg == "" {
			msg = "openctitest: injected error"
		}
		writeJSON(w, http.StatusOK, response{Errors: []wireError{{Message: msg, Extensions: map[string]any{"code": code}}}, Data: json.RawMessage("null")}, false)
		return
	case FaultAuth:
		authenticated = false
	}

	var resp response
	switch {
	case decodeErr != nil:
		status = http.StatusBadRequest
		resp.Errors = []wireError{{Message: "POST body is not a JSON object with query, variables and operationName: " + decodeErr.Error(), Extensions: map[string]any{"code": codeBadRequest}}}
	case strings.TrimSpace(req.Query) == "":
		status = http.StatusBadRequest
		resp.Errors = []wireError{{Message: "GraphQL operations must contain a non-empty `query`.", Extensions: map[string]any{"code": codeBadRequest}}}
	default:
		resp = h.execute(withAuth(r.Context(), authenticated), req)
	}
	writeJSON(w, status, resp, fault.Kind == FaultTruncated)
}

// execute runs one document. Errors come back with status 200, as OpenCTI
// sends them.
func (h *Handler) execute(ctx context.Context, req graphQLRequest) response {
	keys, err := inspectDocument(req.Query, req.OperationName)
	if err != nil {
		return response{Errors: []wireError{*err}}
	}
	res := h.schema.Exec(ctx, req.Query, req.OperationName, req.Variables)
	executed := res.Data != nil
	out := response{Data: res.Data}
	inputErrors := 0
	for _, e := range res.Errors {
		w := toWire(e, executed)
		if w.Extensions["code"] == codeBadUserInput {
			inputErrors++
		}
		out.Errors = append(out.Errors, w)
	}
	if inputErrors > 0 && inputErrors == len(out.Errors) {
		out.Data = nil // variables that do not coerce stop the request before execution
	}
	sortErrors(out.Errors, keys)
	return out
}

// sortErrors puts errors in document order: resolvers run concurrently, so
// the engine reports their errors in any order.
func sortErrors(errs []wireError, order map[string]int) {
	pos := func(e wireError) (int, string) {
		if len(e.Path) == 0 {
			return -1, ""
		}
		first, _ := e.Path[0].(string)
		i, ok := order[first]
		if !ok {
			i = len(order)
		}
		return i, fmt.Sprint(e.Path[1:]...)
	}
	sort.SliceStable(errs, func(a, b int) bool {
		ia, ra := pos(errs[a])
		ib, rb := pos(errs[b])
		if ia != ib {
			return ia < ib
		}
		return ra < rb
	})
}

// authenticate reads an Authorization header: the token presented and
// whether it is accepted.
func (h *Handler) authenticate(header string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	if tok == "" {
		return "", false
	}
	if h.anyToken {
		return tok, true
	}
	return tok, subtle.ConstantTimeCompare([]byte(tok), []byte(h.token)) == 1
}

// redactor removes the server's token and the token presented from text.
func (h *Handler) redactor(presented string) func(string) string {
	secrets := []string{h.token}
	if presented != "" && presented != h.token {
		secrets = append(secrets, presented)
	}
	return func(s string) string {
		for _, sec := range secrets {
			s = strings.ReplaceAll(s, sec, "[REDACTED]")
		}
		return s
	}
}

func redactHeader(hdr http.Header, redact func(string) string) http.Header {
	out := hdr.Clone()
	for k, vs := range out {
		for i, v := range vs {
			if http.CanonicalHeaderKey(k) == "Authorization" {
				if scheme, _, ok := strings.Cut(v, " "); ok {
					vs[i] = scheme + " [REDACTED]"
				} else {
					vs[i] = "[REDACTED]"
				}
				continue
			}
			vs[i] = redact(v)
		}
	}
	return out
}

// redactValue redacts the strings of decoded JSON; nil maps become empty.
func redactValue(v any, redact func(string) string) any {
	switch v := v.(type) {
	case string:
		return redact(v)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = redactValue(x, redact)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[redact(k)] = redactValue(x, redact)
		}
		return out
	}
	return v
}

func writeJSON(w http.ResponseWriter, status int, resp response, truncate bool) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(resp); err != nil {
		http.Error(w, "openctitest: cannot encode the answer", http.StatusInternalServerError)
		return
	}
	body := buf.Bytes()
	if truncate {
		body = body[:len(body)/2]
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

func writeHTMLError(w http.ResponseWriter, status int) {
	text := html.EscapeString(strconv.Itoa(status) + " " + http.StatusText(status))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html>\n<head><title>%s</title></head>\n<body>\n<center><h1>%s</h1></center>\n<hr><center>openctitest (injected fault)</center>\n</body>\n</html>\n", text, text)
}

// resetConnection drops the connection with a TCP reset, so the client sees
// "connection reset by peer". Where the connection cannot be taken over
// (HTTP/2), the request is aborted instead.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
