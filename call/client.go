package call

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/connex-dev/connex/internal/limitio"
	"github.com/connex-dev/connex/internal/opt"
)

// Policy defaults.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultHeaderTimeout  = 15 * time.Second
	DefaultTotalTimeout   = 60 * time.Second
	DefaultMaxBody        = 5 << 20 // 5 MiB
	DefaultMaxRedirects   = 5
)

// Sentinel errors of sending.
var (
	// ErrTimeout: a connect, headers or total time limit was hit; the
	// *TimeoutError that matches it says which.
	ErrTimeout = errors.New("timed out")
	// ErrTooManyRedirects: the server redirected more than MaxRedirects
	// times.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrTLS: the server's certificate was not trusted.
	ErrTLS = errors.New("TLS certificate not trusted")
)

// TimeoutError says which limit was hit. It matches ErrTimeout.
type TimeoutError struct {
	Phase string // "connect", "headers", "total"
	Limit time.Duration
	Err   error
}

func (e *TimeoutError) Error() string {
	what := map[string]string{
		"connect": "connecting",
		"headers": "waiting for the response headers",
		"total":   "the whole call",
	}[e.Phase]
	return fmt.Sprintf("timed out after %s %s (raise it with --timeout)", e.Limit, what)
}

func (e *TimeoutError) Is(target error) bool { return target == ErrTimeout }
func (e *TimeoutError) Unwrap() error        { return e.Err }

// ClientOptions tune the sending policy; zero values take the defaults.
type ClientOptions struct {
	// Insecure skips TLS verification for this client (a per-call choice).
	Insecure       bool
	ConnectTimeout time.Duration
	HeaderTimeout  time.Duration
	TotalTimeout   time.Duration
	MaxBody        int64
	MaxRedirects   int
	// Transport replaces the network transport (tests); the redirect and
	// size policy still apply.
	Transport http.RoundTripper
}

// Client sends built requests under the policy.
type Client struct {
	opts ClientOptions
	rt   http.RoundTripper
}

// NewClient returns a client with the options' policy.
func NewClient(opts ClientOptions) *Client {
	opts.ConnectTimeout = opt.Positive(opts.ConnectTimeout, DefaultConnectTimeout)
	opts.HeaderTimeout = opt.Positive(opts.HeaderTimeout, DefaultHeaderTimeout)
	opts.TotalTimeout = opt.Positive(opts.TotalTimeout, DefaultTotalTimeout)
	opts.MaxBody = opt.Positive(opts.MaxBody, DefaultMaxBody)
	opts.MaxRedirects = opt.Positive(opts.MaxRedirects, DefaultMaxRedirects)
	rt := opts.Transport
	if rt == nil {
		dialer := &net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second}
		rt = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   opts.ConnectTimeout,
			ResponseHeaderTimeout: opts.HeaderTimeout,
			TLSClientConfig:       &tls.Config{InsecureSkipVerify: opts.Insecure, MinVersion: tls.VersionTLS12}, //nolint:gosec // per-call --insecure, with a visible warning
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          4,
			IdleConnTimeout:       30 * time.Second,
			DisableCompression:    false,
		}
	}
	return &Client{opts: opts, rt: rt}
}

// Options returns the effective options.
func (c *Client) Options() ClientOptions { return c.opts }

// Response is what came back.
type Response struct {
	Status     int
	StatusText string // "200 OK"
	Proto      string
	Headers    http.Header
	Body       []byte
	// Size is the number of body bytes read (at most MaxBody).
	Size int64
	// Truncated is true when the body was longer than MaxBody and was cut.
	Truncated bool
	Duration  time.Duration
	// URL is the final URL after redirects, secrets masked.
	URL string
	// Redirects is the number of redirects followed.
	Redirects int
	// Notices are warnings to show the user (truncation, insecure TLS).
	Notices []string
}

