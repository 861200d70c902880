// Package tui is connex's interactive explorer: search as you type over the
// catalogue, then read connectors and operations. It never does I/O in
// Update or View: the catalogue, the index, searches, imports, the
// clipboard and the browser are all reached through tea.Cmds built from the
// functions in Options, so the screen never blocks and tests inject fakes.
//
// Layout: the root Model keeps a stack of pages (search, connector,
// operation, audit, a message, and the test-call screens of tui/callform).
// Every page is a common.Component built with an env (common.Common: the
// context, its size, the one set of styles and the one key map; the
// clipboard and the browser as commands) and what it shows, and holds no
// pointer to the root: it asks for another page, a status line or the help
// overlay by returning a command whose message the root handles (openMsg,
// jumpMsg, tryItMsg, statusMsg, errMsg, showHelpMsg). The root's Update
// handles global keys, then app messages, then gives keys to the top page
// only; asynchronous results are common.Owned messages routed by owner id
// to the page that asked for them, whatever is on top, and dropped when
// that page is gone. Every page draws with tui/styles and matches keys of
// tui/keys, whose help functions are the footer and the ? overlay.
//
// Idle, the explorer does nothing: no spinner or cursor blink ticks while
// nothing is busy, Run pauses the renderer's frame ticker while no frame
// changes, and memory the last busy spell freed goes back to the system
// (pacer.go).
package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/connex-dev/connex/audit"
	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/platform"
	"github.com/connex-dev/connex/secrets"
	"github.com/connex-dev/connex/tui/callform"
	"github.com/connex-dev/connex/tui/common"
	"github.com/connex-dev/connex/tui/keys"
	"github.com/connex-dev/connex/tui/styles"
)

// Searcher runs searches; *index.Index satisfies it.
type Searcher interface {
	Search(ctx context.Context, q index.Query) (*index.Result, error)
}

// Options is everything the TUI gets from outside. Only LoadCatalog (or
// Catalog and Searcher) is required; a nil func disables its feature.
type Options struct {
	// Catalog and Searcher, when both set, are used at once; otherwise
	// LoadCatalog is called in a command after the first frame.
	Catalog  *catalog.Catalog
	Searcher Searcher
	// LoadCatalog loads the catalogue and opens its index. It is called
	// again after an import or refresh. It may return a catalogue and a
	// searcher together with an error: the TUI then works and shows the
	// error as a warning (say, the index was unusable and a scan is used).
	LoadCatalog func(ctx context.Context) (*catalog.Catalog, Searcher, error)
	// LoadSnapshot, when set, is used instead of LoadCatalog: the
	// catalogue opened for random access (catalog.Open), so that a
	// connector is decoded only when the explorer shows it (issue 11).
	LoadSnapshot func(ctx context.Context) (*catalog.Snapshot, Searcher, error)
	// Refresh updates the catalogue from the reference site, reporting
	// progress; nil when unavailable.
	Refresh func(ctx context.Context, progress func(done, total int, msg string)) error
	// Import imports connector definitions from a path (folder, archive
	// or URL), reporting progress; nil when unavailable.
	Import func(ctx context.Context, path string, progress func(done, total int, msg string)) error
	// ImportReport, when set, is used instead of Import: its report says
	// how many connectors were read and how many files failed.
	ImportReport func(ctx context.Context, path string, progress func(done, total int, msg string)) (ImportReport, error)
	// RefreshPlan describes the crawl a refresh would run (site, pages,
	// politeness) for the refresh dialog; nil: not shown. It is called
	// when the dialog opens and must not do I/O; Pages 0 is estimated
	// from the catalogue.
	RefreshPlan func() RefreshPlan
	// HomeDir expands ~ in the import path (nil: os.UserHomeDir).
	HomeDir func() (string, error)
	OpenURL func(url string) error
	Copy    func(text string) error
	// Now gives the time for "refreshed 3 days ago" and of history
	// entries; time.Now when nil.
	Now func() time.Time

	// Test calls (t on an operation) and the call history (H). The form
	// works with none of them: no auth profiles but "none", a real client,
	// an in-process mock for the sample connectors, nothing recorded.
	//
	// Profiles lists the saved auth profiles (secrets.Store.List).
	Profiles func() ([]secrets.Profile, error)
	// Secret resolves a profile's secret when sending (secrets.Store.Secret).
	Secret func(ctx context.Context, p secrets.Profile) (string, error)
	// History records every call and feeds the history browser.
	History *call.History
	// Do sends a request (nil: a call.Client with the default policy);
	// StartMock starts a connector's mock (nil: mock.Start on 127.0.0.1).
	Do        func(ctx context.Context, req *call.Request) (*call.Response, error)
	StartMock func(conn *catalog.Connector) (origin string, stop func(), err error)
	// Platform signs in to the Power Platform silently and returns a
	// client and the environment in use (app.PlatformClient fits): the
	// test-call form of an operation that goes through a connection lists
	// the user's connections with it, in a command. Nil: the form says
	// "not signed in: run connex login".
	Platform func() (*platform.Client, string, error)
	// Editor edits a request body (default $VISUAL, $EDITOR, vi).
	Editor string
	// SaveFile writes a response body (nil: a 0600 file).
	SaveFile func(path string, data []byte) error
	// Audit, when set, opens on an audit of flows (`connex audit PATH` on
	// a terminal) once the catalogue is loaded; esc goes to the search.
	Audit *audit.Report
	// Context cancels every running command (searches, jobs).
	Context context.Context
}

