package stix

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkObservablePattern checks that an observable's Pattern() parses, is
// canonical, and that the pattern's equalities are the observable's.
func checkObservablePattern(t *testing.T, o Observable) {
	t.Helper()
	p, err := ParsePattern(o.Pattern())
	if err != nil {
		t.Fatalf("%v: Pattern() %q does not parse: %v", o, o.Pattern(), err)
	}
	if p.String() != o.Pattern() {
		t.Errorf("%v: Pattern() %q is not canonical: %q", o, o.Pattern(), p.String())
	}
	eqs := o.Equalities()
	if diff := cmp.Diff(eqs, p.Equalities()); diff != "" {
		t.Errorf("%v: equalities of its pattern differ (-observable +pattern):\n%s", o, diff)
	}
	if diff := cmp.Diff(eqs, p.Alternatives()); diff != "" {
		t.Errorf("%v: alternatives of its pattern differ (-observable +pattern):\n%s", o, diff)
	}
	for _, e := range eqs {
		q, err := ParsePattern(e.String())
		if err != nil || q.String() != e.String() {
			t.Errorf("%v: equality pattern %q: %v, canonical %q", o, e.String(), err, q.String())
		}
	}
}
