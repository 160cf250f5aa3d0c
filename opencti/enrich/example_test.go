package enrich_test

import (
	"context"
	"fmt"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/opencti"
	"github.com/wazuh-opencti/wazuh-opencti/opencti/enrich"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// Build turns what an alert's observables found in OpenCTI into the events
// the integration sends. Here the lookup result is made by hand; in an
// integration it comes from opencti.Client.Lookup.
func ExampleConfig_Build() {
	alert, _ := wazuh.DecodeAlert([]byte(`{"id":"1732612800.42","rule":{"id":"5710","groups":["sshd"]},` +
		`"agent":{"id":"021","name":"bastion-01","ip":"10.0.0.21"},"data":{"srcip":"45.146.165.37"}}`))
	found := extract.Default().Extract(alert)

	score, detection := 90, true
	ip := found.Findings[0].Observable
	res := &opencti.LookupResult{Indicators: []opencti.Indicator{{
		ID: "b1e9", Name: "SSH brute forcer", Pattern: ip.Pattern(), PatternType: "stix",
		Score: &score, Detection: &detection, Markings: []opencti.Marking{{DefinitionType: "TLP", Definition: "TLP:AMBER"}},
	}}}

	cfg := enrich.DefaultConfig("https://opencti.example/graphql")
	for _, e := range cfg.Build(alert, found.Findings, res) {
		b, _ := e.MarshalJSON()
		fmt.Println(string(b))
	}
	// Output:
	// {"integration":"opencti","opencti":{"indicator":{"id":"b1e9","name":"SSH brute forcer","pattern":"[ipv4-addr:value = '45.146.165.37']","pattern_type":"stix","revoked":false,"expired":false,"x_opencti_score":90,"x_opencti_detection":true,"type":"Indicator","markings":["TLP:AMBER"]},"indicator_link":"https://opencti.example/dashboard/observations/indicators/b1e9","query_key":"value","query_values":"45.146.165.37","event_type":"indicator_pattern_match","match":{"type":"ipv4-addr","value":"45.146.165.37","field":"data.srcip","role":"source","extractor":"generic-addresses"},"source":{"alert_id":"1732612800.42","rule_id":"5710","srcip":"45.146.165.37"}}}
}

// lookupFunc adapts a function to the Looker interface, here to stand in
// for OpenCTI.
type lookupFunc func(ctx context.Context, obs []stix.Observable) (*opencti.LookupResult, error)

func (f lookupFunc) Lookup(ctx context.Context, obs []stix.Observable) (*opencti.LookupResult, error) {
	return f(ctx, obs)
}

// A Pipeline runs the whole enrichment of one alert: extract, one lookup,
// build events. A failed lookup adds an error event after whatever events
// the partial result gave.
func ExamplePipeline() {
	alert, _ := wazuh.DecodeAlert([]byte(`{"id":"1.1","rule":{"id":"86601","groups":["ids","suricata"]},` +
		`"data":{"event_type":"alert","src_ip":"45.146.165.37","dest_ip":"10.0.0.5","tls":{"sni":"c2.evil.example"}}}`))
	p := enrich.Pipeline{
		Extractors: extract.Default(),
		Client: lookupFunc(func(ctx context.Context, obs []stix.Observable) (*opencti.LookupResult, error) {
			return &opencti.LookupResult{}, fmt.Errorf("lookup: %w", context.DeadlineExceeded)
		}),
		Config: enrich.DefaultConfig("https://opencti.example/graphql"),
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	out := p.Run(ctx, alert)
	for _, f := range out.Extraction.Findings {
		fmt.Println("looked up:", f.Observable, "from", f.Field)
	}
	for _, e := range out.Events {
		fmt.Println("event:", e.Type)
	}
	fmt.Println("error:", enrich.Explain(out.Err))
	// Output:
	// looked up: 45.146.165.37 from data.src_ip
	// looked up: c2.evil.example from data.tls.sni
	// event: error
	// error: timeout: OpenCTI did not answer in time (lookup: context deadline exceeded)
}

// A user's own integration binary: the reference integration with one more
// extractor. wazuh-integratord runs it with the alert file, the API key,
// the hook URL and the rest of its arguments.
func ExampleProgram() {
	mine := extract.Func("my-app", func(a *wazuh.Alert) []extract.Finding {
		o, err := extract.ParseHost(a.Field("data.myapp.peer").Text())
		if err != nil {
			return nil
		}
		return []extract.Finding{{Observable: o, Field: "data.myapp.peer", Role: extract.RoleHost}}
	})
	p := enrich.Program{Name: "custom-opencti", Extractors: extract.Default().With(mine)}
	_ = p // in main: os.Exit(p.Main(os.Args[1:]))
}
