package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
)

// KeyMap holds every binding; views pick theirs for the help footer and
// the ? overlay, so the help always matches what the keys do.
type KeyMap struct {
	Quit, ForceQuit, Help, HelpAlt, Search, Back, Open, Tab, ShiftTab key.Binding
	Up, Down, PageUp, PageDown, Top, Bottom                           key.Binding
	Toggle, ExpandAll, CollapseAll                                    key.Binding
	Kind, Tier, Product, Publisher, Preview, Deprecated               key.Binding
	ClearFilters, OpsFilter, Internal                                 key.Binding
	Browser, CopyID, CopyCmd, CopyConnID                              key.Binding
	Import, Refresh, Dismiss, Cancel                                  key.Binding
	// TryIt opens an operation's test-call form, History the call
	// history (from any screen where nothing is typed).
	TryIt, History key.Binding
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
		// f1 works where ? is text (the test-call form).
		HelpAlt:     b([]string{"f1"}, "f1", "help"),
		Search:      b([]string{"/"}, "/", "search"),
		Back:        b([]string{"esc", "backspace"}, "esc", "back"),
		Open:        b([]string{"enter"}, "enter", "open"),
		Tab:         b([]string{"tab"}, "tab", "next pane"),
		ShiftTab:    b([]string{"shift+tab"}, "shift+tab", "previous pane"),
		Up:          b([]string{"up", "k"}, "↑/k", "up"),
		Down:        b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:      b([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
		PageDown:    b([]string{"pgdown", "ctrl+f", " "}, "pgdn", "page down"),
		Top:         b([]string{"home", "g"}, "g/home", "top"),
		Bottom:      b([]string{"end", "G"}, "G/end", "bottom"),
		Toggle:      b([]string{"enter", " ", "right", "left"}, "enter/space", "fold/unfold"),
		ExpandAll:   b([]string{"e"}, "e", "expand all"),
		CollapseAll: b([]string{"E"}, "E", "collapse all"),
		// Filter keys work as plain letters outside the search box and
		// with alt inside it.
		Kind:         b([]string{"K", "alt+k"}, "K", "kind"),
		Tier:         b([]string{"t", "alt+t"}, "t", "tier"),
		Product:      b([]string{"p", "alt+p"}, "p", "product"),
		Publisher:    b([]string{"u", "alt+u"}, "u", "publisher"),
		Preview:      b([]string{"v", "alt+v"}, "v", "preview"),
		Deprecated:   b([]string{"d", "alt+x"}, "d", "deprecated"),
		ClearFilters: b([]string{"x", "alt+0"}, "x", "clear filters"),
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
		TryIt:        b([]string{"t"}, "t", "try it"),
		History:      b([]string{"H"}, "H", "call history"),
	}
}

// helpKeys adapts a short list and grouped full list to help.KeyMap.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }

var _ help.KeyMap = helpKeys{}

func (k KeyMap) searchHelp(inputFocused bool) helpKeys {
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Open, k.Tab}
	filters := []key.Binding{k.Kind, k.Tier, k.Product, k.Publisher, k.Preview, k.Deprecated, k.ClearFilters}
	actions := []key.Binding{k.Browser, k.CopyID, k.CopyCmd, k.Import, k.Refresh}
	app := []key.Binding{k.Search, k.History, k.Help, k.Quit, k.ForceQuit}
	short := []key.Binding{k.Open, k.Tab, k.Kind, k.Tier, k.Product, k.Help, k.Quit}
	if inputFocused {
		short = []key.Binding{k.Open, k.Down, k.Tab, k.Help, k.ForceQuit}
	}
	return helpKeys{short: short, full: [][]key.Binding{nav, filters, actions, app}}
}

func (k KeyMap) connectorHelp() helpKeys {
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Open, k.Tab, k.Back}
	ops := []key.Binding{k.OpsFilter, k.Kind, k.Internal, k.TryIt}
	actions := []key.Binding{k.Browser, k.CopyID, k.CopyCmd}
	app := []key.Binding{k.Search, k.History, k.Help, k.Quit, k.ForceQuit}
	return helpKeys{
		short: []key.Binding{k.Open, k.Tab, k.OpsFilter, k.Back, k.Browser, k.CopyID, k.Help},
		full:  [][]key.Binding{nav, ops, actions, app},
	}
}

func (k KeyMap) operationHelp() helpKeys {
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Back}
	tree := []key.Binding{k.Toggle, k.ExpandAll, k.CollapseAll}
	actions := []key.Binding{k.TryIt, k.Browser, k.CopyID, k.CopyConnID, k.CopyCmd}
	app := []key.Binding{k.Search, k.History, k.Help, k.Quit, k.ForceQuit}
	return helpKeys{
		short: []key.Binding{k.TryIt, k.Toggle, k.Back, k.Browser, k.CopyID, k.CopyCmd, k.Help},
		full:  [][]key.Binding{nav, tree, actions, app},
	}
}
