package tui

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
)

// fakeCalls answers every test call with 200 and a fixed JSON body, and
// stands in for the mock: nothing leaves the process.
type fakeCalls struct{ reqs []*call.Request }

func (f *fakeCalls) do(ctx context.Context, req *call.Request) (*call.Response, error) {
	f.reqs = append(f.reqs, req)
	body := `{"city":"Lisbon","temperature":21.5}`
	return &call.Response{
		Status: 200, StatusText: "200 OK", Proto: "HTTP/1.1",
		Headers: http.Header{"Content-Type": {"application/json"}},
		Body:    []byte(body), Size: int64(len(body)), Duration: 42 * time.Millisecond, URL: req.MaskedURL(),
	}, nil
}

func (f *fakeCalls) options(t testing.TB, cat *catalog.Catalog) Options {
	opts := testOptions(cat, nil)
	opts.Do = f.do
	opts.StartMock = func(*catalog.Connector) (string, func(), error) { return "http://127.0.0.1:9", func() {}, nil }
	opts.History = call.OpenHistory(t.TempDir())
	return opts
}

// openWeatherOp searches and opens Sample Weather's Get current weather.
func openWeatherOp(t testing.TB, m *Model) *operationPage {
	t.Helper()
	typeText(m, "get current weather")
	press(m, "enter")
	op, ok := m.top().(*operationPage)
	if !ok || op.op.ID != "GetCurrentWeather" {
		t.Fatalf("top %T, want the GetCurrentWeather operation view:\n%s", m.top(), screen(m))
	}
	return op
}

func TestTryItOpensFormAndEscReturns(t *testing.T) {
	t.Parallel()
	fc := &fakeCalls{}
	m := New(fc.options(t, catalog.Sample()))
	settle(m, m.Init())
	send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	op := openWeatherOp(t, m)

	press(m, "t")
	hp, ok := m.top().(*hostPage)
	if !ok || len(m.stack) != 3 || hp.history {
		t.Fatalf("after t: top %T, depth %d", m.top(), len(m.stack))
	}
	s := screen(m)
	for _, want := range []string{"connex Search › Get current weather › Test call", "Test call · Sample Weather › Get current weather", "City *", "ctrl+s send", "f1 help"} {
		if !strings.Contains(s, want) {
			t.Fatalf("form screen lacks %q:\n%s", want, s)
		}
	}

	// Letters are text on the form: q, ?, H and / go into the field.
	for _, k := range []string{"q", "?", "H", "/"} {
		_, cmd := m.Update(keyMsg(k))
		if cmd != nil {
			if _, quit := cmd().(tea.QuitMsg); quit {
				t.Fatalf("%s quit the TUI from the form", k)
			}
		}
	}
	if m.showHelp || m.top() != hp || !strings.Contains(screen(m), "current?city=q%3FH%2F") {
		t.Fatalf("keys were not typed into the form (help %v, top %T):\n%s", m.showHelp, m.top(), screen(m))
	}
	press(m, "backspace", "backspace", "backspace", "backspace")
	typeText(m, "Lisbon")

	// f1 shows the form's keys in the overlay.
	press(m, "f1")
	// A GET without a body: no editor key is offered.
	if s := screen(m); !m.showHelp || !strings.Contains(s, "Keys: Test call") || !strings.Contains(s, "full request preview") || strings.Contains(s, "$EDITOR") {
		t.Fatalf("help overlay:\n%s", s)
	}
	press(m, "esc")

	// Send (to the fake), read the response; q is free there, esc goes
	// back to the form, esc again closes it.
	send(m, tea.KeyMsg{Type: tea.KeyCtrlS})
	if len(fc.reqs) != 1 || fc.reqs[0].URL.String() != "http://127.0.0.1:9/weather/current?city=Lisbon" {
		t.Fatalf("requests %v", fc.reqs)
	}
	if s := screen(m); !strings.Contains(s, "200 OK") || !strings.Contains(s, `"temperature": 21.5`) {
		t.Fatalf("response screen:\n%s", s)
	}
	if hp.Capturing() {
		t.Fatal("the response screen reports typing")
	}
	press(m, "esc")
	if m.top() != hp || !hp.Capturing() {
		t.Fatalf("esc on the response: top %T", m.top())
	}
	press(m, "esc")
	if m.top() != op || len(m.stack) != 2 {
		t.Fatalf("esc on the form: top %T depth %d", m.top(), len(m.stack))
	}
	all, err := m.opts.History.List()
	if err != nil || len(all) != 1 || all[0].Status != 200 || all[0].Params["city"] != "Lisbon" || !all[0].Mock {
		t.Fatalf("history %+v, %v", all, err)
	}

	// H opens the history from the operation view; esc comes back.
	press(m, "H")
	hh, ok := m.top().(*hostPage)
	if !ok || !hh.history {
		t.Fatalf("after H: top %T", m.top())
	}
	if s := screen(m); !strings.Contains(s, "Call history · 1 call") || !strings.Contains(s, "#1    Jan 04 00:00 GET    200      42 ms  sampleweather/GetCurrentWeather") {
		t.Fatalf("history screen:\n%s", s)
	}
	press(m, "H") // already there: nothing stacks up
	if len(m.stack) != 3 {
		t.Fatalf("H twice: depth %d", len(m.stack))
	}
	press(m, "esc")
	if m.top() != op {
		t.Fatalf("esc on the history: top %T", m.top())
	}
}

