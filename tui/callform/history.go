package callform

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/tui/common"
	"github.com/connex-dev/connex/tui/keys"
	"github.com/connex-dev/connex/tui/styles"
)

// HistoryOptions wire the history browser.
type HistoryOptions struct {
	History *call.History
	// Lookup finds an entry's connector and operation for replay.
	// Nil: replay is unavailable.
	Lookup func(connectorID, operationID string) (*catalog.Connector, *catalog.Operation, bool)
	// Form is the template of replay forms (Profiles, Secret, Do,
	// StartMock, Copy, SaveFile, Now, Editor, NoColor); the entry fills
	// Connector, Operation, Params, Body, Profile, BaseURL and UseMock.
	Form Options
	// Location shows times in this zone (default: local time).
	Location *time.Location
	HideHelp bool
	KeyMap   *keys.KeyMap
	Styles   *styles.Styles
}

// LookupIn returns a Lookup over a catalogue.
func LookupIn(c *catalog.Catalog) func(string, string) (*catalog.Connector, *catalog.Operation, bool) {
	if c == nil {
		return LookupWith(nil)
	}
	return LookupWith(c.Connector)
}

// LookupWith returns a Lookup over any source of connectors by id (a
// catalogue, a snapshot opened for random access); nil finds none.
func LookupWith(connector func(id string) (*catalog.Connector, bool)) func(string, string) (*catalog.Connector, *catalog.Operation, bool) {
	return func(connID, opID string) (*catalog.Connector, *catalog.Operation, bool) {
		if connector == nil {
			return nil, nil, false
		}
		conn, ok := connector(connID)
		if !ok {
			return nil, nil, false
		}
		op := conn.Operation(opID)
		return conn, op, op != nil
	}
}

type histState int

const (
	histList histState = iota
	histDetail
	histReplay
)

// HistoryModel browses past calls: a list, the stored request and
// response of one, and replay through a pre-filled form.
type HistoryModel struct {
	opts HistoryOptions
	id   int64
	keys keys.KeyMap
	st   styles.Styles
	help help.Model

	width, height int
	entries       []call.Entry // newest first
	loaded        bool
	loadSeq       int
	cursor, top   int
	state         histState
	detail        *pager
	form          *Model
	status        string
	statusErr     bool
}

type histLoadedMsg struct {
	id      int64
	seq     int
	entries []call.Entry
	err     error
}

// NewHistory builds the history browser.
func NewHistory(opts HistoryOptions) *HistoryModel {
	h := &HistoryModel{opts: opts, id: common.NewID(), keys: keys.DefaultKeyMap(), st: styles.DefaultStyles(), help: help.New()}
	if opts.KeyMap != nil {
		h.keys = *opts.KeyMap
	}
	if opts.Styles != nil {
		h.st = *opts.Styles
	}
	if h.opts.Location == nil {
		h.opts.Location = time.Local
	}
	return h
}

// ID identifies this browser in the CloseMsg it emits.
func (h *HistoryModel) ID() int64 { return h.id }

// Owns reports whether an async result stamped with id is the browser's:
// its own loads and saves, its detail's colours, or its replay form's.
func (h *HistoryModel) Owns(id int64) bool {
	return id == h.id || (h.detail != nil && h.detail.id == id) || (h.form != nil && h.form.Owns(id))
}

// Capturing reports that keys are text (the replay form, or the detail's
// find or save prompt).
func (h *HistoryModel) Capturing() bool {
	switch h.state {
	case histReplay:
		return h.form.Capturing()
	case histDetail:
		return h.detail.capturing()
	}
	return false
}

var _ common.Component = (*HistoryModel)(nil)

// Owner routes a load to its browser.
func (m histLoadedMsg) Owner() int64 { return m.id }

// Init loads the history.
func (h *HistoryModel) Init() tea.Cmd { return h.load() }

