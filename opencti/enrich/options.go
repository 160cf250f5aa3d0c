package enrich

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// Options are the settings of the reference integration's <options> block in
// ossec.conf (Wazuh 4.7 and later), as JSON:
//
//	<options>{"max_ind_alerts": 5, "include_private_addresses": true}</options>
//
// Every field is optional. A user's own binary reads the same block with
// ParseOptions and gets the same behaviour.
type Options struct {
	// MaxIndicatorEvents caps indicator events per alert (default 3).
	MaxIndicatorEvents *int `json:"max_ind_alerts,omitempty"`
	// MaxObservableEvents caps observable events per alert (default 3).
	MaxObservableEvents *int `json:"max_obs_alerts,omitempty"`
	// Timeout bounds each request to OpenCTI: a number of seconds or a Go
	// duration such as "2.5s". It takes precedence over <timeout>.
	Timeout *Duration `json:"timeout,omitempty"`
	// Retries is how many times a failed request is sent again. It takes
	// precedence over <retries>.
	Retries *int `json:"retries,omitempty"`
	// CAFile is a PEM file of CA certificates to trust for OpenCTI, besides
	// the system's.
	CAFile string `json:"ca_file,omitempty"`
	// InsecureSkipVerify turns TLS certificate verification off. Each run
	// logs a warning while it is on.
	InsecureSkipVerify bool `json:"insecure_skip_verify,omitempty"`
	// IncludePrivateAddresses also looks up private addresses (RFC 1918,
	// CGNAT, ULA), for OpenCTI instances that hold internal intelligence.
	IncludePrivateAddresses bool `json:"include_private_addresses,omitempty"`
	// IgnoreHashes are hashes of files never to look up, besides the
	// empty file's.
	IgnoreHashes []string `json:"ignore_hashes,omitempty"`
	// IgnoreRanges are address blocks never to look up, such as your own
	// public address space ("203.0.113.0/24").
	IgnoreRanges []netip.Prefix `json:"ignore_ranges,omitempty"`
	// LookupRanges are address blocks looked up even though they are
	// special-purpose (documentation, benchmarking, …): for labs, and for
	// the demo, whose invented indicators live in documentation ranges.
	LookupRanges []netip.Prefix `json:"lookup_ranges,omitempty"`
	// DisableExtractors names built-in extractors not to run.
	DisableExtractors []string `json:"disable_extractors,omitempty"`
	// IntegrationName is the value of the events' "integration" field and
	// the location of the alerts they become (default "opencti").
	IntegrationName string `json:"integration_name,omitempty"`
}

// Bounds of the numeric options.
const (
	MaxEventsPerKind = 100
	MaxRetries       = wazuh.MaxRetries
	MaxTimeout       = wazuh.MaxTimeout
)

// Duration is a timeout in an options file: a JSON number of seconds or a
// string Go's time.ParseDuration accepts.
type Duration time.Duration

// UnmarshalJSON accepts 10, 2.5 or "2.5s".
func (d *Duration) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("want seconds or a duration such as \"10s\", got %q", s)
		}
		*d = Duration(v)
		return nil
	}
	var secs float64
	if err := json.Unmarshal(b, &secs); err != nil {
		return fmt.Errorf("want seconds or a duration such as \"10s\", got %s", b)
	}
	if math.IsNaN(secs) || secs > MaxTimeout.Seconds() || secs < -MaxTimeout.Seconds() {
		return fmt.Errorf("timeout %s is out of range", b)
	}
	*d = Duration(secs * float64(time.Second))
	return nil
}

// MarshalJSON writes the duration as Go text ("10s").
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// ErrInvalidOption matches every *OptionError.
var ErrInvalidOption = errors.New("invalid option")

// OptionError says which option is wrong and why.
type OptionError struct {
	Key    string
	Reason string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("option %s: %s", e.Key, e.Reason)
}

// Unwrap lets errors.Is match ErrInvalidOption.
func (e *OptionError) Unwrap() error { return ErrInvalidOption }

