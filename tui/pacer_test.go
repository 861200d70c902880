package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/catalog"
)

// fakeTicker records what the pacer did to the renderer's ticker.
type fakeTicker struct {
	calls   []string
	running bool
}

func (t *fakeTicker) Stop() { t.calls = append(t.calls, "stop"); t.running = false }
func (t *fakeTicker) Reset(d time.Duration) {
	t.calls = append(t.calls, "reset "+d.String())
	t.running = true
}

// testPacer is a pacer over a fake ticker whose idle checks run when the
// test says (checks holds the ones scheduled).
func testPacer() (*framePacer, *fakeTicker, *[]func()) {
	tk := &fakeTicker{running: true}
	var checks []func()
	f := &framePacer{
		onIdle: func() { tk.calls = append(tk.calls, "idle") },
		prog:   &tea.Program{},
		find:   func(*tea.Program) (frameTicker, time.Duration, bool) { return tk, 5 * time.Millisecond, true },
		after:  func(_ time.Duration, fn func()) { checks = append(checks, fn) },
	}
	return f, tk, &checks
}

// runCheck runs the oldest scheduled idle check.
func runCheck(t *testing.T, checks *[]func()) {
	t.Helper()
	if len(*checks) == 0 {
		t.Fatal("no idle check scheduled")
	}
	fn := (*checks)[0]
	*checks = (*checks)[1:]
	fn()
}

// TestFramePacerStopsWhenIdle: the ticker runs while frames come, stops
// at the first check that saw no new frame (and the explorer is told it
// is idle), and runs again at the next frame; frames faster than the rate never reset a running ticker (that
// would push its tick back for ever).
func TestFramePacerStopsWhenIdle(t *testing.T) {
	f, tk, checks := testPacer()
	f.frame() // the first frame: the renderer's ticker already runs
	f.frame()
	f.frame()
	if len(tk.calls) != 0 || len(*checks) != 1 {
		t.Fatalf("while running: calls %v, %d checks scheduled (want none, 1)", tk.calls, len(*checks))
	}
	runCheck(t, checks) // frames came since the pacer started: keep going
	if len(tk.calls) != 0 || len(*checks) != 1 {
		t.Fatalf("after a busy check: calls %v, %d checks", tk.calls, len(*checks))
	}
	f.frame() // one more frame within the next period
	runCheck(t, checks)
	if len(tk.calls) != 0 || len(*checks) != 1 {
		t.Fatalf("after a frame: calls %v, %d checks", tk.calls, len(*checks))
	}
	runCheck(t, checks) // nothing since: idle
	if strings.Join(tk.calls, ",") != "stop,idle" || tk.running || len(*checks) != 0 {
		t.Fatalf("idle: calls %v running %v, %d checks (want stop, no check left)", tk.calls, tk.running, len(*checks))
	}
	f.frame() // a key: the ticker runs again at its rate, and is checked
	f.frame()
	if strings.Join(tk.calls, ",") != "stop,idle,reset 5ms" || !tk.running || len(*checks) != 1 {
		t.Fatalf("woken: calls %v running %v, %d checks", tk.calls, tk.running, len(*checks))
	}
	runCheck(t, checks)
	runCheck(t, checks)
	if strings.Join(tk.calls, ",") != "stop,idle,reset 5ms,stop,idle" || tk.running {
		t.Fatalf("idle again: calls %v running %v", tk.calls, tk.running)
	}
}

// TestFramePacerWithoutTicker: a program whose renderer has no ticker to
// find (another bubbletea) is left ticking: no check, no call.
func TestFramePacerWithoutTicker(t *testing.T) {
	f, tk, checks := testPacer()
	f.find = func(*tea.Program) (frameTicker, time.Duration, bool) { return nil, 0, false }
	f.frame()
	f.frame()
	if len(tk.calls) != 0 || len(*checks) != 0 {
		t.Fatalf("calls %v, %d checks", tk.calls, len(*checks))
	}
	var none *framePacer
	none.frame() // a model run without a program (tests): nothing
}

// TestRendererTickerFound runs the explorer as Run does, on a real
// bubbletea program writing to a buffer: the pacer finds the renderer's
// ticker at the first frame, at the rate the program was given. It fails
// when a bubbletea upgrade changes the renderer (the explorer would then
// tick at 120 fps while idle again).
func TestRendererTickerFound(t *testing.T) {
	var out bytes.Buffer
	pm := &pacedModel{Model: New(testOptions(catalog.Sample(), nil))}
	p := tea.NewProgram(pm, tea.WithInput(nil), tea.WithOutput(&out), tea.WithoutSignalHandler(), tea.WithFPS(120))
	pm.pacer = newFramePacer(p)
	pm.pacer.after = func(time.Duration, func()) {} // no idle check in this test
	go p.Quit()
	if _, err := p.Run(); err != nil {
		t.Fatal(err)
	}
	if pm.pacer.ticker == nil || pm.pacer.rate != time.Second/120 || !pm.pacer.running || pm.pacer.frames == 0 {
		t.Fatalf("pacer: ticker %v rate %v running %v frames %d", pm.pacer.ticker, pm.pacer.rate, pm.pacer.running, pm.pacer.frames)
	}
	if !strings.Contains(out.String(), "connex") {
		t.Fatalf("no frame rendered: %q", out.String())
	}
}

// TestNoTickWhileIdle: once the first search is shown, nothing animates:
// a spinner tick stops the spinner and asks for no other, and a key that
// changes nothing being searched returns no command.
func TestNoTickWhileIdle(t *testing.T) {
	m := newTestModel(t, catalog.Sample(), 100, 30)
	if m.busy() {
		t.Fatal("the first search is still running")
	}
	// The spinner's next tick finds nothing busy: it stops there.
	if _, cmd := m.Update(spinner.TickMsg{ID: m.spin.ID()}); cmd != nil || m.spinning {
		t.Fatalf("a spinner tick while idle: spinning %v, cmd %v", m.spinning, cmd != nil)
	}
	if _, cmd := m.Update(tea.KeyMsg{Type: tea.KeyDown}); cmd != nil {
		t.Fatalf("moving the cursor asked for %T", cmd())
	}
	// A search turns the spinner while it runs, and it stops after.
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("w")})
	if !m.spinning || cmd == nil {
		t.Fatalf("a search: spinning %v cmd %v", m.spinning, cmd != nil)
	}
	settle(m, cmd)
	if m.busy() {
		t.Fatal("still searching")
	}
	if _, cmd := m.Update(spinner.TickMsg{ID: m.spin.ID()}); cmd != nil || m.spinning {
		t.Fatalf("after the search: spinning %v, cmd %v", m.spinning, cmd != nil)
	}
}

// TestMemReleaserOncePerBusySpell: going idle frees memory only when at
// least idleRelease was allocated since the last release.
func TestMemReleaserOncePerBusySpell(t *testing.T) {
	var allocated uint64
	frees := 0
	r := &memReleaser{allocated: func() uint64 { return allocated }, free: func() { frees++ }}
	allocated = 5 << 20 // the load and the first search
	r.idle()
	allocated += idleRelease - 1 // cursor moves
	r.idle()
	r.idle()
	if frees != 1 {
		t.Fatalf("%d releases after a load and a few cursor moves, want 1", frees)
	}
	allocated += 1 // now idleRelease since the release
	r.idle()
	r.idle() // nothing since
	if frees != 2 {
		t.Fatalf("%d releases, want 2", frees)
	}
	if heapAllocated() == 0 {
		t.Fatal("the runtime's allocation counter reads 0: the explorer would never give memory back")
	}
}
