package stix

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestJCSString(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", `""`},
		{"example.com", `"example.com"`},
		// No HTML escaping, no escaping of U+2028/U+2029 or DEL.
		{"<a>&b", `"<a>&b"`},
		{"x\u2028y\u2029z\x7f", "\"x\u2028y\u2029z\x7f\""},
		{`a"b\c`, `"a\"b\\c"`},
		{"\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"\x00\x01\x1f", `"\u0000\u0001\u001f"`},
		{"é€😀", `"é€😀"`},
		{"bad\xffbyte", "\"bad\uFFFDbyte\""},
	}
	for _, tt := range tests {
		if got := string(appendJCSString(nil, tt.in)); got != tt.want {
			t.Errorf("appendJCSString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestJCSSortOrder uses the key-sorting example of RFC 8785 section 3.2.3,
// where UTF-16 order differs from UTF-8 byte order for the emoji.
func TestJCSSortOrder(t *testing.T) {
	members := []jcsMember{
		{key: "\u20ac", str: "Euro Sign"},
		{key: "\r", str: "Carriage Return"},
		{key: "\ufb33", str: "Hebrew Letter Dalet With Dagesh"},
		{key: "1", str: "One"},
		{key: "\U0001F600", str: "Emoji: Grinning Face"},
		{key: "\u0080", str: "Control"},
		{key: "\u00f6", str: "Latin Small Letter O With Diaeresis"},
	}
	got := string(appendJCSObject(nil, members))
	want := "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\"," +
		"\"\u20ac\":\"Euro Sign\",\"\U0001F600\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("canonical object (-want +got):\n%s", diff)
	}
}

func TestJCSNested(t *testing.T) {
	got := string(appendJCSObject(nil, []jcsMember{
		{key: "name", str: "a<b>.exe"},
		{key: "hashes", obj: []jcsMember{{key: "SHA-256", str: "ab"}, {key: "MD5", str: "cd"}}},
	}))
	want := `{"hashes":{"MD5":"cd","SHA-256":"ab"},"name":"a<b>.exe"}`
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestCompareUTF16(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"a", "", 1},
		{"", "a", -1},
		{"a", "b", -1},
		{"ab", "a", 1},
		{"\U0001F600", "\ufb33", -1}, // surrogate 0xD83D < 0xFB33
		{"\U0001F600", "\U0001F601", -1},
		{"\U0001F601", "\U0001F600", 1},
		{"\U00010000", "\U0001F600", -1},
	}
	for _, tt := range tests {
		if got := compareUTF16(tt.a, tt.b); got != tt.want {
			t.Errorf("compareUTF16(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
