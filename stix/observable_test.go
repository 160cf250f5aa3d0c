package stix

import (
	"encoding/json"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ctorCase is one input of a value constructor: the normalised value it
// must give, or an error when want is "".
type ctorCase struct {
	in   string
	want string
}

// runCtorTable checks a value constructor against a table and, for every
// valid value, the invariants all observables share.
func runCtorTable[T interface {
	Observable
	Value() string
}](t *testing.T, typ string, ctor func(string) (T, error), cases []ctorCase) {
	t.Helper()
	for _, c := range cases {
		got, err := ctor(c.in)
		if c.want == "" {
			if err == nil {
				t.Errorf("%s(%q) = %q, want an error", typ, c.in, got.Value())
				continue
			}
			var ve *ValueError
			if !errors.Is(err, ErrInvalidValue) || !errors.As(err, &ve) || ve.Type != typ || ve.Reason == "" {
				t.Errorf("%s(%q): error %v (%#v) is not a *ValueError of type %s matching ErrInvalidValue", typ, c.in, err, ve, typ)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s(%q): unexpected error %v", typ, c.in, err)
			continue
		}
		if got.Value() != c.want {
			t.Errorf("%s(%q).Value() = %q, want %q", typ, c.in, got.Value(), c.want)
		}
		checkObservable(t, got)
		// Normalisation is idempotent.
		again, err := ctor(got.Value())
		if err != nil || Observable(again) != Observable(got) {
			t.Errorf("%s(%q) is not stable: %v %v", typ, got.Value(), again, err)
		}
	}
}

// checkObservable checks what every valid observable promises.
func checkObservable(t *testing.T, o Observable) {
	t.Helper()
	if !strings.HasPrefix(o.ID(), o.Type()+"--") || len(o.ID()) != len(o.Type())+2+36 {
		t.Errorf("%v: bad ID %q", o, o.ID())
	}
	eqs := o.Equalities()
	if len(eqs) == 0 {
		t.Fatalf("%v: no equalities", o)
	}
	for _, e := range eqs {
		if e.ObjectType != o.Type() {
			t.Errorf("%v: equality %v has object type %q", o, e, e.ObjectType)
		}
	}
	checkObservablePattern(t, o)
	data, err := json.Marshal(o)
	if err != nil {
		t.Fatalf("%v: marshal: %v", o, err)
	}
	back, err := ParseObservable(data)
	if err != nil {
		t.Fatalf("%v: ParseObservable(%s): %v", o, data, err)
	}
	if back != o {
		t.Errorf("ParseObservable(%s) = %#v, want %#v", data, back, o)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m["type"] != o.Type() || m["spec_version"] != "2.1" || m["id"] != o.ID() {
		t.Errorf("JSON %s: wrong type, spec_version or id", data)
	}
}

func TestNewIPv4Addr(t *testing.T) {
	runCtorTable(t, TypeIPv4Addr, NewIPv4Addr, []ctorCase{
		{"198.51.100.7", "198.51.100.7"},
		{" 198.51.100.7\n", "198.51.100.7"},
		{"0.0.0.0", "0.0.0.0"},
		{"255.255.255.255", "255.255.255.255"},
		{"198.51.100.0/24", "198.51.100.0/24"},
		{"198.51.100.77/24", "198.51.100.0/24"}, // host bits cleared
		{"198.51.100.7/32", "198.51.100.7"},
		{"0.0.0.0/0", "0.0.0.0/0"},
		{"::ffff:198.51.100.7", "198.51.100.7"},
		{"::ffff:198.51.100.0/120", "198.51.100.0/24"},
		{"", ""},
		{"   ", ""},
		{"198.51.100", ""},
		{"198.51.100.256", ""},
		{"198.051.100.7", ""}, // leading zero: octal or decimal?
		{"198.51.100.7/33", ""},
		{"198.51.100.0/", ""},
		{"198.51.100.0/-1", ""},
		{"2001:db8::1", ""},
		{"2001:db8::/32", ""},
		{"::ffff:198.51.100.0/90", ""},
		{"198.51.100.7%eth0", ""},
		{"localhost", ""},
		{"1.2.3.4.5", ""},
	})
}

func TestNewIPv6Addr(t *testing.T) {
	runCtorTable(t, TypeIPv6Addr, NewIPv6Addr, []ctorCase{
		{"2001:db8::7", "2001:db8::7"},
		{"2001:DB8:0:0:0:0:0:7", "2001:db8::7"},
		{"2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1"},
		{"::1", "::1"},
		{"::", "::"},
		{"2001:db8::/32", "2001:db8::/32"},
		{"2001:db8:1::7/48", "2001:db8:1::/48"},
		{"2001:db8::7/128", "2001:db8::7"},
		{"fe80::1", "fe80::1"},
		{"", ""},
		{"198.51.100.7", ""},
		{"::ffff:198.51.100.7", ""}, // IPv4-mapped: NewIPAddr unwraps it
		{"fe80::1%eth0", ""},
		{"2001:db8::/129", ""},
		{"2001:db8:::1", ""},
		{"2001:db8::g", ""},
		{"[2001:db8::1]", ""},
	})
}

func TestNewIPAddr(t *testing.T) {
	tests := []struct {
		in       string
		wantType string
		want     string
	}{
		{"198.51.100.7", TypeIPv4Addr, "198.51.100.7"},
		{"::ffff:198.51.100.7", TypeIPv4Addr, "198.51.100.7"},
		{"2001:db8::7", TypeIPv6Addr, "2001:db8::7"},
		{"2001:db8::/32", TypeIPv6Addr, "2001:db8::/32"},
		{"10.0.0.0/8", TypeIPv4Addr, "10.0.0.0/8"},
		{"nope", "", ""},
		{"", "", ""},
		{"fe80::1%1", "", ""},
	}
	for _, tt := range tests {
		o, err := NewIPAddr(tt.in)
		if tt.wantType == "" {
			if err == nil || o != nil || !errors.Is(err, ErrInvalidValue) {
				t.Errorf("NewIPAddr(%q) = %v, %v; want nil and an invalid-value error", tt.in, o, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("NewIPAddr(%q): %v", tt.in, err)
			continue
		}
		if o.Type() != tt.wantType || o.String() != tt.want {
			t.Errorf("NewIPAddr(%q) = %s %q, want %s %q", tt.in, o.Type(), o, tt.wantType, tt.want)
		}
		checkObservable(t, o)
	}
}

func TestIPPrefix(t *testing.T) {
	a, _ := NewIPv4Addr("198.51.100.7")
	if a.IsCIDR() || a.Prefix() != netip.MustParsePrefix("198.51.100.7/32") {
		t.Errorf("single IPv4: IsCIDR %v, Prefix %v", a.IsCIDR(), a.Prefix())
	}
	b, _ := NewIPv4Addr("198.51.100.0/24")
	if !b.IsCIDR() || b.Prefix() != netip.MustParsePrefix("198.51.100.0/24") {
		t.Errorf("IPv4 block: IsCIDR %v, Prefix %v", b.IsCIDR(), b.Prefix())
	}
	c, _ := NewIPv6Addr("2001:db8::7")
	if c.IsCIDR() || c.Prefix().Bits() != 128 {
		t.Errorf("single IPv6: IsCIDR %v, Prefix %v", c.IsCIDR(), c.Prefix())
	}
	d, _ := NewIPv6Addr("2001:db8::/32")
	if !d.IsCIDR() {
		t.Errorf("IPv6 block: IsCIDR false")
	}
}

func TestNewDomainName(t *testing.T) {
	long63 := strings.Repeat("a", 63)
	name253 := strings.Join([]string{long63, long63, long63, strings.Repeat("b", 61)}, ".") // 253 octets
	runCtorTable(t, TypeDomainName, NewDomainName, []ctorCase{
		{"example.com", "example.com"},
		{"Example.COM.", "example.com"},
		{"  evil.example\t", "evil.example"},
		{"_dmarc.example.com", "_dmarc.example.com"},
		{"_ldap._tcp.dc._msdcs.corp.example", "_ldap._tcp.dc._msdcs.corp.example"},
		{"r3---sn-abc.googlevideo.com", "r3---sn-abc.googlevideo.com"},
		{"xn--bcher-kva.example", "xn--bcher-kva.example"},
		{"XN--BCHER-KVA.example", "xn--bcher-kva.example"},
		{"bücher.example", "xn--bcher-kva.example"},
		{"BÜCHER.example", "xn--bcher-kva.example"},
		{"straße.de", "xn--strae-oqa.de"}, // non-transitional: ß is kept
		{"例え.テスト", "xn--r8jz45g.xn--zckzah"},
		{"ｅｘａｍｐｌｅ。com", "example.com"}, // width mapping and ideographic full stop
		{"a.b", "a.b"},
		{"1.example", "1.example"},
		{"example.123abc", "example.123abc"},
		{long63 + ".example", long63 + ".example"},
		{name253, name253},
		{name253 + ".", name253},
		{"", ""},
		{".", ""},
		{"localhost", ""}, // a single label is a Hostname, not a domain name
		{"example..com", ""},
		{".example.com", ""},
		{"example.com..", ""},
		{"-evil.example", ""},
		{"evil-.example", ""},
		{"ev il.example", ""},
		{"evil.example/path", ""},
		{"*.example.com", ""},
		{"user@example.com", ""},
		{"198.51.100.7", ""},
		{"example.123", ""},
		{strings.Repeat("a", 64) + ".example", ""},
		{name253 + "b", ""},
		{"xn--zz.example", ""}, // invalid punycode
		{"a\x00b.example", ""},
		{"\xff.example", ""},
		{strings.Repeat("a.", 600) + "com", ""},
	})
}

func TestNewHostname(t *testing.T) {
	runCtorTable(t, TypeHostname, NewHostname, []ctorCase{
		{"WS-FIN-0231", "ws-fin-0231"},
		{"host.example", "host.example"},
		{"Host.Example.", "host.example"},
		{"münchen-01", "xn--mnchen-01-q9a"},
		{"", ""},
		{"-host", ""},
		{"host name", ""},
		{"198.51.100.7", ""},
		{"1234", ""},
	})
}

func TestNewURL(t *testing.T) {
	runCtorTable(t, TypeURL, NewURL, []ctorCase{
		{"http://evil.example/x", "http://evil.example/x"},
		{"HTTPS://Evil.Example:8443/Path/To?Q=A#Frag", "https://evil.example:8443/Path/To?Q=A#Frag"},
		{"http://User:Pass@EVIL.example/", "http://User:Pass@evil.example/"},
		{"http://198.51.100.7/a%2Fb", "http://198.51.100.7/a%2Fb"},
		{"http://[2001:DB8::1]:80/", "http://[2001:db8::1]:80/"},
		{"ftp://files.example", "ftp://files.example"},
		{"http://evil.example?x=<script>&y='1'", "http://evil.example?x=<script>&y='1'"},
		{"http://bücher.example/ü", "http://bücher.example/ü"},
		{"  http://evil.example/  ", "http://evil.example/"},
		{"", ""},
		{"evil.example/x", ""},
		{"/relative/path", ""},
		{"mailto:a@example.com", ""},
		{"file:///etc/passwd", ""},
		{"http://", ""},
		{"http:///path", ""},
		{"http://evil.example/a b", ""},
		{"http://evil.example/\x00", ""},
		{"http://evil.example:port/", ""},
		{"http://[::1/", ""},
		{"http:evil.example", ""},
		{"http://evil.example/\xff", ""},
	})
}

func TestURLHost(t *testing.T) {
	tests := []struct{ in, host string }{
		{"http://Evil.Example:8080/x", "evil.example"},
		{"http://user@198.51.100.7/", "198.51.100.7"},
		{"https://[2001:DB8::1]:443/", "2001:db8::1"},
	}
	for _, tt := range tests {
		u, err := NewURL(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if u.Host() != tt.host {
			t.Errorf("NewURL(%q).Host() = %q, want %q", tt.in, u.Host(), tt.host)
		}
	}
}

func TestNewEmailAddr(t *testing.T) {
	runCtorTable(t, TypeEmailAddr, NewEmailAddr, []ctorCase{
		{"alice@example.com", "alice@example.com"},
		{"Alice.Smith@Example.COM", "Alice.Smith@example.com"},
		{"first.last+tag@mail.example", "first.last+tag@mail.example"},
		{"o'brien@example.com", "o'brien@example.com"},
		{`"john doe"@example.com`, `"john doe"@example.com`},
		{`"a@b"@example.com`, `"a@b"@example.com`},
		{"josé@bücher.example", "josé@xn--bcher-kva.example"},
		{"root@localhost", "root@localhost"},
		{"", ""},
		{"alice", ""},
		{"@example.com", ""},
		{"alice@", ""},
		{"Alice <alice@example.com>", ""},
		{".alice@example.com", ""},
		{"alice.@example.com", ""},
		{"al..ice@example.com", ""},
		{"al ice@example.com", ""},
		{"alice@ example.com", ""},
		{"alice@example.com.", ""},
		{"alice@[198.51.100.7]", ""},
		{"alice@exa mple.com", ""},
		{`"unterminated@example.com`, ""},
		{strings.Repeat("a", 65) + "@example.com", ""},
		{"al\xffice@example.com", ""},
	})
}

var (
	md5Empty    = "d41d8cd98f00b204e9800998ecf8427e"
	sha1Empty   = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
	sha256Empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	sha512Empty = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
)

func TestParseHashAlgorithm(t *testing.T) {
	tests := []struct {
		in   string
		want HashAlgorithm
	}{
		{"MD5", MD5}, {"md5", MD5}, {"Md5", MD5},
		{"SHA-1", SHA1}, {"sha1", SHA1}, {"SHA1", SHA1}, {"sha_1", SHA1},
		{"SHA-256", SHA256}, {"sha256", SHA256}, {"Sha-256", SHA256},
		{"SHA-512", SHA512}, {"sha512", SHA512},
		{"", ""}, {"SHA3-256", ""}, {"SSDEEP", ""}, {"TLSH", ""}, {"sha", ""}, {"sha-384", ""}, {"md55", ""},
		{"S-H-A-1", ""}, {"IMPHASH", ""},
	}
	for _, tt := range tests {
		got, err := ParseHashAlgorithm(tt.in)
		if tt.want == "" {
			if err == nil || !errors.Is(err, ErrInvalidValue) {
				t.Errorf("ParseHashAlgorithm(%q) = %q, %v; want an invalid-value error", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseHashAlgorithm(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestNewHash(t *testing.T) {
	tests := []struct {
		alg  HashAlgorithm
		in   string
		want string
	}{
		{MD5, md5Empty, md5Empty},
		{MD5, strings.ToUpper(md5Empty), md5Empty},
		{SHA1, sha1Empty, sha1Empty},
		{SHA256, strings.ToUpper(sha256Empty), sha256Empty},
		{SHA512, sha512Empty, sha512Empty},
		{MD5, sha1Empty, ""},
		{SHA256, sha256Empty[:63], ""},
		{SHA256, sha256Empty + "0", ""},
		{SHA256, "g" + sha256Empty[1:], ""},
		{SHA256, " " + sha256Empty[1:], ""},
		{MD5, "", ""},
		{"SHA3-256", sha256Empty, ""},
		{"", md5Empty, ""},
		{"sha256", sha256Empty, ""}, // not canonical: use ParseHashAlgorithm first
	}
	for _, tt := range tests {
		got, err := NewHash(tt.alg, tt.in)
		if tt.want == "" {
			if err == nil || !errors.Is(err, ErrInvalidValue) {
				t.Errorf("NewHash(%q, %q) = %v, %v; want an invalid-value error", tt.alg, tt.in, got, err)
			}
			continue
		}
		if err != nil || got != (Hash{tt.alg, tt.want}) {
			t.Errorf("NewHash(%q, %q) = %v, %v; want %s", tt.alg, tt.in, got, err, tt.want)
		}
	}
}

func mustHash(t testing.TB, alg HashAlgorithm, v string) Hash {
	t.Helper()
	h, err := NewHash(alg, v)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestNewFile(t *testing.T) {
	tests := []struct {
		name       string
		fileName   string
		hashes     []Hash
		wantErr    bool
		wantHashes []Hash
		wantString string
		wantEqs    []Equality
	}{
		{
			name: "sha256 only", hashes: []Hash{{SHA256, strings.ToUpper(sha256Empty)}},
			wantHashes: []Hash{{SHA256, sha256Empty}}, wantString: "SHA-256=" + sha256Empty,
			wantEqs: []Equality{{"file", "hashes.'SHA-256'", sha256Empty}},
		},
		{
			name: "all hashes canonical order", fileName: "empty.txt",
			hashes:     []Hash{{SHA512, sha512Empty}, {SHA256, sha256Empty}, {SHA1, sha1Empty}, {MD5, md5Empty}},
			wantHashes: []Hash{{MD5, md5Empty}, {SHA1, sha1Empty}, {SHA256, sha256Empty}, {SHA512, sha512Empty}},
			wantString: "MD5=" + md5Empty,
			wantEqs: []Equality{
				{"file", "hashes.MD5", md5Empty}, {"file", "hashes.'SHA-1'", sha1Empty},
				{"file", "hashes.'SHA-256'", sha256Empty}, {"file", "hashes.'SHA-512'", sha512Empty},
			},
		},
		{
			name: "name only", fileName: "O'Brien\\notes.txt",
			wantString: "O'Brien\\notes.txt",
			wantEqs:    []Equality{{"file", "name", "O'Brien\\notes.txt"}},
		},
		{
			name: "same hash twice", hashes: []Hash{{MD5, md5Empty}, {MD5, strings.ToUpper(md5Empty)}},
			wantHashes: []Hash{{MD5, md5Empty}}, wantString: "MD5=" + md5Empty,
			wantEqs: []Equality{{"file", "hashes.MD5", md5Empty}},
		},
		{name: "nothing", wantErr: true},
		{name: "two values of one algorithm", hashes: []Hash{{MD5, md5Empty}, {MD5, strings.Repeat("0", 32)}}, wantErr: true},
		{name: "unvalidated hash", hashes: []Hash{{SHA256, "abc"}}, wantErr: true},
		{name: "unknown algorithm", hashes: []Hash{{"SSDEEP", "3:abc"}}, wantErr: true},
		{name: "zero hash", hashes: []Hash{{}}, wantErr: true},
		{name: "name with NUL", fileName: "a\x00b", wantErr: true},
		{name: "name not UTF-8", fileName: "a\xffb", wantErr: true},
		{name: "name too long", fileName: strings.Repeat("a", 4097), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := NewFile(tt.fileName, tt.hashes...)
			if tt.wantErr {
				if err == nil || !errors.Is(err, ErrInvalidValue) {
					t.Fatalf("NewFile = %v, %v; want an invalid-value error", f, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantHashes, f.Hashes()); diff != "" {
				t.Errorf("Hashes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantEqs, f.Equalities()); diff != "" {
				t.Errorf("Equalities (-want +got):\n%s", diff)
			}
			if f.String() != tt.wantString || f.Name() != tt.fileName {
				t.Errorf("String %q, Name %q", f.String(), f.Name())
			}
			for _, h := range tt.wantHashes {
				if v, ok := f.Hash(h.Algorithm); !ok || v != h.Value {
					t.Errorf("Hash(%s) = %q, %v", h.Algorithm, v, ok)
				}
			}
			checkObservable(t, f)
			sized := f.WithSize(1234)
			if n, ok := sized.Size(); !ok || n != 1234 {
				t.Errorf("WithSize: Size() = %d, %v", n, ok)
			}
			if sized.ID() != f.ID() {
				t.Errorf("size changed the ID")
			}
			checkObservable(t, sized)
			if _, ok := sized.WithSize(-1).Size(); ok {
				t.Errorf("WithSize(-1) kept a size")
			}
		})
	}
}

func TestFileHashAbsent(t *testing.T) {
	f, _ := NewFile("", mustHash(t, SHA256, sha256Empty))
	if v, ok := f.Hash(MD5); ok || v != "" {
		t.Errorf("Hash(MD5) = %q, %v", v, ok)
	}
	if v, ok := f.Hash("bogus"); ok || v != "" {
		t.Errorf("Hash(bogus) = %q, %v", v, ok)
	}
	if _, ok := f.Size(); ok {
		t.Errorf("Size known")
	}
}

func TestDeterministicIDs(t *testing.T) {
	ip, _ := NewIPv4Addr("198.51.100.3")
	dn, _ := NewDomainName("example.com")
	tests := []struct {
		o    Observable
		want string
	}{
		// The vectors of the STIX 2.1 specification, section 2.9.
		{ip, "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"},
		{dn, "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7"},
	}
	for _, tt := range tests {
		if got := tt.o.ID(); got != tt.want {
			t.Errorf("%s %v: ID() = %s, want %s", tt.o.Type(), tt.o, got, tt.want)
		}
	}
}

func TestFileIDContributingProperties(t *testing.T) {
	// The ID hashes {"hashes":{"<first of MD5, SHA-1, SHA-256, SHA-512>":…},"name":…}.
	md5, sha256 := mustHash(t, MD5, md5Empty), mustHash(t, SHA256, sha256Empty)
	both, _ := NewFile("", sha256, md5)
	onlyMD5, _ := NewFile("", md5)
	onlySHA256, _ := NewFile("", sha256)
	named, _ := NewFile("a.txt", md5)
	if both.ID() != onlyMD5.ID() {
		t.Errorf("MD5 is not preferred: %s vs %s", both.ID(), onlyMD5.ID())
	}
	if onlySHA256.ID() == onlyMD5.ID() || named.ID() == onlyMD5.ID() {
		t.Errorf("IDs collide")
	}
	want := deterministicID(TypeFile, []byte(`{"hashes":{"MD5":"`+md5Empty+`"},"name":"a.txt"}`))
	if named.ID() != want {
		t.Errorf("named.ID() = %s, want %s", named.ID(), want)
	}
	nameOnly, _ := NewFile("<b&c>")
	if want := deterministicID(TypeFile, []byte(`{"name":"<b&c>"}`)); nameOnly.ID() != want {
		t.Errorf("nameOnly.ID() = %s, want %s (no HTML escaping)", nameOnly.ID(), want)
	}
}

func TestUUIDv5Format(t *testing.T) {
	id := deterministicID("x", []byte("anything"))
	u := strings.TrimPrefix(id, "x--")
	if len(u) != 36 || u[14] != '5' || !strings.ContainsRune("89ab", rune(u[19])) {
		t.Errorf("%s is not a version 5 RFC 4122 UUID", id)
	}
}

// TestZeroValues checks that the zero value of every observable type is
// harmless: no panic, empty results, MarshalJSON fails.
func TestZeroValues(t *testing.T) {
	zeros := []Observable{IPv4Addr{}, IPv6Addr{}, DomainName{}, Hostname{}, URL{}, EmailAddr{}, File{}}
	for _, o := range zeros {
		if o.ID() != "" || o.Pattern() != "" || o.String() != "" || o.Equalities() != nil || o.Type() == "" {
			t.Errorf("zero %T: ID %q Pattern %q String %q Equalities %v", o, o.ID(), o.Pattern(), o.String(), o.Equalities())
		}
		if _, err := json.Marshal(o); err == nil || !errors.Is(err, ErrInvalidValue) {
			t.Errorf("zero %T: marshal error %v", o, err)
		}
	}
	var f File
	if f.Hashes() != nil || f.Name() != "" {
		t.Errorf("zero File has content")
	}
	if (IPv4Addr{}).IsCIDR() || (IPv6Addr{}).IsCIDR() || (URL{}).Host() != "" {
		t.Errorf("zero values report content")
	}
}

func TestEqualityString(t *testing.T) {
	tests := []struct {
		e    Equality
		want string
	}{
		{Equality{"ipv4-addr", "value", "198.51.100.7"}, "[ipv4-addr:value = '198.51.100.7']"},
		{Equality{"file", "hashes.'SHA-256'", sha256Empty}, "[file:hashes.'SHA-256' = '" + sha256Empty + "']"},
		{Equality{"file", "name", `it's C:\dir\`}, `[file:name = 'it\'s C:\\dir\\']`},
		{Equality{"url", "value", `http://x.example/\'`}, `[url:value = 'http://x.example/\\\'']`},
	}
	for _, tt := range tests {
		if got := tt.e.String(); got != tt.want {
			t.Errorf("%#v.String() = %s, want %s", tt.e, got, tt.want)
		}
	}
}

func TestObservablePattern(t *testing.T) {
	f, _ := NewFile("x", mustHash(t, MD5, md5Empty), mustHash(t, SHA256, sha256Empty))
	want := "[file:hashes.MD5 = '" + md5Empty + "' OR file:hashes.'SHA-256' = '" + sha256Empty + "']"
	if f.Pattern() != want {
		t.Errorf("Pattern() = %s, want %s", f.Pattern(), want)
	}
	d, _ := NewDomainName("evil.example")
	if d.Pattern() != "[domain-name:value = 'evil.example']" {
		t.Errorf("Pattern() = %s", d.Pattern())
	}
}

func TestQuotePathStep(t *testing.T) {
	tests := []struct{ in, want string }{
		{"value", "value"},
		{"MD5", "MD5"},
		{"_x9", "_x9"},
		{"SHA-256", "'SHA-256'"},
		{"a.b", "'a.b'"},
		{"9lives", "'9lives'"},
		{"", "''"},
		{"AND", "'AND'"},
		{"true", "'true'"},
		{"it's", `'it\'s'`},
		{`back\slash`, `'back\\slash'`},
	}
	for _, tt := range tests {
		if got := quotePathStep(tt.in); got != tt.want {
			t.Errorf("quotePathStep(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestMarshalObservables(t *testing.T) {
	ip, _ := NewIPv4Addr("198.51.100.3")
	f, _ := NewFile("a<b>.exe", mustHash(t, SHA256, sha256Empty))
	f = f.WithSize(0)
	tests := []struct {
		o    Observable
		want string
	}{
		{ip, `{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","value":"198.51.100.3"}`},
		{f, `{"type":"file","spec_version":"2.1","id":"` + f.ID() + `","hashes":{"SHA-256":"` + sha256Empty + `"},"name":"a\u003cb\u003e.exe","size":0}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.o)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, string(got)); diff != "" {
			t.Errorf("json.Marshal(%v) (-want +got):\n%s", tt.o, diff)
		}
	}
}

func TestParseObservable(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string // Type()+" "+String(), "" for an error
		wantErr error
	}{
		{"ipv4", `{"type":"ipv4-addr","value":"198.51.100.7"}`, "ipv4-addr 198.51.100.7", nil},
		{"ipv4 id ignored", `{"type":"ipv4-addr","id":"ipv4-addr--00000000-0000-0000-0000-000000000000","value":"198.51.100.7"}`, "ipv4-addr 198.51.100.7", nil},
		{"ipv6 normalised", `{"type":"ipv6-addr","value":"2001:DB8:0::7"}`, "ipv6-addr 2001:db8::7", nil},
		{"domain", `{"type":"domain-name","value":"Evil.Example."}`, "domain-name evil.example", nil},
		{"hostname", `{"type":"hostname","value":"WS-1"}`, "hostname ws-1", nil},
		{"url", `{"type":"url","value":"HTTP://X.Example/A"}`, "url http://x.example/A", nil},
		{"email", `{"type":"email-addr","value":"a@B.example"}`, "email-addr a@b.example", nil},
		{"file hashes", `{"type":"file","hashes":{"SHA256":"` + strings.ToUpper(sha256Empty) + `","SSDEEP":"3:x:y"}}`, "file SHA-256=" + sha256Empty, nil},
		{"file name", `{"type":"file","name":"a.exe","size":12}`, "file a.exe", nil},
		{"not json", `{"type":`, "", nil},
		{"no type", `{"value":"198.51.100.7"}`, "", ErrInvalidValue},
		{"no value", `{"type":"ipv4-addr"}`, "", ErrInvalidValue},
		{"bad value", `{"type":"ipv4-addr","value":"x"}`, "", ErrInvalidValue},
		{"value not string", `{"type":"ipv4-addr","value":7}`, "", nil},
		{"bad hash", `{"type":"file","hashes":{"MD5":"xyz"}}`, "", ErrInvalidValue},
		{"empty file", `{"type":"file","hashes":{"SSDEEP":"3:x:y"}}`, "", ErrInvalidValue},
		{"negative size", `{"type":"file","name":"a","size":-1}`, "", ErrInvalidValue},
		{"unsupported", `{"type":"mac-addr","value":"00:00:5e:00:53:01"}`, "", ErrUnsupported},
		{"array", `[]`, "", nil},
		{"null", `null`, "", ErrInvalidValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := ParseObservable([]byte(tt.in))
			if tt.want == "" {
				if err == nil {
					t.Fatalf("ParseObservable = %v, want an error", o)
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Fatalf("error %v does not match %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := o.Type() + " " + o.String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestNewObservable(t *testing.T) {
	o, err := NewObservable(TypeDomainName, "Evil.Example")
	if err != nil || o.String() != "evil.example" {
		t.Errorf("NewObservable = %v, %v", o, err)
	}
	if _, err := NewObservable(TypeFile, "x"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("NewObservable(file) error %v", err)
	}
	if o, err := NewObservable(TypeIPv4Addr, "x"); err == nil || o != nil {
		t.Errorf("NewObservable(bad ip) = %v, %v", o, err)
	}
}

func TestValueError(t *testing.T) {
	_, err := NewIPv4Addr(strings.Repeat("9", 200))
	var ve *ValueError
	if !errors.As(err, &ve) {
		t.Fatalf("%v is not a *ValueError", err)
	}
	if len(ve.Value) > maxErrorValue+len("…") || !strings.HasSuffix(ve.Value, "…") {
		t.Errorf("Value not shortened: %q", ve.Value)
	}
	if !strings.HasPrefix(err.Error(), "stix: invalid ipv4-addr ") {
		t.Errorf("message %q", err.Error())
	}
	wrapped := errors.Join(errors.New("context"), err)
	if !errors.Is(wrapped, ErrInvalidValue) {
		t.Errorf("wrapped error does not match ErrInvalidValue")
	}
	if got := shorten("ééé", 3); got != "é…" {
		t.Errorf("shorten cut inside a rune: %q", got)
	}
}
