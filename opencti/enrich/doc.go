// Package enrich turns an OpenCTI lookup result into the events a Wazuh
// integration writes back to analysisd: the heart of the reference
// integration examples/custom-opencti, as a library so that a user's own
// binary (with extractors of their own) writes exactly the same events.
//
// It is not a client and does no I/O: the caller extracts observables from
// an alert (package extract), looks them up (package opencti) and sends the
// events this package builds (package wazuh).
//
// # Events
//
// Every event is a JSON object {"integration": "opencti", "opencti": {…}}
// whose opencti.event_type is one of:
//
//   - indicator_pattern_match: an indicator whose pattern is equivalent to
//     the canonical pattern of a value that was looked up. Patterns are
//     compared as parsed STIX patterns (package stix), so spacing, quoting of
//     path steps and the case of hash hex do not matter.
//   - indicator_partial_pattern_match: an indicator found through the
//     pattern filter whose pattern is not equivalent to a queried one (a
//     compound pattern, or one that does not parse).
//   - observable_with_indicator: an observable that matched a looked-up
//     value and has indicators of its own.
//   - observable_with_related_indicator: an observable that matched, has no
//     indicator of its own left to report, and is related (resolves-to,
//     related-to, …) to an observable that has one.
//   - error: the lookup failed; opencti.error says why.
//
// The field names are those of the Python integration this replaces, so
// existing Wazuh rules keep matching; fields added since are documented in
// examples/custom-opencti/README.md. Empty values (null, "", [], {}) are left
// out, numeric zero and false are kept.
//
// # Ranking and caps
//
// Indicators are ranked best first: not revoked, detection on, higher
// x_opencti_score, higher confidence, not expired; a missing score or
// confidence ranks below any present one, missing detection counts as off.
// Ties are broken by the later update, then by id, so the order never
// depends on the server's. At most Config.MaxIndicatorEvents indicator events
// and Config.MaxObservableEvents observable events are written per alert,
// and no indicator is reported twice for one alert.
//
// # Size
//
// analysisd reads at most 65,535 bytes per datagram and cuts the rest, which
// would leave invalid JSON. Events are therefore shrunk to fit
// Config.MaxEventSize: the longest lists are shortened first, then the
// longest strings, and the event is marked "truncated": true. An event is
// never cut blindly.
package enrich
