package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/wazuh-opencti/wazuh-opencti/opencti/openctitest"
)

// TestFakeCountsEveryRequest: the count of a run's requests stays right
// after the fake's request log is full (MaxLoggedRequests), which a run of
// -n 500 reaches.
func TestFakeCountsEveryRequest(t *testing.T) {
	f, err := startFake()
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	post := func() {
		req, err := http.NewRequest(http.MethodPost, f.url, strings.NewReader(`{"query":"{ about { version } }"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	for range openctitest.MaxLoggedRequests {
		post()
	}
	before := f.received()
	post()
	if n := f.received() - before; n != 1 {
		t.Errorf("one request counted as %d", n)
	}
}
