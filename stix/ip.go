package stix

import (
	"net/netip"
	"strings"
)

// IPv4Addr is an ipv4-addr observable: one address or a CIDR block.
type IPv4Addr struct{ p netip.Prefix }

// IPv6Addr is an ipv6-addr observable: one address or a CIDR block.
type IPv6Addr struct{ p netip.Prefix }

// NewIPv4Addr parses an IPv4 address ("198.51.100.7") or CIDR block
// ("198.51.100.0/24"). Host bits of a block are cleared and a /32 becomes a
// plain address; an IPv4-mapped IPv6 address (::ffff:198.51.100.7) is
// unwrapped. Leading zeros in octets are rejected (they are ambiguous).
func NewIPv4Addr(s string) (IPv4Addr, error) {
	p, err := parseIP(TypeIPv4Addr, s)
	if err != nil {
		return IPv4Addr{}, err
	}
	if !p.Addr().Is4() {
		return IPv4Addr{}, invalid(TypeIPv4Addr, s, "an IPv6 address")
	}
	return IPv4Addr{p}, nil
}

// NewIPv6Addr parses an IPv6 address or CIDR block; its value is the
// compressed lower-case form of RFC 5952. An IPv4-mapped address is an
// error (NewIPAddr unwraps it to IPv4), and so is a zone ("fe80::1%eth0").
func NewIPv6Addr(s string) (IPv6Addr, error) {
	p, err := parseIP(TypeIPv6Addr, s)
	if err != nil {
		return IPv6Addr{}, err
	}
	a := p.Addr()
	if a.Is4() {
		if strings.Contains(s, ":") {
			return IPv6Addr{}, invalid(TypeIPv6Addr, s, "an IPv4-mapped address: use NewIPAddr or NewIPv4Addr")
		}
		return IPv6Addr{}, invalid(TypeIPv6Addr, s, "an IPv4 address")
	}
	return IPv6Addr{p}, nil
}

// NewIPAddr parses an IPv4 or IPv6 address or CIDR block and returns an
// IPv4Addr or an IPv6Addr; IPv4-mapped IPv6 addresses become IPv4Addr.
func NewIPAddr(s string) (Observable, error) {
	p, err := parseIP("ip address", s)
	if err != nil {
		return nil, err
	}
	if p.Addr().Is4() {
		return IPv4Addr{p}, nil
	}
	return IPv6Addr{p}, nil
}

// parseIP parses an address or prefix, rejects zones, unwraps IPv4-mapped
// IPv6 and masks host bits. A single address is returned as a full-length
// prefix.
func parseIP(typ, s string) (netip.Prefix, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return netip.Prefix{}, invalid(typ, s, "empty")
	}
	if strings.IndexByte(t, '%') >= 0 {
		return netip.Prefix{}, invalid(typ, s, "zoned addresses are not observables")
	}
	var p netip.Prefix
	if strings.IndexByte(t, '/') >= 0 {
		var err error
		p, err = netip.ParsePrefix(t)
		if err != nil {
			return netip.Prefix{}, invalid(typ, s, "not a CIDR block")
		}
	} else {
		a, err := netip.ParseAddr(t)
		if err != nil {
			return netip.Prefix{}, invalid(typ, s, "not an IP address")
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if a := p.Addr(); a.Is4In6() {
		bits := p.Bits() - 96
		if bits < 0 {
			return netip.Prefix{}, invalid(typ, s, "IPv4-mapped block shorter than /96")
		}
		p = netip.PrefixFrom(a.Unmap(), bits)
	}
	return p.Masked(), nil
}

func prefixValue(p netip.Prefix) string {
	switch {
	case !p.IsValid():
		return ""
	case p.IsSingleIP():
		return p.Addr().String()
	default:
		return p.String()
	}
}

// Type is "ipv4-addr".
func (IPv4Addr) Type() string { return TypeIPv4Addr }

// Value is the address ("198.51.100.7") or block ("198.51.100.0/24").
func (a IPv4Addr) Value() string { return prefixValue(a.p) }

// Prefix is the address as a prefix; a single address is a /32.
func (a IPv4Addr) Prefix() netip.Prefix { return a.p }

// IsCIDR reports whether a is a block of more than one address.
func (a IPv4Addr) IsCIDR() bool { return a.p.IsValid() && !a.p.IsSingleIP() }

// ID is the deterministic identifier.
func (a IPv4Addr) ID() string { return valueID(TypeIPv4Addr, a.Value()) }

// Equalities is [ipv4-addr:value = '<value>'].
func (a IPv4Addr) Equalities() []Equality { return valueEquality(TypeIPv4Addr, a.Value()) }

// Pattern is the canonical pattern matching a.
func (a IPv4Addr) Pattern() string { return equalitiesPattern(a.Equalities()) }

// String is the value.
func (a IPv4Addr) String() string { return a.Value() }

// MarshalJSON writes the STIX object.
func (a IPv4Addr) MarshalJSON() ([]byte, error) { return marshalValue(TypeIPv4Addr, a.Value()) }

// Type is "ipv6-addr".
func (IPv6Addr) Type() string { return TypeIPv6Addr }

// Value is the compressed address ("2001:db8::7") or block ("2001:db8::/32").
func (a IPv6Addr) Value() string { return prefixValue(a.p) }

// Prefix is the address as a prefix; a single address is a /128.
func (a IPv6Addr) Prefix() netip.Prefix { return a.p }

// IsCIDR reports whether a is a block of more than one address.
func (a IPv6Addr) IsCIDR() bool { return a.p.IsValid() && !a.p.IsSingleIP() }

// ID is the deterministic identifier.
func (a IPv6Addr) ID() string { return valueID(TypeIPv6Addr, a.Value()) }

// Equalities is [ipv6-addr:value = '<value>'].
func (a IPv6Addr) Equalities() []Equality { return valueEquality(TypeIPv6Addr, a.Value()) }

// Pattern is the canonical pattern matching a.
func (a IPv6Addr) Pattern() string { return equalitiesPattern(a.Equalities()) }

// String is the value.
func (a IPv6Addr) String() string { return a.Value() }

// MarshalJSON writes the STIX object.
func (a IPv6Addr) MarshalJSON() ([]byte, error) { return marshalValue(TypeIPv6Addr, a.Value()) }
