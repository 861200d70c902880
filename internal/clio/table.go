package clio

import (
	"io"
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

// Widths are the column widths Render uses at width (0: natural widths).
func (t *Table) Widths(width int) []int {
	sep := t.sep()
	ws := make([]int, len(t.Columns))
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
		return ws
	}
	total := func() int {
		n := len(sep) * (len(ws) - 1)
		for _, w := range ws {
			n += w
		}
		return n
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
	return ws
}

// Render writes the aligned table with its header, fitted to width
// (0: no limit). A column empty in every row is left out (its room goes
// to the names); trailing blanks are trimmed.
func (t *Table) Render(w io.Writer, width int) error {
	if v := t.visible(); v != t {
		return v.Render(w, width)
	}
	ws := t.Widths(width)
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
