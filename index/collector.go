package index

import (
	"cmp"
	"slices"

	"github.com/connex-dev/connex/catalog"
)

// newCollector is a collector for q's page of hits.
func newCollector(t *table, f *filters, q Query) *collector {
	limit, offset := q.Limit, max(q.Offset, 0)
	if limit <= 0 {
		limit = 20
	}
	col := &collector{t: t, f: f, k: offset + limit, facets: q.Facets, pin: -1}
	if col.k < 0 || col.k > len(t.entries) {
		col.k = len(t.entries)
	}
	col.keep = col.k
	return col
}

// pool widens the heap to n hits (at least the page), for a rerank.
func (c *collector) pool(n int) {
	c.k = min(max(c.k, n), len(c.t.entries))
}

// maxHeapPrealloc bounds the heap allocated up front (a query for every
// hit grows it as needed).
const maxHeapPrealloc = 512

// result turns the collected matches into q's page of hits (and facets
// when asked); top is the page's entries.
func (t *table) result(col *collector, q Query) (res *Result, top []scored) {
	top = col.sorted()
	res = &Result{Query: q.Text, Total: col.total}
	if offset := max(q.Offset, 0); offset < len(top) {
		top = top[offset:]
	} else {
		top = nil
	}
	res.Hits = make([]Hit, len(top))
	for i, s := range top {
		if s.score == pinScore {
			// Shown as twice the next score, not as 1e300.
			s.score = 1
			if i+1 < len(top) && top[i+1].score > 0 {
				s.score = 2 * top[i+1].score
			}
		}
		e := &t.entries[s.ord]
		res.Hits[i] = Hit{
			Kind:        kindNames[e.kind],
			ConnectorID: t.conns[e.conn].id,
			OperationID: t.opID(int(s.ord)),
			Score:       s.score,
			Name:        t.opName(int(s.ord)),
			Preview:     e.flags&flagPreview != 0,
			Deprecated:  e.flags&flagDeprecated != 0,
			Internal:    e.flags&flagInternal != 0,
		}
	}
	if q.Facets {
		res.Facets = col.facetCounts()
	}
	return res, top
}

// collector keeps the top hits and counts facets over the matches.
type collector struct {
	t      *table
	f      *filters
	k      int // offset + limit
	facets bool
	total  uint64
	heap   []scored
	keep   int // hits returned (k may be larger: see pool)
	// pin is an entry the query names exactly (connector/operation):
	// it comes first when it passes the filters; -1 for none.
	pin     int32
	pinSeen bool
	// named are the matching connectors the query names (see lift).
	named []named
	// rank, when set, breaks score ties instead of the table's order.
	rank []int32

	kind       [3]int
	tier       [3]int
	product    [8]int
	pub        [5]int
	preview    [2]int
	deprecated [2]int
}

// named is a connector the query names, and its lift.
type named struct {
	ord  int32
	lift float64
}

// lift raises each named connector to the best hit's score times its
// lift, when that is more than its own: the connector a query names
// comes before the operations that merely mention it.
func (c *collector) lift() {
	top := 0.0
	for _, s := range c.heap {
		if s.ord != c.pin {
			top = max(top, s.score)
		}
	}
	if len(c.named) == 0 {
		return
	}
	// The heap's positions by entry, to find each named connector in
	// it: a query like "share" names hundreds of connectors, and a scan
	// of the heap for each was a third of its time.
	kept := len(c.heap)
	at := make([]int32, kept)
	for i := range at {
		at[i] = int32(i)
	}
	slices.SortFunc(at, func(a, b int32) int { return cmp.Compare(c.heap[a].ord, c.heap[b].ord) })
	for _, n := range c.named {
		score := top * n.lift
		i, found := slices.BinarySearchFunc(at, n.ord, func(pos, ord int32) int { return cmp.Compare(c.heap[pos].ord, ord) })
		if found {
			c.heap[at[i]].score = max(c.heap[at[i]].score, score)
		} else {
			c.heap = append(c.heap, scored{score, n.ord})
		}
	}
}

type scored struct {
	score float64
	ord   int32
}

// better orders hits: higher score, then the tie-break rank (the
// table's order unless rank is set).
func (c *collector) better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if c.rank != nil {
		return c.rank[a.ord] < c.rank[b.ord]
	}
	return a.ord < b.ord
}

// pinScore is the score of the pinned entry: above any other.
const pinScore = 1e300

