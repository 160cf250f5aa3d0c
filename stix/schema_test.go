package stix_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/internal/stixschema"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// These tests validate what the package writes against the official STIX
// 2.1 JSON schemas; they skip when STIX2_JSON_SCHEMAS is unset.

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestSchemaObservables(t *testing.T) {
	v := stixschema.ForTest(t)
	md5 := must(stix.NewHash(stix.MD5, "D41D8CD98F00B204E9800998ECF8427E"))
	sha1 := must(stix.NewHash(stix.SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"))
	sha256 := must(stix.NewHash(stix.SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
	sha512 := must(stix.NewHash(stix.SHA512, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"))
	tests := []struct {
		schema string
		obs    stix.Observable
	}{
		{"observables/file.json", must(stix.NewFile("invoice.pdf.exe", md5, sha1, sha256, sha512)).WithSize(0)},
		{"observables/file.json", must(stix.NewFile("", sha256))},
		{"observables/file.json", must(stix.NewFile("C:\\Users\\o'brien\\<x>.dll")).WithSize(1 << 40)},
		{"observables/ipv4-addr.json", must(stix.NewIPv4Addr("198.51.100.3"))},
		{"observables/ipv4-addr.json", must(stix.NewIPv4Addr("198.51.100.0/24"))},
		{"observables/ipv6-addr.json", must(stix.NewIPv6Addr("2001:db8::7"))},
		{"observables/ipv6-addr.json", must(stix.NewIPv6Addr("2001:db8::/32"))},
		{"observables/domain-name.json", must(stix.NewDomainName("bücher.example"))},
		{"observables/url.json", must(stix.NewURL("https://evil.example:8443/a/b?c=d&e='f'#g"))},
		{"observables/email-addr.json", must(stix.NewEmailAddr("phish@evil.example"))},
		{"common/cyber-observable-core.json", must(stix.NewHostname("ws-fin-0231"))},
	}
	for _, tt := range tests {
		if err := v.Validate(tt.schema, tt.obs); err != nil {
			t.Errorf("%s %v: %v", tt.obs.Type(), tt.obs, err)
		}
	}
}

func indicators(t *testing.T) (full, minimal stix.Indicator) {
	ts := func(s string) time.Time { return must(stix.ParseTimestamp(s)) }
	conf := 75
	full = stix.Indicator{
		ID:                 "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade",
		Created:            ts("2024-03-01T12:30:45.123Z"),
		Modified:           ts("2024-03-02T09:00:00.5Z"),
		Name:               "C2 domain",
		Description:        "Command and control",
		IndicatorTypes:     []string{"malicious-activity", "attribution"},
		Pattern:            "[domain-name:value = 'c2.example.org']",
		PatternType:        "stix",
		PatternVersion:     "2.1",
		ValidFrom:          ts("2024-03-01T12:30:45Z"),
		ValidUntil:         ts("2026-12-31T00:00:00Z"),
		KillChainPhases:    []stix.KillChainPhase{{KillChainName: "mitre-attack", PhaseName: "command-and-control"}},
		Labels:             []string{"c2"},
		Confidence:         &conf,
		Revoked:            true,
		ExternalReferences: []stix.ExternalReference{{SourceName: "cti", URL: "https://cti.example/r/1", ExternalID: "R-1", Description: "report"}},
		CreatedByRef:       "identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a",
		ObjectMarkingRefs:  []string{"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"},
		Custom: map[string]json.RawMessage{
			"x_opencti_score":     json.RawMessage(`80`),
			"x_opencti_detection": json.RawMessage(`true`),
			"x_mitre_platforms":   json.RawMessage(`["windows"]`),
		},
	}
	minimal = stix.Indicator{
		ID:          stix.NewID("indicator"),
		Created:     ts("2024-03-01T12:30:45Z"),
		Modified:    ts("2024-03-01T12:30:45Z"),
		Pattern:     "[ipv4-addr:value = '198.51.100.7']",
		PatternType: "stix",
		ValidFrom:   ts("2024-03-01T12:30:45Z"),
	}
	return full, minimal
}

func TestSchemaIndicator(t *testing.T) {
	v := stixschema.ForTest(t)
	full, minimal := indicators(t)
	for name, ind := range map[string]stix.Indicator{"full": full, "minimal": minimal} {
		if err := v.Validate("sdos/indicator.json", ind); err != nil {
			t.Errorf("%s indicator: %v", name, err)
		}
	}
}

// TestSchemaValidationCatchesErrors makes sure the validator is not
// vacuous: documents that break the schema are rejected.
func TestSchemaValidationCatchesErrors(t *testing.T) {
	v := stixschema.ForTest(t)
	_, minimal := indicators(t)
	data := must(json.Marshal(minimal))
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	broken := map[string]func(map[string]any){
		"no pattern":             func(m map[string]any) { delete(m, "pattern") },
		"no valid_from":          func(m map[string]any) { delete(m, "valid_from") },
		"seconds-only created":   func(m map[string]any) { m["created"] = "2024-03-01T12:30:45Z" },
		"id of another type":     func(m map[string]any) { m["id"] = "malware--a932fcc6-e032-476c-826f-cb970a5a1ade" },
		"empty labels":           func(m map[string]any) { m["labels"] = []any{} },
		"confidence over 100":    func(m map[string]any) { m["confidence"] = 101 },
		"upper-case custom name": func(m map[string]any) { m["X_Score"] = 1 },
	}
	for name, f := range broken {
		c := make(map[string]any, len(m))
		for k, x := range m {
			c[k] = x
		}
		f(c)
		if err := v.Validate("sdos/indicator.json", c); err == nil {
			t.Errorf("indicator with %s passed validation", name)
		}
	}
	noValue := `{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"}`
	if err := v.ValidateJSON("observables/ipv4-addr.json", []byte(noValue)); err == nil {
		t.Errorf("ipv4-addr without value passed validation")
	}
}

func TestSchemaRelationshipMarkingIdentity(t *testing.T) {
	v := stixschema.ForTest(t)
	ts := must(stix.ParseTimestamp("2024-03-01T12:30:45.123Z"))
	dn := must(stix.NewDomainName("c2.example.org"))
	tests := []struct {
		schema string
		obj    json.Marshaler
	}{
		{"sros/relationship.json", stix.Relationship{
			ID: stix.NewID("relationship"), RelationshipType: "based-on", Description: "d",
			SourceRef: "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade", TargetRef: dn.ID(),
			Created: ts, Modified: ts, CreatedByRef: "identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a",
			Labels: []string{"x"}, ExternalReferences: []stix.ExternalReference{{SourceName: "s", ExternalID: "1"}},
			ObjectMarkingRefs: []string{"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"},
			Custom:            map[string]json.RawMessage{"x_opencti_weight": json.RawMessage(`1`)},
		}},
		{"common/marking-definition.json", stix.MarkingDefinition{
			ID: "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Name: "TLP:AMBER",
			DefinitionType: "tlp", Definition: map[string]string{"tlp": "amber"},
			Created: must(stix.ParseTimestamp("2017-01-20T00:00:00Z")),
		}},
		{"common/marking-definition.json", stix.MarkingDefinition{
			ID: stix.NewID("marking-definition"), Name: "TLP:AMBER+STRICT",
			DefinitionType: "TLP", Definition: map[string]string{"TLP": "TLP:AMBER+STRICT"}, Created: ts,
		}},
		{"common/marking-definition.json", stix.MarkingDefinition{
			ID: stix.NewID("marking-definition"), DefinitionType: "statement",
			Definition: map[string]string{"statement": "Copyright Example"}, Created: ts,
		}},
		{"sdos/identity.json", stix.Identity{
			ID: "identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a", Name: "Example CERT", Description: "d",
			IdentityClass: "organization", Created: ts, Modified: ts,
		}},
	}
	for _, tt := range tests {
		if err := v.Validate(tt.schema, tt.obj); err != nil {
			t.Errorf("%T: %v", tt.obj, err)
		}
	}
}

func TestSchemaBundle(t *testing.T) {
	v := stixschema.ForTest(t)
	full, minimal := indicators(t)
	var objs []stix.Object
	for _, m := range []json.Marshaler{
		full, minimal,
		must(stix.NewIPv4Addr("198.51.100.7")),
		must(stix.NewFile("a.exe", must(stix.NewHash(stix.SHA256, strings.Repeat("ab", 32))))),
		must(stix.NewHostname("ws-1")),
		stix.Identity{ID: "identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a", Name: "CERT", Created: full.Created, Modified: full.Created},
	} {
		objs = append(objs, must(stix.NewObject(m)))
	}
	b := &stix.Bundle{ID: stix.NewID("bundle"), Objects: objs}
	if err := v.Validate("common/bundle.json", b); err != nil {
		t.Errorf("bundle: %v", err)
	}
	// The test bundle, decoded and encoded again, is valid too.
	f, err := os.Open("testdata/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	decoded, err := stix.DecodeBundle(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Validate("common/bundle.json", decoded); err != nil {
		t.Errorf("testdata/bundle.json: %v", err)
	}
}
