package extract_test

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// emit returns an extractor that finds the given observables in any alert.
func emit(name string, obs ...stix.Observable) extract.Extractor {
	return extract.Func(name, func(*wazuh.Alert) []extract.Finding {
		fs := make([]extract.Finding, len(obs))
		for i, o := range obs {
			fs[i] = extract.Finding{Observable: o, Field: fmt.Sprintf("data.f%d", i), Role: extract.RoleAddress}
		}
		return fs
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

var anyAlert = must(wazuh.DecodeAlert([]byte(`{"rule":{"id":"1","groups":["test"]},"location":"test"}`)))

// verdict runs a set of one emitter over o and returns "keep" or the drop
// reason. (A URL brings its host along, which is judged on its own.)
func verdict(p extract.Policy, o stix.Observable) string {
	res := extract.NewSet(p, emit("t", o)).Extract(anyAlert)
	switch {
	case len(res.Findings) > 0 && res.Findings[0].Observable == o:
		return "keep"
	case len(res.Dropped) > 0 && res.Dropped[0].Finding.Observable == o:
		return res.Dropped[0].Reason
	}
	return fmt.Sprintf("unexpected result %+v", res)
}

func TestPolicyAddresses(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"185.199.108.153", "keep"},
		{"2a04:4e42::69", "keep"},
		{"8.0.0.0/7", "keep"},
		{"10.1.2.3", "private 10.0.0.0/8"},
		{"172.31.255.255", "private 172.16.0.0/12"},
		{"172.32.0.1", "keep"},
		{"192.168.1.1", "private 192.168.0.0/16"},
		{"100.64.0.1", "shared address space (CGNAT) 100.64.0.0/10"},
		{"100.127.255.255", "shared address space (CGNAT) 100.64.0.0/10"},
		{"100.128.0.1", "keep"},
		{"fd12:3456::1", "unique local fc00::/7"},
		{"0.0.0.0", "unspecified 0.0.0.0/8"},
		{"::", "unspecified ::/128"},
		{"127.0.0.1", "loopback 127.0.0.0/8"},
		{"::1", "loopback ::1/128"},
		{"169.254.169.254", "link-local 169.254.0.0/16"},
		{"fe80::1%eth0", "link-local fe80::/10"},
		{"224.0.0.251", "multicast 224.0.0.0/4"},
		{"239.255.255.250", "multicast 224.0.0.0/4"},
		{"ff02::fb", "multicast ff00::/8"},
		{"255.255.255.255", "broadcast 255.255.255.255/32"},
		{"240.0.0.1", "reserved 240.0.0.0/4"},
		{"198.18.0.1", "benchmarking 198.18.0.0/15"},
		{"198.19.255.255", "benchmarking 198.18.0.0/15"},
		{"192.0.2.1", "documentation 192.0.2.0/24"},
		{"198.51.100.7", "documentation 198.51.100.0/24"},
		{"203.0.113.77", "documentation 203.0.113.0/24"},
		{"2001:db8::1", "documentation 2001:db8::/32"},
		{"192.0.0.8", "IETF protocol assignments 192.0.0.0/24"},
		// IPv4-mapped addresses are judged as IPv4.
		{"::ffff:10.0.0.1", "private 10.0.0.0/8"},
		{"::ffff:151.101.1.69", "keep"},
		// A block is public only when it overlaps no special range.
		{"0.0.0.0/0", "private 10.0.0.0/8"},
		{"10.0.0.0/7", "private 10.0.0.0/8"},
		{"::/0", "unique local fc00::/7"},
	}
	p := extract.DefaultPolicy()
	for _, tt := range tests {
		if got := verdict(p, must(extract.ParseAddress(tt.addr))); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.addr, got, tt.want)
		}
	}
}

// checkAddresses checks the verdict of p on each address.
func checkAddresses(t *testing.T, p extract.Policy, want map[string]string) {
	t.Helper()
	for addr, w := range want {
		if got := verdict(p, must(extract.ParseAddress(addr))); got != w {
			t.Errorf("%s: got %q, want %q", addr, got, w)
		}
	}
}

func TestPolicyIncludePrivate(t *testing.T) {
	p := extract.DefaultPolicy()
	p.IncludePrivate = true
	checkAddresses(t, p, map[string]string{
		"10.1.2.3":     "keep",
		"100.64.0.1":   "keep",
		"fd00::1":      "keep",
		"127.0.0.1":    "loopback 127.0.0.0/8",
		"169.254.0.1":  "link-local 169.254.0.0/16",
		"203.0.113.77": "documentation 203.0.113.0/24",
	})
}

