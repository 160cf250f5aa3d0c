package openctitest

import (
	"encoding/json"
	"net/http"
	"testing"
)

// FuzzGraphQL sends arbitrary documents and variables: the fake must answer
// every one with a JSON body and status 200 (GraphQL errors) or 400 (a body
// that is not a request), never panic, and never echo the token.
func FuzzGraphQL(f *testing.F) {
	f.Add(`{ stixCyberObservables(filters: {mode: or, filters: [{key: "value", values: ["198.51.100.23"]}], filterGroups: []}) { edges { node { id } } } }`, `{}`)
	f.Add(`query q($f: FilterGroup) { indicators(filters: $f, first: 2, after: "b3BlbmN0aXRlc3Q6MA==") { edges { node { name } } } }`,
		`{"f":{"mode":"and","filters":[{"key":["pattern_type"],"values":["stix"],"operator":"not_eq","mode":"and"}],"filterGroups":[{"mode":"or","filters":[],"filterGroups":[]}]}}`)
	f.Add(`{ a: about { version } b: about { version } c: about { version } }`, `null`)
	f.Add(`query q($f: FilterGroup) { stixCyberObservables(filters: $f) { edges { node { id } } } }`, `{"f":{"mode":"or","filters":[{"key":["hashes.SHA256","regardingOf"],"values":[{"key":"id","values":["x"]}]}],"filterGroups":[]}}`)
	h := newTestHandler(f)
	f.Fuzz(func(t *testing.T, query, variables string) {
		var vars map[string]any
		_ = json.Unmarshal([]byte(variables), &vars)
		body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
		if err != nil {
			return
		}
		status, _, answer := post(t, h, testToken, body)
		if status != http.StatusOK && status != http.StatusBadRequest {
			t.Fatalf("status %d for %q", status, query)
		}
		if !json.Valid(answer) {
			t.Fatalf("answer is not JSON: %q", answer)
		}
	})
}
