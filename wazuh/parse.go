package wazuh

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds nesting. Wazuh builds alerts with cJSON, whose nesting limit
// is 1000, so a deeper document cannot come from Wazuh; the bound also keeps the
// recursive parser's stack small on hostile input.
const maxDepth = 1000

// syntaxError is a JSON syntax problem at a byte offset. Callers turn it into
// their own typed error (AlertError, OptionsError).
type syntaxError struct {
	offset    int
	msg       string
	truncated bool // the input ended inside a value
}

func (e *syntaxError) Error() string { return e.msg + " at offset " + strconv.Itoa(e.offset) }

// parser decodes one JSON document into a tree of nodes in a single pass.
// Strings without escapes or invalid UTF-8 are substrings of src (no copy).
type parser struct {
	src   string
	pos   int
	depth int
	buf   []byte // scratch for strings that need rewriting
	pool  []node // nodes are carved from chunks to save allocations
}

// parseJSON parses src as exactly one JSON value surrounded by optional
// whitespace. Invalid UTF-8 inside strings becomes U+FFFD, one per bad byte,
// as encoding/json does. An input of only whitespace gives a nil node and a
// nil error: callers report emptiness in their own terms.
func parseJSON(src string) (*node, *syntaxError) {
	p := &parser{src: src}
	p.skipSpace()
	if p.pos == len(p.src) {
		return nil, nil
	}
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.src) {
		return nil, p.errorf("unexpected data after the JSON value: " + describeByte(p.src[p.pos]))
	}
	return n, nil
}

func (p *parser) newNode(k Kind) *node {
	if len(p.pool) == 0 {
		p.pool = make([]node, 32)
	}
	n := &p.pool[0]
	p.pool = p.pool[1:]
	n.kind = k
	return n
}

func (p *parser) errorf(msg string) *syntaxError {
	return &syntaxError{offset: p.pos, msg: msg}
}

func (p *parser) eof() *syntaxError {
	return &syntaxError{offset: p.pos, msg: "unexpected end of input", truncated: true}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value() (*node, *syntaxError) {
	if p.pos >= len(p.src) {
		return nil, p.eof()
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		n := p.newNode(KindString)
		n.str = s
		return n, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true", KindBool, true)
	case c == 'f':
		return p.literal("false", KindBool, false)
	case c == 'n':
		return p.literal("null", KindNull, false)
	default:
		return nil, p.errorf("invalid character " + describeByte(c) + " looking for a value")
	}
}

func (p *parser) literal(word string, k Kind, b bool) (*node, *syntaxError) {
	for i := 0; i < len(word); i++ {
		if p.pos+i >= len(p.src) {
			p.pos += i
			return nil, p.eof()
		}
		if p.src[p.pos+i] != word[i] {
			p.pos += i
			return nil, p.errorf("invalid character " + describeByte(p.src[p.pos]) + " in literal " + word)
		}
	}
	p.pos += len(word)
	n := p.newNode(k)
	n.b = b
	return n, nil
}

func (p *parser) enter() *syntaxError {
	p.depth++
	if p.depth > maxDepth {
		return p.errorf("nesting deeper than " + strconv.Itoa(maxDepth) + " levels")
	}
	return nil
}

func (p *parser) object() (*node, *syntaxError) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++ // '{'
	n := p.newNode(KindObject)
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		p.depth--
		return n, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil, p.eof()
		}
		if p.src[p.pos] != '"' {
			return nil, p.errorf("invalid character " + describeByte(p.src[p.pos]) + " looking for an object key")
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil, p.eof()
		}
		if p.src[p.pos] != ':' {
			return nil, p.errorf("invalid character " + describeByte(p.src[p.pos]) + " after an object key")
		}
		p.pos++
		p.skipSpace()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.members = append(n.members, member{key: key, val: v})
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil, p.eof()
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			p.depth--
			n.members = dedupe(n.members)
			return n, nil
		default:
			return nil, p.errorf("invalid character " + describeByte(p.src[p.pos]) + " after an object value")
		}
	}
}

// dedupe makes keys unique, keeping the first position and the last value, so
// that Get, Keys, Interface and MarshalJSON agree (encoding/json keeps the last
// value too). Alerts never repeat keys; the check is cheap for small objects.
func dedupe(ms []member) []member {
	if len(ms) < 2 {
		return ms
	}
	if len(ms) <= 32 {
		for i := 1; i < len(ms); i++ {
			for j := 0; j < i; j++ {
				if ms[i].key == ms[j].key {
					return dedupeSlow(ms)
				}
			}
		}
		return ms
	}
	seen := make(map[string]struct{}, len(ms))
	for _, m := range ms {
		if _, dup := seen[m.key]; dup {
			return dedupeSlow(ms)
		}
		seen[m.key] = struct{}{}
	}
	return ms
}

