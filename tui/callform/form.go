// Package callform is the TUI's test-call screens: a form to fill an
// operation's parameters, body and auth profile with a live preview of the
// exact request, sending with a spinner and cancellation, the response
// (pretty-printed, highlighted, searchable, savable, copyable as curl),
// and a history browser with replay. It drives the call engine (package
// call) and never does I/O in Update or View: everything goes through
// commands, and results of a cancelled or older send are dropped.
package callform

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/mock"
	"github.com/connex-dev/connex/secrets"
)

// Options wire the form to the engine and the outside world. Only
// Connector and Operation are required; every function has a default or
// turns its feature off.
type Options struct {
	Connector *catalog.Connector
	Operation *catalog.Operation

	// Profiles lists saved auth profiles (of every connector: the form
	// keeps this connector's). secrets.Store.List fits. Nil: "none" only.
	Profiles func() ([]secrets.Profile, error)
	// Secret resolves a profile's secret when sending, never before
	// (keyring, environment, token command). secrets.Store.Secret fits.
	Secret func(ctx context.Context, p secrets.Profile) (string, error)
	// Do sends a built request. Nil: a call.Client with default policy.
	Do func(ctx context.Context, req *call.Request) (*call.Response, error)
	// BaseURL sends to another server than the connector's host.
	BaseURL string
	// UseMock sends to an in-process mock of the connector. The sample
	// connectors (host catalog.SampleHost) go there unless BaseURL is set.
	UseMock bool
	// StartMock starts a mock and returns its origin and a stop function.
	// Nil: mock.Start on a free 127.0.0.1 port.
	StartMock func(conn *catalog.Connector) (origin string, stop func(), err error)
	// History receives every call (redacted). Nil: not recorded.
	History *call.History
	// Editor is the command editing the body (default $VISUAL, $EDITOR, vi).
	Editor string
	// Copy puts text on the clipboard. Nil: copying is reported as
	// unavailable.
	Copy func(string) error
	// SaveFile writes a response body. Nil: os.WriteFile with mode 0600.
	SaveFile func(path string, data []byte) error
	// Now is the clock of history entries. Nil: time.Now.
	Now func() time.Time
	// NoColor turns syntax highlighting off; NO_COLOR in the environment
	// does too.
	NoColor bool
	// Params, Body and Profile pre-fill the form (a replay). Profile ""
	// picks the connector's "default" profile when there is one; "none"
	// picks no credentials.
	Params  map[string]string
	Body    []byte
	Profile string
	// AutoSend sends as soon as the auth profiles are loaded (replay).
	AutoSend bool
	// HideHelp leaves the key help line out of View (the host shows it).
	HideHelp bool
	// KeyMap and Styles override the defaults.
	KeyMap *KeyMap
	Styles *Styles
}

// CloseMsg is emitted when the user leaves the form (Esc).
type CloseMsg struct{ ID int64 }

// SentMsg is emitted (besides being handled) when a call completed and its
// response is shown, so a host can refresh a history list.
type SentMsg struct {
	ID     int64
	Status int
}

// mockPlaceholder stands for the mock's address until a send starts it
// (the same text `connex call --dry-run` shows).
const mockPlaceholder = "http://connex-mock.localhost"

// placeholderSecret stands for a profile's secret in the preview: the
// keyring is read, or a token command run, only when sending.
const placeholderSecret = "connex-placeholder-secret"

var lastID atomic.Int64

type state int

const (
	stateForm state = iota
	stateConfirm
	stateSending
	stateResponse
	statePreview
)

type fieldKind int

const (
	fieldText fieldKind = iota
	fieldChoice
	fieldBody
	fieldAuth
)

type field struct {
	kind     fieldKind
	key      string // wire name; "" for auth
	label    string // safe
	meta     string // safe: "string · query"
	desc     string // safe, one line
	required bool
	input    textinput.Model
	choices  []string // values; "" means not set
	names    []string // display of each choice, safe
	idx      int
	touched  bool
}

func (f *field) value() string {
	switch f.kind {
	case fieldText:
		return f.input.Value()
	case fieldChoice, fieldAuth:
		if f.idx >= 0 && f.idx < len(f.choices) {
			return f.choices[f.idx]
		}
	}
	return ""
}

