package keys

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// Each screen's help: what its footer and ? overlay show. A test walks
// every binding listed here and checks the screen does what it says.

// SearchHelp is the search page's; inputFocused while the box has the
// focus (letters are text: arrows move, filters take alt).
func (k KeyMap) SearchHelp(inputFocused bool) Help {
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Open, k.Tab}
	filters := []key.Binding{k.Kind, k.Tier, k.Product, k.Publisher, k.Preview, k.Deprecated, k.ClearFilters}
	actions := []key.Binding{k.Browser, k.CopyID, k.CopyCmd, k.Jump, k.Import, k.Refresh}
	app := []key.Binding{k.Search, k.History, k.Help, k.Quit, k.ForceQuit}
	short := []key.Binding{k.Open, k.Tab, k.Kind, k.Tier, k.Product, k.Jump, k.Help, k.Quit}
	if inputFocused {
		for i, b := range filters {
			filters[i] = altOnly(b)
		}
		nav = []key.Binding{k.ListUp, k.ListDown, k.ListPageUp, k.ListPageDown, k.Open, k.Tab}
		actions = []key.Binding{k.Import, k.Refresh}
		app = []key.Binding{k.HelpAlt, k.ForceQuit}
		short = []key.Binding{k.Open, k.ListDown, k.Tab, k.HelpAlt, k.ForceQuit}
	}
	return Help{Short: short, Full: [][]key.Binding{nav, filters, actions, app}}
}

// ConnectorHelp is a connector page's; t tries the selected operation
// when the operations pane has the focus.
func (k KeyMap) ConnectorHelp(opsFocused bool) Help {
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Open, k.Tab, k.Back}
	ops := []key.Binding{k.OpsFilter, k.Kind, k.Internal}
	if opsFocused {
		ops = append(ops, k.TryIt)
	}
	actions := []key.Binding{k.Find, k.FindNext, k.FindPrev, k.Browser, k.CopyID, k.CopyCmd, k.Jump}
	// / finds in the document here: esc goes back to the search.
	app := []key.Binding{k.History, k.Help, k.Quit, k.ForceQuit}
	return Help{
		Short: []key.Binding{k.Open, k.Tab, k.OpsFilter, k.Back, k.Browser, k.CopyID, k.Help},
		Full:  [][]key.Binding{nav, ops, actions, app},
	}
}

// OperationHelp is an operation page's; replaced when the operation names
// a replacement connector.
func (k KeyMap) OperationHelp(replaced bool) Help {
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Back}
	tree := []key.Binding{k.Toggle, k.ExpandAll, k.CollapseAll, k.Find, k.FindNext, k.FindPrev}
	actions := []key.Binding{k.TryIt, k.Browser, k.CopyID, k.CopyConnID, k.CopyCmd, k.Jump}
	if replaced {
		actions = append(actions, k.Replacement)
	}
	app := []key.Binding{k.History, k.Help, k.Quit, k.ForceQuit}
	return Help{
		Short: []key.Binding{k.TryIt, k.Toggle, k.Back, k.Browser, k.CopyID, k.CopyCmd, k.Help},
		Full:  [][]key.Binding{nav, tree, actions, app},
	}
}

// FindHelp is the help while a find prompt is open in a document.
func (k KeyMap) FindHelp() Help {
	esc := k.Cancel
	return Help{Short: []key.Binding{k.Accept, esc}, Full: [][]key.Binding{{k.Accept, esc}}}
}

