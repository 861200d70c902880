package tui

import (
	"reflect"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
	"unsafe"

	tea "github.com/charmbracelet/bubbletea"
)

// Idle CPU (issue 11). bubbletea v1's renderer flushes frames on a ticker
// that runs at the program's FPS for the program's whole life: an idle
// explorer woke 120 times a second (three thread wake-ups each: the timer,
// a spinning scheduler thread, sysmon) to find the frame unchanged, about
// 2.5% of a core, and the frame compare's copy kept the heap growing.
// v1 offers no way to pause it (bubbletea v2's renderer is being changed to
// tick only while a frame is pending; v2 is not used here), so the
// explorer pauses that ticker itself: every frame the program asks for
// (each View after an Update) runs it at its rate, and once no frame has
// come for a while it is stopped until the next one. While anything
// changes, frames flow at 120 fps exactly as before. Going idle is also
// when the explorer gives memory back (memReleaser).

// pacerIdleAfter is how long the ticker keeps running after the last
// frame: many ticks, so the last frame is flushed long before the ticker
// stops, and rare enough that its check costs nothing.
const pacerIdleAfter = 500 * time.Millisecond

// frameTicker is what the pacer needs of the renderer's ticker.
type frameTicker interface {
	Stop()
	Reset(time.Duration)
}

// framePacer runs and stops the ticker of a program's renderer. Its zero
// value (no program) does nothing.
type framePacer struct {
	prog *tea.Program
	// find locates the ticker at the first frame (rendererTicker); a
	// test replaces it.
	find func(*tea.Program) (frameTicker, time.Duration, bool)
	// after runs f once after d (time.AfterFunc); a test replaces it to
	// run the check itself.
	after func(d time.Duration, f func())
	// onIdle runs when the ticker stops (on the idle check's goroutine,
	// not the program's): the explorer gives memory back then.
	onIdle func()

	mu       sync.Mutex
	resolved bool
	ticker   frameTicker // nil: not found, nothing is paused
	rate     time.Duration
	running  bool   // the ticker runs (it does when the renderer starts)
	frames   uint64 // frames seen
	checked  uint64 // frames seen at the last idle check
	checking bool   // an idle check is scheduled
}

func newFramePacer(p *tea.Program) *framePacer {
	return &framePacer{prog: p, find: rendererTicker, after: func(d time.Duration, f func()) { time.AfterFunc(d, f) }}
}

// frame is called for every frame the program renders (from View, on the
// program's goroutine, after the renderer has started): the ticker runs
// until an idle check finds no frame came since the one before.
func (f *framePacer) frame() {
	if f == nil || f.prog == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.resolved {
		f.resolved = true
		if t, rate, ok := f.find(f.prog); ok {
			f.ticker, f.rate, f.running = t, rate, true
		}
	}
	if f.ticker == nil {
		return
	}
	f.frames++
	if !f.running {
		// Not reset while running: frames faster than the rate (a held
		// key, mouse motion) would push the next tick back for ever.
		f.ticker.Reset(f.rate)
		f.running = true
	}
	if !f.checking {
		f.checking = true
		f.after(pacerIdleAfter, f.idleCheck)
	}
}

// idleCheck stops the ticker when no frame came since the last check, and
// checks again later otherwise.
func (f *framePacer) idleCheck() {
	if f.stopIfIdle() && f.onIdle != nil {
		f.onIdle() // outside the lock: frames go on meanwhile
	}
}

// stopIfIdle stops the ticker and reports true when no frame came since
// the last check, and schedules the next check otherwise.
func (f *framePacer) stopIfIdle() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.frames != f.checked {
		f.checked = f.frames
		f.after(pacerIdleAfter, f.idleCheck)
		return false
	}
	f.checking = false
	if f.running {
		f.ticker.Stop()
		f.running = false
	}
	return true
}

// idleRelease is how much the explorer allocates before going idle
// gives memory back: less is the garbage of moving a cursor, not worth a
// collection.
const idleRelease = 2 << 20

// memReleaser gives memory back to the system when the explorer goes idle
// after allocating at least idleRelease since the last time: the garbage
// of a load, a search or a page drawn would otherwise sit in the heap (and
// the RSS) until the next collection, which an idle explorer never
// reaches. It costs one collection of a small live heap (a few ms of CPU,
// off the program's goroutine) per busy spell.
type memReleaser struct {
	mu        sync.Mutex
	allocated func() uint64 // bytes allocated since the start
	free      func()
	last      uint64 // allocated at the last release
}

func (r *memReleaser) idle() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if a := r.allocated(); a-r.last >= idleRelease {
		r.free()
		r.last = a
	}
}

// newMemReleaser reads the runtime's allocation counter and frees with
// debug.FreeOSMemory (a collection, then freed pages back to the system).
func newMemReleaser() *memReleaser {
	return &memReleaser{allocated: heapAllocated, free: debug.FreeOSMemory}
}

func heapAllocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0 // never releases: the metric is gone in this Go
	}
	return s[0].Value.Uint64()
}

// rendererTicker finds the ticker of p's standard renderer (bubbletea
// v1.3: Program.renderer, a *standardRenderer with ticker and framerate)
// and its rate. Any other shape (no renderer, another version) reports
// false and the explorer simply keeps ticking;
// TestRendererTickerFound fails on such a version.
func rendererTicker(p *tea.Program) (frameTicker, time.Duration, bool) {
	r := reflect.ValueOf(p).Elem().FieldByName("renderer")
	if r.Kind() != reflect.Interface || r.IsNil() {
		return nil, 0, false
	}
	r = r.Elem()
	if r.Kind() != reflect.Pointer || r.IsNil() || r.Elem().Kind() != reflect.Struct {
		return nil, 0, false
	}
	r = r.Elem()
	tk, rate := r.FieldByName("ticker"), r.FieldByName("framerate")
	if !tk.IsValid() || tk.Type() != reflect.TypeFor[*time.Ticker]() || tk.IsNil() ||
		!rate.IsValid() || rate.Type() != reflect.TypeFor[time.Duration]() || rate.Int() <= 0 {
		return nil, 0, false
	}
	// An unexported field is read-only through reflect; the ticker is
	// only used through its own methods, which are safe to call from any
	// goroutine.
	t := reflect.NewAt(tk.Type(), unsafe.Pointer(tk.UnsafeAddr())).Elem().Interface().(*time.Ticker)
	return t, time.Duration(rate.Int()), true
}

// pacedModel is the explorer's Model as the program runs it: every View
// is a frame for the pacer.
type pacedModel struct {
	*Model
	pacer *framePacer
}

func (m *pacedModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := m.Model.Update(msg)
	return m, cmd
}

func (m *pacedModel) View() string {
	m.pacer.frame()
	return m.Model.View()
}
