package tui

import (
	"encoding/json"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/schema"
	"github.com/connex-dev/connex/tui/keys"
	"github.com/connex-dev/connex/tui/styles"
)

// operationPage shows one operation: header, parameters table, and the
// request body and response schemas as collapsible trees. It receives the
// env, the connector and the operation; it opens other pages (the
// replacement, the test-call form) through the host's messages.
type operationPage struct {
	base
	conn      *catalog.Connector
	op        *catalog.Operation
	body      *schemaNode
	responses []*schemaNode // one per op.Responses entry, nil without schema
	doc       doc
}

func newOperationPage(e env, conn *catalog.Connector, op *catalog.Operation) *operationPage {
	p := &operationPage{conn: conn, op: op}
	p.base = base{env: e, keys: func() keys.Help { return e.KeyMap.OperationHelp(op.ReplacedByConnector != "") }}
	p.doc.cursorOn = true
	// One resolver reads each definition once for all the page's trees.
	res := schema.NewResolver(conn.Definitions)
	p.body = buildSchema(op.BodySchema(), res)
	if p.body != nil {
		p.body.Name = "body"
	}
	for _, r := range op.Responses {
		n := buildSchema(r.Schema, res)
		if n != nil {
			n.Name = "response"
		}
		p.responses = append(p.responses, n)
	}
	p.SetSize(e.Width, e.Height)
	return p
}

func (p *operationPage) crumb() string {
	name := p.op.Name
	if name == "" {
		name = p.op.ID
	}
	return safeterm.Line(truncate(name, 40))
}

func (p *operationPage) Capturing() bool { return p.doc.find.typing() }

// findsText: / finds in the document instead of going to the search.
func (p *operationPage) findsText() bool { return true }

func (p *operationPage) SetSize(w, h int) {
	p.Common.SetSize(w, h)
	p.doc.setSize(w, h)
	p.rebuild()
}

func (p *operationPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if km, ok := msg.(tea.KeyMsg); ok {
		return p, p.key(km)
	}
	return p, nil
}

func (p *operationPage) key(km tea.KeyMsg) tea.Cmd {
	k := *p.KeyMap
	if ok, cmd, status := p.doc.findKey(km, k); ok {
		return tea.Batch(cmd, statusCmd(status))
	}
	cur := p.doc.current()
	switch {
	case km.String() == "right" && cur != nil && cur.node != nil:
		if len(cur.node.Children) > 0 && !cur.node.Expanded {
			cur.node.Expanded = true
			p.rebuild()
		}
		return nil
	case km.String() == "left" && cur != nil && cur.node != nil:
		if cur.node.Expanded {
			cur.node.Expanded = false
			p.rebuildAt(cur.node)
		}
		return nil
	case key.Matches(km, k.Toggle) && cur != nil && cur.open != nil && km.String() == "enter":
		return cur.open()
	case key.Matches(km, k.Toggle) && cur != nil && cur.node != nil && km.String() != "left" && km.String() != "right":
		if len(cur.node.Children) > 0 {
			cur.node.Expanded = !cur.node.Expanded
			p.rebuildAt(cur.node)
		}
		return nil
	case key.Matches(km, k.ExpandAll):
		p.eachTree(func(n *schemaNode) { n.setAll(true) })
		p.rebuild()
	case key.Matches(km, k.CollapseAll):
		p.eachTree(func(n *schemaNode) { n.setAll(false); n.Expanded = true })
		p.rebuild()
	case p.doc.navigate(km, k):
	case key.Matches(km, k.TryIt):
		return tryItCmd(p.conn, p.op)
	case key.Matches(km, k.Replacement) && p.op.ReplacedByConnector != "":
		target := p.op.ReplacedByConnector
		if p.op.ReplacedBy != "" {
			target += "/" + p.op.ReplacedBy
		}
		return emit(jumpMsg{target})
	case key.Matches(km, k.Browser):
		return p.fx.openURLCmd(docsURL(p.conn, p.op))
	case key.Matches(km, k.CopyID):
		return p.fx.copyCmd(p.op.ID, "operation id")
	case key.Matches(km, k.CopyConnID):
		return p.fx.copyCmd(p.conn.ID, "connector id")
	case key.Matches(km, k.CopyCmd):
		return p.fx.copyCmd(showCommand(p.conn.ID, p.op.ID), "command")
	}
	return nil
}

