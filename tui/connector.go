package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/tui/common"
	"github.com/connex-dev/connex/tui/keys"
)

// connectorPage shows a connector's details and its operations as a
// filterable list: side by side on wide terminals, as two tabs otherwise.
// It receives the env and the connector; enter on an operation asks the
// host to open it (openMsg), t to try it (tryItMsg).
type connectorPage struct {
	base
	conn *catalog.Connector
	info doc

	ops            []*catalog.Operation // after filtering
	cursor, offset int
	filter         textinput.Model
	filtering      bool
	kind           catalog.OperationKind // "" for both
	internal       bool

	focusOps bool
}

func newConnectorPage(e env, conn *catalog.Connector) *connectorPage {
	in := common.NewInput("filter: ", 100)
	in.PromptStyle = e.Styles.Prompt
	p := &connectorPage{conn: conn, filter: in}
	p.base = base{env: e, keys: func() keys.Help { return e.KeyMap.ConnectorHelp(p.focusOps) }}
	p.Width = 0 // not laid out yet: SetSize builds the overview for this width
	p.SetSize(e.Width, e.Height)
	p.focusOps = p.wide()
	p.applyFilter()
	return p
}

func (p *connectorPage) crumb() string { return safeterm.Line(truncate(p.conn.Name, 30)) }

func (p *connectorPage) Capturing() bool { return p.filtering || p.info.find.typing() }

// findsText: / finds in the overview instead of going to the search.
func (p *connectorPage) findsText() bool { return true }

func (p *connectorPage) wide() bool { return p.Width >= 110 }

func (p *connectorPage) infoWidth() int {
	if p.wide() {
		return p.Width * 9 / 20
	}
	return p.Width
}

func (p *connectorPage) SetSize(w, h int) {
	oldW := p.Width
	p.Common.SetSize(w, h)
	if p.wide() {
		p.info.setSize(p.infoWidth()-1, h)
	} else {
		p.info.setSize(w, h-2)
	}
	p.filter.Width = max(10, p.opsWidth()-12)
	if oldW != w && p.conn != nil {
		p.rebuild()
	}
	p.clampOps()
}

func (p *connectorPage) opsWidth() int {
	if p.wide() {
		return p.Width - p.infoWidth() - 2
	}
	return p.Width
}

// opsListHeight is how many operation rows fit under the pane's header.
func (p *connectorPage) opsListHeight() int {
	h := p.Height - 2 // pane header and rule
	if !p.wide() {
		h -= 2 // tabs
	}
	if p.filtering || p.filter.Value() != "" {
		h--
	}
	return max(1, h)
}

func (p *connectorPage) applyFilter() {
	words := strings.Fields(strings.ToLower(p.filter.Value()))
	p.ops = p.ops[:0]
	for _, op := range p.conn.Operations {
		if op.Visibility == catalog.VisibilityInternal && !p.internal {
			continue
		}
		if p.kind != "" && op.Kind != p.kind {
			continue
		}
		hay := strings.ToLower(op.Name + " " + op.ID + " " + op.Description + " " + op.Path)
		ok := true
		for _, w := range words {
			if !strings.Contains(hay, w) {
				ok = false
				break
			}
		}
		if ok {
			p.ops = append(p.ops, op)
		}
	}
	p.clampOps()
}

func (p *connectorPage) clampOps() {
	p.cursor, p.offset = clampWindow(p.cursor, p.offset, len(p.ops), p.opsListHeight())
}

func (p *connectorPage) selectedOp() *catalog.Operation {
	if p.cursor < 0 || p.cursor >= len(p.ops) {
		return nil
	}
	return p.ops[p.cursor]
}

func (p *connectorPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		if p.filtering {
			var cmd tea.Cmd
			p.filter, cmd = p.filter.Update(msg)
			return p, cmd
		}
		return p, nil
	}
	return p, p.key(km)
}

