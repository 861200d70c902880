package crawl_test

// Round-trip and fault tests of the crawler against the local replica of
// the reference site (internal/replica), on 127.0.0.1. An external test
// package: the replica's real-data helpers import crawl.

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/internal/replica"
	"github.com/connex-dev/connex/scraper/crawl"
	"github.com/connex-dev/connex/scraper/defs"
)

// replicaClock is an injected clock for exact waits.
type replicaClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *replicaClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *replicaClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.waits = append(c.waits, d)
	c.mu.Unlock()
	return ctx.Err()
}

func startReplica(t testing.TB, opts replica.Options) (*replica.Server, string) {
	t.Helper()
	srv, err := replica.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, base
}

// replicaSubset is the first n entries of the real list (name-only pages
// when no data is given: fast, for the fault tests).
func replicaSubset(t testing.TB, n int) []replica.ListEntry {
	entries, err := replica.LoadList(realdata.ReferenceList(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) > n {
		entries = entries[:n]
	}
	return entries
}

func fastOptions(t testing.TB, base string) crawl.Options {
	dir := t.TempDir()
	return crawl.Options{
		BaseURL:   base,
		Delay:     -1,
		CacheDir:  dir + "/cache/pages",
		StateFile: dir + "/refresh/state.json",
	}
}

var (
	apisOnce sync.Once
	apisCat  *catalog.Catalog
	apisErr  error
)

// apiSample imports the Power Platform API sample once per test binary.
func apiSample(t testing.TB) *catalog.Catalog {
	t.Helper()
	path := filepath.Join(realdata.Dir(t), "powerplatform-apis.tar.gz")
	apisOnce.Do(func() {
		var res *defs.ImportResult
		res, apisErr = defs.Import(context.Background(), []string{path}, defs.ImportOptions{Now: func() time.Time { return realdata.ImportedAt }})
		if res != nil {
			apisCat = res.Catalog
		}
	})
	if apisErr != nil {
		t.Fatalf("import %s: %v", path, apisErr)
	}
	return apisCat
}

// fullReplica serves the whole real list, its pages rendered from the
// real data only: the site's exports, the API sample, the definitions.
func fullReplica(t testing.TB) (*replica.Server, string) {
	exports, err := replica.LoadExports(filepath.Join(realdata.Dir(t), "learn-markdown"))
	if err != nil {
		t.Fatal(err)
	}
	return startReplica(t, replica.Options{ListPath: realdata.ReferenceList(t), Definitions: realdata.Catalog(t),
		APIs: apiSample(t), Exports: exports, Seed: 1})
}

// TestCrawlReplicaRoundTrip crawls the full replica (1,466 listed
// connectors: 39 from the site's own exports, the API sample's, the
// definitions', the rest name and badges only) and checks that every
// listed connector is captured, and every operation of the real data it
// was rendered from, exactly.
func TestCrawlReplicaRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("full replica crawl")
	}
	srv, base := fullReplica(t)
	opts := fastOptions(t, base)
	opts.Concurrency = 4
	res, err := crawl.Run(context.Background(), opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := srv.IDs()
	if len(ids) != 1466 {
		t.Fatalf("replica lists %d connectors, want 1466", len(ids))
	}
	if res.Failed != 0 || res.Fetched != len(ids) {
		t.Fatalf("fetched %d, failed %d of %d", res.Fetched, res.Failed, len(ids))
	}
	captured := 0
	for _, id := range ids {
		if _, ok := res.Catalog.Connector(id); ok {
			captured++
		}
	}
	fromExport, fromAPI, fromDef := srv.FromExport(), srv.FromAPI(), srv.FromDefinition()
	t.Logf("captured %d of %d listed connectors; pages from exports %d, from the API sample %d, from definitions %d; %d parse problems",
		captured, len(ids), len(fromExport), len(fromAPI), len(fromDef), len(res.Problems))
	if captured != len(ids) || len(res.Catalog.Connectors) != len(ids) {
		t.Fatalf("captured %d of %d (catalogue holds %d)", captured, len(ids), len(res.Catalog.Connectors))
	}
	if len(fromExport) != 39 || len(fromAPI) != 856 || len(fromDef) != 79 || len(fromDef) == 0 {
		t.Fatalf("sources: %d exports, %d API replies, %d definitions", len(fromExport), len(fromAPI), len(fromDef))
	}
	var diffs []string
	for _, id := range ids {
		got, _ := res.Catalog.Connector(id)
		diffs = append(diffs, compareListFields(id, got, srv.Rendered(id))...)
	}
	// Export pages: every operation counted from the export's lines.
	exportOps := 0
	for _, id := range fromExport {
		if id == "windows365" {
			continue // not listed: crawled below
		}
		got, _ := res.Catalog.Connector(id)
		want := srv.Rendered(id)
		if g, w := opIDs(got), opIDs(want); !reflect.DeepEqual(g, w) {
			diffs = append(diffs, fmt.Sprintf("%s: operations from the export\n  got  %d %v\n  want %d %v", id, len(g), g, len(w), w))
		}
		if got.PageRevision == "" {
			diffs = append(diffs, id+": no page revision from the export")
		}
		exportOps += len(want.Operations)
	}
	// API and definition pages: operations, parameters, auth, limits.
	dataOps, params := 0, 0
	for _, id := range append(append([]string(nil), fromAPI...), fromDef...) {
		got, _ := res.Catalog.Connector(id)
		want := srv.Rendered(id)
		diffs = append(diffs, compareRendered(id, got, want)...)
		dataOps += len(want.Operations)
		for _, op := range want.Operations {
			params += len(op.Parameters)
		}
	}
	// Name-only pages: nothing but the name and badges.
	for _, id := range ids {
		got, _ := res.Catalog.Connector(id)
		want := srv.Rendered(id)
		if len(want.Operations) == 0 && want.Description == "" && (len(got.Operations) != 0 || got.Publisher != "" || len(got.AuthTypes) != 0) {
			diffs = append(diffs, id+": a page with no data read back with content")
		}
	}
	// An export whose id the list lacks is served too, and read when asked
	// for by id.
	only := fastOptions(t, base)
	only.Only = []string{"windows365"}
	res2, err := crawl.Run(context.Background(), only, res.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	w365, ok := res2.Catalog.Connector("windows365")
	if want := srv.Rendered("windows365"); !ok || want == nil || len(want.Operations) == 0 || !reflect.DeepEqual(opIDs(w365), opIDs(want)) {
		t.Errorf("windows365 from its export: %v", ok)
	} else {
		exportOps += len(want.Operations)
	}
	t.Logf("operations read back exactly: %d from the 39 exports, %d (with %d parameters) from API replies and definitions", exportOps, dataOps, params)
	if len(diffs) > 0 {
		if len(diffs) > 30 {
			t.Errorf("... %d differences in all", len(diffs))
			diffs = diffs[:30]
		}
		t.Errorf("differences:\n%s", strings.Join(diffs, "\n"))
	}
}

func opIDs(c *catalog.Connector) []string {
	var out []string
	for _, op := range c.Operations {
		out = append(out, fmt.Sprintf("%s:%s:%s:%v", op.Kind, op.ID, op.Name, op.Deprecated))
	}
	return out
}

func compareListFields(id string, got, want *catalog.Connector) []string {
	var out []string
	if got.Name != want.Name || got.Tier != want.Tier || got.Preview != want.Preview || got.Deprecated != want.Deprecated {
		out = append(out, fmt.Sprintf("%s: name/tier/preview/deprecated %q %q %v %v, replica %q %q %v %v", id,
			got.Name, got.Tier, got.Preview, got.Deprecated, want.Name, want.Tier, want.Preview, want.Deprecated))
	}
	return out
}

type opView struct {
	ID, Name, Anchor, ReplacedBy string
	Kind                         catalog.OperationKind
	Deprecated, Preview          bool
	Params                       []paramView
}

type paramView struct {
	Name, Key, Type string
	Required        bool
}

type authView struct {
	Name, ID, Applicable, Shareable string
	Params                          []paramView
}

func opsView(c *catalog.Connector) []opView {
	var out []opView
	for _, op := range c.Operations {
		v := opView{ID: op.ID, Name: op.Name, Anchor: op.Anchor, ReplacedBy: op.ReplacedBy, Kind: op.Kind, Deprecated: op.Deprecated, Preview: op.Preview}
		for _, p := range op.Parameters {
			v.Params = append(v.Params, paramView{Name: p.Name, Key: p.Key, Type: p.Type, Required: p.Required})
		}
		out = append(out, v)
	}
	return out
}

func authsView(c *catalog.Connector) []authView {
	var out []authView
	for _, a := range c.AuthTypes {
		v := authView{Name: a.Name, ID: a.ID, Applicable: a.Applicable, Shareable: a.Shareable}
		for _, p := range a.Parameters {
			v.Params = append(v.Params, paramView{Name: p.Name, Type: p.Type, Required: p.Required})
		}
		out = append(out, v)
	}
	return out
}

func compareRendered(id string, got, want *catalog.Connector) []string {
	var out []string
	g, w := opsView(got), opsView(want)
	if len(g) != len(w) {
		out = append(out, fmt.Sprintf("%s: %d operations, replica rendered %d", id, len(g), len(w)))
	}
	for i := 0; i < len(g) && i < len(w); i++ {
		if !reflect.DeepEqual(g[i], w[i]) {
			out = append(out, fmt.Sprintf("%s: operation %d\n  got  %+v\n  want %+v", id, i, g[i], w[i]))
		}
	}
	if ga, wa := authsView(got), authsView(want); !reflect.DeepEqual(ga, wa) {
		out = append(out, fmt.Sprintf("%s: auth types\n  got  %+v\n  want %+v", id, ga, wa))
	}
	if !reflect.DeepEqual(got.Throttling, want.Throttling) {
		out = append(out, fmt.Sprintf("%s: throttling %+v, replica %+v", id, got.Throttling, want.Throttling))
	}
	if !reflect.DeepEqual(got.Limits, want.Limits) {
		out = append(out, fmt.Sprintf("%s: limits %+v, replica %+v", id, got.Limits, want.Limits))
	}
	return out
}

func TestCrawlReplicaPolitenessAndFaults(t *testing.T) {
	entries := replicaSubset(t, 200)
	t.Run("in flight never above the limit", func(t *testing.T) {
		for _, limit := range []int{1, 2} {
			srv, base := startReplica(t, replica.Options{Entries: entries, Seed: 2})
			opts := fastOptions(t, base)
			opts.Concurrency = limit
			res, err := crawl.Run(context.Background(), opts, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Fetched != len(entries) {
				t.Errorf("fetched %d of %d", res.Fetched, len(entries))
			}
			if m := srv.MaxInFlight(); m > limit || m < 1 {
				t.Errorf("limit %d: replica saw %d requests in flight", limit, m)
			}
		}
	})
	t.Run("2% permanent 500s are reported", func(t *testing.T) {
		srv, base := startReplica(t, replica.Options{Entries: entries, Seed: 3})
		srv.SetRates(replica.RateFault{Fault: replica.Fault{Kind: replica.Fault500}, Rate: 0.02})
		faulted := srv.Faulted(replica.Fault500)
		if len(faulted) == 0 {
			t.Fatal("no page selected for faults")
		}
		opts := fastOptions(t, base)
		opts.Backoff = time.Millisecond
		res, err := crawl.Run(context.Background(), opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		var failed []string
		for _, p := range res.FailedPages() {
			u, _ := url.Parse(p.URL)
			failed = append(failed, u.Path)
			if p.Status != 500 || p.Attempts != 3 {
				t.Errorf("%s: status %d attempts %d", p.URL, p.Status, p.Attempts)
			}
			if n := srv.Requests(u.Path); n != 3 {
				t.Errorf("%s requested %d times, want 3", u.Path, n)
			}
		}
		sort.Strings(failed)
		if !reflect.DeepEqual(failed, faulted) {
			t.Errorf("failed %v, replica faulted %v", failed, faulted)
		}
		t.Logf("%d of %d pages failed (%.1f%%)", len(failed), len(entries), 100*res.FailureRatio())
	})
	t.Run("404 not retried, robots Disallow honoured, Retry-After capped", func(t *testing.T) {
		srv, base := startReplica(t, replica.Options{Entries: entries, Seed: 4})
		ids := srv.IDs()
		gone, secret, busy := srv.PagePath(ids[3]), srv.PagePath(ids[5]), srv.PagePath(ids[7])
		srv.SetFault(gone, replica.Fault{Kind: replica.Fault404})
		srv.SetFault(busy, replica.Fault{Kind: replica.Fault429, Times: 1, RetryAfter: 600})
		srv.SetRobots(replica.Robots{Mode: replica.RobotsDisallow, Disallow: []string{secret}})
		clock := &replicaClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		opts := fastOptions(t, base)
		opts.Concurrency = 1
		opts.RetryAfterCap = 5 * time.Second
		opts.Now, opts.Sleep = clock.Now, clock.Sleep
		res, err := crawl.Run(context.Background(), opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n := srv.Requests(gone); n != 1 {
			t.Errorf("404 page requested %d times, want 1", n)
		}
		if n := srv.Requests(secret); n != 0 {
			t.Errorf("disallowed page requested %d times", n)
		}
		if n := srv.Requests(busy); n != 2 {
			t.Errorf("429 page requested %d times, want 2", n)
		}
		if !reflect.DeepEqual(clock.waits, []time.Duration{5 * time.Second}) {
			t.Errorf("waits %v, want [5s]", clock.waits)
		}
		if res.Failed != 1 || res.Disallowed != 1 || res.Fetched != len(entries)-2 {
			t.Errorf("failed %d disallowed %d fetched %d", res.Failed, res.Disallowed, res.Fetched)
		}
	})
	t.Run("robots 5xx means no crawl", func(t *testing.T) {
		srv, base := startReplica(t, replica.Options{Entries: entries, Seed: 5})
		srv.SetRobots(replica.Robots{Mode: replica.RobotsError})
		_, err := crawl.Run(context.Background(), fastOptions(t, base), nil)
		if err == nil || !strings.Contains(err.Error(), "robots.txt") {
			t.Fatalf("err %v", err)
		}
		if n := srv.TotalRequests(); n != 1 {
			t.Errorf("%d requests, want only robots.txt", n)
		}
	})
	t.Run("slow, truncated and odd pages", func(t *testing.T) {
		// The odd layout drops the availability table: only a page with
		// operations (from the API sample) still reads as a connector.
		srv, base := startReplica(t, replica.Options{Entries: entries, APIs: apiSample(t), Seed: 6})
		ids := srv.IDs()
		odd := -1
		for i, id := range ids {
			if i > 2 && odd < 0 && len(srv.Rendered(id).Operations) > 0 {
				odd = i
			}
		}
		if odd < 0 {
			t.Fatal("no page with operations among the first entries")
		}
		srv.SetFault(srv.PagePath(ids[1]), replica.Fault{Kind: replica.FaultTruncate, Times: 1})
		srv.SetFault(srv.PagePath(ids[2]), replica.Fault{Kind: replica.FaultSlow, Delay: time.Minute})
		srv.SetFault(srv.PagePath(ids[odd]), replica.Fault{Kind: replica.FaultLayout})
		opts := fastOptions(t, base)
		opts.Timeout = 200 * time.Millisecond
		opts.Backoff = time.Millisecond
		res, err := crawl.Run(context.Background(), opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p := res.Pages[1]; p.Outcome != crawl.OutcomeFetched || p.Attempts != 2 {
			t.Errorf("truncated: %+v", p)
		}
		if p := res.Pages[2]; p.Outcome != crawl.OutcomeFailed || p.Attempts != 3 {
			t.Errorf("slow: %+v", p)
		}
		if p := res.Pages[odd]; p.Outcome != crawl.OutcomeFetched {
			t.Errorf("odd layout: %+v", p)
		}
	})
}

// TestCrawlReplicaSecondRunUnchanged: the second crawl of an unchanged
// replica gets 304 for every page, parses nothing, and returns the first
// catalogue as it is.
func TestCrawlReplicaSecondRunUnchanged(t *testing.T) {
	srv, base := startReplica(t, replica.Options{Entries: replicaSubset(t, 300), Seed: 7})
	opts := fastOptions(t, base)
	first, err := crawl.Run(context.Background(), opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetCounters()
	second, err := crawl.Run(context.Background(), opts, first.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	if second.Parsed != 0 || second.Unchanged != 300 || second.Changed || second.Catalog != first.Catalog {
		t.Errorf("parsed %d unchanged %d changed %v", second.Parsed, second.Unchanged, second.Changed)
	}
	if st := srv.Statuses(); st[304] != 301 || len(st) != 2 || st[200] != 1 {
		t.Errorf("statuses %v, want 301 x 304 and robots.txt's 200", st)
	}
}
