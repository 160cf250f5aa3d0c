package opencti

import "encoding/json"

// filterGroup is OpenCTI's FilterGroup input (OpenCTI 5.12 and later), bound
// in genqlient.yaml in place of a generated type: the server rejects null for
// the required lists, and Go marshals a nil slice as null, so MarshalJSON
// always writes every list, empty ones as [].
type filterGroup struct {
	Mode         string // "and" or "or"; "" sends "and", the server's default for groups
	Filters      []filter
	FilterGroups []filterGroup
}

// filter is one OpenCTI Filter: key matches any (mode "or") or all (mode
// "and") of values through operator.
type filter struct {
	Key      []string
	Values   []any // strings mostly; nested objects for filters such as regardingOf
	Operator string
	Mode     string
}

func (g filterGroup) MarshalJSON() ([]byte, error) {
	mode := g.Mode
	if mode == "" {
		mode = "and"
	}
	return json.Marshal(struct {
		Mode         string        `json:"mode"`
		Filters      []filter      `json:"filters"`
		FilterGroups []filterGroup `json:"filterGroups"`
	}{mode, nonNil(g.Filters), nonNil(g.FilterGroups)})
}

func (f filter) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Key      []string `json:"key"`
		Values   []any    `json:"values"`
		Operator string   `json:"operator,omitempty"`
		Mode     string   `json:"mode,omitempty"`
	}{nonNil(f.Key), nonNil(f.Values), f.Operator, f.Mode})
}

// eqFilter matches key against any of values.
func eqFilter(key string, values []string) filter {
	vs := make([]any, len(values))
	for i, v := range values {
		vs[i] = v
	}
	return filter{Key: []string{key}, Values: vs, Operator: "eq", Mode: "or"}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
