// Package graphqlcompat checks that a hand-written GraphQL schema subset and
// the operations written against it agree with the full schemas of real
// servers. It backs the compatibility tests of package opencti and is not
// public API.
package graphqlcompat

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// EnvSchemaDir names the environment variable that holds the directory of
// the upstream OpenCTI schemas (files named schema-<version>.graphql).
const EnvSchemaDir = "OPENCTI_SCHEMA_DIR"

// UpstreamSchemas returns the schema-*.graphql files of the directory named
// by OPENCTI_SCHEMA_DIR, sorted. When the variable is unset it skips the test,
// saying which variable to set; when it is set but names no schema it fails
// the test, because a misconfigured CI must not pass silently.
func UpstreamSchemas(tb testing.TB) []string {
	tb.Helper()
	dir := os.Getenv(EnvSchemaDir)
	if dir == "" {
		tb.Skipf("%s is not set: set it to the directory of the upstream OpenCTI schemas "+
			"(schema-*.graphql, e.g. ../shared/opencti) to run the compatibility tests", EnvSchemaDir)
	}
	files, err := filepath.Glob(filepath.Join(dir, "schema-*.graphql"))
	if err != nil {
		tb.Fatalf("%s=%s: %v", EnvSchemaDir, dir, err)
	}
	if len(files) == 0 {
		tb.Fatalf("%s=%s holds no schema-*.graphql file", EnvSchemaDir, dir)
	}
	sort.Strings(files)
	return files
}

// LoadSchemaFile parses and validates a schema file.
func LoadSchemaFile(path string) (*ast.Schema, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return LoadSchema(filepath.Base(path), string(b))
}

// LoadSchema parses and validates schema text; name appears in errors.
func LoadSchema(name, text string) (*ast.Schema, error) {
	s, err := gqlparser.LoadSchema(&ast.Source{Name: name, Input: text})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// ValidateOperations parses an executable document (operations and
// fragments) and validates it against schema with the rules of the GraphQL
// specification.
func ValidateOperations(schema *ast.Schema, text string) error {
	_, errs := gqlparser.LoadQueryWithRules(schema, text, rules.NewDefaultRules())
	if len(errs) == 0 {
		return nil
	}
	all := make([]error, len(errs))
	for i, e := range errs {
		all[i] = e
	}
	return errors.Join(all...)
}

// Differences lists every way in which sub is not a faithful subset of full,
// sorted; nil means none. sub is a faithful subset when
//   - each of its named types exists in full with the same kind;
//   - each field of an object or interface exists there with an identical
//     type, and each of the field's arguments exists with an identical type
//     and default value; arguments full requires are not left out;
//   - each field of an input object exists with an identical type and
//     default value, and no input field full requires is left out;
//   - each enum value exists in full;
//   - each union member and each implemented interface is one in full
//     (a subset may list fewer);
//   - each directive it defines exists in full with the same arguments.
//
// Built-in types and directives (the GraphQL prelude) are not compared.
func Differences(sub, full *ast.Schema) []string {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }

	for _, name := range sortedKeys(sub.Types) {
		def := sub.Types[name]
		if def.BuiltIn {
			continue
		}
		up, ok := full.Types[name]
		if !ok {
			add("type %s: not in the upstream schema", name)
			continue
		}
		if def.Kind != up.Kind {
			add("type %s: is %s, upstream %s", name, def.Kind, up.Kind)
			continue
		}
		switch def.Kind {
		case ast.Object, ast.Interface:
			for _, iface := range def.Interfaces {
				if !slices.Contains(up.Interfaces, iface) {
					add("type %s: implements %s, upstream does not", name, iface)
				}
			}
			for _, f := range def.Fields {
				if isIntrospection(f.Name) {
					continue
				}
				uf := up.Fields.ForName(f.Name)
				if uf == nil {
					add("field %s.%s: not upstream", name, f.Name)
					continue
				}
				if f.Type.String() != uf.Type.String() {
					add("field %s.%s: type %s, upstream %s", name, f.Name, f.Type, uf.Type)
				}
				compareInputs(add, fmt.Sprintf("argument %s.%s(%%s)", name, f.Name),
					argumentDefs(f.Arguments), argumentDefs(uf.Arguments))
			}
		case ast.InputObject:
			compareInputs(add, "input field "+name+".%s", fieldDefs(def.Fields), fieldDefs(up.Fields))
		case ast.Enum:
			for _, v := range def.EnumValues {
				if up.EnumValues.ForName(v.Name) == nil {
					add("enum value %s.%s: not upstream", name, v.Name)
				}
			}
		case ast.Union:
			for _, member := range def.Types {
				if !slices.Contains(up.Types, member) {
					add("union %s: member %s is not upstream", name, member)
				}
			}
		}
	}

	for _, name := range sortedKeys(sub.Directives) {
		d := sub.Directives[name]
		if d.Position != nil && d.Position.Src != nil && d.Position.Src.BuiltIn {
			continue
		}
		ud, ok := full.Directives[name]
		if !ok {
			add("directive @%s: not upstream", name)
			continue
		}
		for _, a := range d.Arguments {
			ua := ud.Arguments.ForName(a.Name)
			if ua == nil {
				add("directive @%s(%s): not upstream", name, a.Name)
			} else if a.Type.String() != ua.Type.String() {
				add("directive @%s(%s): type %s, upstream %s", name, a.Name, a.Type, ua.Type)
			}
		}
	}

	for _, root := range []struct {
		what      string
		sub, full *ast.Definition
	}{{"query", sub.Query, full.Query}, {"mutation", sub.Mutation, full.Mutation}, {"subscription", sub.Subscription, full.Subscription}} {
		if root.sub != nil && (root.full == nil || root.full.Name != root.sub.Name) {
			add("schema: %s root type %s differs upstream", root.what, root.sub.Name)
		}
	}
	sort.Strings(diffs)
	return diffs
}

