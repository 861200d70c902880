package tui

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/tui/callform"
	"github.com/connex-dev/connex/tui/common"
	"github.com/connex-dev/connex/tui/keys"
)

// hosted is a callform screen (the test-call form, the call history): a
// common.Component with the id its CloseMsg carries.
type hosted interface {
	common.Component
	ID() int64
}

// hostPage is a page holding one callform screen. It owns every key but
// ctrl+c (and q, ?, H while nothing is typed): esc, / and the letters mean
// something on its screens. Its async messages carry its ID (common.Owned),
// so the root routes each to it even when another page is on top. It
// receives the screen and the key map whose app keys its help adds.
type hostPage struct {
	model   hosted
	keys    *keys.KeyMap
	title   string
	history bool
	onClose func() // cancels a send in flight; nil when nothing to do
}

func (p *hostPage) crumb() string { return p.title }

func (p *hostPage) Init() tea.Cmd { return p.model.Init() }

func (p *hostPage) SetSize(w, h int) { p.model.SetSize(w, h) }

func (p *hostPage) View() string { return p.model.View() }

func (p *hostPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.model.Update(msg)
	return p, cmd
}

func (p *hostPage) close() {
	if p.onClose != nil {
		p.onClose()
	}
}

// Capturing asks the hosted screen whether it captures keys.
func (p *hostPage) Capturing() bool { return p.model.Capturing() }

func (p *hostPage) Owns(id int64) bool { return p.model.Owns(id) }

func (p *hostPage) ShortHelp() []key.Binding { return p.help().Short }

func (p *hostPage) FullHelp() [][]key.Binding { return p.help().Full }

func (p *hostPage) help() keys.Help {
	// While text is typed, only f1 and ctrl+c are the explorer's.
	k := p.keys
	helpKey := k.HelpAlt
	app := []key.Binding{k.HelpAlt, k.ForceQuit}
	if !p.Capturing() {
		helpKey = k.Help
		app = []key.Binding{k.Help, k.Quit, k.ForceQuit}
		if !p.history {
			app = append([]key.Binding{k.History}, app...)
		}
	}
	short := slices.Concat(p.model.ShortHelp(), []key.Binding{helpKey})
	full := slices.Concat(p.model.FullHelp(), [][]key.Binding{app})
	return keys.Help{Short: short, Full: full}
}

// formOptions is the template of every test-call form: the engine and the
// outside world, from Options.
func (m *Model) formOptions() callform.Options {
	o := m.opts
	return callform.Options{
		Profiles:  o.Profiles,
		Secret:    o.Secret,
		Do:        o.Do,
		StartMock: o.StartMock,
		Platform:  o.Platform,
		History:   o.History,
		Editor:    o.Editor,
		Copy:      o.Copy,
		SaveFile:  o.SaveFile,
		Now:       o.Now,
		HideHelp:  true,
		// One key map and one set of styles for every screen.
		KeyMap: &m.keys,
		Styles: &m.styles,
	}
}

// openTryIt pushes the test-call form of an operation.
func (m *Model) openTryIt(conn *catalog.Connector, op *catalog.Operation) tea.Cmd {
	if conn == nil || op == nil {
		return nil
	}
	if unsendable(op) {
		return m.push(cannotSendPage(m.env(), conn, op))
	}
	opts := m.formOptions()
	opts.Connector, opts.Operation = conn, op
	form := callform.New(opts)
	p := &hostPage{model: form, keys: &m.keys, title: "Test call", onClose: form.Close}
	return m.push(p)
}

// openHistory pushes the call history browser.
func (m *Model) openHistory() tea.Cmd {
	var connector func(string) (*catalog.Connector, bool) // none while loading
	if m.cat != nil {
		connector = m.cat.Connector
	}
	h := callform.NewHistory(callform.HistoryOptions{
		History:  m.opts.History,
		Lookup:   callform.LookupWith(connector),
		Form:     m.formOptions(),
		HideHelp: true,
		KeyMap:   &m.keys,
		Styles:   &m.styles,
	})
	p := &hostPage{model: h, keys: &m.keys, title: "History", history: true}
	return m.push(p)
}

// hostedTop is the top page when it holds a callform screen.
func (m *Model) hostedTop() *hostPage {
	p, _ := m.top().(*hostPage)
	return p
}

// closeHosted drops the hosted page whose model has id; false when none.
func (m *Model) closeHosted(id int64) bool {
	for i, p := range m.stack {
		if hp, ok := p.(*hostPage); ok && hp.model.ID() == id {
			hp.close()
			m.stack = slices.Delete(m.stack, i, i+1)
			m.layout()
			return true
		}
	}
	return false
}

// forward gives a message no one owns (cursor blinks, a test call's
// spinner ticks) to the top page and to every hosted page below it; each
// spinner keeps only its own ticks.
func (m *Model) forward(msg tea.Msg) tea.Cmd {
	cmds := []tea.Cmd{m.updateTop(msg)}
	for _, p := range m.stack[:len(m.stack)-1] {
		if hp, ok := p.(*hostPage); ok {
			_, cmd := hp.Update(msg)
			cmds = append(cmds, cmd)
		}
	}
	return tea.Batch(cmds...)
}

// truncate keeps the first n pages, closing the hosted ones dropped.
func (m *Model) truncate(n int) {
	for _, p := range m.stack[n:] {
		if hp, ok := p.(*hostPage); ok {
			hp.close()
		}
	}
	m.stack = m.stack[:n]
	m.layout()
}
