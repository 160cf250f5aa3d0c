package stix

import (
	"strings"
	"unicode/utf8"
)

// EmailAddr is an email-addr observable: an addr-spec (local@domain)
// without display name.
type EmailAddr struct{ v string }

// NewEmailAddr validates an e-mail address "local@domain". The domain is
// normalised as by NewDomainName (lower case, punycode); the local part is
// kept as given, since RFC 5321 leaves its case to the receiving server. The
// local part is a dot-atom (RFC 5322 atext, UTF-8 allowed as in RFC 6531)
// or a quoted string, at most 64 octets. Display names ("Name <a@b>") and
// address literals ("a@[198.51.100.7]") are rejected.
func NewEmailAddr(s string) (EmailAddr, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return EmailAddr{}, invalid(TypeEmailAddr, s, "empty")
	}
	at := strings.LastIndexByte(t, '@')
	if at < 0 {
		return EmailAddr{}, invalid(TypeEmailAddr, s, "no @")
	}
	local, domain := t[:at], t[at+1:]
	if reason := checkLocalPart(local); reason != "" {
		return EmailAddr{}, invalid(TypeEmailAddr, s, reason)
	}
	if strings.HasSuffix(domain, ".") || strings.TrimSpace(domain) != domain {
		return EmailAddr{}, invalid(TypeEmailAddr, s, "domain: white space or trailing dot")
	}
	d, reason := normaliseNameReason(domain)
	if reason != "" {
		return EmailAddr{}, invalid(TypeEmailAddr, s, "domain: "+reason)
	}
	return EmailAddr{local + "@" + d}, nil
}

func checkLocalPart(local string) string {
	switch {
	case local == "":
		return "empty local part"
	case len(local) > 64:
		return "local part longer than 64 octets"
	case !utf8.ValidString(local):
		return "invalid UTF-8"
	}
	if local[0] == '"' {
		if len(local) < 2 || local[len(local)-1] != '"' {
			return "unterminated quoted local part"
		}
		q := local[1 : len(local)-1]
		for i := 0; i < len(q); i++ {
			c := q[i]
			switch {
			case c == '\\':
				i++
				if i == len(q) || q[i] < 0x20 || q[i] == 0x7f {
					return "bad escape in quoted local part"
				}
			case c == '"' || c < 0x20 || c == 0x7f:
				return "invalid character in quoted local part"
			}
		}
		return ""
	}
	for atom := range strings.SplitSeq(local, ".") {
		if atom == "" {
			return "empty atom in local part (leading, trailing or double dot)"
		}
		for i := 0; i < len(atom); i++ {
			if !isAtext(atom[i]) {
				return "invalid character " + quoteByte(atom[i]) + " in local part"
			}
		}
	}
	return ""
}

// isAtext reports whether c may appear in a dot-atom (RFC 5322 atext, plus
// UTF-8 bytes per RFC 6531).
func isAtext(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c >= 0x80:
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// Type is "email-addr".
func (EmailAddr) Type() string { return TypeEmailAddr }

// Value is the address.
func (e EmailAddr) Value() string { return e.v }

// ID is the deterministic identifier.
func (e EmailAddr) ID() string { return valueID(TypeEmailAddr, e.v) }

// Equalities is [email-addr:value = '<value>'].
func (e EmailAddr) Equalities() []Equality { return valueEquality(TypeEmailAddr, e.v) }

// Pattern is the canonical pattern matching e.
func (e EmailAddr) Pattern() string { return equalitiesPattern(e.Equalities()) }

// String is the value.
func (e EmailAddr) String() string { return e.v }

// MarshalJSON writes the STIX object.
func (e EmailAddr) MarshalJSON() ([]byte, error) { return marshalValue(TypeEmailAddr, e.v) }
