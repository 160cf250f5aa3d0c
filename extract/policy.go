package extract

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// DefaultMaxObservables is the cap on observables per alert used when
// Policy.MaxObservables is zero.
const DefaultMaxObservables = 50

// DefaultIntegrationName is the integration whose own events a Set skips
// when Policy.IntegrationName is empty.
const DefaultIntegrationName = "opencti"

// Policy says which of the observables extractors find are worth looking
// up. A Set applies it to every finding, whichever extractor found it.
//
// The zero Policy is usable: public addresses only, no ignored hashes or
// names, the default cap. DefaultPolicy adds the recommended ignore lists.
//
// Addresses. An address (or CIDR block) is looked up only when it is
// public: it overlaps none of the special-purpose ranges below. Private
// ranges are looked up as well when IncludePrivate is set, for OpenCTI
// instances that hold internal intelligence; the other ranges only when
// LookupPrefixes holds the address.
//
//	private (IncludePrivate)   10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16,
//	                           100.64.0.0/10 (CGNAT), fc00::/7 (ULA)
//	unspecified                0.0.0.0/8, ::/128
//	loopback                   127.0.0.0/8, ::1/128
//	link-local                 169.254.0.0/16, fe80::/10
//	site-local (deprecated)    fec0::/10
//	multicast                  224.0.0.0/4, ff00::/8
//	broadcast                  255.255.255.255/32
//	reserved                   240.0.0.0/4
//	IETF protocol assignments  192.0.0.0/24
//	benchmarking               198.18.0.0/15, 2001:2::/48
//	documentation              192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
//	                           2001:db8::/32, 3fff::/20
//	discard-only               100::/64
//
// IPv4-mapped IPv6 addresses (::ffff:198.51.100.7) are IPv4 addresses here:
// the stix constructors and ParseAddress unwrap them before any test.
//
// Names. Domain names equal to, or ending in a label-aligned, entry of
// IgnoreNameSuffixes are not looked up. The built-in extractors never look
// up single-label names ("wpad", "localhost"): they are not domain names,
// so the extractors report them in Result.Invalid. (A user's extractor may
// still find a stix.Hostname of one label: OpenCTI keeps such hostnames.)
//
// URLs are judged by their host: a URL whose host is a non-public address
// or an ignored name is dropped along with it.
//
// Files. A file is dropped when any of its hashes is in IgnoreHashes:
// hashes of one file all describe the same content.
type Policy struct {
	// IncludePrivate also looks up addresses in the private ranges above.
	IncludePrivate bool
	// IgnorePrefixes are further ranges never to look up, such as your own
	// public address space.
	IgnorePrefixes []netip.Prefix
	// LookupPrefixes are ranges looked up although a special-purpose range
	// above holds them: documentation ranges in a lab or a demo, or
	// reserved space your OpenCTI has intelligence on. IgnorePrefixes still
	// win over them.
	LookupPrefixes []netip.Prefix
	// IgnoreHashes are hashes (hex, any algorithm, any case) of files never
	// to look up.
	IgnoreHashes []string
	// IgnoreNameSuffixes are domains (such as "local" or "corp.example.com")
	// whose names are never looked up, the domain itself included. Leading
	// and trailing dots are ignored, case does not matter, and an
	// internationalised domain matches in either form ("bücher.example" or
	// "xn--bcher-kva.example").
	IgnoreNameSuffixes []string
	// MaxObservables caps the observables looked up per alert; the first
	// ones in the Set's order are kept. Zero means DefaultMaxObservables, a
	// negative value no cap.
	MaxObservables int
	// IntegrationName names the integration whose own events are never
	// looked up (see wazuh.Alert.IsIntegrationEvent); "" means
	// DefaultIntegrationName.
	IntegrationName string
}

// Hashes of the empty file: a file observable with one of these says
// nothing, and every threat-intel platform has it attached to something.
const (
	EmptyFileMD5    = "d41d8cd98f00b204e9800998ecf8427e"
	EmptyFileSHA1   = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
	EmptyFileSHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	EmptyFileSHA512 = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce" +
		"47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
)

