package opencti

import "github.com/wazuh-opencti/wazuh-opencti/stix"

// patternEqualities are the values a STIX pattern is about: every equality
// it tests, including those ANDed with other conditions, normalised by
// package stix. An unparsable pattern has none.
func patternEqualities(pattern string) []stix.Equality {
	p, err := stix.ParsePattern(pattern)
	if err != nil {
		return nil
	}
	return p.Equalities()
}
