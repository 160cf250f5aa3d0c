package wazuh

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/slogtest"
	"time"

	"github.com/google/go-cmp/cmp"
)

var logTime = time.Date(2025, 3, 14, 9, 26, 53, 417e6, time.UTC)

// logRecord builds a record at a fixed time, as a logger would.
func logRecord(level slog.Level, msg string, attrs ...slog.Attr) slog.Record {
	r := slog.NewRecord(logTime, level, msg, 0)
	r.AddAttrs(attrs...)
	return r
}

func TestLogFormat(t *testing.T) {
	tests := []struct {
		name  string
		opts  LogOptions
		build func(h slog.Handler) slog.Handler
		rec   slog.Record
		want  string
	}{
		{"plain", LogOptions{Name: "custom-opencti"}, nil,
			logRecord(slog.LevelInfo, "looked up 3 observables", slog.String("alert_id", "1741944413.1052919"), slog.Duration("took", 212*time.Millisecond)),
			"2025/03/14 09:26:53 custom-opencti: INFO: looked up 3 observables alert_id=1741944413.1052919 took=212ms\n"},
		{"levels", LogOptions{Name: "n"}, nil, logRecord(slog.LevelWarn, "w"), "2025/03/14 09:26:53 n: WARNING: w\n"},
		{"error level", LogOptions{Name: "n"}, nil, logRecord(slog.LevelError+4, "e"), "2025/03/14 09:26:53 n: ERROR: e\n"},
		{"between levels", LogOptions{Name: "n"}, nil, logRecord(slog.LevelInfo+2, "i"), "2025/03/14 09:26:53 n: INFO: i\n"},
		{"debug enabled", LogOptions{Name: "n", Debug: true}, nil, logRecord(slog.LevelDebug, "d"), "2025/03/14 09:26:53 n: DEBUG: d\n"},
		{"no name, no time", LogOptions{}, nil, slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0), "INFO: m\n"},
		{"quoting", LogOptions{Name: "n"}, nil,
			logRecord(slog.LevelInfo, "m", slog.String("empty", ""), slog.String("space", "a b"), slog.String("eq", "a=b"),
				slog.String("quote", `say "hi"`), slog.String("nl", "a\nb"), slog.String("plain", "Блокнот™"),
				slog.String("bidi", "invoice\u202efdp.exe"), slog.String("bad", "a\xffb"), slog.String("bs", `C:\x`)),
			`2025/03/14 09:26:53 n: INFO: m empty="" space="a b" eq="a=b" quote="say \"hi\"" nl="a\nb" plain=Блокнот™ ` +
				`bidi="invoice\u202efdp.exe" bad="a\xffb" bs="C:\\x"` + "\n"},
		{"kinds", LogOptions{Name: "n"}, nil,
			logRecord(slog.LevelInfo, "m", slog.Int("i", -3), slog.Uint64("u", 7), slog.Float64("f", 0.5), slog.Bool("b", true),
				slog.Time("t", logTime), slog.Any("err", errors.New("no route to host")), slog.Any("list", []string{"a", "b"}),
				slog.Any("bytes", []byte("raw")), slog.Any("value", mustParse(t, `{"a":[1,"x"]}`))),
			`2025/03/14 09:26:53 n: INFO: m i=-3 u=7 f=0.5 b=true t=2025-03-14T09:26:53.417Z err="no route to host" list="[a b]" ` +
				`bytes=raw value="{\"a\":[1,\"x\"]}"` + "\n"},
		{"newlines in message", LogOptions{Name: "n"}, nil, logRecord(slog.LevelError, "line one\nline two\r\n\ttab\x00nul\u2028ls"),
			`2025/03/14 09:26:53 n: ERROR: line one\nline two\r\n\ttab\x00nul ls` + "\n"},
		{"groups and attrs", LogOptions{Name: "n"},
			func(h slog.Handler) slog.Handler {
				return h.WithAttrs([]slog.Attr{slog.String("alert_id", "1.2")}).WithGroup("lookup").WithAttrs([]slog.Attr{slog.Int("n", 2)}).WithGroup("")
			},
			logRecord(slog.LevelInfo, "m", slog.Group("http", slog.Int("status", 200)), slog.Group("empty"), slog.Attr{},
				slog.Group("", slog.String("inline", "yes"))),
			"2025/03/14 09:26:53 n: INFO: m alert_id=1.2 lookup.n=2 lookup.http.status=200 lookup.inline=yes\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			h := NewLogHandler(&buf, tt.opts)
			if tt.build != nil {
				h = tt.build(h)
			}
			if !h.Enabled(context.Background(), tt.rec.Level) {
				t.Fatalf("level %v not enabled", tt.rec.Level)
			}
			if err := h.Handle(context.Background(), tt.rec); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, buf.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestLogDebugGating(t *testing.T) {
	for _, debug := range []bool{false, true} {
		var buf bytes.Buffer
		l := slog.New(NewLogHandler(&buf, LogOptions{Name: "custom-opencti", Debug: debug}))
		l.Debug("request body", "bytes", 812)
		l.Info("sent 2 events")
		l.WithGroup("g").Debug("grouped debug")
		lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		want := 1
		if debug {
			want = 3
		}
		if len(lines) != want {
			t.Errorf("Debug=%t: %d lines, want %d:\n%s", debug, len(lines), want, buf.String())
		}
		if got := strings.Contains(buf.String(), "DEBUG: request body bytes=812"); got != debug {
			t.Errorf("Debug=%t: debug line present = %t", debug, got)
		}
	}
}

// TestLogNeverWritesToken logs a token every way a careless caller could and
// checks the file never holds it.
func TestLogNeverWritesToken(t *testing.T) {
	home := t.TempDir()
	if err := os.Mkdir(filepath.Join(home, "logs"), 0o750); err != nil {
		t.Fatal(err)
	}
	f, err := OpenLog(home)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := ParseInvocation([]string{alertArg, testKey, hookArg, "debug"})
	if err != nil {
		t.Fatal(err)
	}
	l := slog.New(NewLogHandler(f, LogOptions{Name: "custom-opencti", Debug: true, Secrets: []string{inv.APIKey}}))
	l.Info("starting", "invocation", inv)
	l.Info("starting with key " + inv.APIKey)
	l.Debug("request", "headers", "Authorization: Bearer "+inv.APIKey)
	l.Debug("request", "Authorization", "Bearer "+inv.APIKey, "token", inv.APIKey, "api_key", inv.APIKey)
	l.Error("failed", "err", fmt.Errorf("POST %s?key=%s: 401", hookArg, inv.APIKey))
	l.With("key", inv.APIKey).WithGroup(inv.APIKey).Info("x", inv.APIKey, inv.APIKey)
	l.Info("quoted", "v", `"`+inv.APIKey+"\n")
	l.Info(fmt.Sprintf("%v %+v %#v", inv, inv, inv))
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	data, err := os.ReadFile(LogPath(home))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(testKey)) {
		t.Errorf("the log holds the token:\n%s", data)
	}
	if escaped := strconv.Quote(testKey); bytes.Contains(data, []byte(escaped[1:len(escaped)-1])) {
		t.Errorf("the log holds the token escaped:\n%s", data)
	}
	if n := bytes.Count(data, []byte("\n")); n != 8 {
		t.Errorf("%d lines, want 8:\n%s", n, data)
	}
	for _, want := range []string{
		"INFO: starting invocation.alert_file=" + alertArg + " invocation.api_key=[redacted] invocation.hook_url=" + hookArg,
		"INFO: starting with key [redacted]\n",
		`DEBUG: request headers="Authorization: Bearer [redacted]"`,
		"DEBUG: request Authorization=[redacted] token=[redacted] api_key=[redacted]\n",
		`ERROR: failed err="POST https://cti.example.org/graphql?key=[redacted]: 401"`,
	} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("log lacks %q:\n%s", want, data)
		}
	}

	fi, err := os.Stat(LogPath(home))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&^0o640 != 0 {
		t.Errorf("log mode %v, want at most 0640", perm)
	}
}

