package opencti

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// generatedDecode is what the generated code alone makes of data.
func generatedDecode(data []byte) (lookupResponse, error) {
	var v lookupResponse
	err := json.Unmarshal(data, &v)
	return v, err
}

// checkSameAsGenerated checks that decodeData gives what the generated code
// gives, value and error, and reports whether the one-pass decoder took data.
func checkSameAsGenerated(t *testing.T, data []byte) (fast bool) {
	t.Helper()
	want, wantErr := generatedDecode(data)
	var got lookupResponse
	err := decodeData(data, &got)
	if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
		t.Fatalf("decodeData error = %v, the generated code's = %v", err, wantErr)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("decodeData differs from the generated code (-generated +decodeData):\n%s", diff)
	}
	var one lookupResponse
	if decodeLookupResponse(data, &one) != nil {
		return false
	}
	if wantErr != nil {
		t.Fatalf("the one-pass decoder took data the generated code refuses (%v)", wantErr)
	}
	if diff := cmp.Diff(want, one); diff != "" {
		t.Fatalf("the one-pass decoder differs from the generated code (-generated +one-pass):\n%s", diff)
	}
	return true
}

func lookupResponseData(t testing.TB) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "lookup_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatal(err)
	}
	return env.Data
}

// TestDecodeLookupResponse: the one-pass decoder takes well-formed answers
// and decodes them as the generated code does; it leaves to the generated
// code, which then decides, anything else.
func TestDecodeLookupResponse(t *testing.T) {
	const obs = `"id":"o1","standard_id":"x--1","entity_type":"E","observable_value":"v","x_opencti_description":"d","x_opencti_score":5,` +
		`"created_at":"2026-03-01T10:00:00Z","updated_at":"2026-03-02T10:00:00Z","createdBy":{"__typename":"Organization","id":"i","standard_id":"identity--1","name":"n"},` +
		`"objectMarking":[{"standard_id":"m","definition_type":"TLP","definition":"TLP:RED"}],"objectLabel":[{"value":"l"}],` +
		`"externalReferences":{"edges":[{"node":{"source_name":"s","url":"u"}}]},"indicators":{"pageInfo":{"hasNextPage":true},"edges":[{"node":{"id":"i1","pattern":"p"}}]}`
	end := func(typename string) string {
		return `{"__typename":"` + typename + `","id":"e-` + typename + `","standard_id":"s","entity_type":"E","observable_value":"v","x_opencti_score":1,"value":"w",` +
			`"indicators":{"edges":[{"node":{"id":"i2"}}]}}`
	}
	rels := `"stixCoreRelationships":{"pageInfo":{"hasNextPage":false},"edges":[null,{"node":null},` +
		`{"node":{"relationship_type":"resolves-to","fromId":"o1","toId":"e","from":null,"to":` + end("IPv4Addr") + `}},` +
		`{"node":{"relationship_type":"related-to","fromId":"e","toId":"o1","from":` + end("StixFile") + `}}]}`
	node := func(typename, extra string) string {
		return `{"node":{"__typename":"` + typename + `",` + obs + `,` + extra + `,` + rels + `}}`
	}
	all := ""
	for i, tn := range []string{"IPv4Addr", "IPv6Addr", "DomainName", "Hostname", "Url", "EmailAddr"} {
		if i > 0 {
			all += ","
		}
		all += node(tn, `"value":"v-`+tn+`","name":"ignored","hashes":[{"algorithm":"MD5","hash":"x"}]`)
	}
	all += "," + node("StixFile", `"name":"f.exe","size":75,"hashes":[{"algorithm":"SHA-256","hash":"AB"}],"value":"ignored"`)
	ends := ""
	for i, tn := range []string{"IPv4Addr", "IPv6Addr", "DomainName", "Hostname", "Url", "EmailAddr", "StixFile"} {
		if i > 0 {
			ends += ","
		}
		ends += `{"node":{"relationship_type":"r","from":` + end(tn) + `,"to":` + end(tn) + `}}`
	}
	wrap := func(edges string) string {
		return `{"stixCyberObservables":{"pageInfo":{"endCursor":"c","hasNextPage":true},"edges":[` + edges + `]},` +
			`"indicators":{"pageInfo":{"endCursor":"","hasNextPage":false},"edges":[{"node":{"id":"i9","valid_until":null}}]}}`
	}
	tests := []struct {
		name string
		data string
		fast bool // the one-pass decoder takes it
	}{
		{"canned answer", string(lookupResponseData(t)), true},
		{"every observable type", wrap(all), true},
		{"every relationship end type", wrap(`{"node":{"__typename":"Url","id":"u",` + `"stixCoreRelationships":{"edges":[` + ends + `]}}}`), true},
		{"null and missing nodes", wrap(`null,{},{"node":null}`), true},
		{"no edges", `{"stixCyberObservables":{"edges":[]},"indicators":{"edges":null}}`, true},
		{"empty object", `{}`, true},
		{"keys in another case", wrap(`{"node":{"__TypeName":"IPv4Addr","ID":"o1","Value":"v"}}`), true},
		// A repeated key makes encoding/json decode into what the first
		// occurrence left: the interface fields must then be new values, and
		// a null must leave them as they were before the object, as in the
		// generated code. A null after a value goes to the generated code.
		{"repeated edges", `{"stixCyberObservables":{"edges":[{"node":{"__typename":"IPv4Addr","id":"a","value":"x"}}],` +
			`"edges":[{"node":{"__typename":"IPv4Addr","id":"b"}}]}}`, true},
		{"repeated edges, null node", `{"stixCyberObservables":{"edges":[{"node":{"__typename":"IPv4Addr","id":"a"}}],"edges":[{"node":null}]}}`, false},
		{"repeated edges, node left out", `{"stixCyberObservables":{"edges":[{"node":{"__typename":"IPv4Addr","id":"a"}}],"edges":[{}]}}`, true},
		{"repeated node", wrap(`{"node":{"__typename":"Url","id":"a","value":"x"},"node":{"__typename":"Url","id":"b"}}`), true},
		{"repeated node, then null", wrap(`{"node":{"__typename":"Url","id":"a","value":"x"},"node":null}`), false},
		{"null node, then repeated", wrap(`{"node":null,"node":{"__typename":"Url","id":"a","value":"x"}}`), true},
		{"repeated relationship edges", wrap(`{"node":{"__typename":"Url","id":"u","stixCoreRelationships":{` +
			`"edges":[{"node":{"from":` + end("IPv4Addr") + `,"to":` + end("Url") + `}}],` +
			`"edges":[{"node":{"from":{"__typename":"Hostname","id":"h"},"to":null}}]}}}`), false},
		{"repeated relationship end, then null", wrap(`{"node":{"__typename":"Url","id":"u","stixCoreRelationships":{` +
			`"edges":[{"node":{"from":{"__typename":"Hostname","id":"h"},"from":null}}]}}}`), false},
		{"unknown observable type", wrap(`{"node":{"__typename":"IMEI","id":"x"}}`), false},
		{"missing __typename", wrap(`{"node":{"id":"x"}}`), false},
		{"unknown end type", wrap(`{"node":{"__typename":"IPv4Addr","stixCoreRelationships":{"edges":[{"node":{"to":{"__typename":"Malware"}}}]}}}`), false},
		{"end without __typename", wrap(`{"node":{"__typename":"IPv4Addr","stixCoreRelationships":{"edges":[{"node":{"to":{"id":"x"}}}]}}}`), false},
		{"score of the wrong type", wrap(`{"node":{"__typename":"IPv4Addr","x_opencti_score":"high"}}`), false},
		{"a key that only another type has, of the wrong type", wrap(`{"node":{"__typename":"IPv4Addr","id":"o1","size":"big"}}`), false},
		{"a file's value of the wrong type", wrap(`{"node":{"__typename":"StixFile","id":"f","value":7}}`), false},
		{"node not an object", wrap(`{"node":[1]}`), false},
		{"indicator of the wrong type", `{"indicators":{"edges":[{"node":{"revoked":"no"}}]}}`, false},
		{"not JSON", `{"stixCyberObservables":`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !json.Valid([]byte(tt.data)) && tt.fast {
				t.Fatalf("invalid test JSON: %s", tt.data)
			}
			if fast := checkSameAsGenerated(t, []byte(tt.data)); fast != tt.fast {
				t.Errorf("one-pass decoder took it: %t, want %t", fast, tt.fast)
			}
		})
	}
}

