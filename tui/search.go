package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	"github.com/connex-dev/connex/internal/safeterm"
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

// facetDef is one filter: its facet name in index results, and values.
type facetDef struct {
	key    string
	title  string
	multi  bool // several values combine (kinds: any of; products: all of)
	values []facetValue
}

type facetValue struct {
	value string // what the filter holds
	label string
	count string // the facet bucket whose count is shown
}

var facetDefs = []facetDef{
	{key: "kind", title: "Kind", multi: true, values: []facetValue{
		{index.KindConnector, "connectors", index.KindConnector},
		{index.KindAction, "actions", index.KindAction},
		{index.KindTrigger, "triggers", index.KindTrigger}}},
	{key: "tier", title: "Tier", values: []facetValue{
		{"standard", "standard", "standard"}, {"premium", "premium", "premium"}}},
	{key: "product", title: "Product", multi: true, values: []facetValue{
		{catalog.ProductLogicApps, catalog.ProductLogicApps, catalog.ProductLogicApps},
		{catalog.ProductPowerAutomate, catalog.ProductPowerAutomate, catalog.ProductPowerAutomate},
		{catalog.ProductPowerApps, catalog.ProductPowerApps, catalog.ProductPowerApps},
		{catalog.ProductCopilotStudio, catalog.ProductCopilotStudio, catalog.ProductCopilotStudio}}},
	{key: "publisher_kind", title: "Publisher", values: []facetValue{
		{"microsoft", "Microsoft", "microsoft"}, {"certified", "certified", "certified"},
		{"independent", "independent", "independent"}, {"custom", "custom", "custom"}}},
	{key: "preview", title: "Preview", values: []facetValue{
		{"only", "preview only", "true"}, {"hide", "no preview", "false"}}},
	{key: "deprecated", title: "Deprecated", values: []facetValue{
		{string(index.DeprecatedInclude), "include", "*"}, {string(index.DeprecatedOnly), "only", "true"}}},
}

// filterRow is one line of the filter pane.
type filterRow struct{ facet, value int } // value -1: the facet's title

var filterRows = func() []filterRow {
	var rows []filterRow
	for fi, f := range facetDefs {
		rows = append(rows, filterRow{fi, -1})
		for vi := range f.values {
			rows = append(rows, filterRow{fi, vi})
		}
	}
	return rows
}()

// searchPage is the root page: the search box, filters and results.
type searchPage struct {
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
	query      string
	facets     map[string]map[string]int
	err        error

	cursor, offset int
	fcursor        int
	width, height  int
	// openWhenShown: enter came before the results of the query in the
	// box; open the first result when they arrive.
	openWhenShown bool
}

type searchResultMsg struct {
	page   int64 // the page that asked
	seq    uint64
	offset int
	text   string
	res    *index.Result
	err    error
}

// Owner is the search page that sent the query.
func (m searchResultMsg) Owner() int64 { return m.page }

func newSearchPage(m *Model) *searchPage {
	in := textinput.New()
	in.Prompt = "› "
	in.PromptStyle = m.styles.Prompt
	in.Placeholder = "search connectors, actions and triggers"
	in.Cursor.SetMode(cursor.CursorStatic)
	in.CharLimit = 200
	in.Focus()
	return &searchPage{id: common.NewID(), input: in, sel: map[string][]string{}, fcursor: 1}
}

// reset forgets results after the catalogue changed.
func (p *searchPage) reset() {
	p.hits, p.total, p.facets, p.err = nil, 0, nil, nil
	p.cursor, p.offset = 0, 0
	p.shown = p.seq
}

func (p *searchPage) crumb() string { return "Search" }

func (p *searchPage) typing() bool { return p.focus == focusInput }

func (p *searchPage) owns(id int64) bool { return id == p.id }

func (p *searchPage) helpKeys(k keys.KeyMap) keys.Help { return k.SearchHelp(p.focus == focusInput) }

