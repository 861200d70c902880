package replica

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/connex-dev/connex/catalog"
)

// readBack is a small reference parser used only to check that pages say
// what Rendered says they say, following learn-page-structure.md: sections
// by heading id, columns by header text, operation blocks from the h3
// after the section heading. The real crawler lives in scraper.
func readBack(t *testing.T, body []byte) *catalog.Connector {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse page: %v", err)
	}
	txt := func(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }
	c := &catalog.Connector{}
	c.Name, c.Deprecated, c.Preview = stripMarkers(txt(doc.Find("h1").First()))

	// Tables with a header row, keyed by their header text.
	doc.Find("table").Each(func(_ int, tbl *goquery.Selection) {
		var head []string
		tbl.Find("thead th").Each(func(_ int, th *goquery.Selection) { head = append(head, txt(th)) })
		rows := [][]string{}
		tbl.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
			var row []string
			tr.Find("td").Each(func(_ int, td *goquery.Selection) { row = append(row, txt(td)) })
			rows = append(rows, row)
		})
		switch strings.Join(head, "|") {
		case "Name|Calls|Renewal Period":
			for _, r := range rows {
				c.Throttling = append(c.Throttling, catalog.Limit{Name: r[0], Value: r[1], Renewal: r[2]})
			}
		case "Name|Value":
			for _, r := range rows {
				c.Limits = append(c.Limits, catalog.Limit{Name: r[0], Value: r[1]})
			}
		case "Service|Class|Regions":
			for _, r := range rows {
				class := catalog.TierStandard
				if r[1] == "Premium" {
					class = catalog.TierPremium
				}
				c.Products = append(c.Products, catalog.Product{Name: r[0], Class: class})
			}
		}
	})

	// Auth types: h3 blocks after the "Creating a connection" heading.
	doc.Find("h2#creating-a-connection").NextUntil("h2").Filter("h3").Each(func(_ int, h3 *goquery.Selection) {
		a := catalog.AuthType{Name: txt(h3)}
		for s := h3.Next(); s.Length() > 0 && !s.Is("h2, h3"); s = s.Next() {
			t := txt(s)
			switch {
			case s.Is("p") && strings.HasPrefix(t, "Auth ID: "):
				a.ID = strings.TrimPrefix(t, "Auth ID: ")
			case s.Is("p") && strings.HasPrefix(t, "Applicable: "):
				a.Applicable = strings.TrimPrefix(t, "Applicable: ")
			case s.Is("table"):
				s.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
					td := tr.Find("td")
					a.Parameters = append(a.Parameters, catalog.ConnectionParam{
						Name: txt(td.Eq(0)), Type: txt(td.Eq(1)), Description: txt(td.Eq(2)), Required: txt(td.Eq(3)) == "True",
					})
				})
			}
		}
		c.AuthTypes = append(c.AuthTypes, a)
	})

	for _, sec := range []struct {
		id   string
		kind catalog.OperationKind
	}{{"actions", catalog.KindAction}, {"triggers", catalog.KindTrigger}} {
		doc.Find("h2#" + sec.id).NextUntil("h2").Filter("h3").Each(func(_ int, h3 *goquery.Selection) {
			op := &catalog.Operation{Kind: sec.kind}
			id, _ := h3.Attr("id")
			op.Anchor = id
			op.Name, op.Deprecated, op.Preview = stripMarkers(txt(h3))
			for s := h3.Next(); s.Length() > 0 && !s.Is("h2, h3"); s = s.Next() {
				if s.Is("div") && txt(s.Find("dt").First()) == "Operation ID:" {
					op.ID = txt(s.Find("dd").First())
				}
				if s.Is("p") && strings.Contains(txt(s), "has been deprecated") {
					if href, ok := s.Find("a").Attr("href"); ok {
						_, frag, _ := strings.Cut(href, "#")
						frag, _ = url.PathUnescape(frag)
						op.ReplacedBy = frag // an anchor; mapped to an id below
					}
				}
				if s.Is("h4") && txt(s) == "Parameters" {
					s.NextFiltered("table").Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
						td := tr.Find("td")
						op.Parameters = append(op.Parameters, catalog.Parameter{
							Name: txt(td.Eq(0)), Key: txt(td.Eq(1)), Required: txt(td.Eq(2)) == "True", Type: txt(td.Eq(3)), Description: txt(td.Eq(4)),
						})
					})
				}
			}
			c.Operations = append(c.Operations, op)
		})
	}
	byAnchor := map[string]string{}
	for _, op := range c.Operations {
		byAnchor[op.Anchor] = op.ID
	}
	for _, op := range c.Operations {
		if op.ReplacedBy != "" {
			op.ReplacedBy = byAnchor[op.ReplacedBy]
		}
	}
	return c
}

