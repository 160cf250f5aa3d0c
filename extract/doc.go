// Package extract finds the indicators of compromise in a Wazuh alert: it
// turns an alert into STIX cyber-observables (file hashes, addresses, domain
// names, URLs) worth looking up in threat intelligence.
//
// An Extractor reads one kind of alert and returns Findings: a stix
// observable, the alert field it came from and its Role there. A Set runs
// extractors in order and applies a Policy centrally (which addresses are
// public, which hashes and names to ignore, how many observables per
// alert). Default returns a Set of every built-in extractor; users add their
// own with Func and Set.With, remove built-ins with Set.Without, or build a
// Set from scratch with NewSet — from their own module, without editing
// this one.
//
//	set := extract.Default().With(extract.Func("app-download", myExtractor))
//	res := set.Extract(alert)
//	for _, f := range res.Findings { … f.Observable, f.Field, f.Role, f.Extractor … }
//	if len(res.Findings) == 0 { log.Print("nothing to look up: ", res.Skipped) }
//
// # Built-in extractors
//
// In the order they run. "Sysmon event N" means a rule group sysmon_eventN,
// sysmon_event_N or sysmon_eidN_detections, or data.win.system.channel
// Microsoft-Windows-Sysmon/Operational with data.win.system.eventID N.
// Fields without a prefix are under data.win.eventdata (Sysmon) or data.
//
//	name               selected by                               fields read                                 observables (role)
//	-----------------  ----------------------------------------  ------------------------------------------  -------------------------------------
//	sysmon-hashes      Sysmon event 1, 6, 7, 15, 23, 24, 25, 26  hashes, or hash (event 15)                  file: MD5, SHA-1, SHA-256, SHA-512 (file)
//	                   or group sysmon_process-anomalies
//	sysmon-network     Sysmon event 3                            sourceIp, destinationIp                     ipv4/ipv6-addr (source, destination)
//	sysmon-dns         Sysmon event 22                           queryName                                   domain-name (query), also without answers
//	                                                             queryResults (see ParseDNSQueryResults)     ipv4/ipv6-addr, CNAME domain-name (answer)
//	suricata           group suricata or ids, or                 src_ip, dest_ip, srcip, dstip               ipv4/ipv6-addr (source, destination)
//	                   data.event_type an EVE event type         dns.rrname, dns.query[].rrname,             domain-name (query)
//	                                                             dns.queries[].rrname
//	                                                             dns.answers[] and dns.answer.answers[]      A/AAAA address, CNAME domain-name (answer)
//	                                                             (rrtype, rdata), dns[.answer].grouped
//	                                                             http.hostname                               domain-name or address (host)
//	                                                             http.url with http.hostname, http_port      url (url)
//	                                                             tls.sni                                     domain-name or address (host)
//	                                                             fileinfo.md5, sha1, sha256, sha512          file (file)
//	packetbeat-dns     data.method QUERY with data.dns           dns.question.name                           domain-name (query)
//	                                                             dns.answers[] type A, AAAA, CNAME: data     address, CNAME domain-name (answer)
//	fim                group syscheck_file, or location          syscheck.md5_after, sha1_after,             file (file)
//	                   syscheck with syscheck.path; event        sha256_after
//	                   added or modified; not registry
//	osquery            group osquery or osquery_file, or         osquery.columns (or each row of             file from md5, sha1, sha256 (file)
//	                   location osquery; action not removed      osquery.snapshot[]): md5, sha1, sha256,     ipv4/ipv6-addr (address)
//	                                                             remote_address, address, local_address
//	audit-urls         group audit_command, or                   audit.execve.a0, a1, … (hex-encoded         url (url)
//	                   data.audit.execve present                 arguments decoded)
//	generic-addresses  any alert the suricata and packetbeat-    srcip, dstip, src_ip, dest_ip               ipv4/ipv6-addr (source, destination)
//	                   dns extractors do not select
//
// Every URL, whichever extractor found it, is followed by its host: a
// domain name or an address with RoleURLHost and the URL's field, unless
// the host is already a finding or is neither a valid name nor a valid
// address ("localhost", "127.1"). OpenCTI
// stores URLs as exact strings, so a logged URL with a query string rarely
// matches while its host often does. Names are always domain-name
// observables; a lookup client may match hostname observables of the same
// value as well.
//
// Choices the table does not show:
//   - File observables carry hashes only, never a file name, although
//     Sysmon has image, imageLoaded and targetFilename and FIM has the path.
//     A name is an identifier-contributing property of a STIX file, so the
//     same binary under two paths would be two observables, and OpenCTI keys
//     file observables by hash. (Sysmon's doubled backslashes are therefore
//     irrelevant here.) Only MD5, SHA-1, SHA-256 and SHA-512 are kept;
//     IMPHASH and other algorithms are skipped.
//   - Sysmon event 3's destinationHostname is not read: Sysmon fills it by
//     reverse lookup of the destination, so it names the address's owner
//     (often a CDN), not what the process asked for.
//   - Suricata's http.url is usually the request target ("/path?q"); the
//     URL is "http://" + http.hostname + [":" + http_port when not 80] +
//     target. Suricata only sees HTTP in clear text, hence the scheme.
//     Flow ports are not used: which side is the server depends on the
//     direction of the packet that raised the alert.
//   - The generic extractor reads only the four address fields. Keys such
//     as data.url or data.md5 in arbitrary decoders have no agreed meaning
//     (the MD5 of what?), so they are for a user's own extractor (see
//     examples/custom-extractor).
//   - FIM: deleted files are not looked up (the file is gone; it was
//     looked up when added or modified); registry events (groups
//     syscheck_registry*, paths under HKEY_, syscheck.value_name) give no
//     file observable, since their hashes are of value data. osquery rows
//     with action "removed" are not looked up either.
//   - Invalid values of single-valued fields (a 300-byte name, a malformed
//     hash, "999.1.1.1" in an address field) are dropped and listed in
//     Result.Invalid. Inside list fields (Sysmon hashes and queryResults,
//     DNS answers) a bad token is skipped without a record, so that the
//     others still count; a URL host that is not a valid name or address
//     gives no host finding. Placeholders ("", "-", "null", "(NULL)") count
//     as absent. Numbers where strings are expected are
//     read as their text and judged like any value.
//   - Our own events (the alerts the integration's events become) are
//     never looked up: see Policy.IntegrationName.
//
// # Order, deduplication and the cap
//
// A Set runs its extractors in order; each extractor reports its fields in
// the fixed order of the table. Observables are deduplicated by STIX
// identifier: the first finding wins, and its Extractor names the extractor
// that found it. The Policy then drops what it rejects (Result.Dropped, with
// a reason) and keeps at most Policy.MaxObservables of the rest, in that
// order. The result depends on the alert and the Set only.
package extract
