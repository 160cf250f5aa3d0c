// Package stix is the STIX 2.1 vocabulary of wazuh-opencti: the
// cyber-observables that lookups need, their deterministic identifiers and
// normalisation, indicators, bundles and the patterning language.
//
// It holds values only: no I/O, and it imports nothing else of the module.
package stix
