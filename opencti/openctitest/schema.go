package openctitest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/graph-gophers/graphql-go"
	"github.com/graph-gophers/graphql-go/ast"

	"github.com/wazuh-opencti/wazuh-opencti/opencti"
)

// addition is a part of OpenCTI's schema that the fake serves beyond the
// client's subset (opencti.Schema): root fields to fetch one object, the
// rest of PageInfo, cursors, ids. Each is written exactly as upstream
// declares it; TestServedSchemaCompatibility checks that against the
// upstream schemas.
type addition struct {
	typ  string // the type extended
	name string // the field added, or the union member
	def  string // the field's definition; "" for a union member
}

var additions = []addition{
	{"Query", "stixCyberObservable", "stixCyberObservable(id: String!): StixCyberObservable"},
	{"Query", "indicator", "indicator(id: String!): Indicator"},
	{"MeUser", "id", "id: ID!"},
	{"PageInfo", "startCursor", "startCursor: String!"},
	{"PageInfo", "hasPreviousPage", "hasPreviousPage: Boolean!"},
	{"PageInfo", "globalCount", "globalCount: Int!"},
	{"StixCyberObservableEdge", "cursor", "cursor: String!"},
	{"IndicatorEdge", "cursor", "cursor: String!"},
	{"StixCoreRelationshipEdge", "cursor", "cursor: String!"},
	{"Indicator", "entity_type", "entity_type: String!"},
	{"MarkingDefinition", "id", "id: ID!"},
	{"StixCoreRelationship", "id", "id: ID!"},
	{"StixCoreRelationship", "standard_id", "standard_id: String!"},
	{"StixCoreRelationship", "entity_type", "entity_type: String!"},
	{"StixCoreRelationship", "description", "description: String"},
	// Upstream the union has about ninety members; an indicator is the
	// source of an observable's based-on relationships.
	{"StixObjectOrStixRelationshipOrCreator", "Indicator", ""},
}

// servedSchema is the client's schema plus the additions it does not
// already have, so that the fake keeps working when the client's schema
// grows to include some of them.
func servedSchema() (string, error) { return extendSchema(opencti.Schema()) }

func extendSchema(base string) (string, error) {
	parsed, err := graphql.ParseSchema(base, nil)
	if err != nil {
		return "", fmt.Errorf("openctitest: the schema of package opencti does not parse: %w", err)
	}
	types := parsed.AST().Types
	var b strings.Builder
	b.WriteString(base)
	b.WriteString("\n# Served by openctitest in addition to the client's subset; as upstream.\n")
	fields := map[string][]string{} // type → missing field definitions
	var order []string
	for _, a := range additions {
		switch t := types[a.typ].(type) {
		case *ast.ObjectTypeDefinition:
			if t.Fields.Get(a.name) == nil {
				if fields[a.typ] == nil {
					order = append(order, a.typ)
				}
				fields[a.typ] = append(fields[a.typ], a.def)
			}
		case *ast.Union:
			if !slices.Contains(t.TypeNames, a.name) {
				fmt.Fprintf(&b, "extend union %s = %s\n", a.typ, a.name)
			}
		}
	}
	for _, typ := range order {
		fmt.Fprintf(&b, "extend type %s {\n  %s\n}\n", typ, strings.Join(fields[typ], "\n  "))
	}
	return b.String(), nil
}
