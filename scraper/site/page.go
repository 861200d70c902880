package site

import (
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/connex-dev/connex/catalog"
)

// Section ids and heading texts (normalised) the page parser looks for.
var (
	secActions     = []string{"actions"}
	secTriggers    = []string{"triggers"}
	secDefinitions = []string{"definitions"}
	secThrottling  = []string{"throttling-limits", "throttling limits"}
	secConnection  = []string{"creating-a-connection", "creating a connection"}
	secLimits      = []string{"general-limits", "general limits"}
)

const availabilityIntro = "this connector is available in the following products"

// page is the state of parsing one connector page.
type page struct {
	url    *url.URL
	blocks []block
	probs  *problems
	conn   *catalog.Connector
	// defs are the definition names on the page, by lower-cased name (the
	// definition anchors).
	defs map[string]string
	// anchors maps operation anchors to operation ids, for ReplacedBy.
	anchors map[string]string
	// replacedBy holds, per operation id, the anchor its description
	// points to.
	replacedBy map[string]string
	// headings holds, per operation id, its heading as shown (markers
	// included), for matching known issues.
	headings       map[string]string
	sectionsCapped bool
}

// ParseConnectorPage reads one connector reference page
// (/<locale>/connectors/<id>/). The connector id is the page's last path
// segment. Every section is optional; anything unexpected is reported as a
// ParseProblem and the rest of the page is still read. It returns nil only
// when the page is rejected as a whole (too large, too deep, not HTML).
// Text is trimmed, never sanitised: sanitising happens at display time.
func ParseConnectorPage(r io.Reader, pageURL *url.URL) (*catalog.Connector, []ParseProblem) {
	probs := &problems{url: pageURL.String()}
	doc, err := loadHTML(r)
	if err != nil {
		probs.add("page rejected: %v", err)
		return nil, probs.list
	}
	return parseDoc(doc, pageURL, probs), probs.list
}

// parseDoc reads a parsed page (the site's HTML, or the Markdown export
// rendered to HTML) into a connector.
func parseDoc(doc *html.Node, pageURL *url.URL, probs *problems) *catalog.Connector {
	p := &page{
		url:        pageURL,
		blocks:     flatten(doc),
		probs:      probs,
		defs:       map[string]string{},
		anchors:    map[string]string{},
		replacedBy: map[string]string{},
		headings:   map[string]string{},
		conn: &catalog.Connector{
			ID:      lastSegment(pageURL),
			DocsURL: pageURL.String(),
			Sources: map[string]catalog.Source{catalog.SourceSite: {Kind: catalog.SourceSite, Ref: pageURL.String()}},
		},
	}
	p.header(doc)
	all := span{start: 0, end: len(p.blocks)}
	sections := sections(p.blocks, all, 2)
	// Definitions first: operation return types link to them.
	for _, s := range sections {
		if isStructural(s.head, secDefinitions, secDefinitions) {
			p.definitions(s)
		}
	}
	for _, s := range sections {
		h := s.head
		switch {
		case isStructural(h, secConnection, secConnection):
			p.auth(s)
		case isStructural(h, secThrottling, secThrottling):
			p.throttling(s)
		case isStructural(h, secActions, secActions):
			p.operations(s, catalog.KindAction)
		case isStructural(h, secTriggers, secTriggers):
			p.operations(s, catalog.KindTrigger)
		case isKnownIssues(h):
			p.knownIssues(s)
		}
	}
	p.generalLimits()
	for id, anchor := range p.replacedBy {
		if target, ok := p.anchors[anchor]; ok && target != id {
			p.conn.Operation(id).ReplacedBy = target
		}
	}
	p.freeSections(sections)
	p.linkKnownIssues()
	if p.conn.Name == "" {
		p.conn.Name = p.conn.ID
	}
	return p.conn
}

// header reads what comes before the first h2: name, description,
// availability, contact and metadata tables (those are looked for on the
// whole page, since their place is not certain).
func (p *page) header(doc *html.Node) {
	c := p.conn
	h1 := -1
	for i := range p.blocks {
		if p.blocks[i].kind == blockHeading && p.blocks[i].level == 1 {
			h1 = i
			break
		}
	}
	name := ""
	if h1 >= 0 {
		name = p.blocks[h1].text
	} else if t := firstOf(doc, atom.Title); t != nil {
		name = textOf(t)
		if i := strings.Index(name, " - Connectors"); i >= 0 {
			name = name[:i]
		}
		p.probs.add("no <h1>; display name taken from <title>")
	} else {
		p.probs.add("no <h1> and no <title>; display name unknown")
	}
	c.Name, c.Deprecated, c.Preview = stripMarkers(name)
	{
		var desc []string
		for i := h1 + 1; i < len(p.blocks); i++ {
			b := &p.blocks[i]
			if b.kind == blockHeading || b.kind == blockTable || strings.HasPrefix(strings.ToLower(b.text), availabilityIntro) {
				break
			}
			if b.kind == blockPara || b.kind == blockList {
				desc = append(desc, b.text)
			}
		}
		c.Description = strings.Join(desc, "\n\n")
	}
	var sawAvail, sawMeta bool
	for i := range p.blocks {
		b := &p.blocks[i]
		if b.kind != blockTable {
			continue
		}
		t := readTable(b.node())
		switch {
		case !sawAvail && t.hasColumns("service", "class", "regions"):
			sawAvail = true
			p.availability(t)
		case kVTitle(t) == "contact":
			p.contact(t)
		case kVTitle(t) == "connector metadata":
			sawMeta = true
			p.metadata(t)
		}
	}
	if !sawAvail {
		p.probs.add("no availability table (Service | Class | Regions)")
	}
	if !sawMeta && c.Publisher == "" {
		p.probs.add("no Connector Metadata table")
	}
}

