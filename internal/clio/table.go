package clio

import (
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/connex-dev/connex/internal/safeterm"
)

// Column is one column of a Table.
type Column struct {
	Header string
	// Keep columns are never cut nor wrapped: ids a user copies into the
	// next command keep their width, other columns give way.
	Keep bool
}

// Table prints rows fitted to a width. Cells are untrusted text: each is
// made one safe line (safeterm.Line).
type Table struct {
	Columns []Column
	// Sep goes between columns; two spaces when empty.
	Sep string
	// Rule draws a line under the headers (pages of `connex show`).
	Rule bool
	// Wrap puts the rest of a cut cell on the next lines instead of
	// ending it with "…".
	Wrap bool
	// Headerless leaves the header line out (label/value lists).
	Headerless bool
	rows       [][]string
}

// AddRow adds a row; missing cells are empty.
func (t *Table) AddRow(cells ...string) {
	row := make([]string, len(t.Columns))
	for i := range row {
		if i < len(cells) {
			row[i] = safeterm.Line(cells[i])
		}
	}
	t.rows = append(t.rows, row)
}

// Len is the number of rows.
func (t *Table) Len() int { return len(t.rows) }

// Print writes the table as a terminal table when s's standard output is
// a terminal, as TSV (no header, nothing cut) when it is not.
func (t *Table) Print(s *IOStreams) error {
	if !s.IsStdoutTTY() {
		return t.WriteTSV(s.Out)
	}
	return t.Render(s.Out, s.TerminalWidth())
}

