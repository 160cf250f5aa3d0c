package opencti

import (
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// LookupResult is what Client.Lookup found.
type LookupResult struct {
	// Observables are the observables that matched a value or hash looked
	// up, once each (by ID), in the server's order.
	Observables []Observable
	// Indicators are the STIX indicators whose pattern is one of the
	// patterns looked up (see Lookup), once each, in the server's order.
	Indicators []Indicator
	// Requests is the number of HTTP requests made, retries included.
	Requests int
	// Truncated is set when a bound cut the results short: the page limit
	// (WithMaxPages), or NestedLimit on a list nested in an observable.
	Truncated bool
}

// Observable is an OpenCTI cyber-observable ("SCO").
type Observable struct {
	ID              string // OpenCTI's internal id, as in the dashboard's links
	StandardID      string // STIX id, e.g. "ipv4-addr--…"
	EntityType      string // "IPv4-Addr", "IPv6-Addr", "Domain-Name", "Hostname", "Url", "Email-Addr", "StixFile"
	ObservableValue string // OpenCTI's display value: the value, or a file's name or hash
	Value           string // value of an address, name, URL or e-mail address
	// Hashes of a file: algorithm ("MD5", "SHA-1", "SHA-256", "SHA-512", or
	// another as OpenCTI names it) → value; hex values of the four
	// algorithms above are lower case.
	Hashes             map[string]string
	Name               string // file name
	Size               *int64 // file size in bytes; nil when unknown
	Description        string // x_opencti_description
	Score              *int   // x_opencti_score; nil when unset
	Labels             []string
	Markings           []Marking
	CreatedBy          *Identity
	ExternalReferences []ExternalReference
	CreatedAt          time.Time // when OpenCTI created it
	UpdatedAt          time.Time
	// Indicators are the observable's own indicators (those "based-on" it).
	Indicators []Indicator
	// Related are the observables at the other end of its relationships,
	// in either direction, restricted to the observable types this package
	// decodes.
	Related []Relation
	// Matches are the observables passed to Lookup that this one answers.
	Matches []stix.Observable
}

// Relation is a relationship between a matching observable and another one.
type Relation struct {
	RelationshipType string // "resolves-to", "related-to", "belongs-to", …
	// Incoming is set when the related observable is the source of the
	// relationship: "Observable resolves-to <the matching observable>".
	Incoming bool
	// Observable is the related observable: ID, StandardID, EntityType,
	// ObservableValue, Value (not for files), Score and its own Indicators
	// are set; its Related is always empty, and it carries no Matches.
	Observable Observable
}

// Indicator is an OpenCTI indicator.
type Indicator struct {
	ID                 string // OpenCTI's internal id
	StandardID         string // STIX id, "indicator--…"
	Name               string
	Description        string
	Pattern            string
	PatternType        string // "stix", "yara", "sigma", …
	PatternVersion     string
	MainObservableType string // x_opencti_main_observable_type, e.g. "IPv4-Addr"
	ValidFrom          time.Time
	ValidUntil         *time.Time // nil when the indicator does not expire
	Revoked            bool
	Confidence         *int  // 0–100; nil when unset
	Score              *int  // x_opencti_score, 0–100; nil when unset
	Detection          *bool // x_opencti_detection; nil when unset
	IndicatorTypes     []string
	Platforms          []string // x_mitre_platforms
	KillChainPhases    []stix.KillChainPhase
	Labels             []string
	Markings           []Marking
	CreatedBy          *Identity
	ExternalReferences []ExternalReference
	Created            time.Time // STIX created
	Modified           time.Time // STIX modified
	CreatedAt          time.Time // when OpenCTI created it
	UpdatedAt          time.Time
	// Matches are the observables passed to Lookup that the indicator's
	// pattern is about: it is one of the patterns sent for them, or it tests
	// one of their values, possibly together with other conditions (compare
	// patterns with stix.Pattern.Equivalent to tell an exact match).
	Matches []stix.Observable
}

// Expired reports whether the indicator's validity ended before now.
func (i Indicator) Expired(now time.Time) bool {
	return i.ValidUntil != nil && !i.ValidUntil.IsZero() && i.ValidUntil.Before(now)
}

// Marking is a data marking such as {"TLP", "TLP:AMBER"} or
// {"PAP", "PAP:GREEN"}.
type Marking struct {
	DefinitionType string
	Definition     string
	StandardID     string // STIX id of the marking definition
}

// Identity is the author of an object (its createdBy).
type Identity struct {
	ID         string
	StandardID string // STIX id, "identity--…"
	Name       string
}

// ExternalReference points to a source outside OpenCTI.
type ExternalReference struct {
	SourceName  string
	Description string
	URL         string
	ExternalID  string
}