// Model is the test-call form and its response view.
type Model struct {
	opts    Options
	id      int64
	keys    KeyMap
	st      Styles
	help    help.Model
	useMock bool
	color   bool

	width, height int
	fields        []*field
	focus         int
	bodyIdx       int // index of the body field, -1 when none
	body          textarea.Model
	profiles      []secrets.Profile

	state    state
	req      *call.Request // last successful preview build
	buildErr error
	verr     *call.ValidationError
	showAll  bool // after a refused send: every problem is shown

	status    string
	statusErr bool

	seq     int
	cancel  context.CancelFunc
	spin    spinner.Model
	confirm *call.Request

	previewVP viewport.Model
	resp      *pager
	sent      *call.Request // the request of the response shown
	autoSent  bool
}

// lookupEnv is os.LookupEnv, a variable for tests.
var lookupEnv = os.LookupEnv

// New builds the form for opts.Operation.
func New(opts Options) *Model {
	m := &Model{opts: opts, id: lastID.Add(1), keys: DefaultKeyMap(), st: DefaultStyles(), bodyIdx: -1}
	if opts.KeyMap != nil {
		m.keys = *opts.KeyMap
	}
	if opts.Styles != nil {
		m.st = *opts.Styles
	}
	m.color = !opts.NoColor && !envNoColor()
	m.useMock = opts.UseMock || (opts.BaseURL == "" && IsSample(opts.Connector))
	if m.opts.Do == nil {
		// One client per form, so repeated sends reuse its connections.
		m.opts.Do = call.NewClient(call.ClientOptions{}).Do
	}
	m.help = help.New()
	m.spin = spinner.New(spinner.WithSpinner(spinner.Dot))
	m.previewVP = viewport.New(0, 0)
	m.body = textarea.New()
	m.body.ShowLineNumbers = false
	m.body.Prompt = "│ "
	m.body.CharLimit = 0
	m.body.MaxHeight = 0
	m.body.Cursor.SetMode(cursor.CursorStatic)
	m.buildFields()
	if len(m.fields) > 0 {
		m.focusField(0)
	}
	m.rebuild()
	return m
}

// IsSample reports whether conn is a built-in sample connector, whose
// host never resolves: its calls go to the mock.
func IsSample(conn *catalog.Connector) bool {
	return conn != nil && strings.EqualFold(conn.Host, catalog.SampleHost)
}

// ID identifies this form in the messages it emits.
func (m *Model) ID() int64 { return m.id }

func (m *Model) buildFields() {
	op := m.opts.Operation
	auth := &field{kind: fieldAuth, label: "Auth profile", choices: []string{""}, names: []string{"none"}}
	if m.opts.Connector == nil || op == nil {
		m.fields = []*field{auth}
		return
	}
	var req, opt, internal []*field
	for i := range op.Parameters {
		p := &op.Parameters[i]
		if p.In == "body" {
			continue
		}
		f := m.paramField(p)
		switch {
		case p.Visibility == catalog.VisibilityInternal:
			internal = append(internal, f)
		case f.required:
			req = append(req, f)
		default:
			opt = append(opt, f)
		}
	}
	m.fields = append(append(append(m.fields, req...), opt...), internal...)
	if hasBody(op) {
		f := &field{kind: fieldBody, key: bodyKey(op), label: "Body", meta: "JSON · body"}
		if bp := bodyParam(op); bp != nil {
			f.required = bp.Required
			f.desc = oneLine(bp.Description)
			if len(op.Consumes) > 0 {
				f.meta = safeterm.Line(op.Consumes[0]) + " · body"
			}
		}
		text := m.opts.Body
		if text == nil {
			if sk, err := call.Skeleton(m.opts.Connector, op); err == nil {
				text = sk
			}
		}
		m.body.SetValue(string(text))
		m.body.CursorStart()
		m.bodyIdx = len(m.fields)
		m.fields = append(m.fields, f)
	}
	if t := call.DefaultAuthType(m.opts.Connector); t != "" {
		auth.meta = "connector uses " + t
	}
	m.fields = append(m.fields, auth)
}

