// Package openctitest is a fake OpenCTI server for tests, in the spirit of
// net/http/httptest: it serves the objects of a STIX 2.1 bundle through
// OpenCTI's GraphQL API on a loopback port.
//
//	srv, err := openctitest.NewServer(bundle)
//	if err != nil { … }
//	defer srv.Close()
//	client, err := opencti.New(srv.GraphQLURL(), srv.Token)
//
// NewHandler returns the same fake as an http.Handler, for a program that
// serves it itself (examples/fake-opencti does).
//
// # A real GraphQL engine
//
// Queries are parsed, validated and executed by
// github.com/graph-gophers/graphql-go against the schema of package opencti
// (opencti.Schema), so what the client can send, the fake can answer, and a
// query that is not valid against that schema fails as on a real server.
// The fake adds a few parts of OpenCTI's schema the client does not use,
// each exactly as upstream declares it: the root fields
// stixCyberObservable(id) and indicator(id), cursors on edges,
// PageInfo.startCursor, hasPreviousPage and globalCount, the ids of
// MarkingDefinition, MeUser and StixCoreRelationship, Indicator.entity_type,
// and Indicator as a member of the union of relationship ends.
//
// Errors come back with HTTP status 200 and OpenCTI's codes in
// extensions.code:
//   - GRAPHQL_PARSE_FAILED for a document that does not parse,
//     GRAPHQL_VALIDATION_FAILED for one that is not valid against the
//     schema, BAD_USER_INPUT for variables of the wrong type;
//   - AUTH_REQUIRED on every root field when the request has no
//     "Authorization: Bearer <token>" header or a wrong token;
//   - GRAPHQL_VALIDATION_FAILED when one root field appears more than twice
//     in the operation, under aliases or through fragments (OpenCTI's
//     protection against alias batching);
//   - FORBIDDEN_ACCESS for introspection (__schema, __type), which OpenCTI
//     forbids unless its playground is on;
//   - UNSUPPORTED_ERROR for filter keys that exist nowhere in OpenCTI
//     ("Incorrect filter keys not existing in any schema definition"), and
//     for keys and operators the fake does not implement;
//   - FUNCTIONAL_ERROR for a filter key path that does not resolve, such
//     as hashes.SHA256 ("Schema definition named [hashes] is missing mapping
//     for attribute [SHA256]", as on OpenCTI 6), and for bad cursors.
//
// # The data, as OpenCTI presents it
//
// Observables of the types of package stix become IPv4-Addr, IPv6-Addr,
// Domain-Name, Hostname, Url, Email-Addr and StixFile entities with
// observable_value (a file's SHA-512, SHA-256, SHA-1 or MD5, else its name),
// value or hashes, name and size. Their score, description, labels, author
// and external references are read from x_opencti_score,
// x_opencti_description, x_opencti_labels, x_opencti_created_by_ref and
// x_opencti_external_references (the description also from description,
// labels and the rest from the standard properties), or from an OpenCTI
// property extension, where they have no prefix (score, description, …), as
// OpenCTI's exports carry them.
// Indicators keep pattern, pattern_type, pattern_version, name,
// description, indicator_types, valid_from, valid_until, revoked,
// confidence, kill chain phases, labels, x_opencti_score,
// x_opencti_detection, x_opencti_main_observable_type (derived from the
// pattern when absent) and x_mitre_platforms. An indicator whose valid_until
// has passed is served as revoked, as OpenCTI's indicator manager revokes it
// (WithClock sets the clock).
//
// Marking definitions become the objectMarking of the objects that list
// them in object_marking_refs, named as OpenCTI names them: a STIX TLP
// marking {"tlp": "amber"} is definition_type "TLP", definition
// "TLP:AMBER". Identities become the createdBy of the objects that
// reference them (an Individual when identity_class is "individual", an
// Organization otherwise).
//
// Relationships between served objects appear in the stixCoreRelationships
// of both ends, restricted by fromTypes and toTypes (entity types or parent
// types such as Stix-Cyber-Observable); a based-on relationship from an
// indicator to an observable also puts the indicator in the observable's
// indicators.
//
// Each object has an internal id, a UUID distinct from its standard_id as
// on a real server: the one an OpenCTI export carries in its property
// extension, else one derived from the STIX id, stable across runs. An
// observable's standard_id is its deterministic STIX id; the root fields
// stixCyberObservable(id) and indicator(id) accept either id. created_at
// and updated_at come from the object's created and modified (or the
// created_at and updated_at of an OpenCTI export); observables, which have
// no timestamps in STIX, take the newest timestamp of the bundle.
//
// # Filters
//
// stixCyberObservables and indicators take OpenCTI's FilterGroup (OpenCTI
// 5.12 and later): filters and nested filterGroups joined by the group's
// mode, and or or; within a filter, values joined by its mode (default or)
// and several keys matching when any key does (all keys for not_eq and nil).
// Comparisons ignore case and diacritics, like OpenCTI's keyword normaliser.
// The operators are eq (the default), not_eq, nil and not_nil. The keys are
// value, name, hashes.MD5, hashes.SHA-1, hashes.SHA-256, hashes.SHA-512
// (and SHA3-256, SHA3-512, SSDEEP, TLSH), entity_type, ids, internal_id,
// standard_id, x_opencti_score, and for indicators pattern, pattern_type,
// pattern_version, x_opencti_main_observable_type, indicator_types, revoked,
// confidence, x_opencti_detection and x_mitre_platforms. As on OpenCTI, a
// key an object does not have matches nothing: a pattern filter on
// observables, a value filter on files. The types argument of
// stixCyberObservables takes entity types or parent types.
//
// Lists are paginated with first (default 500, at most 5000) and after:
// cursors are opaque and stable while a server runs, and pageInfo reports
// whether there is a next page.
//
// # Faults, latency and the request log
//
// WithFault and Handler.SetFault inject failures: an HTML error page with
// status 500 (or another), malformed JSON, a body cut in the middle, a
// GraphQL error with a chosen code, authentication failures, a reset
// connection; Fault.Times limits one to the next requests. WithLatency and
// Handler.SetLatency delay the answers. Both may change while requests are
// served. Handler.Requests returns the requests received (query, operation
// name, variables, headers), with the token redacted.
//
// # Bundles
//
// NewServer and NewHandler refuse a bundle, with an error matching
// ErrInvalidBundle that names the object at fault, when an object cannot be
// decoded (an invalid observable value, an indicator without pattern), when
// two objects have the same id or two observables the same value, when a
// created_by_ref does not name an identity of the bundle, an
// object_marking_refs entry a marking definition of the bundle, or a
// relationship's source or target an object of the bundle, and when a
// based-on relationship does not go from an indicator to an observable.
// Objects of other types (reports, malware, sightings, …) are accepted and
// not served, nor are relationships that end at one. Indicator patterns are
// served as they are, even when they do not parse: OpenCTI holds such
// indicators too, and clients must cope with them.
//
// # The demo bundle
//
// DemoBundle is a small bundle of invented indicators of compromise in
// documentation address ranges (RFC 5737, RFC 3849) and reserved names
// (.example, RFC 2606), written so that every kind of finding of the
// reference integration shows up. Everything in it is served. The author
// of everything is the organization "Example CERT"; scores are
// x_opencti_score.
//
//	value                                    type         indicators (score)                        demonstrates
//	198.51.100.23                            IPv4-Addr    C2 server (90, TLP:AMBER, live);          pattern match and observable with indicator;
//	                                                      2025 campaign (60, revoked, expired);     ranking of a live indicator over a revoked one;
//	                                                      compound EXAMPLE-42 C2 (80)               a partial (compound) pattern match
//	2001:db8::bad:c2                         IPv6-Addr    C2 server (70)                            IPv6 lookups
//	c2.evil.example                          Domain-Name  C2 domain (85);                           domain lookups; resolves-to 198.51.100.23
//	                                                      compound EXAMPLE-42 C2 (80)               and 2001:db8::bad:c2
//	update.bad.example                       Domain-Name  none                                      observable with related indicator: it
//	                                                                                                resolves-to 203.0.113.66, which has one
//	203.0.113.66                             IPv4-Addr    Malicious hosting (75)                    the related address
//	invoice.pdf.exe, 75 bytes                StixFile     Dropper (95), on its SHA-256              hash lookups by MD5, SHA-1 or SHA-256;
//	  MD5     e1e2287c5fb63e3ae5d93e6d9e4850a8                                                      related-to the URL below
//	  SHA-1   c3d39b6dc573e652efe87fa7a0585b8ec479b461
//	  SHA-256 4b68996ab324a028d8604b08601ade05144feb6998862131d7bbfcf04c92bda0
//	http://dl.bad.example/stage2.bin         Url          Second stage URL (80)                     URL lookups
//	mail.phish.example                       Hostname     Phishing mail server (60)                 names stored as Hostname
//	billing@phish.example                    Email-Addr   Phishing sender (65)                      e-mail lookups
//	192.0.2.10                               IPv4-Addr    Internet scanner (0, detection false,     score 0 and false kept, not dropped;
//	                                                      TLP:CLEAR; observable score 0)            TLP:CLEAR
//
// The compound indicator's pattern is
// [domain-name:value = 'c2.evil.example'] OR [ipv4-addr:value = '198.51.100.23'],
// based on both observables. The markings are TLP:AMBER (the STIX 2.1 TLP
// marking, marking-definition--f88d31f6-486f-44da-b317-01333bde0b82) on
// everything except the scanner, which is TLP:CLEAR (in OpenCTI's own
// form). Indicators have labels, kill chain phases of mitre-attack and
// x_mitre_platforms; the address 198.51.100.23, the file and their
// indicators have external references to cert.example.org. The file
// content hashed is the 75 bytes "wazuh-opencti demo payload: harmless text
// standing in for a malicious file\n".
package openctitest
