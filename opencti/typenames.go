package opencti

import (
	"bytes"
	"encoding/json"
)

// knownObservableTypename reports whether v is the __typename of one of the
// observable types the generated code decodes.
func knownObservableTypename(v any) bool {
	switch v {
	case "IPv4Addr", "IPv6Addr", "DomainName", "Hostname", "Url", "EmailAddr", "StixFile":
		return true
	}
	return false
}

// dropUnknownTypes replaces with null the observables of the lookup response
// whose __typename the generated code does not know (the queries restrict
// types, so only a server that ignores the restriction sends them), and
// returns how many it dropped.
func dropUnknownTypes(data json.RawMessage) ([]byte, int, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var root map[string]any
	if err := dec.Decode(&root); err != nil {
		return nil, 0, err
	}
	n := 0
	drop := func(parent map[string]any, key string) bool {
		obj, ok := parent[key].(map[string]any)
		if !ok || knownObservableTypename(obj["__typename"]) {
			return false
		}
		parent[key] = nil
		n++
		return true
	}
	for _, edge := range listAt(root, "stixCyberObservables", "edges") {
		e, ok := edge.(map[string]any)
		if !ok || drop(e, "node") {
			continue
		}
		node, _ := e["node"].(map[string]any)
		for _, rel := range listAt(node, "stixCoreRelationships", "edges") {
			if r, ok := rel.(map[string]any); ok {
				if rn, ok := r["node"].(map[string]any); ok {
					drop(rn, "from")
					drop(rn, "to")
				}
			}
		}
	}
	if n == 0 {
		return data, 0, nil
	}
	out, err := json.Marshal(root)
	return out, n, err
}

func listAt(m map[string]any, keys ...string) []any {
	var cur any = m
	for _, k := range keys {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = obj[k]
	}
	list, _ := cur.([]any)
	return list
}
