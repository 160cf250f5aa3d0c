package opencti

import (
	"encoding/json"
	"testing"
)

// TestFilterGroupJSON checks that required lists are sent as [] and never
// as null, which OpenCTI rejects.
func TestFilterGroupJSON(t *testing.T) {
	tests := []struct {
		name string
		in   filterGroup
		want string
	}{
		{"zero", filterGroup{}, `{"mode":"and","filters":[],"filterGroups":[]}`},
		{
			"empty filter",
			filterGroup{Mode: "or", Filters: []filter{{}}},
			`{"mode":"or","filters":[{"key":[],"values":[]}],"filterGroups":[]}`,
		},
		{
			"values and nested group",
			filterGroup{Mode: "and", Filters: []filter{eqFilter("value", []string{"198.51.100.7"})},
				FilterGroups: []filterGroup{{Mode: "or"}}},
			`{"mode":"and","filters":[{"key":["value"],"values":["198.51.100.7"],"operator":"eq","mode":"or"}],"filterGroups":[{"mode":"or","filters":[],"filterGroups":[]}]}`,
		},
		{
			"nested values (regardingOf)",
			filterGroup{Filters: []filter{{Key: []string{"regardingOf"}, Values: []any{
				map[string]any{"key": "id", "values": []string{"x"}},
				map[string]any{"key": "relationship_type", "values": []string{"based-on"}},
			}}}},
			`{"mode":"and","filters":[{"key":["regardingOf"],"values":[{"key":"id","values":["x"]},{"key":"relationship_type","values":["based-on"]}]}],"filterGroups":[]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("JSON\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}