// ImportReport is what an import read.
type ImportReport struct {
	Connectors, Files, Failed, Warnings int
}

// RefreshPlan is the crawl a refresh runs: the site's base URL, about how
// many pages, and the politeness (one request per Delay per slot, at most
// Concurrency at once).
type RefreshPlan struct {
	Site        string
	Pages       int
	Delay       time.Duration
	Concurrency int
}

// Duration estimates the crawl: pages x delay / concurrency.
func (p RefreshPlan) Duration() time.Duration {
	c := max(1, p.Concurrency)
	return time.Duration(p.Pages) * p.Delay / time.Duration(c)
}

// Model is the root model: a stack of pages over the search page, a help
// overlay, a first-run job dialog and a status line.
type Model struct {
	opts   Options
	keys   keys.KeyMap
	styles styles.Styles
	help   help.Model
	spin   spinner.Model
	ctx    context.Context

	width, height int

	cat *catView
	// auditShown: the audit of Options.Audit was opened once.
	auditShown bool
	stats      catalog.Stats
	searcher   Searcher
	loading    bool
	loadErr    error
	loadSeq    int

	search   *searchPage
	stack    []page
	showHelp bool
	info     string
	err      error
	job      *jobDialog
	spinning bool
	// jump is the open : prompt; nil when closed.
	jump *textinput.Model
}

// Messages.
type (
	catalogLoadedMsg struct {
		seq      int
		cat      *catView
		searcher Searcher
		err      error
	}
	// infoMsg shows a passing note (copied, opened) or an error.
	infoMsg struct {
		text string
		err  error
	}
)

// New builds the model. It does no I/O: the catalogue is loaded by Init's
// command, so the first frame can be drawn at once.
func New(opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	m := &Model{
		opts:   opts,
		keys:   keys.DefaultKeyMap(),
		styles: styles.DefaultStyles(),
		help:   help.New(),
		ctx:    ctx,
		width:  80,
		height: 24,
	}
	m.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	// The search page shows the frame of the root's spinner, which turns
	// while it searches; it holds the spinner, not the Model.
	spin := &m.spin
	m.search = newSearchPage(m.env(), func() string { return spin.View() })
	m.stack = []page{m.search}
	if opts.Catalog != nil && opts.Searcher != nil {
		m.setCatalog(catViewOf(opts.Catalog), opts.Searcher)
	} else if m.canLoad() {
		m.loading = true
	} else {
		m.loadErr = errors.New("no catalogue loader configured")
	}
	m.layout()
	return m
}

// Run runs the TUI until the user quits or ctx is cancelled.
func Run(ctx context.Context, opts Options) error {
	opts.Context = ctx
	// Ask the terminal for its background now, before bubbletea reads the
	// keyboard: asked later (at the first adaptive colour), the reply
	// would race with the key reader and could arrive as key presses.
	_ = lipgloss.HasDarkBackground()
	m := New(opts)
	// 120 fps: a frame is flushed at most ~8 ms after the model changed;
	// the pacer stops the frame ticker while nothing changes.
	pm := &pacedModel{Model: m}
	p := tea.NewProgram(pm, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(ctx), tea.WithFPS(120))
	pm.pacer = newFramePacer(p)
	pm.pacer.onIdle = newMemReleaser().idle
	_, err := p.Run()
	m.truncate(1) // cancels a test call still in flight
	m.closeSearcher()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // interrupted (SIGINT/SIGTERM): a normal way out
	}
	return err
}

