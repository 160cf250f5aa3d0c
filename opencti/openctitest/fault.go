package openctitest

import (
	"fmt"
	"strings"
)

// FaultKind names a failure the fake can inject.
type FaultKind string

// The faults. Each is how a real deployment fails: a proxy or a crashed
// server, a broken network, or OpenCTI itself refusing the request.
const (
	// FaultNone: answer normally.
	FaultNone FaultKind = "none"
	// FaultHTTP500: an HTML error page with status 500 (or Fault.Status),
	// as a reverse proxy in front of OpenCTI sends.
	FaultHTTP500 FaultKind = "http500"
	// FaultMalformed: status 200 with a body that is not JSON.
	FaultMalformed FaultKind = "malformed"
	// FaultTruncated: the real answer cut in the middle; the
	// Content-Length matches what is sent, so only the JSON is broken.
	FaultTruncated FaultKind = "truncated"
	// FaultGraphQLError: status 200 with a GraphQL error of code
	// Fault.Code and no data.
	FaultGraphQLError FaultKind = "graphql-error"
	// FaultAuth: the request is treated as carrying a wrong token: every
	// root field fails with AUTH_REQUIRED, as when a token is revoked.
	FaultAuth FaultKind = "auth"
	// FaultReset: the connection is reset (TCP RST) after the request is
	// read, without an answer.
	FaultReset FaultKind = "reset"
)

// FaultKinds lists the kinds in the order of the documentation.
func FaultKinds() []FaultKind {
	return []FaultKind{FaultNone, FaultHTTP500, FaultMalformed, FaultTruncated, FaultGraphQLError, FaultAuth, FaultReset}
}

// ParseFaultKind reads a kind by its name ("http500", "reset", …); "" is
// FaultNone.
func ParseFaultKind(s string) (FaultKind, error) {
	if s == "" {
		return FaultNone, nil
	}
	for _, k := range FaultKinds() {
		if string(k) == s {
			return k, nil
		}
	}
	names := make([]string, 0, len(FaultKinds()))
	for _, k := range FaultKinds() {
		names = append(names, string(k))
	}
	return "", fmt.Errorf("openctitest: unknown fault %q (want one of %s)", s, strings.Join(names, ", "))
}

// Fault is a failure to inject into the answers to GraphQL requests. The
// zero Fault injects nothing.
type Fault struct {
	Kind FaultKind
	// Status is the HTTP status of FaultHTTP500; 0 means 500. Use 502, 503
	// or 504 to exercise a client's retries.
	Status int
	// Code and Message make the error of FaultGraphQLError; defaults
	// INTERNAL_SERVER_ERROR and "openctitest: injected error".
	Code, Message string
	// Times is how many requests the fault affects, after which the fake
	// answers normally again; 0 means every request until it is changed.
	Times int
}

func (f Fault) active() bool { return f.Kind != "" && f.Kind != FaultNone }
