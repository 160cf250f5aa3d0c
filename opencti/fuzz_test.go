package opencti

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/Khan/genqlient/graphql"
)

// FuzzDecodeLookup feeds arbitrary bodies to the response decoder of the
// lookup query and its conversion to results: no panic, and an error
// whenever nothing could be decoded.
func FuzzDecodeLookup(f *testing.F) {
	f.Add([]byte(page("o1", "c", true, "i1", "d", false)))
	f.Add([]byte(`{"data":{"stixCyberObservables":{"edges":[{"node":{"__typename":"IMEI"}}]}}}`))
	f.Add([]byte(`{"errors":[{"message":"x","path":["a",1],"extensions":{"code":["not","a","string"]}}]}`))
	f.Add([]byte(`{"data":null}`))
	f.Add([]byte(`<html>`))
	tr := &transport{log: slog.New(slog.NewTextHandler(io.Discard, nil)), redact: redactor(testToken)}
	q := newLookupQuery(newMixed().all())
	f.Fuzz(func(t *testing.T, body []byte) {
		var data lookupResponse
		_, err := tr.decode(body, &graphql.Response{Data: &data})
		if err != nil && strings.Contains(err.Error(), testToken) {
			t.Fatal("the token in an error")
		}
		res := &LookupResult{}
		acc := newAccumulator(q, res)
		acc.addObservables(data.StixCyberObservables)
		acc.addIndicators(data.Indicators)
	})
}

// FuzzExcerpt checks the error excerpt of any body: one line of valid
// UTF-8, bounded in length.
func FuzzExcerpt(f *testing.F) {
	f.Add([]byte("<html><head><style>x</style></head><body><h1>502 Bad Gateway</h1></body></html>"))
	f.Add([]byte("plain\r\ntext\x00with control"))
	f.Add([]byte("<script"))
	f.Add([]byte("\xff\xfe<"))
	f.Fuzz(func(t *testing.T, body []byte) {
		s := excerpt(body)
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8: %q", s)
		}
		if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || (unicode.IsSpace(r) && r != ' ') }) {
			t.Fatalf("control characters: %q", s)
		}
		if len(s) > excerptLen+utf8.UTFMax+len("…") {
			t.Fatalf("%d bytes", len(s))
		}
	})
}
