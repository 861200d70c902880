package tui

import (
	"errors"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/tui/common"
	"github.com/connex-dev/connex/tui/keys"
)

// page is one screen of the history stack: a common.Component with the
// name its breadcrumb shows. Pages are built with what they need (an env,
// the connector or operation they show) and hold no pointer to the root
// Model: they ask it for things (open a page, show a status) by returning
// commands whose messages the root handles.
type page interface {
	common.Component
	crumb() string
}

// Every screen of the stack is a page.
var (
	_ page = (*searchPage)(nil)
	_ page = (*connectorPage)(nil)
	_ page = (*operationPage)(nil)
	_ page = (*auditPage)(nil)
	_ page = (*messagePage)(nil)
	_ page = (*hostPage)(nil)
)

// clicker is a page that reacts to mouse clicks and the wheel; x and y are
// relative to the page's top-left corner.
type clicker interface {
	click(x, y int) tea.Cmd
	wheel(delta int)
}

// env is what every explorer page receives: the common state (context,
// size, styles, keys) and the effects it may ask for (the clipboard and
// the browser, as commands).
type env struct {
	common.Common
	fx effects
}

// effects turn the injected clipboard and browser functions into
// commands; a nil function answers with a note instead.
type effects struct {
	copy    func(text string) error
	openURL func(url string) error
}

// copyCmd copies text through the injected clipboard function.
func (fx effects) copyCmd(text, what string) tea.Cmd {
	cp := fx.copy
	if cp == nil {
		return func() tea.Msg { return infoMsg{err: errors.New("no clipboard available")} }
	}
	return func() tea.Msg {
		if err := cp(text); err != nil {
			return infoMsg{err: fmt.Errorf("copy %s: %w", what, err)}
		}
		return infoMsg{text: "copied " + what + ": " + text}
	}
}

// openURLCmd opens a page through the injected browser function.
func (fx effects) openURLCmd(url string) tea.Cmd {
	if url == "" {
		return func() tea.Msg { return infoMsg{text: "this connector has no page on the reference site"} }
	}
	open := fx.openURL
	if open == nil {
		return func() tea.Msg { return infoMsg{text: "docs: " + url} }
	}
	return func() tea.Msg {
		if err := open(url); err != nil {
			// No browser (a server, a container, SSH): the address is
			// what the user needs, not the opener's exec error.
			return infoMsg{text: "no browser here; the page is " + url}
		}
		return infoMsg{text: "opened " + url}
	}
}

// What a page asks of the root. Each is the message of a command the page
// returns; the root owns the stack and the status line and acts on them.
type (
	// openMsg opens a connector (op nil) or an operation over the top.
	openMsg struct {
		conn *catalog.Connector
		op   *catalog.Operation
	}
	// jumpMsg opens "connector" or "connector/operation" by id or alias.
	jumpMsg struct{ target string }
	// tryItMsg opens the test-call form of an operation.
	tryItMsg struct {
		conn *catalog.Connector
		op   *catalog.Operation
	}
	// statusMsg shows a passing note, leaving an error shown as it is.
	statusMsg string
	// errMsg shows an error on the status line.
	errMsg struct{ err error }
	// showHelpMsg opens the ? overlay.
	showHelpMsg struct{}
)

// emit is a command that yields msg.
func emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// openCmd asks the root to open a connector or an operation.
func openCmd(conn *catalog.Connector, op *catalog.Operation) tea.Cmd {
	return emit(openMsg{conn: conn, op: op})
}

// statusCmd shows text on the status line; "" shows nothing.
func statusCmd(text string) tea.Cmd {
	if text == "" {
		return nil
	}
	return emit(statusMsg(text))
}

// base is what every page embeds: its env, and the parts of the
// component contract most pages share (no command at start, no async work
// of their own, no text input), which a page overrides where it differs.
// Its help comes from the page's keys function, so the footer and the ?
// overlay show what the page's Update matches.
type base struct {
	env
	keys func() keys.Help
}

func (base) Init() tea.Cmd               { return nil }
func (base) Owns(int64) bool             { return false }
func (base) Capturing() bool             { return false }
func (b base) ShortHelp() []key.Binding  { return b.keys().Short }
func (b base) FullHelp() [][]key.Binding { return b.keys().Full }

// tryItCmd asks the root to open the test-call form of an operation.
func tryItCmd(conn *catalog.Connector, op *catalog.Operation) tea.Cmd {
	if conn == nil || op == nil {
		return nil
	}
	return emit(tryItMsg{conn: conn, op: op})
}
