package openctitest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Hand-written queries against the demo bundle; the golden files in
// testdata/queries/ hold the request, the status and the answer.

const observableFields = `
  edges { node { id standard_id entity_type observable_value
    ... on IPv4Addr { value } ... on DomainName { value } ... on Hostname { value }
    ... on StixFile { name size hashes { algorithm hash } } } }`

// listValues is a query for the observable_value of the observables the
// filters select.
const listValues = `query q($filters: FilterGroup, $types: [String]) {
  stixCyberObservables(filters: $filters, types: $types) {
    pageInfo { globalCount hasNextPage }
    edges { node { entity_type observable_value } }
  }
}`

func group(mode string, filters []map[string]any, groups ...map[string]any) map[string]any {
	if filters == nil {
		filters = []map[string]any{}
	}
	if groups == nil {
		groups = []map[string]any{}
	}
	return map[string]any{"mode": mode, "filters": filters, "filterGroups": groups}
}

func eq(key string, values ...any) map[string]any {
	return map[string]any{"key": []string{key}, "values": values}
}

func TestQueries(t *testing.T) {
	tests := []struct {
		name  string
		token string // "" for none; testToken by default
		noTok bool
		req   gqlRequest
	}{
		{name: "health", req: gqlRequest{Query: `query health { about { version } me { id name } }`}},
		{name: "value-case-insensitive", req: gqlRequest{
			Query: `{ stixCyberObservables(filters: {mode: and, filters: [{key: ["value"], values: ["C2.Evil.EXAMPLE", "198.51.100.23"]}], filterGroups: []}) {` + observableFields + ` } }`,
		}},
		{name: "hash-upper-case", req: gqlRequest{
			Query: listValues,
			Variables: map[string]any{"filters": group("or", []map[string]any{
				eq("hashes.SHA-256", "4B68996AB324A028D8604B08601ADE05144FEB6998862131D7BBFCF04C92BDA0"),
				eq("hashes.MD5", "00000000000000000000000000000000"),
			})},
		}},
		{name: "file-by-each-hash", req: gqlRequest{
			Query: `query q($filters: FilterGroup) { stixCyberObservables(filters: $filters) {` + observableFields + ` } }`,
			Variables: map[string]any{"filters": group("or", []map[string]any{
				eq("hashes.MD5", "e1e2287c5fb63e3ae5d93e6d9e4850a8"),
				eq("hashes.SHA-1", "c3d39b6dc573e652efe87fa7a0585b8ec479b461"),
			})},
		}},
		{name: "group-and", req: gqlRequest{
			Query: listValues,
			Variables: map[string]any{"filters": group("and", []map[string]any{
				eq("value", "c2.evil.example", "update.bad.example", "198.51.100.23"),
				eq("entity_type", "Domain-Name"),
			})},
		}},
		{name: "filter-mode-and-parent-type", req: gqlRequest{
			// entity_type holds the type and its parent types.
			Query: listValues,
			Variables: map[string]any{"filters": group("and", []map[string]any{
				{"key": []string{"entity_type"}, "values": []any{"domain-name", "Stix-Core-Object"}, "mode": "and"},
			})},
		}},
		{name: "filter-mode-and-single-value", req: gqlRequest{
			// A value cannot equal two different values.
			Query: listValues,
			Variables: map[string]any{"filters": group("and", []map[string]any{
				{"key": []string{"value"}, "values": []any{"c2.evil.example", "update.bad.example"}, "mode": "and"},
			})},
		}},
		{name: "nested-groups", req: gqlRequest{
			// (IPv4 and (value a or value b)) or Hostname
			Query: listValues,
			Variables: map[string]any{"filters": group("or", nil,
				group("and", []map[string]any{eq("entity_type", "IPv4-Addr")},
					group("or", []map[string]any{eq("value", "192.0.2.10"), eq("value", "203.0.113.66"), eq("value", "c2.evil.example")})),
				group("and", []map[string]any{eq("entity_type", "hostname")}),
			)},
		}},
		{name: "types", req: gqlRequest{
			Query:     listValues,
			Variables: map[string]any{"types": []string{"Hostname", "Email-Addr", "Url"}},
		}},
		{name: "multiple-keys", req: gqlRequest{
			Query: listValues,
			Variables: map[string]any{"filters": group("and", []map[string]any{
				{"key": []string{"name", "value"}, "values": []any{"INVOICE.PDF.EXE", "billing@phish.example"}},
			})},
		}},
		{name: "not-eq-nil-not-nil", req: gqlRequest{
			Query: listValues,
			Variables: map[string]any{"filters": group("and", []map[string]any{
				{"key": []string{"entity_type"}, "values": []any{"IPv4-Addr"}, "operator": "eq"},
				{"key": []string{"value"}, "values": []any{"198.51.100.23"}, "operator": "not_eq"},
				{"key": []string{"name"}, "values": []any{}, "operator": "nil"},
				{"key": []string{"x_opencti_score"}, "values": []any{}, "operator": "not_nil"},
			})},
		}},
		{name: "score-zero", req: gqlRequest{
			Query: listValues,
			Variables: map[string]any{"filters": group("and", []map[string]any{
				{"key": []string{"x_opencti_score"}, "values": []any{0}},
			})},
		}},
		{name: "indicators-by-pattern", req: gqlRequest{
			Query: `query q($filters: FilterGroup) { indicators(filters: $filters) { pageInfo { globalCount }
  edges { node { id standard_id entity_type name pattern pattern_type revoked valid_until x_opencti_score x_opencti_detection
    x_opencti_main_observable_type objectMarking { definition_type definition } } } } }`,
			Variables: map[string]any{"filters": group("and", []map[string]any{
				eq("pattern_type", "STIX"),
				eq("pattern", "[IPv4-Addr:value = '198.51.100.23']", "[domain-name:value = 'c2.evil.example']"),
			})},
		}},
		{name: "indicators-revoked-and-detection", req: gqlRequest{
			Query: `query q($filters: FilterGroup) { indicators(filters: $filters) { edges { node { name revoked x_opencti_detection } } } }`,
			Variables: map[string]any{"filters": group("or", []map[string]any{
				eq("revoked", true),
				eq("x_opencti_detection", "false"),
			})},
		}},
		{name: "observable-everything", req: gqlRequest{
			Query: `{ stixCyberObservable(id: "ipv4-addr--1da5d84c-8a8c-5fe0-b6b7-ba1b8ed1e4f1") { id } one: stixCyberObservable(id: "` + demoIPStandardID + `") {
  id standard_id entity_type observable_value created_at updated_at x_opencti_score x_opencti_description
  createdBy { id standard_id name __typename }
  objectMarking { id standard_id definition_type definition }
  objectLabel { value }
  externalReferences { edges { node { source_name description url external_id } } }
  ... on IPv4Addr { value }
  indicators(first: 5) { pageInfo { hasNextPage endCursor } edges { cursor node { name pattern revoked valid_from valid_until confidence
    x_opencti_score x_opencti_detection x_opencti_main_observable_type x_mitre_platforms indicator_types pattern_version
    description created modified killChainPhases { kill_chain_name phase_name } objectLabel { value } } } }
  stixCoreRelationships { pageInfo { globalCount } edges { node { id standard_id entity_type relationship_type description fromId fromType toId toType
    from { __typename ... on StixCyberObservable { observable_value } ... on Indicator { name } }
    to { __typename ... on StixCyberObservable { observable_value } } } } }
} }`,
		}},
		{name: "relationships-from-to-types", req: gqlRequest{
			Query: `{ stixCyberObservables(filters: {mode: and, filters: [{key: "value", values: "203.0.113.66"}], filterGroups: []}) { edges { node {
  all: stixCoreRelationships { edges { node { relationship_type fromType toType } } }
  observables: stixCoreRelationships(fromTypes: ["Stix-Cyber-Observable"], toTypes: ["Stix-Cyber-Observable"]) { edges { node { relationship_type fromType toType } } }
  none: stixCoreRelationships(fromTypes: ["Indicator"], toTypes: ["Domain-Name"]) { edges { node { relationship_type } } }
} } } }`,
		}},
		{name: "indicator-by-id", req: gqlRequest{
			Query: `{ indicator(id: "` + demoIndicatorStandardID + `") { id standard_id entity_type name createdBy { name } externalReferences { edges { node { source_name url external_id } } } } missing: indicator(id: "nothing") { id } }`,
		}},
		{name: "pagination", req: gqlRequest{
			Query: `{ first: stixCyberObservables(first: 3) { pageInfo { startCursor endCursor hasNextPage hasPreviousPage globalCount } edges { cursor node { observable_value } } }
  next: stixCyberObservables(first: 3, after: "b3BlbmN0aXRlc3Q6Mg==") { pageInfo { startCursor endCursor hasNextPage hasPreviousPage globalCount } edges { cursor node { observable_value } } } }`,
		}},
		{name: "bad-cursor", req: gqlRequest{
			Query: `{ stixCyberObservables(after: "not a cursor") { edges { node { id } } } }`,
		}},
		{name: "hashes-without-hyphen", req: gqlRequest{
			Query: listValues,
			Variables: map[string]any{"filters": group("or", []map[string]any{
				eq("hashes.SHA256", "4b68996ab324a028d8604b08601ade05144feb6998862131d7bbfcf04c92bda0"),
			})},
		}},
		{name: "unknown-filter-keys", req: gqlRequest{
			Query: listValues,
			Variables: map[string]any{"filters": group("and", []map[string]any{eq("value", "x")},
				group("or", []map[string]any{eq("colour", "red"), eq("hashes.MD5", "x"), eq("flavour.sweet", "yes")}))},
		}},
		{name: "unimplemented-filter-key", req: gqlRequest{
			Query:     listValues,
			Variables: map[string]any{"filters": group("and", []map[string]any{eq("objectLabel", "c2")})},
		}},
		{name: "unimplemented-operator", req: gqlRequest{
			Query: listValues,
			Variables: map[string]any{"filters": group("and", []map[string]any{
				{"key": []string{"value"}, "values": []any{"evil"}, "operator": "contains"},
			})},
		}},
		{name: "validation-unknown-field", req: gqlRequest{
			Query: `{ stixCyberObservables { edges { node { id colour } } } }`,
		}},
		{name: "validation-unknown-argument", req: gqlRequest{
			Query: `{ indicators(types: ["Indicator"]) { edges { node { id } } } }`,
		}},
		{name: "validation-filter-null-lists", req: gqlRequest{
			Query:     listValues,
			Variables: map[string]any{"filters": map[string]any{"mode": "or", "filters": nil, "filterGroups": nil}},
		}},
		{name: "parse-error", req: gqlRequest{
			Query: `{ stixCyberObservables { edges { node { id } }`,
		}},
		{name: "alias-limit-two-allowed", req: gqlRequest{
			Query: `{ a: stixCyberObservables(first: 1) { edges { node { id } } } b: stixCyberObservables(first: 1) { edges { node { id } } } }`,
		}},
		{name: "alias-limit-three", req: gqlRequest{
			Query: `query three { a: stixCyberObservables(first: 1) { edges { node { id } } } b: stixCyberObservables(first: 1) { edges { node { id } } } ...more }
fragment more on Query { c: stixCyberObservables(first: 1) { edges { node { id } } } }`,
			OperationName: "three",
		}},
		{name: "introspection", req: gqlRequest{
			Query: `{ __schema { types { name } } }`,
		}},
		{name: "auth-missing", noTok: true, req: gqlRequest{
			Query: `query health { about { version } me { name } }`,
		}},
		{name: "auth-wrong-token", token: "not-the-token", req: gqlRequest{
			Query: `{ stixCyberObservables { edges { node { id } } } indicators { edges { node { id } } } }`,
		}},
	}
	h := newTestHandler(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			token := tc.token
			if token == "" && !tc.noTok {
				token = testToken
			}
			status, hdr, body := post(t, h, token, mustJSON(t, tc.req))
			if ct := hdr.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q", ct)
			}
			got := indent(t, mustJSON(t, map[string]any{
				"request":  tc.req,
				"status":   status,
				"response": json.RawMessage(body),
			}))
			golden(t, "queries/"+tc.name+".json", got)
		})
	}
}

