package crawl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is an injected clock: Sleep advances it at once and
// records the wait.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.waits = append(f.waits, d)
	f.mu.Unlock()
	return ctx.Err()
}

func (f *fakeClock) Waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// testServer is a small stand-in of the reference site on 127.0.0.1:
// robots.txt, a list page and connector pages, with ETag/304, per-path
// fault scripts, and counters for requests and requests in flight.
type testServer struct {
	t   testing.TB
	srv *httptest.Server

	mu           sync.Mutex
	pages        map[string][]byte // path -> body
	robots       string
	robotsStatus int
	// faults answer a path instead of the page; n is the 1-based request
	// number for that path. Returning false serves the page normally.
	faults map[string]func(w http.ResponseWriter, r *http.Request, n int) bool
	hits   map[string]int
	agents map[string]bool
	// starts records the injected clock's time at each request's arrival,
	// when clock is set.
	clock  *fakeClock
	starts []time.Time
	// accepts holds the last Accept header per path.
	accepts map[string]string

	inflight, maxInflight atomic.Int32
}

const testPrefix = "/en-us/connectors/"

func newTestServer(t testing.TB, n int) *testServer {
	s := &testServer{t: t, pages: map[string][]byte{}, robotsStatus: http.StatusOK,
		robots: "User-agent: *\nAllow: /\n", faults: map[string]func(http.ResponseWriter, *http.Request, int) bool{},
		hits: map[string]int{}, agents: map[string]bool{}, accepts: map[string]string{}}
	var ids []string
	for i := 0; i < n; i++ {
		ids = append(ids, fmt.Sprintf("conn%03d", i))
	}
	s.setList(ids, nil)
	for _, id := range ids {
		s.pages[testPrefix+id+"/"] = testPage(id, 1)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *testServer) base() string { return s.srv.URL + testPrefix }

// setList renders the list page for ids; names overrides display names.
func (s *testServer) setList(ids []string, names map[string]string) {
	var b strings.Builder
	b.WriteString("<html><body><main><h2 id=\"list-of-connectors\">List of connectors</h2><table><tr>")
	for i, id := range ids {
		if i > 0 && i%4 == 0 {
			b.WriteString("</tr><tr>")
		}
		premium := ""
		if i%3 == 0 {
			premium = `<img alt="Premium" title="Premium" src="media/premium.png">`
		}
		name := "Test Connector " + id
		if n, ok := names[id]; ok {
			name = n
		}
		fmt.Fprintf(&b, `<td width="25%%"><img src="/icons/%s.png" title="%s"><a href="/en-us/connectors/%s/">%s</a><img alt="Power Automate" title="Power Automate" src="media/pa.png">%s</td>`,
			id, name, id, name, premium)
	}
	b.WriteString("</tr></table></main></body></html>")
	s.mu.Lock()
	s.pages[testPrefix+"connector-reference/"] = []byte(b.String())
	s.mu.Unlock()
}

// testPage renders an invented connector page; version changes its
// content (and so its ETag).
func testPage(id string, version int) []byte {
	return []byte(fmt.Sprintf(`<html><head><title>Test Connector %[1]s - Connectors | Microsoft Learn</title></head><body><main>
<h1>Test Connector %[1]s</h1><p>Invented connector %[1]s, version %[2]d.</p>
<p>This connector is available in the following products and regions:</p>
<table><thead><tr><th>Service</th><th>Class</th><th>Regions</th></tr></thead>
<tbody><tr><td><strong>Power Automate</strong></td><td>Standard</td><td>All regions</td></tr></tbody></table>
<table><thead><tr><th>Connector Metadata</th><th>-</th></tr></thead><tbody><tr><td>Publisher</td><td>Test Publisher</td></tr></tbody></table>
<h2 id="throttling-limits">Throttling Limits</h2>
<table><thead><tr><th>Name</th><th>Calls</th><th>Renewal Period</th></tr></thead><tbody><tr><td>API calls per connection</td><td>100</td><td>60 seconds</td></tr></tbody></table>
<h2 id="actions">Actions</h2>
<table><tr><td><a href="#get-item-(v2)">Get item (V2)</a></td><td>Gets an item.</td></tr></table>
<h3 id="get-item-(v2)">Get item (V2)</h3>
<div><dl><dt>Operation ID:</dt><dd>GetItemV2</dd></dl></div>
<p>Gets an item.</p>
<h4>Parameters</h4>
<table><thead><tr><th>Name</th><th>Key</th><th>Required</th><th>Type</th><th>Description</th></tr></thead>
<tbody><tr><td>Item id</td><td>itemId</td><td>True</td><td>string</td><td>Which item</td></tr></tbody></table>
</main></body></html>`, id, version))
}

func (s *testServer) setPage(id string, body []byte) {
	s.mu.Lock()
	s.pages[testPrefix+id+"/"] = body
	s.mu.Unlock()
}

// setPath serves body at path (which may hold a query).
func (s *testServer) setPath(path string, body []byte) {
	s.mu.Lock()
	s.pages[path] = body
	s.mu.Unlock()
}

func (s *testServer) fault(path string, f func(w http.ResponseWriter, r *http.Request, n int) bool) {
	s.mu.Lock()
	s.faults[path] = f
	s.mu.Unlock()
}

func (s *testServer) hitsFor(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *testServer) totalHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, h := range s.hits {
		n += h
	}
	return n
}

func (s *testServer) resetHits() {
	s.mu.Lock()
	s.hits = map[string]int{}
	s.mu.Unlock()
}

func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}

func (s *testServer) serve(w http.ResponseWriter, r *http.Request) {
	// Counted from arrival to the decision, before any byte is written:
	// the crawler holds its slot until it has read the whole body, so
	// this interval lies inside the crawler's.
	cur := s.inflight.Add(1)
	for {
		m := s.maxInflight.Load()
		if cur <= m || s.maxInflight.CompareAndSwap(m, cur) {
			break
		}
	}
	key := r.URL.Path
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	s.mu.Lock()
	s.hits[key]++
	n := s.hits[key]
	s.agents[r.UserAgent()] = true
	if s.clock != nil {
		s.starts = append(s.starts, s.clock.Now())
	}
	s.accepts[key] = r.Header.Get("Accept")
	fault := s.faults[key]
	body, ok := s.pages[key]
	robots, robotsStatus := s.robots, s.robotsStatus
	s.mu.Unlock()
	s.inflight.Add(-1)

	if fault != nil && fault(w, r, n) {
		return
	}
	if r.URL.Path == "/robots.txt" {
		w.WriteHeader(robotsStatus)
		_, _ = w.Write([]byte(robots))
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	etag := etagOf(body)
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(body)
}

// testOptions are the options every crawl test starts from: no delay,
// an injected clock, a cache and a state file in a temp folder.
func testOptions(t testing.TB, s *testServer, clock *fakeClock, dir string) Options {
	if dir == "" {
		dir = t.TempDir()
	}
	return Options{
		BaseURL:       s.base(),
		Concurrency:   2,
		Delay:         -1,
		Jitter:        -1,
		CacheDir:      dir + "/cache/pages",
		StateFile:     dir + "/refresh/state.json",
		RetryAfterCap: 2 * time.Second,
		Now:           clock.Now,
		Sleep:         clock.Sleep,
		Rand:          func() float64 { return 0.5 },
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
