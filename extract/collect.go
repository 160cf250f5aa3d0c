package extract

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// builtin is an extractor of this package. It writes into a collector, so
// besides findings it can report invalid values and why it found nothing,
// which the Set turns into Result.Invalid and Result.Skipped.
type builtin struct {
	name string
	fn   func(c *collector, a *wazuh.Alert)
}

func (b *builtin) Name() string { return b.name }

// Extract runs the extractor alone, for callers outside a Set.
func (b *builtin) Extract(a *wazuh.Alert) []Finding {
	if a == nil {
		return nil
	}
	c := collector{extractor: b.name}
	b.fn(&c, a)
	for i := range c.findings {
		c.findings[i].Extractor = ""
	}
	return c.findings
}

func (b *builtin) run(c *collector, a *wazuh.Alert) { b.fn(c, a) }

// collector gathers the findings of every extractor of a Set for one alert:
// it deduplicates by identifier and adds the host of each URL.
type collector struct {
	extractor string // the one running now
	findings  []Finding
	ids       []string            // findings[i].Observable.ID()
	seen      map[string]struct{} // ids as a set, once there are many
	invalid   []Invalid
	notes     []string

	// What several extractors ask about the alert, computed once. A
	// collector serves one alert.
	sysmon     sysmonEvents // bit 0 set once computed
	suricata   tristate
	packetbeat tristate
}

// tristate memoises a predicate: unknown, no or yes.
type tristate uint8

const (
	unknown tristate = iota
	no
	yes
)

func (t *tristate) get(f func() bool) bool {
	if *t == unknown {
		*t = no
		if f() {
			*t = yes
		}
	}
	return *t == yes
}

func (c *collector) sysmonEvents(a *wazuh.Alert) sysmonEvents {
	if c.sysmon == 0 {
		c.sysmon = sysmonEventsOf(a) | 1
	}
	return c.sysmon
}

func (c *collector) isSuricata(a *wazuh.Alert) bool {
	return c.suricata.get(func() bool { return isSuricata(a) })
}

func (c *collector) isPacketbeatDNS(a *wazuh.Alert) bool {
	return c.packetbeat.get(func() bool { return isPacketbeatDNS(a) })
}

// linearLimit is the number of findings up to which a linear search of ids
// beats building a map; typical alerts have fewer than ten.
const linearLimit = 16

func (c *collector) known(id string) bool {
	if c.seen != nil {
		_, ok := c.seen[id]
		return ok
	}
	for _, k := range c.ids {
		if k == id {
			return true
		}
	}
	return false
}

func (c *collector) remember(id string) {
	c.ids = append(c.ids, id)
	if c.seen != nil {
		c.seen[id] = struct{}{}
	} else if len(c.ids) > linearLimit {
		c.seen = make(map[string]struct{}, 2*len(c.ids))
		for _, k := range c.ids {
			c.seen[k] = struct{}{}
		}
	}
}

// addFinding records f (from any extractor) unless its observable is
// already known; a URL brings its host along.
func (c *collector) addFinding(f Finding) {
	if f.Observable == nil {
		c.invalid = append(c.invalid, Invalid{Field: f.Field, Extractor: c.extractor, Reason: "the extractor returned no observable"})
		return
	}
	id := f.Observable.ID()
	if id == "" {
		c.invalid = append(c.invalid, Invalid{Field: f.Field, Extractor: c.extractor, Reason: "the extractor returned an invalid " + f.Observable.Type() + " observable"})
		return
	}
	if c.known(id) {
		return
	}
	c.remember(id)
	f.Extractor = c.extractor
	if c.findings == nil {
		c.findings = make([]Finding, 0, 4) // most alerts have a few
	}
	c.findings = append(c.findings, f)
	if u, ok := f.Observable.(interface{ Host() string }); ok && f.Observable.Type() == stix.TypeURL {
		// OpenCTI stores URLs as exact strings, so a logged URL with its
		// query string rarely matches while its host often does.
		if h, err := ParseHost(u.Host()); err == nil {
			c.addFinding(Finding{Observable: h, Field: f.Field, Role: RoleURLHost})
		}
	}
}

func (c *collector) add(o stix.Observable, field string, role Role) {
	c.addFinding(Finding{Observable: o, Field: field, Role: role})
}