// inputDef is an argument or an input field: what a client sends.
type inputDef struct {
	name string
	typ  *ast.Type
	def  *ast.Value
}

func argumentDefs(l ast.ArgumentDefinitionList) []inputDef {
	out := make([]inputDef, len(l))
	for i, a := range l {
		out[i] = inputDef{a.Name, a.Type, a.DefaultValue}
	}
	return out
}

func fieldDefs(l ast.FieldList) []inputDef {
	out := make([]inputDef, len(l))
	for i, f := range l {
		out[i] = inputDef{f.Name, f.Type, f.DefaultValue}
	}
	return out
}

// compareInputs checks arguments or input fields: each of ours exists
// upstream with the same type and default, and none that upstream requires
// is missing. label holds one %s for the name.
func compareInputs(add func(string, ...any), label string, ours, theirs []inputDef) {
	find := func(l []inputDef, name string) *inputDef {
		for i := range l {
			if l[i].name == name {
				return &l[i]
			}
		}
		return nil
	}
	for _, o := range ours {
		t := find(theirs, o.name)
		what := fmt.Sprintf(label, o.name)
		switch {
		case t == nil:
			add("%s: not upstream", what)
			continue
		case o.typ.String() != t.typ.String():
			add("%s: type %s, upstream %s", what, o.typ, t.typ)
		}
		if valueText(o.def) != valueText(t.def) {
			add("%s: default %s, upstream %s", what, valueText(o.def), valueText(t.def))
		}
	}
	for _, t := range theirs {
		if t.typ.NonNull && t.def == nil && find(ours, t.name) == nil {
			add("%s: required upstream, missing", fmt.Sprintf(label, t.name))
		}
	}
}

func isIntrospection(name string) bool { return len(name) > 2 && name[:2] == "__" }

func valueText(v *ast.Value) string {
	if v == nil {
		return "(none)"
	}
	return v.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