// DefaultPolicy returns the recommended policy: public addresses only; the
// empty-file MD5, SHA-1, SHA-256 and SHA-512 ignored; names under local,
// localdomain, home.arpa, internal, in-addr.arpa and ip6.arpa ignored; at
// most DefaultMaxObservables observables per alert. Each call returns fresh
// slices, so callers may change them.
func DefaultPolicy() Policy {
	return Policy{
		IgnoreHashes:       []string{EmptyFileMD5, EmptyFileSHA1, EmptyFileSHA256, EmptyFileSHA512},
		IgnoreNameSuffixes: []string{"local", "localdomain", "home.arpa", "internal", "in-addr.arpa", "ip6.arpa"},
		MaxObservables:     DefaultMaxObservables,
		IntegrationName:    DefaultIntegrationName,
	}
}

// clone returns p with its own copies of the slices, so a Set is not
// changed by later edits of the Policy it was given.
func (p Policy) clone() Policy {
	p.IgnorePrefixes = append([]netip.Prefix(nil), p.IgnorePrefixes...)
	p.LookupPrefixes = append([]netip.Prefix(nil), p.LookupPrefixes...)
	p.IgnoreHashes = append([]string(nil), p.IgnoreHashes...)
	p.IgnoreNameSuffixes = append([]string(nil), p.IgnoreNameSuffixes...)
	return p
}

// addrClass is a special-purpose range and what to call it in a drop reason.
type addrClass struct {
	prefix  netip.Prefix
	name    string
	private bool // looked up when Policy.IncludePrivate is set
}

// specialRanges lists the ranges that are not public. Broadcast comes
// before reserved so 255.255.255.255 gets the more telling name.
var specialRanges = []addrClass{
	{netip.MustParsePrefix("10.0.0.0/8"), "private", true},
	{netip.MustParsePrefix("172.16.0.0/12"), "private", true},
	{netip.MustParsePrefix("192.168.0.0/16"), "private", true},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared address space (CGNAT)", true},
	{netip.MustParsePrefix("fc00::/7"), "unique local", true},
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified", false},
	{netip.MustParsePrefix("::/128"), "unspecified", false},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback", false},
	{netip.MustParsePrefix("::1/128"), "loopback", false},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local", false},
	{netip.MustParsePrefix("fe80::/10"), "link-local", false},
	{netip.MustParsePrefix("fec0::/10"), "site-local", false},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast", false},
	{netip.MustParsePrefix("ff00::/8"), "multicast", false},
	{netip.MustParsePrefix("255.255.255.255/32"), "broadcast", false},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved", false},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments", false},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking", false},
	{netip.MustParsePrefix("2001:2::/48"), "benchmarking", false},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation", false},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation", false},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation", false},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation", false},
	{netip.MustParsePrefix("3fff::/20"), "documentation", false},
	{netip.MustParsePrefix("100::/64"), "discard-only", false},
}

// compiledPolicy is a Policy prepared for fast checks.
type compiledPolicy struct {
	Policy
	hashes   map[string]struct{}
	prefixes []netip.Prefix // IgnorePrefixes, valid, unmapped, masked
	lookup   []netip.Prefix // LookupPrefixes, the same
	suffixes []string
	max      int // < 0: no cap
	name     string
}

func compilePolicy(p Policy) compiledPolicy {
	p = p.clone()
	c := compiledPolicy{Policy: p, max: p.MaxObservables, name: p.IntegrationName}
	if c.max == 0 {
		c.max = DefaultMaxObservables
	}
	if c.name == "" {
		c.name = DefaultIntegrationName
	}
	if len(p.IgnoreHashes) > 0 {
		c.hashes = make(map[string]struct{}, len(p.IgnoreHashes))
		for _, h := range p.IgnoreHashes {
			if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
				c.hashes[h] = struct{}{}
			}
		}
	}
	c.prefixes = compilePrefixes(p.IgnorePrefixes)
	c.lookup = compilePrefixes(p.LookupPrefixes)
	for _, s := range p.IgnoreNameSuffixes {
		if s = canonicalName(strings.Trim(strings.TrimSpace(s), ".")); s != "" {
			c.suffixes = append(c.suffixes, s)
		}
	}
	return c
}

