package extract_test

// handExpected is what each sample alert must yield under Default(),
// derived by reading the alert, not by running the code: one line per
// finding to look up, "extractor role field type value" (a file's value is
// its hashes). The reasoning is in the comments; golden_test.go checks both
// this table and the golden files, so a golden update cannot silently
// change what we decided.
var handExpected = map[string][]string{
	// Hashes field SHA1, MD5, SHA256 upper case plus IMPHASH: one file,
	// lower-cased, IMPHASH skipped, no file name.
	"sysmon-eid1-wscript-child-remote-agent.json": {
		"sysmon-hashes file data.win.eventdata.hashes file MD5=2395d12c80f09bbb7b574785eecb09ad,SHA-1=d693bfd0817fa4b068ac3d12ea9de3af770f6268,SHA-256=4da46dfb9dfd1f0b4b8e9cfdd02c3adbdafc651d738652fe5edb9a551e92770c",
	},
	// Group sysmon_event1 of the base rules; only a SHA256.
	"sysmon-eid1-base-rule-sha256-only-unicode.json": {
		"sysmon-hashes file data.win.eventdata.hashes file SHA-256=dc3f02f6a0272b90e7db0216bce4aa37df6b97098c24d4100d578c3a0285992e",
	},
	// MD5 and SHA256 (and IMPHASH); the 24 KB command line is not read.
	"sysmon-eid1-very-long-commandline.json": {
		"sysmon-hashes file data.win.eventdata.hashes file MD5=0bcd69fdb5cce11714937c9888fc4c86,SHA-256=fb4fa7adca920b137662d4233285d87eb14ba6c69cf9f5c6aae802eae4128ddb",
	},
	// Event 3: source 10.40.12.31 is private (dropped); the destination is
	// public. destinationHostname is a reverse lookup: not read.
	"sysmon-eid3-rlo-image-public-destination.json": {
		"sysmon-network destination data.win.eventdata.destinationIp ipv4-addr 185.199.108.153",
	},
	// 10.40.12.31 -> 172.16.8.20: both private, nothing.
	"sysmon-eid3-private-smb-ignored.json": nil,
	// Event 22: the query name, then the answers in order: the CNAME
	// target, two IPv4-mapped addresses unwrapped, one IPv6 address.
	"sysmon-eid22-dns-public-results.json": {
		"sysmon-dns query data.win.eventdata.queryName domain-name update-check.example.com",
		"sysmon-dns answer data.win.eventdata.queryResults domain-name edge-7.example-cdn.net",
		"sysmon-dns answer data.win.eventdata.queryResults ipv4-addr 151.101.1.69",
		"sysmon-dns answer data.win.eventdata.queryResults ipv4-addr 151.101.65.69",
		"sysmon-dns answer data.win.eventdata.queryResults ipv6-addr 2a04:4e42::69",
	},
	// "wpad" is a single label (invalid as a domain name); ::1 and
	// 127.0.0.1 loopback, fe80::1 link-local, 10.40.0.10 private,
	// printer01.local an ignored domain: nothing.
	"sysmon-eid22-local-names-ignored.json": nil,
	// Labels of 80 characters, over 253 in all: invalid, and no answers.
	"sysmon-eid22-overlong-qname.json": nil,
	// Event 11 (file create) carries no hashes: nothing to look up.
	"sysmon-eid11-file-create-no-hashes.json": nil,
	// Event 7 via sysmon_eid7_detections: MD5, SHA-1, SHA-256 of the
	// loaded image; the all-zero IMPHASH is skipped.
	"sysmon-eid7-image-load-unsigned.json": {
		"sysmon-hashes file data.win.eventdata.hashes file MD5=6d1774b5cdb792bbefff93df2a72d098,SHA-1=7206ffd4d9613b9170d8e6baece7618f860e09e0,SHA-256=3738c5295e2fbf100cf0b69c9b6f349c2b03b75220ada3b88cb5d5a0703505a9",
	},
	// Public source (the server), private destination dropped; the host,
	// and the request target combined with it into a URL whose host is
	// already known (so no separate url-host finding).
	"suricata-alert-http-public-src.json": {
		"suricata source data.src_ip ipv4-addr 45.146.165.37",
		"suricata host data.http.hostname domain-name dl.example.net",
		"suricata url data.http.url url http://dl.example.net/payload/stage2.bin?id=7f3a",
	},
	// Private source dropped; public destination and the SNI.
	"suricata-alert-tls-sni.json": {
		"suricata destination data.dest_ip ipv4-addr 104.16.132.229",
		"suricata host data.tls.sni domain-name api.files.example.com",
	},
	// RFC 1918 on both sides: nothing.
	"suricata-alert-private-only-ignored.json": nil,
	// fileinfo event (custom rule): the public IPv6 source, no destination,
	// the host, the URL and one file of MD5, SHA-1, SHA-256.
	"suricata-fileinfo-hashes-missing-dest.json": {
		"suricata source data.src_ip ipv6-addr 2a04:4e42::69",
		"suricata host data.http.hostname domain-name files.example.com",
		"suricata url data.http.url url http://files.example.com/d/invoice_2025.exe",
		"suricata file data.fileinfo file MD5=e2aa6b09d97796d70dc3165a430a3a0a,SHA-1=03fe1c0f6f8ad1af1e432da9be2d5377bd5a61f0,SHA-256=c7ae03614ef90e34001c79b794bf59de6a0ec5a8abdc57612bb2c2e581f759f6",
	},
	// Source 203.0.113.77 is a documentation range (not public by
	// default); destination and http.hostname 10.40.0.80 private; the URL
	// on that private host goes with it: nothing.
	"suricata-alert-very-long-url.json": nil,
	// Rule 554, added: the three *_after hashes as one file.
	"syscheck-added-linux-realtime.json": {
		"fim file syscheck file MD5=5d1c6cf8490551a8c9cf3ec1ea8fdbd2,SHA-1=f47a62906708f070685c16471cf1f72a7667ab07,SHA-256=4da4e2a84756baf395fc3284aef4155bd8c0fc05fc268aadc904eb27502e30f7",
	},
	// Rule 550 on the manager: the *_after hashes (not *_before).
	"syscheck-modified-manager-000-whodata.json": {
		"fim file syscheck file MD5=24b5c44ecb0a40a22e3a238dfdff5812,SHA-1=632d126b7b2f9130db0f93fa644c507c2482158d,SHA-256=36386bc5a3388b25c62e5d2c857443ae6958911bf00300ff595d04484aa75e15",
	},
	// A Windows path is still a file.
	"syscheck-added-windows-unicode-path.json": {
		"fim file syscheck file MD5=a7d1b9477a3949100b6d9802db181115,SHA-1=75bc1687ba4833bd4f434d88070a064940428b24,SHA-256=fb9f1174c3578c88c6608b313de618dbd40bb1b1fb84f56bd857f66b036ae61f",
	},
	// Deleted: not looked up.
	"syscheck-deleted-linux.json": nil,
	// The md5, sha1, sha256 columns as one file.
	"osquery-pack-file-hashes.json": {
		"osquery file data.osquery.columns file MD5=d0edb5c1b07295cd140485a5e0702f6d,SHA-1=680393a5f14f75ddab145e85888b080f37a02617,SHA-256=fdc22f60ed8dcf5536a8d95a478345a99de2b6fb1ead4a4da099e574ce9784e4",
	},
	// address 127.0.0.1 is loopback; the hostnames column is not read.
	"osquery-etc-hosts-loopback-ignored.json": nil,
	// action "removed" (and sha256 empty anyway): nothing.
	"osquery-columns-missing-sha256.json": nil,
	// sshd: data.srcip, public IPv6 (the agent's documentation-range
	// address is not part of the event).
	"misc-sshd-invalid-user-ipv6-agent-labels-cluster.json": {
		"generic-addresses source data.srcip ipv6-addr 2a01:4f8:c17:1b2e::1",
	},
	// No data at all.
	"misc-manager-started-no-data.json": nil,
	// Our own event: skipped before any extractor runs.
	"misc-own-opencti-event-loop-guard.json": nil,
	// No agent or manager, a custom JSON decoder: the generic extractor
	// reads data.dstip only; data.url and data.md5 are keys without an
	// agreed meaning, left to users' own extractors.
	"misc-missing-agent-and-manager.json": {
		"generic-addresses destination data.dstip ipv4-addr 151.101.65.69",
	},
}

