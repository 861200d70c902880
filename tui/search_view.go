package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	"github.com/connex-dev/connex/internal/safeterm"
)

// Layout of the page: the box on line 0, filters on line 1, then the
// filter sidebar (wide), the results and the preview pane (very wide).
func (p *searchPage) wide() bool { return p.Width >= 120 }

func (p *searchPage) sidebarWidth() int {
	if p.wide() {
		return 30
	}
	return 0
}

func (p *searchPage) previewWidth() int {
	if p.Width >= 150 {
		return (p.Width - p.sidebarWidth()) * 2 / 5
	}
	return 0
}

func (p *searchPage) listTop() int { return 3 }

func (p *searchPage) listHeight() int { return max(1, p.Height-p.listTop()) }

func (p *searchPage) View() string {
	s := p.Styles
	var b strings.Builder
	// Line 0: the search box and the count.
	count := ""
	switch {
	case p.searching && p.shown < p.seq:
		count = p.spin() + " searching"
	case p.err != nil:
		count = s.Error.Render("search failed")
	default:
		count = fmt.Sprintf("%s results", commas(int(p.total)))
		if p.total == 1 {
			count = "1 result"
		}
		// No dead ends: say when the hits match most words only, and
		// offer what the index suggests.
		switch {
		case len(p.suggestions) > 0:
			count = "did you mean " + safeterm.Line(p.suggestions[0]) + "? · " + count
		case p.partial:
			count = "most words match · " + count
		}
	}
	b.WriteString(joinLR(p.input.View(), s.Muted.Render(count), p.Width))
	b.WriteByte('\n')
	b.WriteString(p.filterSummary())
	b.WriteByte('\n')
	b.WriteString(s.Muted.Render(strings.Repeat("─", p.Width)))
	b.WriteByte('\n')

	h := p.listHeight()
	sw, pw := p.sidebarWidth(), p.previewWidth()
	listW := p.Width - sw - pw
	var cols []string
	if sw > 0 {
		cols = append(cols, fitBlock(p.filterPane(sw-1, h), sw-1, h)+"\n")
	}
	if p.focus == focusFilters && sw == 0 {
		cols = append(cols, p.filterPane(min(listW, 40), h))
	} else {
		cols = append(cols, fitBlock(p.resultsView(listW, h), listW, h))
	}
	if pw > 0 {
		style := s.Pane
		cols = append(cols, style.Render(fitBlock(p.previewView(pw-2, h), pw-2, h)))
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

func (p *searchPage) filterSummary() string {
	s := p.Styles
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
		if ansiWidth(next)+rest > p.Width {
			return line + s.Muted.Render(" …")
		}
		line = next
	}
	return line
}

func truncateStyled(s string, w int) string {
	return lipgloss.NewStyle().MaxWidth(w).Render(s)
}

func (p *searchPage) filterPane(w, h int) string {
	s := p.Styles
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

func (p *searchPage) resultsView(w, h int) string {
	s := p.Styles
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
		lines = append(lines, p.hitRow(p.hits[i], i == p.cursor, w))
	}
	if p.more && len(lines) < h {
		lines = append(lines, s.Muted.Render("  loading more…"))
	}
	return strings.Join(lines, "\n")
}

// hitRow draws one result: cursor, kind, name with badges, connector.
func (p *searchPage) hitRow(h index.Hit, selected bool, w int) string {
	s := p.Styles
	// The connector's summary and what the hit carries (an operation's
	// name and flags) are all a row needs: no connector is decoded.
	conn, ok := p.cat.Summary(h.ConnectorID)
	isOp := h.OperationID != ""
	cur := "  "
	if selected {
		cur = s.Cursor.Render("› ")
	}
	if !ok {
		return cur + s.Muted.Render(truncate(safeterm.Line(h.ConnectorID+" "+h.OperationID+" (not in the catalogue)"), w-2))
	}
	kindStyle := s.KindAction
	kind := h.Kind
	switch {
	case !isOp:
		kind, kindStyle = "connector", s.KindConn
	case h.Kind == string(catalog.KindTrigger):
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
	if !isOp {
		name, second = conn.Name, conn.Publisher
	} else {
		name, second = h.Name, conn.Name
		if name == "" {
			name = h.OperationID
		}
	}
	// The hit's flags are its operation's or its connector's.
	if conn.Tier == catalog.TierPremium {
		badge(s.Premium, "Premium", "Prem")
	}
	if h.Preview {
		badge(s.Preview, "Preview", "Prev")
	}
	if h.Deprecated {
		badge(s.Deprecated, "Deprecated", "Depr")
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
	if !isOp {
		secondField = "publisher"
	}
	// The selected row is drawn on the selection background end to end.
	secondText := truncate(second, secondW)
	secondCell := highlight(secondText, h.Matches[secondField], s.Muted.Inherit(base), s.Match.Inherit(base)) +
		base.Render(strings.Repeat(" ", max(0, secondW-lipgloss.Width(secondText))))
	return cur + kindStyle.Inherit(base).Render(pad(kind, 10)) + nameCell + secondCell
}

// previewView summarises the selected hit on wide terminals.
func (p *searchPage) previewView(w, h int) string {
	s := p.Styles
	conn, op := p.selected()
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
		if params := conn.UserParameters(op); len(params) > 0 {
			add("", s.Label.Render("Parameters"))
			for _, prm := range params {
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
	parts := conn.Marks()
	if conn.Tier == catalog.TierStandard {
		parts = append([]string{"Standard"}, parts...)
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
