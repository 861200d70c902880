package call

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// seen records what the final hop of a redirect chain received.
type seen struct {
	mu    sync.Mutex
	hits  int
	auth  string
	key   string
	cook  string
	query url.Values
}

func (s *seen) record(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits++
	s.auth = r.Header.Get("Authorization")
	s.key = r.Header.Get("X-Api-Key")
	s.cook = r.Header.Get("Cookie")
	s.query = r.URL.Query()
}

// finalServer answers 200 on /final and records the request.
func finalServer(t *testing.T, tls bool) (*httptest.Server, *seen) {
	t.Helper()
	s := &seen{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/final" {
			s.record(r)
			fmt.Fprint(w, "ok")
			return
		}
		http.NotFound(w, r)
	})
	var srv *httptest.Server
	if tls {
		srv = quietTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	return srv, s
}

// redirector redirects /start to target, keeping the query as a naive
// server would; /final on itself records like finalServer.
func redirector(t *testing.T, tls bool, target func(r *http.Request) string) (*httptest.Server, *seen) {
	t.Helper()
	s := &seen{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/start":
			http.Redirect(w, r, target(r)+"?"+r.URL.RawQuery, http.StatusFound)
		case "/final":
			s.record(r)
			fmt.Fprint(w, "ok")
		default:
			http.NotFound(w, r)
		}
	})
	var srv *httptest.Server
	if tls {
		srv = quietTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	return srv, s
}

// credRequest carries every kind of credential at once.
func credRequest(t *testing.T, rawURL string) *Request {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return &Request{
		Method: "GET", URL: u,
		Header: http.Header{
			"Authorization": {"Bearer tok-secret"},
			"X-Api-Key":     {"key-secret"},
			"Cookie":        {"session=cookie-secret"},
			"X-Other":       {"kept"},
		},
		SecretHeaders: []string{"X-Api-Key"},
		SecretQuery:   []string{"api_key"},
		secrets:       []string{"tok-secret", "key-secret", "q-secret"},
	}
}

func TestRedirectDropsCredentialsAcrossOrigins(t *testing.T) {
	type setup func(t *testing.T) (start string, s *seen)
	cases := map[string]setup{
		"cross-host 127.0.0.1 -> localhost": func(t *testing.T) (string, *seen) {
			var srv *httptest.Server
			srv, s := redirector(t, false, func(r *http.Request) string {
				return fmt.Sprintf("http://localhost:%d/final", srv.Listener.Addr().(*net.TCPAddr).Port)
			})
			return srv.URL + "/start", s
		},
		"port change": func(t *testing.T) (string, *seen) {
			fin, s := finalServer(t, false)
			srv, _ := redirector(t, false, func(*http.Request) string { return fin.URL + "/final" })
			return srv.URL + "/start", s
		},
		"https -> http": func(t *testing.T) (string, *seen) {
			fin, s := finalServer(t, false)
			srv, _ := redirector(t, true, func(*http.Request) string { return fin.URL + "/final" })
			return srv.URL + "/start", s
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			start, s := mk(t)
			req := credRequest(t, start+"?api_key=q-secret&keep=1")
			c := NewClient(ClientOptions{Insecure: true})
			resp, err := c.Do(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != 200 || resp.Redirects != 1 || s.hits != 1 {
				t.Fatalf("status %d, redirects %d, hits %d; want 200, 1, 1", resp.Status, resp.Redirects, s.hits)
			}
			if s.auth != "" || s.key != "" || s.cook != "" || s.query.Has("api_key") {
				t.Errorf("credentials crossed origins: Authorization=%q X-Api-Key=%q Cookie=%q api_key=%q", s.auth, s.key, s.cook, s.query.Get("api_key"))
			}
			if s.query.Get("keep") != "1" {
				t.Errorf("other query parameters must stay: %v", s.query)
			}
		})
	}
}

