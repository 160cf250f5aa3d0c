package wazuh

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FuzzDecodeAlert checks that any input decodes or fails with a typed error,
// that the parser agrees with encoding/json, that a decoded alert re-encodes
// to valid JSON that decodes to the same alert (typed fields and values), and
// that the queue header of its agent ends where analysisd will end it. Seeds: the sample
// alerts (testdata/fuzz/FuzzDecodeAlert) and the cases below.
func FuzzDecodeAlert(f *testing.F) {
	for _, c := range parserCases {
		f.Add([]byte(c))
	}
	f.Add([]byte(`{"rule":{"level":"5","groups":["a"]},"agent":{"id":"017","ip":"2001:db8::31","labels":{"a":{"b":"c"}}},"data":{"x":[{"y":"1"}]}}`))
	f.Add([]byte("{\"data\":{\"k\":\"v\xff\xfe\"},\"timestamp\":\"2025-03-14T09:26:53.417+0000\"}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := DecodeAlert(data)
		if err != nil {
			var ae *AlertError
			if !errors.As(err, &ae) && !errors.Is(err, ErrAlertTooLarge) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			if ae != nil && (ae.Offset < -1 || ae.Offset > int64(len(data))) {
				t.Fatalf("offset %d outside the input", ae.Offset)
			}
			if a != nil {
				t.Fatal("an alert and an error")
			}
		} else {
			out, err := a.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(out) {
				t.Fatalf("re-encoded alert is not valid JSON: %q", out)
			}
			b, err := DecodeAlert(out)
			if err != nil {
				t.Fatalf("re-encoded alert does not decode: %v", err)
			}
			if out2, _ := b.MarshalJSON(); !bytes.Equal(out, out2) {
				t.Fatalf("re-encoding is not stable:\n%q\n%q", out, out2)
			}
			if diff := cmp.Diff(a, b, cmpopts.IgnoreUnexported(Alert{}), cmp.Comparer(sameValue)); diff != "" {
				t.Fatalf("the re-encoded alert decodes differently (-first +second):\n%s", diff)
			}
			if h := Header(a.Agent, "opencti"); locationEnd(h) != len(h)-1 {
				t.Fatalf("header %q: analysisd would end the location at byte %d", h, locationEnd(h))
			}
			// The accessors never panic, whatever the shape.
			for _, p := range []string{"data", "data.win.eventdata.hashes", "data.dns.query.rrname", "rule.groups.0", "agent.labels", ""} {
				v := a.Field(p)
				v.String()
				v.Int()
				v.Float()
				v.Bool()
				v.Strings()
				v.Keys()
				v.Array()
				v.Interface()
				_ = fmt.Sprint(v)
			}
			a.HasGroup("ids")
			a.IsIntegrationEvent("opencti")
		}
		if len(data) <= 64<<10 {
			checkAgainstStd(t, data)
		}
	})
}

// sameValue compares Values by kind and encoding.
func sameValue(x, y Value) bool {
	return x.Kind() == y.Kind() && bytes.Equal(x.appendJSON(nil), y.appendJSON(nil))
}

// locationEnd returns the index of the colon where analysisd ends the
// location of a queue message (after "1:"): the first one not escaped by a
// '|', which also escapes itself. -1 when there is none.
func locationEnd(msg string) int {
	for i := 2; i < len(msg); i++ {
		switch msg[i] {
		case '|':
			i++
		case ':':
			return i
		}
	}
	return -1
}

// fuzzKeyOK reports whether key is one the never-printed property can be
// checked for: long enough to be redacted and not able to match the fixed
// text of the output or an escape sequence (real keys are UUIDs, hex or
// base64).
func fuzzKeyOK(key string) bool {
	if len(key) < 9 {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~+/", c) >= 0) {
			return false
		}
	}
	return !strings.Contains(fixedInvocationText(), key)
}

// fixedInvocationText is the text every formatting of an Invocation holds
// whatever its values.
var fixedInvocationText = sync.OnceValue(func() string {
	zero := Invocation{}
	b, _ := json.Marshal(zero)
	return fmt.Sprintf("%v|%+v|%#v|%s|%q|%s", zero, zero, zero, zero, zero, b)
})