func (m *Model) paramField(p *catalog.Parameter) *field {
	required := p.Required || p.In == "path"
	f := &field{key: p.Key, required: required, desc: oneLine(p.Description)}
	f.label = safeterm.Line(p.Name)
	if f.label == "" {
		f.label = safeterm.Line(p.Key)
	}
	meta := []string{}
	if p.Name != "" && p.Name != p.Key {
		meta = append(meta, safeterm.Line(p.Key))
	}
	typ := p.Type
	if typ == "" {
		typ = "string"
	}
	if p.Format != "" {
		typ += "/" + p.Format
	}
	meta = append(meta, safeterm.Line(typ), safeterm.Line(p.In))
	if p.Visibility == catalog.VisibilityInternal {
		meta = append(meta, "internal")
	}
	def := ""
	if p.Default != "" {
		def = call.DefaultText(p.Default)
	}
	// The engine sends the default of required and internal parameters;
	// an optional default is what the server assumes, so it stays unset.
	engineFills := def != "" && (required || p.Visibility == catalog.VisibilityInternal)
	given, hasGiven := lookupParam(m.opts.Params, p)
	choices := p.Enum
	if p.Type == "boolean" && len(choices) == 0 {
		choices = []string{"true", "false"}
	}
	if len(choices) > 0 {
		f.kind = fieldChoice
		if !engineFills {
			unset := "(not set)"
			if def != "" {
				unset = "(server default: " + safeterm.Line(def) + ")"
			}
			f.choices, f.names = append(f.choices, ""), append(f.names, unset)
		}
		for _, c := range choices {
			f.choices = append(f.choices, c)
			f.names = append(f.names, safeterm.Line(c))
		}
		want := ""
		if engineFills {
			want = def
		}
		if hasGiven {
			want = given
		}
		for i, c := range f.choices {
			if c == want {
				f.idx = i
			}
		}
		if hasGiven && f.choices[f.idx] != want {
			// A value outside the enum (an old replay): keep it typed.
			f.kind, f.choices, f.names = fieldText, nil, nil
		}
		if f.kind == fieldChoice {
			if p.Type != "boolean" || len(p.Enum) > 0 {
				meta = append(meta, "enum")
			}
			f.meta = strings.Join(meta, " · ")
			return f
		}
	}
	f.kind = fieldText
	f.meta = strings.Join(meta, " · ")
	in := textinput.New()
	in.Prompt = "│ "
	in.Cursor.SetMode(cursor.CursorStatic)
	in.CharLimit = 0
	switch {
	case hasGiven:
		in.SetValue(given)
	case engineFills:
		in.SetValue(def)
	case def != "":
		in.Placeholder = "server default: " + safeterm.Line(def)
	case p.Type == "file":
		in.Placeholder = "file content"
	case strings.HasPrefix(p.Type, "array"):
		in.Placeholder = "a,b or [\"a\",\"b\"]"
	}
	f.input = in
	return f
}

func lookupParam(params map[string]string, p *catalog.Parameter) (string, bool) {
	if v, ok := params[p.Key]; ok {
		return v, true
	}
	for k, v := range params {
		if strings.EqualFold(k, p.Key) || (p.Name != "" && strings.EqualFold(k, p.Name)) {
			return v, true
		}
	}
	return "", false
}

func oneLine(s string) string { return strings.TrimSpace(safeterm.Line(s)) }

func hasBody(op *catalog.Operation) bool { return bodyParam(op) != nil || len(op.Body) > 0 }

func bodyParam(op *catalog.Operation) *catalog.Parameter {
	for i := range op.Parameters {
		if op.Parameters[i].In == "body" {
			return &op.Parameters[i]
		}
	}
	return nil
}

func bodyKey(op *catalog.Operation) string {
	if p := bodyParam(op); p != nil {
		return p.Key
	}
	return "body"
}

// Init loads the auth profiles.
func (m *Model) Init() tea.Cmd {
	if m.opts.Profiles == nil {
		if m.opts.AutoSend && !m.autoSent {
			m.autoSent = true
			if m.opts.Profile != "" && m.opts.Profile != call.AuthNone {
				m.setStatus("", fmt.Errorf("auth profile %q is not available here: nothing was sent", m.opts.Profile))
				return nil
			}
			return m.trySend()
		}
		return nil
	}
	id, list := m.id, m.opts.Profiles
	return func() tea.Msg {
		all, err := list()
		return profilesMsg{id: id, profiles: all, err: err}
	}
}

type profilesMsg struct {
	id       int64
	profiles []secrets.Profile
	err      error
}

// sentMsg is a send's result, stamped with the form and the send number.
type sentMsg struct {
	id      int64
	seq     int
	req     *call.Request
	resp    *call.Response
	err     error
	histErr error
	body    preparedBody
}

type doneMsg struct {
	id   int64
	text string
	err  error
}

type editorMsg struct {
	id   int64
	text string
	err  error
}

// SetSize gives the form its width and height.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(w, 20), max(h, 6)
	m.help.Width = m.width
	m.body.SetWidth(max(10, m.formWidth()-4))
	m.fitBody()
	for _, f := range m.fields {
		if f.kind == fieldText {
			f.input.Width = max(5, m.formWidth()-5)
		}
	}
	m.previewVP.Width, m.previewVP.Height = m.width, max(1, m.contentHeight()-1)
	if m.resp != nil {
		m.resp.setSize(m.width, m.contentHeight())
	}
	m.setPreviewContent()
}

