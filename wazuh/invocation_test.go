package wazuh

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const (
	testKey  = "8f2c1a7e-93b4-4d0a-b6e2-5c71f0d9a3e4"
	alertArg = "/tmp/custom-opencti-1741944413-1804289383.alert"
	optsArg  = "/tmp/custom-opencti-1741944413-1804289383.options"
	hookArg  = "https://cti.example.org/graphql"
)

func TestParseInvocation(t *testing.T) {
	def := func(inv Invocation) Invocation {
		if inv.Timeout == 0 {
			inv.Timeout = DefaultTimeout
		}
		if !inv.RetriesFromArgs {
			inv.Retries = DefaultRetries
		}
		return inv
	}
	base := Invocation{AlertFile: alertArg, APIKey: testKey, HookURL: hookArg}
	with := func(f func(*Invocation)) Invocation {
		inv := base
		f(&inv)
		return def(inv)
	}
	tests := []struct {
		name string
		args []string
		want Invocation
	}{
		{"4.3 debug", []string{alertArg, testKey, hookArg, "debug"}, with(func(i *Invocation) { i.Debug = true })},
		// 4.3–4.6 split the command into at most 5 parts: the redirect is one argument.
		{"4.6 no debug", []string{alertArg, testKey, hookArg, " > /dev/null 2>&1"}, def(base)},
		{"4.6 no debug, split", []string{alertArg, testKey, hookArg, "", ">", "/dev/null", "2>&1"}, def(base)},
		{"4.7 debug", []string{alertArg, testKey, hookArg, "debug", optsArg},
			with(func(i *Invocation) { i.Debug, i.OptionsFile = true, optsArg })},
		{"4.7 no debug", []string{alertArg, testKey, hookArg, "", optsArg, "> /dev/null 2>&1"},
			with(func(i *Invocation) { i.OptionsFile = optsArg })},
		{"4.7 no options", []string{alertArg, testKey, hookArg, "", ""}, def(base)},
		{"4.8 debug", []string{alertArg, testKey, hookArg, "debug", optsArg, "25", "5"},
			with(func(i *Invocation) {
				i.Debug, i.OptionsFile, i.Timeout, i.Retries, i.TimeoutFromArgs, i.RetriesFromArgs = true, optsArg, 25*time.Second, 5, true, true
			})},
		{"4.8 no debug", []string{alertArg, testKey, hookArg, "", optsArg, "10", "3", "> /dev/null 2>&1"},
			with(func(i *Invocation) {
				i.OptionsFile, i.Timeout, i.Retries, i.TimeoutFromArgs, i.RetriesFromArgs = optsArg, 10*time.Second, 3, true, true
			})},
		{"4.8 no debug, split redirect", []string{alertArg, testKey, hookArg, "", optsArg, "30", "0", ">", "/dev/null", "2>&1"},
			with(func(i *Invocation) {
				i.OptionsFile, i.Timeout, i.Retries, i.TimeoutFromArgs, i.RetriesFromArgs = optsArg, 30*time.Second, 0, true, true
			})},
		{"4.8 no options", []string{alertArg, testKey, hookArg, "", "", "10", "3", "> /dev/null 2>&1"},
			with(func(i *Invocation) {
				i.Timeout, i.Retries, i.TimeoutFromArgs, i.RetriesFromArgs = 10*time.Second, 3, true, true
			})},
		{"empty key", []string{alertArg, "", hookArg, "debug"}, with(func(i *Invocation) { i.APIKey, i.Debug = "", true })},
		{"empty url", []string{alertArg, testKey, "", ""}, with(func(i *Invocation) { i.HookURL = "" })},
		{"empty key and url", []string{alertArg, "", "", "", "", "10", "3"},
			with(func(i *Invocation) {
				i.APIKey, i.HookURL, i.Timeout, i.Retries, i.TimeoutFromArgs, i.RetriesFromArgs = "", "", 10*time.Second, 3, true, true
			})},
		{"url with query", []string{alertArg, testKey, "https://cti.example.org/graphql?tenant=a&x=1", "debug"},
			with(func(i *Invocation) { i.HookURL, i.Debug = "https://cti.example.org/graphql?tenant=a&x=1", true })},
		{"three arguments (manual run)", []string{alertArg, testKey, hookArg}, def(base)},
		{"debug is exact", []string{alertArg, testKey, hookArg, "DEBUG"}, def(base)},
		{"non-numeric timeout ignored", []string{alertArg, testKey, hookArg, "", optsArg, "ten", "x3"},
			with(func(i *Invocation) { i.OptionsFile = optsArg })},
		{"retries only", []string{alertArg, testKey, hookArg, "", "", "", "7"},
			with(func(i *Invocation) { i.Retries, i.RetriesFromArgs = 7, true })},
		{"bounds", []string{alertArg, testKey, hookArg, "", "", "3600", "100"},
			with(func(i *Invocation) {
				i.Timeout, i.Retries, i.TimeoutFromArgs, i.RetriesFromArgs = time.Hour, 100, true, true
			})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseInvocation(tt.args)
			if err != nil {
				t.Fatalf("ParseInvocation: %v", err)
			}
			// cmp reads the fields directly, so the key is compared but never printed by fmt.
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", Redact(diff, testKey))
			}
		})
	}
}

func TestParseInvocationErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		arg  int
		msg  string
	}{
		{"no arguments", nil, 0, "wazuh: bad invocation: got 0 arguments, want at least 3 (alert file, api key, hook url)"},
		{"one argument", []string{alertArg}, 0, "wazuh: bad invocation: got 1 arguments, want at least 3 (alert file, api key, hook url)"},
		{"two arguments", []string{alertArg, testKey}, 0, "wazuh: bad invocation: got 2 arguments, want at least 3 (alert file, api key, hook url)"},
		{"empty alert path", []string{"", testKey, hookArg, "debug"}, 1, "wazuh: bad invocation: argument 1: the alert file path is empty"},
		{"timeout zero", []string{alertArg, testKey, hookArg, "", "", "0", "3"}, 6, "wazuh: bad invocation: argument 6: timeout 0 is out of range (1 to 3600 seconds)"},
		{"timeout negative", []string{alertArg, testKey, hookArg, "", "", "-5", "3"}, 6, "wazuh: bad invocation: argument 6: timeout -5 is out of range (1 to 3600 seconds)"},
		{"timeout huge", []string{alertArg, testKey, hookArg, "", "", "99999999999999999999999", "3"}, 6, "wazuh: bad invocation: argument 6: timeout 99999999999999999999999 is out of range (1 to 3600 seconds)"},
		{"retries negative", []string{alertArg, testKey, hookArg, "", "", "10", "-1"}, 7, "wazuh: bad invocation: argument 7: retries -1 is out of range (0 to 100)"},
		{"retries huge", []string{alertArg, testKey, hookArg, "", "", "10", "101"}, 7, "wazuh: bad invocation: argument 7: retries 101 is out of range (0 to 100)"},
		// The key is redacted even when it happens to be what is reported.
		{"key in message", []string{alertArg, "12345", hookArg, "", "", "12345", "3"}, 6, "wazuh: bad invocation: argument 6: timeout [redacted] is out of range (1 to 3600 seconds)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv, err := ParseInvocation(tt.args)
			if err == nil {
				t.Fatalf("ParseInvocation = %v, want an error", inv)
			}
			if !errors.Is(err, ErrInvocation) {
				t.Errorf("error does not match ErrInvocation: %v", err)
			}
			var ie *InvocationError
			if !errors.As(err, &ie) || ie.Arg != tt.arg {
				t.Errorf("error %#v, want an *InvocationError for argument %d", err, tt.arg)
			}
			if got := err.Error(); got != tt.msg {
				t.Errorf("message:\n got %s\nwant %s", got, tt.msg)
			}
			if len(tt.args) > 1 && strings.Contains(err.Error(), tt.args[1]) {
				t.Errorf("the error holds the API key: %v", err)
			}
		})
	}
}

