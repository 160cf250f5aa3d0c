package stix

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// URL is a url observable: an absolute URL with a host.
type URL struct {
	v    string
	host string
}

// NewURL validates an absolute URL with a host ("https://evil.example/x")
// and lower-cases its scheme and host (not the user information, path,
// query or fragment, which are kept byte for byte). Surrounding white space
// is removed; white space, control characters or invalid UTF-8 inside are
// errors.
func NewURL(s string) (URL, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return URL{}, invalid(TypeURL, s, "empty")
	}
	if !utf8.ValidString(t) {
		return URL{}, invalid(TypeURL, s, "invalid UTF-8")
	}
	for _, r := range t {
		if r <= ' ' || r == 0x7f || r == 0x85 || r == 0xa0 || r == 0x2028 || r == 0x2029 {
			return URL{}, invalid(TypeURL, s, "contains white space or control characters")
		}
	}
	u, err := url.Parse(t)
	if err != nil {
		return URL{}, invalid(TypeURL, s, "not a URL")
	}
	if u.Scheme == "" || u.Opaque != "" {
		return URL{}, invalid(TypeURL, s, "not an absolute URL with a host")
	}
	host := u.Hostname()
	if host == "" {
		return URL{}, invalid(TypeURL, s, "no host")
	}
	// Rebuild from the input rather than u.String(), which would re-escape
	// the path and query: only scheme and host change.
	colon := len(u.Scheme) // t[colon] == ':' and "//" follows, since Opaque is empty and Host is set
	rest := t[colon+1:]
	if !strings.HasPrefix(rest, "//") {
		return URL{}, invalid(TypeURL, s, "not an absolute URL with a host")
	}
	auth := rest[2:]
	if i := strings.IndexAny(auth, "/?#"); i >= 0 {
		auth = auth[:i]
	}
	tail := rest[2+len(auth):]
	userinfo := ""
	if i := strings.LastIndexByte(auth, '@'); i >= 0 {
		userinfo, auth = auth[:i+1], auth[i+1:]
	}
	var b strings.Builder
	b.Grow(len(t))
	b.WriteString(strings.ToLower(u.Scheme))
	b.WriteString("://")
	b.WriteString(userinfo)
	b.WriteString(strings.ToLower(auth))
	b.WriteString(tail)
	return URL{v: b.String(), host: strings.ToLower(host)}, nil
}

// Type is "url".
func (URL) Type() string { return TypeURL }

// Value is the normalised URL.
func (u URL) Value() string { return u.v }

// Host is the URL's host without port or brackets, lower-cased: a name
// ("evil.example") or an address ("198.51.100.7", "2001:db8::1") as found
// in the URL. It is not validated as a domain name: pass it to NewIPAddr or
// NewDomainName to get an observable.
func (u URL) Host() string { return u.host }

// ID is the deterministic identifier.
func (u URL) ID() string { return valueID(TypeURL, u.v) }

// Equalities is [url:value = '<value>'].
func (u URL) Equalities() []Equality { return valueEquality(TypeURL, u.v) }

// Pattern is the canonical pattern matching u.
func (u URL) Pattern() string { return equalitiesPattern(u.Equalities()) }

// String is the value.
func (u URL) String() string { return u.v }

// MarshalJSON writes the STIX object.
func (u URL) MarshalJSON() ([]byte, error) { return marshalValue(TypeURL, u.v) }