func (p *operationPage) eachTree(f func(*schemaNode)) {
	if p.body != nil {
		f(p.body)
	}
	for _, r := range p.responses {
		if r != nil {
			f(r)
		}
	}
}

// rebuildAt re-renders and puts the cursor back on the node's first line
// (folding removes lines below the node, but the cursor may be on one of
// its description lines).
func (p *operationPage) rebuildAt(n *schemaNode) {
	p.rebuild()
	for i, l := range p.doc.lines {
		if l.node == n {
			p.doc.cursor = i
			p.doc.clamp()
			return
		}
	}
}

func (p *operationPage) click(x, y int) tea.Cmd {
	i := p.doc.offset + y
	if i >= len(p.doc.lines) {
		return nil
	}
	p.doc.cursor = i
	l := p.doc.lines[i]
	if l.node != nil && len(l.node.Children) > 0 {
		l.node.Expanded = !l.node.Expanded
		p.rebuildAt(l.node)
	}
	if l.open != nil {
		return l.open()
	}
	return nil
}

func (p *operationPage) wheel(d int) { p.doc.scroll(d) }

func (p *operationPage) View() string { return p.doc.view(*p.Styles) }

func (p *operationPage) rebuild() {
	s := *p.Styles
	op, conn := p.op, p.conn
	w := p.doc.contentWidth()
	d := &docBuilder{w: w, s: p.Styles}
	name := op.Name
	if name == "" {
		name = op.ID
	}
	kind, ks := "action", s.KindAction
	if op.Kind == catalog.KindTrigger {
		kind, ks = "trigger", s.KindTrig
		if op.TriggerType != "" {
			kind = safeterm.Line(string(op.TriggerType)) + " trigger"
		}
	}
	title := s.Title.Render(safeterm.Line(name)) + "  " + ks.Render(kind)
	if op.Deprecated {
		title += " " + s.Deprecated.Render("Deprecated")
	}
	if op.Preview {
		title += " " + s.Preview.Render("Preview")
	}
	if conn.Tier == catalog.TierPremium {
		title += " " + s.Premium.Render("Premium")
	}
	if op.Visibility == catalog.VisibilityInternal {
		title += " " + s.Muted.Render("internal")
	}
	d.add(truncateStyled(title, w))
	d.add(s.Label.Render("Operation ID: ") + truncate(safeterm.Line(op.ID), w-14))
	d.add(s.Label.Render("Connector: ") + truncate(safeterm.Line(conn.Name+" ("+conn.ID+")"), w-11))
	if op.Method != "" {
		d.add(s.Method.Render(safeterm.Line(op.Method)) + " " + truncate(safeterm.Line(conn.RequestPath(op)), w-ansiWidth(safeterm.Line(op.Method))-1))
	} else {
		d.add(s.Muted.Render("HTTP method and path unknown (import the definitions for them)"))
	}
	if op.Deprecated {
		note := "⚠ This operation is deprecated."
		if op.ReplacedBy != "" {
			repl := conn.Operation(op.ReplacedBy)
			target := op.ReplacedBy
			if repl != nil && repl.Name != "" {
				target = repl.Name + " (" + repl.ID + ")"
			}
			note += " Use " + safeterm.Line(target) + " instead"
			if repl != nil {
				note += " (enter opens it)."
				d.add("")
				d.lines = append(d.lines, docLine{text: s.Deprecated.Render(truncate(note, w)), open: func() tea.Cmd {
					return openCmd(conn, repl)
				}})
			} else {
				d.add("")
				d.add(s.Deprecated.Render(truncate(note+".", w)))
			}
		} else {
			d.add("")
			d.add(s.Deprecated.Render(note))
		}
	}
	if op.ReplacedByConnector != "" {
		d.add("")
		target := op.ReplacedByConnector
		if op.ReplacedBy != "" {
			target += "/" + op.ReplacedBy
		}
		note := "Replaced by " + safeterm.Line(target) + " in another connector (enter or R goes there)."
		d.lines = append(d.lines, docLine{text: s.Deprecated.Render(truncate(note, w)), open: func() tea.Cmd {
			return emit(jumpMsg{target})
		}})
	}
	if issues := knownIssuesOf(conn, op.ID); len(issues) > 0 {
		d.heading("Known issues")
		for _, ki := range issues {
			d.bullet(safeterm.Line(ki.Summary))
			if ki.Description != "" {
				d.para(ki.Description, 2)
			}
		}
	}
	if op.Description != "" {
		d.heading("Description")
		d.para(op.Description, 0)
	}
	d.heading("Parameters")
	params := conn.UserParameters(op)
	if len(params) == 0 {
		d.add(s.Muted.Render("None."))
	} else {
		for _, l := range paramTable(params, conn.Definitions, w, s) {
			d.add(l)
		}
	}
	if p.body != nil {
		d.heading("Request body")
		d.lines = renderTree(p.body, 0, w, s, d.lines)
	}
	d.heading("Responses")
	if len(op.Responses) == 0 {
		d.add(s.Muted.Render("None declared."))
	}
	for i, r := range op.Responses {
		t := s.Method.Render(safeterm.Line(r.Status))
		if r.Description != "" {
			t += "  " + safeterm.Line(r.Description)
		}
		d.add(truncateStyled(t, w))
		if i < len(p.responses) && p.responses[i] != nil {
			d.lines = renderTree(p.responses[i], 1, w, s, d.lines)
		} else if len(r.Fields) > 0 {
			for _, f := range r.Fields {
				t := "    " + safeterm.Line(f.Name) + "  " + s.Muted.Render(safeterm.Line(f.Type))
				d.add(truncateStyled(t, w))
				if f.Description != "" {
					d.para(f.Description, 8)
				}
			}
		}
	}
	var details []string
	if op.Visibility != "" {
		details = append(details, "visibility: "+string(op.Visibility))
	}
	if len(op.Consumes) > 0 {
		details = append(details, "consumes: "+strings.Join(op.Consumes, ", "))
	}
	if len(op.Produces) > 0 {
		details = append(details, "produces: "+strings.Join(op.Produces, ", "))
	}
	if len(op.Tags) > 0 {
		details = append(details, "tags: "+strings.Join(op.Tags, ", "))
	}
	if op.Dynamic {
		details = append(details, "dynamic parameters or schema (resolved at run time)")
	}
	if len(details) > 0 {
		d.heading("Details")
		for _, t := range details {
			d.para(t, 0)
		}
	}
	p.doc.setLines(d.lines)
}

