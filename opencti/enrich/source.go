package enrich

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// Fields copied from an alert's data into opencti.source, as the Python
// integration named them (after Wazuh's own VirusTotal integration).
var (
	networkKeys = []string{"in_iface", "srcintf", "src_ip", "srcip", "src_mac", "srcmac",
		"src_port", "srcport", "dest_ip", "dstip", "dst_mac", "dstmac", "dest_port", "dstport",
		"dstintf", "proto", "app_proto"}
	suricataAlertKeys = []string{"action", "category", "signature", "signature_id", "severity"}
	sysmonKeys        = []string{"image", "queryName", "queryResults", "sourceIp", "sourcePort",
		"destinationIp", "destinationPort", "destinationHostname", "targetFilename", "imageLoaded",
		"hashes", "hash"}
	auditKeys = []string{"success", "key", "uid", "gid", "euid", "egid", "exe", "exit", "pid"}
)

// sourceContext is opencti.source: the alert's id and rule, and the context
// from the alert worth seeing beside a threat-intel hit.
func sourceContext(a *wazuh.Alert) Object {
	var s Object
	s.Set("alert_id", a.ID)
	s.Set("rule_id", a.Rule.ID)
	if sc := a.Syscheck; sc != nil {
		s.Set("file", sc.Path)
		s.Set("md5", sc.MD5After)
		s.Set("sha1", sc.SHA1After)
		s.Set("sha256", sc.SHA256After)
	}
	data := a.Data
	copyStrings(&s, data, networkKeys)

	// Packetbeat DNS.
	if m, _ := data.Get("method").String(); m == "QUERY" {
		s.Set("queryName", str(data.Get("dns.question.name")))
		var answers []string
		for _, ans := range data.Get("dns.answers").Array() {
			answers = append(answers, str(ans.Get("data")))
		}
		s.Set("queryResults", strings.Join(answers, ";"))
	}

	// Suricata EVE.
	if al := data.Get("alert"); al.Kind() == wazuh.KindObject {
		var o Object
		copyStrings(&o, al, suricataAlertKeys)
		s.Set("alert", o)
	}
	s.Set("rrname", str(data.Get("dns.rrname")))
	s.Set("hostname", str(data.Get("http.hostname")))
	s.Set("url", str(data.Get("http.url")))
	s.Set("sni", str(data.Get("tls.sni")))

	// Windows event channel (Sysmon).
	copyStrings(&s, data.Get("win.eventdata"), sysmonKeys)

	// Linux audit: the arguments of execve in argument order (a0, a1, …, a10).
	if execve := data.Get("audit.execve"); execve.Kind() == wazuh.KindObject {
		keys := execve.Keys()
		slices.SortFunc(keys, func(x, y string) int { return cmp.Compare(argIndex(x), argIndex(y)) })
		args := make([]string, 0, len(keys))
		for _, k := range keys {
			args = append(args, str(execve.Get(k)))
		}
		s.Set("execve", strings.Join(args, " "))
	}
	copyStrings(&s, data.Get("audit"), auditKeys)

	// osquery.
	if cols := data.Get("osquery.columns"); cols.Kind() == wazuh.KindObject {
		s.Set("osquery", str(data.Get("osquery.name")))
		if _, ok := s.Get("file"); !ok {
			s.Set("file", str(cols.Get("path")))
			s.Set("md5", str(cols.Get("md5")))
			s.Set("sha1", str(cols.Get("sha1")))
			s.Set("sha256", str(cols.Get("sha256")))
		}
	}
	return s
}

// argIndex orders execve keys a0, a1, …; other keys sort last.
func argIndex(k string) int {
	if n, err := strconv.Atoi(strings.TrimPrefix(k, "a")); err == nil && strings.HasPrefix(k, "a") {
		return n
	}
	return int(^uint(0) >> 1)
}

func str(v wazuh.Value) string {
	s, _ := v.String()
	return s
}

func copyStrings(dst *Object, src wazuh.Value, keys []string) {
	for _, k := range keys {
		if s, ok := src.Get(k).String(); ok {
			dst.Set(k, s)
		}
	}
}