func trimSuffix(s, suffix string) (string, bool) {
	// suffix is ASCII: compare the tail bytes, never a lower-cased copy
	// whose length may differ.
	if len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return strings.TrimSpace(s[:len(s)-len(suffix)]), true
	}
	return s, false
}

// kVTitle is the first cell of a key/value table ("contact",
// "connector metadata"), normalised.
func kVTitle(t *table) string {
	if t.headerCells != nil {
		return normHeading(textOf(t.headerCells[0]))
	}
	if len(t.rows) > 0 && len(t.rows[0]) > 0 {
		return normHeading(textOf(t.rows[0][0]))
	}
	return ""
}

// kVRows returns a key/value table's rows without its title row.
func kVRows(t *table) [][]*html.Node {
	if t.headerCells != nil {
		return t.rows
	}
	if len(t.rows) > 0 {
		return t.rows[1:]
	}
	return nil
}

func (p *page) availability(t *table) {
	cols, _ := t.columns("service", "class", "regions")
	tiers := map[string]catalog.Tier{}
	for _, row := range t.rows {
		service := cellText(row, cols[0])
		name := ""
		for _, known := range catalog.Products {
			if strings.EqualFold(known, service) {
				name = known
			}
		}
		if name == "" {
			if service != "" {
				p.probs.add("availability table: unknown service %q", service)
			}
			continue
		}
		if cellText(row, cols[1]) == "-" || strings.EqualFold(cellText(row, cols[2]), "not available") {
			continue // "Power Apps | - | Not available": not a product of the connector
		}
		class := tierOf(cellText(row, cols[1]))
		if class == catalog.TierUnknown && cellText(row, cols[1]) != "" {
			p.probs.add("availability table: unknown class %q for %s", cellText(row, cols[1]), name)
		}
		tiers[name] = class
		prod := catalog.Product{Name: name, Class: class, Regions: regionsOf(cellAt(row, cols[2])), Exceptions: exceptionsOf(cellAt(row, cols[2]))}
		if i := strings.Index(strings.ToLower(prod.Regions), "except the following:"); i >= 0 && len(prod.Exceptions) > 0 {
			// One form for both sources: the export flattens the list
			// into the cell ("...: - A - B"), the HTML has a list.
			n := i + len("except the following:")
			prod.Regions = prod.Regions[:n] + " " + strings.Join(prod.Exceptions, "; ")
		}
		p.conn.Products = append(p.conn.Products, prod)
	}
	// The connector's tier is its licence class in Power Platform; Logic
	// Apps classes mean something else and only count when alone.
	for _, prod := range []string{catalog.ProductPowerAutomate, catalog.ProductPowerApps, catalog.ProductCopilotStudio, catalog.ProductLogicApps} {
		if t := tiers[prod]; t != catalog.TierUnknown {
			p.conn.Tier = t
			break
		}
	}
}

func tierOf(s string) catalog.Tier {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "standard":
		return catalog.TierStandard
	case "premium":
		return catalog.TierPremium
	}
	return catalog.TierUnknown
}

// regionsOf renders a Regions cell: its text, then the exception list
// items separated by "; ".
func regionsOf(cell *html.Node) string {
	if cell == nil {
		return ""
	}
	lists := findAll(cell, func(n *html.Node) bool { return n.DataAtom == atom.Ul || n.DataAtom == atom.Ol })
	if len(lists) == 0 {
		return textOf(cell)
	}
	var intro strings.Builder
	var items []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (c.DataAtom == atom.Ul || c.DataAtom == atom.Ol) {
				for _, li := range findAll(c, isAtom(atom.Li)) {
					if t := textOf(li); t != "" {
						items = append(items, t)
					}
				}
				continue
			}
			if c.Type == html.ElementNode && c.DataAtom != atom.A && c.FirstChild != nil {
				walk(c)
				continue
			}
			collect(c, &intro)
		}
	}
	walk(cell)
	out := collapse(intro.String())
	if len(items) > 0 {
		out = strings.TrimSpace(out + " " + strings.Join(items, "; "))
	}
	return out
}

