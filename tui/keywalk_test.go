package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// parseKey turns a binding's key name into the message a terminal sends.
func parseKey(s string) tea.KeyMsg {
	named := map[string]tea.KeyType{
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "backspace": tea.KeyBackspace,
		"tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab, "f1": tea.KeyF1,
	}
	if t, ok := named[s]; ok {
		return tea.KeyMsg{Type: t}
	}
	if s == " " {
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	if c, ok := strings.CutPrefix(s, "ctrl+"); ok && len(c) == 1 && c[0] >= 'a' && c[0] <= 'z' {
		return tea.KeyMsg{Type: tea.KeyType(c[0] - 'a' + 1)}
	}
	if r, ok := strings.CutPrefix(s, "alt+"); ok {
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(r), Alt: true}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// walkScreen is a screen whose help is walked: setup brings a fresh model
// there; pos is the position the movement keys change.
type walkScreen struct {
	name  string
	setup func(m *Model)
	pos   func(m *Model) int
}

// state is what a key may change, read before and after it.
type state struct {
	depth, pos, copied, opened int
	top                        string
	help, jump, job, typing    bool
	focus                      searchFocus
	pane                       bool // the connector page's operations pane
	filters                    int
	info                       string
	quit                       bool
}

func read(m *Model, w walkScreen, rec *recorder) state {
	n := 0
	for _, v := range m.search.sel {
		n += len(v)
	}
	pane := false
	if cp, ok := m.top().(*connectorPage); ok {
		pane = cp.focusOps
		if cp.kind != "" {
			n++
		}
		if cp.internal {
			n++
		}
	}
	return state{
		depth: len(m.stack), pos: w.pos(m), copied: len(rec.copied), opened: len(rec.opened),
		top: fmt.Sprintf("%T", m.top()), help: m.showHelp, jump: m.jump != nil, job: m.job != nil,
		typing: m.top().Capturing(), focus: m.search.focus, pane: pane, filters: n, info: m.info,
	}
}

// pressKey delivers one key, settling its commands, and reports a quit.
func pressKey(m *Model, k string) (quit bool) {
	_, cmd := m.Update(parseKey(k))
	if cmd != nil {
		if msg := cmd(); msg != nil {
			if _, ok := msg.(tea.QuitMsg); ok {
				return true
			}
			_, next := m.Update(msg)
			settle(m, next)
		}
	}
	return false
}

// Issue 13: every key the help of a screen lists does what the help
// says. A binding with no check here fails the test, so a new key in the
// help needs one.
func TestEveryHelpKeyDoesWhatItSays(t *testing.T) {
	t.Parallel()
	docPos := func(m *Model) int {
		switch p := m.top().(type) {
		case *connectorPage:
			if p.focusOps {
				return p.cursor
			}
			return p.info.offset
		case *operationPage:
			return p.doc.cursor
		case *auditPage:
			return p.doc.cursor
		}
		return m.search.cursor
	}
	jump := func(target string) func(m *Model) {
		return func(m *Model) {
			press(m, "tab", ":")
			typeText(m, target)
			press(m, "enter")
		}
	}
	screens := []walkScreen{
		{"search box", func(m *Model) {}, docPos},
		{"search results", func(m *Model) { press(m, "tab", "down", "down") }, docPos},
		{"connector", jump("fixnotes"), docPos},
		{"connector operations", func(m *Model) { jump("fixnotes")(m); press(m, "tab", "down") }, docPos},
		{"operation", func(m *Model) { jump("fixnotes/OldList")(m); press(m, "down", "down") }, docPos},
		// Issue 14: the audit, its cursor on an operation.
		{"audit", func(m *Model) {
			p := newAuditPage(m.env(), fixtureReport())
			m.push(p)
			for i, l := range p.doc.lines {
				if strings.Contains(l.text, "OldList") {
					p.doc.cursor = i
				}
			}
		}, docPos},
	}
	checks := map[string]func(before, after state, m *Model, rec *recorder, k string) bool{
		"up":        func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.pos < b.pos },
		"down":      func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.pos > b.pos },
		"page up":   func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.pos < b.pos },
		"page down": func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.pos > b.pos },
		"top":       func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.pos == 0 && b.pos > 0 },
		"bottom":    func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.pos > b.pos },
		"open": func(b, a state, m *Model, _ *recorder, _ string) bool {
			return a.depth > b.depth || a.top != b.top || (a.pane && !b.pane)
		},
		"next pane":     func(b, a state, m *Model, _ *recorder, _ string) bool { return a != b },
		"previous pane": func(b, a state, m *Model, _ *recorder, _ string) bool { return a != b },
		"back":          func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.depth < b.depth },
		"kind":          func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.filters > b.filters },
		"tier":          func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.filters > b.filters },
		"product":       func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.filters > b.filters },
		"publisher":     func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.filters > b.filters },
		"preview":       func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.filters > b.filters },
		"deprecated":    func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.filters > b.filters },
		"internal ops":  func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.filters > b.filters },
		"clear filters": func(b, a state, _ *Model, _ *recorder, _ string) bool { return b.filters > 0 && a.filters == 0 },
		"filter operations": func(b, a state, _ *Model, _ *recorder, _ string) bool {
			return a.typing && !b.typing
		},
		"try it": func(b, a state, m *Model, _ *recorder, _ string) bool {
			return a.depth == b.depth+1 && (m.hostedTop() != nil || a.top == "*tui.messagePage")
		},
		"open docs": func(b, a state, m *Model, _ *recorder, _ string) bool {
			return a.opened == b.opened+1 && strings.HasPrefix(a.info, "opened https://")
		},
		"copy id": func(b, a state, _ *Model, rec *recorder, _ string) bool {
			return a.copied == b.copied+1 && !strings.Contains(rec.copied[len(rec.copied)-1], " ")
		},
		"copy connector id": func(b, a state, _ *Model, rec *recorder, _ string) bool {
			return a.copied == b.copied+1 && rec.copied[len(rec.copied)-1] == "fixnotes"
		},
		"copy `connex show`": func(b, a state, _ *Model, rec *recorder, _ string) bool {
			return a.copied == b.copied+1 && strings.HasPrefix(rec.copied[len(rec.copied)-1], "connex show ")
		},
		"go to id": func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.jump },
		"import":   func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.job },
		"refresh":  func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.job },
		"search":   func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.depth == 1 && a.focus == focusInput },
		"call history": func(b, a state, m *Model, _ *recorder, _ string) bool {
			return m.hostedTop() != nil && m.hostedTop().history
		},
		"help": func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.help },
		"quit": func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.quit },
		"find": func(b, a state, _ *Model, _ *recorder, _ string) bool { return a.typing && !b.typing },
		"next match": func(b, a state, _ *Model, _ *recorder, _ string) bool {
			n, of := matchNo(b.info)
			m, _ := matchNo(a.info)
			return of > 1 && m == n%of+1
		},
		"previous match": func(b, a state, _ *Model, _ *recorder, _ string) bool {
			n, of := matchNo(b.info)
			m, _ := matchNo(a.info)
			return of > 1 && m == (n+of-2)%of+1
		},
		"fold/unfold": func(b, a state, m *Model, _ *recorder, k string) bool {
			op := m.top().(*operationPage)
			n := op.responses[0]
			return n.Expanded == (k != "left")
		},
		"expand all": func(b, a state, m *Model, _ *recorder, _ string) bool {
			return m.top().(*operationPage).responses[0].Children[0].Expanded
		},
		"collapse all": func(b, a state, m *Model, _ *recorder, _ string) bool {
			return !m.top().(*operationPage).responses[0].Children[0].Expanded
		},
		"go to replacement": func(b, a state, m *Model, _ *recorder, _ string) bool {
			op, ok := m.top().(*operationPage)
			return ok && op.conn.ID == "fixpages" && op.op.ID == "ListPages"
		},
	}
	// prepare puts the screen in the state a key needs to show its effect.
	prepare := func(m *Model, desc, k string) {
		switch desc {
		case "clear filters":
			m.search.sel["tier"] = []string{"premium"}
		case "top", "up", "page up":
			m.search.cursor = 3
			if op, ok := m.top().(*operationPage); ok {
				op.doc.cursor = 3
			}
			if ap, ok := m.top().(*auditPage); ok {
				ap.doc.cursor = 3
			}
			if cp, ok := m.top().(*connectorPage); ok {
				cp.cursor, cp.info.offset = 2, 3
			}
		case "next match", "previous match":
			press(m, "/")
			typeText(m, "note")
			press(m, "enter")
		case "fold/unfold":
			op := m.top().(*operationPage)
			n := op.responses[0]
			n.Expanded = k == "left"
			op.rebuild()
			for i, l := range op.doc.lines {
				if l.node == n {
					op.doc.cursor = i
				}
			}
		case "collapse all":
			m.top().(*operationPage).responses[0].setAll(true)
		}
	}
	for _, sc := range screens {
		base := New(testOptions(fixtureCatalog(), nil))
		help := func() []key.Binding {
			settle(base, base.Init())
			send(base, tea.WindowSizeMsg{Width: 80, Height: 24})
			sc.setup(base)
			all := append([]key.Binding(nil), base.top().ShortHelp()...)
			for _, g := range base.top().FullHelp() {
				all = append(all, g...)
			}
			return all
		}()
		seen := map[string]bool{}
		for _, b := range help {
			desc := b.Help().Desc
			check, ok := checks[desc]
			if !ok {
				t.Errorf("%s: help lists %q (%s) and no check says what it does", sc.name, b.Help().Key, desc)
				continue
			}
			for _, k := range b.Keys() {
				id := desc + "\x00" + k
				if seen[id] {
					continue
				}
				seen[id] = true
				rec := &recorder{}
				opts := testOptions(fixtureCatalog(), rec)
				opts.Import = func(context.Context, string, func(int, int, string)) error { return nil }
				opts.Refresh = func(context.Context, func(int, int, string)) error { return nil }
				m := New(opts)
				settle(m, m.Init())
				send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
				sc.setup(m)
				prepare(m, desc, k)
				before := read(m, sc, rec)
				quit := pressKey(m, k)
				after := read(m, sc, rec)
				after.quit = quit
				if !check(before, after, m, rec, k) {
					t.Errorf("%s: %q says %q but did not:\nbefore %+v\nafter  %+v", sc.name, k, desc, before, after)
				}
			}
		}
	}
}

// matchNo reads "match N/OF ..."; zeros when absent.
func matchNo(info string) (n, of int) {
	if _, err := fmt.Sscanf(info, "match %d/%d", &n, &of); err != nil {
		return 0, 0
	}
	return n, of
}
