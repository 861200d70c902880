package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/tui/keys"
	"github.com/connex-dev/connex/tui/styles"
)

// docLine is one rendered line of a document. Lines of a schema node fold
// it; lines with open act on enter.
type docLine struct {
	text string
	node *schemaNode
	open func() tea.Cmd
}

// doc is a scrollable document of pre-rendered lines, with an optional
// line cursor (for folding schema nodes and following links).
type doc struct {
	lines          []docLine
	cursor, offset int
	width, height  int
	cursorOn       bool
	find           docFind
}

// clampWindow keeps a cursor within n rows and scrolls a window of h rows
// (starting at offset) so the cursor stays visible.
func clampWindow(cursor, offset, n, h int) (int, int) {
	cursor = max(0, min(cursor, n-1))
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+h {
		offset = cursor - h + 1
	}
	return cursor, max(0, offset)
}

// navigate applies the movement keys to d and reports whether km was one.
func (d *doc) navigate(km tea.KeyMsg, k keys.KeyMap) bool {
	switch {
	case key.Matches(km, k.Up):
		d.move(-1)
	case key.Matches(km, k.Down):
		d.move(1)
	case key.Matches(km, k.PageUp):
		d.page(-d.height)
	case key.Matches(km, k.PageDown):
		d.page(d.height)
	case key.Matches(km, k.Top):
		d.top()
	case key.Matches(km, k.Bottom):
		d.bottom()
	default:
		return false
	}
	return true
}

func (d *doc) setSize(w, h int) { d.width, d.height = w, max(1, h) }

func (d *doc) setLines(lines []docLine) {
	d.lines = lines
	d.clamp()
}

func (d *doc) clamp() {
	n := len(d.lines)
	if d.cursor >= n {
		d.cursor = n - 1
	}
	if d.cursor < 0 {
		d.cursor = 0
	}
	maxOff := max(0, n-d.height)
	if d.cursorOn {
		if d.cursor < d.offset {
			d.offset = d.cursor
		}
		if d.cursor >= d.offset+d.height {
			d.offset = d.cursor - d.height + 1
		}
	}
	if d.offset > maxOff {
		d.offset = maxOff
	}
	if d.offset < 0 {
		d.offset = 0
	}
}

// move moves the cursor (or scrolls, without a cursor) by n lines.
func (d *doc) move(n int) {
	if d.cursorOn {
		d.cursor += n
	} else {
		d.offset += n
	}
	d.clamp()
}

// page moves view and cursor together by n lines.
func (d *doc) page(n int) {
	d.offset += n
	d.cursor += n
	maxOff := max(0, len(d.lines)-d.height)
	d.offset = min(max(0, d.offset), maxOff)
	d.clamp()
}

// scroll moves the view without moving the cursor past it.
func (d *doc) scroll(n int) {
	d.offset += n
	maxOff := max(0, len(d.lines)-d.height)
	d.offset = min(max(0, d.offset), maxOff)
	if d.cursorOn {
		if d.cursor < d.offset {
			d.cursor = d.offset
		}
		if d.cursor >= d.offset+d.height {
			d.cursor = d.offset + d.height - 1
		}
	}
}

func (d *doc) top()    { d.cursor, d.offset = 0, 0 }
func (d *doc) bottom() { d.cursor = len(d.lines) - 1; d.offset = len(d.lines); d.clamp() }

func (d *doc) current() *docLine {
	if d.cursor < 0 || d.cursor >= len(d.lines) {
		return nil
	}
	return &d.lines[d.cursor]
}

// view renders the visible lines; with a cursor, a gutter marks it.
func (d *doc) view(s styles.Styles) string {
	end := min(len(d.lines), d.offset+d.height)
	var b strings.Builder
	for i := d.offset; i < end; i++ {
		if i > d.offset {
			b.WriteByte('\n')
		}
		if d.cursorOn {
			if i == d.cursor {
				b.WriteString(s.Cursor.Render("›") + " ")
			} else {
				b.WriteString("  ")
			}
		}
		b.WriteString(d.markMatch(i, d.lines[i].text, s))
	}
	if d.find.input != nil {
		// The prompt takes the last line.
		lines := strings.Split(b.String(), "\n")
		if len(lines) >= d.height {
			lines = lines[:max(0, d.height-1)]
		}
		for len(lines) < d.height-1 {
			lines = append(lines, "")
		}
		return strings.Join(append(lines, d.findView()), "\n")
	}
	return b.String()
}

// contentWidth is the width lines may use.
func (d *doc) contentWidth() int {
	if d.cursorOn {
		return max(10, d.width-2)
	}
	return max(10, d.width)
}

// docBuilder lays a document's lines out for a width: plain lines,
// paragraphs wrapped (and made safe), headings after a blank line, and
// bullets whose wrapped lines hang under their first.
type docBuilder struct {
	lines []docLine
	w     int
	s     *styles.Styles
}

func (d *docBuilder) add(text string) { d.lines = append(d.lines, docLine{text: text}) }

// para wraps untrusted text, indented.
func (d *docBuilder) para(text string, indent int) {
	for _, l := range wrapText(safeterm.Text(text), d.w-indent) {
		d.add(strings.Repeat(" ", indent) + l)
	}
}

// heading starts a section, after a blank line unless it is the first.
func (d *docBuilder) heading(t string) {
	if len(d.lines) > 0 {
		d.add("")
	}
	d.add(d.s.Heading.Render(t))
}

// bullet adds safe text as a bullet point.
func (d *docBuilder) bullet(text string) {
	for i, l := range wrapText(text, d.w-2) {
		if i == 0 {
			d.add("• " + l)
		} else {
			d.add("  " + l)
		}
	}
}
