package callform

import (
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
	case len(msg.choices.Connections) == 0:
		m.connErr = fmt.Errorf("no connection to %s in environment %s: create one in Power Automate or Power Apps (Data > Connections)",
			m.opts.Connector.ID, msg.choices.Environment)
		f.names[0] = safeterm.Line(m.connErr.Error())
	default:
		f.choices, f.names = nil, nil
		for _, c := range msg.choices.Connections {
			name := c.DisplayName
			if name == "" {
				name = c.ID
			}
			label := safeterm.Line(name) + " (" + safeterm.Line(strings.Join(c.Statuses, ",")) + ")"
			f.choices, f.names = append(f.choices, c.ID), append(f.names, label)
		}
		for i, c := range msg.choices.Connections {
			if c.Connected() {
				f.idx = i
				break
			}
		}
		f.desc = "environment " + safeterm.Line(msg.choices.Environment)
	}
	m.rebuild()
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

// through is the chosen connection as the session's route 1 target.
func (m *Model) through() *app.ConnectionCall {
	return &app.ConnectionCall{Client: m.plat, Target: platform.Target{Route: platform.RoutePowerPlatform,
		Environment: m.conns.Environment, ConnectionID: m.connField().value(), RuntimeURL: m.conns.RuntimeURL}}
}

// previewThrough builds the preview of a call through the connection,
// with a placeholder token: no I/O.
func (m *Model) previewThrough() (*call.Request, error) {
	if err := m.connectionProblem(); err != nil {
		return nil, err
	}
	return app.PreviewThrough(m.opts.Connector, m.opts.Operation, m.input(), m.connField().value(), m.conns.RuntimeURL)
}
