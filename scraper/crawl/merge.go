package crawl

import (
	"strings"

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

// mergePage combines a connector imported from its definition (def, which
// may also hold an older crawl) with a freshly parsed site page. The site
// gives names, descriptions, tiers, products, limits, markers and anchors;
// the definition keeps methods, paths, hosts, parameter locations and
// schemas.
func mergePage(def, site *catalog.Connector) *catalog.Connector {
	base := *def
	// Operations an older crawl added (no method: not from the definition)
	// are replaced by this crawl's.
	base.Operations = nil
	for _, op := range def.Operations {
		if op.Method != "" {
			base.Operations = append(base.Operations, op)
		}
	}
	out := catalog.MergeConnector(&base, site)
	out.ID = site.ID
	out.Operations = mergeOps(base.Operations, site.Operations)
	if len(base.Definitions) > 0 {
		out.Definitions = base.Definitions
	}
	out.AuthTypes = mergeAuth(base.AuthTypes, site.AuthTypes)
	if site.Description != "" {
		out.Sources["description"] = site.Sources[catalog.SourceSite]
	}
	return out
}

func mergeOps(def, site []*catalog.Operation) []*catalog.Operation {
	if len(def) == 0 {
		return site
	}
	byID := map[string]*catalog.Operation{}
	for _, op := range def {
		byID[op.ID] = op
	}
	find := func(id string) *catalog.Operation {
		if op, ok := byID[id]; ok {
			return op
		}
		for _, op := range def {
			if strings.EqualFold(op.ID, id) {
				return op
			}
		}
		return nil
	}
	used := map[*catalog.Operation]bool{}
	out := make([]*catalog.Operation, 0, len(def)+len(site))
	for _, s := range site {
		d := find(s.ID)
		if d == nil || used[d] {
			out = append(out, s)
			continue
		}
		used[d] = true
		m := *d
		m.Name = s.Name
		if s.Description != "" {
			m.Description = s.Description
		}
		m.Deprecated = m.Deprecated || s.Deprecated
		m.Preview = m.Preview || s.Preview
		if s.ReplacedBy != "" {
			m.ReplacedBy = s.ReplacedBy
		}
		m.Anchor = s.Anchor
		m.Dynamic = m.Dynamic || s.Dynamic
		if len(m.Parameters) == 0 {
			m.Parameters = s.Parameters
		}
		if len(m.Responses) == 0 {
			m.Responses = s.Responses
		}
		out = append(out, &m)
	}
	// Operations only the definition has (internal ones the site hides).
	for _, d := range def {
		if !used[d] {
			out = append(out, d)
		}
	}
	return out
}

// mergeAuth keeps the definition's auth types (they know the kind of
// auth and its endpoints) and completes them from the site's by name or id.
func mergeAuth(def, site []catalog.AuthType) []catalog.AuthType {
	if len(def) == 0 {
		return site
	}
	if len(site) == 0 {
		return def
	}
	out := make([]catalog.AuthType, len(def))
	copy(out, def)
	for i := range out {
		for _, s := range site {
			if !strings.EqualFold(s.Name, out[i].Name) && (s.ID == "" || s.ID != out[i].ID) {
				continue
			}
			if out[i].ID == "" {
				out[i].ID = s.ID
			}
			if out[i].Description == "" {
				out[i].Description = s.Description
			}
			if out[i].Applicable == "" {
				out[i].Applicable = s.Applicable
			}
			if out[i].Shareable == "" {
				out[i].Shareable = s.Shareable
			}
			break
		}
	}
	return out
}
