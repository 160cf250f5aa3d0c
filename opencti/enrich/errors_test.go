package enrich

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/wazuh-opencti/wazuh-opencti/opencti"
)

func TestExplain(t *testing.T) {
	plain := errors.New("something else")
	tests := []struct {
		err  error
		want string // prefix of the explained message
	}{
		{fmt.Errorf("lookup: %w", &opencti.GraphQLError{Code: "AUTH_REQUIRED", Message: "You must be logged in"}), "authentication: OpenCTI refused the API key"},
		{&opencti.GraphQLError{Code: "FORBIDDEN_ACCESS"}, "permission:"},
		{&opencti.GraphQLError{Code: "GRAPHQL_VALIDATION_FAILED"}, "query:"},
		{&opencti.HTTPError{StatusCode: 404}, "HTTP: <hook_url> answered 404"},
		{&opencti.HTTPError{StatusCode: 503}, "HTTP: a proxy in front of OpenCTI answered 503"},
		{&opencti.HTTPError{StatusCode: 500}, "HTTP: OpenCTI answered 500"},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), "timeout:"},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, "connection: cannot reach OpenCTI"},
		{&net.OpError{Op: "read", Err: errors.New("connection reset by peer")}, "connection: the connection to OpenCTI failed"},
		{fmt.Errorf("post: %w", x509.UnknownAuthorityError{}), "TLS: OpenCTI's certificate is signed by an unknown authority"},
		{plain, "something else"},
	}
	for _, tt := range tests {
		got := Explain(tt.err)
		if !strings.HasPrefix(got.Error(), tt.want) {
			t.Errorf("Explain(%v) = %q, want it to start with %q", tt.err, got, tt.want)
		}
		if !errors.Is(got, tt.err) {
			t.Errorf("Explain(%v) lost the original error", tt.err)
		}
	}
	if Explain(nil) != nil {
		t.Errorf("Explain(nil) is not nil")
	}
}
