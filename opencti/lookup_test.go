package opencti

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// Hashes of "abc" and "hello", as test values.
const (
	abcMD5    = "900150983cd24fb0d6963f7d28e17f72"
	abcSHA1   = "a9993e364706816aba3e25717850c26c9cd0d89d"
	abcSHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	abcSHA512 = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
	helloSHA  = "2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824"
)

func hash(alg stix.HashAlgorithm, v string) stix.Hash { return must(stix.NewHash(alg, v)) }

// mixed is a lookup of every kind: addresses, a block, names, a URL, an
// e-mail address, a file with each hash algorithm, a file with one
// upper-case hash, a file known by name only, and a duplicate.
type mixed struct {
	ip4, ip6, block, domain, host, url, mail, abc, hello, named stix.Observable
}

func newMixed() mixed {
	return mixed{
		ip4:    must(stix.NewIPv4Addr("198.51.100.7")),
		ip6:    must(stix.NewIPv6Addr("2001:DB8:0:0::7")),
		block:  must(stix.NewIPv4Addr("203.0.113.0/24")),
		domain: must(stix.NewDomainName("C2.Example.")),
		host:   must(stix.NewHostname("ws-fin-0231")),
		url:    must(stix.NewURL("http://c2.example/gate.php?id=7")),
		mail:   must(stix.NewEmailAddr("phish@example.com")),
		abc: must(stix.NewFile("", hash(stix.SHA512, abcSHA512), hash(stix.MD5, abcMD5),
			hash(stix.SHA256, abcSHA256), hash(stix.SHA1, abcSHA1))),
		hello: must(stix.NewFile("", hash(stix.SHA256, helloSHA))),
		named: must(stix.NewFile("invoice.pdf.exe")),
	}
}

func (m mixed) all() []stix.Observable {
	return []stix.Observable{m.ip4, m.ip6, m.block, m.domain, m.host, m.url, m.mail, m.abc, m.hello, m.named, m.ip4, nil}
}

// TestLookupRequest checks the exact request of a mixed lookup: one POST
// with both root fields, the Authorization header, and the body in
// testdata/lookup_request.json (the query alone in lookup_query.graphql).
func TestLookupRequest(t *testing.T) {
	srv := newTestServer(t, answerFile(t, "lookup_response.json"))
	c, _ := newTestClient(t, srv.GraphQLURL())
	res, err := c.Lookup(context.Background(), newMixed().all())
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || res.Requests != 1 {
		t.Fatalf("made %d requests (result says %d), want 1", len(reqs), res.Requests)
	}
	r := reqs[0]
	checks := []struct{ what, got, want string }{
		{"method", r.Method, http.MethodPost},
		{"path", r.Path, "/graphql"},
		{"Authorization", r.Header.Get("Authorization"), "Bearer " + testToken},
		{"Content-Type", r.Header.Get("Content-Type"), "application/json"},
		{"User-Agent", r.Header.Get("User-Agent"), "wazuh-opencti/" + moduleVersion()},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, r.Body, "", "  "); err != nil {
		t.Fatalf("request body is not JSON: %v", err)
	}
	pretty.WriteByte('\n')
	golden(t, "lookup_request.json", pretty.Bytes())
	var body struct{ Query string }
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatal(err)
	}
	golden(t, "lookup_query.graphql", []byte(strings.TrimPrefix(body.Query, "\n")))
}