// compareReadBack checks that the page says what Rendered says.
func compareReadBack(t *testing.T, id string, got, want *catalog.Connector) {
	t.Helper()
	if got.Name != want.Name || got.Deprecated != want.Deprecated || got.Preview != want.Preview {
		t.Errorf("%s: h1 read back as %q deprecated=%v preview=%v, want %q %v %v", id, got.Name, got.Deprecated, got.Preview, want.Name, want.Deprecated, want.Preview)
	}
	if len(got.Operations) != len(want.Operations) {
		t.Fatalf("%s: %d operations on the page, Rendered has %d", id, len(got.Operations), len(want.Operations))
	}
	for i, g := range got.Operations {
		w := want.Operations[i]
		if g.ID != w.ID || g.Name != w.Name || g.Kind != w.Kind || g.Anchor != w.Anchor ||
			g.Deprecated != w.Deprecated || g.Preview != w.Preview || g.ReplacedBy != w.ReplacedBy {
			t.Errorf("%s: operation %d read back as %+v, Rendered %+v", id, i, *g, *w)
			continue
		}
		if len(g.Parameters) != len(w.Parameters) {
			t.Errorf("%s %s: %d parameters, want %d", id, w.ID, len(g.Parameters), len(w.Parameters))
			continue
		}
		for j, gp := range g.Parameters {
			wp := w.Parameters[j]
			if gp.Name != wp.Name || gp.Key != wp.Key || gp.Required != wp.Required || gp.Type != wp.Type || gp.Description != wp.Description {
				t.Errorf("%s %s: parameter %d read back as %+v, want %+v", id, w.ID, j, gp, wp)
			}
		}
	}
	if len(got.AuthTypes) != len(want.AuthTypes) {
		t.Fatalf("%s: %d auth types, want %d", id, len(got.AuthTypes), len(want.AuthTypes))
	}
	for i, g := range got.AuthTypes {
		w := want.AuthTypes[i]
		if g.Name != w.Name || g.ID != w.ID || g.Applicable != w.Applicable || len(g.Parameters) != len(w.Parameters) {
			t.Errorf("%s: auth type %d read back as %+v, want %+v", id, i, g, w)
			continue
		}
		for j := range g.Parameters {
			if g.Parameters[j] != w.Parameters[j] {
				t.Errorf("%s: auth %s parameter %d read back as %+v, want %+v", id, w.Name, j, g.Parameters[j], w.Parameters[j])
			}
		}
	}
	if !limitsEqual(got.Throttling, want.Throttling) || !limitsEqual(got.Limits, want.Limits) {
		t.Errorf("%s: limits read back as %+v / %+v, want %+v / %+v", id, got.Throttling, got.Limits, want.Throttling, want.Limits)
	}
	if len(got.Products) != len(want.Products) {
		t.Errorf("%s: %d products, want %d", id, len(got.Products), len(want.Products))
	} else {
		for i := range got.Products {
			if got.Products[i].Name != want.Products[i].Name || got.Products[i].Class != want.Products[i].Class {
				t.Errorf("%s: product %d %+v, want %+v", id, i, got.Products[i], want.Products[i])
			}
		}
	}
}

func limitsEqual(a, b []catalog.Limit) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