func TestTryItFromConnectorOps(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, catalog.Sample(), 80, 24)
	typeText(m, "sample tasks")
	press(m, "enter")
	cp, ok := m.top().(*connectorPage)
	if !ok {
		t.Fatalf("top %T", m.top())
	}
	press(m, "t") // the info pane has the focus: nothing to try
	if m.top() != cp {
		t.Fatalf("t on the info pane opened %T", m.top())
	}
	press(m, "tab", "down", "t")
	if _, ok := m.top().(*hostPage); !ok {
		t.Fatalf("t on an operation row: top %T", m.top())
	}
	want := fmt.Sprintf("Test call · Sample Tasks › %s", cp.ops[1].Name)
	if s := screen(m); !strings.Contains(s, want) {
		t.Fatalf("form screen lacks %q:\n%s", want, s)
	}
	press(m, "esc")
	if m.top() != cp {
		t.Fatalf("esc: top %T", m.top())
	}
}

func TestHistoryFromSearch(t *testing.T) {
	t.Parallel()
	fc := &fakeCalls{}
	m := New(fc.options(t, catalog.Sample()))
	settle(m, m.Init())
	send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	press(m, "H") // typed into the search box
	if m.search.input.Value() != "H" || len(m.stack) != 1 {
		t.Fatalf("H in the search box: query %q depth %d", m.search.input.Value(), len(m.stack))
	}
	press(m, "backspace", "tab", "H")
	if hp, ok := m.top().(*hostPage); !ok || !hp.history {
		t.Fatalf("H on the results: top %T", m.top())
	}
	if s := screen(m); !strings.Contains(s, "No calls yet") || !strings.Contains(s, "Search › History") {
		t.Fatalf("empty history:\n%s", s)
	}
	press(m, "esc")
	if len(m.stack) != 1 {
		t.Fatalf("esc: depth %d", len(m.stack))
	}
}

// TestLeavingFormCancelsSend drops a form with a send in flight (the
// search key from its response, then a catalogue reload) and checks its
// context is cancelled.
func TestLeavingFormCancelsSend(t *testing.T) {
	t.Parallel()
	started := make(chan context.Context, 1)
	opts := (&fakeCalls{}).options(t, catalog.Sample())
	opts.Do = func(ctx context.Context, req *call.Request) (*call.Response, error) {
		started <- ctx
		<-ctx.Done()
		return nil, ctx.Err()
	}
	m := New(opts)
	settle(m, m.Init())
	send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	openWeatherOp(t, m)
	press(m, "t")
	typeText(m, "Porto")
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyCtrlS})
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Run the batch's send command; it blocks until cancelled.
		for _, c := range cmd().(tea.BatchMsg) {
			if c != nil {
				c()
			}
		}
	}()
	ctx := <-started
	if !strings.Contains(screen(m), "sending") {
		t.Fatalf("not sending:\n%s", screen(m))
	}
	m.setCatalog(m.cat, m.searcher) // a reload drops every page
	<-done
	if ctx.Err() == nil || len(m.stack) != 1 {
		t.Fatalf("send not cancelled (%v) or depth %d", ctx.Err(), len(m.stack))
	}
}

// TestFlowTryItWeather is the learner's path on the real program loop:
// search the sample catalogue (a real in-memory index), open Sample
// Weather > Get current weather, try it, type a city, send to the real
// in-process mock on 127.0.0.1, read 200 OK, and go back.
func TestFlowTryItWeather(t *testing.T) {
	t.Parallel()
	cat := catalog.Sample()
	ix, err := index.NewMemory(cat)
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions(cat, nil)
	opts.Searcher = ix
	opts.History = call.OpenHistory(t.TempDir())
	m := New(opts)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitScreen(t, tm, "13 results")

	tm.Type("weather")
	waitScreen(t, tm, "3 results")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter}) // the connector the query names, before its operations
	waitScreen(t, tm, "Operations (")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	tm.Type("f")
	tm.Type("current")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitScreen(t, tm, "Operation ID: GetCurrentWeather")

	tm.Type("t")
	// The trail loses its start, not the page being shown.
	waitScreen(t, tm, "connex … Weather › Get current weather › Test call", "Test call · Sample Weather › Get current weather", "City *")
	tm.Type("Lisbon")
	waitScreen(t, tm, "current?city=Lisbon")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlS})
	waitScreen(t, tm, "200 OK", "GET http://127.0.0.1:", `"Lisbon"`)

	tm.Send(tea.KeyMsg{Type: tea.KeyEsc}) // response -> form
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc}) // form -> operation view
	waitScreen(t, tm, "t try it")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})

	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	op, ok := final.top().(*operationPage)
	if !ok || op.op.ID != "GetCurrentWeather" || len(final.stack) != 3 {
		t.Fatalf("final: top %T depth %d", final.top(), len(final.stack))
	}
	all, err := opts.History.List()
	if err != nil || len(all) != 1 || all[0].Status != 200 || !all[0].Mock || all[0].Params["city"] != "Lisbon" {
		t.Fatalf("history %+v, %v", all, err)
	}
}

// TestGoldenTryIt pins the test-call screens inside the explorer: the
// form, its key help, a response and the history with that call.
func TestGoldenTryIt(t *testing.T) {
	t.Parallel()
	for _, sz := range goldenSizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			fc := &fakeCalls{}
			m := New(fc.options(t, catalog.Sample()))
			settle(m, m.Init())
			send(m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			openWeatherOp(t, m)
			press(m, "t")
			typeText(m, "Lisbon")
			checkGolden(t, fmt.Sprintf("tryit_form_%dx%d", sz[0], sz[1]), screen(m))
			press(m, "f1")
			checkGolden(t, fmt.Sprintf("tryit_help_%dx%d", sz[0], sz[1]), screen(m))
			press(m, "esc", "ctrl+s")
			checkGolden(t, fmt.Sprintf("tryit_response_%dx%d", sz[0], sz[1]), screen(m))
			press(m, "esc", "esc", "H")
			checkGolden(t, fmt.Sprintf("tryit_history_%dx%d", sz[0], sz[1]), screen(m))
		})
	}
}