// Do sends req and reads the response under the policy. Secrets of req
// are scrubbed from any error text.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.TotalTimeout)
	defer cancel()
	hr, err := req.HTTPRequest(ctx)
	if err != nil {
		return nil, err
	}
	redirects := 0
	hc := &http.Client{
		Transport: c.rt,
		CheckRedirect: func(next *http.Request, via []*http.Request) error {
			if len(via) > c.opts.MaxRedirects {
				return fmt.Errorf("%w: stopped after %d redirects (the limit is %d)", ErrTooManyRedirects, len(via)-1, c.opts.MaxRedirects)
			}
			redirects = len(via)
			if crossesOrigin(via[0].URL, via[1:], next.URL) {
				stripCredentials(next, req)
			}
			return nil
		},
	}
	start := time.Now()
	resp, err := hc.Do(hr)
	if err != nil {
		return nil, c.classify(ctx, req, err)
	}
	defer resp.Body.Close()
	body, cut, readErr := limitio.ReadAll(resp.Body, c.opts.MaxBody)
	dur := time.Since(start)
	out := &Response{
		Status:     resp.StatusCode,
		StatusText: resp.Status,
		Proto:      resp.Proto,
		Headers:    resp.Header,
		Duration:   dur,
		URL:        req.Scrub(maskQuery(resp.Request.URL, req.isSecretQuery, Mask)),
		Redirects:  redirects,
	}
	if cut {
		out.Truncated = true
		out.Notices = append(out.Notices, fmt.Sprintf("the response body was cut at %s (the server sent more)", FormatSize(c.opts.MaxBody)))
	}
	out.Body = body
	out.Size = int64(len(body))
	if c.opts.Insecure {
		out.Notices = append(out.Notices, "TLS certificate verification was OFF for this call (--insecure)")
	}
	if readErr != nil {
		return out, c.classify(ctx, req, readErr)
	}
	return out, nil
}

// crossesOrigin reports whether any hop after the first request has another
// scheme, host or port. Once credentials are dropped they stay dropped,
// even if a later hop comes back to the first origin.
func crossesOrigin(first *url.URL, hops []*http.Request, next *url.URL) bool {
	o := origin(first)
	for _, h := range hops {
		if origin(h.URL) != o {
			return true
		}
	}
	return origin(next) != o
}

func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch u.Scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

// stripCredentials removes every credential from a redirected request: the
// standard ones, the connector's API-key header and query parameter. Go's
// client copies custom headers and keeps the URL query on redirects.
func stripCredentials(next *http.Request, req *Request) {
	for _, h := range alwaysSecretHeaders {
		next.Header.Del(h)
	}
	for _, h := range req.SecretHeaders {
		next.Header.Del(h)
	}
	if len(req.SecretQuery) > 0 && next.URL.RawQuery != "" {
		parts := strings.Split(next.URL.RawQuery, "&")
		kept := parts[:0]
		for _, p := range parts {
			k, _, _ := strings.Cut(p, "=")
			name, err := url.QueryUnescape(k)
			if err != nil {
				name = k
			}
			if !req.isSecretQuery(name) {
				kept = append(kept, p)
			}
		}
		next.URL.RawQuery = strings.Join(kept, "&")
	}
	// Userinfo in a Location header would be turned into Basic auth.
	next.URL.User = nil
}

// classify turns a transport error into a clear one, with the secrets of
// the request scrubbed from its text.
func (c *Client) classify(ctx context.Context, req *Request, err error) error {
	var te *TimeoutError
	switch {
	case errors.Is(err, ErrTooManyRedirects):
		return scrubbed(req, err, ErrTooManyRedirects)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		te = &TimeoutError{Phase: "total", Limit: c.opts.TotalTimeout, Err: err}
	case strings.Contains(err.Error(), "timeout awaiting response headers"):
		te = &TimeoutError{Phase: "headers", Limit: c.opts.HeaderTimeout, Err: err}
	case isDialTimeout(err):
		te = &TimeoutError{Phase: "connect", Limit: c.opts.ConnectTimeout, Err: err}
	}
	if te != nil {
		return te
	}
	var cv *tls.CertificateVerificationError
	if errors.As(err, &cv) || strings.Contains(err.Error(), "x509:") {
		return fmt.Errorf("%w: %s (check the server's certificate; --insecure skips the check for one call)", ErrTLS, req.Scrub(err.Error()))
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("call cancelled: %w", context.Canceled)
	}
	return scrubbed(req, err, nil)
}

func isDialTimeout(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		var ne net.Error
		return errors.As(err, &ne) && ne.Timeout()
	}
	return false
}

// scrubbedError keeps errors.Is working while hiding secrets in the text.
type scrubbedError struct {
	msg      string
	sentinel error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.sentinel }

func scrubbed(req *Request, err error, sentinel error) error {
	// url.Error repeats the method and the URL, query secrets included;
	// callers name the request themselves.
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		err = ue.Err
	}
	msg := req.Scrub(err.Error())
	if ue != nil {
		if u, perr := url.Parse(ue.URL); perr == nil {
			msg = req.Scrub(strings.ReplaceAll(msg, ue.URL, maskQuery(u, req.isSecretQuery, Mask)))
		}
	}
	return &scrubbedError{msg: msg, sentinel: sentinel}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func trimFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}
