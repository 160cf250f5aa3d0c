package extract_test

import (
	"testing"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// The seed corpora are in testdata/fuzz/<FuzzName>/.

func FuzzParseSysmonHashes(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		hashes := extract.ParseSysmonHashes(s)
		last := -1
		for _, h := range hashes {
			// Valid: the constructor accepts it unchanged.
			v, err := stix.NewHash(h.Algorithm, h.Value)
			if err != nil || v != h {
				t.Fatalf("%q: returned %v, which NewHash gives as %v, %v", s, h, v, err)
			}
			// One per algorithm, in canonical order.
			i := canonical(h.Algorithm)
			if i <= last {
				t.Fatalf("%q: %v out of canonical order or repeated: %v", s, h, hashes)
			}
			last = i
		}
		if len(hashes) > 0 {
			file, err := stix.NewFile("", hashes...)
			if err != nil {
				t.Fatalf("%q: NewFile(%v): %v", s, hashes, err)
			}
			revalidate(t, file)
		}
	})
}

func canonical(a stix.HashAlgorithm) int {
	for i, x := range []stix.HashAlgorithm{stix.MD5, stix.SHA1, stix.SHA256, stix.SHA512} {
		if a == x {
			return i
		}
	}
	return 99
}

func FuzzParseDNSQueryResults(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		obs := extract.ParseDNSQueryResults(s)
		seen := map[string]bool{}
		for _, o := range obs {
			// Valid: the constructor of its type gives it back unchanged.
			var again stix.Observable
			var err error
			switch o.Type() {
			case stix.TypeIPv4Addr, stix.TypeIPv6Addr:
				again, err = stix.NewIPAddr(o.String())
			case stix.TypeDomainName:
				again, err = stix.NewDomainName(o.String())
			default:
				t.Fatalf("%q: unexpected %s observable %v", s, o.Type(), o)
			}
			if err != nil || again != o {
				t.Fatalf("%q: returned %v, which the constructor gives as %v, %v", s, o, again, err)
			}
			revalidate(t, o)
			if seen[o.ID()] {
				t.Fatalf("%q: %v returned twice", s, o)
			}
			seen[o.ID()] = true
		}
	})
}
