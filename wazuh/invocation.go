package wazuh

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults and bounds for the <timeout> and <retries> that Wazuh 4.8 and later
// pass to the integration.
const (
	DefaultTimeout = 10 * time.Second
	DefaultRetries = 3
	MaxTimeout     = time.Hour
	MaxRetries     = 100
)

// ErrInvocation matches every *InvocationError.
var ErrInvocation = errors.New("bad invocation")

// InvocationError says what is wrong with the arguments. It never holds the
// API key.
type InvocationError struct {
	Arg    int // 1-based position in argv of the bad argument; 0 when not about one
	Reason string
}

func (e *InvocationError) Error() string {
	if e.Arg > 0 {
		return "wazuh: bad invocation: argument " + strconv.Itoa(e.Arg) + ": " + e.Reason
	}
	return "wazuh: bad invocation: " + e.Reason
}

// Unwrap lets errors.Is match ErrInvocation.
func (e *InvocationError) Unwrap() error { return ErrInvocation }

// Invocation is one run of an integration as wazuh-integratord starts it.
//
// The API key is a secret: String, GoString, Format (every fmt verb) and
// LogValue show it as "[redacted]", and errors never contain it.
type Invocation struct {
	AlertFile   string
	APIKey      string // "" when <api_key> is not set
	HookURL     string // "" when <hook_url> is not set
	Debug       bool   // integrator.debug is 1 or more
	OptionsFile string // "" when absent (Wazuh < 4.7, or no <options>)
	Timeout     time.Duration
	Retries     int

	// Whether Timeout and Retries came from the arguments (Wazuh >= 4.8)
	// rather than from the defaults.
	TimeoutFromArgs, RetriesFromArgs bool
}

// ParseInvocation parses the arguments integratord passes (os.Args[1:]).
//
// integratord builds one command line joined by single spaces and splits it
// on spaces again, so unset fields arrive as empty strings and the text
// "> /dev/null 2>&1" arrives as one or several arguments depending on the
// version. The forms are:
//
//	4.3 – 4.6: alert key url debug-or-" > /dev/null 2>&1"
//	4.7:       alert key url debug options
//	4.8 +:     alert key url debug options timeout retries ["> /dev/null 2>&1"]
//
// The first three are taken by position. Debug is on only when the fourth is
// "debug". The options file is the first later argument ending in ".options".
// The sixth and seventh are the timeout (seconds) and retries when they are
// integers; other text there is ignored, but an integer out of range
// (timeout 1 s to MaxTimeout, retries 0 to MaxRetries) is an error. At
// least three arguments are required.
func ParseInvocation(args []string) (Invocation, error) {
	inv := Invocation{Timeout: DefaultTimeout, Retries: DefaultRetries}
	bad := func(arg int, reason string) (Invocation, error) {
		if len(args) > 1 {
			reason = Redact(reason, args[1])
		}
		return Invocation{}, &InvocationError{Arg: arg, Reason: reason}
	}
	if len(args) < 3 {
		return bad(0, fmt.Sprintf("got %d arguments, want at least 3 (alert file, api key, hook url)", len(args)))
	}
	if args[0] == "" {
		return bad(1, "the alert file path is empty")
	}
	inv.AlertFile, inv.APIKey, inv.HookURL = args[0], args[1], args[2]
	inv.Debug = len(args) > 3 && args[3] == "debug"
	for _, a := range args[min(3, len(args)):] {
		if strings.HasSuffix(a, ".options") {
			inv.OptionsFile = a
			break
		}
	}
	if len(args) > 5 {
		if n, ok := parseInteger(args[5]); ok {
			if n < 1 || n > int64(MaxTimeout/time.Second) {
				return bad(6, fmt.Sprintf("timeout %s is out of range (1 to %d seconds)", args[5], int64(MaxTimeout/time.Second)))
			}
			inv.Timeout, inv.TimeoutFromArgs = time.Duration(n)*time.Second, true
		}
	}
	if len(args) > 6 {
		if n, ok := parseInteger(args[6]); ok {
			if n < 0 || n > MaxRetries {
				return bad(7, fmt.Sprintf("retries %s is out of range (0 to %d)", args[6], MaxRetries))
			}
			inv.Retries, inv.RetriesFromArgs = int(n), true
		}
	}
	return inv, nil
}