// TestLookupFilters checks the filters and patterns Lookup derives from
// its input, kind by kind.
func TestLookupFilters(t *testing.T) {
	m := newMixed()
	tests := []struct {
		name     string
		in       []stix.Observable
		types    []string
		filters  []filter
		patterns []string
	}{
		{
			name:    "address",
			in:      []stix.Observable{m.ip4},
			types:   []string{"IPv4-Addr"},
			filters: []filter{eqFilter("value", []string{"198.51.100.7"})},
			patterns: []string{
				"[ipv4-addr:value = '198.51.100.7']",
				"[ipv4-addr:value = '198.51.100.7/32']",
			},
		},
		{
			name:     "block",
			in:       []stix.Observable{m.block},
			types:    []string{"IPv4-Addr"},
			filters:  []filter{eqFilter("value", []string{"203.0.113.0/24"})},
			patterns: []string{"[ipv4-addr:value = '203.0.113.0/24']"},
		},
		{
			name:    "IPv6 address",
			in:      []stix.Observable{m.ip6},
			types:   []string{"IPv6-Addr"},
			filters: []filter{eqFilter("value", []string{"2001:db8::7"})},
			patterns: []string{
				"[ipv6-addr:value = '2001:db8::7']",
				"[ipv6-addr:value = '2001:db8::7/128']",
			},
		},
		{
			name:    "domain name is also a hostname",
			in:      []stix.Observable{m.domain},
			types:   []string{"Domain-Name", "Hostname"},
			filters: []filter{eqFilter("value", []string{"c2.example"})},
			patterns: []string{
				"[domain-name:value = 'c2.example']",
				"[hostname:value = 'c2.example']",
			},
		},
		{
			name:    "hostname is also a domain name",
			in:      []stix.Observable{m.host},
			types:   []string{"Domain-Name", "Hostname"},
			filters: []filter{eqFilter("value", []string{"ws-fin-0231"})},
			patterns: []string{
				"[hostname:value = 'ws-fin-0231']",
				"[domain-name:value = 'ws-fin-0231']",
			},
		},
		{
			name:     "url and e-mail",
			in:       []stix.Observable{m.url, m.mail},
			types:    []string{"Url", "Email-Addr"},
			filters:  []filter{eqFilter("value", []string{"http://c2.example/gate.php?id=7", "phish@example.com"})},
			patterns: []string{"[url:value = 'http://c2.example/gate.php?id=7']", "[email-addr:value = 'phish@example.com']"},
		},
		{
			name:  "file with every hash",
			in:    []stix.Observable{m.abc},
			types: []string{"StixFile"},
			filters: []filter{
				eqFilter("hashes.MD5", []string{abcMD5}),
				eqFilter("hashes.SHA-1", []string{abcSHA1}),
				eqFilter("hashes.SHA-256", []string{abcSHA256}),
				eqFilter("hashes.SHA-512", []string{abcSHA512}),
			},
			patterns: []string{
				"[file:hashes.MD5 = '" + abcMD5 + "']",
				"[file:hashes.'MD5' = '" + abcMD5 + "']",
				"[file:hashes.'SHA-1' = '" + abcSHA1 + "']",
				"[file:hashes.SHA-1 = '" + abcSHA1 + "']",
				"[file:hashes.'SHA-256' = '" + abcSHA256 + "']",
				"[file:hashes.SHA-256 = '" + abcSHA256 + "']",
				"[file:hashes.'SHA-512' = '" + abcSHA512 + "']",
				"[file:hashes.SHA-512 = '" + abcSHA512 + "']",
				m.abc.Pattern(),
			},
		},
		{
			name:     "file by name",
			in:       []stix.Observable{m.named},
			types:    []string{"StixFile"},
			filters:  []filter{eqFilter("name", []string{"invoice.pdf.exe"})},
			patterns: []string{"[file:name = 'invoice.pdf.exe']"},
		},
		{
			name:  "values and hashes together, duplicates once",
			in:    []stix.Observable{m.hello, m.ip4, m.domain, m.ip4, m.hello},
			types: []string{"IPv4-Addr", "Domain-Name", "Hostname", "StixFile"},
			filters: []filter{
				eqFilter("value", []string{"198.51.100.7", "c2.example"}),
				eqFilter("hashes.SHA-256", []string{strings.ToLower(helloSHA)}),
			},
			patterns: []string{
				"[file:hashes.'SHA-256' = '" + strings.ToLower(helloSHA) + "']",
				"[file:hashes.SHA-256 = '" + strings.ToLower(helloSHA) + "']",
				"[ipv4-addr:value = '198.51.100.7']",
				"[ipv4-addr:value = '198.51.100.7/32']",
				"[domain-name:value = 'c2.example']",
				"[hostname:value = 'c2.example']",
			},
		},
		{name: "nothing", in: []stix.Observable{nil, stix.IPv4Addr{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newLookupQuery(tt.in)
			if diff := cmp.Diff(tt.types, q.types, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("types (-want +got):\n%s", diff)
			}
			wantObs := filterGroup{Mode: "or", Filters: tt.filters}
			if diff := cmp.Diff(wantObs, q.observableFilters, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("observable filters (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.patterns, q.patterns, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("patterns (-want +got):\n%s", diff)
			}
			wantInd := filterGroup{Mode: "and", Filters: []filter{
				eqFilter("pattern_type", []string{"stix"}),
				eqFilter("pattern", tt.patterns),
			}}
			if diff := cmp.Diff(wantInd, q.indicatorFilters, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("indicator filters (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLookupNothingToLookUp(t *testing.T) {
	srv := newTestServer(t, answerJSON(`{}`))
	c, _ := newTestClient(t, srv.GraphQLURL())
	for _, in := range [][]stix.Observable{nil, {}, {nil}, {stix.DomainName{}}, {(*stix.IPv4Addr)(nil)}} {
		res, err := c.Lookup(context.Background(), in)
		if err != nil || res == nil || res.Requests != 0 || len(res.Observables)+len(res.Indicators) != 0 {
			t.Errorf("Lookup(%v) = %+v, %v; want an empty result, no error, no request", in, res, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("server got %d requests, want none", n)
	}
}

// TestLookupDecodes checks every field of testdata/lookup_response.json,
// nulls included, and which inputs each finding answers.
func TestLookupDecodes(t *testing.T) {
	srv := newTestServer(t, answerFile(t, "lookup_response.json"))
	c, _ := newTestClient(t, srv.GraphQLURL())
	m := newMixed()
	got, err := c.Lookup(context.Background(), m.all())
	if err != nil {
		t.Fatal(err)
	}

	at := func(s string) time.Time { return must(time.Parse(time.RFC3339, s)) }
	certExample := &Identity{ID: "org-1", StandardID: "identity--0b9a6c3e-3c1d-5a0b-9d2e-5b0c1d2e3f40", Name: "CERT Example"}
	amber := []Marking{{DefinitionType: "TLP", Definition: "TLP:AMBER", StandardID: "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"}}
	c2Address := Indicator{
		ID:                 "5d0c7a9e-2222-4b6f-8c3a-000000000001",
		StandardID:         "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
		Name:               "C2 address",
		Description:        "Seen in campaign X",
		Pattern:            "[ipv4-addr:value = '198.51.100.7']",
		PatternType:        "stix",
		PatternVersion:     "2.1",
		MainObservableType: "IPv4-Addr",
		ValidFrom:          at("2026-03-01T00:00:00Z"),
		ValidUntil:         ptr(at("2026-09-01T00:00:00Z")),
		Confidence:         ptr(75),
		Score:              ptr(80),
		Detection:          ptr(true),
		IndicatorTypes:     []string{"malicious-activity"},
		Platforms:          []string{"windows", "linux"},
		KillChainPhases:    []stix.KillChainPhase{{KillChainName: "mitre-attack", PhaseName: "command-and-control"}},
		Labels:             []string{"c2"},
		Markings:           amber,
		CreatedBy:          certExample,
		ExternalReferences: []ExternalReference{{SourceName: "mitre-attack", Description: "Application Layer Protocol", URL: "https://attack.mitre.org/techniques/T1071/", ExternalID: "T1071"}},
		Created:            at("2026-02-28T09:00:00Z"),
		Modified:           at("2026-03-01T09:00:00Z"),
		CreatedAt:          at("2026-03-01T10:00:01Z"),
		UpdatedAt:          at("2026-03-02T11:30:01Z"),
		Matches:            []stix.Observable{m.ip4},
	}
	want := &LookupResult{
		Requests: 1,
		Observables: []Observable{
			{
				ID:                 "0a6e4d1e-1111-4c1a-9d0e-000000000001",
				StandardID:         "ipv4-addr--f7e5ab0c-1c4e-5e43-8ad7-1b7b4c5d0a11",
				EntityType:         "IPv4-Addr",
				ObservableValue:    "198.51.100.7",
				Value:              "198.51.100.7",
				Description:        "Command and control server",
				Score:              ptr(80),
				Labels:             []string{"c2", "botnet"},
				Markings:           amber,
				CreatedBy:          certExample,
				ExternalReferences: []ExternalReference{{SourceName: "abuse.example", URL: "https://abuse.example/ip/198.51.100.7", ExternalID: "AB-1"}},
				CreatedAt:          at("2026-03-01T10:00:00Z"),
				UpdatedAt:          at("2026-03-02T11:30:00Z"),
				Indicators:         []Indicator{c2Address},
				Related: []Relation{{
					RelationshipType: "resolves-to",
					Incoming:         true,
					Observable: Observable{
						ID:              "0a6e4d1e-1111-4c1a-9d0e-000000000002",
						StandardID:      "domain-name--3c3b1f4a-7a8e-5b6c-9d0e-1f2a3b4c5d6e",
						EntityType:      "Domain-Name",
						ObservableValue: "c2.example",
						Value:           "c2.example",
					},
				}},
				Matches: []stix.Observable{m.ip4},
			},
			{
				ID:              "0a6e4d1e-1111-4c1a-9d0e-000000000002",
				StandardID:      "domain-name--3c3b1f4a-7a8e-5b6c-9d0e-1f2a3b4c5d6e",
				EntityType:      "Domain-Name",
				ObservableValue: "C2.Example",
				Value:           "C2.Example",
				Score:           ptr(0),
				CreatedAt:       at("2026-03-01T10:00:00Z"),
				UpdatedAt:       at("2026-03-01T10:00:00Z"),
				Related: []Relation{{
					RelationshipType: "resolves-to",
					Observable: Observable{
						ID:              "0a6e4d1e-1111-4c1a-9d0e-000000000001",
						StandardID:      "ipv4-addr--f7e5ab0c-1c4e-5e43-8ad7-1b7b4c5d0a11",
						EntityType:      "IPv4-Addr",
						ObservableValue: "198.51.100.7",
						Value:           "198.51.100.7",
						Score:           ptr(80),
						Indicators: []Indicator{{
							ID:          "5d0c7a9e-2222-4b6f-8c3a-000000000002",
							StandardID:  "indicator--1f0e9d8c-7b6a-4594-8372-615049382716",
							Name:        "198.51.100.7",
							Pattern:     "[ipv4-addr:value = '198.51.100.7']",
							PatternType: "stix",
							ValidFrom:   at("2026-03-01T00:00:00Z"),
							Revoked:     true,
							Confidence:  ptr(0),
							Score:       ptr(0),
							Detection:   ptr(false),
							CreatedAt:   at("2026-03-01T10:00:02Z"),
							UpdatedAt:   at("2026-03-01T10:00:02Z"),
							Matches:     []stix.Observable{m.ip4},
						}},
					},
				}},
				Matches: []stix.Observable{m.domain},
			},
			{
				ID:              "0a6e4d1e-1111-4c1a-9d0e-000000000003",
				StandardID:      "file--6d3c1b2a-4f5e-5d6c-8b7a-9f8e7d6c5b4a",
				EntityType:      "StixFile",
				ObservableValue: strings.ToUpper(abcSHA256),
				Hashes: map[string]string{
					"SHA-256": abcSHA256,
					"MD5":     abcMD5,
					"SSDEEP":  "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C",
				},
				Name:      "dropper.exe",
				Size:      ptr[int64](1024),
				CreatedAt: at("2026-03-03T08:00:00Z"),
				UpdatedAt: at("2026-03-03T08:00:00Z"),
				Matches:   []stix.Observable{m.abc},
			},
			{
				ID:              "0a6e4d1e-1111-4c1a-9d0e-000000000004",
				StandardID:      "email-addr--2b3c4d5e-6f70-5182-9304-a5b6c7d8e9f0",
				EntityType:      "Email-Addr",
				ObservableValue: "phish@example.com",
				CreatedAt:       at("2026-03-04T08:00:00Z"),
				UpdatedAt:       at("2026-03-04T08:00:00Z"),
				Matches:         []stix.Observable{m.mail},
			},
		},
		Indicators: []Indicator{
			c2Address,
			{
				ID:                 "5d0c7a9e-2222-4b6f-8c3a-000000000003",
				StandardID:         "indicator--0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5",
				Name:               "Dropper",
				Pattern:            "[file:hashes.'SHA-256' = '" + strings.ToUpper(abcSHA256) + "']",
				PatternType:        "stix",
				PatternVersion:     "2.1",
				MainObservableType: "StixFile",
				Created:            at("2026-03-03T08:00:00Z"),
				Modified:           at("2026-03-03T08:00:00Z"),
				CreatedAt:          at("2026-03-03T08:00:01Z"),
				UpdatedAt:          at("2026-03-03T08:00:01Z"),
				Matches:            []stix.Observable{m.abc},
			},
			{
				ID:                 "5d0c7a9e-2222-4b6f-8c3a-000000000004",
				StandardID:         "indicator--9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
				Name:               "c2 host",
				Pattern:            "[hostname:value = 'c2.example']",
				PatternType:        "stix",
				PatternVersion:     "2.1",
				MainObservableType: "Hostname",
				ValidFrom:          at("2026-01-01T00:00:00Z"),
				ValidUntil:         ptr(at("2026-02-01T00:00:00Z")),
				Revoked:            true,
				Confidence:         ptr(50),
				Score:              ptr(40),
				Detection:          ptr(false),
				Created:            at("2026-01-01T00:00:00Z"),
				Modified:           at("2026-02-01T00:00:00Z"),
				CreatedAt:          at("2026-01-01T00:00:01Z"),
				UpdatedAt:          at("2026-02-01T00:00:01Z"),
				Matches:            []stix.Observable{m.domain},
			},
		},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateComparable(stix.IPv4Addr{}, stix.DomainName{}, stix.File{}, stix.EmailAddr{})); diff != "" {
		t.Errorf("Lookup result (-want +got):\n%s", diff)
	}
}

// TestLookupMatches checks which inputs a found observable or indicator
// answers.
func TestLookupMatches(t *testing.T) {
	m := newMixed()
	q := newLookupQuery(m.all())
	obsTests := []struct {
		name string
		o    Observable
		want []stix.Observable
	}{
		{"address", Observable{EntityType: "IPv4-Addr", Value: "198.51.100.7"}, []stix.Observable{m.ip4}},
		{"address as a one-address block", Observable{EntityType: "IPv4-Addr", Value: "198.51.100.7/32"}, []stix.Observable{m.ip4}},
		{"block", Observable{EntityType: "IPv4-Addr", Value: "203.0.113.0/24"}, []stix.Observable{m.block}},
		{"address in a block is not the block", Observable{EntityType: "IPv4-Addr", Value: "203.0.113.9"}, nil},
		{"IPv6 in another spelling", Observable{EntityType: "IPv6-Addr", Value: "2001:0db8::0007"}, []stix.Observable{m.ip6}},
		{"hostname entity for a domain input", Observable{EntityType: "Hostname", Value: "C2.EXAMPLE"}, []stix.Observable{m.domain}},
		{"domain entity for a hostname input", Observable{EntityType: "Domain-Name", ObservableValue: "ws-fin-0231"}, []stix.Observable{m.host}},
		{"value of another type", Observable{EntityType: "Url", Value: "c2.example"}, nil},
		{"url", Observable{EntityType: "Url", Value: "http://c2.example/gate.php?id=7"}, []stix.Observable{m.url}},
		{"file by one hash", Observable{EntityType: "StixFile", Hashes: map[string]string{"SHA-1": abcSHA1}}, []stix.Observable{m.abc}},
		{"file by name", Observable{EntityType: "StixFile", Name: "Invoice.pdf.exe"}, []stix.Observable{m.named}},
		{"file answering two inputs", Observable{EntityType: "StixFile", Name: "invoice.pdf.exe", Hashes: map[string]string{"SHA-256": strings.ToLower(helloSHA)}}, []stix.Observable{m.hello, m.named}},
		{"unknown type", Observable{EntityType: "Mac-Addr", Value: "198.51.100.7"}, nil},
	}
	opt := cmpopts.EquateComparable(stix.IPv4Addr{}, stix.IPv6Addr{}, stix.DomainName{}, stix.Hostname{}, stix.URL{}, stix.File{}, stix.EmailAddr{})
	for _, tt := range obsTests {
		t.Run("observable/"+tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, q.observableMatches(&tt.o), opt); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
		})
	}
	indTests := []struct {
		name, pattern string
		want          []stix.Observable
	}{
		{"canonical", "[ipv4-addr:value = '198.51.100.7']", []stix.Observable{m.ip4}},
		{"case", "[IPV4-ADDR:value = '198.51.100.7']", []stix.Observable{m.ip4}},
		{"one-address block", "[ipv4-addr:value = '198.51.100.7/32']", []stix.Observable{m.ip4}},
		{"hostname for a domain", "[hostname:value = 'c2.example']", []stix.Observable{m.domain}},
		{"quoted MD5", "[file:hashes.'MD5' = '" + abcMD5 + "']", []stix.Observable{m.abc}},
		{"unquoted SHA-256", "[file:hashes.SHA-256 = '" + strings.ToLower(helloSHA) + "']", []stix.Observable{m.hello}},
		{"whole file pattern", m.abc.Pattern(), []stix.Observable{m.abc}},
		{"other value", "[ipv4-addr:value = '198.51.100.8']", nil},
		{"other spacing", "[ipv4-addr:value='198.51.100.7']", []stix.Observable{m.ip4}},
		{"upper-case hash in another spelling", "[file:hashes.sha256 = '" + helloSHA + "']", []stix.Observable{m.hello}},
		{"compound", "[ipv4-addr:value = '198.51.100.7' OR domain-name:value = 'C2.example'] AND [file:name = 'invoice.pdf.exe']",
			[]stix.Observable{m.ip4, m.domain, m.named}},
		{"address in IN", "[ipv6-addr:value IN ('2001:db8:0::7', '2001:db8::8')]", []stix.Observable{m.ip6}},
		{"negated", "[ipv4-addr:value != '198.51.100.7']", nil},
		{"not STIX", "rule x { condition: true }", nil},
	}
	for _, tt := range indTests {
		t.Run("indicator/"+tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, q.indicatorMatches(tt.pattern), opt); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
		})
	}
}

// page is a canned answer of the lookup query with one observable and one
// indicator per root field that is present.
func page(obsID, obsCursor string, obsMore bool, indID, indCursor string, indMore bool) string {
	var parts []string
	if obsID != "" {
		parts = append(parts, fmt.Sprintf(`"stixCyberObservables":{"pageInfo":{"endCursor":%q,"hasNextPage":%t},"edges":[{"node":{"__typename":"IPv4Addr","id":%q,"standard_id":"ipv4-addr--x","entity_type":"IPv4-Addr","observable_value":"198.51.100.7","value":"198.51.100.7","created_at":"2026-03-01T10:00:00Z","updated_at":"2026-03-01T10:00:00Z"}}]}`,
			obsCursor, obsMore, obsID))
	}
	if indID != "" {
		parts = append(parts, fmt.Sprintf(`"indicators":{"pageInfo":{"endCursor":%q,"hasNextPage":%t},"edges":[{"node":{"id":%q,"standard_id":"indicator--x","name":"n","pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix","revoked":false,"created_at":"2026-03-01T10:00:00Z","updated_at":"2026-03-01T10:00:00Z"}}]}`,
			indCursor, indMore, indID))
	}
	return `{"data":{` + strings.Join(parts, ",") + `}}`
}

// lookupVariables decodes the paging variables of a recorded request.
type lookupVariables struct {
	First            int    `json:"first"`
	NestedFirst      int    `json:"nestedFirst"`
	ObservablesAfter string `json:"observablesAfter"`
	IndicatorsAfter  string `json:"indicatorsAfter"`
	WithObservables  bool   `json:"withObservables"`
	WithIndicators   bool   `json:"withIndicators"`
}

func variablesOf(t *testing.T, r recorded) lookupVariables {
	t.Helper()
	var body struct{ Variables lookupVariables }
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatal(err)
	}
	return body.Variables
}

// TestLookupPagination follows the pages of each root field separately,
// over one connection.
func TestLookupPagination(t *testing.T) {
	srv := newTestServer(t,
		answerJSON(page("o1", "oc1", true, "i1", "ic1", true)),
		answerJSON(page("o2", "oc2", false, "i2", "ic2", true)),
		answerJSON(page("", "", false, "i3", "ic3", false)),
	)
	c, _ := newTestClient(t, srv.GraphQLURL(), WithPageSize(1), WithMaxPages(5))
	res, err := c.Lookup(context.Background(), []stix.Observable{newMixed().ip4})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, o := range res.Observables {
		ids = append(ids, o.ID)
	}
	for _, i := range res.Indicators {
		ids = append(ids, i.ID)
	}
	if diff := cmp.Diff([]string{"o1", "o2", "i1", "i2", "i3"}, ids); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if res.Requests != 3 || res.Truncated {
		t.Errorf("Requests = %d, Truncated = %t; want 3, false", res.Requests, res.Truncated)
	}
	var vars []lookupVariables
	for _, r := range srv.Requests() {
		vars = append(vars, variablesOf(t, r))
	}
	want := []lookupVariables{
		{First: 1, NestedFirst: NestedLimit, WithObservables: true, WithIndicators: true},
		{First: 1, NestedFirst: NestedLimit, ObservablesAfter: "oc1", IndicatorsAfter: "ic1", WithObservables: true, WithIndicators: true},
		{First: 1, NestedFirst: NestedLimit, IndicatorsAfter: "ic2", WithIndicators: true},
	}
	if diff := cmp.Diff(want, vars); diff != "" {
		t.Errorf("paging variables (-want +got):\n%s", diff)
	}
	if n := srv.Conns(); n != 1 {
		t.Errorf("pages used %d connections, want 1", n)
	}
}

func TestLookupPageLimit(t *testing.T) {
	srv := newTestServer(t, answerJSON(page("o1", "c1", true, "i1", "d1", true)))
	c, _ := newTestClient(t, srv.GraphQLURL(), WithMaxPages(2))
	res, err := c.Lookup(context.Background(), []stix.Observable{newMixed().ip4})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 2 || !res.Truncated || len(srv.Requests()) != 2 {
		t.Errorf("Requests = %d, Truncated = %t, server saw %d; want 2, true, 2", res.Requests, res.Truncated, len(srv.Requests()))
	}
}

// TestLookupNestedTruncation: a nested list cut at NestedLimit sets
// Truncated, whichever list it is.
func TestLookupNestedTruncation(t *testing.T) {
	more := `{"pageInfo":{"hasNextPage":true},"edges":[]}`
	for _, tt := range []struct{ name, observable, indicator string }{
		{"indicators of an observable", `"indicators":` + more, ""},
		{"relationships of an observable", `"stixCoreRelationships":` + more, ""},
		{"external references of an observable", `"externalReferences":` + more, ""},
		{"external references of an indicator", "", `"externalReferences":` + more},
		{"none", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			obs := `{"__typename":"IPv4Addr","id":"o1","entity_type":"IPv4-Addr","observable_value":"198.51.100.7"`
			if tt.observable != "" {
				obs += "," + tt.observable
			}
			ind := `{"id":"i1","pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix"`
			if tt.indicator != "" {
				ind += "," + tt.indicator
			}
			body := `{"data":{"stixCyberObservables":{"pageInfo":{"endCursor":"","hasNextPage":false},"edges":[{"node":` + obs + `}}]},` +
				`"indicators":{"pageInfo":{"endCursor":"","hasNextPage":false},"edges":[{"node":` + ind + `}}]}}}`
			srv := newTestServer(t, answerJSON(body))
			c, _ := newTestClient(t, srv.GraphQLURL())
			res, err := c.Lookup(context.Background(), []stix.Observable{newMixed().ip4})
			if want := tt.name != "none"; err != nil || res.Truncated != want {
				t.Errorf("Lookup = %+v, %v; want Truncated %t", res, err, want)
			}
		})
	}
}

// TestLookupPartialData keeps the data that comes with errors.
func TestLookupPartialData(t *testing.T) {
	body := `{"errors":[{"message":"Restricted access","path":["indicators"],"extensions":{"code":"FORBIDDEN_ACCESS"}}],` +
		strings.TrimPrefix(page("o1", "", false, "", "", false), "{")
	srv := newTestServer(t, answerJSON(body))
	c, _ := newTestClient(t, srv.GraphQLURL())
	res, err := c.Lookup(context.Background(), []stix.Observable{newMixed().ip4})
	if !errors.Is(err, ErrForbidden) {
		t.Errorf("error = %v, want ErrForbidden", err)
	}
	if res == nil || len(res.Observables) != 1 || res.Observables[0].ID != "o1" {
		t.Errorf("result = %+v, want the observable that came with the error", res)
	}
}

// TestLookupUnknownTypes skips observables of types the package does not
// decode (a newer server's) instead of failing.
func TestLookupUnknownTypes(t *testing.T) {
	body := `{"data":{"stixCyberObservables":{"pageInfo":{"endCursor":"","hasNextPage":false},"edges":[
	  {"node":{"__typename":"IMEI","id":"x1","entity_type":"IMEI","observable_value":"490154203237518"}},
	  {"node":{"__typename":"DomainName","id":"o1","entity_type":"Domain-Name","observable_value":"c2.example","value":"c2.example",
	    "stixCoreRelationships":{"pageInfo":{"hasNextPage":false},"edges":[
	      {"node":{"relationship_type":"related-to","fromId":"o1","toId":"x2","from":{"__typename":"DomainName","id":"o1"},"to":{"__typename":"AIPrompt","id":"x2"}}},
	      {"node":{"relationship_type":"resolves-to","fromId":"o1","toId":"o2","from":{"__typename":"DomainName","id":"o1"},"to":{"__typename":"IPv4Addr","id":"o2","entity_type":"IPv4-Addr","observable_value":"198.51.100.7"}}}
	    ]}}}
	]},"indicators":{"pageInfo":{"endCursor":"","hasNextPage":false},"edges":[]}}}`
	srv := newTestServer(t, answerJSON(body))
	c, _ := newTestClient(t, srv.GraphQLURL())
	res, err := c.Lookup(context.Background(), []stix.Observable{newMixed().domain})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Observables) != 1 || res.Observables[0].ID != "o1" {
		t.Fatalf("observables = %+v, want only o1", res.Observables)
	}
	want := []Relation{{RelationshipType: "resolves-to", Observable: Observable{ID: "o2", EntityType: "IPv4-Addr", ObservableValue: "198.51.100.7"}}}
	if diff := cmp.Diff(want, res.Observables[0].Related); diff != "" {
		t.Errorf("related (-want +got):\n%s", diff)
	}
}

func TestRetryCountsInLookup(t *testing.T) {
	srv := newTestServer(t, answer(503, "", ""), answerFile(t, "lookup_response.json"))
	c, _ := newTestClient(t, srv.GraphQLURL())
	res, err := c.Lookup(context.Background(), newMixed().all())
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 2 {
		t.Errorf("Requests = %d, want 2 (one retry)", res.Requests)
	}
}