func (h *HistoryModel) load() tea.Cmd {
	h.loadSeq++
	id, seq, hist := h.id, h.loadSeq, h.opts.History
	return func() tea.Msg {
		if hist == nil {
			return histLoadedMsg{id: id, seq: seq, err: errors.New("no history file")}
		}
		all, err := hist.List()
		return histLoadedMsg{id: id, seq: seq, entries: all, err: err}
	}
}

// SetSize gives the browser its width and height.
func (h *HistoryModel) SetSize(w, hh int) {
	h.width, h.height = max(w, 20), max(hh, 6)
	h.help.Width = h.width
	if h.detail != nil {
		h.detail.setSize(h.width, h.contentHeight())
	}
	if h.form != nil {
		h.form.SetSize(h.width, h.height)
	}
}

func (h *HistoryModel) contentHeight() int {
	c := h.height - 1 - 1 // title, status
	if !h.opts.HideHelp {
		c--
	}
	return max(1, c)
}

// ShortHelp lists the main keys of the current screen.
func (h *HistoryModel) ShortHelp() []key.Binding { return h.helpKeys().ShortHelp() }

// FullHelp groups every key of the current screen.
func (h *HistoryModel) FullHelp() [][]key.Binding { return h.helpKeys().FullHelp() }

func (h *HistoryModel) helpKeys() keys.Help {
	switch h.state {
	case histReplay:
		return h.form.helpKeys()
	case histDetail:
		if h.detail.capturing() {
			return h.keys.PromptHelp()
		}
		km := h.keys
		km.Headers.SetHelp(km.Headers.Help().Key, "request")
		k := km.ResponseHelp(false)
		k.Short = append([]key.Binding{h.keys.Replay}, k.Short...)
		k.Full = append(k.Full, []key.Binding{h.keys.Replay})
		return k
	}
	return h.keys.HistoryHelp()
}

// Update handles a message.
func (h *HistoryModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if common.Resized(h, msg) {
		return h, nil
	}
	switch msg := msg.(type) {
	case histLoadedMsg:
		if msg.id == h.id && msg.seq == h.loadSeq {
			h.setEntries(msg.entries, msg.err)
		}
		return h, nil
	case doneMsg:
		if msg.id == h.id {
			h.setStatus(msg.text, msg.err)
			return h, nil
		}
	case CloseMsg:
		if h.form != nil && msg.ID == h.form.ID() {
			h.form.Close()
			h.form = nil
			h.state = histList
			return h, h.load()
		}
	case highlightMsg:
		if h.detail != nil && h.detail.setStyled(msg) {
			return h, nil
		}
	case SentMsg:
		if h.form != nil && msg.ID == h.form.ID() {
			return h, h.load()
		}
	}
	switch h.state {
	case histReplay:
		_, cmd := h.form.Update(msg)
		return h, cmd
	case histDetail:
		km, ok := msg.(tea.KeyMsg)
		if ok && !h.detail.capturing() {
			switch {
			case key.Matches(km, h.keys.Back):
				h.state, h.detail, h.status = histList, nil, ""
				return h, nil
			case key.Matches(km, h.keys.Replay):
				return h, h.replay()
			}
		}
		cmd, act := h.detail.update(msg)
		if act.save != "" {
			return h, saveCmd(h.id, h.opts.Form.SaveFile, act.save, h.detail.raw)
		}
		if !h.detail.capturing() {
			h.status, h.statusErr = h.detail.searchStatus(), false
		}
		return h, cmd
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return h, nil
	}
	k := h.keys
	n := len(h.entries)
	h.cursor, _ = k.MoveCursor(km, k.ViewPageUp, k.ViewPageDown, h.cursor, h.rows(), n)
	switch {
	case key.Matches(km, k.Back):
		id := h.id
		return h, func() tea.Msg { return CloseMsg{ID: id} }
	case key.Matches(km, k.Reload):
		return h, h.load()
	case key.Matches(km, k.Open) && n > 0:
		return h, h.openDetail()
	case key.Matches(km, k.Replay) && n > 0:
		return h, h.replay()
	}
	h.cursor = max(0, min(h.cursor, n-1))
	return h, nil
}

