package stix

import (
	"fmt"
	"strconv"
	"strings"
)

// Pattern is a parsed STIX 2.1 pattern: a tree of observation expressions
// joined with AND and OR, each holding comparison expressions. The tree is
// already simplified: redundant parentheses are gone and a chain of the same
// operator is one node with several operands. Build one with ParsePattern.
type Pattern struct {
	Expr ObservationExpr
}

// ObservationExpr is a node of the observation level: *Observation or
// *ObservationOp.
type ObservationExpr interface {
	observationExpr()
}

// Observation is one bracketed observation expression, [ … ]: the
// comparison must hold for objects of one observation.
type Observation struct {
	Comparison ComparisonExpr
}

// ObservationOp joins observation expressions: [a] AND [b] needs both
// observations, [a] OR [b] either.
type ObservationOp struct {
	Op       BoolOp
	Operands []ObservationExpr // at least two; none is an *ObservationOp with the same Op
}

// ComparisonExpr is a node inside brackets: *Comparison or *ComparisonOp.
type ComparisonExpr interface {
	comparisonExpr()
}

// ComparisonOp joins comparison expressions inside one observation.
type ComparisonOp struct {
	Op       BoolOp
	Operands []ComparisonExpr // at least two; none is a *ComparisonOp with the same Op
}

// BoolOp is AND or OR. AND binds tighter than OR at both levels.
type BoolOp string

// The boolean operators.
const (
	And BoolOp = "AND"
	Or  BoolOp = "OR"
)

// Comparison is one "object-path [NOT] operator constant" test.
type Comparison struct {
	Path     ObjectPath
	Negated  bool       // NOT before the operator
	Operator Operator   // "=", "!=", "<", …, "IN", "LIKE", …
	Value    Constant   // the constant; unused for IN
	Set      []Constant // the constants of IN, possibly none
}

// Operator is a comparison operator. "<>" is parsed as NotEqual.
type Operator string

// The comparison operators of STIX 2.1 patterning.
const (
	Equal        Operator = "="
	NotEqual     Operator = "!="
	Less         Operator = "<"
	LessEqual    Operator = "<="
	Greater      Operator = ">"
	GreaterEqual Operator = ">="
	In           Operator = "IN"
	Like         Operator = "LIKE"
	Matches      Operator = "MATCHES"
	IsSubset     Operator = "ISSUBSET"
	IsSuperset   Operator = "ISSUPERSET"
)

// ObjectPath is "object-type:property(.property|[index])*".
type ObjectPath struct {
	ObjectType string     // "file"
	Steps      []PathStep // at least one; the first is a property
}

// PathStep is one step of an object path: a property name, a list index
// [n] or any list element [*].
type PathStep struct {
	Kind  StepKind
	Key   string // property name, unquoted and unescaped (KeyStep)
	Index int64  // list index (IndexStep)
}

// StepKind says what a PathStep is.
type StepKind int

// The kinds of path steps.
const (
	KeyStep      StepKind = iota // .name or .'quoted name'
	IndexStep                    // [n]
	AnyIndexStep                 // [*]
)

// Constant is a literal of a comparison. Value holds its canonical text:
// the unescaped string for StringConstant; the decimal number without "+"
// or superfluous zeros for IntConstant and FloatConstant; "true" or "false";
// lower-case hex digits for HexConstant; the base64 text for
// BinaryConstant; the RFC 3339 text for TimestampConstant.
type Constant struct {
	Kind  ConstantKind
	Value string
}

// ConstantKind says what a Constant is.
type ConstantKind int

// The kinds of constants.
const (
	StringConstant    ConstantKind = iota + 1 // 'text'
	IntConstant                               // 42, -1
	FloatConstant                             // 1.5
	BoolConstant                              // true, false
	HexConstant                               // h'ff00'
	BinaryConstant                            // b'AQID'
	TimestampConstant                         // t'2024-03-01T12:00:00Z'
)

func (*Observation) observationExpr()   {}
func (*ObservationOp) observationExpr() {}
func (*Comparison) comparisonExpr()     {}
func (*ComparisonOp) comparisonExpr()   {}

