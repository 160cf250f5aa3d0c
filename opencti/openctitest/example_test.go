package openctitest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/wazuh-opencti/wazuh-opencti/opencti"
	"github.com/wazuh-opencti/wazuh-opencti/opencti/openctitest"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// A fake OpenCTI serving one address and its indicator, queried with the
// opencti client.
func Example() {
	bundle, err := stix.DecodeBundle(strings.NewReader(`{
	  "type": "bundle", "id": "bundle--6f1c1b7e-5d1f-4c55-9f0e-0f6c7b2a9d10",
	  "objects": [
	    {"type": "ipv4-addr", "spec_version": "2.1", "id": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4",
	     "value": "198.51.100.3", "x_opencti_score": 80},
	    {"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
	     "created": "2026-03-01T09:00:00.000Z", "modified": "2026-03-01T09:00:00.000Z",
	     "name": "Scanner", "pattern": "[ipv4-addr:value = '198.51.100.3']", "pattern_type": "stix",
	     "valid_from": "2026-03-01T09:00:00.000Z", "x_opencti_score": 70},
	    {"type": "relationship", "spec_version": "2.1", "id": "relationship--0c8a5d4e-2f55-4f3e-8d43-5f1e9d7c6b21",
	     "created": "2026-03-01T09:00:00.000Z", "modified": "2026-03-01T09:00:00.000Z",
	     "relationship_type": "based-on",
	     "source_ref": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
	     "target_ref": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"}
	  ]}`))
	if err != nil {
		log.Fatal(err)
	}
	srv, err := openctitest.NewServer(bundle)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	client, err := opencti.New(srv.GraphQLURL(), srv.Token)
	if err != nil {
		log.Fatal(err)
	}
	ip, _ := stix.NewIPv4Addr("198.51.100.3")
	res, err := client.Lookup(context.Background(), []stix.Observable{ip})
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range res.Observables {
		fmt.Printf("%s %s, score %d\n", o.EntityType, o.ObservableValue, *o.Score)
		for _, ind := range o.Indicators {
			fmt.Printf("  indicator %q %s, score %d\n", ind.Name, ind.Pattern, *ind.Score)
		}
	}
	fmt.Println("requests:", len(srv.Requests()))
	// Output:
	// IPv4-Addr 198.51.100.3, score 80
	//   indicator "Scanner" [ipv4-addr:value = '198.51.100.3'], score 70
	// requests: 1
}

// Injecting a fault: the next request fails as OpenCTI fails when the
// token is revoked, the one after succeeds.
func ExampleServer_SetFault() {
	srv, err := openctitest.NewServer(openctitest.DemoBundle(), openctitest.WithVersion("6.9.17"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := opencti.New(srv.GraphQLURL(), srv.Token)
	if err != nil {
		log.Fatal(err)
	}

	srv.SetFault(openctitest.Fault{Kind: openctitest.FaultAuth, Times: 1})
	_, err = client.Health(context.Background())
	fmt.Println("auth error:", errors.Is(err, opencti.ErrAuthRequired))

	h, err := client.Health(context.Background())
	fmt.Println(h.Version, err)
	// Output:
	// auth error: true
	// 6.9.17 <nil>
}
