package stix

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// DomainName is a domain-name observable: a fully qualified name of at
// least two labels, normalised (see NewDomainName).
type DomainName struct{ v string }

// Hostname is OpenCTI's hostname observable (a custom SCO): normalised like
// a domain name, but a single label ("ws-fin-0231") is allowed.
type Hostname struct{ v string }

// idnaProfile converts internationalised names to their ASCII form. It is
// the UTS #46 lookup mapping (case folding, width and compatibility
// mappings, non-transitional: "ß" stays "ß" and becomes xn--zca) with the
// Bidi rule and the ContextJ joiner checks, but with two checks relaxed
// because names seen in alerts are DNS names, not host names:
//   - StrictDomainName(false): STD3's letters-digits-hyphen rule would
//     reject "_dmarc.example.com" and "_ldap._tcp.dc._msdcs.corp.example",
//     which DNS resolvers query every day. checkName enforces the character
//     set afterwards: letters, digits, hyphen and underscore.
//   - CheckHyphens(false): it rejects "--" in the third and fourth position,
//     which real names such as "r3---sn-abc.googlevideo.com" have. Leading
//     and trailing hyphens are still rejected by checkName.
//
// Building a profile is a few assignments, so it costs nothing at init.
var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.CheckHyphens(false),
)

// NewDomainName validates and normalises a domain name: surrounding white
// space and one trailing dot are removed, ASCII is lower-cased, an
// internationalised name is converted to its ASCII (punycode) form through
// UTS #46 mapping; labels are 1–63 octets of letters, digits, hyphens (not
// first or last) and underscores, the whole name at most 253 octets, and
// the last label is not all digits (so an IPv4 address is not a name).
func NewDomainName(s string) (DomainName, error) {
	v, err := normaliseName(TypeDomainName, s)
	if err != nil {
		return DomainName{}, err
	}
	if strings.IndexByte(v, '.') < 0 {
		return DomainName{}, invalid(TypeDomainName, s, "a single label: not a fully qualified name")
	}
	return DomainName{v}, nil
}

// NewHostname validates and normalises a host name like NewDomainName, but
// accepts a single label.
func NewHostname(s string) (Hostname, error) {
	v, err := normaliseName(TypeHostname, s)
	if err != nil {
		return Hostname{}, err
	}
	return Hostname{v}, nil
}

func normaliseName(typ, s string) (string, error) {
	v, reason := normaliseNameReason(s)
	if reason != "" {
		return "", invalid(typ, s, reason)
	}
	return v, nil
}

// normaliseNameReason returns the normalised name, or why s is invalid.
func normaliseNameReason(s string) (string, string) {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(t, ".")
	if t == "" {
		return "", "empty"
	}
	if len(t) > 1024 {
		// Far beyond any valid name; refuse before any conversion work.
		return "", "longer than 253 octets"
	}
	if !isPlainASCIIName(t) {
		if !utf8.ValidString(t) {
			return "", "invalid UTF-8"
		}
		a, err := idnaProfile.ToASCII(t)
		if err != nil {
			return "", "not a valid internationalised domain name"
		}
		t = a
	} else {
		t = strings.ToLower(t)
	}
	if reason := checkName(t); reason != "" {
		return "", reason
	}
	return t, ""
}

// isPlainASCIIName reports whether s can skip IDNA processing: ASCII
// letters, digits, hyphens, underscores and dots, and no punycode label
// (whose encoding IDNA must validate).
func isPlainASCIIName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	for label := range strings.SplitSeq(s, ".") {
		if len(label) >= 4 && strings.EqualFold(label[:4], "xn--") {
			return false
		}
	}
	return true
}

// checkName checks a lower-case ASCII name and returns why it is invalid,
// or "".
func checkName(s string) string {
	if len(s) > 253 {
		return "longer than 253 octets"
	}
	var last string
	for label := range strings.SplitSeq(s, ".") {
		switch {
		case label == "":
			return "empty label"
		case len(label) > 63:
			return "label longer than 63 octets"
		case label[0] == '-' || label[len(label)-1] == '-':
			return "label starts or ends with a hyphen"
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return "invalid character " + quoteByte(c)
			}
		}
		last = label
	}
	if allDigits(last) {
		return "last label is numeric (an address, not a name)"
	}
	return ""
}

func quoteByte(c byte) string {
	if c < 0x20 || c >= 0x7f {
		const hexDigits = "0123456789abcdef"
		return string([]byte{'0', 'x', hexDigits[c>>4], hexDigits[c&0xf]})
	}
	return string([]byte{'\'', c, '\''})
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Type is "domain-name".
func (DomainName) Type() string { return TypeDomainName }

// Value is the normalised name.
func (d DomainName) Value() string { return d.v }

// ID is the deterministic identifier.
func (d DomainName) ID() string { return valueID(TypeDomainName, d.v) }

// Equalities is [domain-name:value = '<value>'].
func (d DomainName) Equalities() []Equality { return valueEquality(TypeDomainName, d.v) }

// Pattern is the canonical pattern matching d.
func (d DomainName) Pattern() string { return equalitiesPattern(d.Equalities()) }

// String is the value.
func (d DomainName) String() string { return d.v }

// MarshalJSON writes the STIX object.
func (d DomainName) MarshalJSON() ([]byte, error) { return marshalValue(TypeDomainName, d.v) }

// Type is "hostname".
func (Hostname) Type() string { return TypeHostname }

// Value is the normalised name.
func (h Hostname) Value() string { return h.v }

// ID is the deterministic identifier, computed like a domain name's.
func (h Hostname) ID() string { return valueID(TypeHostname, h.v) }

// Equalities is [hostname:value = '<value>'].
func (h Hostname) Equalities() []Equality { return valueEquality(TypeHostname, h.v) }

// Pattern is the canonical pattern matching h.
func (h Hostname) Pattern() string { return equalitiesPattern(h.Equalities()) }

// String is the value.
func (h Hostname) String() string { return h.v }

// MarshalJSON writes the STIX object.
func (h Hostname) MarshalJSON() ([]byte, error) { return marshalValue(TypeHostname, h.v) }