// FuzzDecodeLookupResponse: whatever the data, decodeData gives the value
// and the error of the generated code, and the one-pass decoder takes
// nothing the generated code refuses.
func FuzzDecodeLookupResponse(f *testing.F) {
	f.Add(lookupResponseData(f))
	f.Add([]byte(`{"stixCyberObservables":{"edges":[{"node":{"__typename":"StixFile","size":1,"value":"x"}},null]}}`))
	f.Add([]byte(`{"stixCyberObservables":{"edges":[{"node":{"__typename":"Url","stixCoreRelationships":{"edges":[{"node":{"from":{"__typename":"Hostname"},"to":null}}]}}}]}}`))
	f.Add([]byte(`{"stixCyberObservables":{"edges":[{"node":{"__typename":"IMEI"}}]}}`))
	f.Add([]byte(`{"indicators":{"edges":[{"node":{"valid_until":"2026-01-01T00:00:00Z","confidence":1.5}}]}}`))
	f.Add([]byte(`{"stixCyberObservables":{"edges":[{"node":{"__typename":"Url","value":"x"}}],"edges":[{"node":null},{}]}}`))
	f.Add([]byte(`{"stixCyberObservables":{"edges":[{"node":{"__typename":"Url","value":"x"},"node":null}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkSameAsGenerated(t, data)
	})
}
