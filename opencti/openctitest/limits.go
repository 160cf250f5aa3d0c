package openctitest

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// maxRootFieldUses is how often one root field may appear in a document:
// OpenCTI refuses more, to stop alias batching (many lookups under aliases
// in one request).
const maxRootFieldUses = 2

// inspectDocument applies OpenCTI's checks that come before execution: the
// limit on root fields and the ban on introspection. A document that does
// not parse passes, for the engine to report. It returns the response keys
// of the operation's root fields in document order.
func inspectDocument(query, operationName string) (map[string]int, *wireError) {
	keys := map[string]int{}
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		return keys, nil
	}
	if usesIntrospection(doc) {
		return keys, &wireError{Message: "GraphQL introspection not authorized!", Extensions: map[string]any{"code": "FORBIDDEN_ACCESS"}}
	}
	var op *ast.OperationDefinition
	switch {
	case operationName != "":
		op = doc.Operations.ForName(operationName)
	case len(doc.Operations) == 1:
		op = doc.Operations[0]
	}
	if op == nil {
		return keys, nil
	}
	counts := map[string]int{}
	var order []string
	visited := map[string]bool{}
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				if sel.Name == "__typename" {
					continue
				}
				if counts[sel.Name] == 0 {
					order = append(order, sel.Name)
				}
				counts[sel.Name]++
				if _, ok := keys[sel.Alias]; !ok {
					keys[sel.Alias] = len(keys) // gqlparser sets Alias to the name when there is none
				}
			case *ast.InlineFragment:
				walk(sel.SelectionSet)
			case *ast.FragmentSpread:
				if f := doc.Fragments.ForName(sel.Name); f != nil && !visited[sel.Name] {
					visited[sel.Name] = true
					walk(f.SelectionSet)
				}
			}
		}
	}
	walk(op.SelectionSet)
	for _, name := range order {
		if n := counts[name]; n > maxRootFieldUses {
			return keys, &wireError{
				Message:    fmt.Sprintf("The root field %s appears %d times in the document; OpenCTI allows at most %d (put the values in one filter instead of aliasing the field)", name, n, maxRootFieldUses),
				Extensions: map[string]any{"code": codeValidationFailed},
			}
		}
	}
	return keys, nil
}

// usesIntrospection reports whether a document selects __schema or __type
// anywhere; OpenCTI forbids introspection unless its playground is on.
func usesIntrospection(doc *ast.QueryDocument) bool {
	var found bool
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				if sel.Name == "__schema" || sel.Name == "__type" {
					found = true
				}
				walk(sel.SelectionSet)
			case *ast.InlineFragment:
				walk(sel.SelectionSet)
			}
		}
	}
	for _, op := range doc.Operations {
		walk(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		walk(f.SelectionSet)
	}
	return found
}