// Init loads the catalogue (when not given) and runs the first search.
func (m *Model) Init() tea.Cmd {
	if m.loading {
		return tea.Batch(m.loadCmd(), m.startSpin())
	}
	if m.cat != nil {
		return tea.Batch(m.search.Init(), m.startSpin())
	}
	return nil
}

// env is what a page built now receives: the common state at the body's
// size, and the clipboard and browser as commands.
func (m *Model) env() env {
	return env{
		Common: common.Common{Ctx: m.ctx, Width: m.width, Height: m.bodyHeight(), Styles: &m.styles, KeyMap: &m.keys},
		fx:     effects{copy: m.opts.Copy, openURL: m.opts.OpenURL},
	}
}

// canLoad reports whether the model can (re)load the catalogue: through
// either loader (connex sets LoadSnapshot, to decode connectors only when
// they are opened). An import or refresh in the explorer reloads with it;
// checking LoadCatalog alone left the explorer on the old catalogue after
// an in-explorer import, "loading…" for ever.
func (m *Model) canLoad() bool { return m.opts.LoadCatalog != nil || m.opts.LoadSnapshot != nil }

func (m *Model) loadCmd() tea.Cmd {
	m.loadSeq++
	seq, load, loadSnap, ctx := m.loadSeq, m.opts.LoadCatalog, m.opts.LoadSnapshot, m.ctx
	return func() tea.Msg {
		var cat *catView
		var s Searcher
		var err error
		if loadSnap != nil {
			var snap *catalog.Snapshot
			if snap, s, err = loadSnap(ctx); snap != nil {
				cat = catViewOfSnapshot(snap)
			}
		} else {
			var c *catalog.Catalog
			if c, s, err = load(ctx); c != nil {
				cat = catViewOf(c)
			}
		}
		// No collection here: it would delay the first results (a forced
		// collection took ~6 ms of wall time before them); the garbage of
		// the load and of the first search goes back to the system once
		// the explorer is idle (memReleaser).
		return catalogLoadedMsg{seq: seq, cat: cat, searcher: s, err: err}
	}
}

func (m *Model) startSpin() tea.Cmd {
	if m.spinning {
		return nil
	}
	m.spinning = true
	return m.spin.Tick
}

func (m *Model) busy() bool {
	return m.loading || m.search.searching || (m.job != nil && m.job.running)
}

func (m *Model) setCatalog(cat *catView, s Searcher) {
	m.closeSearcher()
	m.cat, m.searcher = cat, s
	m.stats = cat.Stats()
	m.loading, m.loadErr = false, nil
	m.truncate(1)
	m.search.setCatalog(cat, s)
	if m.opts.Audit != nil && !m.auditShown {
		// Over the search page, the first time only: a reload after an
		// import goes back to the search as usual.
		m.auditShown = true
		m.push(newAuditPage(m.env(), m.opts.Audit)) // its Init does nothing
	}
}

func (m *Model) closeSearcher() {
	if c, ok := m.searcher.(io.Closer); ok {
		_ = c.Close()
	}
	m.searcher = nil
}

func (m *Model) top() page { return m.stack[len(m.stack)-1] }

// push puts p on top and returns its Init command.
func (m *Model) push(p page) tea.Cmd {
	m.stack = append(m.stack, p)
	m.layout()
	return p.Init()
}

func (m *Model) back() {
	if len(m.stack) > 1 {
		m.truncate(len(m.stack) - 1)
	}
}

// Layout: header, optional banner, body, status line, help line.
func (m *Model) bannerLines() int {
	if m.cat != nil && m.cat.Sample {
		return 1
	}
	return 0
}

func (m *Model) bodyTop() int { return 1 + m.bannerLines() }

func (m *Model) bodyHeight() int { return max(1, m.height-m.bodyTop()-2) }