func TestOpenLogAppends(t *testing.T) {
	home := t.TempDir()
	if _, err := OpenLog(home); err == nil {
		t.Error("OpenLog without <home>/logs should fail")
	}
	if err := os.Mkdir(filepath.Join(home, "logs"), 0o750); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"one\n", "two\n"} {
		f, err := OpenLog(home)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(line); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	if data, _ := os.ReadFile(LogPath(home)); string(data) != "one\ntwo\n" {
		t.Errorf("log = %q, want both lines", data)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct {
		in      string
		secrets []string
		want    string
	}{
		{"key=abcd1234 again abcd1234", []string{"abcd1234"}, "key=[redacted] again [redacted]"},
		{"short abc stays", []string{"abc"}, "short abc stays"},
		{"nothing", nil, "nothing"},
		{"Authorization: Bearer eyJhbGciOi.x.y rest", nil, "Authorization: Bearer [redacted] rest"},
		{`{"Authorization":"Bearer tok123"}`, nil, `{"Authorization":"Bearer [redacted]"}`},
		{"authorization=Basic dXNlcjpwYXNz", nil, "authorization=Basic [redacted]"},
		{"AUTHORIZATION: rawtoken, next", nil, "AUTHORIZATION: [redacted], next"},
		{"bearer   spaced-token", nil, "bearer   [redacted]"},
		{"a bearer of bad news", nil, "a bearer [redacted] bad news"},
		{"Authorization required", nil, "Authorization required"},
		{"Bearer", nil, "Bearer"},
		{"noauthorization: x", nil, "noauthorization: x"},
		{"Authorization: Bearer [redacted]", nil, "Authorization: Bearer [redacted]"},
		{"echo: Authorization: Bearer [REDACTED] end", nil, "echo: Authorization: Bearer [REDACTED] end"},
		{"x-bearer y", nil, "x-bearer y"},
		{"İ Authorization: Bearer t0k", nil, "İ Authorization: Bearer [redacted]"},
		{`v="Bearer abc\"" next`, nil, `v="Bearer [redacted]\"" next`},
	}
	for _, tt := range tests {
		if got := Redact(tt.in, tt.secrets...); got != tt.want {
			t.Errorf("Redact(%q, %q) = %q, want %q", tt.in, tt.secrets, got, tt.want)
		}
	}
}

func TestLogConcurrent(t *testing.T) {
	var buf bytes.Buffer
	h := NewLogHandler(&buf, LogOptions{Name: "n"})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := slog.New(h).With("g", g)
			for i := range 100 {
				l.Info("message", "i", i, "pad", strings.Repeat("x", 200))
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 800 {
		t.Fatalf("%d lines, want 800", len(lines))
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "n: INFO: message g=") && !strings.Contains(l, " n: INFO: message g=") {
			t.Fatalf("interleaved line: %q", l)
		}
	}
}

// TestLogHandlerConformance runs log/slog's own handler checks, reading the
// lines back with a small parser of the format.
func TestLogHandlerConformance(t *testing.T) {
	var buf bytes.Buffer
	h := NewLogHandler(&buf, LogOptions{Name: "n"})
	results := func() []map[string]any {
		var out []map[string]any
		for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
			if line == "" {
				continue
			}
			out = append(out, parseLogLine(t, line))
		}
		return out
	}
	if err := slogtest.TestHandler(h, results); err != nil {
		t.Error(err)
	}
}

