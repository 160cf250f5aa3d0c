package extract

import (
	"strconv"
	"strings"

	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// isSuricata reports whether the alert is a Suricata EVE record or another
// IDS alert: rule group suricata or ids, or a data.event_type that EVE
// writes (for local rules with groups of their own).
func isSuricata(a *wazuh.Alert) bool {
	if a.HasGroup("suricata") || a.HasGroup("ids") {
		return true
	}
	et, ok := str(a.Field("data.event_type"))
	return ok && isEVEEventType(et)
}

// isEVEEventType reports whether t is an event_type of Suricata's EVE log.
// "event_type" alone is too common a key to select Suricata by.
func isEVEEventType(t string) bool {
	switch t {
	case "alert", "anomaly", "dns", "http", "http2", "tls", "fileinfo", "flow", "netflow",
		"drop", "smtp", "ssh", "smb", "nfs", "dhcp", "krb5", "ftp", "ftp_data", "rdp",
		"quic", "mqtt", "snmp", "sip", "rfb", "ike", "pgsql", "dcerpc", "tftp", "bittorrent-dht",
		"websocket", "ldap", "arp", "mdns", "doh2", "pop3":
		return true
	}
	return false
}

// suricata: addresses, DNS, HTTP, TLS and file hashes of Suricata EVE
// records and other IDS alerts.
func suricata(c *collector, a *wazuh.Alert) {
	if !c.isSuricata(a) {
		return
	}
	c.address(a, "data.src_ip", RoleSource)
	c.address(a, "data.dest_ip", RoleDestination)
	c.address(a, "data.srcip", RoleSource)
	c.address(a, "data.dstip", RoleDestination)

	// DNS: v2 dns events have dns.rrname and answers beside it; alerts of
	// Suricata 7 have dns.query[] (and dns.answer); Suricata 8 has
	// dns.queries[] and dns.answers[].
	c.name(a, "data.dns.rrname", RoleQuery)
	for _, list := range [...]string{"data.dns.query", "data.dns.queries"} {
		for _, q := range a.Field(list).Array() {
			c.nameValues(list, q.Get("rrname"), RoleQuery)
		}
	}
	for _, p := range answerPaths {
		suricataAnswers(c, a, p)
	}

	c.host(a, "data.http.hostname", RoleHost)
	if u, ok := suricataURL(a); ok {
		c.urlValue("data.http.url", u, RoleURL)
	}
	c.host(a, "data.tls.sni", RoleHost)
	c.hashes("data.fileinfo", a.Field("data.fileinfo"), [4]string{"md5", "sha1", "sha256", "sha512"})
}

// dnsAnswerPaths are the paths of one place of DNS answers in EVE records,
// spelled out so that no path is built per alert.
type dnsAnswerPaths struct {
	answers, grouped, groupedA, groupedAAAA, groupedCNAME string
}

// answerPaths: v2 dns events and Suricata 8 have answers in data.dns,
// Suricata 7 alerts in data.dns.answer.
var answerPaths = [...]dnsAnswerPaths{
	{"data.dns.answers", "data.dns.grouped", "data.dns.grouped.A", "data.dns.grouped.AAAA", "data.dns.grouped.CNAME"},
	{"data.dns.answer.answers", "data.dns.answer.grouped", "data.dns.answer.grouped.A", "data.dns.answer.grouped.AAAA", "data.dns.answer.grouped.CNAME"},
}

// suricataAnswers reads DNS answers: the detailed list (answers[] of
// rrtype and rdata) and the grouped form (grouped.A, …). Addresses of A and
// AAAA records and names of CNAME records are kept; other record types
// (TXT, MX, …) are not observables of ours.
func suricataAnswers(c *collector, a *wazuh.Alert, p dnsAnswerPaths) {
	for _, ans := range a.Field(p.answers).Array() {
		rdata, ok := str(ans.Get("rdata"))
		if !ok {
			continue
		}
		rrtype, _ := str(ans.Get("rrtype"))
		switch strings.ToUpper(rrtype) {
		case "A", "AAAA":
			c.addressValue(p.answers, ans.Get("rdata"), RoleAnswer)
		case "CNAME":
			c.nameValue(p.answers, rdata, RoleAnswer)
		case "":
			// Without a type only an address is unambiguous.
			if o, err := ParseAddress(rdata); err == nil {
				c.add(o, p.answers, RoleAnswer)
			}
		}
	}
	grouped := a.Field(p.grouped)
	if !grouped.Exists() {
		return
	}
	c.addressValue(p.groupedA, grouped.Get("A"), RoleAnswer)
	c.addressValue(p.groupedAAAA, grouped.Get("AAAA"), RoleAnswer)
	c.nameValues(p.groupedCNAME, grouped.Get("CNAME"), RoleAnswer)
}

// suricataURL returns the full URL of an HTTP record. EVE's http.url is
// usually the request target ("/path?query"); it is combined with
// http.hostname into "http://host[:port]/path?query". The scheme is http
// because Suricata only sees HTTP in clear text; the port is http.http_port
// when Suricata logged one (a Host header with a port) and it is not 80.
// An absolute URL (a proxy request) is taken as it is. Other request
// targets ("*", "host:443" of CONNECT) give no URL.
func suricataURL(a *wazuh.Alert) (string, bool) {
	target, ok := str(a.Field("data.http.url"))
	if !ok {
		return "", false
	}
	target = strings.TrimSpace(target)
	if hasURLScheme(target) {
		return target, true
	}
	if !strings.HasPrefix(target, "/") {
		return "", false
	}
	host, ok := str(a.Field("data.http.hostname"))
	if !ok {
		return "", false
	}
	host = strings.TrimSpace(host)
	if strings.Count(host, ":") >= 2 && !strings.HasPrefix(host, "[") {
		host = "[" + host + "]" // a bare IPv6 address
	}
	port := ""
	if p, ok := a.Field("data.http.http_port").Int(); ok && p > 0 && p <= 65535 && p != 80 && !hasPort(host) {
		port = ":" + strconv.FormatInt(p, 10)
	}
	return "http://" + host + port + target, true
}

// hasURLScheme reports whether s starts with "scheme://".
func hasURLScheme(s string) bool {
	i := strings.Index(s, "://")
	return i > 0 && isScheme(s[:i])
}

// isScheme reports whether s is a URL scheme: a letter, then letters,
// digits, "+", "-" or ".".
func isScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// hasPort reports whether a host ("name:8080", "[v6]:8080") has a port.
func hasPort(host string) bool {
	i := strings.LastIndexByte(host, ':')
	return i >= 0 && i > strings.LastIndexByte(host, ']') && isPort(host[i+1:])
}
