package site

import (
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/connex-dev/connex/catalog"
)

// badges maps badge image labels (alt or title) to what they mean.
var badges = map[string]string{
	"premium":        "Premium",
	"preview":        "Preview",
	"logic apps":     catalog.ProductLogicApps,
	"power automate": catalog.ProductPowerAutomate,
	"power apps":     catalog.ProductPowerApps,
	"copilot studio": catalog.ProductCopilotStudio,
}

// ParseListPage reads the connector list page
// (/<locale>/connectors/connector-reference/): one entry per table cell that
// links to a connector page. base is the list page's own URL, against which
// links are resolved; connector pages are the folders beside it. Problems
// (a cell without a name, a repeated id) are reported, never fatal.
func ParseListPage(r io.Reader, base *url.URL) ([]ListEntry, []ParseProblem) {
	probs := &problems{url: base.String()}
	doc, err := loadHTML(r)
	if err != nil {
		probs.add("list page rejected: %v", err)
		return nil, probs.list
	}
	root := base.ResolveReference(&url.URL{Path: "../"})
	var out []ListEntry
	seen := map[string]bool{}
	for _, cell := range findAll(doc, isAtom(atom.Td)) {
		e, ok := listCell(cell, base, root, probs)
		if !ok {
			continue
		}
		if seen[e.ID] {
			probs.add("connector %q listed twice; keeping the first", e.ID)
			continue
		}
		seen[e.ID] = true
		out = append(out, e)
	}
	if len(out) == 0 {
		probs.add("no connectors found on the list page (expected table cells linking to connector pages)")
	}
	return out, probs.list
}

// connectorID returns the connector id a link points to, when it is a
// connector page: one folder directly under the connectors root.
func connectorID(href string, base, root *url.URL) (string, *url.URL, bool) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return "", nil, false
	}
	abs := base.ResolveReference(u)
	if abs.Host != root.Host || !strings.HasPrefix(abs.Path, root.Path) {
		return "", nil, false
	}
	rest := strings.Trim(strings.TrimPrefix(abs.Path, root.Path), "/")
	if rest == "" || strings.Contains(rest, "/") || strings.HasPrefix(rest, "connector-reference") {
		return "", nil, false
	}
	abs.Fragment, abs.RawFragment, abs.RawQuery = "", "", ""
	if !strings.HasSuffix(abs.Path, "/") {
		abs.Path += "/"
	}
	return rest, abs, true
}

func listCell(cell *html.Node, base, root *url.URL, probs *problems) (ListEntry, bool) {
	var e ListEntry
	var link *html.Node
	for _, a := range findAll(cell, isAtom(atom.A)) {
		if id, abs, ok := connectorID(attr(a, "href"), base, root); ok {
			e.ID, e.URL, link = id, abs.String(), a
			break
		}
	}
	if link == nil {
		return e, false
	}
	products := map[string]bool{}
	var iconTitle string
	for _, img := range findAll(cell, isAtom(atom.Img)) {
		label := strings.TrimSpace(attr(img, "title"))
		if label == "" {
			label = strings.TrimSpace(attr(img, "alt"))
		}
		switch badges[strings.ToLower(label)] {
		case "Premium":
			e.Premium = true
			continue
		case "Preview":
			e.Preview = true
			continue
		case "":
		default:
			products[badges[strings.ToLower(label)]] = true
			continue
		}
		if e.IconURL == "" {
			if src, err := url.Parse(strings.TrimSpace(attr(img, "src"))); err == nil && src.String() != "" {
				e.IconURL = base.ResolveReference(src).String()
			}
			iconTitle = label
		}
	}
	for _, p := range catalog.Products {
		if products[p] {
			e.Products = append(e.Products, p)
		}
	}
	text := textOf(cell)
	if i := strings.Index(text, "By:"); i >= 0 {
		e.Publisher = strings.TrimSpace(text[i+len("By:"):])
	}
	e.Name = iconTitle
	if e.Name == "" {
		e.Name = textOf(link)
		if i := strings.Index(e.Name, "By:"); i >= 0 {
			e.Name = strings.TrimSpace(e.Name[:i])
		}
	}
	if e.Name == "" {
		probs.add("connector %q has no display name on the list page; using its id", e.ID)
		e.Name = e.ID
	}
	// Trailing markers become flags, as for operations.
	var deprecated, preview bool
	e.Name, deprecated, preview = stripMarkers(e.Name)
	e.Deprecated = deprecated
	e.Preview = e.Preview || preview
	e.MCP = strings.Contains(e.Name, "MCP")
	return e, true
}

// Overlay applies what the list says of a connector (display name, icon,
// Premium and Preview badges, products when the record has none): the
// list's word on a connector page read by the crawler, and, applied to a
// bare record, the whole of a connector known from the list alone
// (ListEntry.Connector). It returns c itself when nothing differs, so an
// unchanged entry stays the very same record.
func Overlay(c *catalog.Connector, e *ListEntry) *catalog.Connector {
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

// Connector is the record of a connector known from the list alone: its
// id, display name, icon, tier (Premium or standard), preview and
// deprecated flags and products, and its page address when the list
// links to one; no publisher, auth or operation (the list says nothing
// of them). Sources are left for the caller to record.
func (e *ListEntry) Connector() *catalog.Connector {
	return Overlay(&catalog.Connector{ID: e.ID, DocsURL: e.URL}, e)
}