// reject records a value that no constructor accepted.
func (c *collector) reject(field, value string, err error) {
	reason := err.Error()
	var ve *stix.ValueError
	if errors.As(err, &ve) {
		reason = ve.Type + ": " + ve.Reason
	}
	c.rejectReason(field, value, reason)
}

func (c *collector) rejectReason(field, value, reason string) {
	c.invalid = append(c.invalid, Invalid{Field: field, Value: shorten(value, 80), Extractor: c.extractor, Reason: reason})
}

// note records why an extractor that applies to the alert found nothing.
func (c *collector) note(s string) { c.notes = append(c.notes, c.extractor+": "+s) }

// address records every address in the field.
func (c *collector) address(a *wazuh.Alert, field string, role Role) {
	c.addressValue(field, a.Field(field), role)
}

// addressValue records every address in v, found at field.
func (c *collector) addressValue(field string, v wazuh.Value, role Role) {
	eachString(v, func(s string) {
		if o, err := ParseAddress(s); err == nil {
			c.add(o, field, role)
		} else {
			c.reject(field, s, err)
		}
	})
}

// host records every host (address or name) in the field.
func (c *collector) host(a *wazuh.Alert, field string, role Role) {
	eachString(a.Field(field), func(s string) { c.hostValue(field, s, role) })
}

func (c *collector) hostValue(field, s string, role Role) {
	if o, err := ParseHost(s); err == nil {
		c.add(o, field, role)
	} else {
		c.reject(field, s, err)
	}
}

// name records every domain name in the field.
func (c *collector) name(a *wazuh.Alert, field string, role Role) {
	c.nameValues(field, a.Field(field), role)
}

func (c *collector) nameValues(field string, v wazuh.Value, role Role) {
	eachString(v, func(s string) { c.nameValue(field, s, role) })
}

func (c *collector) nameValue(field, s string, role Role) {
	if d, err := stix.NewDomainName(s); err == nil {
		c.add(d, field, role)
	} else {
		c.reject(field, s, err)
	}
}

// urlValue records the URL s.
func (c *collector) urlValue(field, s string, role Role) {
	if u, err := stix.NewURL(s); err == nil {
		c.add(u, field, role)
	} else {
		c.reject(field, s, err)
	}
}

// hashes validates the hash fields of obj (MD5, SHA-1, SHA-256, SHA-512
// under the given keys, "" for none) and records one file observable of
// the valid ones. Absent values are skipped silently, invalid ones are
// reported.
func (c *collector) hashes(field string, obj wazuh.Value, keys [4]string) {
	var hs []stix.Hash
	for i, alg := range [...]stix.HashAlgorithm{stix.MD5, stix.SHA1, stix.SHA256, stix.SHA512} {
		if keys[i] == "" {
			continue
		}
		s, ok := str(obj.Get(keys[i]))
		if !ok {
			continue
		}
		h, err := stix.NewHash(alg, strings.TrimSpace(s))
		if err != nil {
			c.reject(field+"."+keys[i], s, err)
			continue
		}
		hs = append(hs, h)
	}
	c.file(field, hs)
}

// file records a file observable of the hashes, if any.
func (c *collector) file(field string, hashes []stix.Hash) {
	if len(hashes) == 0 {
		return
	}
	f, err := stix.NewFile("", hashes...)
	if err != nil {
		c.reject(field, "", err)
		return
	}
	c.add(f, field, RoleFile)
}

// str returns a value as a string when it holds one. Numbers and booleans
// give their JSON text (Wazuh writes most numbers as strings anyway).
// Missing, null, empty and the placeholders "-", "null" and "(NULL)" count
// as absent.
func str(v wazuh.Value) (string, bool) {
	s, ok := v.String()
	if !ok {
		return "", false
	}
	switch t := strings.TrimSpace(s); {
	case t == "", t == "-", strings.EqualFold(t, "null"), strings.EqualFold(t, "(null)"):
		return "", false
	}
	return s, true
}

// eachString calls f with the value when it is a string (see str), or with
// each such element when it is an array.
func eachString(v wazuh.Value, f func(string)) {
	if arr := v.Array(); arr != nil {
		for _, e := range arr {
			if s, ok := str(e); ok {
				f(s)
			}
		}
		return
	}
	if s, ok := str(v); ok {
		f(s)
	}
}

// shorten cuts s to at most n bytes on a rune boundary, marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