// parseLogLine reads "2006/01/02 15:04:05 n: LEVEL: msg k=v g.k=v" back into
// the nested map slogtest expects. Messages in the checks have no " k=".
func parseLogLine(t *testing.T, line string) map[string]any {
	t.Helper()
	m := map[string]any{}
	if len(line) > 20 && line[4] == '/' && line[19] == ' ' {
		tm, err := time.ParseInLocation("2006/01/02 15:04:05", line[:19], time.Local)
		if err != nil {
			t.Fatalf("time in %q: %v", line, err)
		}
		m[slog.TimeKey] = tm
		line = line[20:]
	}
	line = strings.TrimPrefix(line, "n: ")
	level, rest, ok := strings.Cut(line, ": ")
	if !ok {
		t.Fatalf("no level in %q", line)
	}
	m[slog.LevelKey] = level
	fields := strings.Split(rest, " ")
	i := 0
	for i < len(fields) && !strings.Contains(fields[i], "=") {
		i++
	}
	m[slog.MessageKey] = strings.Join(fields[:i], " ")
	for _, f := range fields[i:] {
		k, v, _ := strings.Cut(f, "=")
		if uq, err := strconv.Unquote(v); err == nil {
			v = uq
		}
		dst := m
		parts := strings.Split(k, ".")
		for _, p := range parts[:len(parts)-1] {
			sub, ok := dst[p].(map[string]any)
			if !ok {
				sub = map[string]any{}
				dst[p] = sub
			}
			dst = sub
		}
		dst[parts[len(parts)-1]] = v
	}
	return m
}