// SyntaxError reports an invalid pattern. An invalid pattern never matches
// anything.
type SyntaxError struct {
	Pos int    // byte offset in the pattern text
	Msg string // what is wrong
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("stix: invalid pattern at offset %d: %s", e.Pos, e.Msg)
}

// UnsupportedError reports valid patterning this package does not handle:
// observation qualifiers (WITHIN, REPEATS, START … STOP), FOLLOWEDBY and
// EXISTS. errors.Is(err, ErrUnsupported) is true for it.
type UnsupportedError struct {
	Pos     int    // byte offset of the construct
	Feature string // e.g. "the WITHIN qualifier"
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("stix: pattern uses %s at offset %d, which is not supported", e.Feature, e.Pos)
}

// Is makes errors.Is(err, ErrUnsupported) true.
func (e *UnsupportedError) Is(target error) bool { return target == ErrUnsupported }

// String returns the canonical text of the pattern: single spaces around
// operators and none inside brackets and parentheses, parentheses only
// where precedence needs them, "!=" for "<>", path steps quoted only when
// they must be, canonical numbers, lower-case hex constants, and string
// constants compared with hashes.<hex algorithm> (MD5, SHA-1, SHA-256,
// SHA-512, SHA3-256, SHA3-512, in any spelling) lower-cased, except for
// MATCHES, whose regular expression is case-sensitive.
// ParsePattern(p.String()) gives a pattern with the same String.
func (p *Pattern) String() string {
	if p == nil || p.Expr == nil {
		return ""
	}
	var b strings.Builder
	writeObservation(&b, p.Expr)
	return b.String()
}

func writeObservation(b *strings.Builder, e ObservationExpr) {
	// Nil nodes can only come from trees built by hand; print nothing for
	// them rather than panic.
	switch e := e.(type) {
	case *Observation:
		if e != nil {
			b.WriteByte('[')
			writeComparisonExpr(b, e.Comparison)
			b.WriteByte(']')
		}
	case *ObservationOp:
		if e != nil {
			writeChain(b, e.Op, e.Operands, observationParts, writeObservation)
		}
	}
}

func writeComparisonExpr(b *strings.Builder, e ComparisonExpr) {
	switch e := e.(type) {
	case *Comparison:
		e.write(b)
	case *ComparisonOp:
		if e != nil {
			writeChain(b, e.Op, e.Operands, comparisonParts, writeComparisonExpr)
		}
	}
}

// writeChain writes operands joined by op, with parentheses around an OR
// inside an AND: the only place precedence needs them.
func writeChain[T any](b *strings.Builder, op BoolOp, operands []T, parts func(T) (BoolOp, []T), write func(*strings.Builder, T)) {
	for i, o := range operands {
		if i > 0 {
			b.WriteString(" " + string(op) + " ")
		}
		inner, _ := parts(o)
		paren := op == And && inner == Or
		if paren {
			b.WriteByte('(')
		}
		write(b, o)
		if paren {
			b.WriteByte(')')
		}
	}
}

// observationParts and comparisonParts return the operator and operands
// of an AND/OR node, or "" and nil for a leaf.
func observationParts(e ObservationExpr) (BoolOp, []ObservationExpr) {
	if o, ok := e.(*ObservationOp); ok && o != nil {
		return o.Op, o.Operands
	}
	return "", nil
}

func comparisonParts(e ComparisonExpr) (BoolOp, []ComparisonExpr) {
	if o, ok := e.(*ComparisonOp); ok && o != nil {
		return o.Op, o.Operands
	}
	return "", nil
}

// String returns the canonical text of the comparison, without brackets.
func (c *Comparison) String() string {
	var b strings.Builder
	c.write(&b)
	return b.String()
}