func (h *HistoryModel) setEntries(all []call.Entry, err error) {
	h.loaded = true
	if err != nil {
		h.setStatus("", err)
	}
	// Newest first.
	h.entries = h.entries[:0]
	for i := len(all) - 1; i >= 0; i-- {
		h.entries = append(h.entries, all[i])
	}
	h.cursor = max(0, min(h.cursor, len(h.entries)-1))
}

func (h *HistoryModel) setStatus(text string, err error) {
	if err != nil {
		h.status, h.statusErr = safeterm.Line(err.Error()), true
		return
	}
	h.status, h.statusErr = safeterm.Line(text), false
}

func (h *HistoryModel) rows() int { return max(1, h.contentHeight()-2) }

func (h *HistoryModel) openDetail() tea.Cmd {
	e := h.entries[h.cursor]
	p := newPager(h.keys, h.st)
	head := fmt.Sprintf("#%d · %s · %s/%s", e.N, e.Time.In(h.opts.Location).Format("2006-01-02 15:04:05"), e.Connector, e.Operation)
	p.summary = append(p.summary, h.st.Heading.Render(safeterm.Line(head)))
	p.summary = append(p.summary, h.resultLine(e))
	if e.Mock {
		p.summary = append(p.summary, h.st.Muted.Render("sent to a local mock"))
	}
	if e.Error != "" {
		p.summary = append(p.summary, h.st.Error.Render("! "+safeterm.Line(e.Error)))
	}
	if e.ResponseBodyTruncated {
		p.summary = append(p.summary, h.st.Warn.Render("! the stored response body is cut (history keeps at most 64 KiB)"))
	}
	req := []string{safeterm.Line(e.Method + " " + e.URL)}
	for _, k := range sortedMapKeys(e.Headers) {
		req = append(req, safeterm.Line(k+": "+e.Headers[k]))
	}
	if e.RequestBody != "" {
		req = append(req, "")
		req = append(req, strings.Split(strings.ReplaceAll(strings.TrimRight(safeterm.Text(e.RequestBody), "\n"), "\t", "    "), "\n")...)
		if e.RequestBodyTruncated {
			req = append(req, "… (cut in the history)")
		}
	}
	p.sections = []*section{{title: "Request", lines: req, open: true}}
	color := !h.opts.Form.NoColor && !envNoColor(h.opts.Form.LookupEnv)
	hl := p.setBody([]byte(e.ResponseBody), "", color)
	p.bodyHead = "Response body"
	if e.ResponseBody == "" {
		p.bodyHead = "Response body: empty"
	}
	p.raw = []byte(e.ResponseBody)
	p.saveName = fmt.Sprintf("response-%d%s", e.N, extFor("", p.raw))
	p.setSize(h.width, h.contentHeight())
	h.detail = p
	h.state = histDetail
	h.status = ""
	return hl
}

func (h *HistoryModel) resultLine(e call.Entry) string {
	if e.Status == 0 {
		return h.st.Error.Render("no response")
	}
	st := h.st.OK
	if e.Status >= 400 {
		st = h.st.Error.Bold(true)
	}
	return st.Render(fmt.Sprint(e.Status)) + h.st.Muted.Render(fmt.Sprintf(" · %s · %s", call.FormatDuration(time.Duration(e.DurationMS*float64(time.Millisecond))), call.FormatSize(e.ResponseSize)))
}

