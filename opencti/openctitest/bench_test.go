package openctitest

import (
	"testing"
)

// BenchmarkNewHandler is the start-up cost of the fake with the demo
// bundle, which the reference integration's demo pays once.
func BenchmarkNewHandler(b *testing.B) {
	for b.Loop() {
		if _, err := NewHandler(DemoBundle()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookupQuery is one lookup-like query through the handler,
// without the network.
func BenchmarkLookupQuery(b *testing.B) {
	h := newTestHandler(b)
	body := mustJSON(b, gqlRequest{
		Query: `query q($filters: FilterGroup) { stixCyberObservables(filters: $filters) {` + observableFields + ` } }`,
		Variables: map[string]any{"filters": group("or", []map[string]any{
			eq("value", "198.51.100.23", "c2.evil.example", "update.bad.example"),
			eq("hashes.SHA-256", demoSHA256),
		})},
	})
	for b.Loop() {
		if status, _, _ := post(b, h, testToken, body); status != 200 {
			b.Fatal(status)
		}
	}
}
