package crawl

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/connex-dev/connex/internal/opt"
	"github.com/connex-dev/connex/scraper/site"
)

// DefaultSiteBase is the reference site's connectors folder; %s is the
// locale.
const DefaultSiteBase = "https://learn.microsoft.com/%s/connectors/"

// ContactURL identifies connex in the User-Agent, so site operators can
// find who is crawling.
const ContactURL = "https://github.com/connex-dev/connex"

// DefaultUserAgent is the identifying User-Agent for a connex version.
func DefaultUserAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "connex/" + version + " (+" + ContactURL + ")"
}

// robotsAgent is the robots.txt agent name connex obeys rules for.
const robotsAgent = "connex"

// Politeness defaults: floors for the real site. Tests and a local replica
// turn them down explicitly. DefaultDelay is the widely used crawler
// default of one request per second per host: the jitter only ever adds
// to it, so no two request starts to a host are closer than Delay.
const (
	DefaultConcurrency   = 2
	DefaultDelay         = time.Second
	DefaultTimeout       = 30 * time.Second
	DefaultMaxAttempts   = 3
	DefaultRetryAfterCap = 120 * time.Second
	DefaultBackoff       = time.Second
)

// Run errors, matched with errors.Is.
var (
	// ErrRobotsUnavailable: robots.txt answered 429, 5xx or another
	// status than 200 and 4xx, or could not be parsed; nothing is
	// crawled then.
	ErrRobotsUnavailable = errors.New("robots.txt unavailable: the site asks crawlers to stay away while it cannot be read")
	// ErrDisallowed: robots.txt forbids the connector list page.
	ErrDisallowed = errors.New("disallowed by robots.txt")
	// ErrListPage: the connector list page could not be fetched or
	// parsed, or lists no connectors; the catalogue is kept.
	ErrListPage = errors.New("connector list page unusable")
	// ErrBadBaseURL: Options.BaseURL is not an http(s) URL.
	ErrBadBaseURL = errors.New("bad base URL")
	// ErrUnreachable: the site did not answer at all (no name resolution,
	// no route, connection refused, TLS failure, timeout), which says
	// nothing of what the site allows.
	ErrUnreachable = errors.New("site unreachable")
)

// UnreachableError is a crawl that could not reach the site's host. It
// matches ErrUnreachable and ErrRobotsUnavailable (robots.txt could not be
// read, so nothing was crawled), but says what happened.
type UnreachableError struct {
	Host string
	Err  error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach %s: no network? (%v)", e.Host, e.Err)
}

func (e *UnreachableError) Unwrap() []error {
	return []error{ErrUnreachable, ErrRobotsUnavailable, e.Err}
}

// Options configures a crawl. The zero value crawls the real site
// politely: 2 requests in flight per host, request starts at least 1 s
// apart (1 s plus up to 0.5 s of jitter), 3 attempts, Retry-After capped
// at 120 s.
type Options struct {
	// BaseURL is the connectors folder: list page at
	// <base>connector-reference/, connector pages at <base><id>/.
	// Default https://learn.microsoft.com/<locale>/connectors/.
	BaseURL string
	// Locale picks the default base URL's language (default en-us).
	Locale string
	// Concurrency is the most requests in flight per host (default 2).
	Concurrency int
	// Delay is the least time between request starts per host; Jitter
	// adds a random part of up to Jitter. Zero means the default (1 s, and
	// half the delay); negative means none.
	Delay, Jitter time.Duration
	// UserAgent identifies the crawler (default DefaultUserAgent("")).
	UserAgent string
	// Only limits connector pages to these ids (the list page is still
	// read); other connectors stay as they are in the previous catalogue.
	Only []string
	// CacheDir holds one file per page (named by the SHA-256 of its URL)
	// with its ETag / Last-Modified and body. Empty: no cache, so no
	// conditional requests.
	CacheDir string
	// StateFile records progress so an interrupted crawl resumes. Empty:
	// not resumable.
	StateFile string
	// CommitLater keeps the progress after a complete crawl until
	// Result.Commit is called: a caller that saves the catalogue
	// commits after saving, so a crash between the crawl and the save
	// resumes without requesting the pages again. Without it the progress
	// is dropped as soon as the crawl completes.
	CommitLater bool
	// Timeout bounds each request (default 30 s).
	Timeout time.Duration
	// MaxRetries is the number of attempts per page, first included
	// (default 3). 404 is never retried.
	MaxRetries int
	// RetryAfterCap caps how long a Retry-After may pause the host
	// (default 120 s); Backoff is the first retry's wait, doubled each
	// time, with jitter (default 1 s).
	RetryAfterCap, Backoff time.Duration
	// MaxBody caps a page body (default 10 MiB).
	MaxBody int64
	// Events receives progress; it is never called concurrently.
	Events func(Event)

	// Client does the requests (default: a client made for the crawl).
	Client *http.Client
	// Now, Sleep and Rand replace the clock, waiting and jitter, so tests
	// run without real waits and with exact figures.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	Rand  func() float64 // in [0, 1)
}

