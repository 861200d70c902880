package callform

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/secrets"
)

// runCmd runs one command and returns its messages (batches flattened,
// spinner ticks dropped).
func runCmd(cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case nil:
		case spinner.TickMsg:
		default:
			out = append(out, msg)
		}
	}
	return out
}

func sentMsgs(msgs []tea.Msg) []sentMsg {
	var out []sentMsg
	for _, m := range msgs {
		if s, ok := m.(sentMsg); ok {
			out = append(out, s)
		}
	}
	return out
}

func TestStaleSendDroppedAfterCancel(t *testing.T) {
	t.Parallel()
	fd := &fakeDo{body: `{"city":"Lisbon"}`}
	m := newTestForm(t, testOptions(t, "sampleweather", "GetCurrentWeather", fd), 80, 24)
	typeText(m, "Lisbon")
	_, cmd := m.Update(keyMsg("ctrl+s"))
	if m.state != stateSending {
		t.Fatalf("state after ctrl+s = %v, want sending", m.state)
	}
	_, _ = m.Update(keyMsg("esc"))
	if m.state != stateForm {
		t.Fatalf("state after esc = %v, want form", m.state)
	}
	// The cancelled call completes anyway; its result must not show.
	msgs := sentMsgs(runCmd(cmd))
	if len(msgs) != 1 {
		t.Fatalf("got %d results, want 1", len(msgs))
	}
	send(m, msgs[0])
	if m.state != stateForm || m.resp != nil {
		t.Fatalf("stale result shown: state %v resp %v", m.state, m.resp != nil)
	}
	if !strings.Contains(screen(m), "cancelled") {
		t.Fatalf("no cancel notice:\n%s", screen(m))
	}

	// An older send's result arriving during a newer send is dropped too.
	_, first := m.Update(keyMsg("ctrl+s"))
	_, _ = m.Update(keyMsg("esc"))
	_, second := m.Update(keyMsg("ctrl+s"))
	old := sentMsgs(runCmd(first))
	send(m, old[0])
	if m.state != stateSending {
		t.Fatalf("older result ended the newer send: state %v", m.state)
	}
	cur := sentMsgs(runCmd(second))
	send(m, cur[0])
	if m.state != stateResponse || !strings.Contains(screen(m), "200 OK") {
		t.Fatalf("newer result not shown: state %v\n%s", m.state, screen(m))
	}
}

func TestCancelCancelsContext(t *testing.T) {
	t.Parallel()
	started := make(chan struct{})
	var gotErr error
	var mu sync.Mutex
	opts := testOptions(t, "sampleweather", "GetCurrentWeather", &fakeDo{})
	opts.Do = func(ctx context.Context, req *call.Request) (*call.Response, error) {
		close(started)
		<-ctx.Done()
		mu.Lock()
		gotErr = ctx.Err()
		mu.Unlock()
		return nil, ctx.Err()
	}
	m := newTestForm(t, opts, 80, 24)
	typeText(m, "Oslo")
	_, cmd := m.Update(keyMsg("ctrl+s"))
	done := make(chan []tea.Msg)
	go func() { done <- runCmd(cmd) }()
	<-started
	_, _ = m.Update(keyMsg("esc"))
	msgs := <-done
	mu.Lock()
	defer mu.Unlock()
	if !errors.Is(gotErr, context.Canceled) {
		t.Fatalf("Do saw %v, want context.Canceled", gotErr)
	}
	for _, s := range sentMsgs(msgs) {
		send(m, s)
	}
	if m.state != stateForm || m.statusErr {
		t.Fatalf("after cancel: state %v status %q (err %v)", m.state, m.status, m.statusErr)
	}
}

