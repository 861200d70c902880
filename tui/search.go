package tui

import (
	"context"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	"github.com/connex-dev/connex/tui/common"
	"github.com/connex-dev/connex/tui/keys"
)

const pageSize = 50

// minNameWidth is what a result's name keeps before its badges take the
// short forms.
const minNameWidth = 28

type searchFocus int

const (
	focusInput searchFocus = iota
	focusResults
	focusFilters
)

// searchPage is the root page: the search box, filters and results. It
// receives the catalogue and the searcher (setCatalog, again after a
// reload) and the frame of the host's spinner; its results come back as
// searchResultMsg stamped with its id.
type searchPage struct {
	base
	cat      *catView
	searcher Searcher
	spin     func() string // the host's spinner frame, while searching

	id    int64 // owner of its search results
	input textinput.Model
	focus searchFocus
	sel   map[string][]string

	seq, shown uint64 // last query sent, query whose results are shown
	cancel     context.CancelFunc
	searching  bool
	more       bool
	hits       []index.Hit
	total      uint64
	// partial: few hits matched every word, so these match most of them;
	// suggestions: whole queries to try instead (did you mean).
	partial     bool
	suggestions []string
	query       string
	facets      map[string]map[string]int
	err         error

	cursor, offset int
	fcursor        int
	// openWhenShown: enter came before the results of the query in the
	// box; open the first result when they arrive.
	openWhenShown bool
}

func newSearchPage(e env, spin func() string) *searchPage {
	in := common.NewInput("› ", 200)
	in.PromptStyle = e.Styles.Prompt
	in.Placeholder = "search connectors, actions and triggers"
	in.Focus()
	p := &searchPage{spin: spin, id: common.NewID(), input: in, sel: map[string][]string{}, fcursor: 1}
	p.base = base{env: e, keys: func() keys.Help { return e.KeyMap.SearchHelp(p.focus == focusInput) }}
	return p
}

// setCatalog takes a new catalogue and its searcher and forgets the
// results of the old one; it sends no search (the host asks with
// runSearch).
func (p *searchPage) setCatalog(cat *catView, s Searcher) {
	p.cat, p.searcher = cat, s
	p.hits, p.total, p.facets, p.err = nil, 0, nil, nil
	p.cursor, p.offset = 0, 0
	p.shown = p.seq
}

func (p *searchPage) crumb() string { return "Search" }

// Init sends the first search (none before the catalogue is there).
func (p *searchPage) Init() tea.Cmd { return p.runSearch() }

func (p *searchPage) Capturing() bool { return p.focus == focusInput }

func (p *searchPage) Owns(id int64) bool { return id == p.id }

func (p *searchPage) SetSize(w, h int) {
	p.Common.SetSize(w, h)
	p.input.Width = max(10, w-24)
	p.clampCursor()
}

func (p *searchPage) focusInput() tea.Cmd {
	p.focus = focusInput
	return p.input.Focus()
}

func (p *searchPage) setFocus(f searchFocus) tea.Cmd {
	p.focus = f
	if f == focusInput {
		return p.input.Focus()
	}
	p.input.Blur()
	return nil
}

func (p *searchPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case searchResultMsg:
		return p, p.onResult(msg)
	case tea.KeyMsg:
		return p, p.handleKey(msg)
	}
	if p.focus == focusInput {
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		return p, cmd
	}
	return p, nil
}

func (p *searchPage) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := p.KeyMap
	if msg.Type != tea.KeyEnter {
		p.openWhenShown = false
	}
	if f, ok := p.filterKey(msg, *k); ok {
		if f == "*" {
			p.sel = map[string][]string{}
		} else {
			p.cycle(f)
		}
		return p.runSearch()
	}
	switch {
	case key.Matches(msg, k.Tab):
		return p.setFocus((p.focus + 1) % 3)
	case key.Matches(msg, k.ShiftTab):
		return p.setFocus((p.focus + 2) % 3)
	case msg.Type == tea.KeyEnter:
		if p.focus == focusFilters {
			return p.toggleFilterRow()
		}
		return p.open()
	}
	if p.focus == focusFilters {
		switch {
		case key.Matches(msg, k.Up):
			p.moveFilter(-1)
		case key.Matches(msg, k.Down):
			p.moveFilter(1)
		case msg.String() == " ":
			return p.toggleFilterRow()
		case key.Matches(msg, k.Back):
			return p.setFocus(focusResults)
		}
		return nil
	}
	// Arrows move the selection even while typing, like fzf.
	switch {
	case key.Matches(msg, k.ListUp):
		p.move(-1)
		return nil
	case key.Matches(msg, k.ListDown):
		p.move(1)
		return p.loadMore()
	case key.Matches(msg, k.ListPageUp):
		p.move(-p.listHeight())
		return nil
	case key.Matches(msg, k.ListPageDown):
		p.move(p.listHeight())
		return p.loadMore()
	}
	if p.focus == focusInput {
		if msg.Type == tea.KeyEsc {
			if p.input.Value() != "" {
				p.input.SetValue("")
				return p.runSearch()
			}
			return p.setFocus(focusResults)
		}
		if msg.String() == "?" && p.input.Value() == "" {
			return emit(showHelpMsg{})
		}
		before := p.input.Value()
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		if p.input.Value() != before {
			return tea.Batch(cmd, p.runSearch())
		}
		return cmd
	}
	// Results pane.
	switch {
	case key.Matches(msg, k.Up):
		p.move(-1)
	case key.Matches(msg, k.Down):
		p.move(1)
		return p.loadMore()
	case key.Matches(msg, k.PageDown):
		p.move(p.listHeight())
		return p.loadMore()
	case key.Matches(msg, k.PageUp):
		p.move(-p.listHeight())
	case key.Matches(msg, k.Top):
		p.move(-len(p.hits))
	case key.Matches(msg, k.Bottom):
		p.move(len(p.hits))
		return p.loadMore()
	case key.Matches(msg, k.Browser, k.CopyID, k.CopyCmd):
		return p.hitAction(msg)
	case msg.Type == tea.KeyEsc:
		return p.setFocus(focusInput)
	case msg.Type == tea.KeyRunes && len(msg.Runes) > 0 && !msg.Alt:
		// Any other letter goes to the search box, so typing just works.
		cmd := p.setFocus(focusInput)
		return tea.Batch(cmd, p.handleKey(msg))
	}
	return nil
}

