package tui

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/connex-dev/connex/catalog"
)

// waitScreen waits until the program has written all of wants.
func waitScreen(t *testing.T, tm *teatest.TestModel, wants ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, w := range wants {
			if !bytes.Contains(b, []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

func TestFlowSearchOpenBack(t *testing.T) {
	t.Parallel()
	m := New(testOptions(catalog.Sample(), nil))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitScreen(t, tm, "13 results")

	tm.Type("sample tasks")
	waitScreen(t, tm, "5 results")

	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitScreen(t, tm, "Operations (5)", "Publisher: connex samples")

	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitScreen(t, tm, "Operation ID: GetTask", "/tasks/v1/tasks/{taskId}")

	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitScreen(t, tm, "Operations 5 shown")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})

	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	if len(final.stack) != 1 || final.search.input.Value() != "sample tasks" {
		t.Fatalf("final: depth %d, query %q", len(final.stack), final.search.input.Value())
	}
	if _, ok := final.top().(*searchPage); !ok {
		t.Fatalf("final page %T", final.top())
	}
}

func TestFlowFilterAndHelp(t *testing.T) {
	t.Parallel()
	m := New(testOptions(catalog.Sample(), nil))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	waitScreen(t, tm, "13 results")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	tm.Type("K") // connectors only
	waitScreen(t, tm, "kind:connectors", "3 results")
	tm.Type("?")
	waitScreen(t, tm, "Keys: Search", "clear filters")
	tm.Type("?")
	tm.Type("q")
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	if final.search.total != 3 || final.showHelp {
		t.Fatalf("final: total %d help %v", final.search.total, final.showHelp)
	}
}

// hostile holds terminal escapes in every kind of text the TUI shows.
const hostile = "Clears\x1b[2J the screen, sets the clipboard \x1b]52;c;cm0gLXJmIC8=\x07, links \x1b]8;;https://evil.invalid\x1b\\here\x1b]8;;\x1b\\ and rewrites\rthe line"

func hostileCatalog() *catalog.Catalog {
	c := catalog.Sample()
	conn, _ := c.Connector("sampletasks")
	conn.Description = hostile
	conn.Publisher = "Evil\x1b[31m Corp\r"
	conn.KnownIssues = []catalog.KnownIssue{{Summary: "issue\x1b[2J", Description: hostile}}
	op := conn.Operation("ListTasks")
	op.Name = "List\x1b]0;pwned\x07 tasks"
	op.Description = hostile
	op.Parameters[0].Description = hostile
	op.Parameters[0].Enum = []string{"a\x1b[2Jb"}
	conn.Definitions["Task"] = json.RawMessage(`{"type":"object","properties":{"t\u001b[2Jx":{"type":"string","description":"d\u001b]52;c;eA==\u0007e\r"}}}`)
	return c
}

var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// TestHostileTextIsInert renders screens with hostile catalogue text, in
// colour, and checks that the only escapes left are the TUI's own colours.
func TestHostileTextIsInert(t *testing.T) {
	// Not parallel: it sets the global colour profile.
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	check := func(name string, m *Model) {
		t.Helper()
		v := m.View()
		rest := sgr.ReplaceAllString(v, "")
		if i := strings.IndexAny(rest, "\x1b\r\x07"); i >= 0 {
			t.Fatalf("%s: raw control character %q at %d in:\n%q", name, rest[i], i, rest)
		}
		for _, ctl := range []rune{0x9b, 0x9d} {
			if strings.ContainsRune(rest, ctl) {
				t.Fatalf("%s: C1 control %q", name, ctl)
			}
		}
	}
	m := newTestModel(t, hostileCatalog(), 160, 48)
	typeText(m, "tasks")
	check("search", m)
	for m.search.cursor = 0; m.search.cursor < len(m.search.hits); m.search.cursor++ {
		check("preview", m)
	}
	m.search.cursor = 0
	for i, h := range m.search.hits {
		if h.OperationID == "" && h.ConnectorID == "sampletasks" {
			m.search.cursor = i
		}
	}
	press(m, "enter")
	check("connector", m)
	if !strings.Contains(m.View(), "␛[2J") || !strings.Contains(m.View(), "␛]52;c;cm0gLXJmIC8=␇") || !strings.Contains(m.View(), "␍") {
		t.Fatalf("escapes not shown as visible symbols:\n%s", m.View())
	}
	m.top().(*connectorPage).focusOps = true
	press(m, "enter") // ListTasks is the first operation
	if op, ok := m.top().(*operationPage); !ok || op.op.ID != "ListTasks" {
		t.Fatalf("top %T", m.top())
	}
	press(m, "e")
	check("operation", m)
	if !strings.Contains(m.View(), "t␛[2Jx") {
		t.Fatalf("schema property name not shown inert:\n%s", m.View())
	}
	press(m, "tab") // narrow connector view
	send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	check("operation 80", m)
	press(m, "esc")
	check("connector 80", m)
}
