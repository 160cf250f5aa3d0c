package openctitest

import (
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// The data the fake serves: a bundle's objects as OpenCTI presents them.
// A store is built once by loadBundle and only read afterwards, so the
// resolvers of concurrent requests share it without locking.

// OpenCTI entity types of the observables the fake serves, by STIX type.
var entityTypes = map[string]string{
	stix.TypeIPv4Addr:   "IPv4-Addr",
	stix.TypeIPv6Addr:   "IPv6-Addr",
	stix.TypeDomainName: "Domain-Name",
	stix.TypeHostname:   "Hostname",
	stix.TypeURL:        "Url",
	stix.TypeEmailAddr:  "Email-Addr",
	stix.TypeFile:       "StixFile",
}

// Parent types as OpenCTI lists them in parent_types: the types: argument,
// the fromTypes/toTypes arguments and the entity_type filter match them too.
var (
	observableParents = []string{"Stix-Cyber-Observable", "Stix-Core-Object", "Stix-Object", "Basic-Object"}
	indicatorParents  = []string{"Stix-Domain-Object", "Stix-Core-Object", "Stix-Object", "Basic-Object"}
)

type store struct {
	observables   []*observable // bundle order
	indicators    []*indicator  // bundle order
	relationships []*relationship
	byID          map[string]node // internal id, standard id and bundle id
}

// node is an object that can be the end of a relationship: an observable or
// an indicator.
type node interface{ base() *entity }

// entity holds what every served object has.
type entity struct {
	ordinal    int      // position in its list: the sort key of cursors
	internalID string   // OpenCTI's internal id (a UUID)
	standardID string   // the STIX id OpenCTI computes
	stixIDs    []string // standard id first, then the bundle's id if different
	bundleID   string
	entityType string
	parents    []string
	createdAt  time.Time
	updatedAt  time.Time
	createdBy  *identity
	markings   []*marking
	labels     []string
	extRefs    []stix.ExternalReference
	relations  []*relationship // either end is this object, bundle order
}

func (e *entity) base() *entity { return e }

// isA reports whether the entity's type or one of its parent types is t,
// ignoring case.
func (e *entity) isA(t string) bool {
	if foldEqual(e.entityType, t) {
		return true
	}
	for _, p := range e.parents {
		if foldEqual(p, t) {
			return true
		}
	}
	return false
}

type observable struct {
	entity
	value       string // every type but StixFile
	hashes      []hash // StixFile
	name        string // StixFile
	size        *int64 // StixFile
	score       *int
	description *string
	indicators  []*indicator // "based-on" this observable
}

type hash struct{ algorithm, value string }

// observableValue is OpenCTI's observable_value: the value, or for a file
// its strongest hash, else its name.
func (o *observable) observableValue() string {
	if o.entityType != "StixFile" {
		return o.value
	}
	for _, alg := range []string{"SHA-512", "SHA-256", "SHA-1", "MD5"} {
		if v, ok := o.hash(alg); ok {
			return v
		}
	}
	if o.name != "" {
		return o.name
	}
	return "Unknown"
}

func (o *observable) hash(alg string) (string, bool) {
	for _, h := range o.hashes {
		if h.algorithm == alg {
			return h.value, true
		}
	}
	return "", false
}

type indicator struct {
	entity
	name               string
	description        *string
	pattern            string
	patternType        string
	patternVersion     *string
	indicatorTypes     []string
	validFrom          *time.Time
	validUntil         *time.Time
	revoked            bool // as in the bundle; see revokedAt
	confidence         *int
	score              *int
	detection          *bool
	mainObservableType string
	platforms          []string
	killChainPhases    []stix.KillChainPhase
	created, modified  time.Time
}

// revokedAt is the revoked flag OpenCTI shows at time now: its indicator
// manager revokes an indicator once valid_until has passed.
func (i *indicator) revokedAt(now time.Time) bool {
	return i.revoked || (i.validUntil != nil && !i.validUntil.After(now))
}

type relationship struct {
	entity
	relationshipType string
	description      *string
	from, to         node
}

type identity struct {
	internalID, standardID, name, class string
}

type marking struct {
	internalID, standardID, definitionType, definition string
}