func TestPostAsksForConfirmation(t *testing.T) {
	t.Parallel()
	fd := &fakeDo{status: 201, body: `{"id":"t-1"}`}
	opts := testOptions(t, "sampletasks", "CreateTaskV2", fd)
	opts.BaseURL = "http://127.0.0.1:9" // a real service: not the mock
	m := newTestForm(t, opts, 120, 40)
	press(m, "ctrl+s")
	if m.state != stateConfirm {
		t.Fatalf("state = %v, want confirm", m.state)
	}
	if got := screen(m); !strings.Contains(got, "Send POST http://127.0.0.1:9/tasks/v1/tasks to the real service? y/n") {
		t.Fatalf("no confirmation prompt:\n%s", got)
	}
	press(m, "n")
	if m.state != stateForm || len(fd.reqs) != 0 {
		t.Fatalf("after n: state %v, %d requests sent", m.state, len(fd.reqs))
	}
	press(m, "ctrl+s", "y")
	if m.state != stateResponse || len(fd.reqs) != 1 {
		t.Fatalf("after y: state %v, %d requests sent", m.state, len(fd.reqs))
	}
	r := fd.reqs[0]
	if r.Method != "POST" || r.URL.String() != "http://127.0.0.1:9/tasks/v1/tasks" || r.Header.Get("X-Api-Key") != "s3cr3t-canary-value" {
		t.Fatalf("sent %s %s key %q", r.Method, r.URL, r.Header.Get("X-Api-Key"))
	}
	if string(r.Body) != "{\n  \"title\": \"Write the report\"\n}" {
		t.Fatalf("body %q", r.Body)
	}
	if strings.Contains(screen(m), "s3cr3t-canary-value") {
		t.Fatal("secret on screen")
	}

	// The sample connector goes to the mock: no question asked.
	fd2 := &fakeDo{status: 201}
	m2 := newTestForm(t, testOptions(t, "sampletasks", "CreateTaskV2", fd2), 80, 24)
	press(m2, "ctrl+s")
	if m2.state != stateResponse || len(fd2.reqs) != 1 || fd2.reqs[0].URL.Host != "127.0.0.1:9" {
		t.Fatalf("mock send: state %v, %d requests", m2.state, len(fd2.reqs))
	}
}

func TestEnumCycling(t *testing.T) {
	t.Parallel()
	m := newTestForm(t, testOptions(t, "sampleweather", "GetCurrentWeather", &fakeDo{}), 80, 24)
	typeText(m, "Rome")
	press(m, "down") // Units
	units := m.fields[m.focus]
	if units.key != "units" || units.kind != fieldChoice {
		t.Fatalf("focused %q kind %v", units.key, units.kind)
	}
	want := []string{"metric", "imperial", "", "metric"}
	for _, w := range want {
		press(m, "right")
		if got := units.value(); got != w {
			t.Fatalf("after right: %q, want %q", got, w)
		}
	}
	press(m, "left", "left")
	if got := units.value(); got != "imperial" {
		t.Fatalf("after left left: %q", got)
	}
	press(m, "space")
	if got := units.value(); got != "" || m.req.URL.String() != "http://connex-mock.localhost/weather/current?city=Rome" {
		t.Fatalf("after space: %q, preview %s", got, m.req.URL)
	}
	press(m, "space")
	if got := m.req.URL.String(); got != "http://connex-mock.localhost/weather/current?city=Rome&units=metric" {
		t.Fatalf("preview URL %s", got)
	}
	// The profile picker cycles the same way: none -> work.
	press(m, "down", "right")
	if got := m.fields[m.focus].value(); got != "work" {
		t.Fatalf("profile %q", got)
	}
	if got := m.req.URL.String(); got != "http://connex-mock.localhost/weather/current?city=Rome&units=metric&appid=connex-placeholder-secret" {
		t.Fatalf("preview URL with key %s", got)
	}
	if strings.Contains(screen(m), "connex-placeholder-secret") || !strings.Contains(screen(m), "appid=****") {
		t.Fatalf("key not masked in preview:\n%s", screen(m))
	}
}

