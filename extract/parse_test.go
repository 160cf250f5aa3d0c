package extract_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// typed is "type value" of an observable, or of each hash of a file.
func typed(o stix.Observable) string { return o.Type() + " " + value(o) }

func TestParseSysmonHashes(t *testing.T) {
	const (
		md5    = "2395D12C80F09BBB7B574785EECB09AD"
		sha1   = "D693BFD0817FA4B068AC3D12EA9DE3AF770F6268"
		sha256 = "4DA46DFB9DFD1F0B4B8E9CFDD02C3ADBDAFC651D738652FE5EDB9A551E92770C"
		sha512 = "CF83E1357EEFB8BDF1542850D66D8007D620E4050B5715DC83F4A921D36CE9CE47D0D13C5D85F2B0FF8318D2877EEC2F63B931BD47417A81A538327AF927DA3E"
	)
	lower := strings.ToLower
	tests := []struct {
		name, in string
		want     []string
	}{
		{"Sysmon's order, upper case, IMPHASH", "SHA1=" + sha1 + ",MD5=" + md5 + ",SHA256=" + sha256 + ",IMPHASH=A1047E4874D4C838D66CE7031565558A",
			[]string{"MD5=" + lower(md5), "SHA-1=" + lower(sha1), "SHA-256=" + lower(sha256)}},
		{"only SHA256", "SHA256=" + sha256, []string{"SHA-256=" + lower(sha256)}},
		{"SHA512", "SHA512=" + sha512, []string{"SHA-512=" + lower(sha512)}},
		{"spaces and case", " sha256 = " + sha256 + " ,  Md5=" + lower(md5) + " ", []string{"MD5=" + lower(md5), "SHA-256=" + lower(sha256)}},
		{"spec spellings and semicolons", "SHA-1=" + sha1 + ";sha_256=" + sha256, []string{"SHA-1=" + lower(sha1), "SHA-256=" + lower(sha256)}},
		{"unknown algorithms only", "IMPHASH=00000000000000000000000000000000,SHA384=ABCD", nil},
		{"junk tokens", "garbage,,=,==,MD5,SHA1==" + sha1 + ",SHA256=" + sha256 + ",\x00,…", []string{"SHA-256=" + lower(sha256)}},
		{"empty values", "MD5=,SHA1=,SHA256=" + sha256, []string{"SHA-256=" + lower(sha256)}},
		{"wrong length", "MD5=" + md5[:31] + ",SHA1=" + sha1 + "0", nil},
		{"not hex", "MD5=" + strings.Repeat("g", 32), nil},
		{"duplicate: first valid wins", "MD5=" + md5 + ",MD5=" + strings.Repeat("a", 32) + ",SHA256=zz,SHA256=" + sha256,
			[]string{"MD5=" + lower(md5), "SHA-256=" + lower(sha256)}},
		{"empty", "", nil},
		{"null", "null", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, h := range extract.ParseSysmonHashes(tt.in) {
				got = append(got, h.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseSysmonHashes(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseDNSQueryResults(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"Sysmon sample", "type:  5 edge-7.example-cdn.net;::ffff:151.101.1.69;::ffff:151.101.65.69;2a04:4e42::69;",
			[]string{"domain-name edge-7.example-cdn.net", "ipv4-addr 151.101.1.69", "ipv4-addr 151.101.65.69", "ipv6-addr 2a04:4e42::69"}},
		{"CNAME chain", "type:  5 a.example.net;type:  5 b.cdn.example.org;type:  5 c.edge.example.com;93.184.216.34",
			[]string{"domain-name a.example.net", "domain-name b.cdn.example.org", "domain-name c.edge.example.com", "ipv4-addr 93.184.216.34"}},
		{"exploded IPv6 in canonical form", "2A04:4E42:0000:0000:0000:0000:0000:0069;", []string{"ipv6-addr 2a04:4e42::69"}},
		{"private addresses are kept: policy is the Set's", "10.0.0.1;::1", []string{"ipv4-addr 10.0.0.1", "ipv6-addr ::1"}},
		{"empty entries", ";;; ;\t;", nil},
		{"junk tokens do not discard the others", "garbage!!;93.184.216.34;type: x;type:  28 ::1;;999.1.1.1;type:;type:  5 ;type:  5 bad..name;2a04:4e42::69",
			[]string{"ipv4-addr 93.184.216.34", "ipv6-addr 2a04:4e42::69"}},
		{"duplicates once", "93.184.216.34;::ffff:93.184.216.34;type:  5 A.example.net;type:  5 a.example.net.", []string{"ipv4-addr 93.184.216.34", "domain-name a.example.net"}},
		{"IDN, trailing dot, case", "TYPE:  5 Bücher.Example.;type:5 CDN.EXAMPLE.NET.", []string{"domain-name xn--bcher-kva.example", "domain-name cdn.example.net"}},
		{"bare name", "printer01.local;", []string{"domain-name printer01.local"}},
		{"zone suffix", "fe80::1%eth0;", []string{"ipv6-addr fe80::1"}},
		{"over-long CNAME", "type:  5 " + strings.Repeat("a", 64) + ".example.com;93.184.216.34", []string{"ipv4-addr 93.184.216.34"}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, o := range extract.ParseDNSQueryResults(tt.in) {
				got = append(got, typed(o))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseDNSQueryResults(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseAddress(t *testing.T) {
	tests := []struct{ in, want string }{
		{"198.51.100.7", "ipv4-addr 198.51.100.7"},
		{" 198.51.100.7 ", "ipv4-addr 198.51.100.7"},
		{"198.51.100.7:443", "ipv4-addr 198.51.100.7"},
		{"[2001:db8::7]:443", "ipv6-addr 2001:db8::7"},
		{"[2001:db8::7]", "ipv6-addr 2001:db8::7"},
		{"2001:0DB8:0:0::7", "ipv6-addr 2001:db8::7"},
		{"fe80::1%eth0", "ipv6-addr fe80::1"},
		{"[fe80::1%12]:80", "ipv6-addr fe80::1"},
		{"fe80::1%eth0/64", "ipv6-addr fe80::/64"},
		{"::ffff:151.101.1.69", "ipv4-addr 151.101.1.69"},
		{"[::ffff:151.101.1.69]:443", "ipv4-addr 151.101.1.69"},
		{"45.146.165.0/24", "ipv4-addr 45.146.165.0/24"},
		{"45.146.165.37/24", "ipv4-addr 45.146.165.0/24"},
		{"45.146.165.37/32", "ipv4-addr 45.146.165.37"},
		{"2a01:4f8::/32", "ipv6-addr 2a01:4f8::/32"},
	}
	for _, tt := range tests {
		o, err := extract.ParseAddress(tt.in)
		if err != nil {
			t.Errorf("ParseAddress(%q): %v", tt.in, err)
			continue
		}
		if got := typed(o); got != tt.want {
			t.Errorf("ParseAddress(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{"", "-", "null", "999.1.1.1", "1.2.3.4:99999", "1.2.3.4:80:90", "example.com", "[::1", "[::1]x", "[::1]:", "010.1.1.1", "12345", "1.2.3.4/33"} {
		o, err := extract.ParseAddress(in)
		if err == nil {
			t.Errorf("ParseAddress(%q) = %v, want an error", in, o)
			continue
		}
		if !errors.Is(err, stix.ErrInvalidValue) {
			t.Errorf("ParseAddress(%q): %v does not match stix.ErrInvalidValue", in, err)
		}
		var ve *stix.ValueError
		if errors.As(err, &ve) && strings.TrimSpace(in) != "" && !strings.Contains(ve.Value, strings.TrimSpace(in)[:1]) {
			t.Errorf("ParseAddress(%q): error names %q, not the input", in, ve.Value)
		}
	}
}

func TestParseHost(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Example.COM.", "domain-name example.com"},
		{"example.com:8080", "domain-name example.com"},
		{"bücher.example", "domain-name xn--bcher-kva.example"},
		{"xn--bcher-kva.example", "domain-name xn--bcher-kva.example"},
		{"_ldap._tcp.dc._msdcs.corp.example.com", "domain-name _ldap._tcp.dc._msdcs.corp.example.com"},
		{"198.51.100.7", "ipv4-addr 198.51.100.7"},
		{"198.51.100.7:8080", "ipv4-addr 198.51.100.7"},
		{"[2001:db8::1]:443", "ipv6-addr 2001:db8::1"},
		{"2001:db8::1", "ipv6-addr 2001:db8::1"},
	}
	for _, tt := range tests {
		o, err := extract.ParseHost(tt.in)
		if err != nil {
			t.Errorf("ParseHost(%q): %v", tt.in, err)
			continue
		}
		if got := typed(o); got != tt.want {
			t.Errorf("ParseHost(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	overlong := strings.Repeat("abcdefghij.", 25) + "example"
	for _, in := range []string{"", "localhost", "a..b", "-a.example", overlong, strings.Repeat("a", 64) + ".example", "999.1.1.1", "exa mple.com", "example.com:http"} {
		if o, err := extract.ParseHost(in); err == nil {
			t.Errorf("ParseHost(%q) = %v, want an error", in, o)
		} else if !errors.Is(err, stix.ErrInvalidValue) {
			t.Errorf("ParseHost(%q): %v does not match stix.ErrInvalidValue", in, err)
		}
	}
}
