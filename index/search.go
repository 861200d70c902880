package index

import (
	"context"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// unranked reports whether the query is a single letter being typed: it
// matches a third of the catalogue, and word scores say nothing about so
// short a prefix, so hits come in the table's order (connectors by name,
// then important operations) and scoring is skipped: it was most of the
// cost of the slowest class of queries.
func unranked(words []qword) bool {
	return len(words) == 1 && words[0].prefix && utf8.RuneCountInString(words[0].whole) == 1
}

// checkEvery is how many matches pass between looks at ctx.
const checkEvery = 1024

// Search runs a query. An empty text matches everything the filters let
// through, connectors first by name, then operations (important ones
// first). It honours ctx and is safe for concurrent use.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	start := time.Now()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := compileFilters(ix.tab, q)
	if err != nil {
		return nil, err
	}
	words := parseQuery(q.Text)
	rq := newRankQuery(words)
	pin := ix.tab.resolve(q.Text)
	newCol := func() *collector {
		col := newCollector(ix.tab, f, q)
		col.pin = pin
		if len(words) > 0 && !unranked(words) {
			col.pool(rerankPool)
		}
		return col
	}
	col := newCol()
	var comp *compiled
	partial := false
	var r bindex.IndexReader
	switch {
	case f.products != 0 && !ix.tab.anyHasProducts(f.products):
		// No document is in every product asked for: nothing to match,
		// and no facet counts (products are never relaxed).
	case len(words) == 0:
		for ord := range ix.tab.entries {
			if ord%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			col.add(int32(ord), 0)
		}
	default:
		r, err = ix.adv.Reader()
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		defer r.Close()
		comp, err = compile(ctx, r, words, ix.typos)
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", q.Text, err)
		}
		rq.alts = comp.alts
		if unranked(words) {
			if err := ix.collectTerms(ctx, r, comp.pairs, col); err != nil {
				return nil, err
			}
			break
		}
		run, err := comp.scored(ctx, r, ix.bi.Mapping())
		if err != nil {
			return nil, err
		}
		if err := ix.collect(ctx, r, run, col, rq); err != nil {
			return nil, err
		}
		if pin < 0 && needsFallback(words, col.total) {
			most := newCol()
			if err := ix.collect(ctx, r, comp.mostWords(words), most, rq); err != nil {
				return nil, err
			}
			if most.total > col.total {
				col, partial = most, true
			}
		}
		if pin >= 0 && !col.pinSeen {
			col.add(pin, 0)
		}
		ix.tab.rerank(col, rq)
		col.lift()
	}
	res, top := ix.tab.result(col, q)
	res.Partial = partial
	if (res.Total == 0 || partial) && comp != nil && len(comp.unknown) > 0 {
		dict, err := ix.typos()
		if err != nil {
			return nil, err
		}
		res.Suggestions = suggest(dict, words, comp.unknown, comp.alts)
	}
	if q.Highlight && comp != nil && len(top) > 0 {
		if err := ix.highlight(ctx, r, comp, top, res.Hits); err != nil {
			return nil, err
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

// collectTerms feeds the collector, unscored and in the table's order,
// every document holding one of the terms: the query of a single letter
// being typed (see unranked), which is a disjunction of these terms and
// matches up to a third of the catalogue. Reading the postings into a
// bitset and walking the table skips bleve's searchers and their
// per-match work, most of that query's time.
func (ix *Index) collectTerms(ctx context.Context, r bindex.IndexReader, pairs []matchPair, col *collector) error {
	nums := ix.tab.nums
	set := make([]uint64, (len(ix.tab.byNum)+63)/64)
	tfd := &bindex.TermFieldDoc{}
	for _, p := range pairs {
		tfr, err := r.TermFieldReader(ctx, []byte(p.term), p.field, false, false, false)
		if err != nil {
			return err
		}
		for n := 0; ; n++ {
			if n%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					_ = tfr.Close()
					return err
				}
			}
			d, err := tfr.Next(tfd)
			if err != nil {
				_ = tfr.Close()
				return err
			}
			if d == nil {
				break
			}
			if num := d.ID.Value(); num < uint64(len(ix.tab.byNum)) {
				set[num/64] |= 1 << (num % 64)
			}
		}
		if err := tfr.Close(); err != nil {
			return err
		}
	}
	for ord, num := range nums {
		if set[num/64]&(1<<(num%64)) != 0 {
			col.add(int32(ord), 0)
		}
	}
	return nil
}

// collect runs the query and feeds every match to the collector.
func (ix *Index) collect(ctx context.Context, r bindex.IndexReader, q query.Query, col *collector, rq *rankQuery) error {
	s, err := q.Searcher(ctx, r, ix.bi.Mapping(), search.SearcherOptions{})
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	defer s.Close()
	sctx := &search.SearchContext{
		DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0),
		IndexReader:       r,
	}
	byNum := ix.tab.byNum
	for n := 0; ; n++ {
		if n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		if dm == nil {
			return nil
		}
		num := dm.IndexInternalID.Value()
		if num < uint64(len(byNum)) {
			if ord := byNum[num]; ord >= 0 {
				e := &ix.tab.entries[ord]
				score := dampen(dm.Score) * ix.tab.staticFactor(ord)
				if col.add(ord, score) && e.kind == kindConnector {
					if l := rq.naming(&ix.tab.conns[e.conn]); l > 0 {
						col.named = append(col.named, named{ord, l * ix.tab.staticFactor(ord)})
					}
				}
			}
		}
		sctx.DocumentMatchPool.Put(dm)
	}
}

