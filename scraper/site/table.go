package site

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// table is a table read into rows of cells. The parser inserts
// <tbody> itself, so rows are every <tr> whose nearest table is this one,
// whatever lies between.
type table struct {
	node        *html.Node
	header      []string // normalised header texts; nil when the table has none
	headerCells []*html.Node
	rows        [][]*html.Node
}

func readTable(t *html.Node) *table {
	st := &table{node: t}
	var headerRow []*html.Node
	var walk func(n *html.Node, inHead bool)
	walk = func(n *html.Node, inHead bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || c.DataAtom == atom.Table {
				continue
			}
			if c.DataAtom == atom.Tr {
				cells := findAll(c, func(x *html.Node) bool { return x.DataAtom == atom.Td || x.DataAtom == atom.Th })
				if headerRow == nil && len(st.rows) == 0 && (inHead || allTH(cells)) && len(cells) > 0 {
					headerRow = cells
					continue
				}
				st.rows = append(st.rows, cells)
				continue
			}
			walk(c, inHead || c.DataAtom == atom.Thead)
		}
	}
	walk(t, false)
	if headerRow != nil {
		st.header = headerTexts(headerRow)
		st.headerCells = headerRow
	}
	return st
}

// bodyRows returns every row of a table that has no real header: a header
// row of only "-" or empty cells is dropped, any other is kept as data.
func (t *table) bodyRows() [][]*html.Node {
	if t.headerCells == nil || isFillerRow(t.headerCells) {
		return t.rows
	}
	return append([][]*html.Node{t.headerCells}, t.rows...)
}

func allTH(cells []*html.Node) bool {
	for _, c := range cells {
		if c.DataAtom != atom.Th {
			return false
		}
	}
	return true
}

func headerTexts(cells []*html.Node) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = normHeading(textOf(c))
	}
	return out
}

// normHeading folds heading and header text for matching: lower case,
// single spaces, no trailing colon.
func normHeading(s string) string {
	s = strings.ToLower(collapse(s))
	return strings.TrimSpace(strings.TrimSuffix(s, ":"))
}

// columns maps the wanted column names (normalised) to cell indexes by
// header text, -1 when absent. A table without a header row whose first row
// reads like the wanted header is given that row as header. The second
// result is false when no header could be found and columns are taken by
// position (a row as wide as want) — callers report that.
func (t *table) columns(want ...string) ([]int, bool) {
	if t.header == nil && len(t.rows) > 0 {
		first := headerTexts(t.rows[0])
		if matchCount(first, want) >= (len(want)+1)/2 {
			t.header = first
			t.headerCells = t.rows[0]
			t.rows = t.rows[1:]
		}
	}
	idx := make([]int, len(want))
	if t.header == nil {
		for i := range idx {
			idx[i] = i
		}
		return idx, false
	}
	for i, w := range want {
		idx[i] = -1
		for j, h := range t.header {
			if h == w {
				idx[i] = j
				break
			}
		}
	}
	return idx, true
}

// hasColumns reports whether the header holds every wanted name.
func (t *table) hasColumns(want ...string) bool {
	h := t.header
	if h == nil && len(t.rows) > 0 {
		h = headerTexts(t.rows[0])
	}
	return matchCount(h, want) == len(want)
}

func matchCount(have, want []string) int {
	n := 0
	for _, w := range want {
		for _, h := range have {
			if h == w {
				n++
				break
			}
		}
	}
	return n
}

// cellAt returns cell i of row, or nil.
func cellAt(row []*html.Node, i int) *html.Node {
	if i < 0 || i >= len(row) {
		return nil
	}
	return row[i]
}

// cellText returns the collapsed text of cell i of row, "" when absent.
func cellText(row []*html.Node, i int) string {
	c := cellAt(row, i)
	if c == nil {
		return ""
	}
	return textOf(c)
}

// isFillerRow reports a row of only "-" or empty cells: the header of
// header-less tables in some renders.
func isFillerRow(row []*html.Node) bool {
	for _, c := range row {
		if t := textOf(c); t != "" && t != "-" {
			return false
		}
	}
	return true
}