// TestInvocationNeverPrintsKey formats an invocation every way a program
// might and checks that the key never appears.
func TestInvocationNeverPrintsKey(t *testing.T) {
	inv, err := ParseInvocation([]string{alertArg, testKey, "https://user:" + testKey + "@cti.example.org/graphql?token=" + testKey, "debug", optsArg, "10", "3"})
	if err != nil {
		t.Fatal(err)
	}
	type wrapper struct {
		Name string
		Inv  Invocation
		Ptr  *Invocation
	}
	w := wrapper{"run", inv, &inv}
	var outputs []string
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%T %[1]v"} {
		outputs = append(outputs, fmt.Sprintf(format, inv), fmt.Sprintf(format, &inv), fmt.Sprintf(format, w), fmt.Sprintf(format, []Invocation{inv}))
	}
	outputs = append(outputs, inv.String(), inv.GoString(), fmt.Sprint(inv), fmt.Sprintln(inv))
	for _, v := range []any{inv, &inv, w, []Invocation{inv}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		outputs = append(outputs, string(b))
	}

	var buf bytes.Buffer
	for _, h := range []slog.Handler{
		slog.NewTextHandler(&buf, nil),
		slog.NewJSONHandler(&buf, nil),
		NewLogHandler(&buf, LogOptions{Name: "custom-opencti"}), // no Secrets: LogValue alone must hide it
	} {
		l := slog.New(h)
		l.Info("start", "invocation", inv, "ptr", &inv, "wrapped", w)
		l.Info("start", slog.Any("inv", inv))
		l.Info(fmt.Sprintf("invocation %v", inv))
	}
	outputs = append(outputs, buf.String())

	for _, out := range outputs {
		if strings.Contains(out, testKey) {
			t.Errorf("output holds the API key:\n%s", out)
		}
	}

	wantString := `Invocation{AlertFile: "/tmp/custom-opencti-1741944413-1804289383.alert", APIKey: "[redacted]", ` +
		`HookURL: "https://user:xxxxx@cti.example.org/graphql?token=[redacted]", Debug: true, ` +
		`OptionsFile: "/tmp/custom-opencti-1741944413-1804289383.options", Timeout: 10s, Retries: 3}`
	if got := inv.String(); got != wantString {
		t.Errorf("String():\n got %s\nwant %s", got, wantString)
	}
	wantGo := `wazuh.Invocation{AlertFile:"/tmp/custom-opencti-1741944413-1804289383.alert", APIKey:"[redacted]", ` +
		`HookURL:"https://user:xxxxx@cti.example.org/graphql?token=[redacted]", Debug:true, ` +
		`OptionsFile:"/tmp/custom-opencti-1741944413-1804289383.options", Timeout:10000000000, Retries:3, ` +
		`TimeoutFromArgs:true, RetriesFromArgs:true}`
	if got := fmt.Sprintf("%#v", inv); got != wantGo {
		t.Errorf("%%#v:\n got %s\nwant %s", got, wantGo)
	}
	if got := fmt.Sprintf("%v", w); !strings.Contains(got, "{run "+wantString+" "+wantString+"}") {
		t.Errorf("nested %%v = %s", got)
	}

	wantJSON := `{"alert_file":"/tmp/custom-opencti-1741944413-1804289383.alert","api_key":"[redacted]",` +
		`"hook_url":"https://user:xxxxx@cti.example.org/graphql?token=[redacted]","debug":true,` +
		`"options_file":"/tmp/custom-opencti-1741944413-1804289383.options","timeout":"10s","retries":3}`
	if got, err := json.Marshal(inv); err != nil || string(got) != wantJSON {
		t.Errorf("json.Marshal:\n got %s (%v)\nwant %s", got, err, wantJSON)
	}

	noKey := Invocation{AlertFile: "a"}
	if got := noKey.String(); !strings.Contains(got, `APIKey: ""`) {
		t.Errorf("an empty key should show as empty: %s", got)
	}
}

// TestInvocationHidesShiftedKey: an API key holding a space makes
// integratord shift the arguments, so the "hook URL" is then part of the
// key; a value that is not a URL is never shown.
func TestInvocationHidesShiftedKey(t *testing.T) {
	inv, err := ParseInvocation([]string{"/tmp/a.alert", "first-half", "second-half-of-key", "https://cti.example/graphql"})
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	slog.New(slog.NewTextHandler(&log, nil)).Info("x", "inv", inv)
	for _, s := range []string{inv.String(), fmt.Sprintf("%#v", inv), fmt.Sprint(inv), log.String()} {
		if strings.Contains(s, "second-half-of-key") {
			t.Errorf("shifted key shown: %s", s)
		}
		if !strings.Contains(s, "[hidden: not a URL]") {
			t.Errorf("no placeholder for the hook URL: %s", s)
		}
	}
}
