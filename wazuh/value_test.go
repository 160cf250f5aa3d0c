package wazuh

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// valueDoc exercises the shapes Wazuh's decoders produce: numbers, booleans
// and nulls turned into strings, "%f" floats, numbers kept inside arrays,
// arrays of objects.
const valueDoc = `{
 "src_port": "443",
 "port_num": 443,
 "flow_id": "1755196584425738.000000",
 "huge": "18446744073709551616.000000",
 "ratio": "0.250000",
 "exp": "1.0e+15",
 "numerics": "false",
 "signed": true,
 "nothing": "null",
 "real_null": null,
 "empty": "",
 "padded": "007",
 "hex": "0x1A",
 "nan": "nan",
 "text": "C:\\\\Windows\\\\System32\\\\wscript.exe",
 "metadata": {"signature_severity": ["Major"], "created_at": ["2025_01_10"]},
 "sizes": [1, 2.5, "3", null, {"x": 1}, [4], true],
 "dns": {"query": [
   {"rrname": "a.example.org", "rrtype": "A"},
   {"rrtype": "AAAA"},
   {"rrname": "b.example.org", "answers": [{"data": "198.51.100.7"}, {"data": "2001:db8::1"}]}
 ]},
 "win": {"eventdata": {"hashes": "SHA1=AA,MD5=BB"}},
 "dotted.key": "literal"
}`

type valueSummary struct {
	Kind    string
	Exists  bool
	IsNull  bool
	Str     string
	StrOK   bool
	Int     int64
	IntOK   bool
	Float   float64
	FloatOK bool
	Bool    bool
	BoolOK  bool
	Strings []string
	Len     int
	JSON    string
}

func summarize(v Value) valueSummary {
	s := valueSummary{Kind: v.Kind().String(), Exists: v.Exists(), IsNull: v.IsNull(), Strings: v.Strings(), Len: v.Len()}
	s.Str, s.StrOK = v.String()
	s.Int, s.IntOK = v.Int()
	s.Float, s.FloatOK = v.Float()
	s.Bool, s.BoolOK = v.Bool()
	b, err := v.MarshalJSON()
	if err != nil {
		panic(err)
	}
	s.JSON = string(b)
	return s
}

func mustParse(t testing.TB, doc string) Value {
	t.Helper()
	n, se := parseJSON(doc)
	if se != nil {
		t.Fatalf("parse: %v", se)
	}
	return Value{n}
}

