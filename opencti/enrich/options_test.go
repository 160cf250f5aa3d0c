package enrich

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

func TestParseOptions(t *testing.T) {
	builtins := extract.Default().Names()
	tests := []struct {
		name    string
		json    string
		want    Options
		unknown []string
		errKey  string // "" for no error
	}{
		{name: "empty", json: ``},
		{name: "all", json: `{"max_ind_alerts": 5, "max_obs_alerts": 0, "timeout": 2.5, "retries": 1,
			"ca_file": "/etc/ssl/cti.pem", "insecure_skip_verify": false, "include_private_addresses": true,
			"ignore_hashes": ["d41d8cd98f00b204e9800998ecf8427e"], "disable_extractors": ["` + builtins[0] + `"],
			"integration_name": "opencti_lab"}`,
			want: Options{MaxIndicatorEvents: ptr(5), MaxObservableEvents: ptr(0), Timeout: ptr(Duration(2500 * time.Millisecond)),
				Retries: ptr(1), CAFile: "/etc/ssl/cti.pem", IncludePrivateAddresses: true,
				IgnoreHashes: []string{"d41d8cd98f00b204e9800998ecf8427e"}, DisableExtractors: []string{builtins[0]},
				IntegrationName: "opencti_lab"}},
		{name: "ranges", json: `{"ignore_ranges": ["203.0.113.0/24"], "lookup_ranges": ["198.51.100.0/24", "2001:db8::/32"]}`,
			want: Options{IgnoreRanges: []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")},
				LookupRanges: []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("2001:db8::/32")}}},
		{name: "bad range", json: `{"lookup_ranges": ["198.51.100.0/33"]}`, errKey: "lookup_ranges"},
		{name: "duration text", json: `{"timeout": "1m"}`, want: Options{Timeout: ptr(Duration(time.Minute))}},
		{name: "unknown keys", json: `{"max_ind_alert": 5, "colour": "red"}`, unknown: []string{"colour", "max_ind_alert"}},
		{name: "negative cap", json: `{"max_ind_alerts": -1}`, errKey: "max_ind_alerts"},
		{name: "huge cap", json: `{"max_obs_alerts": 1000}`, errKey: "max_obs_alerts"},
		{name: "cap as string", json: `{"max_obs_alerts": "3"}`, errKey: "max_obs_alerts"},
		{name: "retries out of range", json: `{"retries": 1000}`, errKey: "retries"},
		{name: "zero timeout", json: `{"timeout": 0}`, errKey: "timeout"},
		{name: "bad timeout", json: `{"timeout": "soon"}`, errKey: "timeout"},
		{name: "bad hash", json: `{"ignore_hashes": ["xyz"]}`, errKey: "ignore_hashes"},
		{name: "unknown extractor", json: `{"disable_extractors": ["nope"]}`, errKey: "disable_extractors"},
		{name: "bad name", json: `{"integration_name": "a:b"}`, errKey: "integration_name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := wazuh.ParseOptions([]byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			got, unknown, err := ParseOptions(raw, builtins)
			if tt.errKey != "" {
				if !errors.Is(err, ErrInvalidOption) && !errors.Is(err, wazuh.ErrInvalidOptions) {
					t.Fatalf("err = %v, want an invalid option error", err)
				}
				if !strings.Contains(err.Error(), tt.errKey) {
					t.Errorf("error %q does not name %s", err, tt.errKey)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateComparable(netip.Prefix{})); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.unknown, unknown); diff != "" {
				t.Errorf("unknown keys (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOptionsApply(t *testing.T) {
	o := Options{MaxIndicatorEvents: ptr(0), MaxObservableEvents: ptr(7), IntegrationName: "cti",
		Timeout: ptr(Duration(3 * time.Second)), IncludePrivateAddresses: true,
		IgnoreHashes: []string{"0123456789abcdef0123456789abcdef"}, DisableExtractors: []string{"generic-addresses"}}
	c := o.Apply(DefaultConfig("https://cti.example/graphql"))
	if c.MaxIndicatorEvents != 0 || c.MaxObservableEvents != 7 || c.Name != "cti" {
		t.Errorf("Apply: %+v", c)
	}
	s := o.Extractors(extract.Default())
	for _, n := range s.Names() {
		if n == "generic-addresses" {
			t.Errorf("generic-addresses not disabled: %v", s.Names())
		}
	}
	p := s.Policy()
	if !p.IncludePrivate || p.IntegrationName != "cti" || len(p.IgnoreHashes) != len(extract.DefaultPolicy().IgnoreHashes)+1 {
		t.Errorf("policy: %+v", p)
	}
	if len(extract.Default().Policy().IgnoreHashes) != len(extract.DefaultPolicy().IgnoreHashes) {
		t.Errorf("Extractors changed the default policy")
	}

	inv := wazuh.Invocation{Timeout: 10 * time.Second, Retries: 3}
	if d, r := o.Limits(inv); d != 3*time.Second || r != 3 {
		t.Errorf("Limits = %v, %d", d, r)
	}
	if d, r := (Options{}).Limits(inv); d != 10*time.Second || r != 3 {
		t.Errorf("Limits without options = %v, %d", d, r)
	}
}
