package callform

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/app"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/platform"
	"github.com/connex-dev/connex/secrets"
	"github.com/connex-dev/connex/tui/common"
)

type fieldKind int

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

// isChoice reports a field cycled with →/space.
func (f *field) isChoice() bool {
	return f.kind == fieldChoice || f.kind == fieldAuth || f.kind == fieldTarget || f.kind == fieldConnection
}

func (f *field) value() string {
	switch f.kind {
	case fieldText:
		return f.input.Value()
	case fieldBaseURL:
		return f.input.Value()
	case fieldChoice, fieldAuth, fieldTarget, fieldConnection:
		if f.idx >= 0 && f.idx < len(f.choices) {
			return f.choices[f.idx]
		}
	}
	return ""
}

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
		if p.In == catalog.InBody {
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
	if op.HasBody() {
		f := &field{kind: fieldBody, key: op.BodyKey(), label: "Body", meta: "JSON · body"}
		if bp := op.BodyParameter(); bp != nil {
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
	m.fields = append(m.fields, m.targetFields()...)
}

// targetFields are "Send to" (real host, local mock, base URL) and the
// base URL itself, shown only when chosen. An operation that goes through
// a connection offers "your connection" and its picker instead of the
// real host, which takes no direct call.
func (m *Model) targetFields() []*field {
	host := "real host"
	if h := m.opts.Connector.Host; h != "" {
		host += " (" + safeterm.Line(h) + ")"
	}
	first := targetHost
	if m.needsConn {
		first, host = targetConn, "your connection"
	}
	t := &field{kind: fieldTarget, label: "Send to",
		choices: []string{first, targetMock, targetBase},
		names:   []string{host, "local mock", "base URL"}}
	if m.noHost {
		t.choices, t.names = t.choices[1:], t.names[1:]
		t.desc = safeterm.Line(m.opts.Connector.Name) + "'s host takes calls only through a connection, and this operation's path has no {connectionId}"
	}
	want := t.choices[0]
	switch {
	case m.useMock:
		want = targetMock
	case m.baseURL != "":
		want = targetBase
	}
	t.idx = slices.Index(t.choices, want)
	var conn []*field
	if m.needsConn {
		t.desc = safeterm.Line(m.opts.Connector.Name) + " is called through one of your Power Platform connections, not at its host"
		conn = []*field{{kind: fieldConnection, label: "Connection", meta: "Power Platform",
			choices: []string{""}, names: []string{"listing your connections…"}}}
	}
	if IsSample(m.opts.Connector) {
		t.desc = "a sample connector's host never answers: the mock does"
	}
	in := common.NewInput("│ ", 2000)
	in.Placeholder = "http://127.0.0.1:8080"
	in.SetValue(m.baseURL)
	b := &field{kind: fieldBaseURL, label: "Base URL", meta: "scheme://host[:port][/path] replaces the connector's host", input: in}
	return append(append([]*field{t}, conn...), b)
}

// authField is the auth profile picker.
func (m *Model) authField() *field {
	for _, f := range m.fields {
		if f.kind == fieldAuth {
			return f
		}
	}
	return nil
}

// hidden reports a field not shown: the base URL unless it is the
// target; through a connection, the connection picker takes the place of
// the auth profile and of the {connectionId} parameter.
func (m *Model) hidden(f *field) bool {
	switch f.kind {
	case fieldBaseURL:
		return m.target() != targetBase
	case fieldConnection:
		return !m.viaConn
	case fieldAuth:
		return m.viaConn
	case fieldText, fieldChoice:
		return m.viaConn && f.key == platform.ConnectionParam
	}
	return false
}

// target is the "Send to" choice.
func (m *Model) target() string {
	for _, f := range m.fields {
		if f.kind == fieldTarget {
			return f.value()
		}
	}
	return targetHost
}

// setTarget applies the "Send to" and base URL fields.
func (m *Model) setTarget() {
	m.useMock = m.target() == targetMock
	m.viaConn = m.target() == targetConn
	m.baseURL = ""
	if m.target() == targetBase {
		for _, f := range m.fields {
			if f.kind == fieldBaseURL {
				m.baseURL = strings.TrimSpace(f.input.Value())
			}
		}
	}
}

func (m *Model) paramField(p *catalog.Parameter) *field {
	required := p.Mandatory()
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
	in := common.NewInput("│ ", 0)
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

func (m *Model) focusField(i int) tea.Cmd {
	if len(m.fields) == 0 {
		return nil
	}
	n := len(m.fields)
	dir := 1
	if i < m.focus {
		dir = -1
	}
	i = (i + n) % n
	// Step over hidden fields in the direction of travel.
	for tries := 0; tries < n && m.hidden(m.fields[i]); tries++ {
		i = (i + dir + n) % n
	}
	old := m.fields[m.focus]
	switch old.kind {
	case fieldText, fieldBaseURL:
		old.input.Blur()
	case fieldBody:
		m.body.Blur()
	}
	m.focus = i
	f := m.fields[i]
	switch f.kind {
	case fieldText, fieldBaseURL:
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
	f := m.authField()
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

// rebuild builds the request for the preview and validation: with a
// placeholder secret and the mock's placeholder address, no I/O.
func (m *Model) rebuild() {
	m.req, m.buildErr, m.verr = nil, nil, nil
	if m.opts.Connector == nil || m.opts.Operation == nil {
		m.buildErr = errors.New("no operation to call")
		return
	}
	// The session's dry run: placeholder secret and mock address, no I/O.
	var req *call.Request
	var err error
	if m.viaConn {
		req, err = m.previewThrough()
	} else {
		sess := m.session()
		sess.DryRun = true
		var out *app.CallResult
		if out, err = sess.Run(context.Background(), nil); err == nil {
			req = out.Request
		}
	}
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
	if m.verr == nil || f.kind == fieldAuth || f.kind == fieldTarget || f.kind == fieldBaseURL || f.kind == fieldConnection || !(f.touched || m.showAll) {
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
		if f.kind == fieldText || f.kind == fieldChoice || f.kind == fieldBody {
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