// linkOrText returns the first link's target (absolute) in cell, else
// its text.
func (p *page) linkOrText(cell *html.Node) string {
	if cell == nil {
		return ""
	}
	if a := firstOf(cell, atom.A); a != nil {
		if href := strings.TrimSpace(attr(a, "href")); href != "" {
			if u, err := url.Parse(href); err == nil {
				return p.url.ResolveReference(u).String()
			}
		}
	}
	return textOf(cell)
}

func (p *page) contact(t *table) {
	for _, row := range kVRows(t) {
		switch normHeading(cellText(row, 0)) {
		case "name":
			p.conn.Contact.Name = cellText(row, 1)
		case "url":
			p.conn.Contact.URL = p.linkOrText(cellAt(row, 1))
			// A cell may hold several support links (one per product).
			for _, a := range findAll(cellAt(row, 1), isAtom(atom.A)) {
				href := strings.TrimSpace(attr(a, "href"))
				if href == "" {
					continue
				}
				if u, err := url.Parse(href); err == nil {
					p.conn.Contact.Links = append(p.conn.Contact.Links, catalog.Link{Title: textOf(a), URL: p.url.ResolveReference(u).String()})
				}
			}
		case "email":
			p.conn.Contact.Email = strings.TrimPrefix(cellText(row, 1), "mailto:")
		}
	}
}

func (p *page) metadata(t *table) {
	c := p.conn
	for _, row := range kVRows(t) {
		key := normHeading(cellText(row, 0))
		switch key {
		case "publisher":
			c.Publisher = cellText(row, 1)
			if strings.EqualFold(c.Publisher, "Microsoft") {
				c.PublisherKind = catalog.PublisherMicrosoft
			}
		case "website":
			c.Website = p.linkOrText(cellAt(row, 1))
		case "privacy policy":
			c.PrivacyPolicy = p.linkOrText(cellAt(row, 1))
		case "categories":
			for _, cat := range strings.Split(cellText(row, 1), ";") {
				if cat = strings.TrimSpace(cat); cat != "" {
					c.Categories = append(c.Categories, cat)
				}
			}
		case "":
		default:
			p.probs.add("connector metadata: unknown row %q", key)
		}
	}
}

func (p *page) knownIssues(s span) {
	for i := s.start; i < s.end; i++ {
		b := &p.blocks[i]
		switch b.kind {
		case blockList:
			// One issue per item of the list itself; a nested list is part
			// of its item's text.
			for li := b.node().FirstChild; li != nil; li = li.NextSibling {
				if li.Type != html.ElementNode || li.DataAtom != atom.Li {
					continue
				}
				if t := textOf(li); t != "" {
					p.conn.KnownIssues = append(p.conn.KnownIssues, catalog.KnownIssue{Summary: t})
				}
			}
		case blockTable:
			t := readTable(b.node())
			if !t.hasColumns("short description", "long description") {
				continue
			}
			cols, _ := t.columns("short description", "operations", "long description")
			for _, row := range t.rows {
				ki := catalog.KnownIssue{Summary: cellText(row, cols[0]), Operations: cellText(row, cols[1]),
					Description: paragraphs(cellOrEmpty(row, cols[2]))}
				if ki.Summary != "" || ki.Description != "" {
					p.conn.KnownIssues = append(p.conn.KnownIssues, ki)
				}
			}
		}
	}
}

func cellOrEmpty(row []*html.Node, i int) *html.Node {
	if c := cellAt(row, i); c != nil {
		return c
	}
	return &html.Node{Type: html.ElementNode, DataAtom: atom.Td, Data: "td"}
}

// generalLimits reads the first Name | Value table after a "General
// Limits" heading of any level.
func (p *page) generalLimits() {
	for i := range p.blocks {
		h := &p.blocks[i]
		if h.kind != blockHeading || !isSection(h, secLimits, secLimits) {
			continue
		}
		for j := i + 1; j < len(p.blocks) && p.blocks[j].kind != blockHeading; j++ {
			if p.blocks[j].kind != blockTable {
				continue
			}
			t := readTable(p.blocks[j].node())
			cols, ok := t.columns("name", "value")
			if !ok {
				p.probs.add("general limits: table without a Name | Value header; read by position")
			}
			for _, row := range t.rows {
				if l := (catalog.Limit{Name: cellText(row, cols[0]), Value: cellText(row, cols[1])}); l.Name != "" {
					p.conn.Limits = append(p.conn.Limits, l)
				}
			}
			return
		}
	}
}

func (p *page) throttling(s span) {
	for i := s.start; i < s.end; i++ {
		if p.blocks[i].kind != blockTable {
			continue
		}
		t := readTable(p.blocks[i].node())
		cols, ok := t.columns("name", "calls", "renewal period")
		if !ok {
			p.probs.add("throttling limits: table without a Name | Calls | Renewal Period header; read by position")
		}
		for _, row := range t.rows {
			l := catalog.Limit{Name: cellText(row, cols[0]), Value: cellText(row, cols[1]), Renewal: cellText(row, cols[2])}
			if l.Name != "" {
				p.conn.Throttling = append(p.conn.Throttling, l)
			}
		}
		return
	}
	p.probs.add("throttling limits section without a table")
}