func dedupeSlow(ms []member) []member {
	at := make(map[string]int, len(ms))
	out := ms[:0:0]
	for _, m := range ms {
		if i, ok := at[m.key]; ok {
			out[i].val = m.val
			continue
		}
		at[m.key] = len(out)
		out = append(out, m)
	}
	return out
}

func (p *parser) array() (*node, *syntaxError) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++ // '['
	n := p.newNode(KindArray)
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		p.depth--
		return n, nil
	}
	for {
		p.skipSpace()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.elems = append(n.elems, v)
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil, p.eof()
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			p.depth--
			return n, nil
		default:
			return nil, p.errorf("invalid character " + describeByte(p.src[p.pos]) + " after an array element")
		}
	}
}

func (p *parser) number() (*node, *syntaxError) {
	start := p.pos
	end, ok := scanNumber(p.src, p.pos, false)
	if !ok {
		p.pos = end
		if end >= len(p.src) {
			return nil, p.eof()
		}
		return nil, p.errorf("invalid character " + describeByte(p.src[end]) + " in number")
	}
	p.pos = end
	n := p.newNode(KindNumber)
	n.str = p.src[start:end]
	return n, nil
}

// scanNumber scans a JSON number starting at i and returns where it ends.
// With loose set, leading zeros are allowed ("007"), as in numeric strings.
// On failure it returns the offset of the offending byte (len(s) at the end).
func scanNumber(s string, i int, loose bool) (int, bool) {
	digits := func() int {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		return j - i
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i >= len(s) {
		return i, false
	}
	switch {
	case s[i] == '0' && !loose:
		i++
	case s[i] >= '0' && s[i] <= '9':
		i += digits()
	default:
		return i, false
	}
	if i < len(s) && s[i] == '.' {
		i++
		d := digits()
		if d == 0 {
			return i, false
		}
		i += d
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		d := digits()
		if d == 0 {
			return i, false
		}
		i += d
	}
	return i, true
}

// str parses a string starting at the opening quote.
func (p *parser) str() (string, *syntaxError) {
	p.pos++ // opening quote
	start := p.pos
	// Fast path: no escapes, valid UTF-8, no control characters.
	for i := start; i < len(p.src); {
		c := p.src[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return p.src[start:i], nil
		case c == '\\':
			return p.strSlow(start, i)
		case c < 0x20:
			p.pos = i
			return "", p.errorf("invalid control character " + describeByte(c) + " in string")
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRuneInString(p.src[i:])
			if r == utf8.RuneError && size == 1 {
				return p.strSlow(start, i)
			}
			i += size
		}
	}
	p.pos = len(p.src)
	return "", p.eof()
}

// strSlow rewrites a string that has escapes or invalid UTF-8; from is where
// the fast path stopped (everything before it is copied as is).
func (p *parser) strSlow(start, from int) (string, *syntaxError) {
	b := append(p.buf[:0], p.src[start:from]...)
	i := from
	for i < len(p.src) {
		c := p.src[i]
		switch {
		case c == '"':
			p.pos = i + 1
			p.buf = b[:0]
			return string(b), nil
		case c == '\\':
			if i+1 >= len(p.src) {
				p.pos = len(p.src)
				return "", p.eof()
			}
			esc := p.src[i+1]
			i += 2
			switch esc {
			case '"', '\\', '/':
				b = append(b, esc)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, err := p.hex4(i)
				if err != nil {
					return "", err
				}
				i += 4
				if utf16.IsSurrogate(r) {
					// A valid pair is two escapes; anything else is replaced.
					if i+6 <= len(p.src) && p.src[i] == '\\' && p.src[i+1] == 'u' {
						if r2, err := p.hex4(i + 2); err == nil {
							if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
								b = utf8.AppendRune(b, dec)
								i += 6
								continue
							}
						}
					}
					r = utf8.RuneError
				}
				b = utf8.AppendRune(b, r)
			default:
				p.pos = i - 1
				return "", p.errorf("invalid escape " + describeByte(esc) + " in string")
			}
		case c < 0x20:
			p.pos = i
			return "", p.errorf("invalid control character " + describeByte(c) + " in string")
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(p.src[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, "\uFFFD"...)
			} else {
				b = append(b, p.src[i:i+size]...)
			}
			i += size
		}
	}
	p.pos = len(p.src)
	return "", p.eof()
}

// hex4 reads the four hex digits of a \u escape at i.
func (p *parser) hex4(i int) (rune, *syntaxError) {
	var r rune
	for j := 0; j < 4; j++ {
		if i+j >= len(p.src) {
			p.pos = len(p.src)
			return 0, p.eof()
		}
		c := p.src[i+j]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			p.pos = i + j
			return 0, p.errorf("invalid character " + describeByte(c) + " in \\u escape")
		}
		r = r<<4 | rune(d)
	}
	return r, nil
}

// describeByte names a byte for an error message without echoing arbitrary
// input: printable ASCII is quoted, anything else is shown in hex.
func describeByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return "0x" + strconv.FormatUint(uint64(c), 16)
}