// add counts a match and keeps it when it is among the best; it reports
// whether the match passed every filter (is a hit).
func (c *collector) add(ord int32, score float64) bool {
	if ord == c.pin {
		c.pinSeen = true
		score = pinScore
	}
	e := &c.t.entries[ord]
	f := c.f
	if !f.internal && e.flags&flagInternal != 0 {
		return false
	}
	if f.connector != -1 && (e.kind == kindConnector || int64(e.conn) != f.connector) {
		return false
	}
	var fail uint8
	if f.kinds != 0 && f.kinds&(1<<e.kind) == 0 {
		fail |= failKind
	}
	if f.tier != 0 && e.tier+1 != f.tier {
		fail |= failTier
	}
	if e.products&f.products != f.products {
		fail |= failProduct
	}
	if f.pubActive && f.pubKinds&(1<<e.pub) == 0 && !f.pubConns[e.conn] {
		if !f.pubFacetOwned {
			return false
		}
		fail |= failPublisher
	}
	dep := e.flags&flagDeprecated != 0
	switch f.deprecated {
	case DeprecatedExclude:
		if dep {
			fail |= failDeprecated
		}
	case DeprecatedOnly:
		if !dep {
			fail |= failDeprecated
		}
	}
	prev := e.flags&flagPreview != 0
	if f.preview >= 0 && prev != (f.preview == 1) {
		fail |= failPreview
	}
	if fail == 0 {
		c.total++
		c.push(scored{score, ord})
	}
	if !c.facets || fail&(fail-1) != 0 {
		return fail == 0 // fails two filters: counts in no facet
	}
	if fail == 0 || fail == failKind {
		c.kind[e.kind]++
	}
	if fail == 0 || fail == failTier {
		c.tier[e.tier]++
	}
	if fail == 0 {
		for i := range c.product {
			if e.products&(1<<i) != 0 {
				c.product[i]++
			}
		}
	}
	if fail == 0 || fail == failPublisher {
		c.pub[e.pub]++
	}
	if fail == 0 || fail == failPreview {
		c.preview[b2i(prev)]++
	}
	if fail == 0 || fail == failDeprecated {
		c.deprecated[b2i(dep)]++
	}
	return fail == 0
}

func b2i(b bool) int { return int(b2u(b)) }

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// push keeps the best k hits in a min-heap (worst at the root).
func (c *collector) push(s scored) {
	h := c.heap
	if len(h) < c.k {
		if h == nil {
			// Once, at its final size, instead of growing it step by
			// step (lift may append the named connectors).
			h = make([]scored, 0, min(c.k, maxHeapPrealloc)+8)
		}
		h = append(h, s)
		i := len(h) - 1
		for i > 0 {
			p := (i - 1) / 2
			if !c.better(h[p], h[i]) {
				break
			}
			h[p], h[i] = h[i], h[p]
			i = p
		}
		c.heap = h
		return
	}
	if c.k == 0 || !c.better(s, h[0]) {
		return
	}
	h[0] = s
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && c.better(h[m], h[l]) {
			m = l
		}
		if r < len(h) && c.better(h[m], h[r]) {
			m = r
		}
		if m == i {
			break
		}
		h[m], h[i] = h[i], h[m]
		i = m
	}
}

// sorted returns the kept hits best first. It sorts the heap in place:
// nothing may be added after it.
func (c *collector) sorted() []scored {
	out := c.heap
	slices.SortFunc(out, func(a, b scored) int {
		if c.better(a, b) {
			return -1
		}
		if c.better(b, a) {
			return 1
		}
		return 0
	})
	if len(out) > c.keep {
		out = out[:c.keep]
	}
	return out
}

func (c *collector) facetCounts() map[string][]FacetCount {
	out := make(map[string][]FacetCount, 6)
	kinds := make([]FacetCount, 0, 3)
	for code, n := range c.kind {
		kinds = append(kinds, FacetCount{Value: kindNames[code], Count: n})
	}
	out[FacetKind] = kinds
	tiers := []FacetCount{{Value: tierNames[tierStandard], Count: c.tier[tierStandard]}, {Value: tierNames[tierPremium], Count: c.tier[tierPremium]}}
	if c.tier[tierUnknown] > 0 {
		tiers = append(tiers, FacetCount{Value: tierNames[tierUnknown], Count: c.tier[tierUnknown]})
	}
	out[FacetTier] = tiers
	products := make([]FacetCount, 0, len(catalog.Products))
	for i, p := range catalog.Products {
		if i < len(c.product) {
			products = append(products, FacetCount{Value: p, Count: c.product[i]})
		}
	}
	out[FacetProduct] = products
	pubs := make([]FacetCount, 0, 5)
	for code := pubMicrosoft; code <= pubCustom; code++ {
		pubs = append(pubs, FacetCount{Value: pubNames[code], Count: c.pub[code]})
	}
	if c.pub[pubUnknown] > 0 {
		pubs = append(pubs, FacetCount{Value: pubNames[pubUnknown], Count: c.pub[pubUnknown]})
	}
	out[FacetPublisherKind] = pubs
	out[FacetPreview] = []FacetCount{{Value: "true", Count: c.preview[1]}, {Value: "false", Count: c.preview[0]}}
	out[FacetDeprecated] = []FacetCount{{Value: "true", Count: c.deprecated[1]}, {Value: "false", Count: c.deprecated[0]}}
	return out
}
