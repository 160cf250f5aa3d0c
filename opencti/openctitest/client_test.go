package openctitest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wazuh-opencti/wazuh-opencti/opencti"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// The opencti client against the fake: what it sends, the fake executes.

func newTestServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	srv, err := NewServer(DemoBundle(), append([]Option{WithClock(fixedClock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func newClient(t *testing.T, srv *Server, opts ...opencti.Option) *opencti.Client {
	t.Helper()
	c, err := opencti.New(srv.GraphQLURL(), srv.Token, append([]opencti.Option{
		opencti.WithRetries(0), opencti.WithTimeout(5 * time.Second),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// summary is what a lookup found, in a form to compare.
type summary struct {
	Observables []string // "Type value: indicator, …"
	Related     []string // "value relationship other-value: indicator, …"
	Indicators  []string // names of the indicators found by pattern
}

func summarize(res *opencti.LookupResult) summary {
	var s summary
	names := func(list []opencti.Indicator) string {
		var n []string
		for _, i := range list {
			n = append(n, i.Name)
		}
		return strings.Join(n, ", ")
	}
	for _, o := range res.Observables {
		s.Observables = append(s.Observables, fmt.Sprintf("%s %s: %s", o.EntityType, o.ObservableValue, names(o.Indicators)))
		for _, r := range o.Related {
			s.Related = append(s.Related, fmt.Sprintf("%s %s %s: %s", o.ObservableValue, r.RelationshipType, r.Observable.ObservableValue, names(r.Observable.Indicators)))
		}
	}
	for _, i := range res.Indicators {
		s.Indicators = append(s.Indicators, i.Name)
	}
	return s
}

func mustObservable(t *testing.T, o stix.Observable, err error) stix.Observable {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func ipObs(t *testing.T, s string) stix.Observable {
	t.Helper()
	o, err := stix.NewIPAddr(s)
	return mustObservable(t, o, err)
}

func fileWith(t *testing.T, alg stix.HashAlgorithm, value string) stix.Observable {
	t.Helper()
	h, err := stix.NewHash(alg, value)
	if err != nil {
		t.Fatal(err)
	}
	f, err := stix.NewFile("", h)
	return mustObservable(t, f, err)
}

const (
	demoMD5    = "e1e2287c5fb63e3ae5d93e6d9e4850a8"
	demoSHA1   = "c3d39b6dc573e652efe87fa7a0585b8ec479b461"
	demoSHA256 = "4b68996ab324a028d8604b08601ade05144feb6998862131d7bbfcf04c92bda0"
)

func TestClientLookupKinds(t *testing.T) {
	srv := newTestServer(t)
	c := newClient(t, srv)
	obs := func(typ, v string) stix.Observable {
		o, err := stix.NewObservable(typ, v)
		return mustObservable(t, o, err)
	}
	const fileLine = "StixFile " + demoSHA256 + ": Dropper invoice.pdf.exe"
	fileRelated := []string{demoSHA256 + " related-to http://dl.bad.example/stage2.bin: Second stage URL"}
	tests := []struct {
		name string
		in   []stix.Observable
		want summary
	}{
		{"ipv4", []stix.Observable{obs(stix.TypeIPv4Addr, "198.51.100.23")}, summary{
			Observables: []string{"IPv4-Addr 198.51.100.23: C2 server 198.51.100.23, C2 server 198.51.100.23 (2025 campaign), EXAMPLE-42 C2 (domain or address)"},
			Related:     []string{"198.51.100.23 resolves-to c2.evil.example: C2 domain c2.evil.example, EXAMPLE-42 C2 (domain or address)"},
			Indicators:  []string{"C2 server 198.51.100.23", "C2 server 198.51.100.23 (2025 campaign)"},
		}},
		{"ipv6", []stix.Observable{obs(stix.TypeIPv6Addr, "2001:DB8:0::BAD:C2")}, summary{
			Observables: []string{"IPv6-Addr 2001:db8::bad:c2: C2 server 2001:db8::bad:c2"},
			Related:     []string{"2001:db8::bad:c2 resolves-to c2.evil.example: C2 domain c2.evil.example, EXAMPLE-42 C2 (domain or address)"},
			Indicators:  []string{"C2 server 2001:db8::bad:c2"},
		}},
		{"domain", []stix.Observable{obs(stix.TypeDomainName, "C2.Evil.Example.")}, summary{
			Observables: []string{"Domain-Name c2.evil.example: C2 domain c2.evil.example, EXAMPLE-42 C2 (domain or address)"},
			Related: []string{
				"c2.evil.example resolves-to 198.51.100.23: C2 server 198.51.100.23, C2 server 198.51.100.23 (2025 campaign), EXAMPLE-42 C2 (domain or address)",
				"c2.evil.example resolves-to 2001:db8::bad:c2: C2 server 2001:db8::bad:c2",
			},
			Indicators: []string{"C2 domain c2.evil.example"},
		}},
		{"domain finds a hostname", []stix.Observable{obs(stix.TypeDomainName, "mail.phish.example")}, summary{
			Observables: []string{"Hostname mail.phish.example: Phishing mail server mail.phish.example"},
			Indicators:  []string{"Phishing mail server mail.phish.example"},
		}},
		{"hostname finds a domain with a related indicator", []stix.Observable{obs(stix.TypeHostname, "update.bad.example")}, summary{
			Observables: []string{"Domain-Name update.bad.example: "},
			Related:     []string{"update.bad.example resolves-to 203.0.113.66: Malicious hosting 203.0.113.66"},
		}},
		{"url", []stix.Observable{obs(stix.TypeURL, "HTTP://DL.BAD.EXAMPLE/stage2.bin")}, summary{
			Observables: []string{"Url http://dl.bad.example/stage2.bin: Second stage URL"},
			Related:     []string{"http://dl.bad.example/stage2.bin related-to " + demoSHA256 + ": Dropper invoice.pdf.exe"},
			Indicators:  []string{"Second stage URL"},
		}},
		{"email", []stix.Observable{obs(stix.TypeEmailAddr, "billing@phish.example")}, summary{
			Observables: []string{"Email-Addr billing@phish.example: Phishing sender billing@phish.example"},
			Indicators:  []string{"Phishing sender billing@phish.example"},
		}},
		{"md5", []stix.Observable{fileWith(t, stix.MD5, strings.ToUpper(demoMD5))}, summary{
			Observables: []string{fileLine}, Related: fileRelated,
		}},
		{"sha1", []stix.Observable{fileWith(t, stix.SHA1, demoSHA1)}, summary{
			Observables: []string{fileLine}, Related: fileRelated,
		}},
		{"sha256", []stix.Observable{fileWith(t, stix.SHA256, demoSHA256)}, summary{
			Observables: []string{fileLine}, Related: fileRelated,
			Indicators: []string{"Dropper invoice.pdf.exe"},
		}},
		{"sha512 unknown", []stix.Observable{fileWith(t, stix.SHA512, strings.Repeat("ab", 64))}, summary{}},
		{"score zero", []stix.Observable{obs(stix.TypeIPv4Addr, "192.0.2.10")}, summary{
			Observables: []string{"IPv4-Addr 192.0.2.10: Internet scanner 192.0.2.10"},
			Indicators:  []string{"Internet scanner 192.0.2.10"},
		}},
		{"nothing", []stix.Observable{obs(stix.TypeIPv4Addr, "198.51.100.99"), obs(stix.TypeDomainName, "benign.example")}, summary{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv.ClearRequests()
			res, err := c.Lookup(context.Background(), tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, summarize(res)); diff != "" {
				t.Errorf("lookup (-want +got):\n%s", diff)
			}
			if res.Requests != 1 || len(srv.Requests()) != 1 {
				t.Errorf("%d requests (client says %d), want 1", len(srv.Requests()), res.Requests)
			}
			for _, o := range res.Observables {
				if len(o.Matches) == 0 {
					t.Errorf("observable %s answers no input", o.ObservableValue)
				}
			}
		})
	}
}

// TestClientLookupFields checks every field the client decodes for one
// observable and its best indicator.
func TestClientLookupFields(t *testing.T) {
	srv := newTestServer(t)
	ip, err := stix.NewIPv4Addr("198.51.100.23")
	if err != nil {
		t.Fatal(err)
	}
	res, err := newClient(t, srv).Lookup(context.Background(), []stix.Observable{ip})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Observables) != 1 {
		t.Fatalf("got %d observables", len(res.Observables))
	}
	o := res.Observables[0]
	author := &opencti.Identity{ID: "3d629560-d98a-5f89-9001-bdca84696ff4", StandardID: "identity--5fdc3746-7dd6-4f16-bdc0-bb8da97e5d7d", Name: "Example CERT"}
	amber := []opencti.Marking{{DefinitionType: "TLP", Definition: "TLP:AMBER", StandardID: "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"}}
	ref := []opencti.ExternalReference{{SourceName: "Example CERT", URL: "https://cert.example.org/advisories/2026-042", ExternalID: "EX-2026-042"}}
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	got := o
	got.Indicators, got.Related, got.Matches = nil, nil, nil
	want := opencti.Observable{
		ID: "7bde7991-0b23-53b0-9203-f6f0e6a1a3d1", StandardID: ip.ID(), EntityType: "IPv4-Addr",
		ObservableValue: "198.51.100.23", Value: "198.51.100.23",
		Description: "Command-and-control server of the invented campaign EXAMPLE-42.", Score: ptr(90),
		Labels: []string{"c2", "example-42"}, Markings: amber, CreatedBy: author, ExternalReferences: ref,
		CreatedAt: t0, UpdatedAt: t0,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("observable (-want +got):\n%s", diff)
	}
	live := o.Indicators[0]
	live.Matches = nil
	wantInd := opencti.Indicator{
		ID: "5ac33459-b42a-52f9-b1fd-1eaff0feaa24", StandardID: "indicator--1e047ea3-e7f3-4323-b18f-14845e3bb342",
		Name: "C2 server 198.51.100.23", Description: "Beaconing destination of EXAMPLE-42 implants.",
		Pattern: "[ipv4-addr:value = '198.51.100.23']", PatternType: "stix", PatternVersion: "2.1",
		MainObservableType: "IPv4-Addr", ValidFrom: t0, ValidUntil: ptr(time.Date(2036, 3, 1, 0, 0, 0, 0, time.UTC)),
		Confidence: ptr(85), Score: ptr(90), Detection: ptr(true),
		IndicatorTypes: []string{"malicious-activity"}, Platforms: []string{"windows", "linux"},
		KillChainPhases: []stix.KillChainPhase{{KillChainName: "mitre-attack", PhaseName: "command-and-control"}},
		Labels:          []string{"c2", "example-42"}, Markings: amber, CreatedBy: author, ExternalReferences: ref,
		Created: t0, Modified: t0, CreatedAt: t0, UpdatedAt: t0,
	}
	if diff := cmp.Diff(wantInd, live); diff != "" {
		t.Errorf("indicator (-want +got):\n%s", diff)
	}
	old := o.Indicators[1]
	if !old.Revoked || !old.Expired(testNow) {
		t.Errorf("the 2025 indicator: revoked %v, expired %v; want both", old.Revoked, old.Expired(testNow))
	}
	scanner, err := newClient(t, srv).Lookup(context.Background(), []stix.Observable{ipObs(t, "192.0.2.10")})
	if err != nil {
		t.Fatal(err)
	}
	si := scanner.Observables[0].Indicators[0]
	if scanner.Observables[0].Score == nil || *scanner.Observables[0].Score != 0 || si.Score == nil || *si.Score != 0 || si.Detection == nil || *si.Detection {
		t.Errorf("score 0 and detection false must stay distinguishable from absent: observable score %v, indicator score %v, detection %v",
			scanner.Observables[0].Score, si.Score, si.Detection)
	}
	if diff := cmp.Diff([]opencti.Marking{{DefinitionType: "TLP", Definition: "TLP:CLEAR", StandardID: "marking-definition--7149bd40-7362-4cf6-84f9-70d4a753e49e"}}, si.Markings); diff != "" {
		t.Errorf("TLP:CLEAR marking (-want +got):\n%s", diff)
	}
}

func ptr[T any](v T) *T { return &v }

// TestClientPagination makes the client page through the observables and
// indicators of a bundle larger than its page size.
func TestClientPagination(t *testing.T) {
	var objs []string
	var inputs []stix.Observable
	for i := 1; i <= 7; i++ {
		ip, err := stix.NewIPv4Addr(fmt.Sprintf("198.51.100.%d", 100+i))
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, ip)
		objs = append(objs, fmt.Sprintf(`{"type":"ipv4-addr","spec_version":"2.1","id":%q,"value":%q}`, ip.ID(), ip.Value()))
		objs = append(objs, fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-00000000000%d","created":"2026-03-01T09:00:00.000Z","modified":"2026-03-01T09:00:00.000Z","name":"ip %d","pattern":%q,"pattern_type":"stix","valid_from":"2026-03-01T09:00:00.000Z"}`, i, i, ip.Pattern()))
	}
	b := decodeBundle(t, `{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000000","objects":[`+strings.Join(objs, ",")+`]}`)
	srv, err := NewServer(b)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	tests := []struct {
		name          string
		pageSize      int
		maxPages      int
		wantRequests  int
		wantFound     int
		wantTruncated bool
	}{
		{"one page", 10, 3, 1, 7, false},
		{"three pages", 3, 5, 3, 7, false},
		{"page limit", 2, 2, 2, 4, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv.ClearRequests()
			c := newClient(t, srv, opencti.WithPageSize(tc.pageSize), opencti.WithMaxPages(tc.maxPages))
			res, err := c.Lookup(context.Background(), inputs)
			if err != nil {
				t.Fatal(err)
			}
			got := []int{res.Requests, len(srv.Requests()), len(res.Observables), len(res.Indicators)}
			want := []int{tc.wantRequests, tc.wantRequests, tc.wantFound, tc.wantFound}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("[requests, requests seen, observables, indicators] (-want +got):\n%s", diff)
			}
			if res.Truncated != tc.wantTruncated {
				t.Errorf("Truncated = %v, want %v", res.Truncated, tc.wantTruncated)
			}
			var seen []string
			for _, o := range res.Observables {
				if slices.Contains(seen, o.ID) {
					t.Errorf("observable %s twice", o.ObservableValue)
				}
				seen = append(seen, o.ID)
			}
			for i, r := range srv.Requests() {
				after, _ := r.Variables["observablesAfter"].(string)
				if (i == 0) != (after == "") {
					t.Errorf("request %d: observablesAfter %q", i, after)
				}
			}
		})
	}
}

func TestClientHealthAndAuth(t *testing.T) {
	srv := newTestServer(t, WithVersion("7.260817.0"), WithUserName("wazuh"))
	h, err := newClient(t, srv).Health(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(opencti.Health{Version: "7.260817.0", User: "wazuh"}, h); diff != "" {
		t.Errorf("health (-want +got):\n%s", diff)
	}

	bad, err := opencti.New(srv.GraphQLURL(), "wrong-token", opencti.WithRetries(3))
	if err != nil {
		t.Fatal(err)
	}
	srv.ClearRequests()
	_, err = bad.Health(context.Background())
	if !errors.Is(err, opencti.ErrAuthRequired) {
		t.Errorf("Health with a wrong token: %v, want ErrAuthRequired", err)
	}
	ip := ipObs(t, "198.51.100.23")
	res, err := bad.Lookup(context.Background(), []stix.Observable{ip})
	if !errors.Is(err, opencti.ErrAuthRequired) {
		t.Errorf("Lookup with a wrong token: %v, want ErrAuthRequired", err)
	}
	if res == nil || len(res.Observables) != 0 {
		t.Errorf("Lookup with a wrong token returned %+v", res)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests, want 2: authentication errors are not retried", n)
	}
	for _, r := range srv.Requests() {
		if r.Authenticated {
			t.Error("a request with a wrong token counted as authenticated")
		}
		if got := r.Header.Get("Authorization"); got != "Bearer [REDACTED]" {
			t.Errorf("logged Authorization header %q", got)
		}
		if strings.Contains(fmt.Sprint(r), "wrong-token") {
			t.Errorf("the presented token is in the request log: %v", r)
		}
	}
}

// TestClientFaults checks that each injected fault reaches the client as
// the error a real failure of that kind gives.
func TestClientFaults(t *testing.T) {
	ip := ipObs(t, "198.51.100.23")
	tests := []struct {
		fault Fault
		check func(error) bool
		want  string
	}{
		{Fault{Kind: FaultHTTP500}, func(err error) bool {
			he, ok := errors.AsType[*opencti.HTTPError](err)
			return ok && he.StatusCode == 500 && strings.Contains(he.Body, "500 Internal Server Error")
		}, "*HTTPError 500 with the page's text"},
		{Fault{Kind: FaultHTTP500, Status: http.StatusBadGateway}, func(err error) bool {
			he, ok := errors.AsType[*opencti.HTTPError](err)
			return ok && he.StatusCode == 502
		}, "*HTTPError 502"},
		{Fault{Kind: FaultMalformed}, func(err error) bool { return errors.Is(err, opencti.ErrInvalidResponse) }, "ErrInvalidResponse"},
		{Fault{Kind: FaultTruncated}, func(err error) bool {
			return errors.Is(err, opencti.ErrInvalidResponse) && strings.Contains(err.Error(), "truncated")
		}, "ErrInvalidResponse (truncated JSON)"},
		{Fault{Kind: FaultGraphQLError, Code: "FORBIDDEN_ACCESS", Message: "no access"}, func(err error) bool {
			ge, ok := errors.AsType[*opencti.GraphQLError](err)
			return errors.Is(err, opencti.ErrForbidden) && ok && ge.Message == "no access"
		}, "ErrForbidden with the message"},
		{Fault{Kind: FaultGraphQLError}, func(err error) bool {
			ge, ok := errors.AsType[*opencti.GraphQLError](err)
			return ok && ge.Code == "INTERNAL_SERVER_ERROR"
		}, "*GraphQLError INTERNAL_SERVER_ERROR"},
		{Fault{Kind: FaultAuth}, func(err error) bool { return errors.Is(err, opencti.ErrAuthRequired) }, "ErrAuthRequired"},
		{Fault{Kind: FaultReset}, func(err error) bool {
			var he *opencti.HTTPError
			return err != nil && !errors.As(err, &he) && !errors.Is(err, opencti.ErrInvalidResponse) &&
				!errors.Is(err, context.DeadlineExceeded) && strings.Contains(err.Error(), "reset")
		}, "a network error: connection reset"},
	}
	for _, tc := range tests {
		t.Run(string(tc.fault.Kind)+fmt.Sprint(tc.fault.Status)+tc.fault.Code, func(t *testing.T) {
			srv := newTestServer(t, WithFault(tc.fault))
			_, err := newClient(t, srv).Lookup(context.Background(), []stix.Observable{ip})
			if !tc.check(err) {
				t.Errorf("error %v (%T), want %s", err, err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), srv.Token) {
				t.Error("the error holds the token")
			}
			reqs := srv.Requests()
			if len(reqs) != 1 || reqs[0].Fault != tc.fault.Kind {
				t.Errorf("request log %+v, want one request with fault %s", reqs, tc.fault.Kind)
			}
		})
	}
}

// TestClientRetriesThroughFaults: a fault limited with Times lets the
// client's retries succeed.
func TestClientRetriesThroughFaults(t *testing.T) {
	for _, f := range []Fault{
		{Kind: FaultHTTP500, Status: http.StatusServiceUnavailable, Times: 2},
		{Kind: FaultReset, Times: 1},
	} {
		t.Run(string(f.Kind), func(t *testing.T) {
			srv := newTestServer(t, WithFault(f))
			c := newClient(t, srv, opencti.WithRetries(3), opencti.WithBackoff(time.Millisecond, 5*time.Millisecond))
			res, err := c.Lookup(context.Background(), []stix.Observable{ipObs(t, "203.0.113.66")})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Observables) != 1 || res.Requests != f.Times+1 {
				t.Errorf("%d observables after %d requests, want 1 after %d", len(res.Observables), res.Requests, f.Times+1)
			}
		})
	}
}

// TestClientLatency: a client whose timeout is shorter than the added
// latency times out, then succeeds once the latency is removed.
func TestClientLatency(t *testing.T) {
	srv := newTestServer(t, WithLatency(time.Second))
	c := newClient(t, srv, opencti.WithTimeout(50*time.Millisecond))
	_, err := c.Health(context.Background())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Health with latency: %v, want a timeout", err)
	}
	srv.SetLatency(0)
	if _, err := c.Health(context.Background()); err != nil {
		t.Errorf("Health without latency: %v", err)
	}
}

// TestConcurrentFaultChanges changes faults while clients query; run with
// -race.
func TestConcurrentFaultChanges(t *testing.T) {
	srv := newTestServer(t)
	c := newClient(t, srv)
	ip := ipObs(t, "198.51.100.23")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 10 {
				c.Lookup(context.Background(), []stix.Observable{ip})
			}
		})
	}
	wg.Go(func() {
		for i := range 20 {
			srv.SetFault(Fault{Kind: FaultKinds()[i%len(FaultKinds())]})
			srv.SetLatency(time.Duration(i%3) * time.Millisecond)
			_ = srv.Requests()
		}
		srv.SetFault(Fault{})
	})
	wg.Wait()
	if n := len(srv.Requests()); n < 40 {
		t.Errorf("%d requests logged, want at least 40", n)
	}
}
