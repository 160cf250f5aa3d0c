package wazuh

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// LogPath returns the path of the integrations log under a Wazuh home.
func LogPath(home string) string {
	return filepath.Join(home, "logs", "integrations.log")
}

// OpenLog opens <home>/logs/integrations.log for appending, creating it with
// mode 0640 (as Wazuh's own integrations do) when it does not exist.
func OpenLog(home string) (*os.File, error) {
	f, err := os.OpenFile(LogPath(home), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("wazuh: opening the integrations log: %w", err)
	}
	return f, nil
}

// LogOptions configures NewLogHandler.
type LogOptions struct {
	// Name is the integration's name, written on every line ("custom-opencti").
	Name string
	// Debug enables debug records; without it they are dropped.
	Debug bool
	// Secrets are redacted wherever they appear in a line (see Redact).
	Secrets []string
}

// NewLogHandler returns a slog.Handler that writes one line per record, in
// the style of Wazuh's own ossec.log:
//
//	2025/03/14 09:26:53 custom-opencti: INFO: looked up 3 observables alert_id=1741944413.1052919 took=212ms
//
// The local time comes first (omitted when the record has none), then the
// name, the level (DEBUG, INFO, WARNING, ERROR), the message and the
// attributes as key=value; attributes in groups are written group.key=value.
// Values that are empty or hold spaces, quotes, '=' or control characters are
// quoted; newlines in messages are written as \n, so each record stays on
// one line. Debug records are written only with opts.Debug. Each line is
// written with a single Write, and the handler is safe for concurrent use.
//
// Nothing secret is written: the opts.Secrets, the values of attributes named
// like credentials (authorization, api_key, token, password, ...), and the
// credentials after "Bearer" or "Authorization:" are replaced by
// "[redacted]". An Invocation logged as an attribute shows its key redacted.
func NewLogHandler(w io.Writer, opts LogOptions) slog.Handler {
	return &logHandler{
		shared: &logShared{w: w, opts: opts},
	}
}

type logShared struct {
	mu   sync.Mutex
	w    io.Writer
	opts LogOptions
}

type logHandler struct {
	shared *logShared
	prefix string // group names for attributes added later, each followed by '.'
	attrs  string // preformatted attributes from WithAttrs, each preceded by ' '
}

func (h *logHandler) Enabled(_ context.Context, l slog.Level) bool {
	return l >= slog.LevelInfo || h.shared.opts.Debug && l >= slog.LevelDebug
}

func (h *logHandler) WithAttrs(as []slog.Attr) slog.Handler {
	if len(as) == 0 {
		return h
	}
	h2 := *h
	b := []byte(h.attrs)
	for _, a := range as {
		b = appendAttr(b, h.prefix, a, h.shared.opts.Secrets)
	}
	h2.attrs = string(b)
	return &h2
}

func (h *logHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.prefix = h.prefix + name + "."
	return &h2
}

func (h *logHandler) Handle(_ context.Context, r slog.Record) error {
	b := make([]byte, 0, 256)
	if !r.Time.IsZero() {
		b = r.Time.AppendFormat(b, "2006/01/02 15:04:05 ")
	}
	if name := h.shared.opts.Name; name != "" {
		b = appendEscapedText(b, name)
		b = append(b, ": "...)
	}
	b = append(b, levelName(r.Level)...)
	b = append(b, ": "...)
	secrets := h.shared.opts.Secrets
	// Each piece is redacted before escaping (a secret could contain a quote
	// or a newline), and the whole line again at the end.
	b = appendEscapedText(b, Redact(r.Message, secrets...))
	b = append(b, h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		b = appendAttr(b, h.prefix, a, secrets)
		return true
	})
	line := Redact(string(b), secrets...) + "\n"
	h.shared.mu.Lock()
	defer h.shared.mu.Unlock()
	_, err := io.WriteString(h.shared.w, line)
	return err
}

// levelName uses Wazuh's level words; levels between slog's named ones take
// the name below them.
func levelName(l slog.Level) string {
	switch {
	case l < slog.LevelInfo:
		return "DEBUG"
	case l < slog.LevelWarn:
		return "INFO"
	case l < slog.LevelError:
		return "WARNING"
	}
	return "ERROR"
}

// sensitiveKeys are attribute names whose values are never written.
var sensitiveKeys = map[string]bool{
	"authorization": true, "proxy-authorization": true, "cookie": true, "set-cookie": true,
	"api_key": true, "apikey": true, "api-key": true, "token": true, "access_token": true,
	"password": true, "passwd": true, "secret": true,
}