// wide layouts put the preview beside the form.
func (m *Model) wide() bool { return m.width >= 110 }

func (m *Model) formWidth() int {
	if m.wide() {
		return m.width * 11 / 20
	}
	return m.width
}

// fitBody grows the body editor with its text, up to bodyHeight.
func (m *Model) fitBody() {
	if m.height == 0 {
		return
	}
	m.body.SetHeight(min(m.bodyHeight(), max(3, m.body.LineCount()+1)))
}

func (m *Model) bodyHeight() int {
	if m.wide() {
		return max(3, min(12, m.contentHeight()-10))
	}
	return max(3, min(8, m.contentHeight()-12))
}

// contentHeight is the height between the title lines and the footer.
func (m *Model) contentHeight() int {
	h := m.height - 2 - 1 // title, subtitle, status
	if !m.opts.HideHelp {
		h--
	}
	return max(1, h)
}

func (m *Model) focusField(i int) tea.Cmd {
	if len(m.fields) == 0 {
		return nil
	}
	i = (i + len(m.fields)) % len(m.fields)
	old := m.fields[m.focus]
	switch old.kind {
	case fieldText:
		old.input.Blur()
	case fieldBody:
		m.body.Blur()
	}
	m.focus = i
	f := m.fields[i]
	switch f.kind {
	case fieldText:
		return f.input.Focus()
	case fieldBody:
		return m.body.Focus()
	}
	return nil
}

// input collects the form as engine input.
func (m *Model) input() call.Input {
	in := call.Input{Params: map[string]string{}}
	for _, f := range m.fields {
		switch f.kind {
		case fieldText, fieldChoice:
			if v := f.value(); v != "" {
				in.Params[f.key] = v
			}
		case fieldBody:
			if v := m.body.Value(); strings.TrimSpace(v) != "" {
				in.Body = []byte(v)
			}
		}
	}
	return in
}

// profile returns the chosen profile, if any.
func (m *Model) profile() (secrets.Profile, bool) {
	f := m.fields[len(m.fields)-1]
	name := f.value()
	if name == "" {
		return secrets.Profile{}, false
	}
	for _, p := range m.profiles {
		if p.Name == name {
			return p, true
		}
	}
	return secrets.Profile{}, false
}

func placeholderCreds(p secrets.Profile) *call.Credentials {
	secret := placeholderSecret
	if p.Type == call.AuthBasic {
		secret = "user:" + placeholderSecret
	}
	return call.ProfileCredentials(p, secret)
}

// rebuild builds the request for the preview and validation: with a
// placeholder secret and the mock's placeholder address, no I/O.
func (m *Model) rebuild() {
	m.req, m.buildErr, m.verr = nil, nil, nil
	if m.opts.Connector == nil || m.opts.Operation == nil {
		m.buildErr = errors.New("no operation to call")
		return
	}
	in := m.input()
	if p, ok := m.profile(); ok {
		in.Auth = placeholderCreds(p)
	}
	in.BaseURL = m.opts.BaseURL
	if m.useMock {
		in.BaseURL = mockPlaceholder
	}
	req, err := call.Build(m.opts.Connector, m.opts.Operation, in)
	if err != nil {
		var ve *call.ValidationError
		if errors.As(err, &ve) {
			m.verr = ve
		}
		m.buildErr = err
	} else {
		m.req = req
		if m.showAll && m.statusErr {
			// The problems that stopped the send are fixed.
			m.status, m.statusErr = "", false
		}
	}
	m.setPreviewContent()
}

// fieldProblem is the validation problem to show next to f.
func (m *Model) fieldProblem(f *field) string {
	if m.verr == nil || f.kind == fieldAuth || !(f.touched || m.showAll) {
		return ""
	}
	if p := m.verr.For(f.key); p != nil {
		return safeterm.Line(p.Problem)
	}
	return ""
}

// otherProblems are problems no field shows (unknown path placeholders).
func (m *Model) otherProblems() []string {
	if m.verr == nil {
		return nil
	}
	known := map[string]bool{}
	for _, f := range m.fields {
		if f.kind != fieldAuth {
			known[f.key] = true
		}
	}
	var out []string
	for _, p := range m.verr.Problems {
		if !known[p.Param] {
			out = append(out, safeterm.Line(p.Error()))
		}
	}
	return out
}

