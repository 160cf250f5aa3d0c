package opencti_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/opencti"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// A canned OpenCTI answer: the address is an observable with its own
// indicator, related to a domain name that resolves to it.
const cannedLookup = `{"data":{
 "stixCyberObservables":{"pageInfo":{"endCursor":"","hasNextPage":false},"edges":[{"node":{
  "__typename":"IPv4Addr","id":"7d3c…","entity_type":"IPv4-Addr","observable_value":"198.51.100.7","value":"198.51.100.7",
  "x_opencti_score":80,"objectLabel":[{"value":"c2"}],
  "indicators":{"pageInfo":{"endCursor":"","hasNextPage":false},"edges":[{"node":{
   "id":"9a0e…","name":"C2 server","pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix",
   "valid_until":"2026-12-31T00:00:00Z","x_opencti_score":80,"x_opencti_detection":true,
   "objectMarking":[{"definition_type":"TLP","definition":"TLP:AMBER"}]}}]},
  "stixCoreRelationships":{"pageInfo":{"hasNextPage":false},"edges":[{"node":{
   "relationship_type":"resolves-to","fromId":"51aa…","toId":"7d3c…",
   "from":{"__typename":"DomainName","id":"51aa…","entity_type":"Domain-Name","observable_value":"c2.example"},
   "to":{"__typename":"IPv4Addr","id":"7d3c…"}}}]}}}]},
 "indicators":{"pageInfo":{"endCursor":"","hasNextPage":false},"edges":[{"node":{
  "id":"9a0e…","name":"C2 server","pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix",
  "valid_until":"2026-12-31T00:00:00Z","x_opencti_score":80,"x_opencti_detection":true,
  "objectMarking":[{"definition_type":"TLP","definition":"TLP:AMBER"}]}}]}}}`

// fakeOpenCTI stands in for an OpenCTI server: it answers every request
// with body, when the token is right.
func fakeOpenCTI(body string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		answer := body
		if r.Header.Get("Authorization") != "Bearer my-api-token" {
			answer = `{"errors":[{"message":"You must be logged in to do this.","extensions":{"code":"AUTH_REQUIRED"}}],"data":null}`
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, answer)
	}))
}

// Look up an IP address and read its indicators.
func ExampleClient_Lookup() {
	srv := fakeOpenCTI(cannedLookup) // a real server: "https://opencti.example/graphql"
	defer srv.Close()

	c, err := opencti.New(srv.URL+"/graphql", "my-api-token")
	if err != nil {
		log.Fatal(err)
	}
	ip, _ := stix.NewIPv4Addr("198.51.100.7")
	res, err := c.Lookup(context.Background(), []stix.Observable{ip})
	if err != nil {
		log.Fatal(err)
	}
	for _, ind := range res.Indicators {
		fmt.Printf("indicator %q %s score=%d markings=%v matches=%v\n",
			ind.Name, ind.Pattern, *ind.Score, ind.Markings[0].Definition, ind.Matches)
	}
	for _, o := range res.Observables {
		fmt.Printf("observable %s %s with %d indicator(s)\n", o.EntityType, o.Value, len(o.Indicators))
		for _, rel := range o.Related {
			fmt.Printf("  related: %s %s %s (incoming %t)\n", rel.Observable.ObservableValue, rel.RelationshipType, o.Value, rel.Incoming)
		}
	}
	fmt.Println("requests:", res.Requests)
	// Output:
	// indicator "C2 server" [ipv4-addr:value = '198.51.100.7'] score=80 markings=TLP:AMBER matches=[198.51.100.7]
	// observable IPv4-Addr 198.51.100.7 with 1 indicator(s)
	//   related: c2.example resolves-to 198.51.100.7 (incoming true)
	// requests: 1
}

// Configure a client for an integration: bounded time, retries, a private CA.
func ExampleNew() {
	c, err := opencti.New("https://opencti.example/graphql", "my-api-token",
		opencti.WithTimeout(10*time.Second),
		opencti.WithRetries(3),
		opencti.WithBackoff(time.Second, 10*time.Second),
		opencti.WithUserAgent("my-tool/1.0"),
		opencti.WithPageSize(200),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c)
	// Output:
	// opencti.Client(https://opencti.example/graphql)
}

// Check a URL and a token.
func ExampleClient_Health() {
	srv := fakeOpenCTI(`{"data":{"about":{"version":"6.9.17"},"me":{"name":"wazuh"}}}`)
	defer srv.Close()

	c, _ := opencti.New(srv.URL+"/graphql", "my-api-token")
	h, err := c.Health(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("OpenCTI %s, user %s\n", h.Version, h.User)
	// Output:
	// OpenCTI 6.9.17, user wazuh
}

// Branch on what went wrong.
func Example_errors() {
	srv := fakeOpenCTI(cannedLookup)
	defer srv.Close()

	c, _ := opencti.New(srv.URL+"/graphql", "a-wrong-token")
	ip, _ := stix.NewIPv4Addr("198.51.100.7")
	_, err := c.Lookup(context.Background(), []stix.Observable{ip})

	var gqlErr *opencti.GraphQLError
	var httpErr *opencti.HTTPError
	switch {
	case errors.Is(err, opencti.ErrAuthRequired):
		fmt.Println("check the API token:", err)
	case errors.Is(err, opencti.ErrValidation):
		fmt.Println("this OpenCTI release is not supported:", err)
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Println("OpenCTI did not answer in time")
	case errors.As(err, &httpErr):
		fmt.Println("HTTP", httpErr.StatusCode, strings.ToLower(httpErr.Body))
	case errors.As(err, &gqlErr):
		fmt.Println("OpenCTI error", gqlErr.Code)
	}
	// Output:
	// check the API token: opencti: AUTH_REQUIRED: You must be logged in to do this.
}
