package stix

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParseObservable checks that the STIX JSON of an observable parses
// to a normalised observable or fails with a typed error, and that what it
// accepts is stable: its JSON parses back to the same value, its
// constructor gives it back unchanged, its identifier is well formed, and
// its canonical pattern parses to exactly its equalities. The properties are
// those enrichment relies on when it matches indicators to observables.
// Seeds: testdata/fuzz/FuzzParseObservable.
func FuzzParseObservable(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := ParseObservable(data)
		if err != nil {
			var raw observableJSON
			if json.Unmarshal(data, &raw) != nil {
				return // not an object of the right shape: encoding/json's error
			}
			var ve *ValueError
			switch {
			case errors.As(err, &ve):
				if ve.Type == "" || ve.Reason == "" || !errors.Is(err, ErrInvalidValue) {
					t.Fatalf("bad error %#v", ve)
				}
			case !errors.Is(err, ErrUnsupported):
				t.Fatalf("untyped error %T: %v", err, err)
			}
			if o != nil {
				t.Fatal("an observable and an error")
			}
			return
		}
		if typ, _, err := ParseID(o.ID()); err != nil || typ != o.Type() {
			t.Fatalf("%v: id %q: %v", o, o.ID(), err)
		}
		if o.String() == "" || len(o.Equalities()) == 0 {
			t.Fatalf("%#v: empty String or no equalities", o)
		}

		// The JSON it writes parses back to the same value.
		out, err := json.Marshal(o)
		if err != nil {
			t.Fatalf("%v: MarshalJSON: %v", o, err)
		}
		back, err := ParseObservable(out)
		if err != nil || back != o {
			t.Fatalf("%s parses back as %#v, %v; want %#v", out, back, err, o)
		}

		// The constructor takes its normalised value back unchanged.
		var again Observable
		switch v := o.(type) {
		case File:
			again, err = NewFile(v.Name(), v.Hashes()...)
			if size, ok := v.Size(); ok && err == nil {
				again = again.(File).WithSize(size)
			}
		case interface{ Value() string }:
			again, err = NewObservable(o.Type(), v.Value())
		default:
			t.Fatalf("unexpected observable type %T", o)
		}
		if err != nil || again != o {
			t.Fatalf("%#v: its constructor gives %#v, %v", o, again, err)
		}

		// Its pattern is canonical and is about its equalities only.
		p, err := ParsePattern(o.Pattern())
		if err != nil {
			t.Fatalf("%v: pattern %q does not parse: %v", o, o.Pattern(), err)
		}
		if p.String() != o.Pattern() {
			t.Fatalf("%v: pattern %q is not canonical: %q", o, o.Pattern(), p.String())
		}
		if diff := cmp.Diff(o.Equalities(), p.Equalities()); diff != "" {
			t.Fatalf("%v: equalities of its pattern (-observable +pattern):\n%s", o, diff)
		}
		if diff := cmp.Diff(o.Equalities(), p.Alternatives()); diff != "" {
			t.Fatalf("%v: alternatives of its pattern (-observable +pattern):\n%s", o, diff)
		}
		for _, e := range o.Equalities() {
			checkEquality(t, e)
		}
	})
}