func (m *Model) previewText() string {
	if m.req != nil {
		return strings.TrimRight(safeterm.Text(call.Preview(m.req)), "\n")
	}
	if m.verr != nil {
		var b strings.Builder
		b.WriteString("The request cannot be built yet:")
		for _, p := range m.verr.Problems {
			b.WriteString("\n• " + safeterm.Line(p.Error()))
		}
		return b.String()
	}
	if m.buildErr != nil {
		return safeterm.Text(m.buildErr.Error())
	}
	return ""
}

func (m *Model) setPreviewContent() {
	w := m.width
	if m.wide() {
		w = m.width - m.formWidth() - 2
	}
	m.previewVP.SetContent(wrapText(m.previewText(), max(10, w)))
}

// wrapText wraps safe text to w columns, long words broken.
func wrapText(s string, w int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = ansi.Wrap(l, w, "")
	}
	return strings.Join(lines, "\n")
}

// ShortHelp and FullHelp describe the keys of the current screen, so the
// host can show them (help.KeyMap).
func (m *Model) ShortHelp() []key.Binding { return m.helpKeys().ShortHelp() }

// FullHelp groups every key of the current screen.
func (m *Model) FullHelp() [][]key.Binding { return m.helpKeys().FullHelp() }

func (m *Model) helpKeys() helpKeys {
	switch m.state {
	case stateConfirm:
		return m.keys.confirmHelp()
	case stateSending:
		return m.keys.sendingHelp()
	case statePreview:
		return m.keys.previewHelp()
	case stateResponse:
		if m.resp != nil && m.resp.capturing() {
			return m.keys.promptHelp()
		}
		return m.keys.responseHelp(true)
	}
	f := m.fields[m.focus]
	return m.keys.formHelp(f.kind == fieldChoice || f.kind == fieldAuth, f.kind == fieldBody)
}

// Update handles a message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.SetSize(msg.Width, msg.Height)
		return m, nil
	case profilesMsg:
		if msg.id != m.id {
			return m, nil
		}
		found := m.setProfiles(msg.profiles, msg.err)
		if m.opts.AutoSend && !m.autoSent && found {
			m.autoSent = true
			return m, m.trySend()
		}
		return m, nil
	case sentMsg:
		return m, m.onSent(msg)
	case doneMsg:
		if msg.id == m.id {
			m.setStatus(msg.text, msg.err)
		}
		return m, nil
	case editorMsg:
		if msg.id == m.id {
			if msg.err != nil {
				m.setStatus("", msg.err)
			} else {
				m.body.SetValue(msg.text)
				m.fields[m.bodyIdx].touched = true
				m.fitBody()
				m.setStatus("body updated from the editor", nil)
				m.rebuild()
			}
		}
		return m, nil
	case highlightMsg:
		if m.resp != nil {
			m.resp.setStyled(msg)
		}
		return m, nil
	case spinner.TickMsg:
		if m.state != stateSending {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		return m, m.onKey(msg)
	}
	// Anything else (cursor blinks, mouse) goes to the focused widget.
	switch m.state {
	case stateResponse:
		cmd, _ := m.resp.update(msg)
		return m, cmd
	case stateForm:
		return m, m.updateFocused(msg)
	}
	return m, nil
}

// setProfiles fills the picker; false when the profile asked for by
// Options.Profile does not exist (a replay must not silently go without).
func (m *Model) setProfiles(all []secrets.Profile, err error) bool {
	if err != nil {
		m.setStatus("", fmt.Errorf("auth profiles: %w", err))
	}
	m.profiles = m.profiles[:0]
	for _, p := range all {
		if m.opts.Connector != nil && p.Connector == m.opts.Connector.ID {
			m.profiles = append(m.profiles, p)
		}
	}
	sort.Slice(m.profiles, func(i, j int) bool { return m.profiles[i].Name < m.profiles[j].Name })
	f := m.fields[len(m.fields)-1]
	f.choices, f.names = []string{""}, []string{"none"}
	f.idx = 0
	want := m.opts.Profile
	if want == "" {
		want = secrets.DefaultProfile
	}
	for _, p := range m.profiles {
		f.choices = append(f.choices, p.Name)
		f.names = append(f.names, safeterm.Line(p.Name)+" ("+safeterm.Line(p.Type)+")")
		if p.Name == want {
			f.idx = len(f.choices) - 1
		}
	}
	m.rebuild()
	if m.opts.Profile != "" && m.opts.Profile != call.AuthNone && f.idx == 0 {
		m.setStatus("", fmt.Errorf("auth profile %q of %s no longer exists: pick one, then ctrl+s", m.opts.Profile, m.opts.Connector.ID))
		return false
	}
	return true
}

