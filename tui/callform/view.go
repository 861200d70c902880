package callform

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/internal/safeterm"
)

// View renders the current screen at the size given by SetSize.
func (m *Model) View() string {
	if m.width == 0 {
		return ""
	}
	var lines []string
	lines = append(lines, m.titleLines()...)
	ch := m.contentHeight()
	var content []string
	switch m.state {
	case stateResponse:
		content = strings.Split(m.resp.view(), "\n")
	case statePreview:
		content = append([]string{m.st.Heading.Render("Request preview") + m.st.Muted.Render(" (secrets masked)")},
			strings.Split(m.previewVP.View(), "\n")...)
	default:
		content = m.formContent(ch)
	}
	lines = append(lines, fit(content, ch)...)
	lines = append(lines, m.statusLine())
	if !m.opts.HideHelp {
		lines = append(lines, m.help.View(m.helpKeys()))
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, m.width, "…")
	}
	return strings.Join(lines, "\n")
}

// fit pads or cuts lines to exactly h.
func fit(lines []string, h int) []string {
	if len(lines) > h {
		return lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return lines
}

func (m *Model) titleLines() []string {
	conn, op := m.opts.Connector, m.opts.Operation
	if conn == nil || op == nil {
		return []string{m.st.Title.Render("Test call"), ""}
	}
	title := m.st.Title.Render("Test call") + m.st.Crumb.Render(" · "+safeterm.Line(conn.Name)+" › "+safeterm.Line(op.Name))
	target := "→ " + safeterm.Line(conn.Host)
	switch {
	case m.useMock && IsSample(conn):
		target = "→ local mock (sample connector)"
	case m.useMock:
		target = "→ local mock"
	case m.baseURL != "":
		target = "→ " + safeterm.Line(m.baseURL)
	case m.viaConn:
		target = "→ your connection"
		if f := m.connField(); f != nil && f.value() != "" {
			target += " " + safeterm.Line(f.value())
		}
	}
	sub := m.st.Method.Render(safeterm.Line(op.Method)) + " " + safeterm.Line(conn.RequestPath(op)) + m.st.Muted.Render("  "+target)
	return []string{title, sub}
}

func (m *Model) statusLine() string {
	switch m.state {
	case stateConfirm:
		return m.st.Warn.Render(fmt.Sprintf("Send %s %s to the real service? y/n", m.confirm.Method, safeterm.Line(m.confirm.MaskedURL())))
	case stateSending:
		return m.spin.View() + " " + m.st.Status.Render("sending… (esc cancels)")
	}
	if m.status == "" {
		return ""
	}
	if m.statusErr {
		return m.st.StatusErr.Render(m.status)
	}
	return m.st.Status.Render(m.status)
}

// formContent is the form, and the preview beside or below it.
func (m *Model) formContent(h int) []string {
	if m.wide() {
		fw := m.formWidth()
		pw := m.width - fw - 2
		form := fit(m.formLines(fw, h), h)
		prev := fit(m.previewLines(pw, h), h)
		out := make([]string, h)
		sep := m.st.Rule.Render("│")
		for i := range out {
			l := ansi.Truncate(form[i], fw, "…")
			pad := fw - ansi.StringWidth(l)
			out[i] = l + strings.Repeat(" ", max(0, pad)) + sep + " " + ansi.Truncate(prev[i], pw, "…")
		}
		return out
	}
	// The form takes what it needs, up to two thirds; the preview the
	// rest.
	need := len(m.formLines(m.width, h))
	fh := min(need, h-max(4, h/3))
	ph := h - fh
	out := fit(m.formLines(m.width, fh), fh)
	return append(out, fit(m.previewLines(m.width, ph), ph)...)
}

func (m *Model) previewLines(w, h int) []string {
	head := m.st.Heading.Render("Request preview") + m.st.Muted.Render(" (ctrl+p: full screen)")
	if w < 60 {
		head = m.st.Heading.Render("Request preview")
	}
	if !m.wide() {
		head = m.st.Rule.Render("── ") + head
	}
	body := wrapText(m.previewText(), max(10, w))
	lines := append([]string{head}, strings.Split(body, "\n")...)
	if len(lines) > h && h > 1 {
		lines = append(lines[:h-1], m.st.Muted.Render(fmt.Sprintf("… %d more lines (ctrl+p)", len(lines)-h+1)))
	}
	return lines
}

// formLines renders every field and scrolls so the focused one shows.
func (m *Model) formLines(w, h int) []string {
	var lines []string
	var fs, fe int
	for i, f := range m.fields {
		if m.hidden(f) {
			continue
		}
		if i == m.focus {
			fs = len(lines)
		}
		lines = append(lines, m.fieldLines(f, i == m.focus, w)...)
		if i == m.focus {
			fe = len(lines)
		}
	}
	if other := m.otherProblems(); len(other) > 0 && m.showAll {
		for _, o := range other {
			lines = append(lines, m.st.Error.Render("✗ "+o))
		}
	}
	if len(lines) <= h {
		return lines
	}
	scroll := 0
	if fe > h {
		scroll = fe - h
	}
	if fs < scroll {
		scroll = fs
	}
	end := min(len(lines), scroll+h)
	out := append([]string(nil), lines[scroll:end]...)
	if scroll > 0 {
		out[0] = m.st.Muted.Render(fmt.Sprintf("↑ %d more lines", scroll))
	}
	if end < len(lines) {
		out[len(out)-1] = m.st.Muted.Render(fmt.Sprintf("↓ %d more lines", len(lines)-end+1))
	}
	return out
}

func (m *Model) fieldLines(f *field, focused bool, w int) []string {
	marker, label := "  ", m.st.FieldLabel.Render(f.label)
	if focused {
		marker, label = m.st.Focus.Render("› "), m.st.Focus.Render(f.label)
	}
	head := marker + label
	if f.required {
		head += m.st.Required.Render(" *")
	}
	if f.meta != "" {
		head += m.st.Muted.Render("  " + f.meta)
	}
	lines := []string{head}
	switch f.kind {
	case fieldText, fieldBaseURL:
		lines = append(lines, "  "+f.input.View())
	case fieldChoice, fieldAuth, fieldTarget, fieldConnection:
		lines = append(lines, "  "+m.choiceLine(f, focused, w-2))
	case fieldBody:
		for _, l := range strings.Split(m.body.View(), "\n") {
			lines = append(lines, "  "+l)
		}
	}
	if f.desc != "" {
		lines = append(lines, "    "+m.st.Muted.Render(f.desc))
	}
	if f.kind == fieldAuth && len(f.choices) == 1 && m.opts.Connector != nil && call.DefaultAuthType(m.opts.Connector) != "" {
		hint := "no saved profile: connex auth set " + safeterm.Line(m.opts.Connector.ID) + " --secret-stdin"
		if m.useMock {
			hint += " (the mock needs none)"
		}
		lines = append(lines, "    "+m.st.Muted.Render(hint))
	}
	if p := m.fieldProblem(f); p != "" {
		lines = append(lines, "    "+m.st.Error.Render("✗ "+p))
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "…")
	}
	return lines
}

