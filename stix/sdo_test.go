package stix

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func intPtr(n int) *int { return &n }

func TestFormatTimestamp(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2024, 3, 1, 12, 30, 45, 0, time.UTC), "2024-03-01T12:30:45.000Z"},
		{time.Date(2024, 3, 1, 12, 30, 45, 123e6, time.UTC), "2024-03-01T12:30:45.123Z"},
		{time.Date(2024, 3, 1, 13, 30, 45, 100e6, cet), "2024-03-01T12:30:45.100Z"},
		{time.Date(2024, 3, 1, 12, 30, 45, 123456000, time.UTC), "2024-03-01T12:30:45.123456Z"},
		{time.Date(2024, 3, 1, 12, 30, 45, 123456789, time.UTC), "2024-03-01T12:30:45.123456789Z"},
	}
	for _, tt := range tests {
		got := FormatTimestamp(tt.in)
		if got != tt.want {
			t.Errorf("FormatTimestamp(%v) = %s, want %s", tt.in, got, tt.want)
		}
		back, err := ParseTimestamp(got)
		if err != nil || !back.Equal(tt.in) || back.Location() != time.UTC {
			t.Errorf("ParseTimestamp(%s) = %v, %v", got, back, err)
		}
	}
	for _, bad := range []string{"", "2024-03-01", "2024-03-01 12:30:45Z", "yesterday", "2024-13-01T00:00:00Z"} {
		if _, err := ParseTimestamp(bad); !errors.Is(err, ErrInvalidObject) {
			t.Errorf("ParseTimestamp(%q) error %v", bad, err)
		}
	}
}

func fullIndicator(t testing.TB) Indicator {
	return Indicator{
		ID:                 "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade",
		Created:            mustTime(t, "2024-03-01T12:30:45.123Z"),
		Modified:           mustTime(t, "2024-03-02T09:00:00.5Z"),
		Name:               "C2 domain",
		Description:        "C2 <of> & co",
		IndicatorTypes:     []string{"malicious-activity"},
		Pattern:            "[domain-name:value = 'c2.example.org']",
		PatternType:        "stix",
		PatternVersion:     "2.1",
		ValidFrom:          mustTime(t, "2024-03-01T12:30:45Z"),
		ValidUntil:         mustTime(t, "2026-12-31T00:00:00Z"),
		KillChainPhases:    []KillChainPhase{{KillChainName: "mitre-attack", PhaseName: "command-and-control"}},
		Labels:             []string{"c2"},
		Confidence:         intPtr(80),
		Revoked:            true,
		ExternalReferences: []ExternalReference{{SourceName: "report", Description: "d", URL: "https://cti.example/r/1", ExternalID: "R-1"}},
		CreatedByRef:       "identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a",
		ObjectMarkingRefs:  []string{"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"},
		Custom: map[string]json.RawMessage{
			"x_opencti_score":   json.RawMessage(`80`),
			"x_mitre_platforms": json.RawMessage(`["windows", "linux"]`),
		},
	}
}

func minimalIndicator(t testing.TB) Indicator {
	return Indicator{
		ID:          "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade",
		Created:     mustTime(t, "2024-03-01T12:30:45Z"),
		Modified:    mustTime(t, "2024-03-01T12:30:45Z"),
		Pattern:     "[ipv4-addr:value = '198.51.100.7']",
		PatternType: "stix",
		ValidFrom:   mustTime(t, "2024-03-01T12:30:45Z"),
	}
}

