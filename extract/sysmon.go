package extract

import (
	"strings"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// Sysmon through Wazuh's eventchannel decoder: data.win.system holds the
// channel and event ID, data.win.eventdata the event's fields with
// lower-camel names.
const (
	sysmonChannel   = "Microsoft-Windows-Sysmon/Operational"
	sysmonEventData = "data.win.eventdata."
)

// sysmonEvents is a set of Sysmon event IDs (1–63) as a bit mask.
type sysmonEvents uint64

func (s sysmonEvents) has(id int) bool { return id > 0 && id < 64 && s&(1<<id) != 0 }

// sysmonHashEvents carry a Hashes (or Hash) field: process create 1,
// driver load 6, image load 7, file stream hash 15, file delete 23 and 26,
// clipboard 24, process tampering 25.
const sysmonHashEvents sysmonEvents = 1<<1 | 1<<6 | 1<<7 | 1<<15 | 1<<23 | 1<<24 | 1<<25 | 1<<26

// sysmonEventsOf returns the Sysmon events an alert is about: those named
// by its rule groups in any ruleset's spelling (sysmon_event1,
// sysmon_event_10, sysmon_eid3_detections), and the event ID in the data
// when the channel is Sysmon's, so local rules with their own groups work.
func sysmonEventsOf(a *wazuh.Alert) sysmonEvents {
	var ev sysmonEvents
	for _, g := range a.Rule.Groups {
		if id := sysmonGroupEvent(g); id > 0 {
			ev |= 1 << id
		}
	}
	if ch, ok := str(a.Field("data.win.system.channel")); ok && strings.EqualFold(strings.TrimSpace(ch), sysmonChannel) {
		if id, ok := a.Field("data.win.system.eventID").Int(); ok && id > 0 && id < 64 {
			ev |= 1 << id
		}
	}
	return ev
}

// sysmonGroupEvent returns the event ID a rule group names, or 0.
func sysmonGroupEvent(g string) int {
	var rest string
	switch {
	case strings.HasPrefix(g, "sysmon_event_"):
		rest = g[len("sysmon_event_"):]
	case strings.HasPrefix(g, "sysmon_event"):
		rest = g[len("sysmon_event"):]
	case strings.HasPrefix(g, "sysmon_eid") && strings.HasSuffix(g, "_detections"):
		rest = g[len("sysmon_eid") : len(g)-len("_detections")]
	default:
		return 0
	}
	if rest == "" || len(rest) > 2 {
		return 0
	}
	id := 0
	for i := 0; i < len(rest); i++ {
		if rest[i] < '0' || rest[i] > '9' {
			return 0
		}
		id = id*10 + int(rest[i]-'0')
	}
	if id >= 64 {
		return 0
	}
	return id
}

// sysmonHashes: the hashes of the image, loaded image or file of the event.
func sysmonHashes(c *collector, a *wazuh.Alert) {
	if c.sysmonEvents(a)&sysmonHashEvents == 0 && !a.HasGroup("sysmon_process-anomalies") {
		return
	}
	for _, field := range [...]string{sysmonEventData + "hashes", sysmonEventData + "hash"} {
		s, ok := str(a.Field(field))
		if !ok {
			continue
		}
		hashes := ParseSysmonHashes(s)
		if len(hashes) == 0 {
			c.rejectReason(field, s, "file: no MD5, SHA-1, SHA-256 or SHA-512 hash")
			continue
		}
		c.file(field, hashes)
		return
	}
}

// sysmonNetwork: event 3, the connection's addresses.
func sysmonNetwork(c *collector, a *wazuh.Alert) {
	if !c.sysmonEvents(a).has(3) {
		return
	}
	c.address(a, sysmonEventData+"sourceIp", RoleSource)
	c.address(a, sysmonEventData+"destinationIp", RoleDestination)
}

// sysmonDNS: event 22, the query name (also when there is no answer:
// NXDOMAIN is worth a lookup) and the answers.
func sysmonDNS(c *collector, a *wazuh.Alert) {
	if !c.sysmonEvents(a).has(22) {
		return
	}
	c.name(a, sysmonEventData+"queryName", RoleQuery)
	field := sysmonEventData + "queryResults"
	if s, ok := str(a.Field(field)); ok {
		for _, o := range ParseDNSQueryResults(s) {
			c.add(o, field, RoleAnswer)
		}
	}
}

// ParseSysmonHashes parses Sysmon's Hashes field,
// "SHA1=…,MD5=…,SHA256=…,IMPHASH=…", into the hashes a file observable can
// hold: MD5, SHA-1, SHA-256 and SHA-512, lower-cased, in canonical order.
//
// It is lenient, as the field's content depends on the Sysmon
// configuration and on whatever rewrote the event on its way: entries are
// separated by commas or semicolons, white space and case do not matter,
// algorithm names may be spelled SHA1, SHA-1 or sha_1. Entries it cannot
// use are skipped without affecting the others: unknown algorithms
// (IMPHASH), junk without "=", empty values, values of the wrong length or
// not hexadecimal. When an algorithm appears twice, the first valid value
// wins.
func ParseSysmonHashes(s string) []stix.Hash {
	var found [4]stix.Hash // indexed like canonical order
	n := 0
	for len(s) > 0 {
		var entry string
		entry, s = nextEntry(s, ",;")
		eq := strings.IndexByte(entry, '=')
		if eq < 0 {
			continue
		}
		alg, err := stix.ParseHashAlgorithm(strings.TrimSpace(entry[:eq]))
		if err != nil {
			continue
		}
		slot := hashSlot(alg)
		if slot < 0 || found[slot].Value != "" {
			continue
		}
		h, err := stix.NewHash(alg, strings.TrimSpace(entry[eq+1:]))
		if err != nil {
			continue
		}
		found[slot] = h
		n++
	}
	if n == 0 {
		return nil
	}
	out := make([]stix.Hash, 0, n)
	for _, h := range found {
		if h.Value != "" {
			out = append(out, h)
		}
	}
	return out
}

// hashSlot is the canonical position of an algorithm, -1 for others.
func hashSlot(alg stix.HashAlgorithm) int {
	switch alg {
	case stix.MD5:
		return 0
	case stix.SHA1:
		return 1
	case stix.SHA256:
		return 2
	case stix.SHA512:
		return 3
	}
	return -1
}

// ParseDNSQueryResults parses Sysmon's QueryResults field (event 22) into
// the answers it holds, in order, each once: IPv4 and IPv6 addresses
// (IPv4-mapped ones as IPv4, IPv6 in canonical compressed form) and the
// names of "type:  5 name" CNAME entries as domain names.
//
// Entries are separated by semicolons; white space around them does not
// matter. Sysmon writes records other than A and AAAA as "type:  N value";
// only type 5 (CNAME) becomes a name. A bare name is taken as a name too.
// Entries that are none of these are skipped without affecting the others.
// The policy is not applied: private addresses are returned as well.
func ParseDNSQueryResults(s string) []stix.Observable {
	var out []stix.Observable
	for len(s) > 0 {
		var entry string
		entry, s = nextEntry(s, ";")
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		o := parseDNSEntry(entry)
		if o == nil {
			continue
		}
		dup := false
		for _, p := range out {
			if p == o {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, o)
		}
	}
	return out
}

// parseDNSEntry parses one entry of QueryResults, or returns nil.
func parseDNSEntry(e string) stix.Observable {
	if rest, ok := cutPrefixFold(e, "type:"); ok {
		rest = strings.TrimSpace(rest)
		i := 0
		for i < len(rest) && '0' <= rest[i] && rest[i] <= '9' {
			i++
		}
		if rest[:i] != "5" {
			return nil
		}
		d, err := stix.NewDomainName(strings.TrimSpace(rest[i:]))
		if err != nil {
			return nil
		}
		return d
	}
	if o, err := ParseAddress(e); err == nil {
		return o
	}
	if looksLikeAddress(e) {
		return nil
	}
	if d, err := stix.NewDomainName(e); err == nil {
		return d
	}
	return nil
}

// nextEntry splits s at the first of the separator bytes.
func nextEntry(s, seps string) (entry, rest string) {
	if i := strings.IndexAny(s, seps); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// cutPrefixFold is strings.CutPrefix ignoring ASCII case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
