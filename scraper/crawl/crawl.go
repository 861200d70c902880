package crawl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connex-dev/connex/scraper/site"

	"github.com/temoto/robotstxt"

	"github.com/connex-dev/connex/catalog"
)

// Result is what a crawl produced.
type Result struct {
	// Catalog is the new catalogue: the previous one with every crawled
	// page merged in. When nothing changed it is the previous catalogue
	// itself, untouched.
	Catalog *catalog.Catalog `json:"-"`
	// Changed is false when every page was unchanged and the list too.
	Changed bool   `json:"changed"`
	BaseURL string `json:"base_url"`
	// List is the list page's connectors; ListPage what happened to it.
	List     []site.ListEntry `json:"-"`
	ListPage PageResult       `json:"list_page"`
	Pages    []PageResult     `json:"pages"` // connector pages, in list order
	Counts                    // of Pages by outcome
	// Parsed counts connector pages parsed (downloaded or from the cache).
	Parsed int `json:"parsed"`
	// Requests counts HTTP requests sent, robots.txt included.
	Requests int64               `json:"requests"`
	Problems []site.ParseProblem `json:"problems,omitempty"`
	// Warnings are failures that did not stop the crawl (a cache or
	// progress file that could not be written).
	Warnings []string `json:"warnings,omitempty"`
	// Merge is what merging the crawled pages into the previous
	// catalogue did (renames, connectors whose host or scheme moved).
	Merge catalog.MergeSummary `json:"merge"`
	// Waits are the pauses the crawl made (pacing, Retry-After, backoff),
	// in order: a test with an injected clock checks them exactly.
	Waits    []time.Duration `json:"-"`
	Started  time.Time       `json:"started"`
	Finished time.Time       `json:"finished"`

	state *stateFile
}

// Counts are connector pages by outcome. A refresh reports them as the
// crawl counted them (app.RefreshReport embeds them), under the same
// JSON names.
type Counts struct {
	Fetched    int `json:"fetched"`
	Unchanged  int `json:"unchanged"`
	Cached     int `json:"cached"`
	Failed     int `json:"failed"`
	Disallowed int `json:"disallowed"`
	// Resumed counts pages an interrupted crawl had done.
	Resumed int `json:"resumed"`
}

// Commit drops the crawl's progress record: the next crawl starts afresh
// (still with conditional requests). Call it once the result is saved, or
// deliberately not kept; see Options.CommitLater.
func (r *Result) Commit() error {
	if r.state == nil {
		return nil
	}
	return r.state.finish()
}

// FailureRatio is the share of connector pages that failed.
func (r *Result) FailureRatio() float64 {
	if len(r.Pages) == 0 {
		return 0
	}
	return float64(r.Failed) / float64(len(r.Pages))
}

// FailedPages returns the failed connector pages.
func (r *Result) FailedPages() []PageResult {
	var out []PageResult
	for _, p := range r.Pages {
		if p.Outcome == OutcomeFailed {
			out = append(out, p)
		}
	}
	return out
}

type task struct {
	idx      int // index in result.Pages; -1 for the list page
	id       string
	url      *url.URL
	entry    *site.ListEntry
	attempts int
	status   int
	noCache  bool
	accept   string // Accept header; empty for HTML
	conn     *catalog.Connector
	result   PageResult
}

type crawler struct {
	opts     Options
	base     *url.URL
	listURL  *url.URL
	hosts    hostStates
	cache    *pageCache
	state    *stateFile
	robots   *robotstxt.RobotsData
	prev     *catalog.Catalog
	prevByID map[string]*catalog.Connector
	requests atomic.Int64

	mu       sync.Mutex
	cond     *sync.Cond
	queue    []*task
	inflight int
	res      *Result
	done     int
	failed   int
	total    int
	warnings []error

	evMu sync.Mutex
}

func (c *crawler) emit(e Event) {
	if c.opts.Events == nil {
		return
	}
	c.mu.Lock()
	e.Done, e.Total, e.Failed = c.done, c.total, c.failed
	c.mu.Unlock()
	c.evMu.Lock()
	defer c.evMu.Unlock()
	c.opts.Events(e)
}