// WriteTSV writes the rows as tab-separated values, one line each.
func (t *Table) WriteTSV(w io.Writer) error {
	var b strings.Builder
	for _, row := range t.rows {
		b.WriteString(strings.Join(row, "\t"))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// layout is the column widths Render uses at width (0: natural widths),
// and the column let overflow (-1: none).
func (t *Table) layout(width int) (ws []int, overflow int) {
	overflow = -1
	sep := t.sep()
	ws = make([]int, len(t.Columns))
	for i, c := range t.Columns {
		if !t.Headerless {
			ws[i] = ansi.StringWidth(c.Header)
		}
	}
	for _, row := range t.rows {
		for i, cell := range row {
			ws[i] = max(ws[i], ansi.StringWidth(cell))
		}
	}
	if width <= 0 {
		return ws, overflow
	}
	total := func() int {
		n := len(sep) * (len(ws) - 1)
		for _, w := range ws {
			n += w
		}
		return n
	}
	// A kept column led only by kept ones may overflow: the few cells
	// wider than most of its column (one 41-character operation id among
	// a hundred of 20) are printed whole and the rest of their row goes on
	// the next line (Render), so the names beside them need not be cut to
	// a few letters on every row. The column that gains most gives up what
	// the table needs, down to the width of four cells in five, when that
	// is worth a broken row (minOverflowGain).
	if total() > width {
		best, gain := -1, 0
		for i := range ws {
			if !t.overflows(i) {
				continue
			}
			if g := ws[i] - t.usualWidth(i); g > gain {
				best, gain = i, g
			}
		}
		if best >= 0 && gain >= minOverflowGain {
			ws[best] = max(ws[best]-gain, ws[best]-(total()-width))
			overflow = best
		}
	}
	// Cut the widest flexible column by one until the table fits or every
	// flexible column is down to its floor (its header, at least 6).
	for total() > width {
		best := -1
		for i, c := range t.Columns {
			floor := max(ansi.StringWidth(c.Header), 6)
			if c.Keep || ws[i] <= floor {
				continue
			}
			if best < 0 || ws[i] > ws[best] {
				best = i
			}
		}
		if best < 0 {
			break // kept columns are wider than the terminal: they win
		}
		ws[best]--
	}
	return ws, overflow
}

// overflows reports whether column i may overflow (see layout): it is
// kept, every column before it is kept, it is not the last, and the table
// is a list (minOverflowRows rows at least: in a shorter one, the long
// cells are as many as the others).
func (t *Table) overflows(i int) bool {
	if i == len(t.Columns)-1 || len(t.rows) < minOverflowRows {
		return false
	}
	for _, c := range t.Columns[:i+1] {
		if !c.Keep {
			return false
		}
	}
	return true
}

// minOverflowRows is the fewest rows for which a kept column may overflow;
// minOverflowGain the fewest columns it must give the others.
const (
	minOverflowRows = 5
	minOverflowGain = 8
)

// usualWidth is the width of four cells in five of column i (at least
// its header's).
func (t *Table) usualWidth(i int) int {
	ws := make([]int, len(t.rows))
	for r, row := range t.rows {
		ws[r] = ansi.StringWidth(row[i])
	}
	slices.Sort(ws)
	w := ws[(len(ws)-1)*4/5]
	if !t.Headerless {
		w = max(w, ansi.StringWidth(t.Columns[i].Header))
	}
	return w
}

// Render writes the aligned table with its header, fitted to width
// (0: no limit). A column empty in every row is left out (its room goes
// to the names); trailing blanks are trimmed.
func (t *Table) Render(w io.Writer, width int) error {
	if v := t.visible(); v != t {
		return v.Render(w, width)
	}
	ws, over := t.layout(width)
	sep := t.sep()
	var b strings.Builder
	line := func(cells []string) {
		parts := make([][]string, len(cells))
		height := 1
		for i, cell := range cells {
			switch {
			case ansi.StringWidth(cell) <= ws[i] || t.Columns[i].Keep:
				parts[i] = []string{cell}
			case t.Wrap:
				parts[i] = strings.Split(ansi.Wrap(cell, ws[i], ""), "\n")
			default:
				parts[i] = []string{ansi.Truncate(cell, ws[i], "…")}
			}
			height = max(height, len(parts[i]))
		}
		for l := range height {
			var sb strings.Builder
			for i := range cells {
				cell := ""
				if l < len(parts[i]) {
					cell = strings.TrimRight(parts[i][l], " ")
				}
				if i > 0 {
					sb.WriteString(sep)
				}
				sb.WriteString(cell)
				if pad := ws[i] - ansi.StringWidth(cell); pad > 0 {
					sb.WriteString(strings.Repeat(" ", pad))
				}
			}
			b.WriteString(strings.TrimRight(sb.String(), " "))
			b.WriteByte('\n')
		}
	}
	headers := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		headers[i] = c.Header
	}
	if !t.Headerless {
		line(headers)
	}
	if t.Rule && !t.Headerless {
		n := len(sep) * (len(ws) - 1)
		for _, w := range ws {
			n += w
		}
		b.WriteString(strings.Repeat("─", n))
		b.WriteByte('\n')
	}
	for _, row := range t.rows {
		// An overflowing cell ends its line, printed whole; the rest
		// of the row follows on the next lines, in its columns.
		if i := over; i >= 0 && ansi.StringWidth(row[i]) > ws[i] {
			head := slices.Clone(row)
			clear(head[i+1:])
			line(head)
			rest := slices.Clone(row)
			clear(rest[:i+1])
			if slices.ContainsFunc(rest, func(s string) bool { return s != "" }) {
				line(rest)
			}
			continue
		}
		line(row)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// visible is t without its columns that are empty in every row (t
// itself when there are none, or no rows).
func (t *Table) visible() *Table {
	if len(t.rows) == 0 {
		return t
	}
	var keep []int
	for i := range t.Columns {
		for _, row := range t.rows {
			if row[i] != "" {
				keep = append(keep, i)
				break
			}
		}
	}
	if len(keep) == len(t.Columns) || len(keep) == 0 {
		return t
	}
	v := *t
	v.Columns = nil
	v.rows = make([][]string, len(t.rows))
	for _, i := range keep {
		v.Columns = append(v.Columns, t.Columns[i])
	}
	for r, row := range t.rows {
		for _, i := range keep {
			v.rows[r] = append(v.rows[r], row[i])
		}
	}
	return &v
}

func (t *Table) sep() string {
	if t.Sep == "" {
		return "  "
	}
	return t.Sep
}
