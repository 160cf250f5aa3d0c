// Package wazuhopencti is the root of a Go module that enriches Wazuh alerts
// with threat intelligence from OpenCTI. It holds no code; this comment is
// the map of the module.
//
// The module is two things. It is a library that Go developers import into
// their own security tools, and it is a reference Wazuh integration,
// examples/custom-opencti, that replaces the Python custom-opencti.py
// integration as a drop-in: same file name and install place, same
// ossec.conf block, events the same Wazuh rules match.
//
// # How an alert flows through the packages
//
//	wazuh-integratord argv
//	   │
//	   ▼
//	wazuh     Invocation (argv, options file), Alert (typed core + dotted-path access to data)
//	   │
//	   ▼
//	extract   Set of Extractors → findings: STIX observables plus the alert field they came from
//	   │
//	   ▼
//	opencti   Client.Lookup: one GraphQL request for all observables of the alert
//	   │
//	   ▼
//	enrich    ranking, caps, links, source context → events ({"integration":"opencti",...})
//	   │
//	   ▼
//	wazuh     Queue.Send: one datagram per event to analysisd's queue socket
//
// Each package is passed through once and nothing calls back up the chain.
//
// # Packages
//
//   - stix: STIX 2.1 cyber-observables (file, ipv4-addr, ipv6-addr,
//     domain-name, url, email-addr and OpenCTI's hostname), deterministic
//     identifiers, indicators, bundles, and the patterning language
//     (builder, parser, equivalence). Pure values; imports nothing of ours.
//   - wazuh: the Wazuh side of any integration: alerts, the argv forms of
//     wazuh-integratord, the options file, the analysisd queue socket and the
//     integrations.log handler for log/slog. Imports nothing of ours.
//   - extract: pluggable extractors that turn an alert into observables, a
//     Set that runs them, and the Policy (which addresses are public, which
//     hashes and names to ignore). Users add their own extractors.
//   - opencti: a typed OpenCTI GraphQL client generated with genqlient;
//     opencti/openctitest is a fake OpenCTI server for tests, in the spirit of
//     net/http/httptest.
//   - opencti/enrich: turns an alert's findings and a lookup result into the
//     events the integration writes, so users' own binaries produce the same
//     events as the reference integration.
//
// # Programs
//
//   - examples/custom-opencti: the reference integration. Besides the
//     integratord entry point it has the subcommands demo, explain and check.
//   - examples/fake-opencti: the fake OpenCTI server as a command, to test a
//     Wazuh setup without a real OpenCTI.
//   - examples/custom-extractor: a user's own binary that adds an extractor to
//     the defaults.
package wazuhopencti
