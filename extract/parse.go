package extract

import (
	"strings"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// ParseAddress parses an IP address or CIDR block as alerts write them and
// returns a stix.IPv4Addr or stix.IPv6Addr. Beyond what stix.NewIPAddr
// accepts, it takes "198.51.100.7:443", "[2001:db8::7]:443", "[2001:db8::7]"
// and zoned addresses ("fe80::1%eth0"), dropping the port, brackets and
// zone. IPv4-mapped IPv6 addresses become IPv4. The policy is not applied:
// a private address is returned like any other.
//
// Errors are the stix constructor's: errors.Is(err, stix.ErrInvalidValue).
func ParseAddress(s string) (stix.Observable, error) {
	t := strings.TrimSpace(s)
	if inner, ok := stripAddrPort(t); ok {
		t = inner
	}
	if i := strings.IndexByte(t, '%'); i >= 0 {
		// A zone names an interface of the host that logged the address;
		// it is not part of the address.
		if j := strings.IndexByte(t[i:], '/'); j >= 0 {
			t = t[:i] + t[i+j:]
		} else {
			t = t[:i]
		}
	}
	o, err := stix.NewIPAddr(t)
	if err != nil && t != strings.TrimSpace(s) {
		// Report the value as found in the alert, not our rewrite of it.
		_, err = stix.NewIPAddr(s)
	}
	return o, err
}

// stripAddrPort removes brackets and a port from "[v6]", "[v6]:port" and
// "v4:port". It reports false when t has neither form.
func stripAddrPort(t string) (string, bool) {
	if strings.HasPrefix(t, "[") {
		end := strings.IndexByte(t, ']')
		if end < 0 {
			return "", false
		}
		rest := t[end+1:]
		if rest != "" && !(rest[0] == ':' && isPort(rest[1:])) {
			return "", false
		}
		return t[1:end], true
	}
	// One colon: an IPv4 address (or a name) with a port. IPv6 has at
	// least two.
	if i := strings.IndexByte(t, ':'); i >= 0 && strings.IndexByte(t[i+1:], ':') < 0 && isPort(t[i+1:]) {
		return t[:i], true
	}
	return "", false
}

// isPort reports whether s is a decimal port number, 0–65535.
func isPort(s string) bool {
	if s == "" || len(s) > 5 {
		return false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return n <= 65535
}

// ParseHost parses a host as HTTP, TLS and URLs carry it: an address (see
// ParseAddress) or a domain name, with an optional port. Names become
// stix.DomainName values (lower case, IDN as punycode, no trailing dot).
// Single-label names are rejected, as stix.NewDomainName rejects them.
//
// Errors are the stix constructors': errors.Is(err, stix.ErrInvalidValue).
func ParseHost(s string) (stix.Observable, error) {
	t := strings.TrimSpace(s)
	if looksLikeAddress(t) {
		return ParseAddress(t)
	}
	if inner, ok := stripAddrPort(t); ok {
		t = inner
	}
	d, err := stix.NewDomainName(t)
	if err != nil {
		if t != strings.TrimSpace(s) {
			_, err = stix.NewDomainName(s)
		}
		return nil, err
	}
	return d, nil
}

// looksLikeAddress reports whether a host is meant as an address: it is
// bracketed, has two colons (IPv6), or is made of digits and dots (IPv4,
// with an optional port or prefix length) — so "999.1.1.1" is reported as
// a bad address, not as a bad name.
func looksLikeAddress(t string) bool {
	if strings.HasPrefix(t, "[") || strings.Count(t, ":") >= 2 {
		return true
	}
	if t == "" {
		return false
	}
	dots := 0
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c == '.':
			dots++
		case c == ':' || c == '/' || '0' <= c && c <= '9':
		default:
			return false
		}
	}
	return dots > 0
}