// FuzzParseInvocation builds argv from NUL-separated text with the key as
// argument 2, and checks that parsing never panics, keeps its invariants
// (positional fields, the debug flag, timeout and retries taken from the
// sixth and seventh arguments exactly when they are integers in range,
// errors pointing at an argument), and never shows the key in errors,
// formatting, JSON or log lines.
func FuzzParseInvocation(f *testing.F) {
	seeds := [][]string{
		{alertArg, testKey, hookArg, "debug"},
		{alertArg, testKey, hookArg, " > /dev/null 2>&1"},
		{alertArg, testKey, hookArg, "", ">", "/dev/null", "2>&1"},
		{alertArg, testKey, hookArg, "debug", optsArg},
		{alertArg, testKey, hookArg, "", optsArg, "10", "3", "> /dev/null 2>&1"},
		{alertArg, testKey, "https://cti.example.org/graphql?a=1&b=" + testKey, "", "", "0", "-1"},
		{"", testKey, "", "", "", testKey, testKey},
	}
	for _, s := range seeds {
		rest := append([]string{s[0]}, s[2:]...)
		f.Add(strings.Join(rest, "\x00"), s[1])
	}
	f.Fuzz(func(t *testing.T, joined, key string) {
		parts := strings.Split(joined, "\x00")
		args := append([]string{parts[0], key}, parts[1:]...)
		check := fuzzKeyOK(key)
		leaks := func(what, s string) {
			if check && strings.Contains(s, key) {
				t.Fatalf("%s shows the key %q:\n%s", what, key, s)
			}
		}
		inv, err := ParseInvocation(args)
		if err != nil {
			if !errors.Is(err, ErrInvocation) {
				t.Fatalf("error does not match ErrInvocation: %v", err)
			}
			var ie *InvocationError
			if !errors.As(err, &ie) || ie.Arg < 0 || ie.Arg > len(args) || ie.Reason == "" {
				t.Fatalf("bad error %#v", err)
			}
			leaks("error", err.Error())
			leaks("error %+v", fmt.Sprintf("%+v", err))
			return
		}
		if inv.AlertFile != args[0] || inv.APIKey != key || inv.HookURL != args[2] {
			t.Fatalf("positional fields wrong: %q %q", inv.AlertFile, inv.HookURL)
		}
		if inv.Debug != (len(args) > 3 && args[3] == "debug") {
			t.Fatal("debug flag wrong")
		}
		if inv.Timeout < time.Second || inv.Timeout > MaxTimeout || inv.Retries < 0 || inv.Retries > MaxRetries {
			t.Fatalf("out of range: %v, %d", inv.Timeout, inv.Retries)
		}
		if inv.OptionsFile != "" && !strings.HasSuffix(inv.OptionsFile, ".options") {
			t.Fatalf("options file %q", inv.OptionsFile)
		}
		checkArgNumber(t, args, 5, inv.TimeoutFromArgs, int64(inv.Timeout/time.Second), int64(DefaultTimeout/time.Second), int64(MaxTimeout/time.Second))
		checkArgNumber(t, args, 6, inv.RetriesFromArgs, int64(inv.Retries), DefaultRetries, MaxRetries)
		leaks("String", inv.String())
		leaks("GoString", inv.GoString())
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d"} {
			leaks(verb, fmt.Sprintf(verb, inv))
			leaks(verb+" of a pointer", fmt.Sprintf(verb, &inv))
		}
		b, err := json.Marshal(inv)
		if err != nil || !json.Valid(b) {
			t.Fatalf("MarshalJSON: %s, %v", b, err)
		}
		// JSON escapes can put digits next to a value ("\u0010" + "00…"),
		// so the property is checked on the decoded text.
		var decoded map[string]any
		if err := json.Unmarshal(b, &decoded); err != nil {
			t.Fatal(err)
		}
		for k, v := range decoded {
			leaks("MarshalJSON", fmt.Sprint(k, "=", v))
		}
		var buf bytes.Buffer
		slog.New(NewLogHandler(&buf, LogOptions{Name: "custom-opencti", Debug: true, Secrets: []string{inv.APIKey}})).
			Debug("run "+inv.APIKey, "invocation", inv, "auth", "Authorization: Bearer "+inv.APIKey)
		leaks("log line", buf.String())
		if n := strings.Count(buf.String(), "\n"); n != 1 {
			t.Fatalf("log record took %d lines:\n%s", n, buf.String())
		}
	})
}

