package stix

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParsePatternCanonical(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		// Spacing.
		{"[ipv4-addr:value = '198.51.100.7']", "[ipv4-addr:value = '198.51.100.7']"},
		{"[ipv4-addr:value='198.51.100.7']", "[ipv4-addr:value = '198.51.100.7']"},
		{"  [ ipv4-addr : value\t=\n'198.51.100.7' ]  ", "[ipv4-addr:value = '198.51.100.7']"},
		{"[ipv4-addr:value\u00a0=\u2028'x']", "[ipv4-addr:value = 'x']"},
		{"/* c */ [x:y = 1] // trailing", "[x:y = 1]"},
		// Path quoting: only where needed.
		{"[file:hashes.'SHA-256' = 'ab']", "[file:hashes.'SHA-256' = 'ab']"},
		{"[file:'hashes'.'MD5' = 'ab']", "[file:hashes.MD5 = 'ab']"},
		{"[file:hashes.'sha256' = 'ab']", "[file:hashes.sha256 = 'ab']"},
		{"[x:'a.b'.'9'.'_ok'.'AND'.'' = 1]", "[x:'a.b'.'9'._ok.'AND'.'' = 1]"},
		{"[x:'it\\'s' = 1]", "[x:'it\\'s' = 1]"},
		// List steps.
		{"[network-traffic:extensions.'http-request-ext'.request_header.'Accept-Encoding' = 'gzip']",
			"[network-traffic:extensions.'http-request-ext'.request_header.'Accept-Encoding' = 'gzip']"},
		{"[email-message:to_refs [ * ] .value = 'a@example.com']", "[email-message:to_refs[*].value = 'a@example.com']"},
		{"[x:list[0].v = 1 AND x:list[+2] = 2 AND x:list[-1] = 3]", "[x:list[0].v = 1 AND x:list[2] = 2 AND x:list[-1] = 3]"},
		// Hash hex case.
		{"[file:hashes.'SHA-256' = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855']",
			"[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']"},
		{"[file:hashes.MD5 IN ('AB', 'cd')]", "[file:hashes.MD5 IN ('ab', 'cd')]"},
		{"[artifact:hashes.'SHA3-256' != 'AB']", "[artifact:hashes.'SHA3-256' != 'ab']"},
		{"[file:hashes.MD5 MATCHES '^[A-F]+$']", "[file:hashes.MD5 MATCHES '^[A-F]+$']"},
		{"[file:hashes.SSDEEP = '3:AbC:dEf']", "[file:hashes.SSDEEP = '3:AbC:dEf']"},
		{"[file:name = 'ABC']", "[file:name = 'ABC']"},
		{"[file:x.hashes.MD5 = 'AB']", "[file:x.hashes.MD5 = 'AB']"},
		// Operators.
		{"[x:y <> 1]", "[x:y != 1]"},
		{"[x:y != 1]", "[x:y != 1]"},
		{"[x:y<1 OR x:y<=2 OR x:y>3 OR x:y>=4]", "[x:y < 1 OR x:y <= 2 OR x:y > 3 OR x:y >= 4]"},
		{"[x:y NOT = 'a']", "[x:y NOT = 'a']"},
		{"[x:y NOT IN ('a','b')]", "[x:y NOT IN ('a', 'b')]"},
		{"[x:y IN ( )]", "[x:y IN ()]"},
		{"[x:y IN (1, 'a', true, 2.5, h'FF', b'AQID', t'2024-03-01T12:00:00Z')]", "[x:y IN (1, 'a', true, 2.5, h'ff', b'AQID', t'2024-03-01T12:00:00Z')]"},
		{"[file:name LIKE 'a%.exe']", "[file:name LIKE 'a%.exe']"},
		{"[file:name NOT MATCHES '^a\\\\.exe$']", "[file:name NOT MATCHES '^a\\\\.exe$']"},
		{"[ipv4-addr:value ISSUBSET '198.51.100.0/24']", "[ipv4-addr:value ISSUBSET '198.51.100.0/24']"},
		{"[ipv4-addr:value ISSUPERSET '198.51.100.7']", "[ipv4-addr:value ISSUPERSET '198.51.100.7']"},
		// Constants.
		{"[x:y = 'it\\'s a \\\\ path']", "[x:y = 'it\\'s a \\\\ path']"},
		{"[x:y = '']", "[x:y = '']"},
		{"[x:y = 'line\nbreak']", "[x:y = 'line\nbreak']"},
		{"[x:y = 'ünïcødé 😀']", "[x:y = 'ünïcødé 😀']"},
		{"[x:y = 0]", "[x:y = 0]"},
		{"[x:y = +42]", "[x:y = 42]"},
		{"[x:y = -0]", "[x:y = 0]"},
		{"[x:y = -17]", "[x:y = -17]"},
		{"[x:y = 123456789012345678901234567890]", "[x:y = 123456789012345678901234567890]"},
		{"[x:y = 1.50]", "[x:y = 1.5]"},
		{"[x:y = .5]", "[x:y = 0.5]"},
		{"[x:y = +007.000]", "[x:y = 7.0]"},
		{"[x:y = -0.0]", "[x:y = 0.0]"},
		{"[x:y = -.25]", "[x:y = -0.25]"},
		{"[x:y = true AND x:z = false]", "[x:y = true AND x:z = false]"},
		{"[x:y = h'']", "[x:y = h'']"},
		{"[x:y = h'DeadBeef']", "[x:y = h'deadbeef']"},
		{"[x:y = b'AQIDBA==' OR x:y = b'AQIDBAU=' OR x:y = b'AQIDBAUG']", "[x:y = b'AQIDBA==' OR x:y = b'AQIDBAU=' OR x:y = b'AQIDBAUG']"},
		{"[x:y > t'2024-03-01T12:00:00.123Z']", "[x:y > t'2024-03-01T12:00:00.123Z']"},
		{"[x:y > t'2016-12-31T23:59:60Z']", "[x:y > t'2016-12-31T23:59:60Z']"},
		// Precedence and parentheses.
		{"[a:b = 1 OR a:c = 2 AND a:d = 3]", "[a:b = 1 OR a:c = 2 AND a:d = 3]"},
		{"[(a:b = 1 OR a:c = 2) AND a:d = 3]", "[(a:b = 1 OR a:c = 2) AND a:d = 3]"},
		{"[a:b = 1 OR (a:c = 2 AND a:d = 3)]", "[a:b = 1 OR a:c = 2 AND a:d = 3]"},
		{"[((a:b = 1))]", "[a:b = 1]"},
		{"[(a:b = 1 OR a:c = 2) OR a:d = 3]", "[a:b = 1 OR a:c = 2 OR a:d = 3]"},
		{"[a:b = 1 AND (a:c = 2 AND a:d = 3)]", "[a:b = 1 AND a:c = 2 AND a:d = 3]"},
		{"[a:b = 1] AND [a:c = 2] OR [a:d = 3]", "[a:b = 1] AND [a:c = 2] OR [a:d = 3]"},
		{"[a:b = 1] AND ([a:c = 2] OR [a:d = 3])", "[a:b = 1] AND ([a:c = 2] OR [a:d = 3])"},
		{"(([a:b = 1]))", "[a:b = 1]"},
		{"([a:b = 1] OR [a:c = 2]) OR ([a:d = 3] OR [a:e = 4])", "[a:b = 1] OR [a:c = 2] OR [a:d = 3] OR [a:e = 4]"},
		{"[a:b = 1 AND (a:c = 2 OR a:d = 3 AND (a:e = 4 OR a:f = 5))]", "[a:b = 1 AND (a:c = 2 OR a:d = 3 AND (a:e = 4 OR a:f = 5))]"},
		// Object types.
		{"[x-opencti-hostname:value = 'h']", "[x-opencti-hostname:value = 'h']"},
		{"[File:Name = 'x']", "[File:Name = 'x']"},
	}
	for _, tt := range tests {
		p, err := ParsePattern(tt.in)
		if err != nil {
			t.Errorf("ParsePattern(%q): %v", tt.in, err)
			continue
		}
		if got := p.String(); got != tt.want {
			t.Errorf("ParsePattern(%q).String()\n got %s\nwant %s", tt.in, got, tt.want)
		}
		q, err := ParsePattern(p.String())
		if err != nil || q.String() != p.String() || !p.Equivalent(q) {
			t.Errorf("canonical %q does not reparse to itself: %v", p.String(), err)
		}
		if diff := cmp.Diff(p, q); diff != "" && !strings.Contains(strings.ToLower(tt.in), "hashes") {
			t.Errorf("reparsed tree of %q differs (-first +second):\n%s", tt.in, diff)
		}
	}
}

