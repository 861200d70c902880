package crawl

import (
	"github.com/connex-dev/connex/scraper/site"

	"github.com/connex-dev/connex/catalog"
)

// overlay applies what the list page says of a connector (display
// name, icon, Premium and Preview badges, products when the page had no
// availability table). It returns c itself when nothing differs, so an
// unchanged entry stays the very same record.
func overlay(c *catalog.Connector, e *site.ListEntry) *catalog.Connector {
	if e == nil {
		return c
	}
	out := *c
	if e.Name != "" {
		out.Name = e.Name
	}
	if e.IconURL != "" {
		out.IconURL = e.IconURL
	}
	out.Tier = catalog.TierStandard
	if e.Premium {
		out.Tier = catalog.TierPremium
	}
	out.Preview = e.Preview
	out.Deprecated = e.Deprecated
	if out.Publisher == "" {
		out.Publisher = e.Publisher
	}
	if out.DocsURL == "" {
		out.DocsURL = e.URL
	}
	productsChanged := false
	if len(c.Products) == 0 && len(e.Products) > 0 {
		productsChanged = true
		out.Products = nil
		for _, p := range e.Products {
			out.Products = append(out.Products, catalog.Product{Name: p, Class: out.Tier})
		}
	}
	if !productsChanged && out.Name == c.Name && out.IconURL == c.IconURL && out.Tier == c.Tier &&
		out.Preview == c.Preview && out.Deprecated == c.Deprecated && out.Publisher == c.Publisher && out.DocsURL == c.DocsURL {
		return c
	}
	if out.Sources == nil {
		out.Sources = map[string]catalog.Source{}
	}
	return &out
}

// relist applies the list page's word to a previous record: overlay for
// a connector read from the site alone; one that other sources describe
// too is left as its merge made it (the list would otherwise override the
// precedence catalog.MergeConnector applies).
func relist(prev *catalog.Connector, e *site.ListEntry) *catalog.Connector {
	if !siteOnly(prev) {
		return prev
	}
	return overlay(prev, e)
}