func (c *Comparison) write(b *strings.Builder) {
	if c == nil {
		return
	}
	b.WriteString(c.Path.String())
	b.WriteByte(' ')
	if c.Negated {
		b.WriteString("NOT ")
	}
	b.WriteString(string(c.Operator))
	b.WriteByte(' ')
	lower := c.Operator != Matches && c.Path.isHexHash()
	if c.Operator == In {
		b.WriteByte('(')
		for i, k := range c.Set {
			if i > 0 {
				b.WriteString(", ")
			}
			k.write(b, lower)
		}
		b.WriteByte(')')
		return
	}
	c.Value.write(b, lower)
}

// isHexHash reports whether the path is hashes.<alg> of an algorithm whose
// values are hex, so case does not matter.
func (p ObjectPath) isHexHash() bool {
	if len(p.Steps) != 2 || p.Steps[0].Kind != KeyStep || p.Steps[0].Key != "hashes" || p.Steps[1].Kind != KeyStep {
		return false
	}
	if _, ok := lookupHashAlgorithm(p.Steps[1].Key); ok {
		return true
	}
	switch strings.ToUpper(p.Steps[1].Key) {
	case "SHA3-256", "SHA3-512", "SHA3256", "SHA3512", "SHA3_256", "SHA3_512":
		return true
	}
	return false
}

// String returns the canonical path text, e.g. file:hashes.'SHA-256'.
func (p ObjectPath) String() string {
	var b strings.Builder
	b.WriteString(p.ObjectType)
	b.WriteByte(':')
	p.writeSteps(&b)
	return b.String()
}

func (p ObjectPath) writeSteps(b *strings.Builder) {
	for i, s := range p.Steps {
		switch s.Kind {
		case KeyStep:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(quotePathStep(s.Key))
		case IndexStep:
			b.WriteByte('[')
			b.WriteString(strconv.FormatInt(s.Index, 10))
			b.WriteByte(']')
		case AnyIndexStep:
			b.WriteString("[*]")
		}
	}
}

// String returns the constant in pattern syntax: 'it\'s', 42, h'ff', ….
func (k Constant) String() string {
	var b strings.Builder
	k.write(&b, false)
	return b.String()
}

func (k Constant) write(b *strings.Builder, lowerString bool) {
	switch k.Kind {
	case StringConstant:
		v := k.Value
		if lowerString {
			v = strings.ToLower(v)
		}
		writeQuoted(b, v)
	case HexConstant:
		b.WriteString("h'" + k.Value + "'")
	case BinaryConstant:
		b.WriteString("b'" + k.Value + "'")
	case TimestampConstant:
		b.WriteString("t'" + k.Value + "'")
	default:
		b.WriteString(k.Value)
	}
}

// Equivalent reports whether p and q have the same canonical form (see
// String): they differ at most in spacing, parentheses, path-step quoting,
// "<>" versus "!=", number spelling and the case of hex hash values. A nil
// pattern is equivalent to nothing.
func (p *Pattern) Equivalent(q *Pattern) bool {
	if p == nil || q == nil || p.Expr == nil || q.Expr == nil {
		return false
	}
	return p.String() == q.String()
}

// PatternEquivalent reports whether a and b both parse and are Equivalent.
func PatternEquivalent(a, b string) bool {
	p, err := ParsePattern(a)
	if err != nil {
		return false
	}
	q, err := ParsePattern(b)
	if err != nil {
		return false
	}
	return p.Equivalent(q)
}

// Comparisons returns every comparison of the pattern, in text order.
func (p *Pattern) Comparisons() []*Comparison {
	var out []*Comparison
	if p != nil {
		walkComparisons(p.Expr, false, func(c *Comparison) { out = append(out, c) })
	}
	return out
}

// walkComparisons calls f for each comparison; with orOnly it stops at AND
// nodes, so it visits the comparisons that are alternatives of the whole.
func walkComparisons(e any, orOnly bool, f func(*Comparison)) {
	switch e := e.(type) {
	case *Observation:
		if e != nil {
			walkComparisons(e.Comparison, orOnly, f)
		}
	case *ObservationOp:
		if e != nil && !(orOnly && e.Op == And) {
			for _, o := range e.Operands {
				walkComparisons(o, orOnly, f)
			}
		}
	case *ComparisonOp:
		if e != nil && !(orOnly && e.Op == And) {
			for _, o := range e.Operands {
				walkComparisons(o, orOnly, f)
			}
		}
	case *Comparison:
		if e != nil {
			f(e)
		}
	}
}

