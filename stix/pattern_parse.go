package stix

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxPatternDepth bounds the nesting of brackets and parentheses, so that
// hostile input cannot make the recursive-descent parser recurse without
// limit. Real patterns nest a few levels.
const maxPatternDepth = 64

// ParsePattern parses a STIX 2.1 pattern made of comparison expressions
// ([type:path op constant]) joined with AND and OR inside and between
// brackets, with parentheses, NOT, and every operator and constant of the
// grammar. Keywords are upper case and booleans lower case, as in the
// specification; /* */ and // comments are skipped.
//
// An invalid pattern gives a *SyntaxError with the byte offset of the
// problem. Observation qualifiers (WITHIN, REPEATS, START … STOP),
// FOLLOWEDBY and EXISTS give an *UnsupportedError, matching
// errors.Is(err, ErrUnsupported).
func ParsePattern(s string) (*Pattern, error) {
	if !utf8.ValidString(s) {
		for i, r := range s {
			if r == utf8.RuneError {
				if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
					return nil, &SyntaxError{Pos: i, Msg: "invalid UTF-8"}
				}
			}
		}
	}
	p := &parser{lx: lexer{src: s}}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokEOF {
		return nil, &SyntaxError{Pos: p.tok.pos, Msg: "empty pattern"}
	}
	e, err := p.observationExprs()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, p.unexpected("AND, OR or the end of the pattern")
	}
	return &Pattern{Expr: e}, nil
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokIdent
	tokString
	tokInt
	tokFloat
	tokHex
	tokBinary
	tokTimestamp
	tokLBrack
	tokRBrack
	tokLParen
	tokRParen
	tokColon
	tokComma
	tokDot
	tokStar
	tokOp // = != <> < <= > >=
)

type token struct {
	kind tokKind
	pos  int
	text string // source text; for literals the canonical value
}

// describe names a token for error messages.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "the end of the pattern"
	case tokString:
		return "string " + strconv.Quote(shorten(t.text, 40))
	case tokHex, tokBinary, tokTimestamp:
		return "constant " + shorten(t.text, 40)
	case tokIdent:
		if isReserved(t.text) {
			return t.text
		}
		return "name " + strconv.Quote(shorten(t.text, 40))
	}
	return strconv.Quote(shorten(t.text, 40))
}

type lexer struct {
	src string
	pos int
}

// next returns the next token, skipping white space and comments.
func (lx *lexer) next() (token, error) {
	if err := lx.skipSpace(); err != nil {
		return token{}, err
	}
	start := lx.pos
	if start >= len(lx.src) {
		return token{kind: tokEOF, pos: start}, nil
	}
	c := lx.src[start]
	single := func(k tokKind) (token, error) {
		lx.pos++
		return token{kind: k, pos: start, text: lx.src[start:lx.pos]}, nil
	}
	switch c {
	case '[':
		return single(tokLBrack)
	case ']':
		return single(tokRBrack)
	case '(':
		return single(tokLParen)
	case ')':
		return single(tokRParen)
	case ':':
		return single(tokColon)
	case ',':
		return single(tokComma)
	case '*':
		return single(tokStar)
	case '\'':
		s, err := lx.quoted()
		return token{kind: tokString, pos: start, text: s}, err
	case '=':
		return single(tokOp)
	case '!':
		if strings.HasPrefix(lx.src[start:], "!=") {
			lx.pos += 2
			return token{kind: tokOp, pos: start, text: "!="}, nil
		}
		return token{}, &SyntaxError{Pos: start, Msg: "'!' must be followed by '='"}
	case '<', '>':
		lx.pos++
		if lx.pos < len(lx.src) && (lx.src[lx.pos] == '=' || c == '<' && lx.src[lx.pos] == '>') {
			lx.pos++
		}
		return token{kind: tokOp, pos: start, text: lx.src[start:lx.pos]}, nil
	case '.':
		if start+1 < len(lx.src) && isDigit(lx.src[start+1]) {
			return lx.number()
		}
		return single(tokDot)
	case '+', '-':
		return lx.number()
	}
	if isDigit(c) {
		return lx.number()
	}
	if isIdentStart(c) {
		for lx.pos < len(lx.src) && isIdentPart(lx.src[lx.pos]) {
			lx.pos++
		}
		word := lx.src[start:lx.pos]
		if lx.pos < len(lx.src) && lx.src[lx.pos] == '\'' && len(word) == 1 {
			switch word {
			case "h":
				return lx.hexLiteral(start)
			case "b":
				return lx.binaryLiteral(start)
			case "t":
				return lx.timestampLiteral(start)
			}
		}
		return token{kind: tokIdent, pos: start, text: word}, nil
	}
	r, _ := utf8.DecodeRuneInString(lx.src[start:])
	return token{}, &SyntaxError{Pos: start, Msg: "unexpected character " + strconv.QuoteRune(r)}
}

