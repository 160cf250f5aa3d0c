package graphqlcompat

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// upstream is a tiny stand-in for a server's full schema.
const upstream = `
scalar DateTime
directive @auth(for: [String]) on FIELD_DEFINITION
type Query {
  thing(id: String!, first: Int = 10, filters: Filter): Thing
  things(first: Int): [Thing!]!
}
interface Node { id: ID! }
interface Named { name: String }
type Thing implements Node & Named {
  id: ID!
  name: String
  size(unit: Unit!): Int
  created_at: DateTime!
  kind: Kind
}
type Other implements Node { id: ID! }
type Third implements Node { id: ID! }
union Any = Thing | Other | Third
enum Unit { bytes kilobytes }
input Filter { key: String!, values: [String!]!, mode: Mode = and }
enum Mode { and or }
type Kind { value: String }
`

func TestDifferences(t *testing.T) {
	full, err := LoadSchema("upstream", upstream)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		sub  string
		want []string
	}{
		{
			name: "faithful subset",
			sub: `scalar DateTime
				type Query { thing(id: String!, filters: Filter): Thing }
				interface Node { id: ID! }
				type Thing implements Node { id: ID! size(unit: Unit!): Int created_at: DateTime! }
				type Other implements Node { id: ID! }
				union Any = Thing | Other
				enum Unit { bytes }
				input Filter { key: String!, values: [String!]! }`,
		},
		{
			name: "unknown type, field and argument",
			sub: `type Query { thing(id: String!, limit: Int): Thing, gadget: Gadget }
				type Thing { id: ID! colour: String }
				type Gadget { id: ID! }`,
			want: []string{
				"argument Query.thing(limit): not upstream",
				"field Query.gadget: not upstream",
				"field Thing.colour: not upstream",
				"type Gadget: not in the upstream schema",
			},
		},
		{
			name: "field and argument types must be identical",
			sub: `type Query { thing(id: String, first: Int = 20): Thing, things(first: Int!): [Thing] }
				type Thing { id: ID, name: String!, size(unit: String!): Int, created_at: String! }`,
			want: []string{
				"argument Query.thing(first): default 20, upstream 10",
				"argument Query.thing(id): type String, upstream String!",
				"argument Query.things(first): type Int!, upstream Int",
				"argument Thing.size(unit): type String!, upstream Unit!",
				"field Query.things: type [Thing], upstream [Thing!]!",
				"field Thing.created_at: type String!, upstream DateTime!",
				"field Thing.id: type ID, upstream ID!",
				"field Thing.name: type String!, upstream String",
			},
		},
		{
			name: "required argument left out",
			sub:  `type Query { thing: Thing } type Thing { size: Int }`,
			want: []string{
				"argument Query.thing(id): required upstream, missing",
				"argument Thing.size(unit): required upstream, missing",
			},
		},
		{
			name: "kinds, enums, unions, interfaces",
			sub: `type Query { thing(id: String!): Thing }
				type Thing implements Node & Other2 { id: ID! }
				interface Node { id: ID! }
				interface Other2 { id: ID! }
				type Other { id: ID! }
				union Any = Thing | Query
				enum Unit { bytes megabytes }
				type Kind { value: String }
				scalar Mode`,
			want: []string{
				"enum value Unit.megabytes: not upstream",
				"type Mode: is SCALAR, upstream ENUM",
				"type Other2: not in the upstream schema",
				"type Thing: implements Other2, upstream does not",
				"union Any: member Query is not upstream",
			},
		},
		{
			name: "input fields",
			sub: `type Query { thing(id: String!, filters: Filter): Thing }
				type Thing { id: ID! }
				input Filter { key: String, mode: Mode = or, extra: Int }
				enum Mode { and or }`,
			want: []string{
				"input field Filter.extra: not upstream",
				"input field Filter.key: type String, upstream String!",
				"input field Filter.mode: default or, upstream and",
				"input field Filter.values: required upstream, missing",
			},
		},
		{
			name: "directives",
			sub: `directive @auth(for: String) on FIELD_DEFINITION
				directive @cached on FIELD_DEFINITION
				type Query { things(first: Int): [Thing!]! }
				type Thing { id: ID! }`,
			want: []string{
				"directive @auth(for): type String, upstream [String]",
				"directive @cached: not upstream",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub, err := LoadSchema("sub", tt.sub)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, Differences(sub, full)); diff != "" {
				t.Errorf("Differences (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateOperations(t *testing.T) {
	s, err := LoadSchema("upstream", upstream)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, doc, wantErr string
	}{
		{"valid", `query q($id: String!) { thing(id: $id) { id ... on Named { name } } }`, ""},
		{"unknown field", `query q { things { colour } }`, `Cannot query field "colour"`},
		{"missing argument", `query q { thing { id } }`, `argument "id" of type "String!" is required`},
		{"wrong variable type", `query q($id: Int) { thing(id: $id) { id } }`, `Variable "$id" of type "Int" used in position expecting type "String!"`},
		{"syntax", `query q { thing(id: "x") { id }`, `Expected Name, found <EOF>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateOperations(s, tt.doc)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("ValidateOperations: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("ValidateOperations = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestUpstreamSchemasSkipsWithoutVariable(t *testing.T) {
	t.Setenv(EnvSchemaDir, "")
	var skipped, returned bool
	t.Run("probe", func(t *testing.T) {
		t.Cleanup(func() { skipped = t.Skipped() })
		UpstreamSchemas(t)
		returned = true
	})
	if !skipped || returned {
		t.Errorf("without %s: skipped = %t, returned = %t; want a skip", EnvSchemaDir, skipped, returned)
	}
}

func TestUpstreamSchemasLists(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"schema-7.1.graphql", "schema-6.9.graphql", "notes.md"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv(EnvSchemaDir, dir)
	want := []string{filepath.Join(dir, "schema-6.9.graphql"), filepath.Join(dir, "schema-7.1.graphql")}
	if diff := cmp.Diff(want, UpstreamSchemas(t)); diff != "" {
		t.Errorf("UpstreamSchemas (-want +got):\n%s", diff)
	}
}
