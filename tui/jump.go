package tui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/tui/common"
	"github.com/connex-dev/connex/tui/styles"
)

// The : prompt (as in k9s and vim): go straight to a connector, an alias
// of one, or connector/operation.

func newJumpInput(st *styles.Styles, width int) textinput.Model {
	in := common.NewInput(":", 300)
	in.PromptStyle = st.Prompt
	in.Placeholder = "connector or connector/operation id"
	in.Width = max(10, width-4)
	return in
}

// openJump shows the prompt on the status line.
func (m *Model) openJump() tea.Cmd {
	in := newJumpInput(&m.styles, m.width)
	m.jump = &in
	return in.Focus()
}

// jumpKey handles a key while the prompt is open.
func (m *Model) jumpKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.jump = nil
		return nil
	case key.Matches(msg, m.keys.Accept):
		target := strings.TrimSpace(m.jump.Value())
		m.jump = nil
		if target == "" {
			return nil
		}
		return m.jumpTo(target)
	}
	var cmd tea.Cmd
	*m.jump, cmd = m.jump.Update(msg)
	return cmd
}

// jumpTo opens a connector ("id" or an alias) or an operation
// ("connector/operation") over the current page.
func (m *Model) jumpTo(target string) tea.Cmd {
	if m.cat == nil {
		m.err = errors.New("the catalogue is still loading")
		return nil
	}
	connID, opID, _ := strings.Cut(strings.TrimSpace(target), "/")
	conn := findConnector(m.cat, connID)
	if conn == nil {
		m.err = fmt.Errorf("no connector %q in the catalogue (an id or alias, as `connex show` takes)", safeterm.Line(connID))
		return nil
	}
	if opID == "" {
		return m.open(conn, nil)
	}
	op := conn.Operation(opID)
	if op == nil {
		m.err = fmt.Errorf("%s has no operation %q", conn.ID, safeterm.Line(opID))
		return nil
	}
	return m.open(conn, op)
}

// findConnector looks an id up (case insensitive), then the connectors'
// aliases.
func findConnector(cat *catView, id string) *catalog.Connector {
	if id == "" {
		return nil
	}
	c, _ := cat.Connector(id)
	return c
}