func (c *crawler) recordWait(d time.Duration) {
	c.mu.Lock()
	c.res.Waits = append(c.res.Waits, d)
	c.mu.Unlock()
}

func (c *crawler) warn(err error) {
	c.mu.Lock()
	c.warnings = append(c.warnings, err)
	c.mu.Unlock()
}

// Run reads the reference site: robots.txt, the list page, then every
// listed connector page (or only opts.Only), politely and incrementally,
// and merges what it finds into previous (which may be nil). A crawl
// interrupted by ctx returns ctx's error and resumes on the next call with
// the same StateFile. Pages that fail are reported in the result, not as
// an error; the caller decides whether the result is good enough to keep.
func Run(ctx context.Context, opts Options, previous *catalog.Catalog) (*Result, error) {
	opts, base, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if previous != nil && previous.Sample {
		previous = nil // the built-in samples are not a catalogue to keep
	}
	c := &crawler{
		opts:    opts,
		base:    base,
		listURL: base.ResolveReference(&url.URL{Path: "connector-reference/"}),
		hosts:   hostStates{limit: opts.Concurrency},
		prev:    previous,
		res:     &Result{BaseURL: base.String(), Started: opts.Now().UTC()},
	}
	c.cond = sync.NewCond(&c.mu)
	if opts.CacheDir != "" {
		c.cache = &pageCache{dir: opts.CacheDir}
	}
	c.prevByID = map[string]*catalog.Connector{}
	if previous != nil {
		for _, conn := range previous.Connectors {
			c.prevByID[conn.ID] = conn
		}
	}
	var resumed int
	c.state, resumed = openState(opts.StateFile, base.String(), opts.Now())
	c.emit(Event{Type: "start", URL: base.String()})

	if err := c.readRobots(ctx); err != nil {
		return c.res, err
	}
	if err := c.readList(ctx); err != nil {
		c.res.Requests = c.requests.Load()
		return c.res, err
	}
	tasks := c.connectorTasks()
	c.mu.Lock()
	c.total = len(tasks)
	c.mu.Unlock()
	c.emit(Event{Type: "list", URL: c.listURL.String(), Total: len(tasks), Attempt: resumed})
	c.runQueue(ctx, tasks)
	if err := ctx.Err(); err != nil {
		// Keep the progress for the next run.
		if serr := c.state.save(); serr != nil {
			c.warn(serr)
		}
		c.res.Requests = c.requests.Load()
		return c.res, fmt.Errorf("refresh interrupted after %d of %d pages (run it again to resume): %w", c.done, c.total, err)
	}
	for _, t := range tasks {
		c.res.Pages[t.idx] = t.result
	}
	c.assemble(tasks)
	if err := c.state.save(); err != nil {
		c.warn(err)
	}
	c.res.state = c.state
	if !opts.CommitLater {
		if err := c.res.Commit(); err != nil {
			c.warn(err)
		}
	}
	c.res.Requests = c.requests.Load()
	c.res.Finished = opts.Now().UTC()
	for _, w := range c.warnings {
		c.res.Warnings = append(c.res.Warnings, w.Error())
	}
	c.emit(Event{Type: "done"})
	return c.res, nil
}