// handSkipped is the Skipped reason of the alerts that yield nothing.
var handSkipped = map[string]string{
	"sysmon-eid3-private-smb-ignored.json":     "dropped by the policy: 10.40.12.31 (private 10.0.0.0/8), 172.16.8.20 (private 172.16.0.0/12)",
	"sysmon-eid22-local-names-ignored.json":    "dropped by the policy: ::1 (loopback ::1/128), 127.0.0.1 (loopback 127.0.0.0/8), fe80::1 (link-local fe80::/10) and 2 more; invalid: data.win.eventdata.queryName (domain-name: a single label: not a fully qualified name)",
	"sysmon-eid22-overlong-qname.json":         "invalid: data.win.eventdata.queryName (domain-name: longer than 253 octets)",
	"sysmon-eid11-file-create-no-hashes.json":  "no extractor found an observable",
	"suricata-alert-private-only-ignored.json": "dropped by the policy: 10.40.12.200 (private 10.0.0.0/8), 172.16.8.20 (private 172.16.0.0/12)",
	"suricata-alert-very-long-url.json":        "dropped by the policy: 203.0.113.77 (documentation 203.0.113.0/24), 10.40.0.80 (private 10.0.0.0/8), http://10.40.0.80/search?q=%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%4… (host private 10.0.0.0/8)",
	"syscheck-deleted-linux.json":              "fim: deleted files are not looked up",
	"osquery-etc-hosts-loopback-ignored.json":  "dropped by the policy: 127.0.0.1 (loopback 127.0.0.0/8)",
	"osquery-columns-missing-sha256.json":      "osquery: rows removed from a result are not looked up",
	"misc-manager-started-no-data.json":        "no extractor found an observable",
	"misc-own-opencti-event-loop-guard.json":   "the alert is an event of the opencti integration itself",
}
