package callform

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/internal/ppfake"
)

func parseKey(s string) tea.KeyMsg {
	named := map[string]tea.KeyType{
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "backspace": tea.KeyBackspace,
		"tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
	}
	if t, ok := named[s]; ok {
		return tea.KeyMsg{Type: t}
	}
	if s == " " {
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	if c, ok := strings.CutPrefix(s, "ctrl+"); ok && len(c) == 1 {
		return tea.KeyMsg{Type: tea.KeyType(c[0] - 'a' + 1)}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// snap is what a key may change on the form and its response.
type snap struct {
	state   state
	focus   int
	value   string
	sent    int
	copied  int
	offset  int
	view    string
	headers bool
	prompt  bool
	status  string
	closed  bool
	cmd     bool
}

// Issue 13, the test-call screens: every key the help of a screen lists
// does what it says; a binding without a check fails.
func TestEveryFormHelpKeyDoesWhatItSays(t *testing.T) {
	t.Parallel()
	long := `{"items":[` + strings.Repeat(`{"title":"a long title that runs well past the edge of an eighty column terminal, on purpose","n":1},`, 60) + `{"n":2}]}`
	screens := []struct {
		name, conn, op string
		setup          func(m *Model)
	}{
		{"text field", "sampleweather", "GetCurrentWeather", func(m *Model) { typeText(m, "Lisbon") }},
		{"choice field", "sampleweather", "GetCurrentWeather", func(m *Model) { typeText(m, "Lisbon"); press(m, "down") }},
		{"body field", "sampletasks", "CreateTaskV2", func(m *Model) {
			for m.fields[m.focus].kind != fieldBody {
				press(m, "tab")
			}
		}},
		{name: "connection picker", setup: func(m *Model) {
			typeText(m, "42")
			for m.fields[m.focus].kind != fieldConnection {
				press(m, "tab")
			}
		}},
		{"response", "sampleweather", "GetCurrentWeather", func(m *Model) {
			typeText(m, "Lisbon")
			press(m, "ctrl+s")
			m.resp.vp.SetYOffset(5)
		}},
	}
	read := func(m *Model, sent func() int, copied *int) snap {
		s := snap{state: m.state, focus: m.focus, sent: sent(), copied: *copied, status: m.status}
		if f := m.fields[m.focus]; f.isChoice() {
			s.value = f.value()
		}
		if m.resp != nil {
			s.offset, s.view, s.prompt = m.resp.vp.YOffset, m.resp.vp.View(), m.resp.capturing()
			s.headers = len(m.resp.sections) > 0 && m.resp.sections[0].open
		}
		return s
	}
	checks := map[string]func(b, a snap) bool{
		"next field":           func(b, a snap) bool { return a.focus != b.focus },
		"previous field":       func(b, a snap) bool { return a.focus != b.focus },
		"next choice":          func(b, a snap) bool { return a.value != b.value },
		"previous choice":      func(b, a snap) bool { return a.value != b.value },
		"send":                 func(b, a snap) bool { return a.sent == b.sent+1 },
		"send again":           func(b, a snap) bool { return a.sent == b.sent+1 },
		"edit body in $EDITOR": func(b, a snap) bool { return a.cmd },
		"full request preview": func(b, a snap) bool { return a.state == statePreview },
		"copy as curl":         func(b, a snap) bool { return a.copied == b.copied+1 },
		"close":                func(b, a snap) bool { return a.closed },
		"up":                   func(b, a snap) bool { return a.offset < b.offset },
		"down":                 func(b, a snap) bool { return a.offset > b.offset },
		"page up":              func(b, a snap) bool { return a.offset < b.offset },
		"page down":            func(b, a snap) bool { return a.offset > b.offset },
		"top":                  func(b, a snap) bool { return a.offset == 0 && b.offset > 0 },
		"bottom":               func(b, a snap) bool { return a.offset > b.offset },
		"scroll left":          func(b, a snap) bool { return a.view != b.view && a.offset == b.offset },
		"scroll right":         func(b, a snap) bool { return a.view != b.view && a.offset == b.offset },
		"show/hide headers":    func(b, a snap) bool { return a.headers != b.headers },
		"find":                 func(b, a snap) bool { return a.prompt && !b.prompt },
		"save body":            func(b, a snap) bool { return a.prompt && !b.prompt },
		"next match":           func(b, a snap) bool { return a.status != b.status && strings.HasPrefix(a.status, "match ") },
		"previous match":       func(b, a snap) bool { return a.status != b.status && strings.HasPrefix(a.status, "match ") },
		"back":                 func(b, a snap) bool { return a.state == stateForm && b.state == stateResponse },
	}
	for _, sc := range screens {
		// options wires a form of the screen; sent counts the calls
		// that reached a server.
		options := func(fd *fakeDo) (Options, func() int) {
			// The connection picker's screen: the widgets connector,
			// called through a connection listed by a loopback fake of
			// the platform (issue 12).
			if sc.name != "connection picker" {
				return testOptions(t, sc.conn, sc.op, fd), func() int { return len(fd.reqs) }
			}
			fake, signIn := startFake(t,
				ppfake.Connection{Name: "shared-widgets-1", Connector: "widgets", Environment: "env-1", DisplayName: "One", Status: "Connected"},
				ppfake.Connection{Name: "shared-widgets-2", Connector: "widgets", Environment: "env-1", DisplayName: "Two", Status: "Connected"})
			o := testOptions(t, "sampleweather", "GetCurrentWeather", fd)
			o.Connector, o.Operation = widgetsConnector()
			o.Platform = signIn
			return o, func() int {
				n := 0
				for _, r := range fake.Requests() {
					if strings.HasPrefix(r.Path, "/apim/") {
						n++
					}
				}
				return n
			}
		}
		var help []key.Binding
		{
			fd := &fakeDo{body: long}
			o, _ := options(fd)
			m := newTestForm(t, o, 80, 24)
			sc.setup(m)
			for _, g := range m.FullHelp() {
				help = append(help, g...)
			}
			help = append(help, m.ShortHelp()...)
		}
		seen := map[string]bool{}
		for _, b := range help {
			desc := b.Help().Desc
			check, ok := checks[desc]
			if !ok {
				t.Errorf("%s: help lists %q (%s) with no check", sc.name, b.Help().Key, desc)
				continue
			}
			for _, k := range b.Keys() {
				if seen[desc+k] {
					continue
				}
				seen[desc+k] = true
				fd := &fakeDo{body: long}
				copied := 0
				opts, sent := options(fd)
				opts.Copy = func(string) error { copied++; return nil }
				opts.Editor = "true"
				m := newTestForm(t, opts, 80, 24)
				sc.setup(m)
				switch desc {
				case "next match", "previous match":
					press(m, "/")
					typeText(m, "title")
					press(m, "enter")
				case "scroll left":
					press(m, "right", "right")
				}
				before := read(m, sent, &copied)
				_, cmd := m.Update(parseKey(k))
				closed := false
				switch {
				case cmd == nil, desc == "edit body in $EDITOR":
				case desc == "close":
					c, ok := cmd().(CloseMsg)
					closed = ok && c.ID == m.ID()
				default:
					settle(m, cmd)
				}
				after := read(m, sent, &copied)
				after.closed, after.cmd = closed, cmd != nil
				if !check(before, after) {
					t.Errorf("%s: %q says %q but did not:\nbefore %+v\nafter  %+v", sc.name, k, desc, before, after)
				}
			}
		}
	}
}
