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
	title string
	text  []string // safe, unstyled paragraphs; "" is a blank line
	doc   doc
	m     *Model
}

func (p *messagePage) crumb() string        { return p.title }
func (p *messagePage) typing() bool         { return false }
func (p *messagePage) owns(int64) bool      { return false }
func (p *messagePage) view(m *Model) string { return p.doc.view(m.styles) }

func (p *messagePage) helpKeys(k keys.KeyMap) keys.Help {
	return keys.Help{
		Short: []key.Binding{k.Back, k.Help},
		Full:  [][]key.Binding{{k.Up, k.Down, k.Back}, {k.History, k.Help, k.Quit, k.ForceQuit}},
	}
}

func (p *messagePage) setSize(w, h int) {
	p.doc.setSize(w, h)
	s := p.m.styles
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

func (p *messagePage) update(m *Model, msg tea.Msg) tea.Cmd {
	if km, ok := msg.(tea.KeyMsg); ok {
		p.doc.navigate(km, m.keys)
	}
	return nil
}

// unsendable reports an operation without a method or path: known from
// the reference site only, it cannot be built into a request.
func unsendable(op *catalog.Operation) bool {
	return op.Method == "" || op.Path == ""
}

// cannotSendPage says why an operation cannot be sent from here and what
// would make it callable.
func cannotSendPage(m *Model, conn *catalog.Connector, op *catalog.Operation) *messagePage {
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
	p := &messagePage{title: "Cannot send", text: text, m: m}
	p.doc.cursorOn = false
	p.setSize(m.width, m.bodyHeight())
	return p
}