// readList fetches and parses the list page.
func (c *crawler) readList(ctx context.Context) error {
	t := &task{idx: -1, url: c.listURL, result: PageResult{URL: c.listURL.String()}}
	if !c.allowed(c.listURL) {
		c.res.ListPage = PageResult{URL: c.listURL.String(), Outcome: OutcomeDisallowed}
		return fmt.Errorf("%w: %s (nothing to crawl)", ErrDisallowed, c.listURL)
	}
	var f *fetched
	var err error
	for {
		f, err = c.fetch(ctx, t)
		if !errors.Is(err, errDeferred) {
			break
		}
	}
	if err != nil {
		c.res.ListPage = PageResult{URL: t.url.String(), Outcome: OutcomeFailed, Status: t.status, Attempts: t.attempts, Error: err.Error()}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w: %s: %v", ErrListPage, c.listURL, err)
	}
	body := f.body
	outcome := OutcomeFetched
	if !f.fresh {
		outcome = OutcomeUnchanged
		if body, _, err = c.cache.body(c.listURL.String()); err != nil {
			return fmt.Errorf("%w: %v", ErrListPage, err)
		}
	}
	entries, probs := site.ParseListPage(bytes.NewReader(body), c.listURL)
	c.res.Problems = append(c.res.Problems, probs...)
	c.res.ListPage = PageResult{URL: c.listURL.String(), Outcome: outcome, Status: f.status, Attempts: f.attempts, Problems: len(probs)}
	if len(entries) == 0 {
		return fmt.Errorf("%w: %s lists no connectors (the page layout may have changed; the catalogue is kept)", ErrListPage, c.listURL)
	}
	c.res.List = entries
	return nil
}

// connectorTasks lists the connector pages to crawl, in list order; ids in
// Only that the list lacks are crawled too.
func (c *crawler) connectorTasks() []*task {
	only := map[string]bool{}
	for _, id := range c.opts.Only {
		if id = strings.TrimSpace(id); id != "" {
			only[strings.ToLower(id)] = true
		}
	}
	var tasks []*task
	add := func(id string, e *site.ListEntry) {
		u := c.base.ResolveReference(&url.URL{Path: url.PathEscape(id) + "/"})
		if e != nil {
			if eu, err := url.Parse(e.URL); err == nil {
				u = eu
			}
		}
		tasks = append(tasks, &task{id: id, url: u, entry: e})
	}
	seen := map[string]bool{}
	for i := range c.res.List {
		e := &c.res.List[i]
		seen[strings.ToLower(e.ID)] = true
		if len(only) == 0 || only[strings.ToLower(e.ID)] {
			add(e.ID, e)
		}
	}
	for _, id := range c.opts.Only {
		if id = strings.TrimSpace(id); id != "" && !seen[strings.ToLower(id)] {
			seen[strings.ToLower(id)] = true
			add(id, nil)
		}
	}
	c.res.Pages = make([]PageResult, len(tasks))
	for i, t := range tasks {
		t.idx = i
		t.result = PageResult{URL: t.url.String(), ID: t.id}
	}
	return tasks
}

