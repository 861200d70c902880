// Package common is the explorer's one component contract, after
// soft-serve's pkg/ui/common and gh-dash's section messages: every screen
// (the search page, a connector, an operation, the test-call form, the call
// history) is a Component, and every asynchronous result is an Owned
// message carrying the id of the component that asked for it. The root
// model routes an Owned message to its owner whatever page is on top, and
// drops it when the owner is gone (a stale result).
package common

import (
	"sync/atomic"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// Component is a screen the root hosts: a bubbletea model that takes its
// size from the host, describes its keys for the footer and the ? overlay,
// and says whether it captures keys.
type Component interface {
	tea.Model
	SetSize(w, h int)
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
	// Capturing reports that a text input has the focus: letters, ?, q
	// and / are text, so the host handles only ctrl+c and f1. The host
	// asks; it never guesses from the help text.
	Capturing() bool
	// Owns reports whether an async result stamped with id belongs to
	// this component (its own id, or one of a sub-component it holds).
	Owns(id int64) bool
}

// Owned is an asynchronous result addressed to the component that asked
// for it.
type Owned interface {
	Owner() int64
}

var lastID atomic.Int64

// NewID returns an id unique in the process, for a component or one of
// its sub-components (a pager, a spinner's owner).
func NewID() int64 { return lastID.Add(1) }

// Resized gives a window size message to c as its size, for a component
// run on its own (a test, a program of its own); a host calls SetSize with
// the room it gives instead. It reports whether msg was one.
func Resized(c interface{ SetSize(w, h int) }, msg tea.Msg) bool {
	ws, ok := msg.(tea.WindowSizeMsg)
	if ok {
		c.SetSize(ws.Width, ws.Height)
	}
	return ok
}

// NewInput is a one-line text input as every page draws one: prompt
// before it, at most charLimit characters (0: no limit), and a static
// cursor. A blinking cursor would tick a message twice a second through
// the root while a prompt is open, and a view would depend on when it is
// drawn (the goldens could not be exact).
func NewInput(prompt string, charLimit int) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.CharLimit = charLimit
	in.Cursor.SetMode(cursor.CursorStatic)
	return in
}
