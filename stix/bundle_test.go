package stix

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readBundle(t *testing.T) *Bundle {
	t.Helper()
	f, err := os.Open("testdata/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := DecodeBundle(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeBundle(t *testing.T) {
	b := readBundle(t)
	var got []string
	for _, o := range b.Objects {
		got = append(got, o.Type+" "+o.ID)
	}
	want := []string{
		"identity identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a",
		"marking-definition marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
		"indicator indicator--a932fcc6-e032-476c-826f-cb970a5a1ade",
		"domain-name domain-name--44e7c539-1d97-5c97-b567-f6b693bd515f",
		"relationship relationship--0a3fd8b7-5e12-4c9a-b1d0-6b2a0d3c9e11",
		"file file--a02d69c5-2e12-5d66-aa3b-6ae5039dc91b",
		"x-custom-thing x-custom-thing--11111111-2222-4333-8444-555555555555",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("objects (-want +got):\n%s", diff)
	}

	idy, err := b.Objects[0].Identity()
	if err != nil || idy.Name != "Example CERT" || string(idy.Custom["x_opencti_organization_type"]) != `"CSIRT"` {
		t.Errorf("Identity() = %+v, %v", idy, err)
	}
	m, err := b.Objects[1].MarkingDefinition()
	if err != nil || m.Definition["tlp"] != "amber" {
		t.Errorf("MarkingDefinition() = %+v, %v", m, err)
	}
	ind, err := b.Objects[2].Indicator()
	if err != nil {
		t.Fatal(err)
	}
	if ind.Name != "C2 domain" || *ind.Confidence != 80 || FormatTimestamp(ind.Modified) != "2024-03-02T09:00:00.500Z" ||
		string(ind.Custom["x_opencti_score"]) != "80" || len(ind.Custom) != 3 {
		t.Errorf("Indicator() = %+v", ind)
	}
	c, err := b.Objects[2].Common()
	if err != nil || c.CreatedByRef != idy.ID || c.Labels[0] != "c2" || len(c.Custom) != 3 || c.Type != "indicator" {
		t.Errorf("Common() = %+v, %v", c, err)
	}
	obs, err := b.Objects[3].Observable()
	if err != nil || obs.String() != "c2.example.org" || obs.ID() != b.Objects[3].ID {
		t.Errorf("Observable() = %v, %v", obs, err)
	}
	r, err := b.Objects[4].Relationship()
	if err != nil || r.SourceRef != ind.ID || r.TargetRef != b.Objects[3].ID {
		t.Errorf("Relationship() = %+v, %v", r, err)
	}
	f, err := b.Objects[5].Observable()
	if err != nil || f.(File).Hashes()[1].Value != sha256Empty || f.ID() != b.Objects[5].ID {
		t.Errorf("file Observable() = %v, %v", f, err)
	}
	if _, err := b.Objects[6].Observable(); !errors.Is(err, ErrUnsupported) {
		t.Errorf("custom object as observable: %v", err)
	}
	// The accessors refuse other types.
	if _, err := b.Objects[0].Indicator(); !errors.Is(err, ErrInvalidObject) {
		t.Errorf("identity as indicator: %v", err)
	}
	if _, err := b.Objects[2].Relationship(); !errors.Is(err, ErrInvalidObject) {
		t.Errorf("indicator as relationship: %v", err)
	}
}

func TestBundleRoundTrip(t *testing.T) {
	b := readBundle(t)
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := os.ReadFile("testdata/bundle.json")
	var want, got any
	if err := json.Unmarshal(orig, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bundle changed on re-encoding (-want +got):\n%s", diff)
	}
	again, err := DecodeBundle(bytes.NewReader(data))
	if err != nil || len(again.Objects) != len(b.Objects) {
		t.Errorf("re-decode: %v", err)
	}
}

func TestNewObjectAndBundle(t *testing.T) {
	ip, _ := NewIPv4Addr("198.51.100.3")
	ind := minimalIndicator(t)
	var objs []Object
	for _, v := range []json.Marshaler{ip, ind} {
		o, err := NewObject(v)
		if err != nil {
			t.Fatal(err)
		}
		objs = append(objs, o)
	}
	if objs[0].Type != TypeIPv4Addr || objs[0].ID != ip.ID() || objs[1].ID != ind.ID {
		t.Errorf("objects %+v", objs)
	}
	b := &Bundle{ID: "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", Objects: objs}
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeBundle(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(b, back, cmp.AllowUnexported(Object{})); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	empty, err := json.Marshal(&Bundle{ID: b.ID})
	if err != nil || string(empty) != `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"}` {
		t.Errorf("empty bundle: %s, %v", empty, err)
	}
	if _, err := json.Marshal(&Bundle{}); !errors.Is(err, ErrInvalidBundle) {
		t.Errorf("bundle without id: %v", err)
	}
	if _, err := json.Marshal(&Bundle{ID: b.ID, Objects: []Object{{}}}); !errors.Is(err, ErrInvalidBundle) {
		t.Errorf("bundle with zero object: %v", err)
	}
	if _, err := NewObject(IPv4Addr{}); !errors.Is(err, ErrInvalidValue) {
		t.Errorf("NewObject(zero): %v", err)
	}
	if _, err := NewObject(nil); !errors.Is(err, ErrInvalidObject) {
		t.Errorf("NewObject(nil): %v", err)
	}
	if _, err := NewObject(json.RawMessage(`{"type":"indicator"}`)); !errors.Is(err, ErrInvalidObject) {
		t.Errorf("NewObject(no id): %v", err)
	}
	var zero Object
	if _, err := zero.Indicator(); err == nil {
		t.Errorf("zero object decoded")
	}
	if _, err := zero.Common(); err == nil {
		t.Errorf("zero object decoded")
	}
	if _, err := zero.MarshalJSON(); err == nil {
		t.Errorf("zero object marshalled")
	}
}

func TestDecodeBundleErrors(t *testing.T) {
	const id = `"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"`
	const ind = `{"type":"indicator","id":"indicator--a932fcc6-e032-476c-826f-cb970a5a1ade"}`
	tests := []struct {
		name, in, wantMsg string
	}{
		{"empty", ``, "EOF"},
		{"not json", `bundle`, "invalid character"},
		{"truncated", `{"type":"bundle","id":` + id + `,"objects":[`, "unexpected EOF"},
		{"array", `[]`, "cannot unmarshal array"},
		{"string", `"bundle"`, "cannot unmarshal string"},
		{"null", `null`, "no type"},
		{"no type", `{"id":` + id + `}`, "no type"},
		{"wrong type", `{"type":"indicator","id":` + id + `}`, `type is "indicator"`},
		{"type not string", `{"type":1,"id":` + id + `}`, "cannot unmarshal number"},
		{"no id", `{"type":"bundle"}`, "no id"},
		{"bad id", `{"type":"bundle","id":"bundle--1"}`, `id "bundle--1" is not a bundle identifier`},
		{"id of other type", `{"type":"bundle","id":"indicator--a932fcc6-e032-476c-826f-cb970a5a1ade"}`, "is not a bundle identifier"},
		{"objects not array", `{"type":"bundle","id":` + id + `,"objects":{}}`, "cannot unmarshal object"},
		{"object not object", `{"type":"bundle","id":` + id + `,"objects":[1]}`, "object 0: invalid STIX bundle: not a JSON object"},
		{"null object", `{"type":"bundle","id":` + id + `,"objects":[null]}`, "object 0: invalid STIX bundle: no type"},
		{"object without type", `{"type":"bundle","id":` + id + `,"objects":[` + ind + `,{"id":"indicator--a932fcc6-e032-476c-826f-cb970a5a1ade"}]}`, "object 1: invalid STIX bundle: no type"},
		{"object without id", `{"type":"bundle","id":` + id + `,"objects":[{"type":"indicator"}]}`, "indicator without id"},
		{"object bad id", `{"type":"bundle","id":` + id + `,"objects":[{"type":"indicator","id":"indicator--x"}]}`, "not <type>--<uuid>"},
		{"object id type mismatch", `{"type":"bundle","id":` + id + `,"objects":[{"type":"malware","id":"indicator--a932fcc6-e032-476c-826f-cb970a5a1ade"}]}`, "does not match type malware"},
		{"object type with a final hyphen", `{"type":"bundle","id":` + id + `,"objects":[{"type":"abc-","id":"abc---a932fcc6-e032-476c-826f-cb970a5a1ade"}]}`, "has a bad type"},
		{"object bad type", `{"type":"bundle","id":` + id + `,"objects":[{"type":"In Dicator","id":"indicator--a932fcc6-e032-476c-826f-cb970a5a1ade"}]}`, "bad type"},
		{"trailing data", `{"type":"bundle","id":` + id + `} {}`, "data after the bundle"},
		{"trailing garbage", `{"type":"bundle","id":` + id + `}]`, "data after the bundle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := DecodeBundle(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("DecodeBundle = %+v, want an error", b)
			}
			if !errors.Is(err, ErrInvalidBundle) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q: want ErrInvalidBundle and %q", err, tt.wantMsg)
			}
		})
	}
}