func (p *connectorPage) key(km tea.KeyMsg) tea.Cmd {
	k := p.KeyMap
	if p.filtering {
		switch {
		case km.Type == tea.KeyEsc:
			p.filtering = false
			p.filter.Blur()
			p.filter.SetValue("")
			p.applyFilter()
			return nil
		case km.Type == tea.KeyEnter:
			p.filtering = false
			p.filter.Blur()
			return p.openOp()
		case km.Type == tea.KeyUp, km.Type == tea.KeyDown, km.Type == tea.KeyTab:
			p.filtering = false
			p.filter.Blur()
			return p.key(km)
		}
		before := p.filter.Value()
		var cmd tea.Cmd
		p.filter, cmd = p.filter.Update(km)
		if p.filter.Value() != before {
			p.cursor, p.offset = 0, 0
			p.applyFilter()
		}
		return cmd
	}
	if ok, cmd, status := p.info.findKey(km, *k); ok {
		// Find works in the overview: show it on narrow terminals.
		p.focusOps = p.focusOps && p.wide()
		return tea.Batch(cmd, statusCmd(status))
	}
	switch {
	case key.Matches(km, k.Tab, k.ShiftTab):
		p.focusOps = !p.focusOps
		return nil
	case key.Matches(km, k.OpsFilter):
		p.focusOps = true
		p.filtering = true
		return p.filter.Focus()
	case key.Matches(km, k.Kind):
		switch p.kind {
		case "":
			p.kind = catalog.KindAction
		case catalog.KindAction:
			p.kind = catalog.KindTrigger
		default:
			p.kind = ""
		}
		p.focusOps = true
		p.applyFilter()
		return nil
	case key.Matches(km, k.Internal):
		p.internal = !p.internal
		p.applyFilter()
		return nil
	case key.Matches(km, k.TryIt) && p.focusOps:
		return tryItCmd(p.conn, p.selectedOp())
	case key.Matches(km, k.Browser):
		var op *catalog.Operation
		if p.focusOps {
			op = p.selectedOp()
		}
		return p.fx.openURLCmd(docsURL(p.conn, op))
	case key.Matches(km, k.CopyID):
		if p.focusOps && p.selectedOp() != nil {
			return p.fx.copyCmd(p.selectedOp().ID, "operation id")
		}
		return p.fx.copyCmd(p.conn.ID, "connector id")
	case key.Matches(km, k.CopyCmd):
		if p.focusOps && p.selectedOp() != nil {
			return p.fx.copyCmd(showCommand(p.conn.ID, p.selectedOp().ID), "command")
		}
		return p.fx.copyCmd(showCommand(p.conn.ID, ""), "command")
	case key.Matches(km, k.Open):
		if !p.focusOps {
			p.focusOps = true
			return nil
		}
		return p.openOp()
	}
	if p.focusOps {
		p.cursor, _ = k.MoveCursor(km, k.PageUp, k.PageDown, p.cursor, p.opsListHeight(), len(p.ops))
		p.clampOps()
		return nil
	}
	p.info.navigate(km, *k)
	return nil
}

func (p *connectorPage) openOp() tea.Cmd {
	op := p.selectedOp()
	if op == nil {
		return nil
	}
	return openCmd(p.conn, op)
}

func (p *connectorPage) click(x, y int) tea.Cmd {
	if !p.wide() {
		if y == 0 {
			p.focusOps = x >= 12
			return nil
		}
		if !p.focusOps {
			return nil
		}
		y -= 2
	} else if x < p.infoWidth() {
		p.focusOps = false
		return nil
	}
	p.focusOps = true
	top := 2
	if p.filtering || p.filter.Value() != "" {
		top++
	}
	i := p.offset + y - top
	if y < top || i >= len(p.ops) {
		return nil
	}
	if i == p.cursor {
		return p.openOp()
	}
	p.cursor = i
	p.clampOps()
	return nil
}

func (p *connectorPage) wheel(d int) {
	if p.focusOps {
		p.cursor += d
		p.clampOps()
		return
	}
	p.info.scroll(d)
}

