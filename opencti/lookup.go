package opencti

import (
	"context"
	"log/slog"
	"net/netip"
	"reflect"
	"strings"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// OpenCTI entity types of the observables this package decodes, in the order
// they are sent. Their GraphQL type names differ (IPv4Addr, StixFile, …):
// see knownObservableTypename.
const (
	entityIPv4Addr   = "IPv4-Addr"
	entityIPv6Addr   = "IPv6-Addr"
	entityDomainName = "Domain-Name"
	entityHostname   = "Hostname"
	entityURL        = "Url"
	entityEmailAddr  = "Email-Addr"
	entityFile       = "StixFile"
)

// decodedEntityTypes are the observable types the generated code decodes:
// the relationships of a match are restricted to these at both ends.
var decodedEntityTypes = []string{
	entityIPv4Addr, entityIPv6Addr, entityDomainName, entityHostname,
	entityURL, entityEmailAddr, entityFile,
}

// entityTypesFor maps a STIX observable type to the OpenCTI entity types
// that may hold its value. Names are stored both as Domain-Name and as
// Hostname, so a name of either STIX type is looked up as both.
func entityTypesFor(stixType string) []string {
	switch stixType {
	case stix.TypeIPv4Addr:
		return []string{entityIPv4Addr}
	case stix.TypeIPv6Addr:
		return []string{entityIPv6Addr}
	case stix.TypeDomainName, stix.TypeHostname:
		return []string{entityDomainName, entityHostname}
	case stix.TypeURL:
		return []string{entityURL}
	case stix.TypeEmailAddr:
		return []string{entityEmailAddr}
	case stix.TypeFile:
		return []string{entityFile}
	}
	return nil
}

// Lookup looks the observables up in OpenCTI with one HTTP request, however
// many there are: the observables whose value (addresses, names, URLs,
// e-mail addresses) or hash (MD5, SHA-1, SHA-256, SHA-512; a file's name
// when it has no hash) is one of theirs, and the STIX indicators whose
// pattern is one of theirs. Further requests are made only for further pages
// of results, at most WithMaxPages in all, and for retries.
//
// For each matching observable the result holds its own indicators and its
// related observables (relationships such as resolves-to or related-to, in
// either direction, between the observable types of package stix) with their
// indicators. Matches fields say which of obs each finding answers.
//
// Indicators are searched by exact pattern text (OpenCTI compares it
// case-insensitively). For each equality of an observable the request
// carries its canonical pattern, such as [ipv4-addr:value = '198.51.100.7'],
// plus the spellings other producers use for the same thing:
//   - a domain name is also looked up as a hostname and the reverse:
//     [hostname:value = 'c2.example'];
//   - a single IP address also as a one-address block: '198.51.100.7/32',
//     '2001:db8::7/128';
//   - a hash also with the other quoting of its key: hashes.'MD5' beside
//     hashes.MD5, hashes.SHA-256 beside hashes.'SHA-256';
//   - a file with several hashes also with its whole canonical pattern (its
//     hashes ORed).
//
// Values in obs that are equal count once; nil entries are ignored. With
// nothing to look up, Lookup makes no request.
//
// Lookup always returns a non-nil result. When the server reports errors
// along with data (GraphQL partial results) or a later page fails, the
// result holds what was obtained and the error says what failed.
func (c *Client) Lookup(ctx context.Context, obs []stix.Observable) (*LookupResult, error) {
	q := newLookupQuery(obs)
	res := &LookupResult{}
	if len(q.observableFilters.Filters) == 0 {
		return res, nil
	}
	acc := newAccumulator(q, res)
	x := &exchange{t: c.t}
	withObs, withInd := true, true
	var obsAfter, indAfter string
	for page := 1; ; page++ {
		resp, err := lookup(ctx, x, q.types, q.observableFilters, q.indicatorFilters,
			decodedEntityTypes, c.pageSize, NestedLimit, obsAfter, indAfter, withObs, withInd)
		res.Requests = x.requests
		if resp != nil {
			if withObs {
				acc.addObservables(resp.StixCyberObservables)
			}
			if withInd {
				acc.addIndicators(resp.Indicators)
			}
		}
		if err != nil {
			return res, err
		}
		moreObs := withObs && resp.StixCyberObservables.PageInfo.HasNextPage && resp.StixCyberObservables.PageInfo.EndCursor != ""
		moreInd := withInd && resp.Indicators.PageInfo.HasNextPage && resp.Indicators.PageInfo.EndCursor != ""
		if !moreObs && !moreInd {
			break
		}
		if page >= c.maxPages {
			res.Truncated = true
			c.log.LogAttrs(ctx, slog.LevelWarn, "opencti lookup stopped at the page limit",
				slog.Int("pages", page), slog.Int("observables", len(res.Observables)),
				slog.Int("indicators", len(res.Indicators)))
			break
		}
		withObs, withInd = moreObs, moreInd
		obsAfter, indAfter = "", ""
		if moreObs {
			obsAfter = resp.StixCyberObservables.PageInfo.EndCursor
		}
		if moreInd {
			indAfter = resp.Indicators.PageInfo.EndCursor
		}
	}
	if x.dropped > 0 {
		c.log.LogAttrs(ctx, slog.LevelWarn, "opencti lookup skipped observables of types this package does not decode",
			slog.Int("count", x.dropped))
	}
	return res, nil
}

// lookupQuery is everything Lookup derives from its input.
type lookupQuery struct {
	inputs            []stix.Observable
	types             []string // entity types to search
	observableFilters filterGroup
	indicatorFilters  filterGroup
	patterns          []string
	byPattern         map[string][]int   // lower-case pattern → inputs
	byKey             map[matchKey][]int // normalised comparison → inputs
}

// matchKey is a comparison normalised for matching results to inputs: the
// kind of comparison and its constant, lower case as OpenCTI compares.
type matchKey struct {
	kind  string // "ip4", "ip6", "name" (domain-name and hostname), "url", "email", "file-name", "hash:SHA-256", …
	value string
}

func newLookupQuery(obs []stix.Observable) *lookupQuery {
	q := &lookupQuery{byPattern: map[string][]int{}, byKey: map[matchKey][]int{}}
	seen := map[string]bool{}
	var (
		typeSet     = map[string]bool{}
		values      valueList
		names       valueList
		hashes      = map[string]*valueList{}
		hashOrder   []string
		patternList valueList
	)
	for _, o := range obs {
		if o == nil || isNilObservable(o) || o.ID() == "" || seen[o.ID()] {
			continue
		}
		types := entityTypesFor(o.Type())
		eqs := o.Equalities()
		if len(types) == 0 || len(eqs) == 0 {
			continue
		}
		seen[o.ID()] = true
		in := len(q.inputs)
		q.inputs = append(q.inputs, o)
		for _, t := range types {
			typeSet[t] = true
		}
		addPattern := func(p string) {
			patternList.add(p)
			k := strings.ToLower(p)
			q.byPattern[k] = appendIndex(q.byPattern[k], in)
		}
		for _, e := range eqs {
			switch {
			case e.Path == "value":
				values.add(e.Value)
			case e.Path == "name":
				names.add(e.Value)
			case strings.HasPrefix(e.Path, "hashes."):
				alg := hashFilterAlgorithm(e.Path)
				if hashes[alg] == nil {
					hashes[alg] = &valueList{}
					hashOrder = append(hashOrder, alg)
				}
				hashes[alg].add(e.Value)
			default:
				continue // a property this package does not search by
			}
			if k, ok := keyOfEquality(e); ok {
				q.byKey[k] = appendIndex(q.byKey[k], in)
			}
			for _, p := range patternVariants(e) {
				addPattern(p)
			}
		}
		if len(eqs) > 1 {
			addPattern(o.Pattern())
		}
	}
	for _, t := range decodedEntityTypes {
		if typeSet[t] {
			q.types = append(q.types, t)
		}
	}
	var filters []filter
	if len(values.items) > 0 {
		filters = append(filters, eqFilter("value", values.items))
	}
	if len(names.items) > 0 {
		filters = append(filters, eqFilter("name", names.items))
	}
	for _, alg := range sortHashAlgorithms(hashOrder) {
		filters = append(filters, eqFilter("hashes."+alg, hashes[alg].items))
	}
	q.patterns = patternList.items
	q.observableFilters = filterGroup{Mode: "or", Filters: filters}
	q.indicatorFilters = filterGroup{Mode: "and", Filters: []filter{
		eqFilter("pattern_type", []string{"stix"}),
		eqFilter("pattern", q.patterns),
	}}
	return q
}

// isNilObservable catches a nil pointer in the interface, whose methods
// would panic.
func isNilObservable(o stix.Observable) bool {
	v := reflect.ValueOf(o)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// valueList is an ordered set of strings.
type valueList struct {
	items []string
	seen  map[string]bool
}

func (l *valueList) add(s string) {
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	if !l.seen[s] {
		l.seen[s] = true
		l.items = append(l.items, s)
	}
}

func appendIndex(s []int, i int) []int {
	if len(s) > 0 && s[len(s)-1] == i {
		return s
	}
	return append(s, i)
}

// hashFilterAlgorithm turns a pattern path such as hashes.'SHA-256' into
// the algorithm as OpenCTI's filter keys spell it (hashes.SHA-256; the
// unhyphenated hashes.SHA256 fails on OpenCTI 6).
func hashFilterAlgorithm(path string) string {
	alg := strings.TrimPrefix(path, "hashes.")
	alg = strings.TrimSuffix(strings.TrimPrefix(alg, "'"), "'")
	if a, err := stix.ParseHashAlgorithm(alg); err == nil {
		return string(a)
	}
	return alg
}

// sortHashAlgorithms puts the algorithms in canonical order, others last in
// the order met.
func sortHashAlgorithms(algs []string) []string {
	var out []string
	for _, a := range []stix.HashAlgorithm{stix.MD5, stix.SHA1, stix.SHA256, stix.SHA512} {
		for _, b := range algs {
			if b == string(a) {
				out = append(out, b)
			}
		}
	}
	for _, b := range algs {
		if !isCanonicalAlgorithm(b) {
			out = append(out, b)
		}
	}
	return out
}

func isCanonicalAlgorithm(a string) bool {
	switch stix.HashAlgorithm(a) {
	case stix.MD5, stix.SHA1, stix.SHA256, stix.SHA512:
		return true
	}
	return false
}

// patternVariants are the patterns sent for one equality: its canonical
// pattern first, then the other spellings producers use (see Lookup).
func patternVariants(e stix.Equality) []string {
	out := []string{e.String()}
	alt := e
	switch {
	case e.ObjectType == stix.TypeDomainName && e.Path == "value":
		alt.ObjectType = stix.TypeHostname
	case e.ObjectType == stix.TypeHostname && e.Path == "value":
		alt.ObjectType = stix.TypeDomainName
	case e.ObjectType == stix.TypeIPv4Addr && e.Path == "value" && !strings.Contains(e.Value, "/"):
		alt.Value += "/32"
	case e.ObjectType == stix.TypeIPv6Addr && e.Path == "value" && !strings.Contains(e.Value, "/"):
		alt.Value += "/128"
	case e.ObjectType == stix.TypeFile && strings.HasPrefix(e.Path, "hashes."):
		key := strings.TrimPrefix(e.Path, "hashes.")
		if unquoted := strings.Trim(key, "'"); unquoted != key {
			alt.Path = "hashes." + unquoted
		} else {
			alt.Path = "hashes.'" + key + "'"
		}
	default:
		return out
	}
	return append(out, alt.String())
}

// keyOfEquality normalises an equality of an input or of an indicator's
// pattern.
func keyOfEquality(e stix.Equality) (matchKey, bool) {
	switch {
	case e.Path == "value":
		switch e.ObjectType {
		case stix.TypeIPv4Addr, stix.TypeIPv6Addr:
			return ipKey(e.Value)
		case stix.TypeDomainName, stix.TypeHostname:
			return matchKey{"name", strings.ToLower(strings.TrimSuffix(e.Value, "."))}, true
		case stix.TypeURL:
			return matchKey{"url", strings.ToLower(e.Value)}, true
		case stix.TypeEmailAddr:
			return matchKey{"email", strings.ToLower(e.Value)}, true
		}
	case e.ObjectType == stix.TypeFile && e.Path == "name":
		return matchKey{"file-name", strings.ToLower(e.Value)}, true
	case e.ObjectType == stix.TypeFile && strings.HasPrefix(e.Path, "hashes."):
		return matchKey{"hash:" + hashFilterAlgorithm(e.Path), strings.ToLower(e.Value)}, true
	}
	return matchKey{}, false
}

// ipKey normalises an address or block; a one-address block is the address.
func ipKey(s string) (matchKey, bool) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return matchKey{}, false
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	a := p.Addr().Unmap()
	kind := "ip4"
	if a.Is6() {
		kind = "ip6"
	}
	if p.Bits() == a.BitLen() || (p.Addr().Is4In6() && p.Bits() == 128) {
		return matchKey{kind, a.String()}, true
	}
	return matchKey{kind, netip.PrefixFrom(a, p.Bits()).Masked().String()}, true
}

// keysOfObservable are the comparisons a found observable satisfies.
func keysOfObservable(o *Observable) []matchKey {
	var keys []matchKey
	value := o.Value
	if value == "" {
		value = o.ObservableValue
	}
	switch o.EntityType {
	case entityIPv4Addr, entityIPv6Addr:
		if k, ok := ipKey(value); ok {
			keys = append(keys, k)
		}
	case entityDomainName, entityHostname:
		keys = append(keys, matchKey{"name", strings.ToLower(strings.TrimSuffix(value, "."))})
	case entityURL:
		keys = append(keys, matchKey{"url", strings.ToLower(value)})
	case entityEmailAddr:
		keys = append(keys, matchKey{"email", strings.ToLower(value)})
	case entityFile:
		for alg, h := range o.Hashes {
			keys = append(keys, matchKey{"hash:" + alg, strings.ToLower(h)})
		}
		if o.Name != "" {
			keys = append(keys, matchKey{"file-name", strings.ToLower(o.Name)})
		}
	}
	return keys
}

// observableMatches are the inputs a found observable answers.
func (q *lookupQuery) observableMatches(o *Observable) []stix.Observable {
	var idx []int
	for _, k := range keysOfObservable(o) {
		idx = append(idx, q.byKey[k]...)
	}
	return q.pick(idx)
}

// indicatorMatches are the inputs an indicator is about: its pattern is one
// sent for them, or it tests one of their values.
func (q *lookupQuery) indicatorMatches(pattern string) []stix.Observable {
	idx := append([]int(nil), q.byPattern[strings.ToLower(pattern)]...)
	for _, e := range patternEqualities(pattern) {
		if k, ok := keyOfEquality(e); ok {
			idx = append(idx, q.byKey[k]...)
		}
	}
	return q.pick(idx)
}

// pick returns the inputs at idx, once each, in input order.
func (q *lookupQuery) pick(idx []int) []stix.Observable {
	if len(idx) == 0 {
		return nil
	}
	marked := make([]bool, len(q.inputs))
	for _, i := range idx {
		marked[i] = true
	}
	var out []stix.Observable
	for i, m := range marked {
		if m {
			out = append(out, q.inputs[i])
		}
	}
	return out
}
