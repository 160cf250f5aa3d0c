package enrich_test

import (
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/opencti/enrich"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// The seed corpora are in testdata/fuzz/<FuzzName>/.

// optionKeys are the JSON names of the Options fields.
var optionKeys = func() []string {
	var keys []string
	t := reflect.TypeFor[enrich.Options]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		keys = append(keys, name)
	}
	return keys
}()

// knownKey reports whether encoding/json gives key a field of Options: it
// matches field names ignoring case (Unicode simple folding).
func knownKey(key string) bool {
	return slices.ContainsFunc(optionKeys, func(k string) bool { return strings.EqualFold(k, key) })
}

// FuzzParseOptions reads any options text as the reference integration
// does: wazuh.ParseOptions, then enrich.ParseOptions. Errors name the key
// at fault, or are about the whole text; unknown keys are returned sorted,
// once each; accepted options validate again, re-encode to JSON that parses
// back to equal options, and apply within bounds.
func FuzzParseOptions(f *testing.F) {
	builtins := extract.Default().Names()
	f.Fuzz(func(t *testing.T, data []byte) {
		raw, err := wazuh.ParseOptions(data)
		if err != nil {
			var oe *wazuh.OptionsError
			if !errors.As(err, &oe) || oe.Key != "" || oe.Reason == "" {
				t.Fatalf("the text's error is not about the text: %#v", err)
			}
			return
		}
		o, unknown, err := enrich.ParseOptions(raw, builtins)
		if !slices.IsSorted(unknown) || len(slices.Compact(slices.Clone(unknown))) != len(unknown) {
			t.Fatalf("unknown keys not sorted or repeated: %q", unknown)
		}
		for _, k := range unknown {
			if _, ok := raw[k]; !ok || knownKey(k) {
				t.Fatalf("unknown key %q: not in the options, or an option", k)
			}
		}
		if err != nil {
			checkOptionError(t, raw, err)
			return
		}
		if err := o.Validate(builtins); err != nil {
			t.Fatalf("accepted options do not validate: %v", err)
		}

		text, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		raw2, err := wazuh.ParseOptions(text)
		if err != nil {
			t.Fatalf("re-encoded options %s do not parse: %v", text, err)
		}
		o2, unknown2, err := enrich.ParseOptions(raw2, builtins)
		if err != nil || unknown2 != nil {
			t.Fatalf("re-encoded options %s: unknown %q, %v", text, unknown2, err)
		}
		if diff := cmp.Diff(o, o2, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("options change through %s (-first +second):\n%s", text, diff)
		}

		c := o.Apply(enrich.DefaultConfig("https://cti.example/graphql"))
		if c.MaxIndicatorEvents < 0 || c.MaxIndicatorEvents > enrich.MaxEventsPerKind ||
			c.MaxObservableEvents < 0 || c.MaxObservableEvents > enrich.MaxEventsPerKind || c.Name == "" {
			t.Fatalf("Apply gives %+v", c)
		}
		names := o.Extractors(extract.Default()).Names()
		for _, n := range builtins {
			if slices.Contains(names, n) == slices.Contains(o.DisableExtractors, n) {
				t.Fatalf("extractors %q with %q disabled", names, o.DisableExtractors)
			}
		}
		d, r := o.Limits(wazuh.Invocation{Timeout: wazuh.DefaultTimeout, Retries: wazuh.DefaultRetries})
		if d < time.Millisecond || d > enrich.MaxTimeout || r < 0 || r > enrich.MaxRetries {
			t.Fatalf("Limits gives %v, %d", d, r)
		}
	})
}

// checkOptionError checks that err says which option is wrong: an option
// the text holds (in any case), named in the message.
func checkOptionError(t *testing.T, raw wazuh.Options, err error) {
	t.Helper()
	var key string
	var oe *enrich.OptionError
	var we *wazuh.OptionsError
	switch {
	case errors.As(err, &oe) && errors.Is(err, enrich.ErrInvalidOption):
		key = oe.Key
	case errors.As(err, &we) && errors.Is(err, wazuh.ErrInvalidOptions):
		key = we.Key
	default:
		t.Fatalf("untyped error %T: %v", err, err)
	}
	present := slices.ContainsFunc(slices.Collect(maps.Keys(raw)), func(k string) bool { return strings.EqualFold(k, key) })
	if key == "" || !knownKey(key) || !present || !strings.Contains(err.Error(), key) {
		t.Fatalf("error does not name an option of the text (key %q): %v", key, err)
	}
}