func appendAttr(b []byte, prefix string, a slog.Attr, secrets []string) []byte {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return b
	}
	if a.Value.Kind() == slog.KindGroup {
		group := a.Value.Group()
		if len(group) == 0 {
			return b
		}
		if a.Key != "" {
			prefix += a.Key + "."
		}
		for _, ga := range group {
			b = appendAttr(b, prefix, ga, secrets)
		}
		return b
	}
	b = append(b, ' ')
	b = appendEscapedText(b, Redact(prefix+a.Key, secrets...))
	b = append(b, '=')
	if sensitiveKeys[strings.ToLower(a.Key)] {
		return append(b, redacted...)
	}
	return appendLogValue(b, a.Value, secrets)
}

func appendLogValue(b []byte, v slog.Value, secrets []string) []byte {
	var s string
	switch v.Kind() {
	case slog.KindString:
		s = v.String()
	case slog.KindInt64:
		return strconv.AppendInt(b, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(b, v.Uint64(), 10)
	case slog.KindFloat64:
		return strconv.AppendFloat(b, v.Float64(), 'g', -1, 64)
	case slog.KindBool:
		return strconv.AppendBool(b, v.Bool())
	case slog.KindDuration:
		s = v.Duration().String()
	case slog.KindTime:
		s = v.Time().Format(time.RFC3339Nano)
	default:
		switch x := v.Any().(type) {
		case error:
			s = x.Error()
		case []byte:
			s = string(x)
		default:
			s = fmt.Sprint(x)
		}
	}
	s = Redact(s, secrets...)
	if needsQuote(s) {
		return strconv.AppendQuote(b, s)
	}
	return append(b, s...)
}

func needsQuote(s string) bool {
	if s == "" {
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == '"' || c == '=' || c == 0x7f || c == '\\' {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || !strconv.IsPrint(r) {
			return true
		}
		i += size
	}
	return false
}

// appendEscapedText writes s unquoted but with control characters escaped
// (\n, \r, \t, \xNN) and invalid UTF-8 replaced, so it cannot end a line.
func appendEscapedText(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != 0x7f && c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		switch c {
		case '\n':
			b = append(b, `\n`...)
			i++
			continue
		case '\r':
			b = append(b, `\r`...)
			i++
			continue
		case '\t':
			b = append(b, `\t`...)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, '\\', 'x', "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xf])
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, "\uFFFD"...)
		case r == '\u2028' || r == '\u2029' || r == '\u0085':
			b = append(b, ' ') // Unicode line breaks would split the line for some readers
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

// minSecretLen is the shortest secret Redact replaces: shorter ones would
// mangle ordinary words and are no real secret anyway.
const minSecretLen = 4

// Redact returns s with every occurrence of each secret (of at least 4 bytes)
// replaced by "[redacted]", and with the credentials that follow "Bearer "
// or "Authorization:" (with or without a scheme word such as Basic)
// replaced too, whatever they are.
func Redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= minSecretLen && strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, redacted)
		}
	}
	s = redactAfter(s, "authorization", true)
	return redactAfter(s, "bearer", false)
}

// redactAfter replaces the token that follows each case-insensitive
// occurrence of word. With header set, the word must be followed by ':' or
// '=' (possibly after a quote), and a scheme word such as "Basic" between the
// separator and the token is kept.
func redactAfter(s, word string, header bool) string {
	lower := asciiLower(s)
	var b strings.Builder
	last := 0
	for from := 0; ; {
		i := strings.Index(lower[from:], word)
		if i < 0 {
			break
		}
		i += from
		j := i + len(word)
		from = j
		if i > 0 && isTokenByte(lower[i-1]) {
			continue // part of a longer word
		}
		if header {
			j = skip(s, j, `"'`)
			if j >= len(s) || (s[j] != ':' && s[j] != '=') {
				continue
			}
			j = skip(s, j+1, ` "'`)
			// A scheme word followed by a space: redact what follows it.
			if k := tokenEnd(s, j); k < len(s) && s[k] == ' ' && isScheme(lower[j:k]) {
				j = skip(s, k, " ")
			}
		} else {
			if j >= len(s) || s[j] != ' ' {
				continue
			}
			j = skip(s, j, " ")
		}
		if strings.HasPrefix(lower[j:], redacted) { // [redacted] or [REDACTED]: already done
			from = j + len(redacted)
			continue
		}
		k := tokenEnd(s, j)
		if k == j {
			continue
		}
		b.WriteString(s[last:j])
		b.WriteString(redacted)
		last, from = k, k
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isScheme(w string) bool {
	switch w {
	case "basic", "bearer", "token", "digest", "apikey", "negotiate":
		return true
	}
	return false
}

func skip(s string, i int, chars string) int {
	for i < len(s) && strings.IndexByte(chars, s[i]) >= 0 {
		i++
	}
	return i
}

// tokenEnd returns where a credential starting at i ends: at whitespace, a
// quote, a backslash (an escape in quoted text), a comma or a closing
// bracket.
func tokenEnd(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r', '"', '\'', '\\', ',', ';', '}', ']', ')':
			return i
		}
		i++
	}
	return i
}

func isTokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// asciiLower lowers ASCII letters only, keeping byte offsets equal to s's.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
