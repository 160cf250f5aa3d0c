package extract_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// The seed corpora are in testdata/fuzz/<FuzzName>/.

// FuzzParseSysmonHashes checks that the hashes returned are valid, taken
// from the input, one per algorithm in canonical order, and that writing
// them back in Sysmon's form parses to the same hashes.
func FuzzParseSysmonHashes(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		hashes := extract.ParseSysmonHashes(s)
		last := -1
		var again []string
		for _, h := range hashes {
			if !strings.Contains(strings.ToLower(s), h.Value) {
				t.Fatalf("%q: %v is not in the input", s, h)
			}
			again = append(again, string(h.Algorithm)+"="+strings.ToUpper(h.Value))
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
		if diff := cmp.Diff(hashes, extract.ParseSysmonHashes(strings.Join(again, ","))); diff != "" {
			t.Fatalf("%q: hashes change when written back as %q (-first +second):\n%s", s, strings.Join(again, ","), diff)
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

// FuzzParseDNSQueryResults checks that the answers returned are valid
// addresses and names, once each, and that writing them back in Sysmon's
// form ("type:  5 name" for names) parses to the same answers.
func FuzzParseDNSQueryResults(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		obs := extract.ParseDNSQueryResults(s)
		seen := map[string]bool{}
		var again []string
		for _, o := range obs {
			if o.Type() == stix.TypeDomainName {
				again = append(again, "type:  5 "+o.String())
			} else {
				again = append(again, o.String())
			}
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
		text := strings.Join(again, ";") + ";"
		if diff := cmp.Diff(obs, extract.ParseDNSQueryResults(text), cmp.Comparer(sameObservable)); diff != "" {
			t.Fatalf("%q: answers change when written back as %q (-first +second):\n%s", s, text, diff)
		}
	})
}

func sameObservable(x, y stix.Observable) bool { return x == y }

// FuzzDefaultExtract feeds any alert that decodes to the default set: it
// must not panic, and what it returns must keep the Result's promises:
// complete findings whose fields exist in the alert, valid observables
// once each, the cap, reasons for drops, and a result that depends on the
// alert only (the same again, and for the alert re-encoded).
// Seeds: the sample alerts.
func FuzzDefaultExtract(f *testing.F) {
	for _, p := range sampleAlerts(f) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	set := extract.Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := wazuh.DecodeAlert(data)
		if err != nil {
			return
		}
		res := set.Extract(a)
		if (len(res.Findings) == 0) != (res.Skipped != "") {
			t.Fatalf("%d findings, Skipped %q", len(res.Findings), res.Skipped)
		}
		if len(res.Findings) > extract.DefaultMaxObservables {
			t.Fatalf("%d findings over the cap", len(res.Findings))
		}
		seen := map[string]bool{}
		for _, fd := range append(res.Findings, dropped(res)...) {
			if fd.Extractor == "" || fd.Field == "" || !roles[fd.Role] {
				t.Fatalf("incomplete finding %+v", fd)
			}
			if !a.Field(fd.Field).Exists() {
				t.Fatalf("finding %v: field %q is not in the alert", fd.Observable, fd.Field)
			}
			revalidate(t, fd.Observable)
			if seen[fd.Observable.ID()] {
				t.Fatalf("%v found twice", fd.Observable)
			}
			seen[fd.Observable.ID()] = true
		}
		for _, d := range res.Dropped {
			if d.Reason == "" {
				t.Fatalf("drop without a reason: %+v", d)
			}
		}
		for _, in := range res.Invalid {
			if in.Field == "" || in.Extractor == "" || in.Reason == "" || !a.Field(in.Field).Exists() {
				t.Fatalf("incomplete invalid value %+v", in)
			}
		}

		// The result depends on the alert only: the same again, and the
		// same for the alert decoded from its own encoding.
		if diff := cmp.Diff(res, set.Extract(a), cmp.Comparer(sameObservable)); diff != "" {
			t.Fatalf("a second Extract differs (-first +second):\n%s", diff)
		}
		out, err := a.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		b, err := wazuh.DecodeAlert(out)
		if err != nil {
			t.Fatalf("re-encoded alert does not decode: %v", err)
		}
		if diff := cmp.Diff(res, set.Extract(b), cmp.Comparer(sameObservable)); diff != "" {
			t.Fatalf("the re-encoded alert gives another result (-first +second):\n%s", diff)
		}
	})
}

var roles = map[extract.Role]bool{
	extract.RoleSource: true, extract.RoleDestination: true, extract.RoleAddress: true,
	extract.RoleQuery: true, extract.RoleAnswer: true, extract.RoleHost: true,
	extract.RoleURL: true, extract.RoleURLHost: true, extract.RoleFile: true,
}

func dropped(r extract.Result) []extract.Finding {
	var out []extract.Finding
	for _, d := range r.Dropped {
		out = append(out, d.Finding)
	}
	return out
}
