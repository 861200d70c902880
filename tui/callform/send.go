package callform

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/app"
	"github.com/connex-dev/connex/internal/safeterm"
)

// trySend validates, asks for confirmation when the method changes
// something on a real service, and sends.
func (m *Model) trySend() tea.Cmd {
	m.rebuild()
	if m.req == nil && errors.Is(m.buildErr, call.ErrRebind) {
		if !m.askRebind {
			// The explorer asks where the CLI wants --rebind: the
			// profile's secret was saved for another host (an import
			// may have moved the connector), so nothing goes without
			// the user saying so.
			m.askRebind = true
			m.showAll = true
			m.setStatus("", fmt.Errorf("%s\npress ctrl+s again to send the credentials there anyway (see 'connex changes'), esc to keep them", safeterm.Line(m.buildErr.Error())))
			return nil
		}
		m.rebind = true
		m.rebuild()
	}
	m.askRebind = false
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
	// What the call does to the service is the operation's method: a
	// Logic Apps connection carries a GET in a POST (dynamicInvoke).
	method := m.req.Method
	if op := m.opts.Operation; op != nil && op.Method != "" {
		method = strings.ToUpper(op.Method)
	}
	if method != http.MethodGet && method != http.MethodHead && !m.useMock {
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

	// The same sequence as `connex call`: app.CallSession reads the
	// secret, starts the mock, builds, sends and records.
	sess := m.session()
	send := func() tea.Msg {
		res := sentMsg{id: id, seq: seq}
		var stage app.CallStage
		out, err := sess.Run(ctx, func(st app.CallStage) { stage = st })
		if err != nil {
			if stage == app.CallSecret && sess.Profile != nil {
				err = fmt.Errorf("auth profile %s: %w", sess.Profile.Name, err)
			}
			res.err = err
			return res
		}
		res.req, res.resp, res.err, res.histErr = out.Request, out.Response, out.Err, out.HistoryErr
		if res.resp != nil {
			// Indenting and sanitising a 5 MiB body takes a frame or
			// more: done here, not in Update.
			res.body = prepareBody(res.req.ScrubBytes(res.resp.Body), res.resp.Headers.Get("Content-Type"))
		}
		return res
	}
	return tea.Batch(send, m.spin.Tick)
}

// session is the form as a call session; DryRun for the preview.
func (m *Model) session() *app.CallSession {
	sess := &app.CallSession{
		Connector: m.opts.Connector, Operation: m.opts.Operation,
		Input: m.input(), Secret: m.opts.Secret,
		BaseURL: m.baseURL, Mock: m.useMock,
		Do: m.opts.Do, History: m.opts.History, Now: m.opts.Now,
		Rebind: m.rebind,
		// Esc cancels a send: a call the user gave up is not recorded.
		SkipCancelledHistory: true,
	}
	if m.useMock {
		sess.BaseURL = ""
	}
	if p, ok := m.profile(); ok {
		sess.Profile = &p
	}
	if start := m.opts.StartMock; start != nil {
		sess.StartMock = func(_ context.Context, conn *catalog.Connector) (string, func(), error) { return start(conn) }
	}
	if m.viaConn && m.connectionProblem() == nil {
		sess.Through, sess.Profile = m.through(), nil
	}
	return sess
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
	hdrs := req.HeaderLines(resp.Headers)
	for i, l := range hdrs {
		hdrs[i] = safeterm.Line(l)
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