func isDigit(c byte) bool      { return '0' <= c && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) || c == '-' }

// skipSpace skips the white space of the grammar (ASCII white space,
// U+0085, U+00A0, U+2028, U+2029) and comments.
func (lx *lexer) skipSpace() error {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			lx.pos++
		case c == '/' && strings.HasPrefix(lx.src[lx.pos:], "/*"):
			end := strings.Index(lx.src[lx.pos+2:], "*/")
			if end < 0 {
				return &SyntaxError{Pos: lx.pos, Msg: "unterminated comment"}
			}
			lx.pos += 2 + end + 2
		case c == '/' && strings.HasPrefix(lx.src[lx.pos:], "//"):
			end := strings.IndexAny(lx.src[lx.pos:], "\r\n")
			if end < 0 {
				lx.pos = len(lx.src)
			} else {
				lx.pos += end
			}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(lx.src[lx.pos:])
			if r != 0x85 && r != 0xa0 && r != 0x2028 && r != 0x2029 {
				return nil
			}
			lx.pos += n
		default:
			return nil
		}
	}
	return nil
}

// quoted reads a string literal at lx.pos (an apostrophe) and returns its
// unescaped value. The only escapes are \' and \\.
func (lx *lexer) quoted() (string, error) {
	start := lx.pos
	lx.pos++
	var b strings.Builder
	from := lx.pos
	for lx.pos < len(lx.src) {
		switch lx.src[lx.pos] {
		case '\'':
			b.WriteString(lx.src[from:lx.pos])
			lx.pos++
			return b.String(), nil
		case '\\':
			if lx.pos+1 >= len(lx.src) {
				return "", &SyntaxError{Pos: start, Msg: "unterminated string"}
			}
			if e := lx.src[lx.pos+1]; e != '\'' && e != '\\' {
				return "", &SyntaxError{Pos: lx.pos, Msg: `invalid escape in string: only \' and \\ are allowed`}
			}
			b.WriteString(lx.src[from:lx.pos])
			b.WriteByte(lx.src[lx.pos+1])
			lx.pos += 2
			from = lx.pos
		default:
			lx.pos++
		}
	}
	return "", &SyntaxError{Pos: start, Msg: "unterminated string"}
}

// number reads an integer or a float: [+-]? digits, or [+-]? digits? .
// digits. Integers have no leading zeros. The token text is canonical.
func (lx *lexer) number() (token, error) {
	start := lx.pos
	neg := false
	if c := lx.src[lx.pos]; c == '+' || c == '-' {
		neg = c == '-'
		lx.pos++
	}
	intStart := lx.pos
	for lx.pos < len(lx.src) && isDigit(lx.src[lx.pos]) {
		lx.pos++
	}
	intPart := lx.src[intStart:lx.pos]
	if lx.pos < len(lx.src) && lx.src[lx.pos] == '.' && lx.pos+1 < len(lx.src) && isDigit(lx.src[lx.pos+1]) {
		lx.pos++
		fracStart := lx.pos
		for lx.pos < len(lx.src) && isDigit(lx.src[lx.pos]) {
			lx.pos++
		}
		intPart = strings.TrimLeft(intPart, "0")
		if intPart == "" {
			intPart = "0"
		}
		frac := strings.TrimRight(lx.src[fracStart:lx.pos], "0")
		if frac == "" {
			frac = "0"
		}
		text := intPart + "." + frac
		if neg && text != "0.0" {
			text = "-" + text
		}
		return token{kind: tokFloat, pos: start, text: text}, nil
	}
	switch {
	case intPart == "":
		return token{}, &SyntaxError{Pos: start, Msg: "a sign must be followed by a number"}
	case len(intPart) > 1 && intPart[0] == '0':
		return token{}, &SyntaxError{Pos: intStart, Msg: "integer with a leading zero"}
	}
	if neg && intPart != "0" {
		intPart = "-" + intPart
	}
	return token{kind: tokInt, pos: start, text: intPart}, nil
}