// Equalities lists the equalities the pattern tests: every comparison with
// "=" (or IN, one equality per member) that is not negated with NOT, on an
// object type and path of this package's observables — ipv4-addr,
// ipv6-addr, domain-name, hostname, url and email-addr with path value;
// file with name or hashes.<MD5, SHA-1, SHA-256 or SHA-512, in any spelling
// ParseHashAlgorithm accepts>. Each value is normalised with the
// constructor of its type (lower-case hashes and domain names, canonical
// addresses and CIDR blocks), so it compares equal to an Observable's
// Equalities; a value the constructor rejects is left out, since no
// observable has it. The result is in text order without duplicates.
// Values are compared as text: an equality with the block 198.51.100.0/24
// is not one with the address 198.51.100.7.
//
// Equalities answers "which values is this pattern about", wherever they
// are: [file:hashes.MD5 = 'a…' AND file:name = 'x.exe'] gives both, although
// neither alone satisfies the pattern. Alternatives gives only the
// equalities that do. Whether an indicator matches an observable exactly is
// a different question: its pattern is Equivalent to the observable's
// single-equality pattern (Equality.String).
func (p *Pattern) Equalities() []Equality {
	return p.equalities(false)
}

// Alternatives lists the equalities (as in Equalities) that each satisfy
// the pattern alone: those reached from the root through OR only, at the
// observation and the comparison level. An observation holding one object
// with such a value matches the pattern. Equalities under AND are not
// alternatives: [ipv4-addr:value = 'a' AND ipv4-addr:value = 'b'] has none,
// and so has [domain-name:value = 'x'] AND [ipv4-addr:value = 'y'].
func (p *Pattern) Alternatives() []Equality {
	return p.equalities(true)
}

func (p *Pattern) equalities(orOnly bool) []Equality {
	if p == nil {
		return nil
	}
	var out []Equality
	add := func(e Equality, ok bool) {
		if ok && !containsEquality(out, e) {
			out = append(out, e)
		}
	}
	walkComparisons(p.Expr, orOnly, func(c *Comparison) {
		if c.Negated {
			return
		}
		switch c.Operator {
		case Equal:
			add(equalityOf(c.Path, c.Value))
		case In:
			for _, k := range c.Set {
				add(equalityOf(c.Path, k))
			}
		}
	})
	return out
}

func containsEquality(list []Equality, e Equality) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}

// equalityOf normalises path = constant into an Equality of a supported
// observable, if it is one.
func equalityOf(path ObjectPath, k Constant) (Equality, bool) {
	if k.Kind != StringConstant || len(path.Steps) == 0 || len(path.Steps) > 2 {
		return Equality{}, false
	}
	for _, s := range path.Steps {
		if s.Kind != KeyStep {
			return Equality{}, false
		}
	}
	first := path.Steps[0].Key
	if path.ObjectType == TypeFile {
		switch {
		case len(path.Steps) == 1 && first == "name":
			f, err := NewFile(k.Value)
			if err != nil {
				return Equality{}, false
			}
			return f.Equalities()[0], true
		case len(path.Steps) == 2 && first == "hashes":
			alg, ok := lookupHashAlgorithm(path.Steps[1].Key)
			if !ok {
				return Equality{}, false
			}
			h, err := NewHash(alg, k.Value)
			if err != nil {
				return Equality{}, false
			}
			return Equality{ObjectType: TypeFile, Path: alg.path(), Value: h.Value}, true
		}
		return Equality{}, false
	}
	if len(path.Steps) != 1 || first != "value" {
		return Equality{}, false
	}
	o, err := NewObservable(path.ObjectType, k.Value)
	if err != nil {
		return Equality{}, false
	}
	return o.Equalities()[0], true
}
