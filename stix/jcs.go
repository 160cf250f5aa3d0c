package stix

import (
	"slices"
	"unicode/utf8"
)

// This file is a small RFC 8785 (JSON Canonicalization Scheme) encoder for
// the only shapes identifier computation needs: objects whose members are
// strings or nested objects of the same kind. encoding/json is not used
// because it escapes <, >, & and U+2028/U+2029, which JCS does not, and
// because it does not sort keys by UTF-16 code units.

// jcsMember is one member of a canonical JSON object: a string value, or a
// nested object when obj is non-nil.
type jcsMember struct {
	key string
	str string
	obj []jcsMember
}

// appendJCSObject appends the canonical JSON of an object. It sorts members
// in place. Strings must be valid UTF-8 (the constructors guarantee it);
// invalid bytes are written as U+FFFD, as a JSON encoder would.
func appendJCSObject(b []byte, members []jcsMember) []byte {
	slices.SortFunc(members, func(x, y jcsMember) int { return compareUTF16(x.key, y.key) })
	b = append(b, '{')
	for i, m := range members {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJCSString(b, m.key)
		b = append(b, ':')
		if m.obj != nil {
			b = appendJCSObject(b, m.obj)
		} else {
			b = appendJCSString(b, m.str)
		}
	}
	return append(b, '}')
}

// appendJCSString appends s as a JSON string escaped as ECMAScript's
// JSON.stringify does (RFC 8785 section 3.2.2.2): only '"', '\\' and the
// control characters below U+0020 are escaped, with the short forms where
// they exist and lower-case \u00xx otherwise.
func appendJCSString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			} else {
				b = append(b, c)
			}
		}
		i++
	}
	return append(b, '"')
}

// compareUTF16 orders strings by their UTF-16 code units, as RFC 8785
// requires for object keys. It differs from byte order only when a
// supplementary-plane rune (a surrogate pair, 0xD800–0xDFFF) meets a BMP
// rune at or above U+E000.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua, ub := firstUTF16Unit(ra), firstUTF16Unit(rb)
			if ua != ub {
				if ua < ub {
					return -1
				}
				return 1
			}
			// Same high surrogate: the low surrogates order like the runes.
			if ra < rb {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	default:
		return 1
	}
}

func firstUTF16Unit(r rune) rune {
	if r >= 0x10000 {
		return 0xD800 + (r-0x10000)>>10
	}
	return r
}