// FormHelp is the test-call form's; onChoice and onBody by the focused
// field.
func (k KeyMap) FormHelp(onChoice, onBody bool) Help {
	short := []key.Binding{k.Send, k.Next}
	if onChoice {
		short = append(short, k.Cycle)
	}
	if onBody {
		short = append(short, k.Editor)
	}
	short = append(short, k.RequestPreview, k.CopyCurl, k.Close)
	// Choice and editor keys only where they act: on a text field space
	// and the arrows type and move.
	fields := []key.Binding{k.Next, k.Prev}
	if onBody {
		// ↑ and ↓ move inside the body: only tab leaves it.
		fields = []key.Binding{only(k.Next, "tab"), only(k.Prev, "shift+tab")}
		short[1] = fields[0]
	}
	if onChoice {
		fields = append(fields, k.Cycle, k.CycleBack)
	}
	acts := []key.Binding{k.Send}
	if onBody {
		acts = append(acts, k.Editor)
	}
	acts = append(acts, k.RequestPreview, k.CopyCurl, k.Close)
	return Help{Short: short, Full: [][]key.Binding{fields, acts}}
}

// ConfirmHelp is the help of "send this to a real service?".
func (k KeyMap) ConfirmHelp() Help {
	return Help{Short: []key.Binding{k.Yes, k.No}, Full: [][]key.Binding{{k.Yes, k.No}}}
}

// SendingHelp is the help while a call is in flight.
func (k KeyMap) SendingHelp() Help {
	return Help{Short: []key.Binding{k.Cancel}, Full: [][]key.Binding{{k.Cancel}}}
}

// PreviewHelp is the full request preview's.
func (k KeyMap) PreviewHelp() Help {
	nav := []key.Binding{k.Up, k.Down, k.ViewPageUp, k.ViewPageDown, k.Top, k.Bottom}
	return Help{Short: []key.Binding{k.Down, k.ViewPageDown, k.CopyCurl, k.Send, k.Back},
		Full: [][]key.Binding{nav, {k.CopyCurl, k.Send, k.Back}}}
}

// ResponseHelp is a response's (withCurl: it can be copied as curl).
func (k KeyMap) ResponseHelp(withCurl bool) Help {
	nav := []key.Binding{k.Up, k.Down, k.ViewPageUp, k.ViewPageDown, k.Top, k.Bottom, k.Left, k.Right}
	acts := []key.Binding{k.Headers, k.Find, k.FindNext, k.FindPrev, k.Save}
	short := []key.Binding{k.Down, k.Headers, k.Find, k.FindNext, k.Save}
	if withCurl {
		acts = append(acts, k.CopyAsCurl)
		short = append(short, k.CopyAsCurl)
	}
	short = append(short, k.Back)
	resend := k.Send
	resend.SetHelp(k.Send.Help().Key, "send again")
	return Help{Short: short, Full: [][]key.Binding{nav, acts, {resend, k.Back}}}
}

// HistoryHelp is the call history list's.
func (k KeyMap) HistoryHelp() Help {
	nav := []key.Binding{k.Up, k.Down, k.ViewPageUp, k.ViewPageDown, k.Top, k.Bottom}
	acts := []key.Binding{k.Open, k.Replay, k.Reload, k.Back}
	return Help{Short: []key.Binding{k.Down, k.Open, k.Replay, k.Reload, k.Back}, Full: [][]key.Binding{nav, acts}}
}

// PromptHelp is the help of a one-line prompt (find, save as).
func (k KeyMap) PromptHelp() Help {
	return Help{Short: []key.Binding{k.Accept, k.Cancel}, Full: [][]key.Binding{{k.Accept, k.Cancel}}}
}

// altOnly keeps a filter binding's alt keys, the ones that work while the
// search box has the focus, and names the first in the help.
func altOnly(b key.Binding) key.Binding {
	var ks []string
	for _, k := range b.Keys() {
		if strings.HasPrefix(k, "alt+") {
			ks = append(ks, k)
		}
	}
	if len(ks) == 0 {
		return b
	}
	return key.NewBinding(key.WithKeys(ks...), key.WithHelp(ks[0], b.Help().Desc))
}

// only narrows a binding to one of its keys, named so in the help.
func only(b key.Binding, k string) key.Binding {
	return key.NewBinding(key.WithKeys(k), key.WithHelp(k, b.Help().Desc))
}
