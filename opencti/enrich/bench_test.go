package enrich_test

import (
	"context"
	"testing"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/opencti"
	"github.com/wazuh-opencti/wazuh-opencti/opencti/enrich"
	"github.com/wazuh-opencti/wazuh-opencti/opencti/openctitest"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// benchAlert is the end-to-end benchmark's hit alert: a Suricata alert
// whose destination address and HTTP host are in the fake's demo bundle.
const benchAlert = `{"timestamp":"2026-11-26T08:00:01.114+0000","rule":{"level":3,"description":"Suricata: Alert - ET MALWARE EXAMPLE-42 beacon","id":"86601","firedtimes":3,"mail":false,"groups":["ids","suricata"]},"agent":{"id":"002","name":"ids-sensor-01","ip":"10.40.0.5"},"manager":{"name":"wazuh-mgr01"},"id":"1795680001.1155866","decoder":{"name":"json"},"data":{"timestamp":"2026-11-26T08:00:00.972610+0000","flow_id":"1755196584425738.000000","in_iface":"ens19","event_type":"alert","src_ip":"10.40.12.31","src_port":"50712","dest_ip":"198.51.100.23","dest_port":"80","proto":"TCP","alert":{"action":"allowed","gid":"1","signature_id":"2099042","rev":"1","signature":"ET MALWARE EXAMPLE-42 beacon","category":"A Network Trojan was detected","severity":"1"},"http":{"hostname":"c2.evil.example","url":"/beacon?id=7f3a","http_user_agent":"Mozilla/5.0","http_method":"GET","protocol":"HTTP/1.1","status":"200","length":"120"},"app_proto":"http"},"location":"/var/log/suricata/eve.json"}`

// benchOptions are the options the demo and the end-to-end benchmark run
// with: the demo bundle's values are in documentation ranges.
const benchOptions = `{"lookup_ranges": ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"]}`

// benchCase is what the event benchmarks start from: the alert, its
// findings and the fake OpenCTI's answer for them, fetched once.
type benchCase struct {
	alert    *wazuh.Alert
	set      *extract.Set
	cfg      enrich.Config
	client   *opencti.Client // of the fake, which serves until the benchmark ends
	findings []extract.Finding
	result   *opencti.LookupResult
}

func newBenchCase(b *testing.B) benchCase {
	b.Helper()
	alert, err := wazuh.DecodeAlert([]byte(benchAlert))
	if err != nil {
		b.Fatal(err)
	}
	raw, err := wazuh.ParseOptions([]byte(benchOptions))
	if err != nil {
		b.Fatal(err)
	}
	set := extract.Default()
	opts, _, err := enrich.ParseOptions(raw, set.Names())
	if err != nil {
		b.Fatal(err)
	}
	set = opts.Extractors(set)
	srv, err := openctitest.NewServer(openctitest.DemoBundle())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	client, err := opencti.New(srv.GraphQLURL(), srv.Token)
	if err != nil {
		b.Fatal(err)
	}
	extraction := set.Extract(alert)
	res, err := client.Lookup(context.Background(), extraction.Observables())
	if err != nil {
		b.Fatal(err)
	}
	if len(res.Indicators) == 0 || len(res.Observables) == 0 {
		b.Fatalf("the demo bundle answered %d indicators and %d observables, want some of each", len(res.Indicators), len(res.Observables))
	}
	cfg := opts.Apply(enrich.DefaultConfig(srv.GraphQLURL()))
	// A fixed clock, so that every run builds the same events.
	cfg.Now = func() time.Time { return time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC) }
	return benchCase{alert: alert, set: set, cfg: cfg, client: client, findings: extraction.Findings, result: res}
}

// BenchmarkBuild builds the events of the end-to-end benchmark's hit alert
// from a lookup result: ranking, classification, links, size checks.
func BenchmarkBuild(b *testing.B) {
	c := newBenchCase(b)
	b.ReportAllocs()
	for b.Loop() {
		if ev := c.cfg.Build(c.alert, c.findings, c.result); len(ev) == 0 {
			b.Fatal("no events")
		}
	}
}

// BenchmarkEncodeEvents encodes the events of the hit alert into the
// datagrams the queue sends, header included (wazuh.Message); b.SetBytes is
// the size of all of them.
func BenchmarkEncodeEvents(b *testing.B) {
	c := newBenchCase(b)
	events := c.cfg.Build(c.alert, c.findings, c.result)
	size := 0
	for _, e := range events {
		msg, err := wazuh.Message(c.alert.Agent, c.cfg.Name, e)
		if err != nil {
			b.Fatal(err)
		}
		size += len(msg)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, e := range events {
			if _, err := wazuh.Message(c.alert.Agent, c.cfg.Name, e); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkPipeline runs the whole per-alert pipeline in process against the
// fake OpenCTI on loopback: extract, one lookup request, build the events.
// The fake's own work answering the query is included.
func BenchmarkPipeline(b *testing.B) {
	c := newBenchCase(b)
	p := enrich.Pipeline{Extractors: c.set, Client: c.client, Config: c.cfg}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		out := p.Run(ctx, c.alert)
		if out.Err != nil || len(out.Events) == 0 {
			b.Fatalf("%d events, error %v", len(out.Events), out.Err)
		}
	}
}

// BenchmarkParseOptions reads the options block of the benchmark, as the
// integration does once per alert.
func BenchmarkParseOptions(b *testing.B) {
	builtins := extract.Default().Names()
	b.ReportAllocs()
	for b.Loop() {
		raw, err := wazuh.ParseOptions([]byte(benchOptions))
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := enrich.ParseOptions(raw, builtins); err != nil {
			b.Fatal(err)
		}
	}
}
