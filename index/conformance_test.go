package index

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
)

// searcher is what every backend offers: the index (in memory and on
// disk) and the scan.
type searcher interface {
	Search(ctx context.Context, q Query) (*Result, error)
}

// backend is one searcher under the conformance suite.
type backend struct {
	name string
	s    searcher
	// indexed: the bleve index, whose ranking the cases spell out hit by
	// hit; the scan ranks its own way, so its hits are compared as a set.
	indexed bool
}

// backends builds every searcher over cat.
func backends(t *testing.T, cat *catalog.Catalog) []backend {
	t.Helper()
	mem, err := NewMemory(cat)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mem.Close() })
	_, disk := buildTest(t, cat)
	return []backend{
		{"memory", mem, true},
		{"disk", disk, true},
		{"scan", NewScanSearcher(cat), false},
	}
}

// forEachBackend runs fn as a subtest per backend, in parallel.
func forEachBackend(t *testing.T, cat *catalog.Catalog, fn func(t *testing.T, b backend)) {
	for _, b := range backends(t, cat) {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			fn(t, b)
		})
	}
}

func run(t *testing.T, s searcher, q Query) *Result {
	t.Helper()
	res, err := s.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	return res
}

func sortedIDs(ids []string) []string {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return ids
}

// Every filter and facet, with exact totals, hits and facet counts, on
// the invented catalogue (see testCatalog for the layout). Facets ignore
// their own filter (kind, tier, publisher kind, preview, deprecated) but
// products, combined with AND, use every filter.
func TestConformanceFiltersAndFacets(t *testing.T) {
	forEachBackend(t, testCatalog(), func(t *testing.T, b backend) {
		for _, c := range filterCases() {
			t.Run(c.name, func(t *testing.T) {
				q := c.q
				q.Facets, q.Limit = true, 50
				res := run(t, b.s, q)
				if res.Total != c.total {
					t.Errorf("total = %d, want %d", res.Total, c.total)
				}
				got, want := hitIDs(res.Hits), strings.Fields(c.hits)
				if !b.indexed {
					got, want = sortedIDs(got), sortedIDs(want)
				}
				if !slices.Equal(got, want) {
					t.Errorf("hits\n got %v\nwant %v", got, want)
				}
				if got := facetString(res.Facets); got != c.facets {
					t.Errorf("facets\n got %s\nwant %s", got, c.facets)
				}
			})
		}
	})
}

// Word matching every backend shares: camelCase ids in any form, the
// word being typed as a prefix, optional stop words, ids and aliases.
func TestConformanceText(t *testing.T) {
	cat := testCatalog()
	cat.Connectors[0].Aliases = []string{"Acme Mail (Folder)", "shared_acmemail"}
	cat.Reindex()
	cases := []struct {
		text    string
		hits    string // every hit, in any order
		first   string // the first hit, when the order matters
		partial bool
	}{
		{text: "SendEmailV2", hits: "acmemail/SendEmailV2"},
		{text: "sendemailv2", hits: "acmemail/SendEmailV2"},
		{text: "EmailSend", hits: "acmemail/SendEmailV2"},
		{text: "http request", hits: "bravodocs/HTTPRequest"},
		{text: "bra", hits: "c:bravodocs"},
		{text: "postbox", hits: "c:postboxrelay postboxrelay/SendMessage postboxrelay/OnBounce"},
		{text: "zzzz", hits: ""},
		// Stop words are optional; one hit with both words, so the
		// hits with either follow it.
		{text: "get the items ", hits: "bravodocs/getV2Items bravodocs/OAuth2Token", first: "bravodocs/getV2Items", partial: true},
		{text: "the send ", hits: "acmemail/SendEmailV2 bravodocs/HTTPRequest postboxrelay/SendMessage"},
		// Ids and aliases find the connector; the id finds its
		// operations too.
		{text: "acmemail ", hits: "c:acmemail acmemail/SendEmailV2 acmemail/OnNewEmail"},
		{text: "shared_acmemail", hits: "c:acmemail"},
		// Few every-word hits: most words, the every-word hit first.
		{text: "acmemail send", first: "acmemail/SendEmailV2", partial: true,
			hits: "c:acmemail acmemail/SendEmailV2 acmemail/OnNewEmail bravodocs/HTTPRequest postboxrelay/SendMessage"},
	}
	forEachBackend(t, cat, func(t *testing.T, b backend) {
		for _, c := range cases {
			res := run(t, b.s, Query{Text: c.text, Limit: 50})
			got := hitIDs(res.Hits)
			if s, want := sortedIDs(got), sortedIDs(strings.Fields(c.hits)); !slices.Equal(s, want) {
				t.Errorf("%q = %v, want %v", c.text, s, want)
			}
			if c.first != "" && (len(got) == 0 || got[0] != c.first) {
				t.Errorf("%q = %v, want %s first", c.text, got, c.first)
			}
			if res.Partial != c.partial {
				t.Errorf("%q: partial %v", c.text, res.Partial)
			}
		}
	})
}

