package extract

import (
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// auditURLs: URLs among the arguments of a command that Linux audit
// logged (data.audit.execve, an object {a0, a1, …}).
func auditURLs(c *collector, a *wazuh.Alert) {
	execve := a.Field("data.audit.execve")
	if !a.HasGroup("audit_command") && !execve.Exists() {
		return
	}
	if arr := execve.Array(); arr != nil {
		const field = "data.audit.execve"
		for _, v := range arr {
			if s, ok := str(v); ok {
				argURLs(s, func(u string) { c.urlValue(field, u, RoleURL) })
			}
		}
		return
	}
	for _, k := range argKeys(execve.Keys()) {
		s, ok := str(execve.Get(k))
		if !ok {
			continue
		}
		field := "data.audit.execve." + k
		argURLs(s, func(u string) { c.urlValue(field, u, RoleURL) })
	}
}

// argKeys orders the keys a0, a1, …, a10 by number (document order is not
// guaranteed to be argument order); other keys follow in their order.
func argKeys(keys []string) []string {
	out := append([]string(nil), keys...)
	num := func(k string) int {
		if len(k) < 2 || k[0] != 'a' || len(k) > 7 {
			return 1 << 30
		}
		n := 0
		for i := 1; i < len(k); i++ {
			if k[i] < '0' || k[i] > '9' {
				return 1 << 30
			}
			n = n*10 + int(k[i]-'0')
		}
		return n
	}
	// Insertion sort: a command has a handful of arguments, and it is stable.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && num(out[j]) < num(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// argURLs calls f with each URL candidate in one command argument. auditd
// writes an argument holding a space, a quote or a control character as
// hex, so such arguments are decoded first. An argument can hold a whole
// command line (sh -c "curl … | sh") or an option ("--url=http://…"), so
// it is split on white space and quotes, and each piece is searched for
// "scheme://" with a scheme among urlSchemes. The candidate is then parsed
// as a URL by the caller: nothing is taken on its prefix alone.
func argURLs(arg string, f func(string)) {
	if d, ok := auditHex(arg); ok {
		arg = d
	}
	for _, tok := range strings.FieldsFunc(arg, func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || r == '\'' || r == '`'
	}) {
		i := strings.Index(tok, "://")
		if i <= 0 {
			continue
		}
		// Walk back over the scheme's characters: "--url=HTTP://…" has
		// the scheme after "=".
		j := i
		for j > 0 && isSchemeByte(tok[j-1]) {
			j--
		}
		for j < i && !isLetter(tok[j]) {
			j++
		}
		// The scheme starts the piece or follows an option's "=" (or an
		// opening bracket): "/etc/http://x" is a path, not a URL.
		if j > 0 && strings.IndexByte("=(<[{,;", tok[j-1]) < 0 {
			continue
		}
		if !urlSchemes(tok[j:i]) {
			continue
		}
		f(strings.TrimRight(tok[j:], ";|&)>,"))
	}
}

// urlSchemes reports whether s (any case) is a scheme whose URLs are worth
// a lookup: the web and file-transfer protocols malware fetches from.
func urlSchemes(s string) bool {
	switch strings.ToLower(s) {
	case "http", "https", "ftp", "ftps", "sftp", "tftp", "ws", "wss":
		return true
	}
	return false
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isSchemeByte(c byte) bool {
	return isLetter(c) || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
}

// auditHex decodes an argument auditd logged as hex (upper-case digits,
// even length) when it decodes to printable UTF-8 text.
func auditHex(s string) (string, bool) {
	if len(s) < 2 || len(s)%2 != 0 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'A' <= c && c <= 'F') {
			return "", false
		}
	}
	b, err := hex.DecodeString(s)
	if err != nil || !utf8.Valid(b) {
		return "", false
	}
	d := string(b)
	for _, r := range d {
		if r == 0 || (!unicode.IsPrint(r) && !unicode.IsSpace(r)) {
			return "", false
		}
	}
	return d, true
}