// Ids in the demo bundle the queries use.
const (
	demoIPStandardID        = "ipv4-addr--cec0294c-86c8-52cc-8448-ba43593736df"
	demoIndicatorStandardID = "indicator--1e047ea3-e7f3-4323-b18f-14845e3bb342"
)

// TestErrorCodes checks the codes of the failing queries above without
// the golden files, so a change of code is reported by name.
func TestErrorCodes(t *testing.T) {
	h := newTestHandler(t)
	tests := []struct {
		name  string
		token string
		query string
		vars  map[string]any
		want  []string
	}{
		{"missing token", "", `{ about { version } }`, nil, []string{"AUTH_REQUIRED"}},
		{"wrong token", "x" + testToken, `{ about { version } me { name } }`, nil, []string{"AUTH_REQUIRED", "AUTH_REQUIRED"}},
		{"parse", testToken, `{`, nil, []string{"GRAPHQL_PARSE_FAILED"}},
		{"unknown field", testToken, `{ about { colour } }`, nil, []string{"GRAPHQL_VALIDATION_FAILED"}},
		{"variable type", testToken, `query q($n: Int) { stixCyberObservables(first: $n) { edges { node { id } } } }`, map[string]any{"n": "ten"}, []string{"BAD_USER_INPUT"}},
		{"three root fields", testToken, `{ a: about { version } b: about { version } c: about { version } }`, nil, []string{"GRAPHQL_VALIDATION_FAILED"}},
		{"introspection", testToken, `{ __type(name: "Query") { name } }`, nil, []string{"FORBIDDEN_ACCESS"}},
		{"SHA256", testToken, listValues, map[string]any{"filters": group("or", []map[string]any{eq("hashes.SHA256", "x")})}, []string{"FUNCTIONAL_ERROR"}},
		{"unknown key", testToken, listValues, map[string]any{"filters": group("or", []map[string]any{eq("nope", "x")})}, []string{"UNSUPPORTED_ERROR"}},
		{"wildcard", testToken, listValues, map[string]any{"filters": group("or", []map[string]any{{"key": "value", "values": "x", "operator": "wildcard"}})}, []string{"UNSUPPORTED_ERROR"}},
		{"negative first", testToken, `{ indicators(first: -1) { edges { node { id } } } }`, nil, []string{"FUNCTIONAL_ERROR"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := post(t, h, tc.token, mustJSON(t, gqlRequest{Query: tc.query, Variables: tc.vars}))
			if status != http.StatusOK {
				t.Errorf("status %d, want 200", status)
			}
			if diff := cmp.Diff(tc.want, decodeResponse(t, body).codes()); diff != "" {
				t.Errorf("codes (-want +got):\n%s\n%s", diff, body)
			}
		})
	}
}

// TestExternalReferencesCut: a list of external references cut by first
// says so in pageInfo, as the client's NestedLimit check expects.
func TestExternalReferencesCut(t *testing.T) {
	h := newTestHandler(t)
	refs := `{ pageInfo { hasNextPage } edges { node { source_name } } }`
	body := mustJSON(t, gqlRequest{Query: `{ indicator(id: "` + demoIndicatorStandardID + `") { all: externalReferences` + refs + ` cut: externalReferences(first: 0)` + refs + ` } }`})
	_, _, answer := post(t, h, testToken, body)
	type list struct {
		PageInfo struct{ HasNextPage bool }
		Edges    []any
	}
	var got struct {
		Data struct{ Indicator struct{ All, Cut list } }
	}
	if err := json.Unmarshal(answer, &got); err != nil {
		t.Fatalf("%v: %s", err, answer)
	}
	all, cut := got.Data.Indicator.All, got.Data.Indicator.Cut
	if all.PageInfo.HasNextPage || len(all.Edges) != 1 || !cut.PageInfo.HasNextPage || len(cut.Edges) != 0 {
		t.Errorf("answer %s; want every reference with hasNextPage false, none with hasNextPage true", answer)
	}
}
