package extract

import (
	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// Role says what an observable is in the alert it came from.
type Role string

// The roles a Finding can have.
const (
	RoleSource      Role = "source"      // source address
	RoleDestination Role = "destination" // destination address
	RoleAddress     Role = "address"     // an address whose direction is unknown
	RoleQuery       Role = "query"       // DNS question name
	RoleAnswer      Role = "answer"      // DNS answer (address or CNAME target)
	RoleHost        Role = "host"        // HTTP host, TLS SNI
	RoleURL         Role = "url"         // a URL
	RoleURLHost     Role = "url-host"    // the host of a URL found in the alert
	RoleFile        Role = "file"        // file hashes
)

// Finding is one observable found in an alert, with the context worth
// reporting about it.
type Finding struct {
	// Observable is valid and normalised: it comes from a stix constructor.
	Observable stix.Observable `json:"observable"`
	// Field is where the observable came from: a dotted path from the
	// alert root, such as "data.win.eventdata.queryName". A file built
	// from several hash fields names the object holding them ("syscheck",
	// "data.fileinfo"); the host of a URL names the URL's field.
	Field string `json:"field"`
	// Role is what the value is in the alert.
	Role Role `json:"role"`
	// Extractor is the name of the extractor that found the observable
	// first. The Set fills it in; extractors leave it empty.
	Extractor string `json:"extractor"`
}

// Extractor finds observables in an alert.
//
// Extract must be pure: no I/O, no state kept between calls, safe for
// concurrent use, and it must not panic on any alert. It returns valid
// observables only (values from the stix constructors; anything a
// constructor rejects is left out), in a deterministic order. It does not
// filter by policy: a Set drops private addresses, ignored hashes and
// names centrally, so every extractor behaves the same under a Policy.
type Extractor interface {
	// Name identifies the extractor in a Set and in reports; it is short,
	// lower case, with hyphens, such as "sysmon-dns".
	Name() string
	// Extract returns the observables found in a.
	Extract(a *wazuh.Alert) []Finding
}

// Func returns an Extractor with the given name that calls f, as
// http.HandlerFunc makes a Handler of a function. A nil f finds nothing.
func Func(name string, f func(a *wazuh.Alert) []Finding) Extractor {
	return funcExtractor{name: name, f: f}
}

type funcExtractor struct {
	name string
	f    func(a *wazuh.Alert) []Finding
}

func (e funcExtractor) Name() string { return e.name }

func (e funcExtractor) Extract(a *wazuh.Alert) []Finding {
	if e.f == nil || a == nil {
		return nil
	}
	return e.f(a)
}
