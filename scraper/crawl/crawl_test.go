package crawl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
)

func runCrawl(t *testing.T, opts Options, prev *catalog.Catalog) *Result {
	t.Helper()
	res, err := Run(context.Background(), opts, prev)
	if err != nil {
		t.Fatalf("crawl: %v", err)
	}
	return res
}

func TestCrawlFullAndPoliteness(t *testing.T) {
	for _, limit := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("concurrency%d", limit), func(t *testing.T) {
			s := newTestServer(t, 40)
			clock := newFakeClock()
			opts := testOptions(t, s, clock, "")
			opts.Concurrency = limit
			opts.UserAgent = DefaultUserAgent("1.2.3")
			res := runCrawl(t, opts, nil)
			if res.Fetched != 40 || res.Failed != 0 || res.Parsed != 40 || len(res.Pages) != 40 || !res.Changed {
				t.Fatalf("fetched %d failed %d parsed %d pages %d changed %v", res.Fetched, res.Failed, res.Parsed, len(res.Pages), res.Changed)
			}
			if got := res.Requests; got != 42 {
				t.Errorf("%d requests, want 42 (robots, list, 40 pages)", got)
			}
			if m := s.maxInflight.Load(); m > int32(limit) || m < 1 {
				t.Errorf("max in flight %d, limit %d", m, limit)
			}
			if len(s.agents) != 1 || !s.agents["connex/1.2.3 (+https://github.com/connex-dev/connex)"] {
				t.Errorf("user agents %v", s.agents)
			}
			cat := res.Catalog
			if len(cat.Connectors) != 40 {
				t.Fatalf("%d connectors", len(cat.Connectors))
			}
			c, ok := cat.Connector("conn003")
			if !ok {
				t.Fatal("conn003 missing")
			}
			if c.Name != "Test Connector conn003" || c.Tier != catalog.TierPremium || c.Publisher != "Test Publisher" ||
				len(c.Operations) != 1 || c.Operations[0].ID != "GetItemV2" || c.Operations[0].Anchor != "get-item-(v2)" ||
				c.IconURL != s.srv.URL+"/icons/conn003.png" {
				t.Errorf("conn003 %+v", c)
			}
			if src := c.Sources[catalog.SourceSite]; src.Ref != s.base()+"conn003/" || !src.At.Equal(clock.Now()) {
				t.Errorf("site source %+v", src)
			}
			if c1, _ := cat.Connector("conn001"); c1.Tier != catalog.TierStandard {
				t.Errorf("conn001 tier %q", c1.Tier)
			}
			if len(clock.Waits()) != 0 {
				t.Errorf("waits %v with politeness off", clock.Waits())
			}
			if fileExists(opts.StateFile) {
				t.Error("state file left after a complete crawl")
			}
		})
	}
}