func (m *Model) setStatus(text string, err error) {
	if err != nil {
		m.status, m.statusErr = safeterm.Line(err.Error()), true
		return
	}
	m.status, m.statusErr = safeterm.Line(text), false
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch m.state {
	case stateConfirm:
		switch {
		case key.Matches(msg, k.Yes):
			m.state = stateForm
			return m.startSend()
		case key.Matches(msg, k.No):
			m.state = stateForm
			m.confirm = nil
			m.setStatus("not sent", nil)
		}
		return nil
	case stateSending:
		if key.Matches(msg, k.Cancel) {
			m.cancelSend()
			m.setStatus("cancelled; nothing is shown from that call", nil)
		}
		return nil
	case statePreview:
		switch {
		case key.Matches(msg, k.Back), key.Matches(msg, k.Preview):
			m.state = stateForm
			m.previewVP.GotoTop()
			return nil
		case key.Matches(msg, k.Send):
			m.state = stateForm
			return m.trySend()
		case key.Matches(msg, k.CopyCurl):
			return m.copyCurl(m.req)
		}
		var cmd tea.Cmd
		m.previewVP, cmd = m.previewVP.Update(msg)
		return cmd
	case stateResponse:
		if !m.resp.capturing() && key.Matches(msg, k.Back) {
			m.state = stateForm
			m.status = ""
			return nil
		}
		if !m.resp.capturing() && key.Matches(msg, k.Send) {
			m.state = stateForm
			return m.trySend()
		}
		cmd, act := m.resp.update(msg)
		switch {
		case act.save != "":
			return m.saveCmd(act.save, m.resp.raw)
		case act.copy:
			return m.copyCurl(m.sent)
		}
		if !m.resp.capturing() {
			m.status, m.statusErr = m.resp.searchStatus(), false
		}
		return cmd
	}

	// The form.
	f := m.fields[m.focus]
	switch {
	case key.Matches(msg, k.Close):
		id := m.id
		return func() tea.Msg { return CloseMsg{ID: id} }
	case key.Matches(msg, k.Send):
		return m.trySend()
	case key.Matches(msg, k.Preview):
		m.state = statePreview
		m.previewVP.Width, m.previewVP.Height = m.width, max(1, m.contentHeight()-1)
		m.previewVP.SetContent(wrapText(m.previewText(), m.width))
		return nil
	case key.Matches(msg, k.CopyCurl):
		if m.req == nil {
			m.showAll = true
			m.setStatus("", fmt.Errorf("fix the form first: %s", safeterm.Line(m.buildErr.Error())))
			return nil
		}
		return m.copyCurl(m.req)
	case key.Matches(msg, k.Editor) && f.kind == fieldBody:
		return m.editBody()
	case msg.Type == tea.KeyTab || msg.Type == tea.KeyShiftTab:
		f.touched = true
		if msg.Type == tea.KeyTab {
			return m.focusField(m.focus + 1)
		}
		return m.focusField(m.focus - 1)
	case f.kind != fieldBody && key.Matches(msg, k.Next):
		f.touched = true
		return m.focusField(m.focus + 1)
	case f.kind != fieldBody && key.Matches(msg, k.Prev):
		f.touched = true
		return m.focusField(m.focus - 1)
	case (f.kind == fieldChoice || f.kind == fieldAuth) && key.Matches(msg, k.Cycle):
		f.idx = (f.idx + 1) % len(f.choices)
		f.touched = true
		m.rebuild()
		return nil
	case (f.kind == fieldChoice || f.kind == fieldAuth) && key.Matches(msg, k.CycleBack):
		f.idx = (f.idx - 1 + len(f.choices)) % len(f.choices)
		f.touched = true
		m.rebuild()
		return nil
	}
	return m.updateFocused(msg)
}

// updateFocused passes a message to the focused input and rebuilds the
// preview when its value changed.
func (m *Model) updateFocused(msg tea.Msg) tea.Cmd {
	f := m.fields[m.focus]
	var cmd tea.Cmd
	switch f.kind {
	case fieldText:
		before := f.input.Value()
		f.input, cmd = f.input.Update(msg)
		if f.input.Value() != before {
			f.touched = true
			m.rebuild()
		}
	case fieldBody:
		before := m.body.Value()
		m.body, cmd = m.body.Update(msg)
		if m.body.Value() != before {
			f.touched = true
			m.fitBody()
			m.rebuild()
		}
	}
	return cmd
}