// literalBody reads the quoted body of a hex, binary or timestamp
// constant (there are no escapes in them).
func (lx *lexer) literalBody(start int, what string) (string, error) {
	lx.pos++ // the opening apostrophe
	end := strings.IndexByte(lx.src[lx.pos:], '\'')
	if end < 0 {
		return "", &SyntaxError{Pos: start, Msg: "unterminated " + what + " constant"}
	}
	body := lx.src[lx.pos : lx.pos+end]
	lx.pos += end + 1
	return body, nil
}

func (lx *lexer) hexLiteral(start int) (token, error) {
	body, err := lx.literalBody(start, "hex")
	if err != nil {
		return token{}, err
	}
	if len(body)%2 != 0 {
		return token{}, &SyntaxError{Pos: start, Msg: "hex constant with an odd number of digits"}
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !(isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return token{}, &SyntaxError{Pos: start + 2 + i, Msg: "invalid hex digit"}
		}
	}
	return token{kind: tokHex, pos: start, text: strings.ToLower(body)}, nil
}

func (lx *lexer) binaryLiteral(start int) (token, error) {
	body, err := lx.literalBody(start, "binary")
	if err != nil {
		return token{}, err
	}
	if len(body) == 0 || len(body)%4 != 0 {
		return token{}, &SyntaxError{Pos: start, Msg: "binary constant is not base64 (length must be a positive multiple of 4)"}
	}
	pad := len(body) - len(strings.TrimRight(body, "="))
	if pad > 2 {
		return token{}, &SyntaxError{Pos: start, Msg: "binary constant has more than two '=' of padding"}
	}
	for i := 0; i < len(body)-pad; i++ {
		c := body[i]
		if !(isDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '+' || c == '/') {
			return token{}, &SyntaxError{Pos: start + 2 + i, Msg: "invalid base64 character"}
		}
	}
	return token{kind: tokBinary, pos: start, text: body}, nil
}

// timestampLiteral checks the form of the grammar:
// YYYY-MM-DDTHH:MM:SS[.fraction]Z with months 01–12, days 01–31, hours
// 00–23, minutes 00–59 and seconds 00–60.
func (lx *lexer) timestampLiteral(start int) (token, error) {
	body, err := lx.literalBody(start, "timestamp")
	if err != nil {
		return token{}, err
	}
	if !validPatternTimestamp(body) {
		return token{}, &SyntaxError{Pos: start, Msg: "timestamp constant is not YYYY-MM-DDTHH:MM:SS[.s]Z"}
	}
	return token{kind: tokTimestamp, pos: start, text: body}, nil
}

func validPatternTimestamp(s string) bool {
	if len(s) < 20 || s[len(s)-1] != 'Z' {
		return false
	}
	for i, c := range []byte(s[:19]) {
		switch i {
		case 4, 7:
			if c != '-' {
				return false
			}
		case 10:
			if c != 'T' {
				return false
			}
		case 13, 16:
			if c != ':' {
				return false
			}
		default:
			if !isDigit(c) {
				return false
			}
		}
	}
	two := func(i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }
	if m := two(5); m < 1 || m > 12 {
		return false
	}
	if d := two(8); d < 1 || d > 31 {
		return false
	}
	if two(11) > 23 || two(14) > 59 || two(17) > 60 {
		return false
	}
	frac := s[19 : len(s)-1]
	if frac == "" {
		return true
	}
	if frac[0] != '.' || len(frac) == 1 {
		return false
	}
	for i := 1; i < len(frac); i++ {
		if !isDigit(frac[i]) {
			return false
		}
	}
	return true
}