func TestValidationErrorNextToField(t *testing.T) {
	t.Parallel()
	m := newTestForm(t, testOptions(t, "sampleweather", "GetCurrentWeather", &fakeDo{}), 80, 24)
	if strings.Contains(screen(m), "✗") {
		t.Fatalf("error shown before any input:\n%s", screen(m))
	}
	press(m, "ctrl+s")
	if m.state != stateForm {
		t.Fatalf("state %v: an invalid form was sent", m.state)
	}
	lines := strings.Split(screen(m), "\n")
	at := func(prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), prefix) {
				return i
			}
		}
		t.Fatalf("no line %q in:\n%s", prefix, strings.Join(lines, "\n"))
		return -1
	}
	city, errLine, units := at("› City *"), at("✗ is required"), at("Units")
	if !(city < errLine && errLine < units) || errLine != city+3 {
		t.Fatalf("error at line %d, City at %d, Units at %d", errLine, city, units)
	}
	// Fixing the value clears the error at once.
	typeText(m, "Lisbon")
	if strings.Contains(screen(m), "✗") {
		t.Fatalf("error still shown:\n%s", screen(m))
	}
	// A bad body is reported next to the body.
	m2 := newTestForm(t, testOptions(t, "sampletasks", "CreateTaskV2", &fakeDo{}), 120, 40)
	press(m2, "tab") // the body
	typeText(m2, "}")
	press(m2, "ctrl+s")
	got := screen(m2)
	if !strings.Contains(got, "✗ is not valid JSON (invalid character '}'") {
		t.Fatalf("no body error:\n%s", got)
	}
}

