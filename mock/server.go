package mock

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/connex-dev/connex/catalog"
)

// Server is a mock listening on a local port.
type Server struct {
	// URL is the server's origin, "http://127.0.0.1:PORT", without the
	// connector's base path (the call engine adds it).
	URL string
	// BaseURL is URL plus the connector's base path.
	BaseURL string

	srv  *http.Server
	done chan struct{}
	err  error
}

// Start serves a mock of conn on opts.Addr (default 127.0.0.1:0, a free
// port) until Close. Non-loopback addresses need opts.Public.
func Start(conn *catalog.Connector, opts Options) (*Server, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if !opts.Public && !IsLoopback(addr) {
		return nil, fmt.Errorf("mock %s: %w: %s (listen on 127.0.0.1, or allow other machines explicitly)", conn.ID, ErrNotLoopback, addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mock %s: %w", conn.ID, err)
	}
	s := &Server{
		URL:  "http://" + ln.Addr().String(),
		srv:  &http.Server{Handler: New(conn, opts), ReadHeaderTimeout: 10 * time.Second},
		done: make(chan struct{}),
	}
	s.BaseURL = s.URL + "/" + strings.Trim(conn.BasePath, "/")
	s.BaseURL = strings.TrimSuffix(s.BaseURL, "/")
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.err = err
		}
	}()
	return s, nil
}

// Done is closed when the server stops.
func (s *Server) Done() <-chan struct{} { return s.done }

// Err is why the server stopped on its own (nil after Close).
func (s *Server) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// Close stops the server, letting requests in flight finish for up to 5 s.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	<-s.done
	return err
}

// IsLoopback reports whether a host:port listens on this machine only.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