// trySend validates, asks for confirmation when the method changes
// something on a real service, and sends.
func (m *Model) trySend() tea.Cmd {
	m.rebuild()
	if m.req == nil {
		m.showAll = true
		if m.verr != nil {
			n := len(m.verr.Problems)
			m.setStatus("", fmt.Errorf("nothing was sent: %d problem%s to fix", n, plural(n)))
		} else {
			m.setStatus("", fmt.Errorf("nothing was sent: %w", m.buildErr))
		}
		return nil
	}
	if m.req.Method != http.MethodGet && m.req.Method != http.MethodHead && !m.useMock {
		m.state = stateConfirm
		m.confirm = m.req
		return nil
	}
	return m.startSend()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Send starts sending the form as it is (a host's replay); a method other
// than GET or HEAD to a real service still asks first.
func (m *Model) Send() tea.Cmd { return m.trySend() }

func (m *Model) cancelSend() {
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	m.seq++ // whatever the cancelled send returns is now stale
	m.state = stateForm
}

// Close cancels a send in flight; a host calls it when it drops the form.
func (m *Model) Close() {
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	m.seq++
}

func (m *Model) startSend() tea.Cmd {
	m.confirm = nil
	m.seq++
	seq, id := m.seq, m.id
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	m.state = stateSending
	m.status, m.statusErr = "", false

	conn, op := m.opts.Connector, m.opts.Operation
	in := m.input()
	prof, hasProf := m.profile()
	profName := ""
	if hasProf {
		profName = prof.Name
	}
	useMock, baseURL := m.useMock, m.opts.BaseURL
	secretFn, do, hist, now := m.opts.Secret, m.opts.Do, m.opts.History, m.opts.Now
	if now == nil {
		now = time.Now
	}
	startMock := m.opts.StartMock
	if startMock == nil {
		startMock = defaultStartMock
	}
	send := func() tea.Msg {
		res := sentMsg{id: id, seq: seq}
		if hasProf {
			if secretFn == nil {
				res.err = fmt.Errorf("auth profile %s: no secret store; pick \"none\"", prof.Name)
				return res
			}
			secret, err := secretFn(ctx, prof)
			if err != nil {
				res.err = fmt.Errorf("auth profile %s: %w", prof.Name, err)
				return res
			}
			in.Auth = call.ProfileCredentials(prof, secret)
		}
		in.BaseURL = baseURL
		if useMock {
			origin, stop, err := startMock(conn)
			if err != nil {
				res.err = fmt.Errorf("start the mock of %s: %w", conn.ID, err)
				return res
			}
			defer stop()
			in.BaseURL = origin
		}
		req, err := call.Build(conn, op, in)
		if err != nil {
			res.err = err
			return res
		}
		res.req = req
		res.resp, res.err = do(ctx, req)
		if res.resp != nil {
			// Indenting and sanitising a 5 MiB body takes a frame or
			// more: done here, not in Update.
			res.body = prepareBody(req.ScrubBytes(res.resp.Body), res.resp.Headers.Get("Content-Type"))
		}
		if hist != nil && ctx.Err() == nil {
			histBase := baseURL
			if useMock {
				histBase = ""
			}
			e := hist.NewEntry(req, res.resp, res.err, call.CallRecord{
				Time: now(), Params: in.Params, Body: in.Body, Auth: profName, BaseURL: histBase, Mock: useMock,
			})
			res.histErr = hist.Append(e)
		}
		return res
	}
	return tea.Batch(send, m.spin.Tick)
}

func defaultStartMock(conn *catalog.Connector) (string, func(), error) {
	srv, err := mock.Start(conn, mock.Options{})
	if err != nil {
		return "", nil, err
	}
	return srv.URL, func() { _ = srv.Close() }, nil
}

func (m *Model) onSent(msg sentMsg) tea.Cmd {
	if msg.id != m.id || msg.seq != m.seq || m.state != stateSending {
		return nil // cancelled or superseded
	}
	m.cancel = nil
	if msg.resp == nil {
		m.state = stateForm
		err := msg.err
		if err == nil {
			err = errors.New("no response")
		}
		var ve *call.ValidationError
		if errors.As(err, &ve) {
			m.verr, m.showAll = ve, true
		}
		m.setStatus("", fmt.Errorf("the call failed: %w", err))
		return nil
	}
	m.sent = msg.req
	var hl tea.Cmd
	m.resp, hl = m.responsePager(msg.req, msg.resp, msg.err, msg.body)
	m.resp.setSize(m.width, m.contentHeight())
	m.state = stateResponse
	switch {
	case msg.histErr != nil:
		m.setStatus("", fmt.Errorf("the call was not saved in the history: %w", msg.histErr))
	case msg.err != nil:
		m.setStatus("", fmt.Errorf("reading the response: %w", msg.err))
	default:
		m.status = ""
	}
	id, status := m.id, msg.resp.Status
	return tea.Batch(hl, func() tea.Msg { return SentMsg{ID: id, Status: status} })
}

// responsePager lays out a response. A server may echo credentials back:
// everything is scrubbed with the request's secrets, then sanitised.
func (m *Model) responsePager(req *call.Request, resp *call.Response, readErr error, prepared preparedBody) (*pager, tea.Cmd) {
	p := newPager(m.keys, m.st)
	statusStyle := m.st.OK
	if resp.Status >= 400 {
		statusStyle = m.st.Error.Bold(true)
	}
	line := statusStyle.Render(safeterm.Line(resp.StatusText)) + m.st.Muted.Render(" · "+call.FormatDuration(resp.Duration)+" · "+call.FormatSize(resp.Size))
	if resp.Redirects > 0 {
		line += m.st.Muted.Render(fmt.Sprintf(" · %d redirect(s)", resp.Redirects))
	}
	p.summary = append(p.summary, line)
	target := req.Method + " " + req.Scrub(resp.URL)
	if m.useMock {
		target += "  (local mock)"
	}
	p.summary = append(p.summary, m.st.Muted.Render(safeterm.Line(target)))
	for _, n := range resp.Notices {
		p.summary = append(p.summary, m.st.Warn.Render("! "+safeterm.Line(n)))
	}
	if readErr != nil {
		p.summary = append(p.summary, m.st.Error.Render("! "+safeterm.Line(req.Scrub(readErr.Error()))))
	}
	var hdrs []string
	for _, k := range sortedHeaderKeys(resp.Headers) {
		for _, v := range resp.Headers[k] {
			hdrs = append(hdrs, safeterm.Line(k+": "+req.Scrub(v)))
		}
	}
	p.sections = []*section{{title: fmt.Sprintf("Headers (%d)", len(hdrs)), lines: hdrs}}
	body := req.ScrubBytes(resp.Body)
	ct := resp.Headers.Get("Content-Type")
	hl := p.setPrepared(prepared, m.color)
	p.bodyHead = "Body"
	if len(body) == 0 {
		p.bodyHead = "Body: empty"
	}
	p.raw = body
	p.saveName = "response" + extFor(ct, body)
	p.canCopy = true
	return p, hl
}

func sortedHeaderKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func extFor(ct string, body []byte) string {
	switch {
	case isJSON(ct):
		return ".json"
	case strings.Contains(ct, "xml"):
		return ".xml"
	case strings.Contains(ct, "html"):
		return ".html"
	case strings.HasPrefix(ct, "text/"):
		return ".txt"
	}
	if t := strings.TrimSpace(string(body)); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		return ".json"
	}
	return ".bin"
}

func (m *Model) copyCurl(req *call.Request) tea.Cmd {
	if req == nil {
		return nil
	}
	if m.opts.Copy == nil {
		m.setStatus("", errors.New("no clipboard available"))
		return nil
	}
	text := call.Curl(req, call.CurlEnv)
	if m.useMock && req == m.sent {
		// The mock that answered is gone: the placeholder says so.
		text = strings.ReplaceAll(text, originOf(req), mockPlaceholder)
	}
	id, cp := m.id, m.opts.Copy
	return func() tea.Msg {
		if err := cp(text); err != nil {
			return doneMsg{id: id, err: fmt.Errorf("copy: %w", err)}
		}
		msg := "copied the curl command"
		if req.AuthType != "" {
			msg += " (export " + call.SecretEnv + " before running it)"
		}
		return doneMsg{id: id, text: msg}
	}
}

func originOf(req *call.Request) string {
	if req.URL == nil {
		return ""
	}
	return req.URL.Scheme + "://" + req.URL.Host
}

func (m *Model) saveCmd(path string, data []byte) tea.Cmd {
	return saveCmd(m.id, m.opts.SaveFile, path, data)
}

func saveCmd(id int64, save func(string, []byte) error, path string, data []byte) tea.Cmd {
	if save == nil {
		save = func(p string, b []byte) error { return os.WriteFile(p, b, 0o600) }
	}
	data = append([]byte(nil), data...)
	return func() tea.Msg {
		if err := save(path, data); err != nil {
			return doneMsg{id: id, err: fmt.Errorf("save %s: %w", path, err)}
		}
		return doneMsg{id: id, text: fmt.Sprintf("saved %s to %s", call.FormatSize(int64(len(data))), path)}
	}
}