// withDefaults fills the zero fields and checks the base URL.
func (o Options) withDefaults() (Options, *url.URL, error) {
	if o.Locale == "" {
		o.Locale = "en-us"
	}
	if o.BaseURL == "" {
		o.BaseURL = fmt.Sprintf(DefaultSiteBase, strings.ToLower(o.Locale))
	}
	base, err := url.Parse(o.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return o, nil, fmt.Errorf("%w %q: want an http(s) URL such as %s", ErrBadBaseURL, o.BaseURL, fmt.Sprintf(DefaultSiteBase, "en-us"))
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	base.RawQuery, base.Fragment = "", ""
	o.BaseURL = base.String()
	o.Concurrency = opt.Positive(o.Concurrency, DefaultConcurrency)
	if o.Delay == 0 {
		o.Delay = DefaultDelay
	}
	if o.Delay < 0 {
		o.Delay = 0
	}
	if o.Jitter == 0 {
		o.Jitter = o.Delay / 2
	}
	if o.Jitter < 0 {
		o.Jitter = 0
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent("")
	}
	o.Timeout = opt.Positive(o.Timeout, DefaultTimeout)
	o.MaxRetries = opt.Positive(o.MaxRetries, DefaultMaxAttempts)
	o.RetryAfterCap = opt.Positive(o.RetryAfterCap, DefaultRetryAfterCap)
	o.Backoff = opt.Positive(o.Backoff, DefaultBackoff)
	o.MaxBody = opt.Positive(o.MaxBody, site.MaxPageBytes)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	if o.Client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxConnsPerHost = o.Concurrency
		tr.MaxIdleConnsPerHost = o.Concurrency
		o.Client = &http.Client{Transport: tr, CheckRedirect: checkRedirect}
	}
	return o, base, nil
}

// checkRedirect follows at most 5 redirects, and only on the same
// host: robots.txt was read for that host alone.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("more than 5 redirects")
	}
	if req.URL.Host != via[0].URL.Host {
		return fmt.Errorf("redirect to another host (%s) not followed", req.URL.Host)
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Event is one step of a crawl, for progress bars and JSON lines.
type Event struct {
	// Type is "start" (robots.txt next), "list" (list page read: Total
	// pages to crawl, Attempt the number done by an interrupted run),
	// "page" (one page finished: Outcome), "retry" (backoff of WaitMS),
	// "defer" (Retry-After: the host pauses WaitMS, the page goes last),
	// "done".
	Type    string `json:"type"`
	URL     string `json:"url,omitempty"`
	ID      string `json:"id,omitempty"`
	Outcome string `json:"outcome,omitempty"` // for page events: see PageResult
	Status  int    `json:"status,omitempty"`
	Attempt int    `json:"attempt,omitempty"`
	WaitMS  int64  `json:"wait_ms,omitempty"`
	Error   string `json:"error,omitempty"`
	Done    int    `json:"done"`
	Total   int    `json:"total"`
	Failed  int    `json:"failed"`
}

// Page outcomes.
const (
	OutcomeFetched    = "fetched"    // downloaded and parsed
	OutcomeUnchanged  = "unchanged"  // 304 (or done before a resume): the previous entry kept
	OutcomeCached     = "cached"     // 304, but re-read from the cache (the previous entry was older)
	OutcomeFailed     = "failed"     // gave up: see Status and Error
	OutcomeDisallowed = "disallowed" // robots.txt forbids it; never requested
)

// PageResult is what happened to one page.
type PageResult struct {
	URL      string `json:"url"`
	ID       string `json:"id,omitempty"`
	Outcome  string `json:"outcome"`
	Status   int    `json:"status,omitempty"`
	Attempts int    `json:"attempts"`
	Resumed  bool   `json:"resumed,omitempty"` // done by an interrupted run, not requested again
	Error    string `json:"error,omitempty"`
	Problems int    `json:"problems,omitempty"`
}