func TestPolicyIgnorePrefixes(t *testing.T) {
	p := extract.DefaultPolicy()
	p.IgnorePrefixes = []netip.Prefix{netip.MustParsePrefix("45.146.165.7/24"), netip.MustParsePrefix("::ffff:185.199.110.0/120"), {}}
	checkAddresses(t, p, map[string]string{
		"185.199.110.153": "ignored range 185.199.110.0/24",
		"45.146.165.37":   "ignored range 45.146.165.0/24",
		"45.146.0.0/16":   "ignored range 45.146.165.0/24",
		"45.146.166.1":    "keep",
		"185.199.108.153": "keep",
	})
}

func TestPolicyLookupPrefixes(t *testing.T) {
	p := extract.DefaultPolicy()
	p.LookupPrefixes = []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("2001:db8::/32")}
	p.IgnorePrefixes = []netip.Prefix{netip.MustParsePrefix("198.51.100.128/25")}
	checkAddresses(t, p, map[string]string{
		"198.51.100.23":   "keep",
		"198.51.100.0/28": "keep",
		"198.51.0.0/16":   "documentation 198.51.100.0/24", // wider than the lookup range
		"198.51.100.200":  "ignored range 198.51.100.128/25",
		"2001:db8::bad":   "keep",
		"203.0.113.66":    "documentation 203.0.113.0/24",
		"10.0.0.1":        "private 10.0.0.0/8",
	})
}

