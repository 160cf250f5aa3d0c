package stix

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParsePattern checks that the parser never panics, that its errors
// are typed with a position inside the input, and that the canonical form
// of any pattern it accepts parses back to an Equivalent pattern with the
// same canonical form, the same equalities and alternatives; that the
// alternatives are equalities; and that each equality belongs to an
// observable built from it and prints as a canonical pattern whose only
// equality and alternative it is.
func FuzzParsePattern(f *testing.F) {
	for _, s := range []string{
		"[ipv4-addr:value = '198.51.100.7']",
		"[file:hashes.'SHA-256' = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855']",
		"[a:b = 1 OR (a:c = 2 AND a:d NOT IN ('x', h'ff', b'AQID'))] AND [x:l[*].k[-1] > t'2024-03-01T12:00:00.5Z']",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePattern(s)
		if err != nil {
			var se *SyntaxError
			var ue *UnsupportedError
			switch {
			case errors.As(err, &se):
				if se.Pos < 0 || se.Pos > len(s) || se.Msg == "" {
					t.Fatalf("ParsePattern(%q): bad error %#v", s, se)
				}
			case errors.As(err, &ue):
				if ue.Pos < 0 || ue.Pos > len(s) || !errors.Is(err, ErrUnsupported) {
					t.Fatalf("ParsePattern(%q): bad error %#v", s, ue)
				}
			default:
				t.Fatalf("ParsePattern(%q): untyped error %v", s, err)
			}
			if p != nil {
				t.Fatalf("ParsePattern(%q) returned a pattern and an error", s)
			}
			return
		}
		canon := p.String()
		q, err := ParsePattern(canon)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", canon, s, err)
		}
		if got := q.String(); got != canon {
			t.Fatalf("canonical form is not stable:\ninput  %q\nfirst  %q\nsecond %q", s, canon, got)
		}
		if !p.Equivalent(q) || !q.Equivalent(p) {
			t.Fatalf("%q is not Equivalent to its canonical form", s)
		}
		if diff := cmp.Diff(p.Equalities(), q.Equalities()); diff != "" {
			t.Fatalf("equalities of %q change through its canonical form (-first +second):\n%s", s, diff)
		}
		if diff := cmp.Diff(p.Alternatives(), q.Alternatives()); diff != "" {
			t.Fatalf("alternatives of %q change through its canonical form (-first +second):\n%s", s, diff)
		}
		for _, a := range p.Alternatives() {
			if !slices.Contains(p.Equalities(), a) {
				t.Fatalf("alternative %v of %q is not among its equalities", a, s)
			}
		}
		for _, e := range p.Equalities() {
			checkEquality(t, e)
		}
	})
}

// checkEquality checks that an equality a pattern gave is one an observable
// has, and that its canonical pattern prints and parses back to it alone.
func checkEquality(t *testing.T, e Equality) {
	t.Helper()
	q, err := ParsePattern(e.String())
	if err != nil {
		t.Fatalf("equality %q does not parse: %v", e.String(), err)
	}
	if got := q.String(); got != e.String() {
		t.Fatalf("Equality.String %q is not canonical: %q", e.String(), got)
	}
	want := []Equality{e}
	if diff := cmp.Diff(want, q.Equalities()); diff != "" {
		t.Fatalf("equalities of %q (-want +got):\n%s", e.String(), diff)
	}
	if diff := cmp.Diff(want, q.Alternatives()); diff != "" {
		t.Fatalf("alternatives of %q (-want +got):\n%s", e.String(), diff)
	}
	var o Observable
	switch {
	case e.ObjectType == TypeFile && e.Path == "name":
		o, err = NewFile(e.Value)
	case e.ObjectType == TypeFile:
		var alg HashAlgorithm
		var h Hash
		alg, err = ParseHashAlgorithm(strings.Trim(strings.TrimPrefix(e.Path, "hashes."), "'"))
		if err == nil {
			h, err = NewHash(alg, e.Value)
		}
		if err == nil {
			o, err = NewFile("", h)
		}
	default:
		o, err = NewObservable(e.ObjectType, e.Value)
	}
	if err != nil {
		t.Fatalf("equality %v: no observable has it: %v", e, err)
	}
	if !slices.Contains(o.Equalities(), e) {
		t.Fatalf("equality %v: the observable built from it has %v", e, o.Equalities())
	}
}