// TestBundleEncodingByValue: a Bundle encodes the same as a *Bundle, and
// json.Unmarshal into one keeps every object (and checks them).
func TestBundleEncodingByValue(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "bundle.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := DecodeBundle(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	byPtr, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	byValue, err := json.Marshal(*b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(byPtr, byValue) {
		t.Errorf("by value:\n%s\nby pointer:\n%s", byValue, byPtr)
	}
	var back Bundle
	if err := json.Unmarshal(byPtr, &back); err != nil {
		t.Fatal(err)
	}
	var want, got bytes.Buffer
	json.Compact(&want, b.Objects[0].Raw()) // json.Marshal compacts what MarshalJSON writes
	json.Compact(&got, back.Objects[0].Raw())
	if len(back.Objects) != len(b.Objects) || got.String() != want.String() {
		t.Errorf("json.Unmarshal lost objects: %d of %d", len(back.Objects), len(b.Objects))
	}
	if err := json.Unmarshal([]byte(`{"type":"bundle","id":"bundle--6ba7b810-9dad-11d1-80b4-00c04fd430c8","objects":[{"type":"x"}]}`), &back); !errors.Is(err, ErrInvalidBundle) {
		t.Errorf("an object without id: %v", err)
	}
	var o Object
	if err := json.Unmarshal(b.Objects[0].Raw(), &o); err != nil || o.ID != b.Objects[0].ID {
		t.Errorf("Object: %+v, %v", o, err)
	}
}
