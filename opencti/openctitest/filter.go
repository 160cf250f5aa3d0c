package openctitest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// filterGroupInput is OpenCTI's FilterGroup input as the engine decodes it.
type filterGroupInput struct {
	Mode         string
	Filters      []filterInput
	FilterGroups []filterGroupInput
}

// filterInput is one Filter.
type filterInput struct {
	Key      []string
	Values   []anyValue
	Operator *string
	Mode     *string
}

// anyValue holds a value of the Any scalar: a string, number, boolean or a
// nested object, as it came in.
type anyValue struct{ v any }

// ImplementsGraphQLType binds anyValue to the Any scalar.
func (anyValue) ImplementsGraphQLType(name string) bool { return name == "Any" }

// UnmarshalGraphQL keeps the input as it is.
func (a *anyValue) UnmarshalGraphQL(input any) error {
	a.v = input
	return nil
}

// The filter keys the fake evaluates. OpenCTI accepts a key that exists on
// any entity type, for any query: on an object without that attribute, eq
// matches nothing (a pattern filter on observables, say).
var supportedKeys = map[string]bool{
	"ids": true, "internal_id": true, "standard_id": true, "entity_type": true,
	"value": true, "name": true, "hashes": true,
	"x_opencti_score": true,
	"pattern":         true, "pattern_type": true, "pattern_version": true,
	"x_opencti_main_observable_type": true, "indicator_types": true, "revoked": true,
	"x_opencti_detection": true, "confidence": true, "x_mitre_platforms": true,
}

// Keys a real OpenCTI accepts and the fake does not evaluate: it fails
// them with UNSUPPORTED_ERROR rather than answer wrongly.
var unimplementedKeys = map[string]bool{
	"objectLabel": true, "objectMarking": true, "createdBy": true, "creator_id": true,
	"regardingOf": true, "dynamicRegardingOf": true, "objects": true, "objectOrganization": true,
	"created_at": true, "updated_at": true, "created": true, "modified": true,
	"valid_from": true, "valid_until": true, "description": true, "x_opencti_description": true,
	"observable_value": true, "workflow_id": true, "decay_base_score": true,
	"x_opencti_additional_names": true, "size": true, "source_ref": true,
	"fromId": true, "toId": true, "fromTypes": true, "toTypes": true, "relationship_type": true,
}

// hashAlgorithms are the keys of OpenCTI's hashes mapping. A key outside it
// (hashes.SHA256, without hyphen) fails on OpenCTI 6 with a functional error.
var hashAlgorithms = []string{"MD5", "SHA-1", "SHA-256", "SHA-512", "SHA3-256", "SHA3-512", "SSDEEP", "TLSH"}

// operators the fake evaluates.
var operators = []string{"eq", "not_eq", "nil", "not_nil"}

// filterable is an object a filter can test: its values for a key, nil
// when it has none.
type filterable interface {
	filterValues(key string, now time.Time) []string
}

// predicate is a compiled filter group.
type predicate func(n filterable, now time.Time) bool

func matchAll(filterable, time.Time) bool { return true }

// compileFilters checks a filter group as OpenCTI does and returns its
// predicate. Errors carry OpenCTI's codes: UNSUPPORTED_ERROR for keys that
// exist nowhere (and for what the fake does not implement),
// FUNCTIONAL_ERROR for a key path that does not resolve (hashes.SHA256).
func compileFilters(g *filterGroupInput) (predicate, error) {
	if g == nil {
		return matchAll, nil
	}
	var unknown []string
	collectUnknownKeys(g, &unknown)
	if len(unknown) > 0 {
		return nil, &apiError{
			code: codeUnsupported,
			msg:  "Incorrect filter keys not existing in any schema definition",
			data: map[string]any{"keys": unknown},
		}
	}
	return compileGroup(g)
}

func collectUnknownKeys(g *filterGroupInput, out *[]string) {
	for _, f := range g.Filters {
		for _, k := range f.Key {
			first, _, _ := strings.Cut(k, ".")
			if !supportedKeys[first] && !unimplementedKeys[first] && !slices.Contains(*out, first) {
				*out = append(*out, first)
			}
		}
	}
	for i := range g.FilterGroups {
		collectUnknownKeys(&g.FilterGroups[i], out)
	}
}

func compileGroup(g *filterGroupInput) (predicate, error) {
	var parts []predicate
	for _, f := range g.Filters {
		p, err := compileFilter(f)
		if err != nil {
			return nil, err
		}
		parts = append(parts, p)
	}
	for i := range g.FilterGroups {
		p, err := compileGroup(&g.FilterGroups[i])
		if err != nil {
			return nil, err
		}
		parts = append(parts, p)
	}
	return combine(g.Mode, parts), nil
}

// combine joins predicates with mode "and" or "or"; none matches all.
func combine(mode string, parts []predicate) predicate {
	if len(parts) == 0 {
		return matchAll
	}
	if mode == "or" {
		return func(n filterable, now time.Time) bool {
			for _, p := range parts {
				if p(n, now) {
					return true
				}
			}
			return false
		}
	}
	return func(n filterable, now time.Time) bool {
		for _, p := range parts {
			if !p(n, now) {
				return false
			}
		}
		return true
	}
}

