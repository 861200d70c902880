package site

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A connector page is read as a flat sequence of blocks (headings,
// paragraphs, tables, definition lists, lists) in document order, whatever
// wrappers hold them: sections are then ranges between headings, so a
// layout change that adds or removes a <div> around them changes nothing.

type blockKind int

const (
	blockHeading blockKind = iota
	blockPara
	blockTable
	blockDL
	blockList
)

type block struct {
	kind  blockKind
	level int    // heading level 1-6
	id    string // heading id, lower case
	text  string // collapsed text (headings, paragraphs)
	// nodes holds the element (tables, lists, headings) or the inline run a
	// paragraph was made of, for reading links.
	nodes []*html.Node
}

func (b *block) node() *html.Node { return b.nodes[0] }

// chrome are page parts that are never connector content.
var chrome = map[atom.Atom]bool{atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Head: true}

// inline are the elements that continue a paragraph; any other
// element is a container whose children are read as blocks.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Span: true, atom.Strong: true, atom.B: true, atom.Em: true, atom.I: true,
	atom.Code: true, atom.Del: true, atom.S: true, atom.U: true, atom.Sub: true, atom.Sup: true,
	atom.Small: true, atom.Img: true, atom.Abbr: true, atom.Mark: true, atom.Kbd: true, atom.Br: true,
	atom.Label: true, atom.Time: true, atom.Cite: true, atom.Q: true, atom.Var: true, atom.Samp: true,
}

var headingLevel = map[atom.Atom]int{atom.H1: 1, atom.H2: 2, atom.H3: 3, atom.H4: 4, atom.H5: 5, atom.H6: 6}

// flatten returns the content blocks of doc: those of <main> when the
// page has one, else of the whole document.
func flatten(doc *html.Node) []block {
	root := doc
	if m := firstOf(doc, atom.Main); m != nil {
		root = m
	}
	var out []block
	sawH1 := false
	var walk func(n *html.Node)
	walk = func(container *html.Node) {
		var run []*html.Node
		flush := func() {
			if len(run) == 0 {
				return
			}
			var b strings.Builder
			for _, n := range run {
				collect(n, &b)
			}
			if t := collapse(b.String()); t != "" {
				out = append(out, block{kind: blockPara, text: t, nodes: run})
			}
			run = nil
		}
		for c := container.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				run = append(run, c)
				continue
			case html.ElementNode:
			default:
				continue
			}
			if skipText[c.DataAtom] || chrome[c.DataAtom] || isPageChrome(c) {
				continue
			}
			if lvl, ok := headingLevel[c.DataAtom]; ok {
				// Only the first h1 is the page title: the exports turn
				// tab groups into further h1s ("# [C#](#tab/dotnet)")
				// that must not end the section they sit in.
				if lvl == 1 && sawH1 {
					lvl = 6
				}
				sawH1 = sawH1 || lvl == 1
				flush()
				out = append(out, block{kind: blockHeading, level: lvl, id: strings.ToLower(strings.TrimSpace(attr(c, "id"))),
					text: textOf(c), nodes: []*html.Node{c}})
				continue
			}
			switch c.DataAtom {
			case atom.Table:
				flush()
				out = append(out, block{kind: blockTable, nodes: []*html.Node{c}})
			case atom.Dl:
				flush()
				out = append(out, block{kind: blockDL, nodes: []*html.Node{c}})
			case atom.Ul, atom.Ol:
				flush()
				out = append(out, block{kind: blockList, text: textOf(c), nodes: []*html.Node{c}})
			case atom.P, atom.Pre, atom.Blockquote:
				flush()
				if hasBlockChild(c) && c.DataAtom == atom.Blockquote {
					walk(c)
					continue
				}
				if t := textOf(c); t != "" {
					out = append(out, block{kind: blockPara, text: t, nodes: []*html.Node{c}})
				}
			default:
				if inline[c.DataAtom] && !hasBlockChild(c) {
					run = append(run, c)
					continue
				}
				flush()
				walk(c)
			}
		}
		flush()
	}
	walk(root)
	return out
}

// span is a run of blocks: a section's content.
type span struct {
	head  *block // the heading that opens it; nil for the page start
	start int    // first content block
	end   int    // one past the last
}

// sections splits blocks[r.start:r.end] at headings of the given level
// (a heading of a higher rank also ends a section).
func sections(blocks []block, r span, level int) []span {
	var out []span
	cur := -1
	for i := r.start; i < r.end; i++ {
		b := &blocks[i]
		if b.kind != blockHeading || b.level > level {
			continue
		}
		if cur >= 0 {
			out[cur].end = i
		}
		if b.level == level {
			out = append(out, span{head: b, start: i + 1, end: r.end})
			cur = len(out) - 1
		} else {
			cur = -1
		}
	}
	return out
}

// isSection reports whether a heading is the named section, by id or
// by text (normalised).
func isSection(h *block, ids []string, texts []string) bool {
	for _, id := range ids {
		if h.id == id {
			return true
		}
	}
	t := normHeading(h.text)
	for _, want := range texts {
		if t == want {
			return true
		}
	}
	return false
}

// linksOf returns the <a> elements of a block.
func linksOf(b *block) []*html.Node {
	var out []*html.Node
	for _, n := range b.nodes {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			out = append(out, n)
			continue
		}
		out = append(out, findAll(n, isAtom(atom.A))...)
	}
	return out
}

// dLPairs reads a definition list as (term, definition) pairs.
func dLPairs(dl *html.Node) [][2]*html.Node {
	var out [][2]*html.Node
	var dt *html.Node
	for _, n := range findAll(dl, func(n *html.Node) bool { return n.DataAtom == atom.Dt || n.DataAtom == atom.Dd }) {
		if n.DataAtom == atom.Dt {
			dt = n
			continue
		}
		out = append(out, [2]*html.Node{dt, n})
	}
	return out
}

// isPageChrome reports the parts of a 2025 Learn page around the content
// that are not connector sections: hidden notices (hidden,
// aria-hidden="true", class "is-hidden"), the "In this article" outline
// (doc-outline) and the "Feedback" block (feedback-section,
// site-user-feedback), wherever they sit.
func isPageChrome(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	for _, a := range n.Attr {
		switch strings.ToLower(a.Key) {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(strings.TrimSpace(a.Val), "true") {
				return true
			}
		case "id", "class":
			// Containers only: a heading's id is the connector's own
			// ("open-a-ticket-(feedback)").
			if _, heading := headingLevel[n.DataAtom]; heading {
				continue
			}
			v := strings.ToLower(a.Val)
			if strings.Contains(v, "is-hidden") || strings.Contains(v, "feedback-section") ||
				strings.Contains(v, "site-user-feedback") || strings.Contains(v, "doc-outline") {
				return true
			}
		}
	}
	return false
}

// isStructural reports a heading that opens one of the sections the page
// generator writes (Actions, Triggers, Definitions, Creating a connection,
// Throttling Limits) by its exact text or id: a publisher's own "Actions:"
// heading in a free section is documentation, not the operation list.
func isStructural(h *block, ids, texts []string) bool {
	for _, id := range ids {
		if h.id != "" && h.id == id {
			return true
		}
	}
	t := strings.ToLower(collapse(h.text))
	for _, want := range texts {
		if t == want {
			return true
		}
	}
	return false
}