func TestParsePatternTree(t *testing.T) {
	cmpAB := func(obj, key, v string) *Comparison {
		return &Comparison{Path: ObjectPath{ObjectType: obj, Steps: []PathStep{{Key: key}}}, Operator: Equal, Value: Constant{Kind: StringConstant, Value: v}}
	}
	tests := []struct {
		in   string
		want *Pattern
	}{
		{"[a:b = 'x' OR a:c = 'y' AND a:d = 'z']", &Pattern{Expr: &Observation{Comparison: &ComparisonOp{Op: Or, Operands: []ComparisonExpr{
			cmpAB("a", "b", "x"),
			&ComparisonOp{Op: And, Operands: []ComparisonExpr{cmpAB("a", "c", "y"), cmpAB("a", "d", "z")}},
		}}}}},
		{"[a:b = 'x'] OR [a:c = 'y'] AND [a:d = 'z']", &Pattern{Expr: &ObservationOp{Op: Or, Operands: []ObservationExpr{
			&Observation{Comparison: cmpAB("a", "b", "x")},
			&ObservationOp{Op: And, Operands: []ObservationExpr{
				&Observation{Comparison: cmpAB("a", "c", "y")},
				&Observation{Comparison: cmpAB("a", "d", "z")},
			}},
		}}}},
		{"[x:l[*].k[3] NOT IN ('a', 1)]", &Pattern{Expr: &Observation{Comparison: &Comparison{
			Path: ObjectPath{ObjectType: "x", Steps: []PathStep{
				{Kind: KeyStep, Key: "l"}, {Kind: AnyIndexStep}, {Kind: KeyStep, Key: "k"}, {Kind: IndexStep, Index: 3},
			}},
			Negated:  true,
			Operator: In,
			Set:      []Constant{{Kind: StringConstant, Value: "a"}, {Kind: IntConstant, Value: "1"}},
		}}}},
	}
	for _, tt := range tests {
		got, err := ParsePattern(tt.in)
		if err != nil {
			t.Fatalf("ParsePattern(%q): %v", tt.in, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParsePattern(%q) tree (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParsePatternErrors(t *testing.T) {
	tests := []struct {
		in      string
		pos     int
		wantMsg string
	}{
		{"", 0, "empty pattern"},
		{"   ", 3, "empty pattern"},
		{"ipv4-addr:value = '1'", 0, "expected '[' or '('"},
		{"[ipv4-addr:value = '1'", 22, "expected AND, OR or ']', found the end"},
		{"[ipv4-addr:value = '1']]", 23, "expected AND, OR or the end of the pattern"},
		{"[ipv4-addr:value = '1] ", 19, "unterminated string"},
		{"[x:y = 'a\\n']", 9, `invalid escape`},
		{"[x:y = 'a\\", 7, "unterminated string"},
		{"[x:y = 'a'c']", 10, `expected AND, OR or ']', found name "c"`},
		{"[x:y = 'a'b']", 10, "unterminated binary constant"},
		{"[x:y = \"a\"]", 7, "unexpected character '\"'"},
		{"[file:hashes.SHA-256 = 'a']", 13, "property name SHA-256 must be quoted: 'SHA-256'"},
		{"[file:SHA-256 = 'a']", 6, "must be quoted"},
		{"[file:hashes.AND = 'a']", 13, "property name AND must be quoted"},
		{"[AND:x = 1]", 1, "expected an object path"},
		{"[file name = 'a']", 6, "expected ':' after the object type"},
		{"[file: = 'a']", 7, "expected a property name"},
		{"[file:name 'a']", 11, "expected a comparison operator"},
		{"[file:name = ]", 13, "expected a constant"},
		{"[file:name = 'a' and file:size = 1]", 17, `found name "and"`},
		{"[file:name == 'a']", 12, "expected a constant, found \"=\""},
		{"[file:name ! 'a']", 11, "'!' must be followed by '='"},
		{"[file:name = TRUE]", 13, "expected a constant"},
		{"[file:size < true]", 11, "booleans cannot be ordered"},
		{"[file:name LIKE 1]", 11, "LIKE needs a string constant"},
		{"[file:name MATCHES h'00']", 11, "MATCHES needs a string constant"},
		{"[file:name IN 'a']", 14, "expected '(' after IN"},
		{"[file:name IN ('a' 'b')]", 19, "expected ',' or ')'"},
		{"[file:name IN ('a',)]", 19, "expected a constant"},
		{"[file:size = 007]", 13, "integer with a leading zero"},
		{"[file:size = -]", 13, "a sign must be followed by a number"},
		{"[file:size = 1.]", 14, `expected AND, OR or ']', found "."`},
		{"[x:y = h'abc']", 7, "odd number of digits"},
		{"[x:y = h'zz']", 9, "invalid hex digit"},
		{"[x:y = b'']", 7, "base64"},
		{"[x:y = b'abc']", 7, "base64"},
		{"[x:y = b'a===']", 7, "padding"},
		{"[x:y = b'ab=c']", 11, "invalid base64 character"},
		{"[x:y = t'2024-13-01T00:00:00Z']", 7, "timestamp constant"},
		{"[x:y = t'2024-03-01T24:00:00Z']", 7, "timestamp constant"},
		{"[x:y = t'2024-03-01T12:00:00+01:00']", 7, "timestamp constant"},
		{"[x:y = t'2024-03-01T12:00:00.Z']", 7, "timestamp constant"},
		{"[x:y = t'2024-03-01", 7, "unterminated timestamp"},
		{"[x:l[a] = 1]", 5, "expected a list index or '*'"},
		{"[x:l[1 = 1]", 7, "expected ']' after the list index"},
		{"[x:l[99999999999999999999] = 1]", 5, "list index out of range"},
		{"[x:y = 1] AND", 13, "expected '[' or '('"},
		{"[x:y = 1] NOT [x:y = 2]", 10, "expected AND, OR or the end"},
		{"NOT [x:y = 2]", 0, "NOT goes between"},
		{"[[x:y = 1]]", 1, "use parentheses"},
		{"[(x:y = 1]", 9, "expected AND, OR or ')'"},
		{"([x:y = 1]", 10, "expected AND, OR or ')'"},
		{"[x:y = 1]\xff", 9, "invalid UTF-8"},
		{"[x:y = '\xff']", 8, "invalid UTF-8"},
		{"/* open [x:y = 1]", 0, "unterminated comment"},
		{"[x:y = 1] #", 10, "unexpected character '#'"},
		{strings.Repeat("(", 65) + "[x:y = 1]" + strings.Repeat(")", 65), 64, "nested too deeply"},
		{"[" + strings.Repeat("(", 70) + "x:y = 1" + strings.Repeat(")", 70) + "]", 64, "nested too deeply"},
	}
	for _, tt := range tests {
		p, err := ParsePattern(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParsePattern(%q) = %v, %v; want a *SyntaxError", tt.in, p, err)
			continue
		}
		if p != nil {
			t.Errorf("ParsePattern(%q) returned a pattern with an error", tt.in)
		}
		if se.Pos != tt.pos || !strings.Contains(se.Msg, tt.wantMsg) {
			t.Errorf("ParsePattern(%q): error at %d %q, want at %d containing %q", tt.in, se.Pos, se.Msg, tt.pos, tt.wantMsg)
		}
		if errors.Is(err, ErrUnsupported) {
			t.Errorf("ParsePattern(%q): syntax error matches ErrUnsupported", tt.in)
		}
	}
}

func TestParsePatternUnsupported(t *testing.T) {
	tests := []struct {
		in  string
		pos int
	}{
		{"[x:y = 1] WITHIN 5 SECONDS", 10},
		{"[x:y = 1] REPEATS 2 TIMES", 10},
		{"[x:y = 1] START t'2024-01-01T00:00:00Z' STOP t'2024-01-02T00:00:00Z'", 10},
		{"[x:y = 1] FOLLOWEDBY [x:y = 2]", 10},
		{"([x:y = 1] OR [x:y = 2]) WITHIN 1 SECONDS", 25},
		{"[x:y = 1] AND ([x:y = 2] FOLLOWEDBY [x:y = 3])", 25},
		{"[EXISTS x:y]", 1},
	}
	for _, tt := range tests {
		_, err := ParsePattern(tt.in)
		var ue *UnsupportedError
		if !errors.Is(err, ErrUnsupported) || !errors.As(err, &ue) || ue.Pos != tt.pos {
			t.Errorf("ParsePattern(%q) error %v; want an *UnsupportedError at %d", tt.in, err, tt.pos)
		}
	}
}

func TestEquivalent(t *testing.T) {
	sha := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	tests := []struct {
		a, b string
		want bool
	}{
		{"[file:hashes.'SHA-256' = '" + sha + "']", "[file:hashes.'SHA-256'='" + strings.ToUpper(sha) + "']", true},
		{"[file:hashes.MD5 = 'ab']", "[file:hashes.'MD5' = 'AB']", true},
		{"[ipv4-addr:value = '198.51.100.7']", "[ ipv4-addr:value = '198.51.100.7' ]", true},
		{"[x:y <> 1]", "[x:y != 1]", true},
		{"[a:b = 1 OR (a:c = 2 OR a:d = 3)]", "[(a:b = 1 OR a:c = 2) OR a:d = 3]", true},
		{"[x:y = 1.50]", "[x:y = 1.5]", true},
		// Not equivalent: different values, keys, types, order or structure.
		{"[domain-name:value = 'Evil.example']", "[domain-name:value = 'evil.example']", false},
		{"[file:hashes.'SHA-256' = 'ab']", "[file:hashes.SHA256 = 'ab']", false},
		{"[x:y = 1]", "[x:y = 1.0]", false},
		{"[x:y = 1]", "[x:y = '1']", false},
		{"[a:b = 1 OR a:c = 2]", "[a:c = 2 OR a:b = 1]", false},
		{"[a:b = 1 AND a:c = 2]", "[a:b = 1] AND [a:c = 2]", false},
		{"[x:y NOT = 1]", "[x:y != 1]", false},
		{"[x:y = 1]", "not a pattern", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := PatternEquivalent(tt.a, tt.b); got != tt.want {
			t.Errorf("PatternEquivalent(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := PatternEquivalent(tt.b, tt.a); got != tt.want {
			t.Errorf("PatternEquivalent(%q, %q) = %v, want %v (not symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
	var nilPattern *Pattern
	p, _ := ParsePattern("[x:y = 1]")
	if nilPattern.Equivalent(p) || p.Equivalent(nilPattern) || nilPattern.Equivalent(nilPattern) || (&Pattern{}).Equivalent(&Pattern{}) {
		t.Errorf("nil or empty patterns are equivalent to something")
	}
	if nilPattern.String() != "" || nilPattern.Equalities() != nil || nilPattern.Comparisons() != nil {
		t.Errorf("nil pattern has content")
	}
}

func TestPatternEqualities(t *testing.T) {
	sha := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	md5 := "d41d8cd98f00b204e9800998ecf8427e"
	ip := func(v string) Equality { return Equality{"ipv4-addr", "value", v} }
	tests := []struct {
		in        string
		eqs, alts []Equality
	}{
		{"[ipv4-addr:value = '198.51.100.7']", []Equality{ip("198.51.100.7")}, []Equality{ip("198.51.100.7")}},
		{"[file:hashes.'SHA-256' = '" + strings.ToUpper(sha) + "']",
			[]Equality{{"file", "hashes.'SHA-256'", sha}}, []Equality{{"file", "hashes.'SHA-256'", sha}}},
		{"[file:hashes.sha256 = '" + sha + "' OR file:hashes.'md5' = '" + md5 + "']",
			[]Equality{{"file", "hashes.'SHA-256'", sha}, {"file", "hashes.MD5", md5}},
			[]Equality{{"file", "hashes.'SHA-256'", sha}, {"file", "hashes.MD5", md5}}},
		// AND inside one observation: both concern it, neither alone matches.
		{"[file:hashes.MD5 = '" + md5 + "' AND file:name = 'x.exe']",
			[]Equality{{"file", "hashes.MD5", md5}, {"file", "name", "x.exe"}}, nil},
		{"[ipv4-addr:value = '198.51.100.7'] AND [domain-name:value = 'EVIL.example.']",
			[]Equality{ip("198.51.100.7"), {"domain-name", "value", "evil.example"}}, nil},
		{"[ipv4-addr:value = '198.51.100.7'] OR [domain-name:value = 'evil.example' AND domain-name:value = 'x.example']",
			[]Equality{ip("198.51.100.7"), {"domain-name", "value", "evil.example"}, {"domain-name", "value", "x.example"}},
			[]Equality{ip("198.51.100.7")}},
		{"[ipv4-addr:value IN ('198.51.100.7', '198.51.100.8', 'bogus', '198.51.100.7')]",
			[]Equality{ip("198.51.100.7"), ip("198.51.100.8")}, []Equality{ip("198.51.100.7"), ip("198.51.100.8")}},
		// Normalised through the constructors; CIDR kept.
		{"[ipv4-addr:value = '198.51.100.77/24' OR ipv6-addr:value = '2001:DB8::1' OR url:value = 'HTTP://X.example/A']",
			[]Equality{ip("198.51.100.0/24"), {"ipv6-addr", "value", "2001:db8::1"}, {"url", "value", "http://x.example/A"}},
			[]Equality{ip("198.51.100.0/24"), {"ipv6-addr", "value", "2001:db8::1"}, {"url", "value", "http://x.example/A"}}},
		{"[hostname:value = 'WS-1' OR email-addr:value = 'a@B.example']",
			[]Equality{{"hostname", "value", "ws-1"}, {"email-addr", "value", "a@b.example"}},
			[]Equality{{"hostname", "value", "ws-1"}, {"email-addr", "value", "a@b.example"}}},
		// Not equalities: negation, other operators, other paths, invalid values, other types.
		{"[ipv4-addr:value != '198.51.100.7' OR ipv4-addr:value NOT = '198.51.100.8' OR ipv4-addr:value LIKE '198.51.%']", nil, nil},
		{"[ipv4-addr:value ISSUBSET '198.51.100.0/24' OR file:size = 10 OR file:name = 3]", nil, nil},
		{"[ipv4-addr:value = 'not an address' OR file:hashes.MD5 = 'short' OR file:hashes.SSDEEP = '3:a:b']", nil, nil},
		{"[file:parent_directory_ref.path = 'C:\\\\x' OR process:name = 'a.exe' OR ipv4-addr:resolves_to_refs[0].value = 'x']", nil, nil},
		{"[ipv4-addr:'value' = '198.51.100.7']", []Equality{ip("198.51.100.7")}, []Equality{ip("198.51.100.7")}},
	}
	for _, tt := range tests {
		p, err := ParsePattern(tt.in)
		if err != nil {
			t.Fatalf("ParsePattern(%q): %v", tt.in, err)
		}
		if diff := cmp.Diff(tt.eqs, p.Equalities()); diff != "" {
			t.Errorf("Equalities of %q (-want +got):\n%s", tt.in, diff)
		}
		if diff := cmp.Diff(tt.alts, p.Alternatives()); diff != "" {
			t.Errorf("Alternatives of %q (-want +got):\n%s", tt.in, diff)
		}
	}
}

// TestEqualityRoundTrip checks that every Equality's pattern, however odd
// its value, parses back to that equality.
func TestEqualityRoundTrip(t *testing.T) {
	names := []string{`it's`, `C:\Windows\`, `\'`, `''\\`, "tab\there", "new\nline", "😀 é", "a]b[c", "x' OR file:name = 'y"}
	for _, n := range names {
		f, err := NewFile(n)
		if err != nil {
			t.Fatal(err)
		}
		e := f.Equalities()[0]
		p, err := ParsePattern(e.String())
		if err != nil {
			t.Errorf("%q: %v", e.String(), err)
			continue
		}
		if diff := cmp.Diff([]Equality{e}, p.Equalities()); diff != "" {
			t.Errorf("%q (-want +got):\n%s", e.String(), diff)
		}
		if len(p.Comparisons()) != 1 {
			t.Errorf("%q: injected a comparison", e.String())
		}
	}
}

func TestConstantAndPathString(t *testing.T) {
	p, err := ParsePattern("[file:hashes.'SHA-256' IN ('AB', 'c\\'d') AND x:l[*][2] = h'FF']")
	if err != nil {
		t.Fatal(err)
	}
	cs := p.Comparisons()
	if got := cs[0].Path.String(); got != "file:hashes.'SHA-256'" {
		t.Errorf("path %s", got)
	}
	if got := cs[0].Set[1].String(); got != `'c\'d'` {
		t.Errorf("constant %s", got)
	}
	if got := cs[1].String(); got != "x:l[*][2] = h'ff'" {
		t.Errorf("comparison %s", got)
	}
}

// TestHandBuiltTreesDoNotPanic covers trees with nil nodes, which the
// parser never builds but a caller might.
func TestHandBuiltTreesDoNotPanic(t *testing.T) {
	var nilObs *Observation
	var nilCmp *Comparison
	var nilObsOp *ObservationOp
	var nilCmpOp *ComparisonOp
	trees := []*Pattern{
		{Expr: nilObs},
		{Expr: nilObsOp},
		{Expr: &Observation{}},
		{Expr: &Observation{Comparison: nilCmp}},
		{Expr: &Observation{Comparison: nilCmpOp}},
		{Expr: &ObservationOp{Op: And, Operands: []ObservationExpr{nil, nilObs, &Observation{Comparison: &ComparisonOp{Op: Or, Operands: []ComparisonExpr{nil, nilCmp}}}}}},
	}
	for _, p := range trees {
		_ = p.String()
		_ = p.Equalities()
		_ = p.Alternatives()
		_ = p.Comparisons()
		_ = p.Equivalent(p)
	}
	_ = nilCmp.String()
}