// rebuild renders the overview for the current width.
func (p *connectorPage) rebuild() {
	s := p.Styles
	c := p.conn
	w := p.info.contentWidth()
	d := &docBuilder{w: w, s: s}
	d.add(s.Title.Render(truncate(safeterm.Line(c.Name), w)))
	d.add(s.Muted.Render(truncate(safeterm.Line(c.ID)+" · "+connectorBadges(c), w)))
	if c.Publisher != "" {
		d.add(s.Label.Render("Publisher: ") + truncate(safeterm.Line(c.Publisher), w-11))
	}
	if len(c.Products) > 0 {
		var ps []string
		for _, pr := range c.Products {
			t := pr.Name
			if pr.Class != "" {
				t += " (" + string(pr.Class) + ")"
			}
			if len(pr.Exceptions) > 0 {
				// Region exceptions (GCC High, 21Vianet...): where the
				// product does not offer the connector.
				t += " except " + strings.Join(pr.Exceptions, ", ")
			}
			ps = append(ps, safeterm.Line(t))
		}
		for i, l := range wrapText(strings.Join(ps, ", "), w-10) {
			if i == 0 {
				d.add(s.Label.Render("Products: ") + l)
			} else {
				d.add("          " + l)
			}
		}
	}
	if len(c.Categories) > 0 {
		d.add(s.Label.Render("Categories: ") + truncate(safeterm.Line(strings.Join(c.Categories, ", ")), w-12))
	}
	if u := docsURL(c, nil); u != "" {
		d.add(s.Label.Render("Docs: ") + truncate(safeterm.Line(u), w-6))
	}
	if c.Website != "" {
		d.add(s.Label.Render("Website: ") + truncate(safeterm.Line(c.Website), w-9))
	}
	if c.Host != "" {
		d.add(s.Label.Render("Host: ") + truncate(safeterm.Line(c.Host+c.BasePath), w-6))
	}
	if c.ViaConnection {
		d.para("Calls go through a Power Platform connection (the definition is the platform's, not the service's own API).", 0)
	}
	if len(c.Aliases) > 0 {
		d.add(s.Label.Render("Also known as: ") + truncate(safeterm.Line(strings.Join(c.Aliases, ", ")), w-15))
	}
	if c.Description != "" {
		d.heading("Description")
		d.para(c.Description, 0)
	}
	d.heading("Authentication")
	if len(c.AuthTypes) == 0 {
		d.add(s.Muted.Render("No authentication, or none declared."))
	}
	for _, a := range c.AuthTypes {
		t := safeterm.Line(a.Name)
		if a.Type != "" && !strings.EqualFold(a.Type, a.Name) {
			t += s.Muted.Render(" (" + safeterm.Line(a.Type) + ")")
		}
		d.add("• " + t)
		if a.ID != "" {
			d.add(s.Muted.Render(truncate("  auth id "+safeterm.Line(a.ID), w)))
		}
		if a.ParamName != "" {
			d.add(s.Muted.Render(truncate("  key "+safeterm.Line(a.ParamName)+" in "+safeterm.Line(a.In), w)))
		}
		if a.Applicable != "" {
			d.para("Applicable: "+a.Applicable, 2)
		}
		if a.Shareable != "" {
			d.para("Shareable: "+a.Shareable, 2)
		}
		if a.Description != "" {
			d.para(a.Description, 2)
		}
		for _, cp := range a.Parameters {
			name := cp.DisplayName
			if name == "" {
				name = cp.Name
			}
			req := ""
			if cp.Required {
				req = " " + s.Premium.Render("required")
			}
			d.add("    " + truncate(safeterm.Line(name), w/2) + s.Muted.Render(" "+safeterm.Line(cp.Name)+" · "+safeterm.Line(cp.Type)) + req)
			if cp.Description != "" {
				d.para(cp.Description, 6)
			}
		}
	}
	limits := func(title string, ls []catalog.Limit) {
		if len(ls) == 0 {
			return
		}
		d.heading(title)
		for _, l := range ls {
			t := safeterm.Line(l.Name) + ": " + safeterm.Line(l.Value)
			if l.Renewal != "" {
				t += " per " + safeterm.Line(l.Renewal)
			}
			d.bullet(t)
		}
	}
	limits("Throttling", c.Throttling)
	limits("Limits", c.Limits)
	if len(c.KnownIssues) > 0 {
		d.heading("Known issues")
		for _, ki := range c.KnownIssues {
			t := safeterm.Line(ki.Summary)
			if ki.Operations != "" {
				t += " (" + safeterm.Line(ki.Operations) + ")"
			}
			d.bullet(t)
			if ki.Description != "" {
				d.para(ki.Description, 2)
			}
		}
	}
	for _, sec := range c.Sections {
		d.heading(truncate(safeterm.Line(sec.Title), w))
		d.para(sec.Body, 0)
	}
	if !c.Contact.IsZero() {
		d.heading("Contact")
		if c.Contact.Name != "" {
			d.add(truncate(safeterm.Line(c.Contact.Name), w))
		}
		if c.Contact.URL != "" {
			d.add(s.Label.Render("URL: ") + truncate(safeterm.Line(c.Contact.URL), w-5))
		}
		if c.Contact.Email != "" {
			d.add(s.Label.Render("Email: ") + truncate(safeterm.Line(c.Contact.Email), w-7))
		}
		for _, l := range c.Contact.Links {
			t := l.URL
			if l.Title != "" {
				t = l.Title + ": " + l.URL
			}
			d.add("• " + truncate(safeterm.Line(t), w-2))
		}
	}
	na, nt, ni := countOps(c)
	d.heading("Operations")
	t := plural(na, "action") + ", " + plural(nt, "trigger")
	if ni > 0 {
		t += fmt.Sprintf(" (%d internal, hidden: i shows them)", ni)
	}
	d.add(t)
	p.info.setLines(d.lines)
}

