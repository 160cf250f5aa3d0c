package enrich

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"

	"github.com/wazuh-opencti/wazuh-opencti/opencti"
)

// Explain returns err with a first word saying what kind of failure it is,
// and what to do about it where that is clear: "authentication: OpenCTI
// refused the API key (…)", "TLS: … set ca_file (…)", "timeout: …". These
// are the messages an administrator reads in ossec.log, integrations.log and
// the error events. The original error stays in the chain (errors.Is and
// errors.As see it); an error of no known kind is returned as it is.
func Explain(err error) error {
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		record    tls.RecordHeaderError
		httpErr   *opencti.HTTPError
		netErr    net.Error
		opErr     *net.OpError
	)
	var what string
	switch {
	case err == nil:
		return nil
	case errors.Is(err, opencti.ErrAuthRequired):
		what = "authentication: OpenCTI refused the API key; check <api_key> (an OpenCTI user's API token)"
	case errors.Is(err, opencti.ErrForbidden):
		what = "permission: the API key's user may not read observables and indicators"
	case errors.Is(err, opencti.ErrValidation), errors.Is(err, opencti.ErrUnsupported):
		what = "query: this OpenCTI version does not accept the integration's query"
	case errors.As(err, &unknownCA):
		what = "TLS: OpenCTI's certificate is signed by an unknown authority; trust its CA with ca_file in <options> (-ca-file for check)"
	case errors.As(err, &hostname):
		what = "TLS: OpenCTI's certificate is not valid for the host name of <hook_url>"
	case errors.As(err, &invalid):
		what = "TLS: OpenCTI's certificate is not valid"
	case errors.As(err, &record):
		what = "TLS: the server does not speak TLS; try http:// in <hook_url>"
	case errors.As(err, &httpErr):
		switch code := httpErr.StatusCode; code {
		case 404, 405:
			what = fmt.Sprintf("HTTP: <hook_url> answered %d; is it OpenCTI's GraphQL URL (…/graphql)?", code)
		case 502, 503, 504:
			what = fmt.Sprintf("HTTP: a proxy in front of OpenCTI answered %d; OpenCTI may be down or overloaded", code)
		default:
			what = fmt.Sprintf("HTTP: OpenCTI answered %d", code)
		}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		what = "timeout: OpenCTI did not answer in time"
	case errors.As(err, &opErr) && opErr.Op == "dial":
		what = "connection: cannot reach OpenCTI"
	case errors.As(err, &opErr):
		what = "connection: the connection to OpenCTI failed"
	default:
		return err
	}
	return fmt.Errorf("%s (%w)", what, err)
}