// checkArgNumber checks the timeout or retries parsed from args[i]: taken
// from the argument when it is a decimal integer in range, else the default.
func checkArgNumber(t *testing.T, args []string, i int, fromArgs bool, got, def, limit int64) {
	t.Helper()
	var n int64
	var err error = errors.New("absent")
	if len(args) > i {
		n, err = strconv.ParseInt(args[i], 10, 64)
	}
	switch {
	case fromArgs && (err != nil || n != got):
		t.Fatalf("argument %d is %q, parsed as %d", i+1, args[i], got)
	case !fromArgs && got != def:
		t.Fatalf("argument %d not used, but the value is %d, not the default %d", i+1, got, def)
	case !fromArgs && err == nil && n >= 0 && n <= limit && (i != 5 || n >= 1):
		t.Fatalf("argument %d (%q) is a number in range but was not used", i+1, args[i])
	}
}

// FuzzParseOptions checks that options text parses or fails with an
// *OptionsError about the whole text, that exactly the JSON objects
// encoding/json accepts are accepted (within the nesting bound) with the same
// values, that the options re-encode to text that parses to the same options,
// and that Decode agrees with encoding/json. Seeds: the parser cases and
// testdata/fuzz/FuzzParseOptions.
func FuzzParseOptions(f *testing.F) {
	for _, c := range parserCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := ParseOptions(data)
		std, stdErr := stdDecode(data)
		want, isObject := std.(map[string]any)
		if err != nil {
			var oe *OptionsError
			if !errors.As(err, &oe) || !errors.Is(err, ErrInvalidOptions) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			if o != nil || oe.Key != "" || oe.File != "" || oe.Reason == "" || oe.Offset < -1 || oe.Offset > int64(len(data)) {
				t.Fatalf("bad error %#v (options %v)", oe, o)
			}
			if isObject && !strings.Contains(oe.Reason, "nesting") {
				t.Fatalf("refuses an object encoding/json accepts: %v", err)
			}
			return
		}
		if o == nil {
			t.Fatal("nil options without an error")
		}
		if len(bytes.TrimLeft(data, " \t\r\n")) == 0 {
			want = map[string]any{}
		} else if stdErr != nil || !isObject {
			t.Fatalf("accepts what encoding/json does not read as an object (%v, %T)", stdErr, std)
		}
		got := make(map[string]any, len(o))
		for k, raw := range o {
			v, err := stdDecode(raw)
			if err != nil {
				t.Fatalf("key %q: value %q is not valid JSON: %v", k, raw, err)
			}
			got[k] = v
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("values differ from encoding/json (-want +got):\n%s", diff)
		}

		// Round trip: what encoding/json writes of the options parses back
		// to the same raw values, byte for byte.
		text, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseOptions(text)
		if err != nil {
			t.Fatalf("re-encoded options %s do not parse: %v", text, err)
		}
		if diff := cmp.Diff(o, again); diff != "" {
			t.Fatalf("options change through %s (-first +second):\n%s", text, diff)
		}

		// Decode into a map is encoding/json's decoding of the object; both
		// fail on the same input (a number beyond float64).
		var m map[string]any
		unknown, err := o.Decode(&m)
		var ref map[string]any
		refErr := json.Unmarshal(text, &ref)
		switch {
		case (err != nil) != (refErr != nil):
			t.Fatalf("Decode into a map: %v; encoding/json: %v", err, refErr)
		case err != nil:
			checkKeyError(t, o, err)
		case unknown != nil:
			t.Fatalf("Decode into a map: unknown keys %q", unknown)
		default:
			if diff := cmp.Diff(ref, m, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("Decode into a map differs from encoding/json (-want +got):\n%s", diff)
			}
		}

		// Decode into a struct: unknown keys are keys of the options, sorted,
		// once each; an error names one of its keys.
		var s testOptions
		unknown, err = o.Decode(&s)
		if err != nil {
			checkKeyError(t, o, err)
		}
		if !slices.IsSorted(unknown) || len(slices.Compact(slices.Clone(unknown))) != len(unknown) {
			t.Fatalf("unknown keys not sorted or repeated: %q", unknown)
		}
		for _, k := range unknown {
			if _, ok := o[k]; !ok {
				t.Fatalf("unknown key %q is not in the options", k)
			}
		}
	})
}

// checkKeyError checks that err is an *OptionsError naming a key of o.
// The empty key is a valid JSON key but reads as "the whole file" in an
// OptionsError, so its message cannot name it.
func checkKeyError(t *testing.T, o Options, err error) {
	t.Helper()
	var oe *OptionsError
	if !errors.As(err, &oe) || !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("untyped Decode error %T: %v", err, err)
	}
	named := oe.Key == "" || strings.Contains(err.Error(), "key "+strconv.Quote(oe.Key)+": ")
	if _, ok := o[oe.Key]; !ok || oe.Reason == "" || !named {
		t.Fatalf("Decode error does not name a key of the options: %#v", oe)
	}
}
