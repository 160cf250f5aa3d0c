package wazuh

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// stdDecode is the reference: encoding/json with numbers kept as text.
func stdDecode(data []byte) (any, error) {
	if !json.Valid(data) {
		return nil, errors.New("invalid JSON")
	}
	var v any
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// checkAgainstStd checks that the parser accepts exactly what encoding/json
// accepts (within the nesting bound) and decodes to the same values.
func checkAgainstStd(t *testing.T, data []byte) {
	t.Helper()
	n, se := parseJSON(string(data))
	want, stdErr := stdDecode(data)
	if len(bytes.TrimLeft(data, " \t\r\n")) == 0 {
		if n != nil || se != nil {
			t.Fatalf("whitespace-only input: got %v, %v; want nil, nil", n, se)
		}
		return
	}
	if se != nil {
		if se.offset < 0 || se.offset > len(data) {
			t.Fatalf("error offset %d outside the input (len %d)", se.offset, len(data))
		}
		if stdErr == nil && !strings.Contains(se.msg, "nesting") {
			t.Fatalf("parser rejects what encoding/json accepts: %v\ninput: %q", se, data)
		}
		return
	}
	if stdErr != nil {
		t.Fatalf("parser accepts what encoding/json rejects (%v)\ninput: %q", stdErr, data)
	}
	if diff := cmp.Diff(want, Value{n}.Interface()); diff != "" {
		t.Fatalf("decoded value differs from encoding/json (-want +got):\n%s\ninput: %q", diff, data)
	}
	out := Value{n}.appendJSON(nil)
	if !json.Valid(out) {
		t.Fatalf("re-encoding is not valid JSON: %q", out)
	}
	again, se := parseJSON(string(out))
	if se != nil {
		t.Fatalf("re-encoding does not parse: %v", se)
	}
	if diff := cmp.Diff(want, Value{again}.Interface()); diff != "" {
		t.Fatalf("re-encoding changed the value (-want +got):\n%s", diff)
	}
}

var parserCases = []string{
	``, ` `, "\t\r\n ",
	`{}`, `[]`, `""`, `0`, `-0`, `-0.5e-10`, `1E+2`, `123456789012345678901234567890`, `true`, `false`, `null`,
	` {"a" : [ 1 , 2 ] , "b" : { } } `,
	`{"a":"\"\\\/\b\f\n\r\t\u0000\u001f\u00e9\u20ac"}`,
	`"\ud83d\ude00"`,             // surrogate pair
	`"\ud83d"`,                   // lone high surrogate
	`"\ude00"`,                   // lone low surrogate
	`"\ud83d\u0041"`,             // high surrogate then a normal escape
	`"\ud83dx"`,                  // high surrogate then plain text
	`"\ud83d\ud83d\ude00"`,       // high, then a valid pair
	`{"a":1,"a":2}`,              // duplicate keys: last value wins
	`{"a":1,"b":2,"a":{"c":3}}`,  //
	"\"\xff\"", "\"a\xc3\x28b\"", // invalid UTF-8
	"\"\xe2\x82\"", "\"\xf0\x9f\x98\"", "\"\xed\xa0\x80\"", // truncated sequences, encoded surrogate
	"{\"k\xff\":\"v\xfe\"}",
	// Invalid documents.
	`{`, `[`, `"abc`, `{"a"`, `{"a":`, `{"a":1`, `{"a":1,`, `[1,`, `[1`, `tru`, `nul`, `-`, `1.`, `1e`, `1e+`, `"\u12`, `"\`,
	`{"a" 1}`, `{a:1}`, `{"a":1,}`, `[1,]`, `[,]`, `01`, `+1`, `.5`, `1.e5`, `0x10`, `NaN`, `Infinity`, `'a'`,
	`"\x"`, `"\u12g4"`, "\"a\nb\"", "\"a\tb\"", "\x00", `{} {}`, `{}x`, `[] ]`, "\xef\xbb\xbf{}", `truex`, `nulll`,
	`{"a":[1,2}`, `[{"a":1]`, `{"a":{"b":{}}}}`,
}

func TestParserMatchesEncodingJSON(t *testing.T) {
	for _, c := range parserCases {
		t.Run("", func(t *testing.T) { checkAgainstStd(t, []byte(c)) })
	}
}

// TestInvalidUTF8IsReplaced feeds real invalid bytes (not escapes) inside
// strings and keys: each bad byte becomes U+FFFD and decoding goes on.
func TestInvalidUTF8IsReplaced(t *testing.T) {
	doc := []byte("{\"image\":\"C:\\\\Temp\\\\inv\xffoice\xc3.exe\",\"user\":\"CORP\\\\m\xe9ller\",\"k\xfe\":\"ok\",\"after\":\"still here\"}")
	if json.Valid(doc) && bytes.Equal(doc, bytes.ToValidUTF8(doc, nil)) {
		t.Fatal("the test document should hold invalid UTF-8")
	}
	n, se := parseJSON(string(doc))
	if se != nil {
		t.Fatalf("parse: %v", se)
	}
	v := Value{n}
	want := map[string]any{
		"image":   "C:\\Temp\\inv\uFFFDoice\uFFFD.exe",
		"user":    "CORP\\m\uFFFDller",
		"k\uFFFD": "ok",
		"after":   "still here",
	}
	if diff := cmp.Diff(want, v.Interface()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"image", "user", "k\uFFFD", "after"}, v.Keys()); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}

func TestSyntaxErrorOffsets(t *testing.T) {
	tests := []struct {
		in        string
		offset    int
		truncated bool
		msg       string
	}{
		{`{"a":1`, 6, true, "unexpected end of input"},
		{`{"a":"xyz`, 9, true, "unexpected end of input"},
		{`{"a" 1}`, 5, false, `invalid character '1' after an object key`},
		{`{"a":1}x`, 7, false, `unexpected data after the JSON value: 'x'`},
		{`{"a":tru}`, 8, false, `invalid character '}' in literal true`},
		{`{"a":-x}`, 6, false, `invalid character 'x' in number`},
		{"{\"a\":\"b\nc\"}", 7, false, `invalid control character 0xa in string`},
		{`{"a":"\q"}`, 7, false, `invalid escape 'q' in string`},
		{`[1 2]`, 3, false, `invalid character '2' after an array element`},
		{"\xef\xbb\xbf{}", 0, false, `invalid character 0xef looking for a value`},
	}
	for _, tt := range tests {
		_, se := parseJSON(tt.in)
		if se == nil {
			t.Errorf("parse(%q) succeeded, want an error", tt.in)
			continue
		}
		got := struct {
			Offset    int
			Truncated bool
			Msg       string
		}{se.offset, se.truncated, se.msg}
		want := struct {
			Offset    int
			Truncated bool
			Msg       string
		}{tt.offset, tt.truncated, tt.msg}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("parse(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestNestingLimit(t *testing.T) {
	ok := strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth)
	if _, se := parseJSON(ok); se != nil {
		t.Errorf("depth %d: %v", maxDepth, se)
	}
	deep := strings.Repeat(`{"a":`, maxDepth+1) + "1" + strings.Repeat("}", maxDepth+1)
	if _, se := parseJSON(deep); se == nil || !strings.Contains(se.msg, "nesting deeper than 1000") {
		t.Errorf("depth %d: got %v, want a nesting error", maxDepth+1, se)
	}
	// A megabyte of brackets must neither crash nor take long.
	if _, se := parseJSON(strings.Repeat("[", MaxAlertSize)); se == nil {
		t.Error("a megabyte of '[' parsed")
	}
}

func TestManyDuplicateKeys(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 100 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"k":` + string(rune('0'+i%10)))
	}
	b.WriteString(`,"z":true}`)
	v := mustParse(t, b.String())
	if diff := cmp.Diff([]string{"k", "z"}, v.Keys()); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if got, _ := v.Get("k").Int(); got != 9 {
		t.Errorf("k = %d, want the last value 9", got)
	}
}