func compileFilter(f filterInput) (predicate, error) {
	op := "eq"
	if f.Operator != nil {
		op = *f.Operator
	}
	if !slices.Contains(operators, op) {
		return nil, &apiError{
			code: codeUnsupported,
			msg:  fmt.Sprintf("openctitest does not implement the filter operator %s (it implements %s)", op, strings.Join(operators, ", ")),
		}
	}
	mode := "or"
	if f.Mode != nil {
		mode = *f.Mode
	}
	if len(f.Key) == 0 {
		return nil, &apiError{code: codeFunctional, msg: "A filter needs at least one key"}
	}
	for _, k := range f.Key {
		if err := checkKey(k); err != nil {
			return nil, err
		}
	}
	values := make([]string, len(f.Values))
	for i, v := range f.Values {
		s, ok := scalarText(v.v)
		if !ok {
			return nil, &apiError{code: codeFunctional, msg: fmt.Sprintf("openctitest compares filter values of key %s as text; got %T", strings.Join(f.Key, ","), v.v)}
		}
		values[i] = fold(s)
	}
	if (op == "eq" || op == "not_eq") && len(values) == 0 {
		return nil, &apiError{code: codeFunctional, msg: fmt.Sprintf("The %s operator of key %s needs at least one value", op, strings.Join(f.Key, ","))}
	}
	keys := f.Key

	// test tells whether one key of an object satisfies the filter.
	test := func(have []string) bool {
		switch op {
		case "nil":
			return len(have) == 0
		case "not_nil":
			return len(have) > 0
		}
		one := func(v string) bool {
			found := slices.ContainsFunc(have, func(h string) bool { return fold(h) == v })
			return found == (op == "eq")
		}
		if mode == "and" {
			for _, v := range values {
				if !one(v) {
					return false
				}
			}
			return true
		}
		return slices.ContainsFunc(values, one)
	}
	// Several keys: a positive operator needs one key to match, a negative
	// one (not_eq, nil) all of them, as OpenCTI builds its queries.
	negative := op == "not_eq" || op == "nil"
	return func(n filterable, now time.Time) bool {
		for _, k := range keys {
			ok := test(n.filterValues(k, now))
			if ok != negative {
				return ok
			}
		}
		return negative
	}, nil
}

// checkKey fails keys that OpenCTI accepts but the fake does not evaluate,
// and key paths that do not resolve.
func checkKey(k string) error {
	first, rest, dotted := strings.Cut(k, ".")
	if unimplementedKeys[first] {
		return &apiError{code: codeUnsupported, msg: fmt.Sprintf("openctitest does not implement the filter key %s", first)}
	}
	switch {
	case first == "hashes" && !dotted:
		return &apiError{code: codeUnsupported, msg: "openctitest does not implement the filter key hashes without an algorithm (use hashes.SHA-256, …)"}
	case first == "hashes":
		alg, _, _ := strings.Cut(rest, ".")
		if !slices.Contains(hashAlgorithms, alg) {
			return &apiError{code: codeFunctional, msg: fmt.Sprintf("Schema definition named [hashes] is missing mapping for attribute [%s]", alg)}
		}
		if strings.Contains(rest, ".") {
			return &apiError{code: codeFunctional, msg: fmt.Sprintf("Cannot resolve path [%s], [%s] is not an object", k, alg)}
		}
	case dotted:
		return &apiError{code: codeFunctional, msg: fmt.Sprintf("Cannot resolve path [%s], [%s] is not an object", k, first)}
	}
	return nil
}

// scalarText is the text a filter compares a value by.
func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case bool:
		return strconv.FormatBool(v), true
	case int32:
		return strconv.FormatInt(int64(v), 10), true
	case int:
		return strconv.Itoa(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	}
	return "", false
}

// fold is the normalisation of OpenCTI's keyword fields: lower case without
// diacritics, so that comparisons ignore both.
func fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	if out, _, err := transform.String(t, s); err == nil {
		s = out
	}
	return strings.ToLower(s)
}

func foldEqual(a, b string) bool { return fold(a) == fold(b) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func (e *entity) commonValues(key string) ([]string, bool) {
	switch key {
	case "ids":
		return append([]string{e.internalID}, e.stixIDs...), true
	case "internal_id":
		return []string{e.internalID}, true
	case "standard_id":
		return []string{e.standardID}, true
	case "entity_type":
		return append([]string{e.entityType}, e.parents...), true
	}
	return nil, false
}

func (o *observable) filterValues(key string, _ time.Time) []string {
	if v, ok := o.commonValues(key); ok {
		return v
	}
	switch {
	case key == "value" && o.value != "":
		return []string{o.value}
	case key == "name" && o.name != "":
		return []string{o.name}
	case key == "x_opencti_score" && o.score != nil:
		return []string{strconv.Itoa(*o.score)}
	case strings.HasPrefix(key, "hashes."):
		if v, ok := o.hash(strings.TrimPrefix(key, "hashes.")); ok {
			return []string{v}
		}
	}
	return nil
}

func (i *indicator) filterValues(key string, now time.Time) []string {
	if v, ok := i.commonValues(key); ok {
		return v
	}
	opt := func(s string) []string {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	switch key {
	case "name":
		return opt(i.name)
	case "pattern":
		return opt(i.pattern)
	case "pattern_type":
		return opt(i.patternType)
	case "pattern_version":
		if i.patternVersion != nil {
			return opt(*i.patternVersion)
		}
	case "x_opencti_main_observable_type":
		return opt(i.mainObservableType)
	case "indicator_types":
		return i.indicatorTypes
	case "x_mitre_platforms":
		return i.platforms
	case "revoked":
		return []string{strconv.FormatBool(i.revokedAt(now))}
	case "x_opencti_score":
		if i.score != nil {
			return []string{strconv.Itoa(*i.score)}
		}
	case "confidence":
		if i.confidence != nil {
			return []string{strconv.Itoa(*i.confidence)}
		}
	case "x_opencti_detection":
		if i.detection != nil {
			return []string{strconv.FormatBool(*i.detection)}
		}
	}
	return nil
}
