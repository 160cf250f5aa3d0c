package openctitest

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// Objects for bundles of the loading tests.
const (
	author    = `{"type":"identity","spec_version":"2.1","id":"identity--11111111-1111-4111-8111-111111111111","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Author","identity_class":"individual"}`
	tlpGreen  = `{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"green"}}`
	ipObject  = `{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","value":"198.51.100.3"}`
	ipID      = "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"
	indObject = `{"type":"indicator","spec_version":"2.1","id":"indicator--22222222-2222-4222-8222-222222222222","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"x","pattern":"[ipv4-addr:value = '198.51.100.3']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00.000Z"}`
	indID     = "indicator--22222222-2222-4222-8222-222222222222"
	malware   = `{"type":"malware","spec_version":"2.1","id":"malware--33333333-3333-4333-8333-333333333333","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Gadget","is_family":true}`
)

func bundleOf(objects ...string) string {
	return `{"type":"bundle","id":"bundle--44444444-4444-4444-8444-444444444444","objects":[` + strings.Join(objects, ",") + `]}`
}

func relationshipObject(id, typ, src, tgt string) string {
	return `{"type":"relationship","spec_version":"2.1","id":"relationship--` + id + `","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","relationship_type":"` + typ + `","source_ref":"` + src + `","target_ref":"` + tgt + `"}`
}

