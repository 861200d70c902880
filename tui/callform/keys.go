package callform

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
)

// KeyMap holds every binding of the test-call screens. Keys that would
// type into a field are control keys on the form, plain letters on the
// response and history screens where nothing is typed.
type KeyMap struct {
	// Form.
	Next, Prev, Cycle, CycleBack, Send, Editor, Preview, CopyCurl, Close key.Binding
	// Confirmation.
	Yes, No key.Binding
	// Sending.
	Cancel key.Binding
	// Response and history.
	Up, Down, PageUp, PageDown, Top, Bottom, Left, Right key.Binding
	Headers, Find, FindNext, FindPrev, Save, Copy, Back  key.Binding
	Open, Replay, Reload                                 key.Binding
	Accept                                               key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return KeyMap{
		Next:      b([]string{"tab", "down"}, "tab/↓", "next field"),
		Prev:      b([]string{"shift+tab", "up"}, "shift+tab/↑", "previous field"),
		Cycle:     b([]string{"right", " "}, "→/space", "next choice"),
		CycleBack: b([]string{"left"}, "←", "previous choice"),
		Send:      b([]string{"ctrl+s"}, "ctrl+s", "send"),
		Editor:    b([]string{"ctrl+e"}, "ctrl+e", "edit body in $EDITOR"),
		Preview:   b([]string{"ctrl+p"}, "ctrl+p", "full request preview"),
		CopyCurl:  b([]string{"ctrl+y"}, "ctrl+y", "copy as curl"),
		Close:     b([]string{"esc"}, "esc", "close"),
		Yes:       b([]string{"y", "Y"}, "y", "send"),
		No:        b([]string{"n", "N", "esc"}, "n/esc", "don't send"),
		Cancel:    b([]string{"esc"}, "esc", "cancel"),
		Up:        b([]string{"up", "k"}, "↑/k", "up"),
		Down:      b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:    b([]string{"pgup", "b"}, "pgup", "page up"),
		PageDown:  b([]string{"pgdown", "f", " "}, "pgdn", "page down"),
		Top:       b([]string{"home", "g"}, "g/home", "top"),
		Bottom:    b([]string{"end", "G"}, "G/end", "bottom"),
		Left:      b([]string{"left"}, "←", "scroll left"),
		Right:     b([]string{"right"}, "→", "scroll right"),
		Headers:   b([]string{"h"}, "h", "show/hide headers"),
		Find:      b([]string{"/"}, "/", "find"),
		FindNext:  b([]string{"n"}, "n", "next match"),
		FindPrev:  b([]string{"N"}, "N", "previous match"),
		Save:      b([]string{"s"}, "s", "save body"),
		Copy:      b([]string{"c"}, "c", "copy as curl"),
		Back:      b([]string{"esc", "backspace"}, "esc", "back"),
		Open:      b([]string{"enter"}, "enter", "open"),
		Replay:    b([]string{"r"}, "r", "replay"),
		Reload:    b([]string{"ctrl+r"}, "ctrl+r", "reload"),
		Accept:    b([]string{"enter"}, "enter", "ok"),
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

func (k KeyMap) formHelp(onChoice, onBody bool) helpKeys {
	short := []key.Binding{k.Send, k.Next}
	if onChoice {
		short = append(short, k.Cycle)
	}
	if onBody {
		short = append(short, k.Editor)
	}
	short = append(short, k.Preview, k.CopyCurl, k.Close)
	return helpKeys{short: short, full: [][]key.Binding{
		{k.Next, k.Prev, k.Cycle, k.CycleBack},
		{k.Send, k.Editor, k.Preview, k.CopyCurl, k.Close},
	}}
}

func (k KeyMap) confirmHelp() helpKeys {
	return helpKeys{short: []key.Binding{k.Yes, k.No}, full: [][]key.Binding{{k.Yes, k.No}}}
}

func (k KeyMap) sendingHelp() helpKeys {
	return helpKeys{short: []key.Binding{k.Cancel}, full: [][]key.Binding{{k.Cancel}}}
}

func (k KeyMap) previewHelp() helpKeys {
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
	return helpKeys{short: []key.Binding{k.Down, k.PageDown, k.CopyCurl, k.Send, k.Back},
		full: [][]key.Binding{nav, {k.CopyCurl, k.Send, k.Back}}}
}

func (k KeyMap) responseHelp(withCurl bool) helpKeys {
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Left, k.Right}
	acts := []key.Binding{k.Headers, k.Find, k.FindNext, k.FindPrev, k.Save}
	short := []key.Binding{k.Down, k.Headers, k.Find, k.FindNext, k.Save}
	if withCurl {
		acts = append(acts, k.Copy)
		short = append(short, k.Copy)
	}
	short = append(short, k.Back)
	resend := k.Send
	resend.SetHelp(k.Send.Help().Key, "send again")
	return helpKeys{short: short, full: [][]key.Binding{nav, acts, {resend, k.Back}}}
}

func (k KeyMap) historyHelp() helpKeys {
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
	acts := []key.Binding{k.Open, k.Replay, k.Reload, k.Back}
	return helpKeys{short: []key.Binding{k.Down, k.Open, k.Replay, k.Reload, k.Back}, full: [][]key.Binding{nav, acts}}
}

func (k KeyMap) promptHelp() helpKeys {
	esc := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
	return helpKeys{short: []key.Binding{k.Accept, esc}, full: [][]key.Binding{{k.Accept, esc}}}
}
