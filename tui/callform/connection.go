package callform

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/internal/app"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/platform"
)

// Calls through one of the user's Power Platform connections (issue 12):
// a connector whose definition is the platform's (its paths start with
// {connectionId}) cannot be called at its host. The form lists the
// user's connections to it in a command and sends through the chosen one
// with app.CallSession.Through.

// connectionsTimeout bounds listing connections: the form must not spin
// forever on a platform that does not answer.
const connectionsTimeout = 30 * time.Second

// connectionsMsg is the listing's result, for the form with id.
type connectionsMsg struct {
	id      int64
	cli     *platform.Client
	choices *app.ConnectionChoices
	err     error
}

func (m connectionsMsg) Owner() int64 { return m.id }

// errNotSignedIn is what the picker says without a sign-in.
var errNotSignedIn = errors.New("not signed in: run connex login")

// listConnections signs in silently and lists the connections: I/O, so a
// command.
func (m *Model) listConnections() tea.Cmd {
	id, conn, signIn := m.id, m.opts.Connector, m.opts.Platform
	if signIn == nil {
		m.setConnections(connectionsMsg{id: id, err: errNotSignedIn})
		return nil
	}
	return func() tea.Msg {
		cli, env, err := signIn()
		if err != nil {
			if errors.Is(err, platform.ErrNotSignedIn) {
				err = errNotSignedIn
			}
			return connectionsMsg{id: id, err: err}
		}
		ctx, cancel := context.WithTimeout(context.Background(), connectionsTimeout)
		defer cancel()
		choices, err := app.ListConnections(ctx, cli, env, conn)
		if errors.Is(err, platform.ErrNotSignedIn) {
			err = fmt.Errorf("%w (%v)", errNotSignedIn, err)
		}
		return connectionsMsg{id: id, cli: cli, choices: choices, err: err}
	}
}

// setConnections fills the picker: the user's connections, the first
// connected one chosen; or one line saying why there is none.
func (m *Model) setConnections(msg connectionsMsg) {
	m.connListed = true
	m.plat, m.conns, m.connErr = msg.cli, msg.choices, msg.err
	f := m.connField()
	if f == nil {
		return
	}
	f.choices, f.names, f.idx = []string{""}, []string{"(none)"}, 0
	switch {
	case msg.err != nil:
		f.names[0] = safeterm.Line(msg.err.Error())
	case len(msg.choices.Connections) == 0 && len(msg.choices.Azure) == 0:
		m.connErr = fmt.Errorf("no connection to %s in environment %s: create one in Power Automate or Power Apps (Data > Connections)",
			m.opts.Connector.ID, msg.choices.Environment)
		f.names[0] = safeterm.Line(m.connErr.Error())
	default:
		// Power Platform connections (route 1) first, then the Logic
		// Apps API connections (route 2, by resource id); the first
		// connected one is chosen.
		f.choices, f.names = nil, nil
		f.idx = -1
		add := func(value, name string, statuses []string, what string, connected bool) {
			label := safeterm.Line(name) + " (" + safeterm.Line(strings.Join(statuses, ",")) + what + ")"
			if connected && f.idx < 0 {
				f.idx = len(f.choices)
			}
			f.choices, f.names = append(f.choices, value), append(f.names, label)
		}
		for _, c := range msg.choices.Connections {
			add(c.ID, cmp.Or(c.DisplayName, c.ID), c.Statuses, "", c.Connected())
		}
		for _, c := range msg.choices.Azure {
			add(c.ID, cmp.Or(c.DisplayName, c.Name), c.Statuses, "; Logic Apps "+c.Name, c.Connected())
		}
		f.idx = max(f.idx, 0)
		var where []string
		if msg.choices.Environment != "" && msg.choices.PowerPlatformErr == nil {
			where = append(where, "environment "+safeterm.Line(msg.choices.Environment))
		}
		if len(msg.choices.Azure) > 0 {
			where = append(where, "your Azure subscriptions")
		}
		f.desc = strings.Join(where, " and ")
	}
	m.rebuild()
}

// azureChosen reports whether the chosen connection is a Logic Apps API
// connection (its value is a resource id).
func (m *Model) azureChosen() bool {
	f := m.connField()
	return f != nil && strings.HasPrefix(f.value(), "/subscriptions/")
}

// connField is the connection picker; nil when the form has none.
func (m *Model) connField() *field {
	for _, f := range m.fields {
		if f.kind == fieldConnection {
			return f
		}
	}
	return nil
}

// connectionProblem says why the chosen target cannot be reached through
// a connection yet; nil when a connection is chosen.
func (m *Model) connectionProblem() error {
	switch {
	case !m.connListed:
		return errors.New("listing your connections…")
	case m.connErr != nil:
		return m.connErr
	}
	if f := m.connField(); f == nil || f.value() == "" {
		return errors.New("pick a connection")
	}
	return nil
}

// through is the chosen connection as the session's target: route 1, or
// route 2 for a Logic Apps API connection.
func (m *Model) through() *app.ConnectionCall {
	if m.azureChosen() {
		return app.AzureTarget(m.plat, m.conns.Environment, m.connField().value())
	}
	return &app.ConnectionCall{Client: m.plat, Target: platform.Target{Route: platform.RoutePowerPlatform,
		Environment: m.conns.Environment, ConnectionID: m.connField().value(), RuntimeURL: m.conns.RuntimeURL}}
}

// previewThrough builds the preview of a call through the connection,
// with a placeholder token: no I/O.
func (m *Model) previewThrough() (*call.Request, error) {
	if err := m.connectionProblem(); err != nil {
		return nil, err
	}
	if m.azureChosen() {
		// Preparing route 2 asks for no token: no I/O either.
		p, err := m.plat.Prepare(context.Background(), m.opts.Connector, m.opts.Operation, m.input(), m.through().Target)
		if err != nil {
			return nil, err
		}
		return p.OnTheWire(), nil
	}
	return app.PreviewThrough(m.opts.Connector, m.opts.Operation, m.input(), m.connField().value(), m.conns.RuntimeURL)
}