// parser is a recursive-descent parser over the lexer, one token of
// look-ahead.
type parser struct {
	lx    lexer
	tok   token
	depth int
}

func (p *parser) advance() error {
	t, err := p.lx.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) isKeyword(w string) bool { return p.tok.kind == tokIdent && p.tok.text == w }

func (p *parser) unexpected(want string) error {
	return &SyntaxError{Pos: p.tok.pos, Msg: "expected " + want + ", found " + p.tok.describe()}
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxPatternDepth {
		return &SyntaxError{Pos: p.tok.pos, Msg: "brackets and parentheses nested too deeply"}
	}
	return nil
}

// observationExprs: observationOr, with FOLLOWEDBY rejected.
func (p *parser) observationExprs() (ObservationExpr, error) {
	e, err := p.observationOr()
	if err != nil {
		return nil, err
	}
	if p.isKeyword("FOLLOWEDBY") {
		return nil, &UnsupportedError{Pos: p.tok.pos, Feature: "FOLLOWEDBY"}
	}
	return e, nil
}

func (p *parser) observationOr() (ObservationExpr, error) {
	return parseChain(p, Or, p.observationAnd, joinObservations)
}

func (p *parser) observationAnd() (ObservationExpr, error) {
	return parseChain(p, And, p.observationUnit, joinObservations)
}

// parseChain parses operand (op operand)* and joins the operands.
func parseChain[T any](p *parser, op BoolOp, operand func() (T, error), join func(BoolOp, []T) T) (T, error) {
	first, err := operand()
	if err != nil {
		return first, err
	}
	if !p.isKeyword(string(op)) {
		return first, nil
	}
	list := []T{first}
	for p.isKeyword(string(op)) {
		if err := p.advance(); err != nil {
			var zero T
			return zero, err
		}
		next, err := operand()
		if err != nil {
			return next, err
		}
		list = append(list, next)
	}
	return join(op, list), nil
}

// joinObservations and joinComparisons build an n-ary node, splicing in
// operands that are the same operator (from parentheses), so the tree is
// canonical.
func joinObservations(op BoolOp, list []ObservationExpr) ObservationExpr {
	return &ObservationOp{Op: op, Operands: flatten(op, list, observationParts)}
}

func joinComparisons(op BoolOp, list []ComparisonExpr) ComparisonExpr {
	return &ComparisonOp{Op: op, Operands: flatten(op, list, comparisonParts)}
}

func flatten[T any](op BoolOp, list []T, parts func(T) (BoolOp, []T)) []T {
	flat := make([]T, 0, len(list))
	for _, e := range list {
		if innerOp, inner := parts(e); innerOp == op {
			flat = append(flat, inner...)
		} else {
			flat = append(flat, e)
		}
	}
	return flat
}

// group parses an opening token (the current one), inner, and the closing
// token, and leaves the closing token current.
func group[T any](p *parser, inner func() (T, error), closing tokKind, want string) (T, error) {
	var zero T
	if err := p.enter(); err != nil {
		return zero, err
	}
	if err := p.advance(); err != nil {
		return zero, err
	}
	v, err := inner()
	if err != nil {
		return zero, err
	}
	if p.tok.kind != closing {
		return zero, p.unexpected(want)
	}
	p.depth--
	return v, nil
}