// matchTag is one (field, term) a hit's Matches can hold.
type matchTag struct{ field, term string }

// highlight fills Matches of the hits: for every term the query looked
// up, the hits whose field holds it, then the typed prefixes found in
// the hits' operation ids. It seeks each term's postings to the hits
// only, so it costs little whatever the number of matches. Hits with the
// same matches share one map (most hits of a short query match the
// same way): a map per hit was most of a keystroke's allocations.
func (ix *Index) highlight(ctx context.Context, r bindex.IndexReader, comp *compiled, top []scored, hits []Hit) error {
	var tags []matchTag
	tagOf := func(field, term string) int {
		t := matchTag{field, term}
		if i := slices.Index(tags, t); i >= 0 {
			return i
		}
		tags = append(tags, t)
		return len(tags) - 1
	}
	pairTag := make([]int, len(comp.pairs))
	for i, p := range comp.pairs {
		pairTag[i] = -1
		if p.display == fDescription || p.display == fCategories {
			// Not shown by any front end, and the prose postings are
			// the longest: most of the cost of highlighting.
			continue
		}
		show := p.term
		if p.show != "" {
			show = p.show
		}
		pairTag[i] = tagOf(p.display, show)
	}
	prefixTag := make([]int, len(comp.opPrefixes))
	for i, p := range comp.opPrefixes {
		prefixTag[i] = tagOf(fOperation, p)
	}
	if len(tags) == 0 {
		return nil
	}
	// sets holds, per hit, a bit per tag.
	words := (len(tags) + 63) / 64
	sets := make([]uint64, len(top)*words)
	mark := func(hit, tag int) { sets[hit*words+tag/64] |= 1 << (tag % 64) }

	type hitNum struct {
		num uint64
		i   int
	}
	order := make([]hitNum, len(top))
	for i, s := range top {
		order[i] = hitNum{ix.tab.nums[s.ord], i}
	}
	slices.SortFunc(order, func(a, b hitNum) int {
		switch {
		case a.num < b.num:
			return -1
		case a.num > b.num:
			return 1
		}
		return 0
	})
	var id bindex.IndexInternalID
	tfd := &bindex.TermFieldDoc{}
	for pi, p := range comp.pairs {
		tag := pairTag[pi]
		if tag < 0 {
			continue
		}
		tfr, err := r.TermFieldReader(ctx, []byte(p.term), p.field, false, false, false)
		if err != nil {
			return err
		}
		if tfr.Count() == 0 {
			_ = tfr.Close()
			continue
		}
		// at is the document the reader is on: a hit before it does not
		// hold the term, and is not sought (scorch restarts a reader
		// asked to seek to or before its current document, rereading
		// the postings: that was most of the cost of highlighting).
		at, started := uint64(0), false
		for _, o := range order {
			if started && o.num < at {
				continue
			}
			if !started || o.num > at {
				id = bindex.NewIndexInternalID(id, o.num)
				d, err := tfr.Advance(id, tfd)
				if err != nil {
					_ = tfr.Close()
					return err
				}
				if d == nil {
					break
				}
				at, started = d.ID.Value(), true
			}
			if at == o.num {
				mark(o.i, tag)
			}
		}
		if err := tfr.Close(); err != nil {
			return err
		}
	}
	has := func(hit, tag int) bool { return sets[hit*words+tag/64]&(1<<(tag%64)) != 0 }
	for i, p := range comp.opPrefixes {
		for hi := range hits {
			// A prefix that is itself a term of the ids was marked
			// with its postings above.
			if op := hits[hi].OperationID; op != "" && !has(hi, prefixTag[i]) && len(HighlightSpans(op, []string{p})) > 0 {
				mark(hi, prefixTag[i])
			}
		}
	}
	// One map per distinct set, its terms in the order they were looked
	// up.
	var distinct [][]uint64
	var maps []map[string][]string
	for hi := range hits {
		set := sets[hi*words : (hi+1)*words]
		if !slices.ContainsFunc(set, func(w uint64) bool { return w != 0 }) {
			continue
		}
		k := slices.IndexFunc(distinct, func(d []uint64) bool { return slices.Equal(d, set) })
		if k < 0 {
			m := make(map[string][]string, 2)
			for t, tag := range tags {
				if set[t/64]&(1<<(t%64)) != 0 {
					m[tag.field] = append(m[tag.field], tag.term)
				}
			}
			distinct, maps = append(distinct, set), append(maps, m)
			k = len(maps) - 1
		}
		hits[hi].Matches = maps[k]
	}
	return nil
}

func addMatch(h *Hit, field, term string) {
	if h.Matches == nil {
		h.Matches = make(map[string][]string, 2)
	}
	if !slices.Contains(h.Matches[field], term) {
		h.Matches[field] = append(h.Matches[field], term)
	}
}