func TestCrawlDelayWithJitter(t *testing.T) {
	s := newTestServer(t, 3)
	clock := newFakeClock()
	opts := testOptions(t, s, clock, "")
	opts.Concurrency = 1
	opts.Delay, opts.Jitter = time.Second, 400*time.Millisecond
	opts.Rand = func() float64 { return 0.25 }
	runCrawl(t, opts, nil)
	// robots, list, 3 pages: every start after the first waits 1.1 s.
	want := []time.Duration{1100 * time.Millisecond, 1100 * time.Millisecond, 1100 * time.Millisecond, 1100 * time.Millisecond}
	if got := clock.Waits(); !reflect.DeepEqual(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
}

func TestCrawlRetryAfterHonouredAndCapped(t *testing.T) {
	s := newTestServer(t, 4)
	clock := newFakeClock()
	opts := testOptions(t, s, clock, "")
	opts.Concurrency = 1
	var events []Event
	opts.Events = func(e Event) { events = append(events, e) }
	// 300 s asked, capped at 2 s.
	s.fault(testPrefix+"conn001/", func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n == 1 {
			w.Header().Set("Retry-After", "300")
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		}
		return false
	})
	// An HTTP date 1 s after the fake clock's time (a whole second).
	s.fault(testPrefix+"conn002/", func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n == 1 {
			w.Header().Set("Retry-After", clock.Now().Add(time.Second).Format(http.TimeFormat))
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		return false
	})
	res := runCrawl(t, opts, nil)
	if res.Fetched != 4 || res.Failed != 0 {
		t.Fatalf("fetched %d failed %d", res.Fetched, res.Failed)
	}
	if got, want := clock.Waits(), []time.Duration{2 * time.Second, time.Second}; !reflect.DeepEqual(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	for _, id := range []string{"conn001", "conn002"} {
		if h := s.hitsFor(testPrefix + id + "/"); h != 2 {
			t.Errorf("%s requested %d times, want 2", id, h)
		}
	}
	// Deferred pages go to the end of the queue.
	var order []string
	var defers []Event
	for _, e := range events {
		switch e.Type {
		case "page":
			order = append(order, e.ID)
		case "defer":
			defers = append(defers, e)
		}
	}
	if want := []string{"conn000", "conn003", "conn001", "conn002"}; !reflect.DeepEqual(order, want) {
		t.Errorf("page order %v, want %v", order, want)
	}
	if len(defers) != 2 || defers[0].WaitMS != 2000 || defers[0].Status != 429 || defers[1].WaitMS != 1000 || defers[1].Status != 503 {
		t.Errorf("defer events %+v", defers)
	}
}

func TestCrawlBackoffAndGiveUp(t *testing.T) {
	s := newTestServer(t, 3)
	clock := newFakeClock()
	opts := testOptions(t, s, clock, "")
	opts.Concurrency = 1
	s.fault(testPrefix+"conn000/", func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n <= 2 {
			w.WriteHeader(http.StatusBadGateway)
			return true
		}
		return false
	})
	s.fault(testPrefix+"conn001/", func(w http.ResponseWriter, r *http.Request, n int) bool {
		w.WriteHeader(http.StatusInternalServerError)
		return true
	})
	s.fault(testPrefix+"conn002/", func(w http.ResponseWriter, r *http.Request, n int) bool {
		http.NotFound(w, r)
		return true
	})
	res := runCrawl(t, opts, nil)
	// Backoff 1 s then 2 s (Rand 0.5 makes the jitter factor exactly 1).
	want := []time.Duration{time.Second, 2 * time.Second, time.Second, 2 * time.Second}
	if got := clock.Waits(); !reflect.DeepEqual(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	wantPages := []PageResult{
		{URL: s.base() + "conn000/", ID: "conn000", Outcome: OutcomeFetched, Status: 200, Attempts: 3},
		{URL: s.base() + "conn001/", ID: "conn001", Outcome: OutcomeFailed, Status: 500, Attempts: 3, Error: "HTTP 500 Internal Server Error"},
		{URL: s.base() + "conn002/", ID: "conn002", Outcome: OutcomeFailed, Status: 404, Attempts: 1, Error: "HTTP 404 Not Found"},
	}
	if !reflect.DeepEqual(res.Pages, wantPages) {
		t.Errorf("pages\n got %+v\nwant %+v", res.Pages, wantPages)
	}
	if h := s.hitsFor(testPrefix + "conn002/"); h != 1 {
		t.Errorf("404 page requested %d times, want exactly 1", h)
	}
	if h := s.hitsFor(testPrefix + "conn001/"); h != 3 {
		t.Errorf("500 page requested %d times, want 3", h)
	}
	// Failed pages without a previous entry keep a stub from the list.
	if c, ok := res.Catalog.Connector("conn001"); !ok || c.Name != "Test Connector conn001" || len(c.Operations) != 0 {
		t.Errorf("stub %+v", c)
	}
}

func TestCrawlPermanentFailuresReported(t *testing.T) {
	s := newTestServer(t, 100)
	clock := newFakeClock()
	opts := testOptions(t, s, clock, "")
	bad := []string{"conn017", "conn071"}
	for _, id := range bad {
		s.fault(testPrefix+id+"/", func(w http.ResponseWriter, r *http.Request, n int) bool {
			w.WriteHeader(http.StatusInternalServerError)
			return true
		})
	}
	res := runCrawl(t, opts, nil)
	if res.Failed != 2 || res.Fetched != 98 || res.FailureRatio() != 0.02 {
		t.Fatalf("failed %d fetched %d ratio %v", res.Failed, res.Fetched, res.FailureRatio())
	}
	var urls []string
	for _, p := range res.FailedPages() {
		urls = append(urls, p.URL)
		if p.Status != 500 || p.Attempts != 3 {
			t.Errorf("%s: status %d attempts %d", p.URL, p.Status, p.Attempts)
		}
	}
	if want := []string{s.base() + "conn017/", s.base() + "conn071/"}; !reflect.DeepEqual(urls, want) {
		t.Errorf("failed urls %v", urls)
	}
}

func TestCrawlRobots(t *testing.T) {
	t.Run("disallow honoured", func(t *testing.T) {
		s := newTestServer(t, 6)
		s.robots = "User-agent: *\nDisallow: /en-us/connectors/conn002/\n\nUser-agent: connex\nDisallow: /en-us/connectors/conn004/\n"
		res := runCrawl(t, testOptions(t, s, newFakeClock(), ""), nil)
		// The connex group is the most specific: it replaces the * group.
		if h := s.hitsFor(testPrefix + "conn004/"); h != 0 {
			t.Errorf("disallowed page requested %d times", h)
		}
		if res.Pages[4].Outcome != OutcomeDisallowed || res.Disallowed != 1 || res.Fetched != 5 {
			t.Errorf("pages %+v", res.Pages)
		}
	})
	t.Run("disallow all", func(t *testing.T) {
		s := newTestServer(t, 3)
		s.robots = "User-agent: *\nDisallow: /\n"
		_, err := Run(context.Background(), testOptions(t, s, newFakeClock(), ""), nil)
		if !errors.Is(err, ErrDisallowed) {
			t.Fatalf("err %v", err)
		}
		if n := s.totalHits(); n != 1 {
			t.Errorf("%d requests, want only robots.txt", n)
		}
	})
	t.Run("5xx means no crawl", func(t *testing.T) {
		s := newTestServer(t, 3)
		s.robotsStatus = http.StatusServiceUnavailable
		_, err := Run(context.Background(), testOptions(t, s, newFakeClock(), ""), nil)
		if !errors.Is(err, ErrRobotsUnavailable) || !strings.Contains(err.Error(), "503") {
			t.Fatalf("err %v", err)
		}
		if n := s.totalHits(); n != 1 {
			t.Errorf("%d requests, want only robots.txt", n)
		}
	})
	t.Run("unreachable means no crawl", func(t *testing.T) {
		s := newTestServer(t, 3)
		opts := testOptions(t, s, newFakeClock(), "")
		s.srv.Close()
		_, err := Run(context.Background(), opts, nil)
		host := strings.TrimPrefix(s.srv.URL, "http://")
		if !errors.Is(err, ErrRobotsUnavailable) || !errors.Is(err, ErrUnreachable) ||
			!strings.HasPrefix(err.Error(), "cannot reach "+host+": no network? (") || strings.Contains(err.Error(), "stay away") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("no name resolution says no network", func(t *testing.T) {
		// The transport fails as a machine without network does; nothing
		// leaves this process.
		dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "learn.microsoft.com", IsNotFound: true}}
		}
		opts := Options{Client: &http.Client{Transport: &http.Transport{DialContext: dial}}, Now: newFakeClock().Now, Sleep: newFakeClock().Sleep}
		_, err := Run(context.Background(), opts, nil)
		if !errors.Is(err, ErrUnreachable) || !strings.HasPrefix(err.Error(), "cannot reach learn.microsoft.com: no network? (") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("404 allows all", func(t *testing.T) {
		s := newTestServer(t, 3)
		s.robotsStatus = http.StatusNotFound
		res := runCrawl(t, testOptions(t, s, newFakeClock(), ""), nil)
		if res.Fetched != 3 {
			t.Errorf("fetched %d", res.Fetched)
		}
	})
	t.Run("crawl-delay raises the delay", func(t *testing.T) {
		s := newTestServer(t, 1)
		s.robots = "User-agent: connex\nCrawl-delay: 3\n"
		clock := newFakeClock()
		opts := testOptions(t, s, clock, "")
		opts.Concurrency = 1
		runCrawl(t, opts, nil)
		// robots is read before the delay is known; list and page follow.
		if got, want := clock.Waits(), []time.Duration{3 * time.Second, 3 * time.Second}; !reflect.DeepEqual(got, want) {
			t.Errorf("waits %v, want %v", got, want)
		}
	})
}

func catalogJSON(t *testing.T, c *catalog.Catalog) string {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCrawlIncremental(t *testing.T) {
	s := newTestServer(t, 30)
	clock := newFakeClock()
	dir := t.TempDir()
	first := runCrawl(t, testOptions(t, s, clock, dir), nil)
	if first.Fetched != 30 || first.Parsed != 30 {
		t.Fatalf("first run fetched %d parsed %d", first.Fetched, first.Parsed)
	}
	before := catalogJSON(t, first.Catalog)

	t.Run("nothing changed", func(t *testing.T) {
		s.resetHits()
		second := runCrawl(t, testOptions(t, s, clock, dir), first.Catalog)
		if second.Unchanged != 30 || second.Fetched != 0 || second.Parsed != 0 || second.Changed {
			t.Fatalf("unchanged %d fetched %d parsed %d changed %v", second.Unchanged, second.Fetched, second.Parsed, second.Changed)
		}
		for _, p := range append([]PageResult{second.ListPage}, second.Pages...) {
			if p.Status != http.StatusNotModified {
				t.Errorf("%s answered %d, want 304", p.URL, p.Status)
			}
		}
		if second.Catalog != first.Catalog {
			t.Error("the previous catalogue was not kept as it is")
		}
		if after := catalogJSON(t, second.Catalog); after != before {
			t.Error("catalogue changed")
		}
	})
	t.Run("one page changed", func(t *testing.T) {
		s.setPage("conn007", testPage("conn007", 2))
		third := runCrawl(t, testOptions(t, s, clock, dir), first.Catalog)
		if third.Fetched != 1 || third.Unchanged != 29 || third.Parsed != 1 || !third.Changed {
			t.Fatalf("fetched %d unchanged %d parsed %d", third.Fetched, third.Unchanged, third.Parsed)
		}
		for _, c := range third.Catalog.Connectors {
			old, _ := first.Catalog.Connector(c.ID)
			if (c != old) != (c.ID == "conn007") {
				t.Errorf("%s: reused %v", c.ID, c == old)
			}
		}
		c, _ := third.Catalog.Connector("conn007")
		if !strings.Contains(c.Description, "version 2") {
			t.Errorf("description %q", c.Description)
		}
	})
	t.Run("list changed", func(t *testing.T) {
		ids := []string{}
		for i := 1; i < 31; i++ {
			ids = append(ids, fmt.Sprintf("conn%03d", i))
		}
		s.setPage("conn030", testPage("conn030", 1))
		s.setList(ids, nil)
		res := runCrawl(t, testOptions(t, s, clock, dir), first.Catalog)
		if _, ok := res.Catalog.Connector("conn000"); ok {
			t.Error("conn000 is no longer listed but kept")
		}
		if _, ok := res.Catalog.Connector("conn030"); !ok {
			t.Error("conn030 missing")
		}
		// conn030 is new; conn007 changed in the run before, whose
		// catalogue was not kept, so its cached copy is read again.
		if len(res.Catalog.Connectors) != 30 || res.Fetched != 1 || res.Cached != 1 || res.Unchanged != 28 {
			t.Errorf("%d connectors, %d fetched, %d cached, %d unchanged", len(res.Catalog.Connectors), res.Fetched, res.Cached, res.Unchanged)
		}
		if res.Pages[6].ID != "conn007" || res.Pages[6].Outcome != OutcomeCached || res.Parsed != 2 {
			t.Errorf("page %+v, parsed %d", res.Pages[6], res.Parsed)
		}
	})
}

func TestCrawlResume(t *testing.T) {
	s := newTestServer(t, 25)
	clock := newFakeClock()
	dir := t.TempDir()
	opts := testOptions(t, s, clock, dir)
	opts.Concurrency = 1
	ctx, cancel := context.WithCancel(context.Background())
	pages := 0
	opts.Events = func(e Event) {
		if e.Type == "page" {
			if pages++; pages == 7 {
				cancel()
			}
		}
	}
	_, err := Run(ctx, opts, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if !fileExists(opts.StateFile) {
		t.Fatal("no state saved")
	}
	opts.Events = nil
	res := runCrawl(t, opts, nil)
	if res.Resumed != 7 || len(res.Catalog.Connectors) != 25 || res.Failed != 0 {
		t.Fatalf("resumed %d connectors %d failed %d", res.Resumed, len(res.Catalog.Connectors), res.Failed)
	}
	for i := 0; i < 25; i++ {
		if h := s.hitsFor(fmt.Sprintf("%sconn%03d/", testPrefix, i)); h != 1 {
			t.Errorf("conn%03d requested %d times over both runs, want 1", i, h)
		}
	}
	if fileExists(opts.StateFile) {
		t.Error("state file left after the resumed crawl completed")
	}
}

func TestCrawlFaults(t *testing.T) {
	t.Run("truncated body retried", func(t *testing.T) {
		s := newTestServer(t, 2)
		s.fault(testPrefix+"conn001/", func(w http.ResponseWriter, r *http.Request, n int) bool {
			if n > 1 {
				return false
			}
			w.Header().Set("Content-Length", "5000")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte("<html><body><h1>cut"))
			return true
		})
		res := runCrawl(t, testOptions(t, s, newFakeClock(), ""), nil)
		if p := res.Pages[1]; p.Outcome != OutcomeFetched || p.Attempts != 2 {
			t.Errorf("page %+v", p)
		}
	})
	t.Run("slow response times out and is retried", func(t *testing.T) {
		s := newTestServer(t, 2)
		s.fault(testPrefix+"conn000/", func(w http.ResponseWriter, r *http.Request, n int) bool {
			if n > 1 {
				return false
			}
			<-r.Context().Done() // answers only when the crawler gives up
			return true
		})
		opts := testOptions(t, s, newFakeClock(), "")
		opts.Timeout = 50 * time.Millisecond
		res := runCrawl(t, opts, nil)
		if p := res.Pages[0]; p.Outcome != OutcomeFetched || p.Attempts != 2 {
			t.Errorf("page %+v", p)
		}
	})
	t.Run("body over the cap fails at once", func(t *testing.T) {
		s := newTestServer(t, 2)
		s.setPage("conn001", []byte("<html><body>"+strings.Repeat("x", 4096)+"</body></html>"))
		opts := testOptions(t, s, newFakeClock(), "")
		opts.MaxBody = 3000
		res := runCrawl(t, opts, nil)
		if p := res.Pages[1]; p.Outcome != OutcomeFailed || p.Attempts != 1 || !strings.Contains(p.Error, "10 MiB cap") {
			t.Errorf("page %+v", p)
		}
	})
	t.Run("a page with no connector content keeps the previous entry", func(t *testing.T) {
		s := newTestServer(t, 2)
		dir := t.TempDir()
		clock := newFakeClock()
		first := runCrawl(t, testOptions(t, s, clock, dir), nil)
		s.setPage("conn000", []byte("<html><body><h1>Down for maintenance</h1></body></html>"))
		res := runCrawl(t, testOptions(t, s, clock, dir), first.Catalog)
		p := res.Pages[0]
		if p.Outcome != OutcomeFailed || p.Attempts != 1 || !strings.Contains(p.Error, "none of the expected sections") {
			t.Errorf("page %+v", p)
		}
		old, _ := first.Catalog.Connector("conn000")
		if c, _ := res.Catalog.Connector("conn000"); c != old {
			t.Error("previous entry replaced")
		}
	})
	t.Run("an odd layout is read with problems", func(t *testing.T) {
		s := newTestServer(t, 2)
		page, err := readSiteFixture("oddities.html")
		if err != nil {
			t.Fatal(err)
		}
		s.setPage("conn000", page)
		res := runCrawl(t, testOptions(t, s, newFakeClock(), ""), nil)
		if res.Fetched != 2 || res.Pages[0].Problems != 8 {
			t.Errorf("fetched %d page %+v", res.Fetched, res.Pages[0])
		}
	})
	t.Run("list page failure is an error", func(t *testing.T) {
		s := newTestServer(t, 2)
		s.fault(testPrefix+"connector-reference/", func(w http.ResponseWriter, r *http.Request, n int) bool {
			w.WriteHeader(http.StatusInternalServerError)
			return true
		})
		_, err := Run(context.Background(), testOptions(t, s, newFakeClock(), ""), nil)
		if !errors.Is(err, ErrListPage) {
			t.Fatalf("err %v", err)
		}
		if h := s.hitsFor(testPrefix + "connector-reference/"); h != 3 {
			t.Errorf("list requested %d times, want 3", h)
		}
	})
}

func TestCrawlOnly(t *testing.T) {
	s := newTestServer(t, 10)
	clock := newFakeClock()
	dir := t.TempDir()
	first := runCrawl(t, testOptions(t, s, clock, dir), nil)
	s.resetHits()
	s.setPage("conn004", testPage("conn004", 2))
	s.setPage("conn005", testPage("conn005", 2))
	opts := testOptions(t, s, clock, dir)
	opts.Only = []string{"conn004", "extra"}
	res := runCrawl(t, opts, first.Catalog)
	if len(res.Pages) != 2 || res.Pages[0].Outcome != OutcomeFetched || res.Pages[1].Outcome != OutcomeFailed || res.Pages[1].Status != 404 {
		t.Fatalf("pages %+v", res.Pages)
	}
	if h := s.hitsFor(testPrefix + "conn005/"); h != 0 {
		t.Errorf("conn005 requested %d times", h)
	}
	if len(res.Catalog.Connectors) != 10 {
		t.Errorf("%d connectors", len(res.Catalog.Connectors))
	}
	c5, _ := res.Catalog.Connector("conn005")
	if old, _ := first.Catalog.Connector("conn005"); c5 != old {
		t.Error("conn005 not kept as it was")
	}
}

func TestCrawlMergesDefinitions(t *testing.T) {
	s := newTestServer(t, 3)
	s.setList([]string{"conn000", "conn001", "zephyrmail"}, map[string]string{"zephyrmail": "Zephyr Mail"})
	page, err := readSiteFixture("zephyrmail.html")
	if err != nil {
		t.Fatal(err)
	}
	s.setPage("zephyrmail", page)
	at := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	defSrc := map[string]catalog.Source{catalog.SourceDefinition: {Kind: catalog.SourceDefinition, Ref: "certified-connectors/Zephyr Mail/apiDefinition.swagger.json", At: at}}
	prev := &catalog.Catalog{UpdatedAt: at, Connectors: []*catalog.Connector{
		{ID: "zephyr-mail-ip", Folder: "Zephyr Mail", Name: "Zephyr Mail", Host: "api.zephyr.example.test", BasePath: "/v1",
			PublisherKind: catalog.PublisherCertified, Sources: defSrc,
			AuthTypes: []catalog.AuthType{{Name: "API Key", Type: "apikey", In: "header", ParamName: "X-Key"}},
			Operations: []*catalog.Operation{
				{ID: "SendMessageV2", Name: "Send message V2", Kind: catalog.KindAction, Method: "POST", Path: "/messages",
					Parameters: []catalog.Parameter{{Name: "To", Key: "to", In: "query", Required: true, Type: "string", Format: "email"}}},
				{ID: "InternalPing", Name: "Ping", Kind: catalog.KindAction, Method: "GET", Path: "/ping", Visibility: catalog.VisibilityInternal},
			}},
		{ID: "customonly", Name: "Custom Only", Sources: defSrc},
		{ID: "gone", Name: "Gone From The Site", Sources: map[string]catalog.Source{catalog.SourceSite: {Kind: catalog.SourceSite, Ref: "x"}}},
	}}
	prev.Reindex()
	res := runCrawl(t, testOptions(t, s, newFakeClock(), ""), prev)
	var ids []string
	for _, c := range res.Catalog.Connectors {
		ids = append(ids, c.ID)
	}
	sort.Strings(ids)
	if want := []string{"conn000", "conn001", "customonly", "zephyrmail"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("ids %v, want %v", ids, want)
	}
	z, _ := res.Catalog.Connector("zephyrmail")
	if z.Host != "api.zephyr.example.test" || z.BasePath != "/v1" || z.Folder != "Zephyr Mail" || z.PublisherKind != catalog.PublisherCertified {
		t.Errorf("definition fields lost: %+v", z)
	}
	if z.Tier != catalog.TierStandard || len(z.Products) != 4 || len(z.Throttling) != 2 || z.Publisher != "Zephyr Labs" {
		t.Errorf("site fields missing: tier %q products %d throttling %d", z.Tier, len(z.Products), len(z.Throttling))
	}
	if _, ok := z.Sources[catalog.SourceDefinition]; !ok {
		t.Error("definition source lost")
	}
	if _, ok := z.Sources[catalog.SourceSite]; !ok {
		t.Error("site source missing")
	}
	send := z.Operation("SendMessageV2")
	if send.Method != "POST" || send.Path != "/messages" || send.Name != "Send message (V2)" || send.Anchor != "send-message-(v2)" ||
		len(send.Parameters) != 1 || send.Parameters[0].In != "query" {
		t.Errorf("merged operation %+v", send)
	}
	if old := z.Operation("SendMessage"); old == nil || old.ReplacedBy != "SendMessageV2" || !old.Deprecated {
		t.Errorf("site-only operation %+v", old)
	}
	if ping := z.Operation("InternalPing"); ping == nil || ping.Visibility != catalog.VisibilityInternal {
		t.Error("definition-only operation lost")
	}
	if len(z.Operations) != 10 {
		t.Errorf("%d operations, want 10 (9 on the page + 1 internal)", len(z.Operations))
	}
	// The definition's auth type wins (catalog's precedence) and keeps the
	// site's applicability and shareability.
	if len(z.AuthTypes) != 1 || z.AuthTypes[0].Type != "apikey" || z.AuthTypes[0].Shareable != "Shareable" || z.AuthTypes[0].Applicable != "All regions" {
		t.Errorf("auth %+v", z.AuthTypes)
	}
}

func readSiteFixture(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("..", "site", "testdata", name))
}

func TestCrawlCommitLater(t *testing.T) {
	s := newTestServer(t, 12)
	clock := newFakeClock()
	dir := t.TempDir()
	opts := testOptions(t, s, clock, dir)
	opts.CommitLater = true
	first := runCrawl(t, opts, nil)
	if !fileExists(opts.StateFile) {
		t.Fatal("progress dropped before Commit")
	}
	// A crash before the catalogue was saved: the next crawl resumes
	// every page without asking for it again.
	s.resetHits()
	again := runCrawl(t, opts, nil)
	if again.Resumed != 12 || again.Cached != 12 || again.Parsed != 12 {
		t.Errorf("resumed %d cached %d parsed %d", again.Resumed, again.Cached, again.Parsed)
	}
	for i := 0; i < 12; i++ {
		if h := s.hitsFor(fmt.Sprintf("%sconn%03d/", testPrefix, i)); h != 0 {
			t.Errorf("conn%03d requested %d times", i, h)
		}
	}
	if catalogJSON(t, again.Catalog) != catalogJSON(t, first.Catalog) {
		t.Error("the resumed crawl read different data")
	}
	if err := again.Commit(); err != nil {
		t.Fatal(err)
	}
	if fileExists(opts.StateFile) {
		t.Error("progress kept after Commit")
	}
}