func (p *searchPage) setSize(w, h int) {
	p.width, p.height = w, h
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

// buildQuery turns the box and the filters into an index query.
func (p *searchPage) buildQuery() index.Query {
	q := index.Query{
		Text:      strings.TrimSpace(p.input.Value()),
		Kinds:     p.sel["kind"],
		Products:  p.sel["product"],
		Limit:     pageSize,
		Facets:    true,
		Highlight: true,
	}
	if v := p.sel["tier"]; len(v) > 0 {
		q.Tier = v[0]
	}
	if v := p.sel["publisher_kind"]; len(v) > 0 {
		q.Publisher = v[0]
	}
	if v := p.sel["preview"]; len(v) > 0 {
		b := v[0] == "only"
		q.Preview = &b
	}
	q.Deprecated = index.DeprecatedExclude
	if v := p.sel["deprecated"]; len(v) > 0 {
		q.Deprecated = index.DeprecatedMode(v[0])
	}
	return q
}

// runSearch sends the current query; the previous one is cancelled and
// its late result dropped by sequence number.
func (p *searchPage) runSearch(m *Model) tea.Cmd {
	if m.searcher == nil {
		return nil
	}
	if p.cancel != nil {
		p.cancel()
	}
	p.seq++
	p.searching = true
	p.more = false
	q := p.buildQuery()
	ctx, cancel := context.WithCancel(m.ctx)
	p.cancel = cancel
	seq, s, id := p.seq, m.searcher, p.id
	search := func() tea.Msg {
		res, err := s.Search(ctx, q)
		return searchResultMsg{page: id, seq: seq, text: q.Text, res: res, err: err}
	}
	return tea.Batch(search, m.startSpin())
}

func (p *searchPage) loadMore(m *Model) tea.Cmd {
	if p.more || m.searcher == nil || uint64(len(p.hits)) >= p.total || p.cursor < len(p.hits)-10 {
		return nil
	}
	p.more = true
	q := p.buildQuery()
	q.Text = p.query
	q.Offset = len(p.hits)
	q.Facets = false
	seq, s, ctx, id := p.shown, m.searcher, m.ctx, p.id
	return func() tea.Msg {
		res, err := s.Search(ctx, q)
		return searchResultMsg{page: id, seq: seq, offset: q.Offset, text: q.Text, res: res, err: err}
	}
}

func (p *searchPage) onResult(m *Model, msg searchResultMsg) {
	if msg.offset > 0 {
		if msg.seq != p.shown || msg.offset != len(p.hits) {
			return
		}
		p.more = false
		if msg.err != nil {
			m.err = fmt.Errorf("search: %w", msg.err)
			return
		}
		if msg.res != nil {
			p.hits = append(p.hits, msg.res.Hits...)
		}
		return
	}
	if msg.seq <= p.shown {
		return // an older query than the one on screen: never overwrite it
	}
	if msg.seq == p.seq {
		p.searching = false
	}
	if msg.err != nil && errors.Is(msg.err, context.Canceled) {
		return
	}
	p.shown = msg.seq
	p.query = msg.text
	p.cursor, p.offset = 0, 0
	if msg.err != nil {
		p.err = msg.err
		p.hits, p.total, p.facets = nil, 0, nil
		return
	}
	p.err = nil
	if msg.res == nil {
		msg.res = &index.Result{}
	}
	p.hits, p.total = msg.res.Hits, msg.res.Total
	if p.openWhenShown && p.shown == p.seq {
		p.openWhenShown = false
		if len(p.hits) > 0 {
			p.open(m)
		}
	}
	p.facets = map[string]map[string]int{}
	for name, counts := range msg.res.Facets {
		mm := map[string]int{}
		for _, c := range counts {
			mm[strings.ToLower(c.Value)] = c.Count
		}
		p.facets[name] = mm
	}
}

// toggle flips one filter value and reports whether the query changed.
func (p *searchPage) toggle(fi, vi int) {
	f := facetDefs[fi]
	v := f.values[vi].value
	cur := p.sel[f.key]
	for i, c := range cur {
		if c == v {
			p.sel[f.key] = append(cur[:i:i], cur[i+1:]...)
			return
		}
	}
	if f.multi {
		p.sel[f.key] = append(cur, v)
	} else {
		p.sel[f.key] = []string{v}
	}
}

// cycle moves a filter to its next single value, then back to "all".
func (p *searchPage) cycle(key string) {
	for _, f := range facetDefs {
		if f.key != key {
			continue
		}
		cur := p.sel[key]
		next := 0
		if len(cur) > 0 {
			next = len(f.values)
			for i, v := range f.values {
				if v.value == cur[len(cur)-1] {
					next = i + 1
				}
			}
		}
		if next >= len(f.values) {
			delete(p.sel, key)
		} else {
			p.sel[key] = []string{f.values[next].value}
		}
	}
}

func (p *searchPage) filterKey(msg tea.KeyMsg, k keys.KeyMap) (string, bool) {
	if p.focus == focusInput && !msg.Alt {
		return "", false
	}
	switch {
	case key.Matches(msg, k.Kind):
		return "kind", true
	case key.Matches(msg, k.Tier):
		return "tier", true
	case key.Matches(msg, k.Product):
		return "product", true
	case key.Matches(msg, k.Publisher):
		return "publisher_kind", true
	case key.Matches(msg, k.Preview):
		return "preview", true
	case key.Matches(msg, k.Deprecated):
		return "deprecated", true
	case key.Matches(msg, k.ClearFilters):
		return "*", true
	}
	return "", false
}

func (p *searchPage) update(m *Model, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case searchResultMsg:
		p.onResult(m, msg)
		return nil
	case tea.KeyMsg:
		return p.handleKey(m, msg)
	}
	if p.focus == focusInput {
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		return cmd
	}
	return nil
}