// choiceLine shows every choice with the selected one in brackets, the
// window sliding so the selection stays visible.
func (m *Model) choiceLine(f *field, focused bool, w int) string {
	parts := make([]string, len(f.names))
	for i, n := range f.names {
		if i == f.idx {
			st := m.st.Value
			if focused {
				st = m.st.ChoiceOn
			}
			parts[i] = st.Render("[" + n + "]")
		} else {
			parts[i] = m.st.Choice.Render(n)
		}
	}
	start := 0
	for start < f.idx && ansi.StringWidth(strings.Join(parts[start:f.idx+1], "  ")) > w-4 {
		start++
	}
	s := strings.Join(parts[start:], "  ")
	if start > 0 {
		s = "… " + s
	}
	if focused && len(f.names) > 1 {
		s += m.st.Muted.Render("   ←/→")
	}
	return ansi.Truncate(s, w, "…")
}

// editBody opens the body in the user's editor on a private temp file.
func (m *Model) editBody() tea.Cmd {
	cmd, done := m.editorCommand()
	if cmd == nil {
		return nil
	}
	return tea.ExecProcess(cmd, done)
}

// editorCommand prepares the editor run: the command, and what turns its
// end into the message that updates the body (and removes the temp file).
// It is apart from editBody so tests can run it without a terminal.
func (m *Model) editorCommand() (*exec.Cmd, func(error) tea.Msg) {
	editor := m.opts.Editor
	if editor == "" {
		editor = os.Getenv("VISUAL")
	}
	if editor == "" {
		editor = os.Getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	args := strings.Fields(editor)
	f, err := os.CreateTemp("", "connex-body-*.json")
	if err != nil {
		m.setStatus("", fmt.Errorf("editor: %w", err))
		return nil, nil
	}
	path := f.Name()
	_, werr := f.WriteString(m.body.Value())
	cerr := f.Close()
	if werr != nil || cerr != nil {
		os.Remove(path)
		m.setStatus("", fmt.Errorf("editor: write %s: %v", path, firstErr(werr, cerr)))
		return nil, nil
	}
	id := m.id
	cmd := exec.Command(args[0], append(args[1:], path)...) //nolint:gosec // the user's own editor
	return cmd, func(err error) tea.Msg {
		defer os.Remove(path)
		if err != nil {
			return editorMsg{id: id, err: fmt.Errorf("editor %s: %w", args[0], err)}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return editorMsg{id: id, err: fmt.Errorf("editor: read %s: %w", path, err)}
		}
		return editorMsg{id: id, text: string(b)}
	}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
