package main

import (
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wazuh-opencti/wazuh-opencti/opencti/openctitest"
)

// newTLSFake serves the fake OpenCTI over TLS with a certificate of
// httptest's own CA, which no system trusts. It returns the GraphQL URL,
// the handler (for its request log and faults) and a PEM file of the CA.
func newTLSFake(t *testing.T, opts ...openctitest.Option) (url string, h *openctitest.Handler, caFile string) {
	t.Helper()
	h, err := openctitest.NewHandler(e2eBundle(t), append([]openctitest.Option{openctitest.WithToken(e2eToken)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	// Handshakes a client refuses are the point of some tests: keep the
	// server's complaints about them out of the test output.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "opencti-ca.pem")
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, ca, 0o644); err != nil {
		t.Fatal(err)
	}
	return srv.URL + "/graphql", h, caFile
}

// closedURL is a GraphQL URL on a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/graphql"
}

// TestE2ECheck runs custom-opencti check against the fake: it must say
// what works (the version and the user) or what is wrong, in words, with
// exit status 0, 4 or 2, and never echo the token (run checks that).
func TestE2ECheck(t *testing.T) {
	tlsURL, _, caFile := newTLSFake(t)
	plain := newFake(t, nil, openctitest.WithVersion("6.9.17"), openctitest.WithUserName("wazuh-integration"))
	other := newFake(t, nil, openctitest.WithToken("another-token-than-ours-0000"))
	tests := []struct {
		name     string
		args     []string // TOKEN stands for the token file
		env      []string
		status   int
		stdout   []string // lines that must appear, in order
		stderrIs string   // part of the one stderr line, when it fails before checking
	}{
		{name: "works", args: []string{"-url", plain.GraphQLURL(), "-token-file", "TOKEN"}, status: 0, stdout: []string{
			"server   ok    OpenCTI 6.9.17",
			"token    ok    authenticated as wazuh-integration",
			"lookup   ok    sample lookup of 198.51.100.1 answered in ",
			"OpenCTI is ready for the integration.",
		}},
		{name: "token from OPENCTI_TOKEN", args: []string{"-url", plain.GraphQLURL()}, env: []string{"OPENCTI_TOKEN=" + e2eToken},
			status: 0, stdout: []string{"token    ok    authenticated as wazuh-integration"}},
		{name: "wrong token", args: []string{"-url", other.GraphQLURL(), "-token-file", "TOKEN"}, status: 4, stdout: []string{
			"server   FAIL  authentication: OpenCTI refused the API key",
		}},
		{name: "unreachable", args: []string{"-url", closedURL(t), "-token-file", "TOKEN", "-timeout", "2s"}, status: 4, stdout: []string{
			"server   FAIL  connection: cannot reach OpenCTI",
		}},
		{name: "TLS with an unknown CA", args: []string{"-url", tlsURL, "-token-file", "TOKEN"}, status: 4, stdout: []string{
			"server   FAIL  TLS: OpenCTI's certificate is signed by an unknown authority; trust its CA with ca_file in <options> (-ca-file for check)",
		}},
		{name: "TLS with -ca-file", args: []string{"-url", tlsURL, "-token-file", "TOKEN", "-ca-file", caFile}, status: 0, stdout: []string{
			"server   ok    OpenCTI 6.9.17",
			"token    ok    authenticated as admin",
			"OpenCTI is ready for the integration.",
		}},
		{name: "TLS with -insecure", args: []string{"-url", tlsURL, "-token-file", "TOKEN", "-insecure"}, status: 0, stdout: []string{
			"tls      note  TLS verification is off (-insecure)",
			"OpenCTI is ready for the integration.",
		}},
		{name: "no token", args: []string{"-url", plain.GraphQLURL()}, status: 2, stderrIs: "no token: use -token-file FILE or set OPENCTI_TOKEN"},
		{name: "not a URL", args: []string{"-url", "opencti.example", "-token-file", "TOKEN"}, status: 2, stderrIs: `-url is not an http(s) URL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.extraEnv = tt.env
			tokenFile := filepath.Join(e.tmp, "token")
			if err := os.WriteFile(tokenFile, []byte(e2eToken+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			args := []string{"check"}
			for _, a := range tt.args {
				if a == "TOKEN" {
					a = tokenFile
				}
				args = append(args, a)
			}
			r := e.run(args...)
			if r.status != tt.status {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.status, tt.status, r.stdout, r.stderr)
			}
			rest := r.stdout
			for _, want := range tt.stdout {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Errorf("stdout lacks %q (in order) in:\n%s", want, r.stdout)
					break
				}
				rest = rest[i+len(want):]
			}
			if tt.stderrIs != "" {
				if !strings.Contains(r.stderr, tt.stderrIs) || strings.Count(r.stderr, "\n") != 1 {
					t.Errorf("stderr %q, want one line with %q", r.stderr, tt.stderrIs)
				}
			} else if r.stderr != "" {
				t.Errorf("stderr %q, want nothing: check reports on stdout", r.stderr)
			}
			if r.log != "" {
				t.Errorf("check wrote integrations.log:\n%s", r.log)
			}
		})
	}
}