// compilePrefixes keeps the valid prefixes, masked, with IPv4-mapped ones
// compared as IPv4 like the addresses.
func compilePrefixes(list []netip.Prefix) []netip.Prefix {
	var out []netip.Prefix
	for _, r := range list {
		if !r.IsValid() {
			continue
		}
		if r.Addr().Is4In6() && r.Bits() >= 96 {
			r = netip.PrefixFrom(r.Addr().Unmap(), r.Bits()-96)
		}
		out = append(out, r.Masked())
	}
	return out
}

// dropReason returns why o must not be looked up, or "" when it may be.
// It goes by behaviour (interfaces), not concrete types, so pointers to
// the stix values and other implementations are judged the same way.
func (c *compiledPolicy) dropReason(o stix.Observable) string {
	switch v := o.(type) {
	case interface{ Prefix() netip.Prefix }:
		return c.prefixReason(v.Prefix())
	case interface{ Hashes() []stix.Hash }:
		for _, h := range v.Hashes() {
			if _, ok := c.hashes[h.Value]; ok {
				return "ignored hash " + string(h.Algorithm)
			}
		}
		return ""
	case interface{ Host() string }:
		if r := c.hostReason(v.Host()); r != "" {
			return "host " + r
		}
		return ""
	}
	switch o.Type() {
	case stix.TypeDomainName, stix.TypeHostname:
		return c.nameReason(o.String())
	}
	return ""
}

// canonicalName returns a name as the stix constructors normalise it (lower
// case, internationalised names in punycode), so that ignored suffixes,
// domain-name observables and URL hosts compare alike; a name they reject
// is only lower-cased.
func canonicalName(s string) string {
	if h, err := stix.NewHostname(s); err == nil {
		return h.Value()
	}
	return strings.ToLower(s)
}

// hostReason judges the host of a URL: an address or a name.
func (c *compiledPolicy) hostReason(host string) string {
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return c.prefixReason(netip.PrefixFrom(a.WithZone(""), a.BitLen()))
	}
	// A URL keeps its host as written, "bücher.example" included.
	host = canonicalName(host)
	if strings.IndexByte(strings.TrimSuffix(host, "."), '.') < 0 {
		return "single-label name"
	}
	return c.nameReason(host)
}

// prefixReason returns why the block p is not public, or "".
func (c *compiledPolicy) prefixReason(p netip.Prefix) string {
	if !p.IsValid() {
		return "invalid address"
	}
	if a := p.Addr(); a.Is4In6() {
		bits := max(p.Bits()-96, 0)
		p = netip.PrefixFrom(a.Unmap(), bits)
	}
	lookup := false
	for _, r := range c.lookup {
		if r.Bits() <= p.Bits() && r.Contains(p.Addr()) {
			lookup = true
			break
		}
	}
	for _, r := range specialRanges {
		if lookup || r.private && c.IncludePrivate {
			continue
		}
		if r.prefix.Overlaps(p) {
			return r.name + " " + r.prefix.String()
		}
	}
	for _, r := range c.prefixes {
		if r.Overlaps(p) {
			return "ignored range " + r.String()
		}
	}
	return ""
}

// nameReason returns why the name s is ignored, or "".
func (c *compiledPolicy) nameReason(s string) string {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	for _, suf := range c.suffixes {
		if s == suf || (len(s) > len(suf) && strings.HasSuffix(s, suf) && s[len(s)-len(suf)-1] == '.') {
			return "ignored domain ." + suf
		}
	}
	return ""
}

// capReason is the drop reason of findings beyond the cap.
func (c *compiledPolicy) capReason() string {
	return "over the cap of " + strconv.Itoa(c.max) + " observables per alert"
}
