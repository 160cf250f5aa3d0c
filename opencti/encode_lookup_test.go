package opencti

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/Khan/genqlient/graphql"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// lookupRequest is the request Lookup makes for obs, as the generated
// lookup function builds it.
func lookupRequest(obs []stix.Observable, obsAfter, indAfter string) *graphql.Request {
	q := newLookupQuery(obs)
	return &graphql.Request{
		OpName: "lookup",
		Query:  lookup_Operation,
		Variables: &__lookupInput{
			ObservableTypes:   q.types,
			ObservableFilters: q.observableFilters,
			IndicatorFilters:  q.indicatorFilters,
			RelatedTypes:      decodedEntityTypes,
			First:             DefaultPageSize,
			NestedFirst:       NestedLimit,
			ObservablesAfter:  obsAfter,
			IndicatorsAfter:   indAfter,
			WithObservables:   obsAfter != "" || indAfter == "",
			WithIndicators:    indAfter != "" || obsAfter == "",
		},
	}
}

// checkMarshalRequest checks that marshalRequest gives json.Marshal's bytes
// and reports whether the direct encoder wrote them.
func checkMarshalRequest(t *testing.T, req *graphql.Request) (direct bool) {
	t.Helper()
	want, wantErr := json.Marshal(req)
	got, err := marshalRequest(req)
	if (err == nil) != (wantErr == nil) || !bytes.Equal(got, want) {
		t.Fatalf("marshalRequest = %s, %v\njson.Marshal  = %s, %v", got, err, want, wantErr)
	}
	if in, ok := req.Variables.(*__lookupInput); ok && in != nil {
		direct = newRequestWriter(0).lookupRequest(req.Query, in, req.OpName)
	}
	return direct
}

// TestMarshalRequest: lookup requests are encoded directly, byte for byte
// as json.Marshal encodes them; other requests by json.Marshal.
func TestMarshalRequest(t *testing.T) {
	m := newMixed()
	odd := []stix.Observable{
		must(stix.NewURL("http://x.example/a?b=1&c=2")),
		must(stix.NewEmailAddr("o.brien+tag@example.com")),
		must(stix.NewDomainName("bücher.example")),
	}
	tests := []struct {
		name   string
		req    *graphql.Request
		direct bool
	}{
		{"mixed", lookupRequest(m.all(), "", ""), true},
		{"one address", lookupRequest([]stix.Observable{m.ip4}, "", ""), true},
		{"nothing", lookupRequest(nil, "", ""), true},
		{"ampersand, IDN", lookupRequest(odd, "", ""), true},
		{"next observable page", lookupRequest(m.all(), "WzEsMl0=", ""), true},
		{"next indicator page", lookupRequest(m.all(), "", "<c&d>"), true},
		{"nested groups, empty lists, nil lists", &graphql.Request{OpName: "lookup", Query: "q", Variables: &__lookupInput{
			ObservableFilters: filterGroup{FilterGroups: []filterGroup{{Mode: "or", Filters: []filter{{}}}, {}}},
			IndicatorFilters:  filterGroup{Filters: []filter{{Key: []string{}, Values: []any{}, Operator: "nil"}}},
			RelatedTypes:      []string{}, First: -1,
		}}, true},
		{"invalid UTF-8, control and HTML characters, line separators", &graphql.Request{OpName: "\xff<>&", Query: "a\x00b\x1f\x7f\u2028\u2029", Variables: &__lookupInput{
			ObservableFilters: filterGroup{Mode: "\xc3(", Filters: []filter{eqFilter("value\t", []string{"\xed\xa0\x80", "\n\r\b\f\\"})}},
		}}, true},
		{"a value that is not a string", &graphql.Request{OpName: "lookup", Variables: &__lookupInput{
			ObservableFilters: filterGroup{Filters: []filter{{Key: []string{"regardingOf"}, Values: []any{map[string]any{"id": "x"}, 1.5}}}},
		}}, false},
		{"no variables", &graphql.Request{OpName: "health", Query: "query health { about { version } }"}, false},
		{"nil lookup variables", &graphql.Request{OpName: "lookup", Variables: (*__lookupInput)(nil)}, false},
		{"other variables", &graphql.Request{OpName: "x", Variables: map[string]any{"a": 1}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if direct := checkMarshalRequest(t, tt.req); direct != tt.direct {
				t.Errorf("encoded directly: %t, want %t", direct, tt.direct)
			}
		})
	}
}

// FuzzMarshalRequest: whatever the strings of a lookup request, its bytes
// are json.Marshal's.
func FuzzMarshalRequest(f *testing.F) {
	f.Add("lookup", "query lookup { x }", "or", "value", "198.51.100.7", "[url:value = 'http://a/?b=<c>&d']", "eq", "", "cursor", 500, true)
	f.Add("", "", "", "", "", "", "", "and", "", 0, false)
	f.Add("\xff", "\u2028", "\x00", "\"", "\\", "\xed\xa0\x80", "<", ">", "&", -7, true)
	f.Fuzz(func(t *testing.T, op, query, mode, key, v1, v2, operator, fmode, after string, first int, flag bool) {
		req := &graphql.Request{OpName: op, Query: query, Variables: &__lookupInput{
			ObservableTypes: []string{v1, key},
			ObservableFilters: filterGroup{Mode: mode, Filters: []filter{
				{Key: []string{key}, Values: []any{v1, v2}, Operator: operator, Mode: fmode},
				eqFilter(v2, []string{v1}),
			}, FilterGroups: []filterGroup{{Mode: fmode, Filters: []filter{{Key: []string{operator}}}}}},
			IndicatorFilters: filterGroup{Mode: operator},
			First:            first,
			NestedFirst:      -first,
			ObservablesAfter: after,
			IndicatorsAfter:  v2,
			WithObservables:  flag,
			WithIndicators:   !flag,
		}}
		if !checkMarshalRequest(t, req) {
			t.Fatal("a lookup request with string values was not encoded directly")
		}
	})
}
