package crawl_test

// Round-trip and fault tests of the crawler against the local replica of
// the reference site (internal/replica), on 127.0.0.1. An external test
// package: the replica's real-data helpers import crawl.

import (
	"context"
	"fmt"
	"net/url"
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

// replicaSubset is the first n entries of the real list (generated pages
// only: fast, for the fault tests).
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

// TestCrawlReplicaRoundTrip crawls the full replica (1,466 listed
// connectors, those with a definition rendered from it) and compares what
// the crawler read with what the replica rendered.
func TestCrawlReplicaRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("full replica crawl")
	}
	srv, base := startReplica(t, replica.Options{ListPath: realdata.ReferenceList(t), Definitions: realdata.Catalog(t), Seed: 1})
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
	t.Logf("captured %d of %d listed connectors; %d pages rendered from definitions; %d parse problems",
		captured, len(ids), len(srv.FromDefinition()), len(res.Problems))
	if captured != len(ids) || len(res.Catalog.Connectors) != len(ids) {
		t.Fatalf("captured %d of %d (catalogue holds %d)", captured, len(ids), len(res.Catalog.Connectors))
	}
	var diffs []string
	for _, id := range ids {
		got, _ := res.Catalog.Connector(id)
		want := srv.Rendered(id)
		diffs = append(diffs, compareListFields(id, got, want)...)
	}
	fromDef := srv.FromDefinition()
	if len(fromDef) == 0 {
		t.Fatal("no page rendered from a definition")
	}
	ops, params := 0, 0
	for _, id := range fromDef {
		got, _ := res.Catalog.Connector(id)
		want := srv.Rendered(id)
		diffs = append(diffs, compareRendered(id, got, want)...)
		ops += len(want.Operations)
		for _, op := range want.Operations {
			params += len(op.Parameters)
		}
	}
	t.Logf("compared %d connectors from definitions: %d operations, %d parameters", len(fromDef), ops, params)
	// Free text is not part of the bar; count how much of it reads back.
	descDiff, descTotal, sample := 0, 0, ""
	for _, id := range ids {
		got, _ := res.Catalog.Connector(id)
		want := srv.Rendered(id)
		descTotal++
		if got.Description != want.Description {
			descDiff++
		}
		wantOps := map[string]string{}
		for _, op := range want.Operations {
			wantOps[op.ID] = op.Description
		}
		for _, op := range got.Operations {
			if w, ok := wantOps[op.ID]; ok {
				descTotal++
				if w != op.Description {
					descDiff++
					if sample == "" {
						sample = fmt.Sprintf("%s/%s: %q vs replica %q", id, op.ID, op.Description, w)
					}
				}
			}
		}
	}
	t.Logf("descriptions (connectors and operations) read back identically: %d of %d; first difference: %s", descTotal-descDiff, descTotal, sample)
	if len(diffs) > 0 {
		if len(diffs) > 30 {
			t.Errorf("... %d differences in all", len(diffs))
			diffs = diffs[:30]
		}
		t.Errorf("differences:\n%s", strings.Join(diffs, "\n"))
	}
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
		srv, base := startReplica(t, replica.Options{Entries: entries, Seed: 6})
		ids := srv.IDs()
		srv.SetFault(srv.PagePath(ids[1]), replica.Fault{Kind: replica.FaultTruncate, Times: 1})
		srv.SetFault(srv.PagePath(ids[2]), replica.Fault{Kind: replica.FaultSlow, Delay: time.Minute})
		srv.SetFault(srv.PagePath(ids[4]), replica.Fault{Kind: replica.FaultLayout})
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
		if p := res.Pages[4]; p.Outcome != crawl.OutcomeFetched {
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