// parseInteger accepts an optional sign and up to 18 digits; longer numbers
// are reported as out of range by the caller through the saturated value.
func parseInteger(s string) (int64, bool) {
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil { // out of int64: saturate so the range check reports it
		if s[0] == '-' {
			return -1 << 63, true
		}
		return 1<<63 - 1, true
	}
	return n, true
}

const redacted = "[redacted]"

// shownKey is what the formatting methods print for the key.
func (inv Invocation) shownKey() string {
	if inv.APIKey == "" {
		return ""
	}
	return redacted
}

// shownURL hides a password in the hook URL's user information, and the
// whole value when it is not a URL: an API key holding a space shifts the
// arguments, and then this is part of the key.
func (inv Invocation) shownURL() string {
	if inv.HookURL == "" {
		return ""
	}
	u, err := url.Parse(inv.HookURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "[hidden: not a URL]"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			return u.Redacted()
		}
	}
	return inv.HookURL
}

// String describes the invocation with the API key redacted.
func (inv Invocation) String() string {
	s := fmt.Sprintf("Invocation{AlertFile: %q, APIKey: %s, HookURL: %q, Debug: %t, OptionsFile: %q, Timeout: %s, Retries: %d}",
		inv.AlertFile, strconv.Quote(inv.shownKey()), inv.shownURL(), inv.Debug, inv.OptionsFile, inv.Timeout, inv.Retries)
	return Redact(s, inv.APIKey)
}

// GoString is what %#v prints: Go syntax with the API key redacted.
func (inv Invocation) GoString() string {
	s := fmt.Sprintf("wazuh.Invocation{AlertFile:%q, APIKey:%q, HookURL:%q, Debug:%t, OptionsFile:%q, Timeout:%d, Retries:%d, TimeoutFromArgs:%t, RetriesFromArgs:%t}",
		inv.AlertFile, inv.shownKey(), inv.shownURL(), inv.Debug, inv.OptionsFile, int64(inv.Timeout), inv.Retries, inv.TimeoutFromArgs, inv.RetriesFromArgs)
	return Redact(s, inv.APIKey)
}

// Format makes every fmt verb safe: %#v prints GoString, %q a quoted String,
// and any other verb String.
func (inv Invocation) Format(f fmt.State, verb rune) {
	var s string
	switch {
	case verb == 'v' && f.Flag('#'):
		s = inv.GoString()
	case verb == 'q':
		s = strconv.Quote(inv.String())
	default:
		s = inv.String()
	}
	_, _ = f.Write([]byte(s))
}

// MarshalJSON writes the invocation with the API key redacted, so it is safe
// inside any JSON log record or event.
func (inv Invocation) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		AlertFile   string `json:"alert_file"`
		APIKey      string `json:"api_key"`
		HookURL     string `json:"hook_url"`
		Debug       bool   `json:"debug"`
		OptionsFile string `json:"options_file"`
		Timeout     string `json:"timeout"`
		Retries     int    `json:"retries"`
	}{
		Redact(inv.AlertFile, inv.APIKey), inv.shownKey(), Redact(inv.shownURL(), inv.APIKey), inv.Debug,
		Redact(inv.OptionsFile, inv.APIKey), inv.Timeout.String(), inv.Retries,
	})
}

// LogValue logs the invocation as a group with the API key redacted.
func (inv Invocation) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("alert_file", Redact(inv.AlertFile, inv.APIKey)),
		slog.String("api_key", inv.shownKey()),
		slog.String("hook_url", Redact(inv.shownURL(), inv.APIKey)),
		slog.Bool("debug", inv.Debug),
		slog.String("options_file", Redact(inv.OptionsFile, inv.APIKey)),
		slog.Duration("timeout", inv.Timeout),
		slog.Int("retries", inv.Retries),
	)
}
