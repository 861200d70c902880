package callform

import (
	"fmt"
	"sort"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/secrets"
	"github.com/connex-dev/connex/tui/common"
)

// Update handles a message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if common.Resized(m, msg) {
		return m, nil
	}
	switch msg := msg.(type) {
	case profilesMsg:
		if msg.id != m.id {
			return m, nil
		}
		found := m.setProfiles(msg.profiles, msg.err)
		if m.opts.AutoSend && !m.autoSent && found {
			m.autoSent = true
			return m, m.trySend()
		}
		return m, nil
	case connectionsMsg:
		if msg.id == m.id {
			m.setConnections(msg)
		}
		return m, nil
	case sentMsg:
		return m, m.onSent(msg)
	case doneMsg:
		if msg.id == m.id {
			m.setStatus(msg.text, msg.err)
		}
		return m, nil
	case editorMsg:
		if msg.id == m.id {
			if msg.err != nil {
				m.setStatus("", msg.err)
			} else {
				m.body.SetValue(msg.text)
				m.fields[m.bodyIdx].touched = true
				m.fitBody()
				m.setStatus("body updated from the editor", nil)
				m.rebuild()
			}
		}
		return m, nil
	case highlightMsg:
		if m.resp != nil {
			m.resp.setStyled(msg)
		}
		return m, nil
	case spinner.TickMsg:
		if m.state != stateSending {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		return m, m.onKey(msg)
	}
	// Anything else (cursor blinks, mouse) goes to the focused widget.
	switch m.state {
	case stateResponse:
		cmd, _ := m.resp.update(msg)
		return m, cmd
	case stateForm:
		return m, m.updateFocused(msg)
	}
	return m, nil
}

// setProfiles fills the picker; false when the profile asked for by
// Options.Profile does not exist (a replay must not silently go without).
func (m *Model) setProfiles(all []secrets.Profile, err error) bool {
	if err != nil {
		m.setStatus("", fmt.Errorf("auth profiles: %w", err))
	}
	m.profiles = m.profiles[:0]
	for _, p := range all {
		if m.opts.Connector != nil && p.Connector == m.opts.Connector.ID {
			m.profiles = append(m.profiles, p)
		}
	}
	sort.Slice(m.profiles, func(i, j int) bool { return m.profiles[i].Name < m.profiles[j].Name })
	f := m.authField()
	f.choices, f.names = []string{""}, []string{"none"}
	f.idx = 0
	want := m.opts.Profile
	if want == "" {
		want = secrets.DefaultProfile
	}
	for _, p := range m.profiles {
		f.choices = append(f.choices, p.Name)
		f.names = append(f.names, safeterm.Line(p.Name)+" ("+safeterm.Line(p.Type)+")")
		if p.Name == want {
			f.idx = len(f.choices) - 1
		}
	}
	m.rebuild()
	if m.opts.Profile != "" && m.opts.Profile != call.AuthNone && f.idx == 0 {
		m.setStatus("", fmt.Errorf("auth profile %q of %s no longer exists: pick one, then ctrl+s", m.opts.Profile, m.opts.Connector.ID))
		return false
	}
	return true
}

func (m *Model) setStatus(text string, err error) {
	if err != nil {
		m.status, m.statusErr = safeterm.Line(err.Error()), true
		return
	}
	m.status, m.statusErr = safeterm.Line(text), false
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch m.state {
	case stateConfirm:
		switch {
		case key.Matches(msg, k.Yes):
			m.state = stateForm
			return m.startSend()
		case key.Matches(msg, k.No):
			m.state = stateForm
			m.confirm = nil
			m.setStatus("not sent", nil)
		}
		return nil
	case stateSending:
		if key.Matches(msg, k.Cancel) {
			m.cancelSend()
			m.setStatus("cancelled; nothing is shown from that call", nil)
		}
		return nil
	case statePreview:
		switch {
		case key.Matches(msg, k.Back), key.Matches(msg, k.RequestPreview):
			m.state = stateForm
			m.previewVP.GotoTop()
			return nil
		case key.Matches(msg, k.Send):
			m.state = stateForm
			return m.trySend()
		case key.Matches(msg, k.CopyCurl):
			return m.copyCurl(m.req)
		}
		var cmd tea.Cmd
		m.previewVP, cmd = m.previewVP.Update(msg)
		return cmd
	case stateResponse:
		if !m.resp.capturing() && key.Matches(msg, k.Back) {
			m.state = stateForm
			m.status = ""
			return nil
		}
		if !m.resp.capturing() && key.Matches(msg, k.Send) {
			m.state = stateForm
			return m.trySend()
		}
		cmd, act := m.resp.update(msg)
		switch {
		case act.save != "":
			return m.saveCmd(act.save, m.resp.raw)
		case act.copy:
			return m.copyCurl(m.sent)
		}
		if !m.resp.capturing() {
			m.status, m.statusErr = m.resp.searchStatus(), false
		}
		return cmd
	}

	// The form.
	f := m.fields[m.focus]
	switch {
	case key.Matches(msg, k.Close):
		id := m.id
		return func() tea.Msg { return CloseMsg{ID: id} }
	case key.Matches(msg, k.Send):
		return m.trySend()
	case key.Matches(msg, k.RequestPreview):
		m.state = statePreview
		m.previewVP.Width, m.previewVP.Height = m.width, max(1, m.contentHeight()-1)
		m.previewVP.SetContent(wrapText(m.previewText(), m.width))
		return nil
	case key.Matches(msg, k.CopyCurl):
		if m.req == nil {
			m.showAll = true
			m.setStatus("", fmt.Errorf("fix the form first: %s", safeterm.Line(m.buildErr.Error())))
			return nil
		}
		return m.copyCurl(m.req)
	case key.Matches(msg, k.Editor) && f.kind == fieldBody:
		return m.editBody()
	case msg.Type == tea.KeyTab || msg.Type == tea.KeyShiftTab:
		f.touched = true
		if msg.Type == tea.KeyTab {
			return m.focusField(m.focus + 1)
		}
		return m.focusField(m.focus - 1)
	case f.kind != fieldBody && key.Matches(msg, k.Next):
		f.touched = true
		return m.focusField(m.focus + 1)
	case f.kind != fieldBody && key.Matches(msg, k.Prev):
		f.touched = true
		return m.focusField(m.focus - 1)
	case f.isChoice() && key.Matches(msg, k.Cycle):
		f.idx = (f.idx + 1) % len(f.choices)
		f.touched = true
		m.setTarget()
		m.rebuild()
		return nil
	case f.isChoice() && key.Matches(msg, k.CycleBack):
		f.idx = (f.idx - 1 + len(f.choices)) % len(f.choices)
		f.touched = true
		m.setTarget()
		m.rebuild()
		return nil
	}
	return m.updateFocused(msg)
}

// updateFocused passes a message to the focused input and rebuilds the
// preview when its value changed.
func (m *Model) updateFocused(msg tea.Msg) tea.Cmd {
	f := m.fields[m.focus]
	text := func() string { // what the focused input holds
		if f.kind == fieldBody {
			return m.body.Value()
		}
		return f.input.Value()
	}
	before := text()
	var cmd tea.Cmd
	switch f.kind {
	case fieldText, fieldBaseURL:
		f.input, cmd = f.input.Update(msg)
	case fieldBody:
		m.body, cmd = m.body.Update(msg)
	default:
		return nil
	}
	if text() == before {
		return cmd
	}
	f.touched = true
	if f.kind == fieldBody {
		m.fitBody()
	} else {
		m.setTarget()
	}
	m.rebuild()
	return cmd
}
