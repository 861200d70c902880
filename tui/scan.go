package tui

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
)

// ScanSearcher searches a catalogue by scanning it: every query word must
// appear in the document. It is the fallback when the search index cannot
// be opened, and the searcher of tests; it honours every index.Query
// filter and returns facets like the index does.
type ScanSearcher struct {
	docs []scanDoc
}

type scanDoc struct {
	kind, conn, op      string
	name, lname, text   string
	tier, publisherKind string
	publisher           string
	products            []string
	preview, deprecated bool
	internal            bool
}

// NewScanSearcher prepares a catalogue for scanning.
func NewScanSearcher(cat *catalog.Catalog) *ScanSearcher {
	s := &ScanSearcher{}
	for _, c := range cat.Connectors {
		var prods []string
		for _, p := range c.Products {
			prods = append(prods, strings.ToLower(p.Name))
		}
		base := scanDoc{conn: c.ID, tier: string(c.Tier), publisherKind: string(c.PublisherKind),
			publisher: strings.ToLower(c.Publisher), products: prods}
		d := base
		d.kind, d.name = index.KindConnector, c.Name
		d.lname = strings.ToLower(c.Name)
		d.text = strings.ToLower(c.Name + " " + c.ID + " " + c.Description + " " + c.Publisher + " " + strings.Join(c.Categories, " "))
		d.preview, d.deprecated = c.Preview, c.Deprecated
		s.docs = append(s.docs, d)
		for _, op := range c.Operations {
			d := base
			d.kind = string(op.Kind)
			if d.kind != index.KindTrigger {
				d.kind = index.KindAction
			}
			d.op, d.name = op.ID, op.Name
			d.lname = strings.ToLower(op.Name)
			d.text = strings.ToLower(op.Name + " " + op.ID + " " + op.Description + " " + c.Name)
			d.preview, d.deprecated = op.Preview || c.Preview, op.Deprecated || c.Deprecated
			d.internal = op.Visibility == catalog.VisibilityInternal
			s.docs = append(s.docs, d)
		}
	}
	return s
}

type scored struct {
	d     *scanDoc
	fail  int
	score float64
	name  []string
	other []string
}

// Search runs q over the catalogue.
func (s *ScanSearcher) Search(ctx context.Context, q index.Query) (*index.Result, error) {
	start := time.Now()
	words := strings.Fields(strings.ToLower(q.Text))
	var hits, near []scored // near: fail exactly one relaxable filter
	for i := range s.docs {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		d := &s.docs[i]
		fail := scanFilter(d, q)
		if fail != 0 && (!q.Facets || fail&(fail-1) != 0 || fail == failOther) {
			continue // fails two filters or an unrelaxed one: counts nowhere
		}
		h := scored{d: d, fail: fail}
		ok := true
		for _, w := range words {
			switch {
			case strings.HasPrefix(d.lname, w):
				h.score += 3
				h.name = append(h.name, w)
			case strings.Contains(d.lname, w):
				h.score += 2
				h.name = append(h.name, w)
			case strings.Contains(d.text, w):
				h.score++
				h.other = append(h.other, w)
			default:
				ok = false
			}
			if !ok {
				break
			}
		}
		if !ok {
			continue
		}
		if fail != 0 {
			near = append(near, h)
			continue
		}
		hits = append(hits, h)
	}
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if (a.d.kind == index.KindConnector) != (b.d.kind == index.KindConnector) {
			return a.d.kind == index.KindConnector
		}
		if a.d.lname != b.d.lname {
			return a.d.lname < b.d.lname
		}
		return a.d.conn+"/"+a.d.op < b.d.conn+"/"+b.d.op
	})
	res := &index.Result{Query: q.Text, Total: uint64(len(hits))}
	if q.Facets {
		res.Facets = scanFacets(append(hits, near...))
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	for i := q.Offset; i < len(hits) && i < q.Offset+limit; i++ {
		h := hits[i]
		hit := index.Hit{Kind: h.d.kind, ConnectorID: h.d.conn, OperationID: h.d.op, Score: h.score}
		if q.Highlight && (len(h.name) > 0 || len(h.other) > 0) {
			hit.Matches = map[string][]string{}
			if len(h.name) > 0 {
				hit.Matches["name"] = h.name
			}
			if len(h.other) > 0 {
				hit.Matches["description"] = h.other
			}
		}
		res.Hits = append(res.Hits, hit)
	}
	res.Took = time.Since(start)
	return res, nil
}

// Filter bits: which filters a document fails. A facet's counts ignore the
// facet's own filter, as the index's do.
const (
	failKind = 1 << iota
	failTier
	failProduct
	failPublisher
	failPreview
	failDeprecated
	failOther // internal, connector restriction: never relaxed
)

func scanFilter(d *scanDoc, q index.Query) int {
	fail := 0
	if len(q.Kinds) > 0 {
		ok := false
		for _, k := range q.Kinds {
			ok = ok || k == d.kind
		}
		if !ok {
			fail |= failKind
		}
	}
	if q.Tier != "" && !strings.EqualFold(q.Tier, d.tier) {
		fail |= failTier
	}
	for _, p := range q.Products {
		found := false
		for _, dp := range d.products {
			found = found || dp == strings.ToLower(p)
		}
		if !found {
			fail |= failProduct
		}
	}
	if q.Publisher != "" {
		p := strings.ToLower(q.Publisher)
		if p != d.publisherKind && !strings.Contains(d.publisher, p) {
			fail |= failPublisher
		}
	}
	if q.Preview != nil && *q.Preview != d.preview {
		fail |= failPreview
	}
	switch q.Deprecated {
	case index.DeprecatedInclude:
	case index.DeprecatedOnly:
		if !d.deprecated {
			fail |= failDeprecated
		}
	default:
		if d.deprecated {
			fail |= failDeprecated
		}
	}
	if d.internal && !q.Internal {
		fail |= failOther
	}
	if q.Connector != "" && (d.op == "" || !strings.EqualFold(q.Connector, d.conn)) {
		fail |= failOther
	}
	return fail
}

func scanFacets(hits []scored) map[string][]index.FacetCount {
	counts := map[string]map[string]int{}
	var counted map[string]bool
	inc := func(f, v string) {
		if v == "" {
			return
		}
		if !counted[f] {
			return
		}
		if counts[f] == nil {
			counts[f] = map[string]int{}
		}
		counts[f][v]++
	}
	for _, h := range hits {
		d := h.d
		counted = map[string]bool{
			"kind": h.fail&^failKind == 0, "tier": h.fail&^failTier == 0, "product": h.fail == 0,
			"publisher_kind": h.fail&^failPublisher == 0, "preview": h.fail&^failPreview == 0,
			"deprecated": h.fail&^failDeprecated == 0,
		}
		inc("kind", d.kind)
		inc("tier", d.tier)
		for _, p := range d.products {
			for _, name := range catalog.Products {
				if strings.ToLower(name) == p {
					inc("product", name)
				}
			}
		}
		inc("publisher_kind", d.publisherKind)
		inc("preview", strconv.FormatBool(d.preview))
		inc("deprecated", strconv.FormatBool(d.deprecated))
	}
	out := map[string][]index.FacetCount{}
	for f, m := range counts {
		var fc []index.FacetCount
		for v, n := range m {
			fc = append(fc, index.FacetCount{Value: v, Count: n})
		}
		sort.Slice(fc, func(i, j int) bool {
			if fc[i].Count != fc[j].Count {
				return fc[i].Count > fc[j].Count
			}
			return fc[i].Value < fc[j].Value
		})
		out[f] = fc
	}
	return out
}
