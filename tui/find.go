package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/connex-dev/connex/tui/common"
	"github.com/connex-dev/connex/tui/keys"
	"github.com/connex-dev/connex/tui/styles"
)

// docFind is find-in-document, as less and k9s do it: / opens a prompt,
// enter searches (case-insensitive, on the text as shown), n and N go to
// the next and previous matching line.
type docFind struct {
	input   *textinput.Model // the open prompt; nil when closed
	query   string
	matches []int // line numbers
	cur     int
}

// typing reports the prompt is open.
func (f *docFind) typing() bool { return f.input != nil }

// findKey handles the find keys of a document; handled is false for keys
// it leaves to the page. status is the line to show ("match 2/5 ...").
func (d *doc) findKey(km tea.KeyMsg, k keys.KeyMap) (handled bool, cmd tea.Cmd, status string) {
	f := &d.find
	if f.input != nil {
		switch {
		case key.Matches(km, k.Cancel):
			f.input = nil
			return true, nil, ""
		case key.Matches(km, k.Accept):
			f.query = strings.TrimSpace(f.input.Value())
			f.input = nil
			d.search()
			return true, nil, d.findStatus()
		}
		in, cmd := f.input.Update(km)
		f.input = &in
		return true, cmd, ""
	}
	switch {
	case key.Matches(km, k.Find):
		in := common.NewInput("/", 200)
		in.SetValue(f.query)
		in.CursorEnd()
		in.Width = max(10, d.width-3)
		f.input = &in
		return true, f.input.Focus(), ""
	case key.Matches(km, k.FindNext) && f.query != "":
		d.step(1)
		return true, nil, d.findStatus()
	case key.Matches(km, k.FindPrev) && f.query != "":
		d.step(-1)
		return true, nil, d.findStatus()
	}
	return false, nil, ""
}

// search finds the query's lines and goes to the first one at or after
// the cursor (or the view's top without a cursor).
func (d *doc) search() {
	f := &d.find
	f.matches, f.cur = nil, 0
	if f.query == "" {
		return
	}
	q := strings.ToLower(f.query)
	from := d.offset
	if d.cursorOn {
		from = d.cursor
	}
	first := -1
	for i, l := range d.lines {
		if strings.Contains(strings.ToLower(ansi.Strip(l.text)), q) {
			if first < 0 && i >= from {
				first = len(f.matches)
			}
			f.matches = append(f.matches, i)
		}
	}
	if len(f.matches) == 0 {
		return
	}
	f.cur = max(0, first)
	d.goToMatch()
}

// step goes to the next (1) or previous (-1) match, wrapping around.
func (d *doc) step(dir int) {
	f := &d.find
	if len(f.matches) == 0 {
		d.search()
		return
	}
	f.cur = (f.cur + dir + len(f.matches)) % len(f.matches)
	d.goToMatch()
}

func (d *doc) goToMatch() {
	line := d.find.matches[d.find.cur]
	if d.cursorOn {
		d.cursor = line
	} else {
		d.offset = line
	}
	d.clamp()
}

func (d *doc) findStatus() string {
	f := &d.find
	switch {
	case f.query == "":
		return ""
	case len(f.matches) == 0:
		return fmt.Sprintf("no match for %q", f.query)
	}
	return fmt.Sprintf("match %d/%d for %q (n/N: next/previous)", f.cur+1, len(f.matches), f.query)
}

// markMatch draws the current match's line with the query highlighted.
func (d *doc) markMatch(i int, text string, s styles.Styles) string {
	f := &d.find
	if f.query == "" || len(f.matches) == 0 || f.matches[f.cur] != i {
		return text
	}
	plain := ansi.Strip(text)
	at := strings.Index(strings.ToLower(plain), strings.ToLower(f.query))
	if at < 0 {
		return text
	}
	end := at + len(f.query)
	if end > len(plain) {
		return text
	}
	return plain[:at] + s.MatchCur.Render(plain[at:end]) + plain[end:]
}

// findView is the open prompt, for the page's last line.
func (d *doc) findView() string {
	if d.find.input == nil {
		return ""
	}
	return d.find.input.View()
}