// runQueue works through the tasks with Concurrency workers; a deferred
// task goes back to the end of the queue.
func (c *crawler) runQueue(ctx context.Context, tasks []*task) {
	c.queue = append(c.queue, tasks...)
	stop := context.AfterFunc(ctx, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer stop()
	var wg sync.WaitGroup
	for w := 0; w < c.opts.Concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				t := c.next(ctx)
				if t == nil {
					return
				}
				deferred := c.process(ctx, t)
				c.mu.Lock()
				if deferred {
					c.queue = append(c.queue, t)
				}
				c.inflight--
				c.cond.Broadcast()
				c.mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

func (c *crawler) next(ctx context.Context) *task {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.queue) == 0 && c.inflight > 0 && ctx.Err() == nil {
		c.cond.Wait()
	}
	if len(c.queue) == 0 || ctx.Err() != nil {
		return nil
	}
	t := c.queue[0]
	c.queue[0] = nil
	c.queue = c.queue[1:]
	c.inflight++
	return t
}

// process crawls one connector page; it reports whether the page was
// deferred.
func (c *crawler) process(ctx context.Context, t *task) bool {
	u := t.url.String()
	t.result.URL = u
	if !c.allowed(t.url) {
		t.result.Outcome = OutcomeDisallowed
		t.conn = c.keepPrevious(t)
		c.pageDone(t, false)
		return false
	}
	var f *fetched
	if c.state.done(u) && !t.noCache {
		if m := c.cache.meta(u); m != nil {
			f = &fetched{meta: m}
			t.result.Resumed = true
		}
	}
	if f == nil {
		var err error
		f, err = c.fetch(ctx, t)
		if errors.Is(err, errDeferred) {
			return true
		}
		if err != nil {
			if ctx.Err() != nil {
				return false
			}
			t.result.Outcome, t.result.Status, t.result.Attempts = OutcomeFailed, t.status, t.attempts
			t.result.Error = err.Error()
			var he *httpError
			if errors.As(err, &he) {
				t.result.Status = he.status
			}
			t.conn = c.keepPrevious(t)
			c.pageDone(t, true)
			return false
		}
		t.result.Status, t.result.Attempts = f.status, f.attempts
	}
	deferred, err := c.usePage(ctx, t, f)
	if deferred {
		return true
	}
	if err != nil {
		if ctx.Err() != nil {
			return false
		}
		if !f.fresh && !t.noCache {
			// The cached copy is unreadable: ask for the page afresh.
			t.noCache = true
			t.attempts = 0
			return c.process(ctx, t)
		}
		t.result.Outcome, t.result.Error = OutcomeFailed, err.Error()
		t.conn = c.keepPrevious(t)
		c.pageDone(t, true)
		return false
	}
	c.pageDone(t, false)
	return false
}

// body returns a fetched page's body, from the cache when it was not
// downloaded now.
func (c *crawler) body(u *url.URL, f *fetched) ([]byte, error) {
	if f.fresh {
		return f.body, nil
	}
	b, _, err := c.cache.body(u.String())
	return b, err
}

// exportFor fetches the Markdown export a page announces, with the same
// cache, politeness and caps as pages. When the page itself is unchanged
// (304, or done by an interrupted run) the cached export is used without
// asking again: the page changes whenever its content does, and this
// halves the requests of an incremental refresh.
func (c *crawler) exportFor(ctx context.Context, t *task, page *fetched, u *url.URL) (*fetched, error) {
	et := &task{idx: t.idx, id: t.id, url: u, entry: t.entry, noCache: t.noCache, accept: "text/markdown"}
	if !page.fresh && !t.noCache {
		if m := c.cache.meta(u.String()); m != nil {
			return &fetched{meta: m}, nil
		}
	}
	return c.fetch(ctx, et)
}

// usePage turns a fetched (or cached) page into the task's connector. A
// page that announces a Markdown export (<meta name="markdown_url">) is
// read from that export; if the export cannot be had, from its HTML. A
// page unchanged since the previous catalogue's entry was made reuses that
// entry as it is; otherwise the page is parsed and merged. The first
// result is true when the export was deferred (Retry-After): the page is
// then crawled again later.
func (c *crawler) usePage(ctx context.Context, t *task, f *fetched) (bool, error) {
	prev := c.prevByID[t.id]
	body, err := c.body(t.url, f)
	if err != nil {
		return false, err
	}
	parse := site.ParseConnectorPage
	srcURL, fetchedAt, fresh := t.url.String(), f.meta.FetchedAt, f.fresh
	var exportProblem *site.ParseProblem
	if mu, ok := site.MarkdownURL(body, t.url); ok {
		switch {
		case mu.Host != t.url.Host:
			exportProblem = &site.ParseProblem{URL: t.url.String(), What: "markdown_url on another host not followed: " + mu.Host}
		case !c.allowed(mu):
			exportProblem = &site.ParseProblem{URL: t.url.String(), What: "markdown_url disallowed by robots.txt: " + mu.String()}
		default:
			ef, err := c.exportFor(ctx, t, f, mu)
			if errors.Is(err, errDeferred) {
				return true, nil
			}
			if ctx.Err() != nil {
				return false, ctx.Err()
			}
			var eb []byte
			if err == nil {
				eb, err = c.body(mu, ef)
			}
			if err != nil {
				exportProblem = &site.ParseProblem{URL: mu.String(), What: "markdown export unavailable, page read from its HTML: " + err.Error()}
				break
			}
			body, parse = eb, site.ParseExport
			srcURL, fetchedAt, fresh = mu.String(), ef.meta.FetchedAt, f.fresh || ef.fresh
			t.result.Attempts += ef.attempts
		}
	}
	if !fresh && prev != nil {
		if src, ok := prev.Sources[catalog.SourceSite]; ok && src.Ref == srcURL && src.At.Equal(fetchedAt) {
			t.result.Outcome = OutcomeUnchanged
			t.conn = relist(prev, t.entry)
			return false, nil
		}
	}
	conn, probs := parse(bytes.NewReader(body), t.url)
	if exportProblem != nil {
		probs = append(probs, *exportProblem)
	}
	c.mu.Lock()
	c.res.Parsed++
	c.res.Problems = append(c.res.Problems, probs...)
	c.mu.Unlock()
	t.result.Problems = len(probs)
	if conn == nil {
		return false, fmt.Errorf("page rejected: %s", probs[0].What)
	}
	if emptyPage(conn) {
		// A 200 that is not a connector page (maintenance, sign-in, a new
		// layout the parser cannot read): keep the previous entry rather
		// than replace it with an empty one.
		return false, fmt.Errorf("page has none of the expected sections (description, availability, auth, operations): layout changed?")
	}
	conn.ID = t.id
	conn.Sources[catalog.SourceSite] = catalog.Source{Kind: catalog.SourceSite, Ref: srcURL, At: fetchedAt}
	if fresh {
		t.result.Outcome = OutcomeFetched
	} else {
		t.result.Outcome = OutcomeCached
	}
	t.conn = site.Overlay(conn, t.entry)
	return false, nil
}

// keepPrevious is the entry of a page that could not be read: the previous
// one, else a stub from the list page.
func (c *crawler) keepPrevious(t *task) *catalog.Connector {
	if prev := c.prevByID[t.id]; prev != nil {
		return relist(prev, t.entry)
	}
	if t.entry == nil {
		return nil
	}
	return t.entry.Connector()
}

func (c *crawler) pageDone(t *task, failed bool) {
	if !failed && t.result.Outcome != OutcomeDisallowed {
		if err := c.state.markDone(t.url.String()); err != nil {
			c.warn(err)
		}
	}
	c.mu.Lock()
	c.done++
	if failed {
		c.failed++
	}
	c.mu.Unlock()
	r := t.result
	c.emit(Event{Type: "page", URL: r.URL, ID: t.id, Outcome: r.Outcome, Status: r.Status, Attempt: r.Attempts, Error: r.Error})
}

// assemble builds the new catalogue from the tasks' connectors and the
// previous catalogue.
func (c *crawler) assemble(tasks []*task) {
	res := c.res
	for _, p := range res.Pages {
		switch p.Outcome {
		case OutcomeFetched:
			res.Fetched++
		case OutcomeUnchanged:
			res.Unchanged++
		case OutcomeCached:
			res.Cached++
		case OutcomeFailed:
			res.Failed++
		case OutcomeDisallowed:
			res.Disallowed++
		}
		if p.Resumed {
			res.Resumed++
		}
	}
	listed := map[string]*site.ListEntry{}
	for i := range res.List {
		listed[res.List[i].ID] = &res.List[i]
	}
	// What this crawl read of the site, one record per page: fresh parses,
	// and stubs from the list for pages never read. They are merged into
	// the previous catalogue by catalog.Merge, which owns identity
	// (id, alias, name, endpoint) and field precedence.
	var fresh []*catalog.Connector
	changed := false
	replaced := map[string]*catalog.Connector{} // previous id -> its new record
	seen := map[string]bool{}
	for _, t := range tasks {
		seen[t.id] = true
		if t.conn == nil {
			continue
		}
		prev := c.prevByID[t.id]
		switch {
		case t.result.Outcome == OutcomeFetched || t.result.Outcome == OutcomeCached || prev == nil:
			fresh = append(fresh, t.conn)
			changed = true
		case t.conn != prev:
			replaced[prev.ID] = t.conn
			changed = true
		}
	}
	// Listed connectors not crawled (--only): the list's word on them.
	for i := range res.List {
		e := &res.List[i]
		if seen[e.ID] {
			continue
		}
		seen[e.ID] = true
		if prev := c.prevByID[e.ID]; prev != nil {
			if o := relist(prev, e); o != prev {
				replaced[prev.ID] = o
				changed = true
			}
			continue
		}
		fresh = append(fresh, e.Connector())
		changed = true
	}
	cat := &catalog.Catalog{}
	copies := map[*catalog.Connector]*catalog.Connector{}
	if c.prev != nil {
		for _, conn := range c.prev.Connectors {
			if r, ok := replaced[conn.ID]; ok {
				cat.Connectors = append(cat.Connectors, r)
				continue
			}
			if siteOnly(conn) && listed[conn.ID] == nil && len(c.opts.Only) == 0 {
				// A site-only connector the list no longer has is gone.
				changed = true
				continue
			}
			// A copy: Merge updates records in place, and the previous
			// catalogue must stay as it was.
			cp := *conn
			copies[&cp] = conn
			cat.Connectors = append(cat.Connectors, &cp)
		}
	}
	if !changed && c.prev != nil {
		res.Catalog, res.Changed = c.prev, false
		return
	}
	res.Merge = cat.Merge(&catalog.Catalog{Connectors: fresh})
	resolveReplacements(cat)
	// A record the merge left alone is the previous one itself: callers
	// (and the snapshot) see an unchanged connector as the same record.
	// The copies are shallow, so the comparison is cheap for those.
	for i, conn := range cat.Connectors {
		if orig, ok := copies[conn]; ok && reflect.DeepEqual(*conn, *orig) {
			cat.Connectors[i] = orig
		}
	}
	sort.Slice(cat.Connectors, func(i, j int) bool { return cat.Connectors[i].ID < cat.Connectors[j].ID })
	now := c.opts.Now().UTC()
	cat.UpdatedAt = now
	if c.prev != nil {
		cat.Origins = append(cat.Origins, c.prev.Origins...)
	}
	cat.AddOrigin(catalog.Source{Kind: catalog.SourceSite, Ref: c.base.String(), At: now})
	cat.Reindex()
	res.Catalog, res.Changed = cat, true
}

// siteOnly reports a connector read from the site alone.
func siteOnly(c *catalog.Connector) bool {
	for k, s := range c.Sources {
		kind := s.Kind
		if kind == "" {
			kind = k
		}
		if kind != catalog.SourceSite {
			return false
		}
	}
	return true
}

// resolveReplacements turns the anchor a deprecated operation's note
// links to in another connector (Teams -> Shifts: only the anchor is on
// the Teams page) into that connector's operation id, once both are in
// the catalogue. Unresolved anchors stay as they are.
func resolveReplacements(cat *catalog.Catalog) {
	cat.Reindex()
	for _, conn := range cat.Connectors {
		copied := false
		for i, op := range conn.Operations {
			if op.ReplacedByConnector == "" || op.ReplacedBy == "" {
				continue
			}
			target, ok := cat.Connector(op.ReplacedByConnector)
			if !ok || target.Operation(op.ReplacedBy) != nil {
				continue
			}
			for _, t := range target.Operations {
				if !strings.EqualFold(t.Anchor, op.ReplacedBy) {
					continue
				}
				// Operations may be shared with the previous catalogue:
				// change copies.
				if !copied {
					conn.Operations = append([]*catalog.Operation(nil), conn.Operations...)
					copied = true
				}
				cp := *op
				cp.ReplacedBy = t.ID
				conn.Operations[i] = &cp
				break
			}
		}
	}
}

// emptyPage reports a parsed page with nothing a connector page has.
func emptyPage(c *catalog.Connector) bool {
	return c.Description == "" && len(c.Products) == 0 && len(c.AuthTypes) == 0 && len(c.Operations) == 0 &&
		c.Publisher == "" && len(c.Throttling) == 0
}