func (m *Model) layout() {
	m.help.Width = m.width
	for _, p := range m.stack {
		p.SetSize(m.width, m.bodyHeight())
	}
}

// Update handles global keys, then app messages (a page's requests among
// them), then forwards the rest to the top page only. The spinner turns
// while anything is busy, a page's search included.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	if !m.spinning && m.busy() {
		cmd = tea.Batch(cmd, m.startSpin())
	}
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = max(msg.Width, 20), max(msg.Height, 6)
		m.layout()
		return nil
	case spinner.TickMsg:
		if msg.ID != m.spin.ID() {
			return m.forward(msg) // a test call's spinner
		}
		if !m.busy() {
			m.spinning = false
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case catalogLoadedMsg:
		if msg.seq != m.loadSeq {
			return nil
		}
		if msg.err != nil && (msg.cat == nil || msg.searcher == nil) {
			m.loading = false
			m.loadErr = msg.err
			return nil
		}
		if msg.cat == nil || msg.searcher == nil {
			m.loading = false
			m.loadErr = errors.New("the catalogue loader returned nothing")
			return nil
		}
		m.setCatalog(msg.cat, msg.searcher)
		m.err = msg.err
		m.layout()
		return m.search.runSearch()
	case infoMsg:
		m.info, m.err = msg.text, msg.err
		return nil
	case statusMsg:
		m.info = string(msg)
		return nil
	case errMsg:
		m.err = msg.err
		return nil
	case showHelpMsg:
		m.showHelp = true
		return nil
	case openMsg:
		return m.open(msg.conn, msg.op)
	case jumpMsg:
		return m.jumpTo(msg.target)
	case tryItMsg:
		return m.openTryIt(msg.conn, msg.op)
	case callform.CloseMsg:
		if m.closeHosted(msg.ID) {
			return nil
		}
		return m.route(msg.ID, msg) // a replay form inside the history
	case jobProgressMsg, jobDoneMsg, completeMsg:
		if m.job != nil {
			return m.job.update(m, msg)
		}
		return nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	case tea.MouseMsg:
		return m.handleMouse(msg)
	case common.Owned:
		// A search result, a send, a history load: to the page that asked,
		// whatever is on top; dropped when that page is gone.
		return m.route(msg.Owner(), msg)
	}
	return m.forward(msg)
}

// open pushes the page of a connector (op nil) or of an operation.
func (m *Model) open(conn *catalog.Connector, op *catalog.Operation) tea.Cmd {
	if op != nil {
		return m.push(newOperationPage(m.env(), conn, op))
	}
	return m.push(newConnectorPage(m.env(), conn))
}

// route gives an owned message to the page that owns id; a result for a
// page no longer on the stack is stale and dropped.
func (m *Model) route(id int64, msg tea.Msg) tea.Cmd {
	for i := len(m.stack) - 1; i >= 0; i-- {
		if p := m.stack[i]; p.Owns(id) {
			_, cmd := p.Update(msg)
			return cmd
		}
	}
	return nil
}

// updateTop gives msg to the top page.
func (m *Model) updateTop(msg tea.Msg) tea.Cmd {
	_, cmd := m.top().Update(msg)
	return cmd
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if key.Matches(msg, k.ForceQuit) {
		if m.job != nil && m.job.cancel != nil {
			m.job.cancel()
		}
		return tea.Quit
	}
	if m.job != nil {
		return m.job.update(m, msg)
	}
	if m.jump != nil {
		return m.jumpKey(msg)
	}
	if m.showHelp {
		if key.Matches(msg, k.Help, k.HelpAlt, k.Dismiss, k.Quit) {
			m.showHelp = false
		}
		return nil
	}
	if m.err != nil && key.Matches(msg, k.Dismiss) {
		m.err = nil
		return nil
	}
	m.info = ""
	hosted := m.hostedTop()
	switch {
	case hosted != nil:
		// ctrl+r reloads the history; neither job belongs on a test call.
	case key.Matches(msg, k.Import):
		return m.openJob(jobImport)
	case key.Matches(msg, k.Refresh):
		return m.openJob(jobRefresh)
	}
	if m.cat == nil {
		if m.loading && m.top().Capturing() {
			// Type ahead: the query runs once the catalogue is there.
			return m.updateTop(msg)
		}
		// Failed: only quitting and help make sense.
		cmd, _ := m.quitOrHelp(msg)
		return cmd
	}
	if key.Matches(msg, k.HelpAlt) {
		m.showHelp = true
		return nil
	}
	if !m.top().Capturing() {
		if cmd, ok := m.quitOrHelp(msg); ok {
			return cmd
		}
		switch {
		case key.Matches(msg, k.History) && (hosted == nil || !hosted.history):
			return m.openHistory()
		case key.Matches(msg, k.Jump) && hosted == nil:
			return m.openJump()
		case hosted != nil:
			// esc and / act inside the test-call screens.
		case key.Matches(msg, k.Search) && !findsText(m.top()):
			m.truncate(1)
			return m.search.focusInput()
		case key.Matches(msg, k.Back) && len(m.stack) > 1:
			m.back()
			return nil
		}
	}
	return m.updateTop(msg)
}