// replay opens the entry in a form, with the current secret of its
// profile, and sends it (asking first for a real service and a method
// other than GET or HEAD).
func (h *HistoryModel) replay() tea.Cmd {
	e := h.entries[h.cursor]
	if h.opts.Lookup == nil {
		h.setStatus("", errors.New("replay is not available here"))
		return nil
	}
	conn, op, ok := h.opts.Lookup(e.Connector, e.Operation)
	if !ok {
		h.setStatus("", fmt.Errorf("cannot replay #%d: %s/%s is not in the catalogue any more", e.N, e.Connector, e.Operation))
		return nil
	}
	if e.BodyOmitted {
		h.setStatus("", fmt.Errorf("cannot replay #%d: its body was too large to keep in the history", e.N))
		return nil
	}
	opts := h.opts.Form
	opts.Connector, opts.Operation = conn, op
	opts.Params = e.Params
	opts.Body = nil
	if e.Body != "" {
		opts.Body = []byte(e.Body)
	}
	opts.Profile = e.Auth
	if opts.Profile == "" {
		opts.Profile = call.AuthNone
	}
	opts.BaseURL, opts.UseMock = e.BaseURL, e.Mock
	opts.HideHelp = h.opts.HideHelp
	opts.AutoSend = true
	if opts.History == nil {
		opts.History = h.opts.History
	}
	if opts.KeyMap == nil {
		opts.KeyMap = &h.keys
	}
	if opts.Styles == nil {
		opts.Styles = &h.st
	}
	h.form = New(opts)
	h.form.SetSize(h.width, h.height)
	h.state = histReplay
	h.detail = nil
	return h.form.Init()
}

func sortedMapKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// View renders the current screen.
func (h *HistoryModel) View() string {
	if h.width == 0 {
		return ""
	}
	if h.state == histReplay {
		return h.form.View()
	}
	title := h.st.Title.Render("Call history")
	if h.loaded {
		title += h.st.Crumb.Render(fmt.Sprintf(" · %d call%s", len(h.entries), plural(len(h.entries))))
	}
	lines := []string{title}
	ch := h.contentHeight()
	if h.state == histDetail {
		lines = append(lines, fit(strings.Split(h.detail.view(), "\n"), ch)...)
	} else {
		lines = append(lines, fit(h.listLines(ch), ch)...)
	}
	status := ""
	if h.status != "" {
		status = h.st.Status.Render(h.status)
		if h.statusErr {
			status = h.st.StatusErr.Render(h.status)
		}
	}
	lines = append(lines, status)
	if !h.opts.HideHelp {
		lines = append(lines, h.help.View(h.helpKeys()))
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, h.width, "…")
	}
	return strings.Join(lines, "\n")
}

func (h *HistoryModel) listLines(ch int) []string {
	if !h.loaded {
		return []string{h.st.Muted.Render("loading…")}
	}
	if len(h.entries) == 0 {
		return []string{"", h.st.Muted.Render("No calls yet. Open an operation and press t to try it.")}
	}
	rows := h.rows()
	if h.cursor < h.top {
		h.top = h.cursor
	}
	if h.cursor >= h.top+rows {
		h.top = h.cursor - rows + 1
	}
	head := fmt.Sprintf("  %-5s %-12s %-6s %-6s %7s  %s", "#", "when", "method", "status", "took", "operation")
	out := []string{h.st.Muted.Render(head)}
	for i := h.top; i < len(h.entries) && i < h.top+rows; i++ {
		e := h.entries[i]
		status := "—"
		if e.Status != 0 {
			status = fmt.Sprint(e.Status)
		}
		if e.Error != "" && e.Status == 0 {
			status = "error"
		}
		took := "—"
		if e.Status != 0 {
			took = call.FormatDuration(time.Duration(e.DurationMS * float64(time.Millisecond)))
		}
		line := fmt.Sprintf("%-5s %-12s %-6s %-6s %7s  %s/%s", fmt.Sprintf("#%d", e.N),
			e.Time.In(h.opts.Location).Format("Jan 02 15:04"), safeterm.Line(e.Method), status,
			took, safeterm.Line(e.Connector), safeterm.Line(e.Operation))
		if e.Mock {
			line += " (mock)"
		}
		if i == h.cursor {
			out = append(out, h.st.Selected.Render("› "+ansi.Truncate(line, h.width-2, "…")))
		} else {
			out = append(out, "  "+line)
		}
	}
	// The selected call's URL, at the bottom.
	e := h.entries[h.cursor]
	out = fit(out, ch-1)
	return append(out, h.st.Muted.Render(safeterm.Line(e.URL)))
}

func envNoColor(lookup func(string) (string, bool)) bool {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	_, ok := lookup("NO_COLOR")
	return ok
}
