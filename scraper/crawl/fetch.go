package crawl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/connex-dev/connex/internal/httpx"
	"github.com/connex-dev/connex/internal/limitio"
	"github.com/connex-dev/connex/scraper/site"

	"github.com/temoto/robotstxt"
)

// hostState is the politeness state of one host: a slot per request in
// flight, the earliest start of the next request, and a pause asked for by
// Retry-After.
type hostState struct {
	sem   chan struct{}
	mu    sync.Mutex
	next  time.Time
	pause time.Time
}

type hostStates struct {
	mu    sync.Mutex
	hosts map[string]*hostState
	limit int
}

func (h *hostStates) get(host string) *hostState {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.hosts == nil {
		h.hosts = map[string]*hostState{}
	}
	hs, ok := h.hosts[host]
	if !ok {
		hs = &hostState{sem: make(chan struct{}, h.limit)}
		h.hosts[host] = hs
	}
	return hs
}

// acquire takes an in-flight slot on the host, then waits for the host's
// pacing (delay with jitter since the last start, and any Retry-After
// pause). Call the returned release when the response body is read.
func (c *crawler) acquire(ctx context.Context, host string) (func(), error) {
	hs := c.hosts.get(host)
	select {
	case hs.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release := func() { <-hs.sem }
	hs.mu.Lock()
	now := c.opts.Now()
	slot := now
	if hs.next.After(slot) {
		slot = hs.next
	}
	if hs.pause.After(slot) {
		slot = hs.pause
	}
	gap := c.opts.Delay
	if c.opts.Jitter > 0 {
		gap += time.Duration(c.opts.Rand() * float64(c.opts.Jitter))
	}
	hs.next = slot.Add(gap)
	hs.mu.Unlock()
	if wait := slot.Sub(now); wait > 0 {
		c.recordWait(wait)
		if err := c.opts.Sleep(ctx, wait); err != nil {
			release()
			return nil, err
		}
	}
	return release, nil
}

// pauseHost delays every request to host until until (Retry-After).
func (c *crawler) pauseHost(host string, until time.Time) {
	hs := c.hosts.get(host)
	hs.mu.Lock()
	if until.After(hs.pause) {
		hs.pause = until
	}
	hs.mu.Unlock()
}

// response is the outcome of one request.
type response struct {
	status int
	header http.Header
	body   []byte
	err    error
	// permanent marks errors a retry cannot fix (body over the cap).
	permanent bool
}

// fetchOnce does one GET, conditional when a cached version is known.
func (c *crawler) fetchOnce(ctx context.Context, u *url.URL, accept string, cached *cacheMeta) response {
	release, err := c.acquire(ctx, u.Host)
	if err != nil {
		return response{err: err}
	}
	defer release()
	rctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return response{err: err, permanent: true}
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	if accept == "" {
		accept = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
	}
	req.Header.Set("Accept", accept)
	if cached != nil {
		if cached.ETag != "" {
			req.Header.Set("If-None-Match", cached.ETag)
		}
		if cached.LastModified != "" {
			req.Header.Set("If-Modified-Since", cached.LastModified)
		}
	}
	c.requests.Add(1)
	resp, err := c.opts.Client.Do(req)
	if err != nil {
		return response{err: err}
	}
	defer resp.Body.Close()
	out := response{status: resp.StatusCode, header: resp.Header}
	if resp.StatusCode != http.StatusOK {
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return out
	}
	body, over, err := limitio.ReadAll(resp.Body, c.opts.MaxBody)
	if err != nil {
		out.err = fmt.Errorf("read body: %w", err)
		return out
	}
	if over {
		out.err = fmt.Errorf("%w (over %d bytes)", site.ErrPageTooLarge, c.opts.MaxBody)
		out.permanent = true
		return out
	}
	out.body = body
	return out
}

// transient reports errors worth retrying: timeouts, resets, bodies
// cut short.
func transient(err error) bool {
	if err == nil {
		return false
	}
	var ne net.Error
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, context.DeadlineExceeded) ||
		errors.As(err, &ne) || errors.Is(err, io.EOF) || strings.Contains(err.Error(), "connection reset")
}