func TestCopyCurlAndSave(t *testing.T) {
	t.Parallel()
	var copied []string
	var saved = map[string]string{}
	fd := &fakeDo{body: `{"city":"Lisbon","temperature":21.5}`}
	opts := testOptions(t, "sampleweather", "GetCurrentWeather", fd)
	opts.Copy = func(s string) error { copied = append(copied, s); return nil }
	opts.SaveFile = func(p string, b []byte) error { saved[p] = string(b); return nil }
	m := newTestForm(t, opts, 80, 24)
	typeText(m, "Lisbon")
	press(m, "down", "down", "right") // profile "work"
	press(m, "ctrl+s", "c")
	want := "# export CONNEX_SECRET=... (the secret) first\n" +
		"curl 'http://connex-mock.localhost/weather/current?city=Lisbon&appid='\"${CONNEX_SECRET}\" \\\n" +
		"  -H 'Accept: application/json' \\\n  -H 'User-Agent: connex'\n"
	if len(copied) != 1 || copied[0] != want {
		t.Fatalf("copied %q\nwant %q", copied, want)
	}
	press(m, "s")
	for range len("response.json") {
		press(m, "backspace")
	}
	typeText(m, "out.json")
	press(m, "enter")
	if saved["out.json"] != fd.body {
		t.Fatalf("saved %q", saved)
	}
	if !strings.Contains(screen(m), "saved 36 B to out.json") {
		t.Fatalf("no save notice:\n%s", screen(m))
	}

	// The default saver writes a private file.
	opts.SaveFile = nil
	m = newTestForm(t, opts, 80, 24)
	typeText(m, "Lisbon")
	press(m, "ctrl+s", "s")
	path := filepath.Join(t.TempDir(), "body.json")
	for range len("response.json") {
		press(m, "backspace")
	}
	typeText(m, path)
	press(m, "enter")
	b, err := os.ReadFile(path)
	if err != nil || string(b) != fd.body {
		t.Fatalf("file %q, %v", b, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
}

func TestSearchInResponse(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < 60; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"n":` + string(rune('0'+i%10)) + `,"name":"item"}`)
	}
	b.WriteString(`,{"name":"needle"}]`)
	fd := &fakeDo{body: b.String()}
	m := newTestForm(t, testOptions(t, "sampleweather", "GetCurrentWeather", fd), 80, 24)
	typeText(m, "x")
	press(m, "ctrl+s", "/")
	typeText(m, "NEEDLE")
	press(m, "enter")
	if m.resp.searchStatus() != `match 1/1 for "NEEDLE"` {
		t.Fatalf("status %q", m.resp.searchStatus())
	}
	if !strings.Contains(screen(m), `"name": "needle"`) {
		t.Fatalf("match not scrolled into view:\n%s", screen(m))
	}
	press(m, "/")
	for range 6 {
		press(m, "backspace")
	}
	typeText(m, "item")
	press(m, "enter", "n", "n", "N")
	if m.resp.searchStatus() != `match 2/60 for "item"` {
		t.Fatalf("status %q", m.resp.searchStatus())
	}
	press(m, "N", "N")
	if m.resp.searchStatus() != `match 60/60 for "item"` {
		t.Fatalf("wrap: status %q", m.resp.searchStatus())
	}
	press(m, "esc")
	if m.state != stateForm {
		t.Fatalf("esc from response: %v", m.state)
	}
	press(m, "esc")
}

func TestCloseEmitsCloseMsg(t *testing.T) {
	t.Parallel()
	m := newTestForm(t, testOptions(t, "sampleweather", "GetCurrentWeather", &fakeDo{}), 80, 24)
	_, cmd := m.Update(keyMsg("esc"))
	msgs := runCmd(cmd)
	if len(msgs) != 1 || msgs[0] != (CloseMsg{ID: m.ID()}) {
		t.Fatalf("got %#v", msgs)
	}
}

func TestSendErrorsStayOnForm(t *testing.T) {
	t.Parallel()
	opts := testOptions(t, "sampleweather", "GetCurrentWeather", &fakeDo{})
	opts.Do = func(context.Context, *call.Request) (*call.Response, error) {
		return nil, errors.New("dial tcp 127.0.0.1:9: connection refused")
	}
	m := newTestForm(t, opts, 80, 24)
	typeText(m, "Lisbon")
	press(m, "ctrl+s")
	if m.state != stateForm || !strings.Contains(screen(m), "the call failed: dial tcp 127.0.0.1:9: connection refused") {
		t.Fatalf("state %v:\n%s", m.state, screen(m))
	}
	// A secret that cannot be read is reported, nothing is sent.
	opts = testOptions(t, "sampleweather", "GetCurrentWeather", &fakeDo{})
	opts.Secret = func(context.Context, secrets.Profile) (string, error) {
		return "", secrets.ErrNoSecret
	}
	opts.Profile = "work"
	m = newTestForm(t, opts, 80, 24)
	typeText(m, "Lisbon")
	press(m, "ctrl+s")
	if !strings.Contains(screen(m), "auth profile work: secret unavailable") {
		t.Fatalf("no secret error:\n%s", screen(m))
	}
}

func TestHistoryAppended(t *testing.T) {
	t.Parallel()
	hist := call.OpenHistory(t.TempDir())
	fd := &fakeDo{body: `{"echo":"s3cr3t-canary-value"}`}
	opts := testOptions(t, "sampleweather", "GetCurrentWeather", fd)
	opts.History = hist
	opts.Profile = "work"
	m := newTestForm(t, opts, 80, 24)
	typeText(m, "Lisbon")
	press(m, "ctrl+s")
	all, err := hist.List()
	if err != nil || len(all) != 1 {
		t.Fatalf("history %d entries, %v", len(all), err)
	}
	e := all[0]
	if e.Connector != "sampleweather" || e.Operation != "GetCurrentWeather" || e.Status != 200 || !e.Mock || e.Auth != "work" ||
		e.Params["city"] != "Lisbon" || e.URL != "http://127.0.0.1:9/weather/current?city=Lisbon&appid=****" || !e.Time.Equal(fixedNow) {
		t.Fatalf("entry %+v", e)
	}
	raw, _ := os.ReadFile(hist.Path())
	if strings.Contains(string(raw), "s3cr3t-canary-value") {
		t.Fatal("secret in the history file")
	}
	if strings.Contains(screen(m), "s3cr3t-canary-value") {
		t.Fatalf("echoed secret on screen:\n%s", screen(m))
	}
}