// ParseOptions decodes and validates the options of an <options> block.
// Keys it does not know are returned, sorted, for the caller to warn about;
// a value of the wrong type or out of range is an error naming the key.
// builtins are the extractor names disable_extractors may name.
func ParseOptions(raw wazuh.Options, builtins []string) (Options, []string, error) {
	var o Options
	unknown, err := raw.Decode(&o)
	if err != nil {
		return Options{}, unknown, err
	}
	return o, unknown, o.Validate(builtins)
}

// Validate checks the values; builtins are the extractor names
// disable_extractors may name.
func (o Options) Validate(builtins []string) error {
	checkCount := func(key string, p *int, limit int) error {
		if p != nil && (*p < 0 || *p > limit) {
			return &OptionError{key, fmt.Sprintf("%d is out of range 0 to %d", *p, limit)}
		}
		return nil
	}
	if err := checkCount("max_ind_alerts", o.MaxIndicatorEvents, MaxEventsPerKind); err != nil {
		return err
	}
	if err := checkCount("max_obs_alerts", o.MaxObservableEvents, MaxEventsPerKind); err != nil {
		return err
	}
	if err := checkCount("retries", o.Retries, MaxRetries); err != nil {
		return err
	}
	if o.Timeout != nil {
		if d := time.Duration(*o.Timeout); d < time.Millisecond || d > MaxTimeout {
			return &OptionError{"timeout", fmt.Sprintf("%s is out of range 1ms to %s", d, MaxTimeout)}
		}
	}
	for _, h := range o.IgnoreHashes {
		if _, err := hex.DecodeString(h); err != nil || !slices.Contains([]int{32, 40, 64, 128}, len(h)) {
			return &OptionError{"ignore_hashes", fmt.Sprintf("%q is not an MD5, SHA-1, SHA-256 or SHA-512 hex value", h)}
		}
	}
	for _, name := range o.DisableExtractors {
		if !slices.Contains(builtins, name) {
			return &OptionError{"disable_extractors", fmt.Sprintf("no extractor is called %q (there are %s)", name, strings.Join(builtins, ", "))}
		}
	}
	if o.IntegrationName != "" && !validName(o.IntegrationName) {
		return &OptionError{"integration_name", fmt.Sprintf("%q: use letters, digits, '-' and '_' only", o.IntegrationName)}
	}
	return nil
}

func validName(s string) bool {
	if len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Apply returns the event configuration with the options applied.
func (o Options) Apply(c Config) Config {
	if o.MaxIndicatorEvents != nil {
		c.MaxIndicatorEvents = *o.MaxIndicatorEvents
	}
	if o.MaxObservableEvents != nil {
		c.MaxObservableEvents = *o.MaxObservableEvents
	}
	if o.IntegrationName != "" {
		c.Name = o.IntegrationName
	}
	return c
}

// Extractors returns the set with the options applied: extractors
// disabled, private addresses included, further hashes ignored, and our
// own events (under the integration name) recognised.
func (o Options) Extractors(s *extract.Set) *extract.Set {
	if len(o.DisableExtractors) > 0 {
		s = s.Without(o.DisableExtractors...)
	}
	p := s.Policy()
	p.IncludePrivate = p.IncludePrivate || o.IncludePrivateAddresses
	p.IgnoreHashes = append(slices.Clip(p.IgnoreHashes), o.IgnoreHashes...)
	p.IgnorePrefixes = append(slices.Clip(p.IgnorePrefixes), o.IgnoreRanges...)
	p.LookupPrefixes = append(slices.Clip(p.LookupPrefixes), o.LookupRanges...)
	if o.IntegrationName != "" {
		p.IntegrationName = o.IntegrationName
	}
	return s.WithPolicy(p)
}

// Limits returns the per-request timeout and the retries: the options'
// when set, else the invocation's (Wazuh's <timeout> and <retries>, or
// their defaults).
func (o Options) Limits(inv wazuh.Invocation) (time.Duration, int) {
	timeout, retries := inv.Timeout, inv.Retries
	if o.Timeout != nil {
		timeout = time.Duration(*o.Timeout)
	}
	if o.Retries != nil {
		retries = *o.Retries
	}
	return timeout, retries
}