// observationUnit: '[' comparisonOr ']' | '(' observationExprs ')', then
// qualifiers, which are rejected.
func (p *parser) observationUnit() (ObservationExpr, error) {
	var e ObservationExpr
	switch p.tok.kind {
	case tokLBrack:
		c, err := group(p, p.comparisonOr, tokRBrack, "AND, OR or ']'")
		if err != nil {
			return nil, err
		}
		e = &Observation{Comparison: c}
	case tokLParen:
		inner, err := group(p, p.observationExprs, tokRParen, "AND, OR or ')'")
		if err != nil {
			return nil, err
		}
		e = inner
	case tokIdent:
		if p.tok.text == "NOT" {
			return nil, &SyntaxError{Pos: p.tok.pos, Msg: "NOT goes between an object path and its operator, as in [file:name NOT = 'x']"}
		}
		return nil, p.unexpected("'[' or '('")
	default:
		return nil, p.unexpected("'[' or '('")
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokIdent {
		switch p.tok.text {
		case "WITHIN":
			return nil, &UnsupportedError{Pos: p.tok.pos, Feature: "the WITHIN qualifier"}
		case "REPEATS":
			return nil, &UnsupportedError{Pos: p.tok.pos, Feature: "the REPEATS qualifier"}
		case "START":
			return nil, &UnsupportedError{Pos: p.tok.pos, Feature: "the START/STOP qualifier"}
		}
	}
	return e, nil
}

func (p *parser) comparisonOr() (ComparisonExpr, error) {
	return parseChain(p, Or, p.comparisonAnd, joinComparisons)
}

func (p *parser) comparisonAnd() (ComparisonExpr, error) {
	return parseChain(p, And, p.comparisonUnit, joinComparisons)
}

// comparisonUnit: '(' comparisonOr ')' | propTest.
func (p *parser) comparisonUnit() (ComparisonExpr, error) {
	if p.tok.kind == tokLParen {
		c, err := group(p, p.comparisonOr, tokRParen, "AND, OR or ')'")
		if err != nil {
			return nil, err
		}
		return c, p.advance()
	}
	if p.tok.kind == tokLBrack {
		return nil, &SyntaxError{Pos: p.tok.pos, Msg: "'[' inside an observation: use parentheses to group comparisons"}
	}
	return p.propTest()
}

// propTest: objectPath NOT? operator constant.
func (p *parser) propTest() (*Comparison, error) {
	if p.isKeyword("EXISTS") {
		return nil, &UnsupportedError{Pos: p.tok.pos, Feature: "EXISTS (STIX 2.0 patterning)"}
	}
	path, err := p.objectPath()
	if err != nil {
		return nil, err
	}
	c := &Comparison{Path: path}
	if p.isKeyword("NOT") {
		c.Negated = true
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
	opPos := p.tok.pos
	switch {
	case p.tok.kind == tokOp:
		c.Operator = Operator(p.tok.text)
		if c.Operator == "<>" {
			c.Operator = NotEqual
		}
	case p.tok.kind == tokIdent && isWordOperator(p.tok.text):
		c.Operator = Operator(p.tok.text)
	default:
		return nil, p.unexpected("a comparison operator")
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if c.Operator == In {
		c.Set, err = p.set()
		return c, err
	}
	k, err := p.constant()
	if err != nil {
		return nil, err
	}
	switch c.Operator {
	case Equal, NotEqual:
	case Less, LessEqual, Greater, GreaterEqual:
		if k.Kind == BoolConstant {
			return nil, &SyntaxError{Pos: opPos, Msg: "booleans cannot be ordered with " + string(c.Operator)}
		}
	default: // LIKE, MATCHES, ISSUBSET, ISSUPERSET
		if k.Kind != StringConstant {
			return nil, &SyntaxError{Pos: opPos, Msg: string(c.Operator) + " needs a string constant"}
		}
	}
	c.Value = k
	return c, nil
}

func isWordOperator(w string) bool {
	switch Operator(w) {
	case In, Like, Matches, IsSubset, IsSuperset:
		return true
	}
	return false
}

// set: '(' (constant (',' constant)*)? ')'.
func (p *parser) set() ([]Constant, error) {
	if p.tok.kind != tokLParen {
		return nil, p.unexpected("'(' after IN")
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	set := []Constant{}
	if p.tok.kind == tokRParen {
		return set, p.advance()
	}
	for {
		k, err := p.constant()
		if err != nil {
			return nil, err
		}
		set = append(set, k)
		switch p.tok.kind {
		case tokComma:
			if err := p.advance(); err != nil {
				return nil, err
			}
		case tokRParen:
			return set, p.advance()
		default:
			return nil, p.unexpected("',' or ')'")
		}
	}
}

// constant reads one literal and advances past it.
func (p *parser) constant() (Constant, error) {
	var k Constant
	switch p.tok.kind {
	case tokString:
		k = Constant{Kind: StringConstant, Value: p.tok.text}
	case tokInt:
		k = Constant{Kind: IntConstant, Value: p.tok.text}
	case tokFloat:
		k = Constant{Kind: FloatConstant, Value: p.tok.text}
	case tokHex:
		k = Constant{Kind: HexConstant, Value: p.tok.text}
	case tokBinary:
		k = Constant{Kind: BinaryConstant, Value: p.tok.text}
	case tokTimestamp:
		k = Constant{Kind: TimestampConstant, Value: p.tok.text}
	case tokIdent:
		if p.tok.text != "true" && p.tok.text != "false" {
			return k, p.unexpected("a constant")
		}
		k = Constant{Kind: BoolConstant, Value: p.tok.text}
	default:
		return k, p.unexpected("a constant")
	}
	return k, p.advance()
}

// objectPath: objectType ':' firstStep step*.
func (p *parser) objectPath() (ObjectPath, error) {
	if p.tok.kind != tokIdent || isReserved(p.tok.text) {
		return ObjectPath{}, p.unexpected("an object path such as file:name")
	}
	path := ObjectPath{ObjectType: p.tok.text}
	if err := p.advance(); err != nil {
		return path, err
	}
	if p.tok.kind != tokColon {
		return path, p.unexpected("':' after the object type")
	}
	if err := p.advance(); err != nil {
		return path, err
	}
	first, err := p.keyStep()
	if err != nil {
		return path, err
	}
	path.Steps = append(path.Steps, first)
	for {
		switch p.tok.kind {
		case tokDot:
			if err := p.advance(); err != nil {
				return path, err
			}
			s, err := p.keyStep()
			if err != nil {
				return path, err
			}
			path.Steps = append(path.Steps, s)
		case tokLBrack:
			if err := p.advance(); err != nil {
				return path, err
			}
			var s PathStep
			switch p.tok.kind {
			case tokStar:
				s = PathStep{Kind: AnyIndexStep}
			case tokInt:
				n, err := strconv.ParseInt(p.tok.text, 10, 64)
				if err != nil {
					return path, &SyntaxError{Pos: p.tok.pos, Msg: "list index out of range"}
				}
				s = PathStep{Kind: IndexStep, Index: n}
			default:
				return path, p.unexpected("a list index or '*'")
			}
			if err := p.advance(); err != nil {
				return path, err
			}
			if p.tok.kind != tokRBrack {
				return path, p.unexpected("']' after the list index")
			}
			if err := p.advance(); err != nil {
				return path, err
			}
			path.Steps = append(path.Steps, s)
		default:
			return path, nil
		}
	}
}

// keyStep reads a property name: an identifier without hyphen that is not
// a reserved word, or a quoted string.
func (p *parser) keyStep() (PathStep, error) {
	switch p.tok.kind {
	case tokString:
		s := PathStep{Kind: KeyStep, Key: p.tok.text}
		return s, p.advance()
	case tokIdent:
		if strings.IndexByte(p.tok.text, '-') >= 0 || isReserved(p.tok.text) {
			return PathStep{}, &SyntaxError{Pos: p.tok.pos, Msg: "property name " + p.tok.text + " must be quoted: " + quotePathStep(p.tok.text)}
		}
		s := PathStep{Kind: KeyStep, Key: p.tok.text}
		return s, p.advance()
	}
	return PathStep{}, p.unexpected("a property name")
}