func TestValueAccessors(t *testing.T) {
	root := mustParse(t, valueDoc)
	str := func(s string) valueSummary {
		return valueSummary{Kind: "string", Exists: true, Str: s, StrOK: true, Strings: []string{s}, JSON: fmt.Sprintf("%q", s)}
	}
	missing := valueSummary{Kind: "missing", JSON: "null"}
	tests := []struct {
		path string
		want valueSummary
	}{
		{"src_port", valueSummary{Kind: "string", Exists: true, Str: "443", StrOK: true, Int: 443, IntOK: true, Float: 443, FloatOK: true, Strings: []string{"443"}, JSON: `"443"`}},
		{"port_num", valueSummary{Kind: "number", Exists: true, Str: "443", StrOK: true, Int: 443, IntOK: true, Float: 443, FloatOK: true, Strings: []string{"443"}, JSON: `443`}},
		// "%f" output: exact as an integer even beyond 2^53.
		{"flow_id", valueSummary{Kind: "string", Exists: true, Str: "1755196584425738.000000", StrOK: true, Int: 1755196584425738, IntOK: true, Float: 1755196584425738, FloatOK: true, Strings: []string{"1755196584425738.000000"}, JSON: `"1755196584425738.000000"`}},
		{"huge", valueSummary{Kind: "string", Exists: true, Str: "18446744073709551616.000000", StrOK: true, Float: 18446744073709551616, FloatOK: true, Strings: []string{"18446744073709551616.000000"}, JSON: `"18446744073709551616.000000"`}},
		{"ratio", valueSummary{Kind: "string", Exists: true, Str: "0.250000", StrOK: true, Float: 0.25, FloatOK: true, Strings: []string{"0.250000"}, JSON: `"0.250000"`}},
		{"exp", valueSummary{Kind: "string", Exists: true, Str: "1.0e+15", StrOK: true, Int: 1e15, IntOK: true, Float: 1e15, FloatOK: true, Strings: []string{"1.0e+15"}, JSON: `"1.0e+15"`}},
		{"numerics", valueSummary{Kind: "string", Exists: true, Str: "false", StrOK: true, Bool: false, BoolOK: true, Strings: []string{"false"}, JSON: `"false"`}},
		{"signed", valueSummary{Kind: "bool", Exists: true, Str: "true", StrOK: true, Bool: true, BoolOK: true, Strings: []string{"true"}, JSON: `true`}},
		{"nothing", valueSummary{Kind: "string", Exists: true, IsNull: true, JSON: `"null"`}},
		{"real_null", valueSummary{Kind: "null", Exists: true, IsNull: true, JSON: `null`}},
		{"empty", str("")},
		{"padded", valueSummary{Kind: "string", Exists: true, Str: "007", StrOK: true, Int: 7, IntOK: true, Float: 7, FloatOK: true, Strings: []string{"007"}, JSON: `"007"`}},
		{"hex", str("0x1A")},
		{"nan", str("nan")},
		{"text", valueSummary{Kind: "string", Exists: true, Str: `C:\\Windows\\System32\\wscript.exe`, StrOK: true, Strings: []string{`C:\\Windows\\System32\\wscript.exe`}, JSON: `"C:\\\\Windows\\\\System32\\\\wscript.exe"`}},
		{"metadata.signature_severity", valueSummary{Kind: "array", Exists: true, Strings: []string{"Major"}, Len: 1, JSON: `["Major"]`}},
		{"metadata.signature_severity.0", str("Major")},
		{"metadata.signature_severity.1", missing},
		{"metadata", valueSummary{Kind: "object", Exists: true, Len: 2, JSON: `{"signature_severity":["Major"],"created_at":["2025_01_10"]}`}},
		// Strings keeps the string-able elements only.
		{"sizes", valueSummary{Kind: "array", Exists: true, Strings: []string{"1", "2.5", "3", "true"}, Len: 7, JSON: `[1,2.5,"3",null,{"x":1},[4],true]`}},
		{"sizes.1", valueSummary{Kind: "number", Exists: true, Str: "2.5", StrOK: true, Float: 2.5, FloatOK: true, Strings: []string{"2.5"}, JSON: `2.5`}},
		{"sizes.4.x", valueSummary{Kind: "number", Exists: true, Str: "1", StrOK: true, Int: 1, IntOK: true, Float: 1, FloatOK: true, Strings: []string{"1"}, JSON: `1`}},
		// A key segment on an array of objects collects from every element.
		{"dns.query.rrname", valueSummary{Kind: "array", Exists: true, Strings: []string{"a.example.org", "b.example.org"}, Len: 2, JSON: `["a.example.org","b.example.org"]`}},
		{"dns.query.rrtype", valueSummary{Kind: "array", Exists: true, Strings: []string{"A", "AAAA"}, Len: 2, JSON: `["A","AAAA"]`}},
		{"dns.query.2.answers.data", valueSummary{Kind: "array", Exists: true, Strings: []string{"198.51.100.7", "2001:db8::1"}, Len: 2, JSON: `["198.51.100.7","2001:db8::1"]`}},
		{"dns.query.answers.data", valueSummary{Kind: "array", Exists: true, Len: 1, JSON: `[["198.51.100.7","2001:db8::1"]]`}},
		{"dns.query.nosuch", missing},
		{"win.eventdata.hashes", str("SHA1=AA,MD5=BB")},
		{"win.eventdata.hashes.more", missing},
		{"win.eventdata.nosuch", missing},
		{"nosuch.deeper.still", missing},
		{"src_port.0", missing},
		{"dotted.key", missing},
		{"win..eventdata", missing},
		{"sizes.-1", missing},
		{"sizes.99999999999", missing},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, summarize(root.Get(tt.path))); diff != "" {
				t.Errorf("Get(%q) mismatch (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}

func TestValueNavigation(t *testing.T) {
	root := mustParse(t, valueDoc)
	if got := root.Get(""); got.Kind() != KindObject || got.Len() != len(root.Keys()) {
		t.Errorf(`Get("") = %v, want the root`, got)
	}
	if got, _ := root.Key("dotted.key").String(); got != "literal" {
		t.Errorf(`Key("dotted.key") = %q, want "literal"`, got)
	}
	if got := root.Get("sizes").Index(6); got.Kind() != KindBool {
		t.Errorf("Index(6) = %v, want true", got)
	}
	for _, i := range []int{-1, 7} {
		if got := root.Get("sizes").Index(i); got.Exists() {
			t.Errorf("Index(%d) = %v, want missing", i, got)
		}
	}
	wantKeys := []string{"src_port", "port_num", "flow_id", "huge", "ratio", "exp", "numerics", "signed", "nothing",
		"real_null", "empty", "padded", "hex", "nan", "text", "metadata", "sizes", "dns", "win", "dotted.key"}
	if diff := cmp.Diff(wantKeys, root.Keys()); diff != "" {
		t.Errorf("Keys() in document order (-want +got):\n%s", diff)
	}
	if got := root.Get("sizes").Keys(); got != nil {
		t.Errorf("Keys() of an array = %v, want nil", got)
	}
	if got := len(root.Get("dns.query").Array()); got != 3 {
		t.Errorf("Array() has %d elements, want 3", got)
	}
	if got := root.Get("metadata").Array(); got != nil {
		t.Errorf("Array() of an object = %v, want nil", got)
	}
	if got := root.Get("nothing").Text(); got != "" {
		t.Errorf(`Text() of "null" = %q, want ""`, got)
	}

	var zero Value
	if zero.Exists() || zero.IsNull() || zero.Kind() != KindMissing || zero.Get("a.b").Exists() ||
		zero.Keys() != nil || zero.Array() != nil || zero.Strings() != nil || zero.Interface() != nil || zero.Len() != 0 {
		t.Error("the zero Value is not uniformly missing")
	}
	if got := fmt.Sprint(zero); got != "<missing>" {
		t.Errorf("Sprint(zero) = %q", got)
	}
	if got := fmt.Sprintf("%v|%s|%q", root.Get("metadata.created_at"), root.Get("src_port"), root.Get("port_num")); got != `["2025_01_10"]|"443"|"443"` {
		t.Errorf("formatting = %s", got)
	}
}

func TestValueInterface(t *testing.T) {
	root := mustParse(t, valueDoc)
	var want any
	d := json.NewDecoder(strings.NewReader(valueDoc))
	d.UseNumber()
	if err := d.Decode(&want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, root.Interface()); diff != "" {
		t.Errorf("Interface() differs from encoding/json (-want +got):\n%s", diff)
	}
}

func TestKindString(t *testing.T) {
	got := []string{KindMissing.String(), KindNull.String(), KindString.String(), KindNumber.String(),
		KindBool.String(), KindArray.String(), KindObject.String(), Kind(42).String()}
	want := []string{"missing", "null", "string", "number", "bool", "array", "object", "Kind(42)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}

func TestValueInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{`"443"`, 443, true},
		{`"-12"`, -12, true},
		{`"443.000000"`, 443, true},
		{`"-0.000000"`, 0, true},
		{`"443.5"`, 0, false},
		{`1e3`, 1000, true},
		{`"9223372036854775807"`, 9223372036854775807, true},
		{`"9223372036854775807.000000"`, 9223372036854775807, true},
		{`"9223372036854775808"`, 0, false},
		{`"-9223372036854775808.000000"`, -9223372036854775808, true},
		{`1e19`, 0, false},
		{`"1e400"`, 0, false},
		{`" 443"`, 0, false},
		{`"+443"`, 0, false},
		{`"443 "`, 0, false},
		{`"4_4"`, 0, false},
		{`"Inf"`, 0, false},
		{`true`, 0, false},
		{`null`, 0, false},
		{`[1]`, 0, false},
	}
	for _, tt := range tests {
		got, ok := mustParse(t, tt.in).Int()
		if got != tt.want || ok != tt.ok {
			t.Errorf("Int(%s) = %d, %t; want %d, %t", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
