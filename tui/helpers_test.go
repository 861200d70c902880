package tui

import (
	"context"
	"errors"
	"os"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
)

// fixedNow is the test clock: three days after the sample catalogue.
var fixedNow = time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	// Deterministic rendering: no colour queries to a terminal.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// recorder collects what the injected actions were asked to do.
type recorder struct {
	copied []string
	opened []string
}

func testOptions(cat *catalog.Catalog, rec *recorder) Options {
	return Options{
		Catalog:  cat,
		Searcher: index.NewScanSearcher(cat),
		Now:      func() time.Time { return fixedNow },
		Copy: func(s string) error {
			if rec != nil {
				rec.copied = append(rec.copied, s)
			}
			return nil
		},
		OpenURL: func(u string) error {
			if rec != nil {
				rec.opened = append(rec.opened, u)
			}
			return nil
		},
	}
}

// newTestModel is a model over cat at w x h with its first search done.
func newTestModel(t testing.TB, cat *catalog.Catalog, w, h int) *Model {
	t.Helper()
	m := New(testOptions(cat, nil))
	settle(m, m.Init())
	send(m, tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// settle runs commands synchronously, feeding their messages back, until
// none is left. Spinner ticks are dropped (they only animate).
func settle(m *Model, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for n := 0; len(queue) > 0 && n < 1000; n++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case nil, spinner.TickMsg, tea.QuitMsg:
			continue
		case tea.BatchMsg:
			queue = append(queue, msg...)
			continue
		}
		_, next := m.Update(msg)
		queue = append(queue, next)
	}
}

// send delivers msgs one by one, settling each.
func send(m *Model, msgs ...tea.Msg) {
	for _, msg := range msgs {
		_, cmd := m.Update(msg)
		settle(m, cmd)
	}
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+o":
		return tea.KeyMsg{Type: tea.KeyCtrlO}
	case "ctrl+r":
		return tea.KeyMsg{Type: tea.KeyCtrlR}
	case "ctrl+s":
		return tea.KeyMsg{Type: tea.KeyCtrlS}
	case "f1":
		return tea.KeyMsg{Type: tea.KeyF1}
	}
	if strings.HasPrefix(k, "alt+") {
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k[4:]), Alt: true}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		send(m, keyMsg(k))
	}
}

// typeText types s into whatever has the focus, one key per rune.
func typeText(m *Model, s string) {
	for _, r := range s {
		send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func screen(m *Model) string { return ansi.Strip(m.View()) }

// checkGolden compares the plain screen with its golden file,
// testdata/<test>/<name>.golden, through charmbracelet/x/exp/golden (the
// one golden helper; -update rewrites the files).
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	if path.Base(t.Name()) == name {
		golden.RequireEqual(t, []byte(got))
		return
	}
	t.Run(name, func(t *testing.T) { golden.RequireEqual(t, []byte(got)) })
}

// errSearcher fails every search.
type errSearcher struct{}

func (errSearcher) Search(context.Context, index.Query) (*index.Result, error) {
	return nil, errors.New("index is corrupt: segment 3 unreadable")
}
