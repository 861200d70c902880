package site

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/connex-dev/connex/internal/limitio"
)

// Limits on what the site parsers accept. Real reference pages are under
// 1 MiB and under 40 elements deep; anything far beyond is hostile or broken
// and is rejected before the HTML parser builds a tree from it.
const (
	// MaxPageBytes caps a page body, at fetch and at parse time.
	MaxPageBytes = 10 << 20
	// MaxDepth caps element nesting (x/net/html itself stops at 512).
	MaxDepth = 256
)

// Errors of the site parsers, matched with errors.Is.
var (
	ErrPageTooLarge = errors.New("page larger than the 10 MiB cap")
	ErrPageTooDeep  = errors.New("page nested deeper than the parser accepts")
)

// loadHTML reads at most MaxPageBytes from r, rejects pages nested
// deeper than MaxDepth with a cheap tokenizer pass, then parses.
func loadHTML(r io.Reader) (*html.Node, error) {
	data, over, err := limitio.ReadAll(r, MaxPageBytes)
	if err != nil {
		return nil, fmt.Errorf("read page: %w", err)
	}
	if over {
		return nil, ErrPageTooLarge
	}
	if d := maxDepth(data); d > MaxDepth {
		return nil, fmt.Errorf("%w (%d levels, limit %d)", ErrPageTooDeep, d, MaxDepth)
	}
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse HTML: %w", err)
	}
	return doc, nil
}

// voidElems are elements that never have an end tag.
var voidElems = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true,
	atom.Hr: true, atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true,
	atom.Source: true, atom.Track: true, atom.Wbr: true, atom.Param: true, atom.Keygen: true,
}

// impliedEnd lists, per element with an optional end tag, the open
// elements its start tag closes. Without it a long list of unclosed <li> or
// <td> would look deep although the tree is flat.
var impliedEnd = map[atom.Atom][]atom.Atom{
	atom.P:      {atom.P},
	atom.Li:     {atom.Li},
	atom.Dt:     {atom.Dt, atom.Dd},
	atom.Dd:     {atom.Dt, atom.Dd},
	atom.Td:     {atom.Td, atom.Th},
	atom.Th:     {atom.Td, atom.Th},
	atom.Tr:     {atom.Td, atom.Th, atom.Tr},
	atom.Tbody:  {atom.Td, atom.Th, atom.Tr, atom.Tbody, atom.Thead},
	atom.Tfoot:  {atom.Td, atom.Th, atom.Tr, atom.Tbody, atom.Thead},
	atom.Option: {atom.Option},
}

// maxDepth approximates the tree depth the parser would build, in one
// linear tokenizer pass: an end tag closes up to its start tag, a few start
// tags close their open siblings, void elements never nest.
func maxDepth(data []byte) int {
	z := html.NewTokenizer(bytes.NewReader(data))
	z.SetMaxBuf(0)
	var stack []atom.Atom
	max := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return max
		case html.StartTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if voidElems[a] {
				continue
			}
			if closes, ok := impliedEnd[a]; ok {
				for len(stack) > 0 && atomIn(stack[len(stack)-1], closes) {
					stack = stack[:len(stack)-1]
				}
			}
			stack = append(stack, a)
			if len(stack) > max {
				max = len(stack)
				if max > MaxDepth {
					return max
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i] == a {
					stack = stack[:i]
					break
				}
			}
		}
	}
}

func atomIn(a atom.Atom, set []atom.Atom) bool {
	for _, b := range set {
		if a == b {
			return true
		}
	}
	return false
}

// attr returns an attribute's value.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// skipText are subtrees that never hold page content.
var skipText = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Button: true, atom.Form: true, atom.Select: true, atom.Textarea: true,
}

// textOf is the text of n with runs of white space collapsed to one
// space and trimmed: the form every table cell and heading is read in.
func textOf(n *html.Node) string {
	var b strings.Builder
	collect(n, &b)
	return collapse(b.String())
}

func collect(n *html.Node, b *strings.Builder) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		return
	case html.ElementNode:
		if skipText[n.DataAtom] {
			return
		}
		if n.DataAtom == atom.Br {
			b.WriteByte(' ')
			return
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		collect(c, b)
	}
	if n.Type == html.ElementNode && isBlock(n.DataAtom) {
		b.WriteByte(' ')
	}
}

// collapse folds white space (including no-break spaces) to single
// spaces and trims.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd, atom.Table,
		atom.Tr, atom.Td, atom.Th, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Blockquote, atom.Pre, atom.Section, atom.Article:
		return true
	}
	return false
}

// paragraphs is the text of n with its block children (paragraphs,
// list items) kept apart by blank lines: the form of multi-paragraph
// descriptions.
func paragraphs(n *html.Node) string {
	var parts []string
	var inline strings.Builder
	flush := func() {
		if t := collapse(inline.String()); t != "" {
			parts = append(parts, t)
		}
		inline.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && skipText[c.DataAtom] {
				continue
			}
			if c.Type == html.ElementNode && isBlock(c.DataAtom) {
				flush()
				if hasBlockChild(c) {
					walk(c)
				} else {
					collect(c, &inline)
				}
				flush()
				continue
			}
			collect(c, &inline)
		}
	}
	walk(n)
	flush()
	return strings.Join(parts, "\n\n")
}

func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && isBlock(c.DataAtom) {
			return true
		}
	}
	return false
}

// findAll returns the descendants of n (not n itself) for which match is
// true, in document order, without entering the subtrees of matches.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if match(c) {
				out = append(out, c)
				continue
			}
			walk(c)
		}
	}
	walk(n)
	return out
}

func isAtom(a atom.Atom) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.DataAtom == a }
}

// firstOf returns the first descendant element with atom a, or nil.
func firstOf(n *html.Node, a atom.Atom) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == a {
			return c
		}
		if f := firstOf(c, a); f != nil {
			return f
		}
	}
	return nil
}
