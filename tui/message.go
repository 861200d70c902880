package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/tui/keys"
)

// messagePage is a short document that explains something in place of a
// screen that cannot open (an operation that cannot be sent); esc goes
// back.
type messagePage struct {
	base
	title string
	text  []string // safe, unstyled paragraphs; "" is a blank line
	doc   doc
}

func newMessagePage(e env, title string, text []string) *messagePage {
	p := &messagePage{title: title, text: text}
	p.base = base{env: e, keys: func() keys.Help {
		k := e.KeyMap
		return keys.Help{
			Short: []key.Binding{k.Back, k.Help},
			Full:  [][]key.Binding{{k.Up, k.Down, k.Back}, {k.History, k.Help, k.Quit, k.ForceQuit}},
		}
	}}
	p.SetSize(e.Width, e.Height)
	return p
}

func (p *messagePage) crumb() string { return p.title }
func (p *messagePage) View() string  { return p.doc.view(*p.Styles) }

func (p *messagePage) SetSize(w, h int) {
	p.Common.SetSize(w, h)
	p.doc.setSize(w, h)
	s := p.Styles
	var lines []docLine
	for i, para := range p.text {
		if i == 0 {
			lines = append(lines, docLine{text: s.Heading.Render(truncate(para, w))})
			continue
		}
		if para == "" {
			lines = append(lines, docLine{})
			continue
		}
		for _, l := range wrapText(para, max(10, w-2)) {
			lines = append(lines, docLine{text: l})
		}
	}
	p.doc.setLines(lines)
}

func (p *messagePage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if km, ok := msg.(tea.KeyMsg); ok {
		p.doc.navigate(km, *p.KeyMap)
	}
	return p, nil
}

// unsendable reports an operation without a method or path: known from
// the reference site only, it cannot be built into a request.
func unsendable(op *catalog.Operation) bool {
	return op.Method == "" || op.Path == ""
}

// cannotSendPage says why an operation cannot be sent from here and what
// would make it callable.
func cannotSendPage(e env, conn *catalog.Connector, op *catalog.Operation) *messagePage {
	name := op.Name
	if name == "" {
		name = op.ID
	}
	text := []string{
		safeterm.Line(name) + " cannot be sent from here",
		"",
		"Its HTTP method and path are unknown: the catalogue knows this operation only from the connector's reference page, which does not give them. A test call needs both.",
		"",
		"What would make it callable:",
		"• Import the connector's definition (its apiDefinition.swagger.json): `connex import PATH` with a clone of microsoft/PowerPlatformConnectors or its archive https://github.com/microsoft/PowerPlatformConnectors/archive/refs/heads/dev.tar.gz, or ctrl+o here. The operation then has a method and path, and t opens the test-call form.",
	}
	if conn.ViaConnection {
		text = append(text,
			"• A connection: calls to "+safeterm.Line(conn.Name)+" go through a Power Platform connection, not straight to the service. Create a connection in Power Automate or Power Apps and call the operation there (or through the Power Platform API with that connection).")
	}
	text = append(text, "", "esc goes back.")
	return newMessagePage(e, "Cannot send", text)
}
