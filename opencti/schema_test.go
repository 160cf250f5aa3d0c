package opencti

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/wazuh-opencti/wazuh-opencti/internal/graphqlcompat"
)

// operationDocuments are the operation files and the documents genqlient
// actually sends (the files with __typename added and fragments inlined).
func operationDocuments(t *testing.T) map[string]string {
	t.Helper()
	docs := map[string]string{
		"sent document of health": health_Operation,
		"sent document of lookup": lookup_Operation,
	}
	files, err := filepath.Glob("*.graphql")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f == "schema.graphql" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[f] = string(b)
	}
	if len(docs) < 4 {
		t.Fatalf("found only %d operation documents", len(docs))
	}
	return docs
}

func loadSubset(t *testing.T) (*ast.Schema, string) {
	t.Helper()
	b, err := os.ReadFile("schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	s, err := graphqlcompat.LoadSchema("schema.graphql", string(b))
	if err != nil {
		t.Fatal(err)
	}
	return s, string(b)
}

// TestOperationsValid validates the operations against this package's own
// schema subset (genqlient does too, when generating).
func TestOperationsValid(t *testing.T) {
	sub, _ := loadSubset(t)
	for name, doc := range operationDocuments(t) {
		if err := graphqlcompat.ValidateOperations(sub, doc); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestSchemaCompatibility checks the package against the schemas real
// OpenCTI servers serve (OPENCTI_SCHEMA_DIR): every operation is valid
// against each, and schema.graphql is a faithful subset of each.
func TestSchemaCompatibility(t *testing.T) {
	files := graphqlcompat.UpstreamSchemas(t)
	sub, subText := loadSubset(t)
	docs := operationDocuments(t)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			full, err := graphqlcompat.LoadSchemaFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range graphqlcompat.Differences(sub, full) {
				t.Errorf("schema.graphql: %s", d)
			}
			for name, doc := range docs {
				if err := graphqlcompat.ValidateOperations(full, doc); err != nil {
					t.Errorf("%s is not valid against %s: %v", name, filepath.Base(f), err)
				}
			}

			// The comparison must see a change that a server would
			// notice: a nullable score made non-null, a hash key type
			// changed, an observable type that is not upstream.
			for _, m := range []struct{ old, new, want string }{
				{"  x_opencti_score: Int\n  x_opencti_detection", "  x_opencti_score: Int!\n  x_opencti_detection", "field Indicator.x_opencti_score: type Int!, upstream Int"},
				{"  algorithm: String!", "  algorithm: String", "field Hash.algorithm: type String, upstream String!"},
				{"= IPv4Addr |", "= IPv4Addr | Gadget |", "union StixObjectOrStixRelationshipOrCreator: member Gadget is not upstream"},
			} {
				if !strings.Contains(subText, m.old) {
					t.Fatalf("schema.graphql no longer contains %q", m.old)
				}
				text := strings.Replace(subText, m.old, m.new, 1)
				if strings.Contains(m.new, "Gadget") {
					text += "\ntype Gadget { id: ID! }\n"
				}
				changed, err := graphqlcompat.LoadSchema("changed", text)
				if err != nil {
					t.Fatal(err)
				}
				diffs := graphqlcompat.Differences(changed, full)
				if !contains(diffs, m.want) {
					t.Errorf("after changing %q to %q, Differences = %q, want it to hold %q", m.old, m.new, diffs, m.want)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