// quitOrHelp handles q and ?, the keys of every screen where nothing is
// typed; ok is false for any other key.
func (m *Model) quitOrHelp(msg tea.KeyMsg) (cmd tea.Cmd, ok bool) {
	switch {
	case key.Matches(msg, m.keys.Quit):
		return tea.Quit, true
	case key.Matches(msg, m.keys.Help):
		m.showHelp = true
		return nil, true
	}
	return nil, false
}

func (m *Model) handleMouse(msg tea.MouseMsg) tea.Cmd {
	if m.job != nil || m.showHelp || m.cat == nil {
		return nil
	}
	if hp := m.hostedTop(); hp != nil {
		_, cmd := hp.Update(msg) // the response pager scrolls with the wheel
		return cmd
	}
	c, ok := m.top().(clicker)
	if !ok {
		return nil
	}
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		c.wheel(-3)
	case tea.MouseButtonWheelDown:
		c.wheel(3)
	case tea.MouseButtonLeft:
		if msg.Action == tea.MouseActionPress {
			y := msg.Y - m.bodyTop()
			if y >= 0 && y < m.bodyHeight() {
				return c.click(msg.X, y)
			}
		}
	}
	return nil
}

// View draws header, banner, body, status and help; every line fits the
// width so nothing wraps.
func (m *Model) View() string {
	var b strings.Builder
	b.WriteString(m.headerView())
	b.WriteByte('\n')
	if m.bannerLines() > 0 {
		b.WriteString(m.bannerView())
		b.WriteByte('\n')
	}
	b.WriteString(fitBlock(m.bodyView(), m.width, m.bodyHeight()))
	b.WriteByte('\n')
	b.WriteString(m.statusView())
	b.WriteByte('\n')
	b.WriteString(m.helpLineView())
	return b.String()
}

func (m *Model) headerView() string {
	s := m.styles
	title := s.Title.Render("connex")
	var crumbs []string
	for _, p := range m.stack {
		crumbs = append(crumbs, p.crumb())
	}
	right := ""
	if m.cat != nil {
		right = s.Muted.Render(fmt.Sprintf("%s connectors · %s operations", commas(m.stats.Connectors), commas(m.stats.Operations)))
	}
	// Too long, the trail loses its start: the current page stays named.
	trail := strings.Join(crumbs, " › ")
	room := max(0, m.width-len("connex ")-ansi.StringWidth(right)-2)
	if tw := ansi.StringWidth(trail); tw > room && room > 1 {
		trail = ansi.TruncateLeft(trail, tw-room+1, "…")
	}
	left := title + " " + s.Crumb.Render(truncate(trail, room))
	return joinLR(left, right, m.width)
}

func (m *Model) bannerView() string {
	text := "SAMPLE DATA (invented connectors) · import real definitions: ctrl+o or `connex import PATH` · refresh: ctrl+r or `connex refresh`"
	if m.width < 130 {
		text = "SAMPLE DATA · import: ctrl+o or `connex import PATH` · refresh: ctrl+r"
	}
	return m.styles.Banner.Render(truncate(text, m.width))
}

func (m *Model) bodyView() string {
	w, h := m.width, m.bodyHeight()
	switch {
	case m.job != nil:
		return m.job.view(m, w, h)
	case m.showHelp:
		return m.helpOverlay(w, h)
	case m.cat == nil && m.loadErr != nil:
		return m.errorView(w)
	case m.cat == nil:
		return "\n  " + m.spin.View() + " loading the catalogue…"
	}
	return m.top().View()
}