func TestIndicatorJSON(t *testing.T) {
	tests := []struct {
		name string
		ind  Indicator
		want string
	}{
		{"minimal", minimalIndicator(t), `{"type":"indicator","spec_version":"2.1","id":"indicator--a932fcc6-e032-476c-826f-cb970a5a1ade",` +
			`"created":"2024-03-01T12:30:45.000Z","modified":"2024-03-01T12:30:45.000Z","pattern":"[ipv4-addr:value = '198.51.100.7']",` +
			`"pattern_type":"stix","valid_from":"2024-03-01T12:30:45.000Z"}`},
		{"full", fullIndicator(t), `{"type":"indicator","spec_version":"2.1","id":"indicator--a932fcc6-e032-476c-826f-cb970a5a1ade",` +
			`"created_by_ref":"identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a","created":"2024-03-01T12:30:45.123Z",` +
			`"modified":"2024-03-02T09:00:00.500Z","name":"C2 domain","description":"C2 \u003cof\u003e \u0026 co",` +
			`"indicator_types":["malicious-activity"],"pattern":"[domain-name:value = 'c2.example.org']","pattern_type":"stix",` +
			`"pattern_version":"2.1","valid_from":"2024-03-01T12:30:45.000Z","valid_until":"2026-12-31T00:00:00.000Z",` +
			`"kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"command-and-control"}],"revoked":true,` +
			`"labels":["c2"],"confidence":80,"external_references":[{"source_name":"report","description":"d",` +
			`"url":"https://cti.example/r/1","external_id":"R-1"}],` +
			`"object_marking_refs":["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"],` +
			`"x_mitre_platforms":["windows","linux"],"x_opencti_score":80}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := json.Marshal(tt.ind)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(data)); diff != "" {
				t.Errorf("Marshal (-want +got):\n%s", diff)
			}
			var back Indicator
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatal(err)
			}
			// Custom values come back compacted.
			want := tt.ind
			if want.Custom != nil {
				want.Custom = map[string]json.RawMessage{}
				for k, v := range tt.ind.Custom {
					want.Custom[k] = json.RawMessage(strings.ReplaceAll(string(v), ", ", ","))
				}
			}
			if diff := cmp.Diff(want, back, cmp.Comparer(time.Time.Equal)); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIndicatorDecodeKeepsUnknownProperties(t *testing.T) {
	in := `{"type":"indicator","spec_version":"2.1","id":"indicator--a932fcc6-e032-476c-826f-cb970a5a1ade",
		"created":"2024-03-01T12:30:45.123456Z","modified":"2024-03-01T12:30:45.123456Z","pattern":"[x:y = 1]",
		"pattern_type":"stix","valid_from":"2024-03-01T12:30:45+01:00","lang":"en",
		"x_opencti_score":50,"x_opencti_detection":true,"granular_markings":[{"selectors":["name"],"lang":"en"}]}`
	var ind Indicator
	if err := json.Unmarshal([]byte(in), &ind); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"granular_markings", "lang", "x_opencti_detection", "x_opencti_score"}, sortedKeys(ind.Custom)); diff != "" {
		t.Errorf("custom keys (-want +got):\n%s", diff)
	}
	if got := FormatTimestamp(ind.ValidFrom); got != "2024-03-01T11:30:45.000Z" {
		t.Errorf("valid_from %s, want UTC", got)
	}
	out, err := json.Marshal(ind)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"x_opencti_score":50`, `"lang":"en"`, `"created":"2024-03-01T12:30:45.123456Z"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("re-encoded %s lacks %s", out, want)
		}
	}
}

func TestIndicatorErrors(t *testing.T) {
	mutate := func(f func(*Indicator)) Indicator {
		ind := minimalIndicator(t)
		f(&ind)
		return ind
	}
	tests := []struct {
		name string
		ind  Indicator
	}{
		{"zero", Indicator{}},
		{"no id", mutate(func(i *Indicator) { i.ID = "" })},
		{"wrong id type", mutate(func(i *Indicator) { i.ID = "malware--a932fcc6-e032-476c-826f-cb970a5a1ade" })},
		{"bad uuid", mutate(func(i *Indicator) { i.ID = "indicator--a932fcc6-e032-076c-826f-cb970a5a1ade" })},
		{"no pattern", mutate(func(i *Indicator) { i.Pattern = "" })},
		{"no pattern type", mutate(func(i *Indicator) { i.PatternType = "" })},
		{"no valid_from", mutate(func(i *Indicator) { i.ValidFrom = time.Time{} })},
		{"no created", mutate(func(i *Indicator) { i.Created = time.Time{} })},
		{"modified before created", mutate(func(i *Indicator) { i.Modified = i.Created.Add(-time.Second) })},
		{"valid_until before valid_from", mutate(func(i *Indicator) { i.ValidUntil = i.ValidFrom })},
		{"confidence", mutate(func(i *Indicator) { i.Confidence = intPtr(101) })},
		{"kill chain", mutate(func(i *Indicator) { i.KillChainPhases = []KillChainPhase{{KillChainName: "x"}} })},
		{"external ref", mutate(func(i *Indicator) { i.ExternalReferences = []ExternalReference{{URL: "https://x.example"}} })},
		{"external ref empty", mutate(func(i *Indicator) { i.ExternalReferences = []ExternalReference{{SourceName: "x"}} })},
		{"created_by_ref", mutate(func(i *Indicator) { i.CreatedByRef = "nobody" })},
		{"marking ref", mutate(func(i *Indicator) { i.ObjectMarkingRefs = []string{"identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a"} })},
		{"custom collides", mutate(func(i *Indicator) { i.Custom = map[string]json.RawMessage{"pattern": json.RawMessage(`"x"`)} })},
		{"custom invalid", mutate(func(i *Indicator) { i.Custom = map[string]json.RawMessage{"x_a": json.RawMessage(`{`)} })},
	}
	for _, tt := range tests {
		if _, err := json.Marshal(tt.ind); err == nil || !errors.Is(err, ErrInvalidObject) {
			t.Errorf("%s: marshal error %v, want ErrInvalidObject", tt.name, err)
		}
	}
	for _, in := range []string{
		`{"type":"malware","id":"malware--a932fcc6-e032-476c-826f-cb970a5a1ade"}`,
		`{"type":"indicator","created":"not a time"}`,
		`{"type":"indicator","valid_from":12}`,
		`{"type":"indicator","labels":"x"}`,
		`[]`,
		`{`,
	} {
		var ind Indicator
		if err := json.Unmarshal([]byte(in), &ind); err == nil {
			t.Errorf("Unmarshal(%s) succeeded", in)
		}
	}
}

func TestRelationshipJSON(t *testing.T) {
	r := Relationship{
		ID:               "relationship--0a3fd8b7-5e12-4c9a-b1d0-6b2a0d3c9e11",
		RelationshipType: "based-on",
		SourceRef:        "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade",
		TargetRef:        "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7",
		Created:          mustTime(t, "2024-03-01T12:30:45Z"),
		Modified:         mustTime(t, "2024-03-01T12:30:45Z"),
		Custom:           map[string]json.RawMessage{"x_opencti_weight": json.RawMessage(`1`)},
	}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"relationship","spec_version":"2.1","id":"relationship--0a3fd8b7-5e12-4c9a-b1d0-6b2a0d3c9e11",` +
		`"created":"2024-03-01T12:30:45.000Z","modified":"2024-03-01T12:30:45.000Z","relationship_type":"based-on",` +
		`"source_ref":"indicator--a932fcc6-e032-476c-826f-cb970a5a1ade","target_ref":"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7",` +
		`"x_opencti_weight":1}`
	if diff := cmp.Diff(want, string(data)); diff != "" {
		t.Errorf("Marshal (-want +got):\n%s", diff)
	}
	var back Relationship
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, back, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	bad := []func(*Relationship){
		func(r *Relationship) { r.RelationshipType = "Based On" },
		func(r *Relationship) { r.RelationshipType = "" },
		func(r *Relationship) { r.SourceRef = "" },
		func(r *Relationship) { r.TargetRef = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82" },
		func(r *Relationship) { r.ID = "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade" },
		func(r *Relationship) { r.Modified = time.Time{} },
	}
	for i, f := range bad {
		r2 := r
		f(&r2)
		if _, err := json.Marshal(r2); !errors.Is(err, ErrInvalidObject) {
			t.Errorf("bad relationship %d: error %v", i, err)
		}
	}
}

func TestMarkingDefinitionJSON(t *testing.T) {
	m := MarkingDefinition{
		ID:             "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
		Name:           "TLP:AMBER",
		DefinitionType: "tlp",
		Definition:     map[string]string{"tlp": "amber"},
		Created:        mustTime(t, "2017-01-20T00:00:00Z"),
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",` +
		`"created":"2017-01-20T00:00:00.000Z","name":"TLP:AMBER","definition_type":"tlp","definition":{"tlp":"amber"}}`
	if diff := cmp.Diff(want, string(data)); diff != "" {
		t.Errorf("Marshal (-want +got):\n%s", diff)
	}
	var back MarkingDefinition
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, back, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	ext := MarkingDefinition{ID: m.ID, Created: m.Created, Custom: map[string]json.RawMessage{
		"extensions": json.RawMessage(`{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension","tlp_2_0":"amber"}}`),
	}}
	if _, err := json.Marshal(ext); err != nil {
		t.Errorf("marking with extensions: %v", err)
	}
	if _, err := json.Marshal(MarkingDefinition{ID: m.ID, Created: m.Created}); !errors.Is(err, ErrInvalidObject) {
		t.Errorf("marking without definition: error %v", err)
	}
	if err := json.Unmarshal([]byte(`{"type":"marking-definition","definition":{"tlp":1}}`), &back); err == nil {
		t.Errorf("non-string definition accepted")
	}
}

func TestIdentityJSON(t *testing.T) {
	i := Identity{
		ID:            "identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a",
		Name:          "Example CERT",
		IdentityClass: "organization",
		Created:       mustTime(t, "2024-01-10T08:00:00Z"),
		Modified:      mustTime(t, "2024-01-10T08:00:00Z"),
	}
	data, err := json.Marshal(i)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"identity","spec_version":"2.1","id":"identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a",` +
		`"created":"2024-01-10T08:00:00.000Z","modified":"2024-01-10T08:00:00.000Z","name":"Example CERT","identity_class":"organization"}`
	if diff := cmp.Diff(want, string(data)); diff != "" {
		t.Errorf("Marshal (-want +got):\n%s", diff)
	}
	var back Identity
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(i, back, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	i.Name = ""
	if _, err := json.Marshal(i); !errors.Is(err, ErrInvalidObject) {
		t.Errorf("identity without name: error %v", err)
	}
}

func TestParseID(t *testing.T) {
	tests := []struct {
		in, typ string
	}{
		{"indicator--a932fcc6-e032-476c-826f-cb970a5a1ade", "indicator"},
		{"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7", "domain-name"},
		{"x-custom-thing--11111111-2222-1333-8444-555555555555", "x-custom-thing"},
		{"file--AAAAAAAA-BBBB-4CCC-BDDD-EEEEEEEEEEEE", "file"},
		{"", ""},
		{"indicator", ""},
		{"indicator--", ""},
		{"indicator--a932fcc6e032476c826fcb970a5a1ade", ""},
		{"indicator--a932fcc6-e032-676c-826f-cb970a5a1ade", ""}, // version 6
		{"indicator--a932fcc6-e032-476c-c26f-cb970a5a1ade", ""}, // variant
		{"indicator--a932fcc6-e032-476c-826f-cb970a5a1adz", ""},
		{"Indicator--a932fcc6-e032-476c-826f-cb970a5a1ade", ""},
		{"ab--a932fcc6-e032-476c-826f-cb970a5a1ade", ""},
		{"a--b--a932fcc6-e032-476c-826f-cb970a5a1ade", ""},
		{"abc---a932fcc6-e032-476c-826f-cb970a5a1ade", ""}, // type "abc-": no final hyphen
		{"--a932fcc6-e032-476c-826f-cb970a5a1ade", ""},
	}
	for _, tt := range tests {
		typ, _, err := ParseID(tt.in)
		if tt.typ == "" {
			if err == nil || !errors.Is(err, ErrInvalidObject) {
				t.Errorf("ParseID(%q) = %q, %v; want an error", tt.in, typ, err)
			}
			continue
		}
		if err != nil || typ != tt.typ {
			t.Errorf("ParseID(%q) = %q, %v; want %q", tt.in, typ, err, tt.typ)
		}
	}
	for range 10 {
		id := NewID("indicator")
		if typ, _, err := ParseID(id); err != nil || typ != "indicator" || id[14+11] != '4' {
			t.Errorf("NewID: %s %v", id, err)
		}
	}
}