// When every word finds little, the hits match most words instead, the
// ones matching more words first, and the result says so.
func TestConformanceMostWords(t *testing.T) {
	forEachBackend(t, testCatalog(), func(t *testing.T, b backend) {
		// Three words: two of them are enough.
		res := run(t, b.s, Query{Text: "bravo items zzzz ", Limit: 50})
		if got := hitIDs(res.Hits); !res.Partial || !slices.Equal(got, []string{"bravodocs/getV2Items"}) {
			t.Errorf("bravo items zzzz = %v (partial %v), want bravodocs/getV2Items", got, res.Partial)
		}
		// Two words: either; both first.
		res = run(t, b.s, Query{Text: "items bravo ", Limit: 50})
		got := hitIDs(res.Hits)
		if len(got) == 0 || got[0] != "bravodocs/getV2Items" || !res.Partial {
			t.Errorf("hits %v (partial %v), want bravodocs/getV2Items (both words) first", got, res.Partial)
		}
		want := []string{"bravodocs/HTTPRequest", "bravodocs/OAuth2Token", "bravodocs/OnFileCreated", "bravodocs/getV2Items", "c:bravodocs"}
		if !slices.Equal(sortedIDs(got), want) || res.Total != uint64(len(want)) {
			t.Errorf("hits %v (total %d), want %v", sortedIDs(got), res.Total, want)
		}
		// Enough every-word hits: no fallback.
		if res := run(t, b.s, Query{Text: "send", Limit: 50}); res.Partial {
			t.Errorf("send: partial")
		}
		// One word: nothing to relax.
		if res := run(t, b.s, Query{Text: "zzzz"}); res.Partial || res.Total != 0 {
			t.Errorf("zzzz: partial %v, total %d", res.Partial, res.Total)
		}
	})
}

// Deprecated and internal operations stay hidden from text search by
// default too.
func TestConformanceHidesDeprecatedAndInternal(t *testing.T) {
	forEachBackend(t, testCatalog(), func(t *testing.T, b backend) {
		if got := hitIDs(run(t, b.s, Query{Text: "send an email"}).Hits); slices.Contains(got, "acmemail/SendEmail") {
			t.Errorf("deprecated SendEmail shown by default: %v", got)
		}
		if got := hitIDs(run(t, b.s, Query{Text: "send an email", Deprecated: DeprecatedInclude}).Hits); !slices.Contains(got, "acmemail/SendEmail") {
			t.Errorf("deprecated SendEmail missing with include: %v", got)
		}
		if got := hitIDs(run(t, b.s, Query{Text: "mailbox"}).Hits); slices.Contains(got, "acmemail/GetMailboxInternal") {
			t.Errorf("internal operation shown by default: %v", got)
		}
		if got := hitIDs(run(t, b.s, Query{Text: "mailbox", Internal: true}).Hits); !slices.Contains(got, "acmemail/GetMailboxInternal") {
			t.Errorf("internal operation missing with Internal: %v", got)
		}
	})
}

func TestConformanceLimitOffset(t *testing.T) {
	forEachBackend(t, testCatalog(), func(t *testing.T, b backend) {
		all := hitIDs(run(t, b.s, Query{Limit: 50}).Hits)
		if len(all) != 11 {
			t.Fatalf("all = %v", all)
		}
		page := run(t, b.s, Query{Limit: 4, Offset: 3})
		if got := hitIDs(page.Hits); strings.Join(got, " ") != strings.Join(all[3:7], " ") || page.Total != 11 {
			t.Errorf("page 4@3 = %v (total %d), want %v (11)", got, page.Total, all[3:7])
		}
		if got := run(t, b.s, Query{Offset: 20}); len(got.Hits) != 0 || got.Total != 11 {
			t.Errorf("offset past the end: %d hits, total %d", len(got.Hits), got.Total)
		}
		if got := run(t, b.s, Query{}); len(got.Hits) != 11 {
			t.Errorf("default limit gave %d hits", len(got.Hits))
		}
		if res := run(t, b.s, Query{Text: "send"}); res.Facets != nil {
			t.Errorf("facets without Query.Facets: %v", res.Facets)
		}
	})
}