func (m *Model) errorView(w int) string {
	s := m.styles
	var b strings.Builder
	b.WriteString("\n")
	b.WriteString(s.StatusErr.Render("  The catalogue could not be loaded."))
	b.WriteString("\n\n")
	for _, line := range wrapText(safeterm.Text(m.loadErr.Error()), w-4) {
		b.WriteString("  " + s.Error.Render(line) + "\n")
	}
	b.WriteString("\n")
	b.WriteString(s.Muted.Render("  Rebuild it with `connex import PATH` or `connex refresh`,") + "\n")
	b.WriteString(s.Muted.Render("  or here: ctrl+o to import, ctrl+r to refresh. q quits."))
	return b.String()
}

func (m *Model) helpOverlay(w, h int) string {
	hm := m.help
	hm.ShowAll = true
	hm.Width = w - 4
	groups := m.top().FullHelp()
	var keys string
	if w < 110 && len(groups) > 2 {
		// Two rows of columns fit 80 cells.
		keys = hm.FullHelpView(groups[:2]) + "\n\n" + hm.FullHelpView(groups[2:])
	} else {
		keys = hm.FullHelpView(groups)
	}
	body := m.styles.Heading.Render("Keys: "+m.top().crumb()) + "\n\n" + keys + "\n"
	if m.top() == page(m.search) {
		body += "\n" + m.styles.Muted.Render("Filter keys work with alt while typing in the search box.")
	}
	body += "\n" + m.styles.Muted.Render("? or esc closes this help.")
	box := m.styles.HelpBox.Render(body)
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
}

func (m *Model) statusView() string {
	s := m.styles
	right := s.Muted.Render("? help")
	if hp := m.hostedTop(); hp != nil && hp.Capturing() {
		right = s.Muted.Render("f1 help") // ? is text on the form
	}
	var left string
	switch {
	case m.jump != nil:
		return ansi.Truncate(m.jump.View(), m.width, "…")
	case m.err != nil:
		left = s.StatusErr.Render("✗ "+safeterm.Line(m.err.Error())) + s.Muted.Render("  (esc to dismiss)")
	case m.info != "":
		left = s.Status.Render(safeterm.Line(m.info))
	case m.loading:
		left = s.Status.Render(m.spin.View() + " loading…")
	case m.cat != nil:
		left = s.Status.Render(safeterm.Line(sourceLine(m.cat, m.opts.Now())))
	case m.loadErr != nil:
		left = s.StatusErr.Render("✗ no catalogue")
	}
	return joinLR(left, right, m.width)
}

func (m *Model) helpLineView() string {
	if m.job != nil {
		return m.help.ShortHelpView(m.job.keys(m.keys))
	}
	if m.showHelp {
		return m.help.ShortHelpView([]key.Binding{m.keys.Help})
	}
	if m.jump != nil {
		return m.help.ShortHelpView(m.keys.PromptHelp().Short)
	}
	return m.help.ShortHelpView(m.top().ShortHelp())
}

// docsURL is the connector's reference page, with the operation's anchor.
func docsURL(conn *catalog.Connector, op *catalog.Operation) string {
	u := conn.DocumentationURL()
	if u != "" && op != nil && op.Anchor != "" && !strings.Contains(u, "#") {
		u += "#" + op.Anchor
	}
	return u
}

func showCommand(connID, opID string) string {
	if opID == "" {
		return "connex show " + connID
	}
	return "connex show " + connID + "/" + opID
}

// joinLR puts left and right on one line of width w, truncating left.
func joinLR(left, right string, w int) string {
	rw := ansi.StringWidth(right)
	if rw+2 > w {
		right, rw = "", 0
	}
	left = ansi.Truncate(left, w-rw-1, "…")
	gap := w - ansi.StringWidth(left) - rw
	if gap < 1 {
		gap = 1
	}
	if right == "" {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

// fitBlock cuts or pads s to exactly h lines, each at most w wide.
func fitBlock(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// findsText reports a page where / finds text in a document.
func findsText(p page) bool {
	f, ok := p.(interface{ findsText() bool })
	return ok && f.findsText()
}
