package opencti

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/Khan/genqlient/graphql"
)

// BenchmarkLookupRequest builds the body of a mixed lookup, as Lookup does
// before sending it: the filters and patterns from the observables, then the
// JSON of the GraphQL request (as MakeRequest encodes it).
func BenchmarkLookupRequest(b *testing.B) {
	in := newMixed().all()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := marshalRequest(lookupRequest(in, "", "")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeLookupResponse decodes the canned answer of a mixed lookup
// (testdata/lookup_response.json) into the generated types, as the
// transport does with each answer.
func BenchmarkDecodeLookupResponse(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "lookup_response.json"))
	if err != nil {
		b.Fatal(err)
	}
	t := &transport{redact: func(s string) string { return s }}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		resp := &graphql.Response{Data: &lookupResponse{}}
		if _, err := t.decode(raw, resp); err != nil {
			b.Fatal(err)
		}
	}
}
