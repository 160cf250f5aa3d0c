package opencti

import (
	"context"
	"testing"
)

// BenchmarkLookup measures the client's side of a mixed lookup against a
// loopback server with the canned answer: building the document, encoding,
// one HTTP exchange, decoding and converting. (A real server takes about
// 360 ms to answer; this is what the client adds.)
func BenchmarkLookup(b *testing.B) {
	srv := newTestServer(b, answerFile(b, "lookup_response.json"))
	c, err := New(srv.GraphQLURL(), testToken)
	if err != nil {
		b.Fatal(err)
	}
	in := newMixed().all()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Lookup(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}