func (p *searchPage) handleKey(m *Model, msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if msg.Type != tea.KeyEnter {
		p.openWhenShown = false
	}
	if f, ok := p.filterKey(msg, k); ok {
		if f == "*" {
			p.sel = map[string][]string{}
		} else {
			p.cycle(f)
		}
		return p.runSearch(m)
	}
	switch {
	case key.Matches(msg, k.Tab):
		return p.setFocus((p.focus + 1) % 3)
	case key.Matches(msg, k.ShiftTab):
		return p.setFocus((p.focus + 2) % 3)
	case msg.Type == tea.KeyEnter:
		if p.focus == focusFilters {
			return p.toggleFilterRow(m)
		}
		return p.open(m)
	}
	if p.focus == focusFilters {
		switch {
		case key.Matches(msg, k.Up):
			p.moveFilter(-1)
		case key.Matches(msg, k.Down):
			p.moveFilter(1)
		case msg.String() == " ":
			return p.toggleFilterRow(m)
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
		return p.loadMore(m)
	case key.Matches(msg, k.ListPageUp):
		p.move(-p.listHeight())
		return nil
	case key.Matches(msg, k.ListPageDown):
		p.move(p.listHeight())
		return p.loadMore(m)
	}
	if p.focus == focusInput {
		if msg.Type == tea.KeyEsc {
			if p.input.Value() != "" {
				p.input.SetValue("")
				return p.runSearch(m)
			}
			return p.setFocus(focusResults)
		}
		if msg.String() == "?" && p.input.Value() == "" {
			m.showHelp = true
			return nil
		}
		before := p.input.Value()
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		if p.input.Value() != before {
			return tea.Batch(cmd, p.runSearch(m))
		}
		return cmd
	}
	// Results pane.
	switch {
	case key.Matches(msg, k.Up):
		p.move(-1)
	case key.Matches(msg, k.Down):
		p.move(1)
		return p.loadMore(m)
	case key.Matches(msg, k.PageDown):
		p.move(p.listHeight())
		return p.loadMore(m)
	case key.Matches(msg, k.PageUp):
		p.move(-p.listHeight())
	case key.Matches(msg, k.Top):
		p.move(-len(p.hits))
	case key.Matches(msg, k.Bottom):
		p.move(len(p.hits))
		return p.loadMore(m)
	case key.Matches(msg, k.Browser, k.CopyID, k.CopyCmd):
		return p.hitAction(m, msg)
	case msg.Type == tea.KeyEsc:
		return p.setFocus(focusInput)
	case msg.Type == tea.KeyRunes && len(msg.Runes) > 0 && !msg.Alt:
		// Any other letter goes to the search box, so typing just works.
		cmd := p.setFocus(focusInput)
		return tea.Batch(cmd, p.handleKey(m, msg))
	}
	return nil
}

func (p *searchPage) hitAction(m *Model, msg tea.KeyMsg) tea.Cmd {
	conn, op := p.selected(m)
	if conn == nil {
		return nil
	}
	k := m.keys
	opID := ""
	if op != nil {
		opID = op.ID
	}
	switch {
	case key.Matches(msg, k.Browser):
		return m.openURLCmd(docsURL(conn, op))
	case key.Matches(msg, k.CopyID):
		if op != nil {
			return m.copyCmd(op.ID, "operation id")
		}
		return m.copyCmd(conn.ID, "connector id")
	case key.Matches(msg, k.CopyCmd):
		return m.copyCmd(showCommand(conn.ID, opID), "command")
	}
	return nil
}

func (p *searchPage) toggleFilterRow(m *Model) tea.Cmd {
	if p.fcursor < 0 || p.fcursor >= len(filterRows) {
		return nil
	}
	r := filterRows[p.fcursor]
	if r.value < 0 {
		return nil
	}
	p.toggle(r.facet, r.value)
	return p.runSearch(m)
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
func (p *searchPage) selected(m *Model) (*catalog.Connector, *catalog.Operation) {
	if m.cat == nil || p.cursor < 0 || p.cursor >= len(p.hits) {
		return nil, nil
	}
	return lookupHit(m.cat, p.hits[p.cursor])
}

func lookupHit(cat *catalog.Catalog, h index.Hit) (*catalog.Connector, *catalog.Operation) {
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

func (p *searchPage) open(m *Model) tea.Cmd {
	if m.cat == nil || p.shown < p.seq {
		// Typed ahead: the results on screen are not yet the query's.
		p.openWhenShown = true
		return nil
	}
	conn, op := p.selected(m)
	if conn == nil {
		if len(p.hits) > 0 {
			m.err = fmt.Errorf("%s is in the index but not in the catalogue: rebuild the index with `connex import` or `connex refresh`", p.hits[p.cursor].ConnectorID)
		}
		return nil
	}
	if op != nil {
		m.push(newOperationPage(m, conn, op))
		return nil
	}
	m.push(newConnectorPage(m, conn))
	return nil
}

// Layout of the page: the box on line 0, filters on line 1, then the
// filter sidebar (wide), the results and the preview pane (very wide).
func (p *searchPage) wide() bool { return p.width >= 120 }

func (p *searchPage) sidebarWidth() int {
	if p.wide() {
		return 30
	}
	return 0
}

func (p *searchPage) previewWidth() int {
	if p.width >= 150 {
		return (p.width - p.sidebarWidth()) * 2 / 5
	}
	return 0
}

func (p *searchPage) listTop() int { return 3 }

func (p *searchPage) listHeight() int { return max(1, p.height-p.listTop()) }

func (p *searchPage) click(m *Model, x, y int) tea.Cmd {
	sw := p.sidebarWidth()
	showFilters := p.focus == focusFilters && !p.wide()
	if (sw > 0 && x < sw || showFilters) && y >= p.listTop() {
		i := y - p.listTop()
		if i < len(filterRows) && filterRows[i].value >= 0 {
			p.focus = focusFilters
			p.input.Blur()
			p.fcursor = i
			return p.toggleFilterRow(m)
		}
		return nil
	}
	if y == 0 {
		return p.setFocus(focusInput)
	}
	if y < p.listTop() || (p.previewWidth() > 0 && x >= p.width-p.previewWidth()) {
		return nil
	}
	i := p.offset + y - p.listTop()
	if i >= len(p.hits) {
		return nil
	}
	if i == p.cursor {
		return p.open(m)
	}
	p.cursor = i
	p.clampCursor()
	return nil
}

func (p *searchPage) wheel(m *Model, d int) {
	p.move(d)
}

func (p *searchPage) view(m *Model) string {
	s := m.styles
	var b strings.Builder
	// Line 0: the search box and the count.
	count := ""
	switch {
	case p.searching && p.shown < p.seq:
		count = m.spin.View() + " searching"
	case p.err != nil:
		count = s.Error.Render("search failed")
	default:
		count = fmt.Sprintf("%s results", commas(int(p.total)))
		if p.total == 1 {
			count = "1 result"
		}
	}
	b.WriteString(joinLR(p.input.View(), s.Muted.Render(count), p.width))
	b.WriteByte('\n')
	b.WriteString(p.filterSummary(m))
	b.WriteByte('\n')
	b.WriteString(s.Muted.Render(strings.Repeat("─", p.width)))
	b.WriteByte('\n')

	h := p.listHeight()
	sw, pw := p.sidebarWidth(), p.previewWidth()
	listW := p.width - sw - pw
	var cols []string
	if sw > 0 {
		cols = append(cols, fitBlock(p.filterPane(m, sw-1, h), sw-1, h)+"\n")
	}
	if p.focus == focusFilters && sw == 0 {
		cols = append(cols, p.filterPane(m, min(listW, 40), h))
	} else {
		cols = append(cols, fitBlock(p.resultsView(m, listW, h), listW, h))
	}
	if pw > 0 {
		style := s.Pane
		cols = append(cols, style.Render(fitBlock(p.previewView(m, pw-2, h), pw-2, h)))
	}
	if len(cols) == 1 {
		b.WriteString(cols[0])
	} else {
		for i := range cols {
			cols[i] = fitBlockExact(cols[i], h)
		}
		if sw > 0 {
			cols[0] = lipgloss.NewStyle().Width(sw).Render(strings.TrimRight(cols[0], "\n"))
		}
		b.WriteString(lipgloss.JoinHorizontal(lipgloss.Top, cols...))
	}
	return b.String()
}

// fitBlockExact trims trailing newlines and pads to h lines.
func fitBlockExact(s string, h int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func (p *searchPage) filterSummary(m *Model) string {
	s := m.styles
	var parts []string
	for _, f := range facetDefs {
		cur := p.sel[f.key]
		val := "all"
		if f.key == "deprecated" {
			val = "hidden"
		}
		var labels []string
		for _, v := range cur {
			for _, fv := range f.values {
				if fv.value == v {
					labels = append(labels, fv.label)
				}
			}
		}
		style := s.FilterOff
		if len(labels) > 0 {
			val = strings.Join(labels, "+")
			style = s.FilterOn
		}
		name := f.key
		if name == "publisher_kind" {
			name = "publisher"
		}
		parts = append(parts, style.Render(name+":"+val))
	}
	// Whole filters only: a line too narrow ends with "…", never in the
	// middle of a word.
	var line string
	for i, part := range parts {
		next := line
		if i > 0 {
			next += " "
		}
		next += part
		rest := 0
		if i < len(parts)-1 {
			rest = 2 // room for " …"
		}
		if ansiWidth(next)+rest > p.width {
			return line + s.Muted.Render(" …")
		}
		line = next
	}
	return line
}

func truncateStyled(s string, w int) string {
	return lipgloss.NewStyle().MaxWidth(w).Render(s)
}

func (p *searchPage) filterPane(m *Model, w, h int) string {
	s := m.styles
	var lines []string
	for i, r := range filterRows {
		f := facetDefs[r.facet]
		if r.value < 0 {
			lines = append(lines, s.Heading.Render(f.title))
			continue
		}
		v := f.values[r.value]
		on := false
		for _, c := range p.sel[f.key] {
			if c == v.value {
				on = true
			}
		}
		box := "[ ]"
		if on {
			box = "[x]"
		}
		count := ""
		if v.count != "" && p.facets != nil {
			if v.count == "*" {
				n := 0
				for _, c := range p.facets[f.key] {
					n += c
				}
				count = commas(n)
			} else if n, ok := p.facets[f.key][strings.ToLower(v.count)]; ok {
				count = commas(n)
			} else {
				count = "0"
			}
		}
		cur := "  "
		if p.focus == focusFilters && i == p.fcursor {
			cur = s.Cursor.Render("› ")
		}
		label := box + " " + v.label
		line := cur + pad(label, max(1, w-2-7)) + fmt.Sprintf("%7s", count)
		if on {
			line = cur + s.FilterOn.Render(pad(label, max(1, w-2-7))) + s.Muted.Render(fmt.Sprintf("%7s", count))
		} else {
			line = cur + pad(label, max(1, w-2-7)) + s.Muted.Render(fmt.Sprintf("%7s", count))
		}
		lines = append(lines, line)
	}
	if len(lines) > h {
		// Keep the cursor visible on short terminals.
		start := 0
		if p.fcursor >= h {
			start = p.fcursor - h + 1
		}
		lines = lines[start:min(len(lines), start+h)]
	}
	return strings.Join(lines, "\n")
}

func (p *searchPage) resultsView(m *Model, w, h int) string {
	s := m.styles
	if p.err != nil {
		return "\n  " + s.Error.Render("The search failed: ") + "\n  " +
			s.Error.Render(truncate(safeterm.Line(p.err.Error()), w-4)) + "\n\n  " +
			s.Muted.Render("Try another query; if it keeps failing, rebuild the index (connex import / connex refresh).")
	}
	if len(p.hits) == 0 {
		if p.shown == 0 {
			return ""
		}
		var b strings.Builder
		b.WriteString("\n  ")
		if p.query != "" {
			b.WriteString("Nothing matches “" + truncate(safeterm.Line(p.query), w-30) + "”")
		} else {
			b.WriteString("Nothing matches these filters")
		}
		b.WriteString(".\n\n  " + s.Muted.Render("Try fewer or other words, or clear the filters (tab, then x)."))
		if len(p.sel) > 0 {
			b.WriteString("\n  " + s.Muted.Render("Active filters narrow the results: see the line above."))
		}
		return b.String()
	}
	var lines []string
	end := min(len(p.hits), p.offset+h)
	for i := p.offset; i < end; i++ {
		lines = append(lines, p.hitRow(m, p.hits[i], i == p.cursor, w))
	}
	if p.more && len(lines) < h {
		lines = append(lines, s.Muted.Render("  loading more…"))
	}
	return strings.Join(lines, "\n")
}

// hitRow draws one result: cursor, kind, name with badges, connector.
func (p *searchPage) hitRow(m *Model, h index.Hit, selected bool, w int) string {
	s := m.styles
	conn, op := lookupHit(m.cat, h)
	cur := "  "
	if selected {
		cur = s.Cursor.Render("› ")
	}
	if conn == nil {
		return cur + s.Muted.Render(truncate(safeterm.Line(h.ConnectorID+" "+h.OperationID+" (not in the catalogue)"), w-2))
	}
	kindStyle := s.KindAction
	kind := h.Kind
	switch {
	case op == nil:
		kind, kindStyle = "connector", s.KindConn
	case op.Kind == catalog.KindTrigger:
		kind, kindStyle = "trigger", s.KindTrig
	default:
		kind = "action"
	}
	var name, second string
	var badges, shortBadges []string
	badge := func(st lipgloss.Style, long, short string) {
		badges = append(badges, st.Render(long))
		shortBadges = append(shortBadges, st.Render(short))
	}
	if op == nil {
		name = conn.Name
		second = conn.Publisher
		if conn.Tier == catalog.TierPremium {
			badge(s.Premium, "Premium", "Prem")
		}
		if conn.Preview {
			badge(s.Preview, "Preview", "Prev")
		}
		if conn.Deprecated {
			badge(s.Deprecated, "Deprecated", "Depr")
		}
	} else {
		name = op.Name
		if name == "" {
			name = op.ID
		}
		second = conn.Name
		if conn.Tier == catalog.TierPremium {
			badge(s.Premium, "Premium", "Prem")
		}
		if op.Preview || conn.Preview {
			badge(s.Preview, "Preview", "Prev")
		}
		if op.Deprecated || conn.Deprecated {
			badge(s.Deprecated, "Deprecated", "Depr")
		}
	}
	name, second = safeterm.Line(name), safeterm.Line(second)
	avail := w - 2 - 10
	// The second column (connector or publisher) needs little: a wide
	// terminal gives its room to the name.
	secondW := min(avail/3, 36)
	nameW := avail - secondW - 1
	badgeText := strings.Join(badges, " ")
	bw := lipgloss.Width(badgeText)
	if bw > 0 {
		bw++
	}
	if nameW-bw < min(ansiWidth(name), minNameWidth) {
		// Badges never hide the name: short forms where it is narrow.
		badgeText = strings.Join(shortBadges, " ")
		bw = lipgloss.Width(badgeText)
		if bw > 0 {
			bw++
		}
	}
	plainName := truncate(name, max(4, nameW-bw))
	base := lipgloss.NewStyle()
	if selected {
		base = s.Selected
	}
	nameCell := highlight(plainName, h.Matches["name"], base, s.Match.Inherit(base))
	if badgeText != "" {
		nameCell += " " + badgeText
	}
	nameCell += base.Render(strings.Repeat(" ", max(0, nameW-lipgloss.Width(nameCell))+1))
	secondField := "connector"
	if op == nil {
		secondField = "publisher"
	}
	// The selected row is drawn on the selection background end to end.
	secondText := truncate(second, secondW)
	secondCell := highlight(secondText, h.Matches[secondField], s.Muted.Inherit(base), s.Match.Inherit(base)) +
		base.Render(strings.Repeat(" ", max(0, secondW-lipgloss.Width(secondText))))
	return cur + kindStyle.Inherit(base).Render(pad(kind, 10)) + nameCell + secondCell
}

// previewView summarises the selected hit on wide terminals.
func (p *searchPage) previewView(m *Model, w, h int) string {
	s := m.styles
	conn, op := p.selected(m)
	if conn == nil {
		return s.Muted.Render("Nothing selected.")
	}
	var lines []string
	add := func(l ...string) { lines = append(lines, l...) }
	if op == nil {
		add(s.Heading.Render(truncate(safeterm.Line(conn.Name), w)))
		add(s.Muted.Render(truncate(conn.ID+" · "+safeterm.Line(conn.Publisher), w)))
		add(truncate(connectorBadges(conn), w))
		add("")
		add(wrapText(safeterm.Text(conn.Description), w)...)
		add("")
		na, nt := 0, 0
		for _, o := range conn.Operations {
			if o.Kind == catalog.KindTrigger {
				nt++
			} else {
				na++
			}
		}
		add(s.Label.Render(plural(na, "action") + ", " + plural(nt, "trigger")))
		for _, o := range conn.Operations {
			if o.Visibility == catalog.VisibilityInternal {
				continue
			}
			add("  " + truncate(safeterm.Line(o.Name), w-2))
		}
	} else {
		add(s.Heading.Render(truncate(safeterm.Line(op.Name), w)))
		add(s.Muted.Render(truncate(safeterm.Line(op.ID)+" · "+safeterm.Line(conn.Name), w)))
		if op.Method != "" {
			add(s.Method.Render(safeterm.Line(op.Method)) + " " + truncate(safeterm.Line(op.Path), w-ansiWidth(safeterm.Line(op.Method))-1))
		}
		add("")
		add(wrapText(safeterm.Text(op.Description), w)...)
		if len(op.Parameters) > 0 {
			add("", s.Label.Render("Parameters"))
			for _, prm := range op.Parameters {
				req := ""
				if prm.Required {
					req = " *"
				}
				add("  " + truncate(safeterm.Line(prm.Name)+req+"  "+s.Muted.Render(safeterm.Line(prm.Type)), w-2))
			}
		}
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return strings.Join(lines, "\n")
}

// connectorBadges is the one-line summary of tier, preview, deprecated and
// publisher kind.
func connectorBadges(conn *catalog.Connector) string {
	var parts []string
	switch conn.Tier {
	case catalog.TierPremium:
		parts = append(parts, "Premium")
	case catalog.TierStandard:
		parts = append(parts, "Standard")
	}
	if conn.Preview {
		parts = append(parts, "Preview")
	}
	if conn.Deprecated {
		parts = append(parts, "Deprecated")
	}
	switch conn.PublisherKind {
	case catalog.PublisherMicrosoft:
		parts = append(parts, "Microsoft")
	case catalog.PublisherCertified:
		parts = append(parts, "Certified")
	case catalog.PublisherIndependent:
		parts = append(parts, "Independent publisher")
	case catalog.PublisherCustom:
		parts = append(parts, "Custom")
	}
	return strings.Join(parts, " · ")
}