// Hostile or odd query text never panics nor errors.
func TestConformanceOddInput(t *testing.T) {
	inputs := []string{
		"", " ", "!!!", "\x00\x1b[2J", "\xff\xfe", strings.Repeat("a", 10000),
		strings.Repeat("send ", 500), "ÉtéCafé", "日本語", "a-b_c.d", "SendEmailV2SendEmailV2SendEmailV2SendEmailV2",
		"*", "?", "\"send\"", "send~2", "+send -email", "(", "a b c d e f g h i j k l m n o p", "/", "a/", "/b", "a/b/c",
	}
	forEachBackend(t, testCatalog(), func(t *testing.T, b backend) {
		for _, in := range inputs {
			for _, hl := range []bool{false, true} {
				if _, err := b.s.Search(context.Background(), Query{Text: in, Facets: true, Highlight: hl}); err != nil {
					t.Errorf("Search(%q): %v", in, err)
				}
			}
		}
	})
}

func TestConformanceErrors(t *testing.T) {
	forEachBackend(t, testCatalog(), func(t *testing.T, b backend) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := b.s.Search(ctx, Query{Text: "send"}); !errors.Is(err, context.Canceled) {
			t.Errorf("Search with a cancelled context: %v", err)
		}
		for _, q := range []Query{
			{Kinds: []string{"widget"}},
			{Tier: "gold"},
			{Products: []string{"Excel"}},
			{Deprecated: "sometimes"},
		} {
			if _, err := b.s.Search(context.Background(), q); !errors.Is(err, ErrInvalidQuery) {
				t.Errorf("Search(%+v): %v, want ErrInvalidQuery", q, err)
			}
		}
	})
}

// The scan's own ranking: per word 3 for a name starting with it, 2 for a
// name holding it, 1 elsewhere; ties to connectors, then by name.
func TestScanRanking(t *testing.T) {
	s := NewScanSearcher(testCatalog())
	got := hitIDs(run(t, s, Query{Text: "send", Limit: 50}).Hits)
	want := []string{"acmemail/SendEmailV2", "bravodocs/HTTPRequest", "postboxrelay/SendMessage"}
	if !slices.Equal(got, want) {
		t.Errorf("send = %v, want %v", got, want)
	}
	got = hitIDs(run(t, s, Query{Text: "message ", Limit: 50}).Hits)
	want = []string{"postboxrelay/SendMessage", "postboxrelay/OnBounce", "acmemail/SendEmailV2", "acmemail/OnNewEmail"}
	if !slices.Equal(got, want) {
		t.Errorf("message = %v, want %v", got, want)
	}
}

// A product nothing is in: no hits and no facet counts, whatever the
// text (the index answers without searching).
func TestConformanceUnmatchedProduct(t *testing.T) {
	cat := testCatalog()
	for _, c := range cat.Connectors {
		if c.ID == "postboxrelay" {
			c.Products = c.Products[:1] // Logic Apps only: nothing has all four now
		}
	}
	cat.Reindex()
	zero := "kind=connector:0,action:0,trigger:0 tier=standard:0,premium:0 product=Logic Apps:0,Power Automate:0,Power Apps:0,Copilot Studio:0 publisher_kind=microsoft:0,certified:0,independent:0,custom:0 preview=true:0,false:0 deprecated=true:0,false:0"
	forEachBackend(t, cat, func(t *testing.T, b backend) {
		for _, text := range []string{"", "send", "s"} {
			res := run(t, b.s, Query{Text: text, Products: catalog.Products, Facets: true})
			if res.Total != 0 || len(res.Hits) != 0 || facetString(res.Facets) != zero {
				t.Errorf("%q: total %d, hits %v, facets %s", text, res.Total, hitIDs(res.Hits), facetString(res.Facets))
			}
		}
	})
}
