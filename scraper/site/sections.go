package site

import (
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/connex-dev/connex/catalog"
)

// isKnownIssues reports a known-issues section ("Known issues and
// limitations with actions", "General known issues and limitations"...).
func isKnownIssues(h *block) bool {
	return strings.Contains(normHeading(h.text), "known issue") || strings.HasPrefix(h.id, "known-issues")
}

// Caps on what free sections keep from one page: a real page has a few
// dozen sections of a few KiB; a hostile one cannot make the catalogue
// hold megabytes of prose per connector.
const (
	maxSections    = 100
	maxSectionText = 64 << 10
)

// freeSections keeps every h2 section the page generator does not write
// itself (Common errors, FAQ, per-product notes, special throttling
// tables, known issues...) as readable text, and each of its h3
// subsections as a section of level 3, in page order. Known issues are
// also kept, structured, in KnownIssues.
func (p *page) freeSections(top []span) {
	for _, s := range top {
		h := s.head
		if isStructural(h, secActions, secActions) || isStructural(h, secTriggers, secTriggers) ||
			isStructural(h, secDefinitions, secDefinitions) || isStructural(h, secConnection, secConnection) ||
			isStructural(h, secThrottling, secThrottling) {
			continue
		}
		subs := sections(p.blocks, s, 3)
		end := s.end
		if len(subs) > 0 {
			end = subs[0].start - 1
		}
		p.addSection(h, 2, s.start, end)
		for _, sub := range subs {
			p.addSection(sub.head, 3, sub.start, sub.end)
		}
	}
}

func (p *page) addSection(h *block, level, start, end int) {
	if len(p.conn.Sections) >= maxSections {
		if !p.sectionsCapped {
			p.sectionsCapped = true
			p.probs.add("more than %d free sections; the rest dropped", maxSections)
		}
		return
	}
	var parts []string
	size := 0
	for i := start; i < end && size < maxSectionText; i++ {
		t := blockText(&p.blocks[i])
		if t == "" {
			continue
		}
		parts = append(parts, t)
		size += len(t)
	}
	body := strings.Join(parts, "\n\n")
	if len(body) > maxSectionText {
		body = body[:maxSectionText]
		for !utf8.ValidString(body) {
			body = body[:len(body)-1]
		}
	}
	p.conn.Sections = append(p.conn.Sections, catalog.Section{Title: h.text, Level: level, Body: body})
}

// blockText renders a block as plain text: paragraphs as they are,
// headings on their own line, list items as "- item", tables as rows of
// cells padded to their column's width, definition lists as "term: text".
func blockText(b *block) string {
	switch b.kind {
	case blockHeading, blockPara:
		return b.text
	case blockList:
		var lines []string
		for li := b.node().FirstChild; li != nil; li = li.NextSibling {
			if li.Type == html.ElementNode && li.DataAtom == atom.Li {
				if t := textOf(li); t != "" {
					lines = append(lines, "- "+t)
				}
			}
		}
		return strings.Join(lines, "\n")
	case blockDL:
		var lines []string
		for _, pair := range dLPairs(b.node()) {
			term := ""
			if pair[0] != nil {
				term = textOf(pair[0])
			}
			lines = append(lines, strings.TrimSpace(term+": "+textOf(pair[1])))
		}
		return strings.Join(lines, "\n")
	case blockTable:
		t := readTable(b.node())
		var rows [][]string
		if t.headerCells != nil && !isFillerRow(t.headerCells) {
			rows = append(rows, cellTexts(t.headerCells))
		}
		for _, r := range t.rows {
			rows = append(rows, cellTexts(r))
		}
		return alignRows(rows)
	}
	return ""
}

func cellTexts(row []*html.Node) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = textOf(c)
	}
	return out
}

// alignRows writes rows of cells with each column padded to its widest
// cell (counted in runes), separated by two spaces.
func alignRows(rows [][]string) string {
	var width []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(width) {
				width = append(width, 0)
			}
			if n := utf8.RuneCountInString(c); n > width[i] {
				width[i] = n
			}
		}
	}
	var b strings.Builder
	for ri, r := range rows {
		if ri > 0 {
			b.WriteByte('\n')
		}
		var line strings.Builder
		for i, c := range r {
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
	}
	return b.String()
}

// linkKnownIssues attaches each known issue to the operations its
// Operations cell names. The cell lists operation names, run together in
// the Markdown export ("Create a chatPost message in a chat or channel"),
// so names are matched greedily, longest first, at each position.
func (p *page) linkKnownIssues() {
	if len(p.conn.KnownIssues) == 0 || len(p.conn.Operations) == 0 {
		return
	}
	type cand struct{ name, id string }
	var cands []cand
	for _, op := range p.conn.Operations {
		cands = append(cands, cand{strings.ToLower(op.Name), op.ID})
		if h := p.headings[op.ID]; h != "" && !strings.EqualFold(h, op.Name) {
			cands = append(cands, cand{strings.ToLower(h), op.ID})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return len(cands[i].name) > len(cands[j].name) })
	for i := range p.conn.KnownIssues {
		ki := &p.conn.KnownIssues[i]
		text := strings.ToLower(ki.Operations)
		seen := map[string]bool{}
		for pos := 0; pos < len(text); {
			matched := false
			for _, c := range cands {
				if c.name != "" && strings.HasPrefix(text[pos:], c.name) {
					if !seen[c.id] {
						seen[c.id] = true
						ki.OperationIDs = append(ki.OperationIDs, c.id)
					}
					pos += len(c.name)
					matched = true
					break
				}
			}
			if !matched {
				_, n := utf8.DecodeRuneInString(text[pos:])
				pos += n
			}
		}
		sort.Strings(ki.OperationIDs)
	}
}

// exceptionsOf returns the regions a product's Regions cell excludes:
// the items of its list, or, where the export flattened the list into
// the cell ("except the following: - A - B"), the parts after the colon.
func exceptionsOf(cell *html.Node) []string {
	if cell == nil {
		return nil
	}
	var out []string
	for _, l := range findAll(cell, func(n *html.Node) bool { return n.DataAtom == atom.Ul || n.DataAtom == atom.Ol }) {
		for _, li := range findAll(l, isAtom(atom.Li)) {
			if t := textOf(li); t != "" {
				out = append(out, t)
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	text := textOf(cell)
	low := strings.ToLower(text)
	i := strings.Index(low, "except the following")
	if i < 0 {
		return nil
	}
	rest := text[i+len("except the following"):]
	rest = strings.TrimLeft(rest, ": ")
	for _, part := range strings.Split(" "+rest, " - ") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// otherConnector returns the connector id a link points to when it is
// another connector page of the same site ("/en-us/connectors/Shifts/#x"
// from the Teams page gives "shifts"), with the decoded fragment.
func otherConnector(href string, page *url.URL) (id, frag string, ok bool) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil || u.Fragment == "" || u.Path == "" || page == nil {
		return "", "", false
	}
	target := page.ResolveReference(u)
	if target.Host != page.Host {
		return "", "", false
	}
	tp := strings.Split(strings.Trim(target.Path, "/"), "/")
	pp := strings.Split(strings.Trim(page.Path, "/"), "/")
	if len(tp) != len(pp) || len(tp) < 2 {
		return "", "", false
	}
	for i := 0; i < len(tp)-1; i++ {
		if !strings.EqualFold(tp[i], pp[i]) {
			return "", "", false
		}
	}
	id = strings.ToLower(tp[len(tp)-1])
	if id == strings.ToLower(pp[len(pp)-1]) || id == "" {
		return "", "", false
	}
	return id, strings.ToLower(u.Fragment), true
}