// paramTable renders parameters as a table whose columns shrink with the
// width: enum and default move into the description on narrow screens,
// and the description moves under its row when even that is too narrow.
func paramTable(params []catalog.Parameter, defs map[string]json.RawMessage, w int, s styles.Styles) []string {
	type row struct{ name, key, in, req, typ, def, enum, desc string }
	rows := make([]row, 0, len(params))
	for _, prm := range params {
		typ := prm.Type
		if prm.Format != "" {
			typ += " (" + prm.Format + ")"
		}
		// A parameter whose schema is a $ref to a definition shows its name.
		if s, err := schema.Parse(prm.Schema); err == nil && s != nil {
			if name, ok := schema.RefName(s.Ref); ok {
				if _, found := defs[name]; found {
					typ = name
				}
			}
		}
		req := ""
		if prm.Required {
			req = "yes"
		}
		r := row{
			name: safeterm.Line(prm.Name), key: safeterm.Line(prm.Key), in: safeterm.Line(prm.In), req: req,
			typ: safeterm.Line(typ), def: safeterm.Line(prm.Default), enum: safeterm.Line(strings.Join(prm.Enum, "|")),
			desc: safeterm.Line(prm.Description),
		}
		if prm.Visibility == catalog.VisibilityInternal {
			r.desc = strings.TrimSpace("(internal) " + r.desc)
		}
		rows = append(rows, r)
	}
	width := func(head string, get func(row) string, limit int) int {
		n := len(head)
		for _, r := range rows {
			n = max(n, ansiWidth(get(r)))
		}
		return min(n, limit)
	}
	cols := []struct {
		head  string
		get   func(row) string
		limit int
	}{
		{"NAME", func(r row) string { return r.name }, 22},
		{"KEY", func(r row) string { return r.key }, 18},
		{"IN", func(r row) string { return r.in }, 8},
		{"REQ", func(r row) string { return r.req }, 3},
		{"TYPE", func(r row) string { return r.typ }, 16},
		{"DEFAULT", func(r row) string { return r.def }, 12},
		{"ENUM", func(r row) string { return r.enum }, 20},
	}
	n := len(cols)
	widths := make([]int, n)
	fixed := func(k int) int {
		t := 0
		for i := 0; i < k; i++ {
			widths[i] = width(cols[i].head, cols[i].get, cols[i].limit)
			t += widths[i] + 2
		}
		return t
	}
	used := fixed(n)
	if w-used < 24 {
		// Fold default and enum into the description.
		n = 5
		used = fixed(n)
		for i := range rows {
			var extra []string
			if rows[i].def != "" {
				extra = append(extra, "default "+rows[i].def)
			}
			if rows[i].enum != "" {
				extra = append(extra, "one of "+strings.ReplaceAll(rows[i].enum, "|", ", "))
			}
			if len(extra) > 0 {
				rows[i].desc = strings.TrimSpace(rows[i].desc + " (" + strings.Join(extra, "; ") + ")")
			}
		}
	}
	if w-used < 16 {
		// Drop IN into KEY's column header only.
		n = 4
		cols[2], cols[3] = cols[3], cols[4]
		used = fixed(n)
	}
	descW := w - used
	below := descW < 16
	var out []string
	var hb strings.Builder
	for i := 0; i < n; i++ {
		hb.WriteString(pad(cols[i].head, widths[i]) + "  ")
	}
	if !below {
		hb.WriteString("DESCRIPTION")
	}
	out = append(out, s.Label.Render(truncate(strings.TrimRight(hb.String(), " "), w)))
	for _, r := range rows {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(pad(cols[i].get(r), widths[i]) + "  ")
		}
		line := b.String()
		if below || r.desc == "" {
			out = append(out, strings.TrimRight(line, " "))
			if below && r.desc != "" {
				for _, l := range wrapText(r.desc, w-4) {
					out = append(out, "    "+s.Muted.Render(l))
				}
			}
			continue
		}
		desc := wrapText(r.desc, descW)
		for i, l := range desc {
			if i == 0 {
				out = append(out, line+s.Muted.Render(l))
			} else {
				out = append(out, strings.Repeat(" ", used)+s.Muted.Render(l))
			}
		}
	}
	return out
}

// knownIssuesOf lists the connector's known issues that name the
// operation.
func knownIssuesOf(conn *catalog.Connector, opID string) []catalog.KnownIssue {
	var out []catalog.KnownIssue
	for _, ki := range conn.KnownIssues {
		for _, id := range ki.OperationIDs {
			if id == opID {
				out = append(out, ki)
				break
			}
		}
	}
	return out
}
