package opencti

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

func TestIndicatorSTIX(t *testing.T) {
	at := func(s string) time.Time { return must(time.Parse(time.RFC3339, s)) }
	tests := []struct {
		name string
		in   Indicator
		want stix.Indicator
	}{
		{
			name: "every field",
			in: Indicator{
				ID: "5d0c7a9e", StandardID: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
				Name: "C2 address", Description: "Seen in campaign X",
				Pattern: "[ipv4-addr:value = '198.51.100.7']", PatternType: "stix", PatternVersion: "2.1",
				MainObservableType: "IPv4-Addr",
				ValidFrom:          at("2026-03-01T00:00:00Z"), ValidUntil: ptr(at("2026-09-01T00:00:00Z")),
				Confidence: ptr(75), Score: ptr(0), Detection: ptr(false),
				IndicatorTypes:     []string{"malicious-activity"},
				Platforms:          []string{"windows"},
				KillChainPhases:    []stix.KillChainPhase{{KillChainName: "mitre-attack", PhaseName: "command-and-control"}},
				Labels:             []string{"c2"},
				Markings:           []Marking{{DefinitionType: "TLP", Definition: "TLP:AMBER", StandardID: "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"}},
				CreatedBy:          &Identity{ID: "org-1", StandardID: "identity--0b9a6c3e-3c1d-5a0b-9d2e-5b0c1d2e3f40", Name: "CERT Example"},
				ExternalReferences: []ExternalReference{{SourceName: "mitre-attack", URL: "https://attack.mitre.org/techniques/T1071/", ExternalID: "T1071"}},
				Created:            at("2026-02-28T09:00:00Z"), Modified: at("2026-03-01T09:00:00Z"),
				CreatedAt: at("2026-03-01T10:00:01Z"), UpdatedAt: at("2026-03-02T11:30:01Z"),
			},
			want: stix.Indicator{
				ID:      "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
				Created: at("2026-02-28T09:00:00Z"), Modified: at("2026-03-01T09:00:00Z"),
				Name: "C2 address", Description: "Seen in campaign X",
				IndicatorTypes: []string{"malicious-activity"},
				Pattern:        "[ipv4-addr:value = '198.51.100.7']", PatternType: "stix", PatternVersion: "2.1",
				ValidFrom: at("2026-03-01T00:00:00Z"), ValidUntil: at("2026-09-01T00:00:00Z"),
				KillChainPhases:    []stix.KillChainPhase{{KillChainName: "mitre-attack", PhaseName: "command-and-control"}},
				Labels:             []string{"c2"},
				Confidence:         ptr(75),
				ExternalReferences: []stix.ExternalReference{{SourceName: "mitre-attack", URL: "https://attack.mitre.org/techniques/T1071/", ExternalID: "T1071"}},
				CreatedByRef:       "identity--0b9a6c3e-3c1d-5a0b-9d2e-5b0c1d2e3f40",
				ObjectMarkingRefs:  []string{"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"},
				Custom: map[string]json.RawMessage{
					"x_opencti_score":                json.RawMessage(`0`),
					"x_opencti_detection":            json.RawMessage(`false`),
					"x_opencti_main_observable_type": json.RawMessage(`"IPv4-Addr"`),
					"x_mitre_platforms":              json.RawMessage(`["windows"]`),
				},
			},
		},
		{
			name: "nulls; OpenCTI times stand in for missing STIX times",
			in: Indicator{
				StandardID: "indicator--0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5", Name: "Dropper",
				Pattern: "[file:name = 'x.exe']", PatternType: "stix", Revoked: true,
				CreatedAt: at("2026-03-03T08:00:01Z"), UpdatedAt: at("2026-03-04T08:00:01Z"),
			},
			want: stix.Indicator{
				ID: "indicator--0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5", Name: "Dropper",
				Created: at("2026-03-03T08:00:01Z"), Modified: at("2026-03-04T08:00:01Z"),
				ValidFrom: at("2026-03-03T08:00:01Z"),
				Pattern:   "[file:name = 'x.exe']", PatternType: "stix", Revoked: true,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in.STIX()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("STIX() (-want +got):\n%s", diff)
			}
			if _, err := json.Marshal(got); err != nil {
				t.Errorf("the STIX indicator does not marshal: %v", err)
			}
		})
	}
}

func TestIndicatorExpired(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		until *time.Time
		want  bool
	}{
		{nil, false},
		{ptr(time.Time{}), false},
		{ptr(now.Add(-time.Second)), true},
		{ptr(now.Add(time.Hour)), false},
	}
	for _, tt := range tests {
		if got := (Indicator{ValidUntil: tt.until}).Expired(now); got != tt.want {
			t.Errorf("Expired with ValidUntil %v = %t, want %t", tt.until, got, tt.want)
		}
	}
}

func TestNormaliseHash(t *testing.T) {
	tests := []struct{ alg, value, wantAlg, wantValue string }{
		{"SHA-256", "ABCDEF", "SHA-256", "abcdef"},
		{"sha256", " AB ", "SHA-256", "ab"},
		{"md5", "AA", "MD5", "aa"},
		{"SSDEEP", "3:AbC:dEf", "SSDEEP", "3:AbC:dEf"},
		{"TLSH", "T1ABC", "TLSH", "T1ABC"},
	}
	for _, tt := range tests {
		alg, value := normaliseHash(tt.alg, tt.value)
		if alg != tt.wantAlg || value != tt.wantValue {
			t.Errorf("normaliseHash(%q, %q) = %q, %q; want %q, %q", tt.alg, tt.value, alg, value, tt.wantAlg, tt.wantValue)
		}
	}
}