func with(object, extra string) string {
	return strings.TrimSuffix(object, "}") + "," + extra + "}"
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name   string
		bundle string
		want   string // in the error message
	}{
		{"duplicate id", bundleOf(ipObject, ipObject), ipID + ": the id appears twice"},
		{"same value twice", bundleOf(ipObject, strings.Replace(ipObject, "28bb3599-77cd-5a82-a950-b5bc3caf07c4", "00000000-0000-4000-8000-000000000001", 1)),
			"ipv4-addr--00000000-0000-4000-8000-000000000001: it is the same object as " + ipID},
		{"invalid observable value", bundleOf(strings.Replace(ipObject, "198.51.100.3", "198.51.100.300", 1)), ipID + ": "},
		{"indicator without pattern", bundleOf(strings.Replace(indObject, `"pattern":"[ipv4-addr:value = '198.51.100.3']",`, "", 1)), indID + ": "},
		{"dangling created_by_ref", bundleOf(with(indObject, `"created_by_ref":"identity--11111111-1111-4111-8111-111111111111"`)),
			indID + ": created_by_ref identity--11111111-1111-4111-8111-111111111111 is not in the bundle"},
		{"created_by_ref to a non-identity", bundleOf(malware, with(indObject, `"created_by_ref":"malware--33333333-3333-4333-8333-333333333333"`)),
			"created_by_ref malware--33333333-3333-4333-8333-333333333333 is a malware, not an identity"},
		{"dangling marking", bundleOf(with(ipObject, `"object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]`)),
			ipID + ": object_marking_refs marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da is not in the bundle"},
		{"dangling SCO author", bundleOf(with(ipObject, `"x_opencti_created_by_ref":"identity--11111111-1111-4111-8111-999999999999"`)),
			"created_by_ref identity--11111111-1111-4111-8111-999999999999 is not in the bundle"},
		{"relationship to a missing object", bundleOf(ipObject, relationshipObject("55555555-5555-4555-8555-555555555555", "based-on", indID, ipID)),
			"relationship--55555555-5555-4555-8555-555555555555: source_ref " + indID + " is not in the bundle"},
		{"based-on the wrong way", bundleOf(ipObject, indObject, relationshipObject("55555555-5555-4555-8555-555555555555", "based-on", ipID, indID)),
			"a based-on relationship goes from an indicator to an observable"},
		{"score not a number", bundleOf(with(ipObject, `"x_opencti_score":"high"`)), ipID + ": x_opencti_score is not an integer"},
		{"marking without definition", bundleOf(`{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--66666666-6666-4666-8666-666666666666","created":"2026-01-01T00:00:00.000Z","definition_type":"statement","definition":{"a":"x","b":"y"}}`),
			"marking-definition--66666666-6666-4666-8666-666666666666: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := stix.DecodeBundle(strings.NewReader(tc.bundle))
			if err != nil {
				t.Fatalf("the test's bundle does not decode: %v", err)
			}
			_, err = NewHandler(b)
			if !errors.Is(err, ErrInvalidBundle) {
				t.Fatalf("NewHandler: %v, want an error matching ErrInvalidBundle", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
	if _, err := NewHandler(nil); !errors.Is(err, ErrInvalidBundle) {
		t.Errorf("NewHandler(nil): %v", err)
	}
}

// TestLoadAccepts covers what is served from bundles that are not the
// demo: objects of other types, bad patterns, OpenCTI's export forms.
func TestLoadAccepts(t *testing.T) {
	badPattern := strings.Replace(indObject, `[ipv4-addr:value = '198.51.100.3']`, `[ipv4-addr:value = ]`, 1)
	extension := `"extensions":{"extension-definition--f93e2c80-4231-4f9a-af8b-95c9bd566a82":{"extension_type":"property-extension","id":"0b7e4c9e-3a51-4c51-9f0c-5a8e3c1d2f44","score":"42","labels":["from-extension"],"created_by_ref":"identity--11111111-1111-4111-8111-111111111111","created_at":"2026-02-02T02:02:02.000Z"}}`
	b := decodeBundle(t, bundleOf(author, tlpGreen, malware,
		with(ipObject, extension+`,"object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]`),
		badPattern,
		relationshipObject("55555555-5555-4555-8555-555555555555", "based-on", indID, ipID),
		relationshipObject("77777777-7777-4777-8777-777777777777", "indicates", indID, "malware--33333333-3333-4333-8333-333333333333"),
	))
	s, err := loadBundle(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.observables) != 1 || len(s.indicators) != 1 || len(s.relationships) != 1 {
		t.Fatalf("served %d observables, %d indicators, %d relationships; want 1 each (the malware and its relationship are not served)",
			len(s.observables), len(s.indicators), len(s.relationships))
	}
	o := s.observables[0]
	got := []any{o.internalID, *o.score, o.labels, o.createdBy.name, o.markings[0].definition, o.createdAt.Format("2006-01-02"), o.indicators[0].pattern, o.indicators[0].mainObservableType}
	want := []any{"0b7e4c9e-3a51-4c51-9f0c-5a8e3c1d2f44", 42, []string{"from-extension"}, "Author", "TLP:GREEN", "2026-02-02", "[ipv4-addr:value = ]", "Unknown"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("[internal id, score, labels, author, marking, created_at, pattern, main type] (-want +got):\n%s", diff)
	}
	if s.byID[ipID] != o || s.byID[o.internalID] != o {
		t.Error("the observable is not found by its ids")
	}
}

// TestDemoBundle checks that the demo bundle is valid, that every object in
// it is served, and that its observables carry their deterministic ids.
func TestDemoBundle(t *testing.T) {
	b, err := stix.DecodeBundle(strings.NewReader(string(DemoBundleJSON())))
	if err != nil {
		t.Fatal(err)
	}
	s, err := loadBundle(b)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, r := range s.relationships {
		used[r.bundleID] = true
	}
	for _, o := range s.observables {
		used[o.bundleID] = true
		if o.bundleID != o.standardID {
			t.Errorf("%s: the deterministic id is %s", o.bundleID, o.standardID)
		}
	}
	for _, in := range s.indicators {
		used[in.bundleID] = true
		if _, err := stix.ParsePattern(in.pattern); err != nil {
			t.Errorf("%s: pattern %q: %v", in.bundleID, in.pattern, err)
		}
	}
	for _, list := range [][]node{nodes(s.observables), nodes(s.indicators), nodes(s.relationships)} {
		for _, n := range list {
			e := n.base()
			if e.createdBy != nil {
				used[e.createdBy.standardID] = true
			}
			for _, m := range e.markings {
				used[m.standardID] = true
			}
		}
	}
	for _, o := range b.Objects {
		if !used[o.ID] {
			t.Errorf("%s is in the demo bundle but not served", o.ID)
		}
	}
	// Each observable of the demo has an indicator or a relationship.
	for _, o := range s.observables {
		if len(o.indicators) == 0 && len(o.relations) == 0 {
			t.Errorf("%s demonstrates nothing", o.observableValue())
		}
	}
	// The demo values are in documentation ranges and reserved names.
	for _, o := range s.observables {
		v := o.observableValue()
		ok := false
		for _, suffix := range []string{".example", ".example/stage2.bin"} {
			ok = ok || strings.HasSuffix(v, suffix) || strings.Contains(v, suffix)
		}
		for _, prefix := range []string{"198.51.100.", "203.0.113.", "192.0.2.", "2001:db8:"} {
			ok = ok || strings.HasPrefix(v, prefix)
		}
		ok = ok || o.entityType == "StixFile"
		if !ok {
			t.Errorf("%s is not a documentation value", v)
		}
	}
}

func nodes[T node](list []T) []node {
	out := make([]node, len(list))
	for i, n := range list {
		out[i] = n
	}
	return out
}

func TestMainObservableType(t *testing.T) {
	tests := []struct{ pattern, patternType, want string }{
		{"[ipv4-addr:value = '198.51.100.1']", "stix", "IPv4-Addr"},
		{"[file:hashes.MD5 = 'e1e2287c5fb63e3ae5d93e6d9e4850a8' OR file:name = 'x']", "stix", "StixFile"},
		{"[domain-name:value = 'a.example'] OR [ipv4-addr:value = '198.51.100.1']", "stix", "Unknown"},
		{"[process:name = 'x']", "stix", "Unknown"},
		{"not a pattern", "stix", "Unknown"},
		{"rule x { condition: true }", "yara", "Unknown"},
	}
	for _, tc := range tests {
		if got := mainObservableType(tc.pattern, tc.patternType); got != tc.want {
			t.Errorf("mainObservableType(%q, %q) = %q, want %q", tc.pattern, tc.patternType, got, tc.want)
		}
	}
}

func TestUUID5(t *testing.T) {
	// The STIX 2.1 specification's example: {"value":"198.51.100.3"} in
	// the SCO namespace.
	ns := [16]byte{0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c, 0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7}
	if got := uuid5(ns, `{"value":"198.51.100.3"}`); got != "28bb3599-77cd-5a82-a950-b5bc3caf07c4" {
		t.Errorf("uuid5 = %s", got)
	}
}

func TestIsUUID(t *testing.T) {
	for s, want := range map[string]bool{
		"6ba7b810-9dad-11d1-80b4-00c04fd430c8": true,
		"5ac33459-b42a-52f9-b1fd-1eaff0feaa24": true,
		"5AC33459-b42a-52f9-b1fd-1eaff0feaa24": false, // upper case
		"5ac33459-b42a-02f9-b1fd-1eaff0feaa24": false, // version 0
		"5ac33459-b42a-52f9-71fd-1eaff0feaa24": false, // variant
		"5ac33459b42a-52f9-b1fd-1eaff0feaa24-": false,
		"5ac33459-b42a-52f9-b1fd-1eaff0feaa2":  false,
		"":                                     false,
	} {
		if got := isUUID(s); got != want {
			t.Errorf("isUUID(%q) = %v, want %v", s, got, want)
		}
	}
}
