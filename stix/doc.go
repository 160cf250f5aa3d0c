// Package stix is the STIX 2.1 vocabulary of wazuh-opencti: the
// cyber-observables that threat-intelligence lookups need, their
// deterministic identifiers and normalisation, indicators and bundles, and
// the patterning language (builder, parser, equivalence).
//
// It holds values only. It does no I/O (NewID reads random bytes, nothing
// else touches the system), and it imports nothing else of this module, so
// any Go program can use it on its own.
//
// It is not a general STIX library. It models seven observable types and
// the four objects a lookup meets (Indicator, Relationship,
// MarkingDefinition, Identity); a Bundle keeps every other object as raw
// JSON. It parses patterns but does not evaluate them against observed
// data, and it rejects the observation qualifiers (WITHIN, REPEATS,
// START/STOP) and FOLLOWEDBY.
//
// # Observables
//
// The Observable interface covers the value types IPv4Addr, IPv6Addr,
// DomainName, Hostname (OpenCTI's custom hostname type), URL, EmailAddr and
// File. Each has its STIX type, its deterministic ID, its Equalities (the
// "path = value" atoms used to look it up and to match patterns), the
// canonical Pattern that matches it, and its STIX JSON. The types are small
// comparable values, usable as map keys. They come from constructors
// (NewIPv4Addr, NewIPAddr, NewDomainName, NewHostname, NewURL,
// NewEmailAddr, NewFile with NewHash, NewObservable) or from
// ParseObservable, which all validate and normalise; an invalid input gives
// an error matching ErrInvalidValue that errors.As turns into a *ValueError.
// The zero value of each type is invalid: its methods return empty results
// and MarshalJSON fails, nothing panics.
//
// # Normalisation
//
// Equal things get equal values, and so equal identifiers and patterns:
//
//   - Hashes: MD5, SHA-1, SHA-256 and SHA-512 only, with the right number
//     of hex digits, lower-cased. ParseHashAlgorithm accepts common
//     spellings ("sha256", "SHA_1").
//   - IPv4 and IPv6 (net/netip): canonical text, IPv6 compressed and
//     lower-case; CIDR blocks with host bits cleared, a /32 or /128 is a
//     plain address; an IPv4-mapped IPv6 address is IPv4; zones and leading
//     zeros in IPv4 octets are rejected.
//   - Domain names and host names: surrounding white space and one trailing
//     dot removed, lower case, internationalised names converted to punycode
//     with the UTS #46 lookup mapping of golang.org/x/net/idna. Underscores
//     are allowed ("_dmarc.example.com") and "--" in the third and fourth
//     position too ("r3---sn-abc.googlevideo.com"), because names in alerts
//     are DNS names; labels are 1–63 octets and may not start or end with a
//     hyphen, names are at most 253 octets, and a numeric last label is
//     refused, so an address is never a name. A DomainName has at least two
//     labels; a Hostname may have one.
//   - URLs: absolute, with a host; scheme and host lower-cased, everything
//     else kept byte for byte.
//   - E-mail addresses: an addr-spec without display name; the domain is
//     normalised as a domain name, the local part kept as given.
//   - File names: kept as given (valid UTF-8, no NUL).
//
// # Identifiers
//
// ID follows STIX 2.1 section 2.9: "<type>--" and a UUIDv5 in namespace
// 00abedb4-aa42-466c-9c01-fed23315a9b7 over the RFC 8785 canonical JSON of
// the ID-contributing properties: value for addresses, names, URLs and
// e-mail addresses; for a file one hash (the first of MD5, SHA-1, SHA-256,
// SHA-512 it has) and its name. The canonical JSON is written by a small
// encoder of this package, not encoding/json, which escapes <, > and &.
// The specification's examples hold: 198.51.100.3 is
// ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4 and example.com is
// domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7. Objects without
// deterministic identifiers get random ones from NewID; ParseID checks an
// identifier's form.
//
// # Patterns
//
// Equality.String builds the canonical single-comparison pattern of a
// value, such as [file:hashes.'SHA-256' = 'e3b0…'], quoting path steps that
// need it and escaping backslash and apostrophe in the constant.
// Observable.Pattern ORs an observable's equalities in one bracket.
//
// ParsePattern parses comparison expressions joined with AND and OR
// (AND binds tighter) inside and between brackets, with parentheses, NOT,
// quoted, index and [*] path steps, every constant kind and every operator.
// It returns a syntax tree (Pattern, Observation, ObservationOp, Comparison,
// ComparisonOp, ObjectPath, Constant). Invalid input gives a *SyntaxError
// with a byte offset; qualifiers, FOLLOWEDBY and EXISTS give an
// *UnsupportedError matching ErrUnsupported. An invalid pattern never
// matches anything.
//
// Pattern.String prints a canonical form: normalised spacing, parentheses
// only where needed, path steps quoted only when needed, canonical numbers,
// and lower-case hex hash values. Pattern.Equivalent (and PatternEquivalent)
// compare canonical forms, so patterns that differ only in those respects
// are equivalent; values are otherwise compared exactly.
//
// Two questions about an indicator found for an observable have two
// answers here. Is it an exact match? Its pattern is Equivalent to the
// observable's single-equality pattern. Which observables is it about?
// Pattern.Equalities lists every non-negated "=" or IN comparison on one of
// this package's observable paths, normalised like the observables' own
// equalities, wherever it stands; Pattern.Alternatives narrows that to the
// ones that satisfy the pattern on their own (reached through OR only).
//
// # Indicators and bundles
//
// Indicator, Relationship, MarkingDefinition and Identity encode and
// decode STIX 2.1 JSON. Timestamps are written in UTC with at least
// millisecond precision (TimestampLayout); properties they do not model,
// such as x_opencti_score, are kept in Custom and written back.
// MarshalJSON validates what the specification requires (errors match
// ErrInvalidObject). DecodeBundle reads a bundle and checks each object's
// type and id, keeping its JSON as is; Object's accessors decode it on
// demand, and NewObject wraps any of this package's values for a Bundle.
package stix
