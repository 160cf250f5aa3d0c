package opencti

import (
	"bytes"
	"errors"
	"fmt"
	stdhtml "html"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors. Callers branch on them with errors.Is; the concrete errors
// are *GraphQLError, GraphQLErrors and *HTTPError.
var (
	// ErrAuthRequired: the token is missing, wrong or expired (GraphQL codes
	// AUTH_REQUIRED and AUTH_FAILURE, or HTTP 401 from a proxy).
	ErrAuthRequired = errors.New("opencti: authentication required")
	// ErrForbidden: the token's user may not read what was asked (GraphQL
	// code FORBIDDEN_ACCESS, or HTTP 403).
	ErrForbidden = errors.New("opencti: access forbidden")
	// ErrValidation: the server rejected the query document or its variables
	// (GRAPHQL_VALIDATION_FAILED, GRAPHQL_PARSE_FAILED, BAD_USER_INPUT). With
	// a supported server this means the API changed: see the package docs on
	// compatibility.
	ErrValidation = errors.New("opencti: query rejected by the server")
	// ErrUnsupported: the server does not support something the query uses,
	// for example a filter key (UNSUPPORTED_ERROR).
	ErrUnsupported = errors.New("opencti: unsupported by the server")
	// ErrResponseTooLarge: the response body exceeded the limit set with
	// WithMaxResponseSize.
	ErrResponseTooLarge = errors.New("opencti: response too large")
	// ErrInvalidResponse: the server answered with something that is not a
	// GraphQL response this package can decode (malformed or truncated JSON,
	// an HTML page with status 200, data of the wrong shape).
	ErrInvalidResponse = errors.New("opencti: invalid response")
)

// GraphQLError is one entry of the errors array of a GraphQL response.
// OpenCTI reports most failures this way, with HTTP status 200.
type GraphQLError struct {
	Code    string   // extensions.code, e.g. "AUTH_REQUIRED"; "" when absent
	Message string   // the server's message
	Path    []string // the response path the error applies to; list indexes in decimal
}

func (e *GraphQLError) Error() string {
	var b strings.Builder
	b.WriteString("opencti: ")
	if e.Code != "" {
		b.WriteString(e.Code)
		b.WriteString(": ")
	}
	if e.Message != "" {
		b.WriteString(e.Message)
	} else {
		b.WriteString("GraphQL error")
	}
	if len(e.Path) > 0 {
		b.WriteString(" (at ")
		b.WriteString(strings.Join(e.Path, "."))
		b.WriteByte(')')
	}
	return b.String()
}

// Is matches the sentinel that corresponds to the error's code.
func (e *GraphQLError) Is(target error) bool {
	s := sentinelForCode(e.Code)
	return s != nil && s == target
}

func sentinelForCode(code string) error {
	switch code {
	case "AUTH_REQUIRED", "AUTH_FAILURE", "UNAUTHENTICATED":
		return ErrAuthRequired
	case "FORBIDDEN_ACCESS", "FORBIDDEN":
		return ErrForbidden
	case "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_USER_INPUT":
		return ErrValidation
	case "UNSUPPORTED_ERROR":
		return ErrUnsupported
	}
	return nil
}

// GraphQLErrors is returned when a response carries several errors. errors.Is
// and errors.As look at each of them.
type GraphQLErrors []*GraphQLError

func (l GraphQLErrors) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = strings.TrimPrefix(e.Error(), "opencti: ")
	}
	return "opencti: " + strings.Join(msgs, "; ")
}

// Unwrap returns the individual errors.
func (l GraphQLErrors) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// HTTPError is an HTTP answer other than 2xx that carries no GraphQL errors,
// typically from a reverse proxy in front of OpenCTI (502, 503, 504) or a
// server failure (500).
type HTTPError struct {
	StatusCode int
	// Body is a short excerpt of the body, as text: tags of an HTML page
	// are removed and white space is collapsed.
	Body string
	// RetryAfter is the delay the Retry-After header asked for, 0 when absent.
	RetryAfter time.Duration
}

func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("opencti: HTTP %d", e.StatusCode)
	if t := http.StatusText(e.StatusCode); t != "" {
		msg += " " + t
	}
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// Is makes a 401 match ErrAuthRequired and a 403 match ErrForbidden.
func (e *HTTPError) Is(target error) bool {
	switch e.StatusCode {
	case http.StatusUnauthorized:
		return target == ErrAuthRequired
	case http.StatusForbidden:
		return target == ErrForbidden
	}
	return false
}

// retryableStatus reports whether an HTTP status is worth another attempt:
// rate limiting and the gateway errors of a proxy whose upstream is down or
// slow. Other statuses will not change by asking again.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(min(n, 86400)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

const excerptLen = 200

// excerpt makes a short single-line text of a response body for an error
// message: HTML tags, scripts and styles are dropped and entities decoded,
// white space and control characters collapse to one space, invalid UTF-8
// is replaced, and the result is cut at about excerptLen bytes.
func excerpt(body []byte) string {
	if len(body) > 64<<10 {
		body = body[:64<<10]
	}
	var b strings.Builder
	space, html := false, false
	for len(body) > 0 && b.Len() < excerptLen {
		if body[0] == '<' {
			end := bytes.IndexByte(body, '>')
			if end < 0 {
				break
			}
			html = true
			name := strings.ToLower(string(body[1:end]))
			body = body[end+1:]
			for _, skip := range []string{"script", "style"} {
				if name == skip || strings.HasPrefix(name, skip+" ") {
					if i := bytes.Index(bytes.ToLower(body), []byte("</"+skip)); i >= 0 {
						body = body[i:]
					} else {
						body = nil
					}
				}
			}
			space = b.Len() > 0
			continue
		}
		r, size := utf8.DecodeRune(body)
		body = body[size:]
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r) // utf8.RuneError for invalid bytes
	}
	s := b.String()
	if html {
		// Entities may decode to line breaks or controls: collapse again.
		s = strings.Join(strings.FieldsFunc(stdhtml.UnescapeString(s), func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsControl(r)
		}), " ")
	}
	if b.Len() >= excerptLen && hasText(body) {
		s += "…"
	}
	return s
}

// hasText reports whether body holds anything but white space and tags.
func hasText(body []byte) bool {
	inTag := false
	for _, c := range body {
		switch {
		case c == '<':
			inTag = true
		case c == '>':
			inTag = false
		case !inTag && c > ' ':
			return true
		}
	}
	return false
}
