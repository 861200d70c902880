package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	"github.com/connex-dev/connex/tui/keys"
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
func (p *searchPage) runSearch() tea.Cmd {
	if p.searcher == nil {
		return nil
	}
	if p.cancel != nil {
		p.cancel()
	}
	p.seq++
	p.searching = true
	p.more = false
	q := p.buildQuery()
	ctx, cancel := context.WithCancel(p.Ctx)
	p.cancel = cancel
	// The host's spinner turns while p.searching (Model.busy).
	seq, s, id := p.seq, p.searcher, p.id
	return func() tea.Msg {
		res, err := s.Search(ctx, q)
		return searchResultMsg{page: id, seq: seq, text: q.Text, res: res, err: err}
	}
}

func (p *searchPage) loadMore() tea.Cmd {
	if p.more || p.searcher == nil || uint64(len(p.hits)) >= p.total || p.cursor < len(p.hits)-10 {
		return nil
	}
	p.more = true
	q := p.buildQuery()
	q.Text = p.query
	q.Offset = len(p.hits)
	q.Facets = false
	seq, s, ctx, id := p.shown, p.searcher, p.Ctx, p.id
	return func() tea.Msg {
		res, err := s.Search(ctx, q)
		return searchResultMsg{page: id, seq: seq, offset: q.Offset, text: q.Text, res: res, err: err}
	}
}

func (p *searchPage) onResult(msg searchResultMsg) tea.Cmd {
	if msg.offset > 0 {
		if msg.seq != p.shown || msg.offset != len(p.hits) {
			return nil
		}
		p.more = false
		if msg.err != nil {
			return emit(errMsg{fmt.Errorf("search: %w", msg.err)})
		}
		if msg.res != nil {
			p.hits = append(p.hits, msg.res.Hits...)
		}
		return nil
	}
	if msg.seq <= p.shown {
		return nil // an older query than the one on screen: never overwrite it
	}
	if msg.seq == p.seq {
		p.searching = false
	}
	if msg.err != nil && errors.Is(msg.err, context.Canceled) {
		return nil
	}
	p.shown = msg.seq
	p.query = msg.text
	p.cursor, p.offset = 0, 0
	if msg.err != nil {
		p.err = msg.err
		p.hits, p.total, p.facets = nil, 0, nil
		p.partial, p.suggestions = false, nil
		return nil
	}
	p.err = nil
	if msg.res == nil {
		msg.res = &index.Result{}
	}
	p.hits, p.total = msg.res.Hits, msg.res.Total
	p.partial, p.suggestions = msg.res.Partial, msg.res.Suggestions
	p.facets = map[string]map[string]int{}
	for name, counts := range msg.res.Facets {
		mm := map[string]int{}
		for _, c := range counts {
			mm[strings.ToLower(c.Value)] = c.Count
		}
		p.facets[name] = mm
	}
	if p.openWhenShown && p.shown == p.seq {
		p.openWhenShown = false
		if len(p.hits) > 0 {
			return p.open()
		}
	}
	return nil
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