// readRobots fetches robots.txt once. 4xx means no rules; 5xx, 429 or no
// answer means the site cannot say what it allows, so nothing is crawled.
func (c *crawler) readRobots(ctx context.Context) error {
	u := c.base.ResolveReference(&url.URL{Path: "/robots.txt"})
	r := c.fetchOnce(ctx, u, "text/plain", nil)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	switch {
	case r.err != nil:
		// No HTTP answer at all: the host could not be reached, which is
		// not the site asking crawlers to stay away.
		return &UnreachableError{Host: u.Host, Err: r.err}
	case r.status == http.StatusTooManyRequests || r.status >= 500:
		return fmt.Errorf("%w: %s answered %d (try again later)", ErrRobotsUnavailable, u, r.status)
	case r.status >= 400:
		c.robots = nil
		return nil
	case r.status != http.StatusOK:
		return fmt.Errorf("%w: %s answered %d", ErrRobotsUnavailable, u, r.status)
	}
	data, err := robotstxt.FromStatusAndBytes(r.status, r.body)
	if err != nil {
		return fmt.Errorf("%w: %s cannot be read: %v", ErrRobotsUnavailable, u, err)
	}
	c.robots = data
	if d := data.FindGroup(robotsAgent).CrawlDelay; d > c.opts.Delay {
		c.opts.Delay = d
		// robots.txt itself was paced without it.
		hs := c.hosts.get(u.Host)
		hs.mu.Lock()
		if next := c.opts.Now().Add(d); next.After(hs.next) {
			hs.next = next
		}
		hs.mu.Unlock()
	}
	return nil
}

func (c *crawler) allowed(u *url.URL) bool {
	if c.robots == nil {
		return true
	}
	return c.robots.TestAgent(u.EscapedPath(), robotsAgent)
}

// fetched is a page's body and where it came from.
type fetched struct {
	body     []byte
	meta     *cacheMeta
	fresh    bool // downloaded now (200), not from the cache
	status   int
	attempts int
}

// errDeferred says a page was put back at the end of the queue.
var errDeferred = errors.New("deferred")

// httpError is a failed page's last answer.
type httpError struct {
	status int
	err    error
}

func (e *httpError) Error() string {
	if e.err != nil {
		if e.status != 0 {
			return fmt.Sprintf("HTTP %d: %v", e.status, e.err)
		}
		return e.err.Error()
	}
	return fmt.Sprintf("HTTP %d %s", e.status, http.StatusText(e.status))
}

// fetch gets one page with retries. 429 and 503 with Retry-After pause the
// host (capped) and defer the page to the end of the queue; other 5xx,
// timeouts and cut bodies are retried after a jittered exponential
// backoff; 404 and other 4xx fail at once. 304 reads the cached body.
func (c *crawler) fetch(ctx context.Context, t *task) (*fetched, error) {
	var cached *cacheMeta
	if !t.noCache {
		cached = c.cache.meta(t.url.String())
	}
	for {
		t.attempts++
		r := c.fetchOnce(ctx, t.url, t.accept, cached)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		t.status = r.status
		switch {
		case r.err == nil && r.status == http.StatusOK:
			meta := &cacheMeta{URL: t.url.String(), ETag: r.header.Get("ETag"), LastModified: r.header.Get("Last-Modified"), FetchedAt: c.opts.Now().UTC()}
			// FetchedAt identifies this body: a catalogue entry made from
			// it carries the same time. Keep it strictly increasing per
			// page even when the clock is coarse or stopped.
			if old := c.cache.meta(meta.URL); old != nil && !meta.FetchedAt.After(old.FetchedAt) {
				meta.FetchedAt = old.FetchedAt.Add(time.Nanosecond)
			}
			if err := c.cache.store(meta, r.body); err != nil {
				c.warn(err)
			}
			return &fetched{body: r.body, meta: meta, fresh: true, status: r.status, attempts: t.attempts}, nil
		case r.err == nil && r.status == http.StatusNotModified && cached != nil:
			return &fetched{meta: cached, status: r.status, attempts: t.attempts}, nil
		case r.permanent:
			return nil, &httpError{status: r.status, err: r.err}
		}
		retryable := r.status == http.StatusTooManyRequests || r.status >= 500 || (r.err != nil && transient(r.err))
		if !retryable || t.attempts >= c.opts.MaxRetries {
			return nil, &httpError{status: r.status, err: r.err}
		}
		if ra, ok := httpx.RetryAfter(r.header.Get("Retry-After"), c.opts.Now()); ok && r.err == nil {
			if ra > c.opts.RetryAfterCap {
				ra = c.opts.RetryAfterCap
			}
			c.pauseHost(t.url.Host, c.opts.Now().Add(ra))
			c.emit(Event{Type: "defer", URL: t.url.String(), ID: t.id, Status: r.status, Attempt: t.attempts, WaitMS: ra.Milliseconds()})
			return nil, errDeferred
		}
		backoff := c.opts.Backoff << (t.attempts - 1)
		backoff = time.Duration(float64(backoff) * (0.5 + c.opts.Rand()))
		c.emit(Event{Type: "retry", URL: t.url.String(), ID: t.id, Status: r.status, Attempt: t.attempts, WaitMS: backoff.Milliseconds(), Error: errText(r.err)})
		c.recordWait(backoff)
		if err := c.opts.Sleep(ctx, backoff); err != nil {
			return nil, err
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
