package callform

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
)

// host is the smallest embedding of the form: it quits when the form
// closes, as the main TUI would pop its page.
type host struct{ form *Model }

func (h host) Init() tea.Cmd { return h.form.Init() }

func (h host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if c, ok := msg.(CloseMsg); ok && c.ID == h.form.ID() {
		return h, tea.Quit
	}
	_, cmd := h.form.Update(msg)
	return h, cmd
}

func (h host) View() string { return h.form.View() }

func waitScreen(t *testing.T, tm *teatest.TestModel, wants ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, w := range wants {
			if !bytes.Contains(b, []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(15*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

// TestFlowSendToMock fills the weather form, sends it to a real
// in-process mock on 127.0.0.1 through the real client, and sees 200.
func TestFlowSendToMock(t *testing.T) {
	t.Parallel()
	conn, _ := catalog.Sample().Connector("sampleweather")
	op := conn.Operation("GetCurrentWeather")
	hist := call.OpenHistory(t.TempDir())
	form := New(Options{Connector: conn, Operation: op, History: hist})
	tm := teatest.NewTestModel(t, host{form}, teatest.WithInitialTermSize(80, 24))
	waitScreen(t, tm, "City *", "Request preview")

	tm.Type("Lisbon")
	waitScreen(t, tm, "current?city=Lisbon")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlS})
	waitScreen(t, tm, "200 OK", "GET http://127.0.0.1:", "(local mock)", `"city"`, `"Lisbon"`)

	tm.Send(tea.KeyMsg{Type: tea.KeyEsc}) // back to the form
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc}) // close
	final := tm.FinalModel(t, teatest.WithFinalTimeout(15*time.Second)).(host)
	if final.form.state != stateForm || final.form.sent == nil || final.form.sent.URL.Hostname() != "127.0.0.1" {
		t.Fatalf("final state %v, sent %v", final.form.state, final.form.sent)
	}
	all, err := hist.List()
	if err != nil || len(all) != 1 || all[0].Status != 200 || !all[0].Mock || all[0].Params["city"] != "Lisbon" {
		t.Fatalf("history %+v, %v", all, err)
	}
	if strings.Contains(all[0].URL, "connex-mock.localhost") {
		t.Fatalf("history URL is the placeholder: %s", all[0].URL)
	}
}