func (p *searchPage) hitAction(msg tea.KeyMsg) tea.Cmd {
	conn, op := p.selected()
	if conn == nil {
		return nil
	}
	k := p.KeyMap
	opID := ""
	if op != nil {
		opID = op.ID
	}
	switch {
	case key.Matches(msg, k.Browser):
		return p.fx.openURLCmd(docsURL(conn, op))
	case key.Matches(msg, k.CopyID):
		if op != nil {
			return p.fx.copyCmd(op.ID, "operation id")
		}
		return p.fx.copyCmd(conn.ID, "connector id")
	case key.Matches(msg, k.CopyCmd):
		return p.fx.copyCmd(showCommand(conn.ID, opID), "command")
	}
	return nil
}

func (p *searchPage) toggleFilterRow() tea.Cmd {
	if p.fcursor < 0 || p.fcursor >= len(filterRows) {
		return nil
	}
	r := filterRows[p.fcursor]
	if r.value < 0 {
		return nil
	}
	p.toggle(r.facet, r.value)
	return p.runSearch()
}

func (p *searchPage) moveFilter(d int) {
	i := p.fcursor
	for {
		i += d
		if i < 0 || i >= len(filterRows) {
			return
		}
		if filterRows[i].value >= 0 {
			p.fcursor = i
			return
		}
	}
}

func (p *searchPage) move(d int) {
	p.cursor += d
	p.clampCursor()
}

func (p *searchPage) clampCursor() {
	p.cursor, p.offset = clampWindow(p.cursor, p.offset, len(p.hits), p.listHeight())
}

// selected returns the connector and operation (nil for a connector hit)
// under the cursor.
func (p *searchPage) selected() (*catalog.Connector, *catalog.Operation) {
	if p.cat == nil || p.cursor < 0 || p.cursor >= len(p.hits) {
		return nil, nil
	}
	return lookupHit(p.cat, p.hits[p.cursor])
}

func lookupHit(cat *catView, h index.Hit) (*catalog.Connector, *catalog.Operation) {
	conn, ok := cat.Connector(h.ConnectorID)
	if !ok {
		return nil, nil
	}
	if h.OperationID == "" {
		return conn, nil
	}
	op := conn.Operation(h.OperationID)
	if op == nil {
		return nil, nil
	}
	return conn, op
}

func (p *searchPage) open() tea.Cmd {
	if p.cat == nil || p.shown < p.seq {
		// Typed ahead: the results on screen are not yet the query's.
		p.openWhenShown = true
		return nil
	}
	conn, op := p.selected()
	if conn == nil {
		if len(p.hits) > 0 {
			return emit(errMsg{fmt.Errorf("%s is in the index but not in the catalogue: rebuild the index with `connex import` or `connex refresh`", p.hits[p.cursor].ConnectorID)})
		}
		return nil
	}
	return openCmd(conn, op)
}

func (p *searchPage) click(x, y int) tea.Cmd {
	sw := p.sidebarWidth()
	showFilters := p.focus == focusFilters && !p.wide()
	if (sw > 0 && x < sw || showFilters) && y >= p.listTop() {
		i := y - p.listTop()
		if i < len(filterRows) && filterRows[i].value >= 0 {
			p.focus = focusFilters
			p.input.Blur()
			p.fcursor = i
			return p.toggleFilterRow()
		}
		return nil
	}
	if y == 0 {
		return p.setFocus(focusInput)
	}
	if y < p.listTop() || (p.previewWidth() > 0 && x >= p.Width-p.previewWidth()) {
		return nil
	}
	i := p.offset + y - p.listTop()
	if i >= len(p.hits) {
		return nil
	}
	if i == p.cursor {
		return p.open()
	}
	p.cursor = i
	p.clampCursor()
	return nil
}

func (p *searchPage) wheel(d int) {
	p.move(d)
}
