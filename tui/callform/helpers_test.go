package callform

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/secrets"
)

var fixedNow = time.Date(2026, 1, 4, 10, 30, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Unsetenv("NO_COLOR")
	os.Exit(m.Run())
}

func sampleOp(t testing.TB, connID, opID string) (*catalog.Connector, *catalog.Operation) {
	t.Helper()
	conn, ok := catalog.Sample().Connector(connID)
	if !ok {
		t.Fatalf("no sample connector %s", connID)
	}
	op := conn.Operation(opID)
	if op == nil {
		t.Fatalf("no operation %s/%s", connID, opID)
	}
	return conn, op
}

// fakeDo answers every request with a fixed response, recording requests.
type fakeDo struct {
	status  int
	headers http.Header
	body    string
	reqs    []*call.Request
}

func (f *fakeDo) do(ctx context.Context, req *call.Request) (*call.Response, error) {
	f.reqs = append(f.reqs, req)
	st := f.status
	if st == 0 {
		st = 200
	}
	h := f.headers
	if h == nil {
		h = http.Header{"Content-Type": {"application/json"}}
	}
	return &call.Response{
		Status: st, StatusText: fmt.Sprintf("%d %s", st, http.StatusText(st)), Proto: "HTTP/1.1",
		Headers: h, Body: []byte(f.body), Size: int64(len(f.body)),
		Duration: 42 * time.Millisecond, URL: req.MaskedURL(),
	}, nil
}

// testOptions wires a form to fakes: no keyring, no network, no mock.
func testOptions(t testing.TB, connID, opID string, fd *fakeDo) Options {
	conn, op := sampleOp(t, connID, opID)
	return Options{
		Connector: conn, Operation: op,
		Profiles: func() ([]secrets.Profile, error) {
			return []secrets.Profile{
				{Connector: "sampletasks", Name: "default", Type: call.AuthAPIKey, Storage: secrets.StorageEnv, Env: "TASKS_KEY"},
				{Connector: "sampleweather", Name: "work", Type: call.AuthAPIKey, Storage: secrets.StorageEnv, Env: "WEATHER_KEY"},
			}, nil
		},
		Secret: func(context.Context, secrets.Profile) (string, error) { return "s3cr3t-canary-value", nil },
		Do:     fd.do,
		StartMock: func(*catalog.Connector) (string, func(), error) {
			return "http://127.0.0.1:9", func() {}, nil
		},
		Now:  func() time.Time { return fixedNow },
		Copy: func(string) error { return nil },
	}
}

func newTestForm(t testing.TB, opts Options, w, h int) *Model {
	t.Helper()
	m := New(opts)
	settle(m, m.Init())
	send(m, tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// settle runs commands synchronously, feeding their messages back, until
// none is left. Spinner ticks only animate and are dropped.
func settle(m tea.Model, cmd tea.Cmd) {
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

func send(m tea.Model, msgs ...tea.Msg) {
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
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "ctrl+s":
		return tea.KeyMsg{Type: tea.KeyCtrlS}
	case "ctrl+p":
		return tea.KeyMsg{Type: tea.KeyCtrlP}
	case "ctrl+y":
		return tea.KeyMsg{Type: tea.KeyCtrlY}
	case "ctrl+r":
		return tea.KeyMsg{Type: tea.KeyCtrlR}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func press(m tea.Model, keys ...string) {
	for _, k := range keys {
		send(m, keyMsg(k))
	}
}

func typeText(m tea.Model, s string) {
	for _, r := range s {
		send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func screen(m interface{ View() string }) string { return ansi.Strip(m.View()) }

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

type secretsProfile = secrets.Profile

func windowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