func countOps(c *catalog.Connector) (actions, triggers, internal int) {
	for _, op := range c.Operations {
		if op.Visibility == catalog.VisibilityInternal {
			internal++
		}
		if op.Kind == catalog.KindTrigger {
			triggers++
		} else {
			actions++
		}
	}
	return
}

func (p *connectorPage) View() string {
	s := p.Styles
	if p.wide() {
		left := fitBlock(p.info.view(*s), p.infoWidth()-1, p.Height)
		style := s.Pane
		if p.focusOps {
			style = s.PaneFocus
		}
		right := style.Render(fitBlock(p.opsView(p.opsWidth()), p.opsWidth(), p.Height))
		return lipgloss.JoinHorizontal(lipgloss.Top, lipgloss.NewStyle().Width(p.infoWidth()).Render(left), right)
	}
	na, nt, _ := countOps(p.conn)
	tabs := []string{"Overview", fmt.Sprintf("Operations (%d)", na+nt)}
	var parts []string
	for i, t := range tabs {
		if (i == 1) == p.focusOps {
			parts = append(parts, s.TabOn.Render(t))
		} else {
			parts = append(parts, s.TabOff.Render(t))
		}
	}
	header := strings.Join(parts, "  ") + s.Muted.Render("   (tab switches)")
	var body string
	if p.focusOps {
		body = p.opsView(p.Width)
	} else {
		body = p.info.view(*s)
	}
	return header + "\n" + s.Muted.Render(strings.Repeat("─", p.Width)) + "\n" + body
}

func (p *connectorPage) opsView(w int) string {
	s := p.Styles
	var lines []string
	kind := "all"
	switch p.kind {
	case catalog.KindAction:
		kind = "actions"
	case catalog.KindTrigger:
		kind = "triggers"
	}
	title := s.Heading.Render("Operations") + s.Muted.Render(fmt.Sprintf(" %d shown · kind:%s", len(p.ops), kind))
	if p.internal {
		title += s.Muted.Render(" · +internal")
	}
	lines = append(lines, truncateStyled(title, w))
	if p.filtering || p.filter.Value() != "" {
		lines = append(lines, p.filter.View())
	}
	lines = append(lines, s.Muted.Render(strings.Repeat("─", w)))
	if len(p.ops) == 0 {
		lines = append(lines, s.Muted.Render("  No operation matches."))
	}
	end := min(len(p.ops), p.offset+p.opsListHeight())
	for i := p.offset; i < end; i++ {
		lines = append(lines, p.opRow(p.ops[i], i == p.cursor && p.focusOps, w))
	}
	return strings.Join(lines, "\n")
}

func (p *connectorPage) opRow(op *catalog.Operation, selected bool, w int) string {
	s := p.Styles
	cur := "  "
	if selected {
		cur = s.Cursor.Render("› ")
	}
	kind, ks := "action", s.KindAction
	if op.Kind == catalog.KindTrigger {
		kind, ks = "trigger", s.KindTrig
	}
	var badges []string
	if op.Deprecated {
		badges = append(badges, s.Deprecated.Render("Deprecated"))
	}
	if op.Preview {
		badges = append(badges, s.Preview.Render("Preview"))
	}
	if op.Visibility == catalog.VisibilityInternal {
		badges = append(badges, s.Muted.Render("internal"))
	}
	badge := strings.Join(badges, " ")
	avail := w - 2 - 8
	pathW := 0
	path := ""
	if op.Method != "" && avail >= 40 {
		path = op.Method + " " + op.Path
		pathW = min(ansiWidth(path), avail/3)
	}
	nameW := avail - pathW
	if pathW > 0 {
		nameW--
	}
	name := op.Name
	if name == "" {
		name = op.ID
	}
	bw := 0
	if badge != "" {
		bw = lipgloss.Width(badge) + 1
	}
	base := lipgloss.NewStyle()
	if selected {
		base = s.Selected
	}
	cell := base.Render(truncate(safeterm.Line(name), max(4, nameW-bw)))
	if badge != "" {
		cell += " " + badge
	}
	cell += strings.Repeat(" ", max(0, nameW-lipgloss.Width(cell)))
	row := cur + ks.Render(pad(kind, 8)) + cell
	if pathW > 0 {
		row += " " + s.Muted.Render(truncate(safeterm.Line(path), pathW))
	}
	return row
}

func ansiWidth(s string) int { return lipgloss.Width(s) }