func TestRedirectSameOriginKeepsCredentials(t *testing.T) {
	var srv *httptest.Server
	srv, s := redirector(t, false, func(*http.Request) string { return srv.URL + "/final" })
	req := credRequest(t, srv.URL+"/start?api_key=q-secret")
	resp, err := NewClient(ClientOptions{}).Do(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || s.hits != 1 {
		t.Fatalf("status %d hits %d", resp.Status, s.hits)
	}
	if s.auth != "Bearer tok-secret" || s.key != "key-secret" || s.query.Get("api_key") != "q-secret" {
		t.Errorf("same-origin redirect lost credentials: %q %q %v", s.auth, s.key, s.query)
	}
	if resp.URL != srv.URL+"/final?api_key=****" {
		t.Errorf("final URL = %q, want the key masked", resp.URL)
	}
}

// Once dropped, credentials stay dropped when a later hop returns to the
// first origin.
func TestRedirectBackToOriginStaysStripped(t *testing.T) {
	var a *httptest.Server
	b, _ := redirector(t, false, func(*http.Request) string { return a.URL + "/final" })
	a, s := redirector(t, false, func(*http.Request) string { return b.URL + "/start" })
	req := credRequest(t, a.URL+"/start?api_key=q-secret")
	resp, err := NewClient(ClientOptions{}).Do(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Redirects != 2 || s.hits != 1 {
		t.Fatalf("redirects %d hits %d, want 2 and 1", resp.Redirects, s.hits)
	}
	if s.auth != "" || s.key != "" || s.query.Has("api_key") {
		t.Errorf("credentials came back: %q %q %v", s.auth, s.key, s.query)
	}
}

func TestRedirectLimit(t *testing.T) {
	// /r/N redirects to /r/N-1; /r/0 answers. /r/5 is 5 redirects.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(r.URL.Path, "/r/%d", &n)
		if n == 0 {
			fmt.Fprint(w, "done")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/r/%d", n-1), http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	c := NewClient(ClientOptions{})
	resp, err := c.Do(context.Background(), credRequest(t, srv.URL+"/r/5"))
	if err != nil || resp.Status != 200 || resp.Redirects != 5 {
		t.Fatalf("5 redirects: resp %+v err %v; want 200 after 5", resp, err)
	}
	_, err = c.Do(context.Background(), credRequest(t, srv.URL+"/r/6"))
	if !errors.Is(err, ErrTooManyRedirects) {
		t.Fatalf("6 redirects: err = %v, want ErrTooManyRedirects", err)
	}
}

func TestTLSSelfSigned(t *testing.T) {
	srv := quietTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "hi") }))
	t.Cleanup(srv.Close)
	req := credRequest(t, srv.URL+"/?api_key=q-secret")
	_, err := NewClient(ClientOptions{}).Do(context.Background(), req)
	if !errors.Is(err, ErrTLS) {
		t.Fatalf("err = %v, want ErrTLS", err)
	}
	if strings.Contains(err.Error(), "q-secret") || !strings.Contains(err.Error(), "--insecure") {
		t.Errorf("error should mention --insecure and hide the key: %v", err)
	}
	resp, err := NewClient(ClientOptions{Insecure: true}).Do(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || string(resp.Body) != "hi" {
		t.Fatalf("got %d %q", resp.Status, resp.Body)
	}
	if len(resp.Notices) != 1 || !strings.Contains(resp.Notices[0], "verification was OFF") {
		t.Errorf("notices = %q, want the insecure warning", resp.Notices)
	}
}

func TestHeaderTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs before srv.Close
	c := NewClient(ClientOptions{HeaderTimeout: 50 * time.Millisecond})
	_, err := c.Do(context.Background(), credRequest(t, srv.URL+"/"))
	var te *TimeoutError
	if !errors.Is(err, ErrTimeout) || !errors.As(err, &te) || te.Phase != "headers" {
		t.Fatalf("err = %v, want a headers TimeoutError", err)
	}
}

func TestTotalTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	c := NewClient(ClientOptions{TotalTimeout: 100 * time.Millisecond})
	_, err := c.Do(context.Background(), credRequest(t, srv.URL+"/"))
	var te *TimeoutError
	if !errors.As(err, &te) || te.Phase != "total" {
		t.Fatalf("err = %v, want a total TimeoutError", err)
	}
}

func TestBodyCap(t *testing.T) {
	chunk := strings.Repeat("x", 1<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 6; i++ {
			fmt.Fprint(w, chunk)
		}
	}))
	t.Cleanup(srv.Close)
	resp, err := NewClient(ClientOptions{}).Do(context.Background(), credRequest(t, srv.URL+"/"))
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Truncated || len(resp.Body) != 5<<20 || resp.Size != 5<<20 {
		t.Fatalf("truncated %v, body %d bytes; want true and %d", resp.Truncated, len(resp.Body), 5<<20)
	}
	if len(resp.Notices) != 1 || resp.Notices[0] != "the response body was cut at 5 MiB (the server sent more)" {
		t.Errorf("notices = %q", resp.Notices)
	}
	// Exactly 5 MiB is not cut.
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 5; i++ {
			fmt.Fprint(w, chunk)
		}
	}))
	t.Cleanup(srv2.Close)
	resp, err = NewClient(ClientOptions{}).Do(context.Background(), credRequest(t, srv2.URL+"/"))
	if err != nil || resp.Truncated || len(resp.Body) != 5<<20 {
		t.Fatalf("5 MiB: truncated %v, %d bytes, err %v", resp.Truncated, len(resp.Body), err)
	}
}

func TestConnectionErrorHidesQuerySecret(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there any more
	_, err := NewClient(ClientOptions{}).Do(context.Background(), credRequest(t, addr+"/?api_key=q-secret"))
	if err == nil {
		t.Fatal("want a connection error")
	}
	if strings.Contains(err.Error(), "q-secret") || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("error = %v, want connection refused without the key", err)
	}
}

// quietTLSServer is httptest.NewTLSServer without the handshake-error log
// lines that the rejected self-signed handshakes write.
func quietTLSServer(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	return srv
}
