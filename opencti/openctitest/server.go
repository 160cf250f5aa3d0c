package openctitest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// Server is a fake OpenCTI listening on a loopback address, like an
// httptest.Server. Its Handler's methods (SetFault, SetLatency, Requests, …)
// are promoted to it.
type Server struct {
	// URL is the base URL, http://127.0.0.1:<port>, without a trailing
	// slash; GraphQL is served at URL + "/graphql".
	URL string
	// Token is the API token clients must send.
	Token string

	*Handler

	srv  *http.Server
	done chan struct{}
}

// NewServer loads bundle and starts serving it on a random loopback port
// (IPv4, else IPv6). Call Close when done. Errors about the bundle match
// ErrInvalidBundle.
func NewServer(bundle *stix.Bundle, opts ...Option) (*Server, error) {
	h, err := NewHandler(bundle, opts...)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		if ln, err = net.Listen("tcp6", "[::1]:0"); err != nil {
			return nil, fmt.Errorf("openctitest: cannot listen on a loopback address: %w", err)
		}
	}
	s := &Server{
		URL:     "http://" + ln.Addr().String(),
		Token:   h.Token(),
		Handler: h,
		srv:     &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
		done:    make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			h.logger.Error("openctitest: server stopped", "error", err)
		}
	}()
	return s, nil
}

// GraphQLURL is the endpoint to give a client: URL + "/graphql".
func (s *Server) GraphQLURL() string { return s.URL + "/graphql" }

// Close stops the server: it waits a moment for requests in progress (one
// held by an injected latency is cut short) and closes every connection.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if s.srv.Shutdown(ctx) != nil {
		s.srv.Close()
	}
	<-s.done
}
