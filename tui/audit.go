package tui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/audit"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/tui/keys"
	"github.com/connex-dev/connex/tui/styles"
)

// auditPage shows an audit of flows (`connex audit PATH` on a terminal,
// issue 14): per flow, its licence verdict, the connectors it uses with
// their tier, and their operations with what the catalogue says of them
// (deprecated and the replacement, preview, internal, known issues); the
// items the catalogue does not hold and the inputs that could not be
// read. Enter on an operation asks the host to open its page (jumpMsg),
// on a connector the connector's. The report is untrusted text (flow and
// action names from the files): every line is sanitised.
type auditPage struct {
	base
	rep *audit.Report
	doc doc
}

func newAuditPage(e env, rep *audit.Report) *auditPage {
	p := &auditPage{rep: rep}
	p.base = base{env: e, keys: func() keys.Help { return auditHelp(*e.KeyMap) }}
	p.doc.cursorOn = true
	p.SetSize(e.Width, e.Height)
	return p
}

func (p *auditPage) crumb() string { return "Audit" }
func (p *auditPage) View() string  { return p.doc.view(*p.Styles) }

func auditHelp(k keys.KeyMap) keys.Help {
	open := k.Open
	open.SetHelp(k.Open.Help().Key, "open")
	return keys.Help{
		Short: []key.Binding{open, k.Down, k.Back, k.Help, k.Quit},
		Full: [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, open, k.Back},
			{k.History, k.Help, k.Quit, k.ForceQuit},
		},
	}
}

func (p *auditPage) SetSize(w, h int) {
	p.Common.SetSize(w, h)
	p.doc.setSize(w, h)
	p.doc.setLines(p.lines(p.doc.contentWidth()))
}

func (p *auditPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return p, nil
	}
	if key.Matches(km, p.KeyMap.Open) {
		if l := p.doc.current(); l != nil && l.open != nil {
			return p, l.open()
		}
		return p, nil
	}
	p.doc.navigate(km, *p.KeyMap)
	return p, nil
}

// jumpTo opens a page of the catalogue through the host, which says why
// not when it cannot (still loading, no longer in the catalogue).
func jumpTo(target string) func() tea.Cmd {
	return func() tea.Cmd { return emit(jumpMsg{target}) }
}

// lines lays the report out for width w.
func (p *auditPage) lines(w int) []docLine {
	s := p.Styles
	r := p.rep
	var out []docLine
	add := func(text string, open func() tea.Cmd) {
		out = append(out, docLine{text: truncateStyled(text, w), open: open})
	}
	plain := func(indent, text string, st func(...string) string) {
		for _, l := range wrapText(safeterm.Line(text), max(10, w-len(indent))) {
			add(indent+st(l), nil)
		}
	}
	lic := licenceBadge(s, r.Verdict)
	add(s.Heading.Render(fmt.Sprintf("Audit of %s", plural(len(r.Flows), "flow")))+"  "+lic, nil)
	for _, c := range r.PremiumBecause {
		plain("  ", "premium because of "+callRef(c), s.Muted.Render)
	}
	for _, f := range r.Flows {
		add("", nil)
		lic := licenceBadge(s, f.Verdict)
		add(s.Heading.Render(safeterm.Line(f.Name))+"  "+lic, nil)
		plain("  ", f.Source, s.Muted.Render)
		if len(f.Calls) == 0 {
			add("  "+s.Muted.Render("no connector calls"), nil)
		}
		for _, c := range f.Connectors {
			p.connectorLines(add, plain, c)
		}
		for _, u := range f.Unknown {
			p.unknownLine(plain, u)
		}
	}
	if len(r.Errors) > 0 {
		add("", nil)
		add(s.Error.Render(fmt.Sprintf("Could not read (%d)", len(r.Errors))), nil)
		for _, e := range r.Errors {
			plain("  ", e.Path+": "+e.Error, s.Error.Render)
		}
	}
	return out
}

func (p *auditPage) connectorLines(add func(string, func() tea.Cmd), plain func(string, string, func(...string) string), c audit.ConnectorUse) {
	s := p.Styles
	tier := c.Tier
	switch tier {
	case "":
		tier = s.Warn.Render("tier unknown")
	case "premium":
		tier = s.Premium.Render(tier)
	default:
		tier = s.Muted.Render(safeterm.Line(tier))
	}
	head := "  " + s.Value.Render(safeterm.Line(c.ID)) + " " + s.Muted.Render("("+safeterm.Line(c.Name)+")") + " · " + tier +
		s.Muted.Render(" · "+plural(c.Uses, "call"))
	if c.Deprecated {
		head += " " + s.Deprecated.Render("DEPRECATED")
	}
	if c.Preview {
		head += " " + s.Warn.Render("preview")
	}
	add(head, jumpTo(c.ID))
	for _, o := range c.Operations {
		line := "    " + s.Muted.Render(fmt.Sprintf("%-7s ", safeterm.Line(o.Kind))) + safeterm.Line(o.ID) + "  " +
			s.Muted.Render(safeterm.Line(o.Name)+fmt.Sprintf(" ×%d", o.Uses))
		if o.Deprecated {
			dep := "DEPRECATED"
			switch {
			case o.ReplacedBy != "" && o.ReplacedByConnector != "":
				dep += " → " + safeterm.Line(o.ReplacedByConnector+"/"+o.ReplacedBy)
			case o.ReplacedBy != "":
				dep += " → " + safeterm.Line(o.ReplacedBy)
			}
			line += "  " + s.Deprecated.Render(dep)
		}
		if o.Preview {
			line += "  " + s.Warn.Render("preview")
		}
		if o.Internal {
			line += "  " + s.Warn.Render("internal")
		}
		add(line, jumpTo(c.ID+"/"+o.ID))
		for _, k := range o.KnownIssues {
			plain("        ", "known issue: "+k, s.Warn.Render)
		}
	}
}

func (p *auditPage) unknownLine(plain func(string, string, func(...string) string), u audit.Unknown) {
	what := u.Connector
	switch {
	case u.Operation != "":
		what += "/" + u.Operation
	case u.Method != "" || u.Path != "":
		what += " " + u.Method + " " + u.Path
	}
	plain("  ", "? "+what+" ("+u.Action+"): "+u.Reason, p.Styles.Warn.Render)
}

func callRef(c audit.CallRef) string { return c.String() }

// licenceBadge is a verdict's licence, coloured.
func licenceBadge(s *styles.Styles, v audit.Verdict) string {
	switch {
	case v.Premium:
		return s.Premium.Render(v.Licence())
	case v.UnknownTier > 0:
		return s.Warn.Render(v.Licence())
	}
	return s.OK.Render(v.Licence())
}
