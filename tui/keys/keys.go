// Package keys is the explorer's one key map, for every page and the
// test-call screens alike (after soft-serve's pkg/ui/keymap): each screen
// takes its help from here, so the footer and the ? overlay show exactly
// the bindings its Update matches.
package keys

import (
	"fmt"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
)

// KeyMap holds every binding.
type KeyMap struct {
	// Everywhere.
	Quit, ForceQuit, Help, HelpAlt, Search, Back, Open, Tab, ShiftTab key.Binding
	Up, Down, PageUp, PageDown, Top, Bottom                           key.Binding
	// ListUp and ListDown move the results while the search box has the
	// focus: arrows only, since letters are text there.
	ListUp, ListDown, ListPageUp, ListPageDown key.Binding
	// Jump goes to a connector or connector/operation id.
	Jump key.Binding
	// Documents.
	Toggle, ExpandAll, CollapseAll key.Binding
	// Filters: plain letters outside the search box, alt inside it.
	Kind, Tier, Product, Publisher, Preview, Deprecated key.Binding
	ClearFilters, OpsFilter, Internal                   key.Binding
	// Actions.
	Browser, CopyID, CopyCmd, CopyConnID key.Binding
	Import, Refresh, Dismiss, Cancel     key.Binding
	// Complete completes a path in the import dialog.
	Complete key.Binding
	// TryIt opens an operation's test-call form, History the call
	// history (from any screen where nothing is typed), Replacement the
	// connector that replaces an operation.
	TryIt, History, Replacement key.Binding

	// The test-call form: keys that would type into a field are control
	// keys there.
	Next, Prev, Cycle, CycleBack, Send, Editor, RequestPreview, CopyCurl, Close key.Binding
	// Confirmation.
	Yes, No key.Binding
	// Response, request preview and history: plain letters, nothing is
	// typed there.
	ViewPageUp, ViewPageDown, Left, Right               key.Binding
	Headers, Find, FindNext, FindPrev, Save, CopyAsCurl key.Binding
	Replay, Reload, Accept                              key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return KeyMap{
		Quit:      b([]string{"q"}, "q", "quit"),
		ForceQuit: b([]string{"ctrl+c"}, "ctrl+c", "quit"),
		Help:      b([]string{"?"}, "?", "help"),
		// f1 works where ? is text (the test-call form, the search box).
		HelpAlt:      b([]string{"f1"}, "f1", "help"),
		Search:       b([]string{"/"}, "/", "search"),
		Back:         b([]string{"esc", "backspace"}, "esc", "back"),
		Open:         b([]string{"enter"}, "enter", "open"),
		Tab:          b([]string{"tab"}, "tab", "next pane"),
		ShiftTab:     b([]string{"shift+tab"}, "shift+tab", "previous pane"),
		Up:           b([]string{"up", "k"}, "↑/k", "up"),
		Down:         b([]string{"down", "j"}, "↓/j", "down"),
		ListUp:       b([]string{"up", "ctrl+p"}, "↑", "up"),
		ListDown:     b([]string{"down", "ctrl+n"}, "↓", "down"),
		ListPageUp:   b([]string{"pgup"}, "pgup", "page up"),
		ListPageDown: b([]string{"pgdown"}, "pgdn", "page down"),
		PageUp:       b([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
		PageDown:     b([]string{"pgdown", "ctrl+f", " "}, "pgdn", "page down"),
		Top:          b([]string{"home", "g"}, "g/home", "top"),
		Bottom:       b([]string{"end", "G"}, "G/end", "bottom"),
		Jump:         b([]string{":"}, ":", "go to id"),
		Toggle:       b([]string{"enter", " ", "right", "left"}, "enter/space", "fold/unfold"),
		ExpandAll:    b([]string{"e"}, "e", "expand all"),
		CollapseAll:  b([]string{"E"}, "E", "collapse all"),
		// The help names the plain letter; the ? overlay of the search
		// page says that alt+letter works while typing.
		Kind:         b([]string{"K", "alt+k", "alt+K"}, "K", "kind"),
		Tier:         b([]string{"t", "alt+t"}, "t", "tier"),
		Product:      b([]string{"p", "alt+p"}, "p", "product"),
		Publisher:    b([]string{"u", "alt+u"}, "u", "publisher"),
		Preview:      b([]string{"v", "alt+v"}, "v", "preview"),
		Deprecated:   b([]string{"d", "alt+d"}, "d", "deprecated"),
		ClearFilters: b([]string{"x", "alt+x", "alt+0"}, "x", "clear filters"),
		OpsFilter:    b([]string{"f"}, "f", "filter operations"),
		Internal:     b([]string{"i"}, "i", "internal ops"),
		Browser:      b([]string{"o"}, "o", "open docs"),
		CopyID:       b([]string{"c"}, "c", "copy id"),
		CopyCmd:      b([]string{"y"}, "y", "copy `connex show`"),
		CopyConnID:   b([]string{"C"}, "C", "copy connector id"),
		Import:       b([]string{"ctrl+o"}, "ctrl+o", "import"),
		Refresh:      b([]string{"ctrl+r"}, "ctrl+r", "refresh"),
		Dismiss:      b([]string{"esc"}, "esc", "dismiss"),
		Cancel:       b([]string{"esc"}, "esc", "cancel"),
		Complete:     b([]string{"tab"}, "tab", "complete path"),
		TryIt:        b([]string{"t"}, "t", "try it"),
		History:      b([]string{"H"}, "H", "call history"),
		Replacement:  b([]string{"R"}, "R", "go to replacement"),

		Next:           b([]string{"tab", "down"}, "tab/↓", "next field"),
		Prev:           b([]string{"shift+tab", "up"}, "shift+tab/↑", "previous field"),
		Cycle:          b([]string{"right", " "}, "→/space", "next choice"),
		CycleBack:      b([]string{"left"}, "←", "previous choice"),
		Send:           b([]string{"ctrl+s"}, "ctrl+s", "send"),
		Editor:         b([]string{"ctrl+e"}, "ctrl+e", "edit body in $EDITOR"),
		RequestPreview: b([]string{"ctrl+p"}, "ctrl+p", "full request preview"),
		CopyCurl:       b([]string{"ctrl+y"}, "ctrl+y", "copy as curl"),
		Close:          b([]string{"esc"}, "esc", "close"),
		Yes:            b([]string{"y", "Y"}, "y", "send"),
		No:             b([]string{"n", "N", "esc"}, "n/esc", "don't send"),
		ViewPageUp:     b([]string{"pgup", "b"}, "pgup", "page up"),
		ViewPageDown:   b([]string{"pgdown", "f", " "}, "pgdn", "page down"),
		Left:           b([]string{"left"}, "←", "scroll left"),
		Right:          b([]string{"right"}, "→", "scroll right"),
		Headers:        b([]string{"h"}, "h", "show/hide headers"),
		Find:           b([]string{"/"}, "/", "find"),
		FindNext:       b([]string{"n"}, "n", "next match"),
		FindPrev:       b([]string{"N"}, "N", "previous match"),
		Save:           b([]string{"s"}, "s", "save body"),
		CopyAsCurl:     b([]string{"c"}, "c", "copy as curl"),
		Replay:         b([]string{"r"}, "r", "replay"),
		Reload:         b([]string{"ctrl+r"}, "ctrl+r", "reload"),
		Accept:         b([]string{"enter"}, "enter", "ok"),
	}
}

// Help adapts a short list and grouped full list to help.KeyMap.
type Help struct {
	Short []key.Binding
	Full  [][]key.Binding
}

// ShortHelp is the footer's list.
func (h Help) ShortHelp() []key.Binding { return h.Short }

// FullHelp is the ? overlay's groups.
func (h Help) FullHelp() [][]key.Binding { return h.Full }

var _ help.KeyMap = Help{}

// MoveCursor is where a list's cursor goes for a movement key: up, down,
// a page of page rows (pageUp and pageDown are the screen's page keys),
// the top, the bottom of n rows. ok is false for any other key; the
// caller clamps the cursor to its list.
func (k KeyMap) MoveCursor(msg fmt.Stringer, pageUp, pageDown key.Binding, cursor, page, n int) (to int, ok bool) {
	switch {
	case key.Matches(msg, k.Up):
		return cursor - 1, true
	case key.Matches(msg, k.Down):
		return cursor + 1, true
	case key.Matches(msg, pageUp):
		return cursor - page, true
	case key.Matches(msg, pageDown):
		return cursor + page, true
	case key.Matches(msg, k.Top):
		return 0, true
	case key.Matches(msg, k.Bottom):
		return n - 1, true
	}
	return cursor, false
}
