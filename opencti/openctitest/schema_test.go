package openctitest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graph-gophers/graphql-go"

	"github.com/wazuh-opencti/wazuh-opencti/internal/graphqlcompat"
)

// TestServedSchemaCompatibility checks that what the fake serves beyond the
// client's schema is as upstream declares it, in each OpenCTI schema of
// OPENCTI_SCHEMA_DIR.
func TestServedSchemaCompatibility(t *testing.T) {
	files := graphqlcompat.UpstreamSchemas(t)
	text, err := servedSchema()
	if err != nil {
		t.Fatal(err)
	}
	served, err := graphqlcompat.LoadSchema("served schema", text)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			full, err := graphqlcompat.LoadSchemaFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range graphqlcompat.Differences(served, full) {
				t.Errorf("served schema: %s", d)
			}
		})
	}
}

// TestClientOperationsValid validates the client's operation files against
// the served schema, with the validator the client's tests use.
func TestClientOperationsValid(t *testing.T) {
	text, err := servedSchema()
	if err != nil {
		t.Fatal(err)
	}
	served, err := graphqlcompat.LoadSchema("served schema", text)
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("..", "*.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if filepath.Base(f) == "schema.graphql" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n++
		if err := graphqlcompat.ValidateOperations(served, string(b)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if n == 0 {
		t.Fatal("found no operation files in ../")
	}
}

// TestAdditionsAlreadyPresent: when the client's schema grows to include an
// addition, the fake does not declare it twice.
func TestAdditionsAlreadyPresent(t *testing.T) {
	base, err := os.ReadFile(filepath.Join("..", "schema.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	grown := strings.Replace(string(base), "type PageInfo {\n", "type PageInfo {\n  startCursor: String!\n", 1)
	grown = strings.Replace(grown, "type Query {\n", "type Query {\n  indicator(id: String!): Indicator\n", 1)
	if grown == string(base) {
		t.Fatal("schema.graphql no longer declares PageInfo and Query as the test expects")
	}
	text, err := extendSchema(grown)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"startCursor: String!", "indicator(id: String!): Indicator"} {
		if n := strings.Count(text, s); n != 1 {
			t.Errorf("%q appears %d times", s, n)
		}
	}
	if _, err := graphql.ParseSchema(text, &rootResolver{&env{s: &store{}}}); err != nil {
		t.Errorf("the extended schema does not bind: %v", err)
	}
}
