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
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/app"
	"github.com/connex-dev/connex/platform"
	"github.com/connex-dev/connex/secrets"
	"github.com/connex-dev/connex/tui/common"
	"github.com/connex-dev/connex/tui/keys"
	"github.com/connex-dev/connex/tui/styles"
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
	// Platform signs in to the Power Platform silently and returns a
	// client and the environment in use (app.PlatformClient fits). The
	// form calls it in a command, never in Update, when the operation
	// goes through a connection (app.NeedsConnection), to list the
	// user's connections to the connector. Nil: nobody is signed in.
	Platform func() (*platform.Client, string, error)
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
	// LookupEnv reads the environment (NO_COLOR). Nil: os.LookupEnv.
	LookupEnv func(string) (string, bool)
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
	KeyMap *keys.KeyMap
	Styles *styles.Styles
}

// CloseMsg is emitted when the user leaves the form (Esc).
type CloseMsg struct{ ID int64 }

// SentMsg is emitted (besides being handled) when a call completed and its
// response is shown, so a host can refresh a history list.
type SentMsg struct {
	ID     int64
	Status int
}

// Owner is the form that sent the call.
func (m SentMsg) Owner() int64 { return m.ID }

// mockPlaceholder stands for the mock's address until a send starts it
// (the same text `connex call --dry-run` shows).
const mockPlaceholder = app.CallMockPlaceholder

type state int

const (
	stateForm state = iota
	stateConfirm
	stateSending
	stateResponse
	statePreview
)

const (
	fieldText fieldKind = iota
	fieldChoice
	fieldBody
	fieldAuth
	// fieldTarget chooses where the call goes: the real host, the local
	// mock, or a base URL typed in the field after it (fieldBaseURL).
	fieldTarget
	fieldBaseURL
	// fieldConnection picks one of the user's Power Platform connections
	// to the connector, shown when the target is targetConn.
	fieldConnection
)

// Send targets, the choices of the "Send to" field.
const (
	targetHost = "host"
	targetMock = "mock"
	targetBase = "base"
	// targetConn goes through the chosen connection (route 1).
	targetConn = "connection"
)

// Model is the test-call form and its response view.
type Model struct {
	opts    Options
	id      int64
	keys    keys.KeyMap
	st      styles.Styles
	help    help.Model
	useMock bool
	baseURL string // when sending to a base URL
	color   bool

	width, height int
	fields        []*field
	focus         int
	bodyIdx       int // index of the body field, -1 when none
	body          textarea.Model
	profiles      []secrets.Profile

	// Calls through a connection (needsConn): the picker's state, filled
	// by connectionsMsg.
	needsConn  bool
	noHost     bool // no direct call to the host, and no connection either
	viaConn    bool // the target is targetConn
	plat       *platform.Client
	conns      *app.ConnectionChoices
	connErr    error // why no connection can be picked; nil while listing
	connListed bool

	state    state
	req      *call.Request // last successful preview build
	buildErr error
	// askRebind: the user was told the profile's credentials are bound to
	// another host and asked to press send again; rebind: they did, so
	// this form's calls send them anyway (call.Input.Rebind).
	askRebind, rebind bool
	verr              *call.ValidationError
	showAll           bool // after a refused send: every problem is shown

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

// New builds the form for opts.Operation.
func New(opts Options) *Model {
	m := &Model{opts: opts, id: common.NewID(), keys: keys.DefaultKeyMap(), st: styles.DefaultStyles(), bodyIdx: -1}
	if opts.KeyMap != nil {
		m.keys = *opts.KeyMap
	}
	if opts.Styles != nil {
		m.st = *opts.Styles
	}
	m.color = !opts.NoColor && !envNoColor(opts.LookupEnv)
	m.useMock = opts.UseMock || (opts.BaseURL == "" && IsSample(opts.Connector))
	m.baseURL = opts.BaseURL
	m.needsConn = app.NeedsConnection(opts.Operation) && !IsSample(opts.Connector)
	// The host of a connector whose definition is the platform's takes
	// calls only through a connection: an operation of it without
	// {connectionId} goes to the mock or a base URL.
	m.noHost = !m.needsConn && opts.Connector != nil && opts.Connector.ViaConnection
	if m.noHost && opts.BaseURL == "" {
		m.useMock = true
	}
	m.viaConn = m.needsConn && !m.useMock && m.baseURL == ""
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
func IsSample(conn *catalog.Connector) bool { return app.IsSample(conn) }

// ID identifies this form in the messages it emits.
func (m *Model) ID() int64 { return m.id }

// Owns reports whether an async result stamped with id is this form's
// (its sends, profiles, editor, or the colours of its response).
func (m *Model) Owns(id int64) bool {
	return id == m.id || (m.resp != nil && m.resp.id == id)
}

// Capturing reports that keys are text: a field of the form has the
// focus, or the response's find or save prompt is open.
func (m *Model) Capturing() bool {
	switch m.state {
	case stateForm:
		return true
	case stateResponse:
		return m.resp != nil && m.resp.capturing()
	}
	return false
}

var _ common.Component = (*Model)(nil)

// Init loads the auth profiles and, for an operation that goes through a
// connection, lists the user's connections.
func (m *Model) Init() tea.Cmd {
	if m.needsConn {
		return tea.Batch(m.initProfiles(), m.listConnections())
	}
	return m.initProfiles()
}

func (m *Model) initProfiles() tea.Cmd {
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

// Owner routes each result to the form (or history) that asked for it.
func (m profilesMsg) Owner() int64 { return m.id }

func (m sentMsg) Owner() int64 { return m.id }

func (m doneMsg) Owner() int64 { return m.id }

func (m editorMsg) Owner() int64 { return m.id }

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
		if f.kind == fieldText || f.kind == fieldBaseURL {
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

// ShortHelp and FullHelp describe the keys of the current screen, so the
// host can show them (help.KeyMap).
func (m *Model) ShortHelp() []key.Binding { return m.helpKeys().ShortHelp() }

// FullHelp groups every key of the current screen.
func (m *Model) FullHelp() [][]key.Binding { return m.helpKeys().FullHelp() }

func (m *Model) helpKeys() keys.Help {
	switch m.state {
	case stateConfirm:
		return m.keys.ConfirmHelp()
	case stateSending:
		return m.keys.SendingHelp()
	case statePreview:
		return m.keys.PreviewHelp()
	case stateResponse:
		if m.resp != nil && m.resp.capturing() {
			return m.keys.PromptHelp()
		}
		return m.keys.ResponseHelp(true)
	}
	f := m.fields[m.focus]
	return m.keys.FormHelp(f.isChoice(), f.kind == fieldBody)
}