func TestPolicyNames(t *testing.T) {
	p := extract.DefaultPolicy()
	p.IgnoreNameSuffixes = append(p.IgnoreNameSuffixes, ".Corp.Example.com.")
	tests := []struct{ name, want string }{
		{"update-check.example.com", "keep"},
		{"printer01.local", "ignored domain .local"},
		{"host.LOCALDOMAIN", "ignored domain .localdomain"},
		{"nas.home.arpa", "ignored domain .home.arpa"},
		{"home.arpa", "ignored domain .home.arpa"},
		{"db.internal", "ignored domain .internal"},
		{"1.0.0.10.in-addr.arpa", "ignored domain .in-addr.arpa"},
		{"b.a.9.8.ip6.arpa", "ignored domain .ip6.arpa"},
		{"notlocal.com", "keep"},
		{"local.example.com", "keep"},
		{"fs01.corp.example.com", "ignored domain .corp.example.com"},
		{"corp.example.com", "ignored domain .corp.example.com"},
		{"xcorp.example.com", "keep"},
	}
	for _, tt := range tests {
		if got := verdict(p, must(stix.NewDomainName(tt.name))); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	// An internationalised domain is ignored whichever form the list and
	// the alert use: names are punycode, URL hosts as written.
	p.IgnoreNameSuffixes = []string{"Bücher.Example.", "xn--caf-dma.example"}
	for _, o := range []stix.Observable{
		must(stix.NewDomainName("www.bücher.example")),
		must(stix.NewDomainName("xn--bcher-kva.example")),
		must(stix.NewURL("http://www.BÜCHER.example/x")),
		must(stix.NewDomainName("www.café.example")),
		must(stix.NewURL("http://www.café.example/x")),
	} {
		if got := verdict(p, o); !strings.Contains(got, "ignored domain .xn--") {
			t.Errorf("%s %s: got %q, want an ignored domain", o.Type(), o, got)
		}
	}
	p = extract.DefaultPolicy()
	// Hostname observables from user extractors follow the same rules.
	if got := verdict(p, must(stix.NewHostname("nas.local"))); got != "ignored domain .local" {
		t.Errorf("hostname nas.local: got %q", got)
	}
}

func TestPolicyURLs(t *testing.T) {
	p := extract.DefaultPolicy()
	for u, want := range map[string]string{
		"http://dl.example.net/a.exe":     "keep",
		"http://10.40.0.80/search?q=1":    "host private 10.0.0.0/8",
		"http://[fe80::1]/":               "host link-local fe80::/10",
		"http://[::ffff:127.0.0.1]:8080/": "host loopback 127.0.0.0/8",
		"https://printer01.local/ui":      "host ignored domain .local",
		"http://localhost:8080/x":         "host single-label name",
		"http://185.199.108.153/p":        "keep",
	} {
		if got := verdict(p, must(stix.NewURL(u))); got != want {
			t.Errorf("%s: got %q, want %q", u, got, want)
		}
	}
}

func TestPolicyHashes(t *testing.T) {
	file := func(hs ...stix.Hash) stix.Observable { return must(stix.NewFile("", hs...)) }
	h := func(alg stix.HashAlgorithm, v string) stix.Hash { return must(stix.NewHash(alg, v)) }
	real := h(stix.SHA256, "4da4e2a84756baf395fc3284aef4155bd8c0fc05fc268aadc904eb27502e30f7")
	p := extract.DefaultPolicy()
	tests := []struct {
		name string
		o    stix.Observable
		want string
	}{
		{"real", file(real), "keep"},
		{"empty MD5", file(h(stix.MD5, extract.EmptyFileMD5)), "ignored hash MD5"},
		{"empty SHA-1", file(h(stix.SHA1, extract.EmptyFileSHA1)), "ignored hash SHA-1"},
		{"empty SHA-256 upper case", file(h(stix.SHA256, strings.ToUpper(extract.EmptyFileSHA256))), "ignored hash SHA-256"},
		{"empty SHA-512", file(h(stix.SHA512, extract.EmptyFileSHA512)), "ignored hash SHA-512"},
		{"one ignored hash drops the file", file(h(stix.MD5, extract.EmptyFileMD5), real), "ignored hash MD5"},
	}
	for _, tt := range tests {
		if got := verdict(p, tt.o); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	// User entries: any case, surrounding space.
	p.IgnoreHashes = []string{"  4DA4E2A84756BAF395FC3284AEF4155BD8C0FC05FC268AADC904EB27502E30F7 "}
	if got := verdict(p, file(real)); got != "ignored hash SHA-256" {
		t.Errorf("user ignore list: got %q", got)
	}
	// The zero Policy ignores no hash.
	if got := verdict(extract.Policy{}, file(h(stix.MD5, extract.EmptyFileMD5))); got != "keep" {
		t.Errorf("zero Policy: got %q", got)
	}
}

func TestPolicyCap(t *testing.T) {
	var obs []stix.Observable
	for i := range 60 {
		obs = append(obs, must(extract.ParseAddress(fmt.Sprintf("45.146.%d.1", i))))
	}
	obs = append(obs, must(extract.ParseAddress("10.0.0.1")))
	check := func(name string, p extract.Policy, kept int) {
		t.Helper()
		res := extract.NewSet(p, emit("many", obs...)).Extract(anyAlert)
		if len(res.Findings) != kept {
			t.Fatalf("%s: %d findings, want %d", name, len(res.Findings), kept)
		}
		for i, f := range res.Findings {
			if want := fmt.Sprintf("45.146.%d.1", i); f.Observable.String() != want {
				t.Fatalf("%s: finding %d is %s, want %s: the order must be the extractor's", name, i, f.Observable, want)
			}
		}
		var reasons []string
		for _, d := range res.Dropped {
			reasons = append(reasons, d.Finding.Observable.String()+": "+d.Reason)
		}
		var want []string
		for i := kept; i < 60; i++ {
			want = append(want, fmt.Sprintf("45.146.%d.1: over the cap of %d observables per alert", i, kept))
		}
		want = append(want, "10.0.0.1: private 10.0.0.0/8")
		if kept == 60 {
			want = want[len(want)-1:]
		}
		if diff := cmp.Diff(want, reasons); diff != "" {
			t.Errorf("%s: Dropped (-want +got):\n%s", name, diff)
		}
	}
	check("default", extract.DefaultPolicy(), 50)
	check("zero means default", extract.Policy{}, 50)
	check("smaller", extract.Policy{MaxObservables: 3}, 3)
	check("no cap", extract.Policy{MaxObservables: -1}, 60)
}

func TestDefaultPolicyFresh(t *testing.T) {
	p := extract.DefaultPolicy()
	p.IgnoreHashes[0] = "changed"
	p.IgnoreNameSuffixes[0] = "changed"
	q := extract.DefaultPolicy()
	if q.IgnoreHashes[0] != extract.EmptyFileMD5 || q.IgnoreNameSuffixes[0] != "local" {
		t.Errorf("DefaultPolicy shares its slices: %+v", q)
	}
	// A Set keeps its own copy of the policy.
	p = extract.DefaultPolicy()
	s := extract.NewSet(p)
	p.IgnoreHashes[0] = "changed"
	if got := s.Policy().IgnoreHashes[0]; got != extract.EmptyFileMD5 {
		t.Errorf("Set policy changed with the caller's slice: %q", got)
	}
	s.Policy().IgnoreHashes[0] = "changed"
	if got := s.Policy().IgnoreHashes[0]; got != extract.EmptyFileMD5 {
		t.Errorf("Set.Policy returns the Set's own slice: %q", got)
	}
}
