// Package mock serves a mock of a connector's API from its definition, for
// learners without an account or a network: it routes requests by method
// and path template, checks them against the operation's parameters and
// body schema (400 with a message naming the parameter), and answers with
// the definition's examples or samples generated from the success
// response's schema.
//
// The mock never answers with a 5xx status: a request that matches nothing
// gets 404 (405 for a known path with another method), a bad request 400,
// missing credentials 401 (only with Options.RequireAuth), a body over the
// limit 413, and a failure of the mock itself 422.
package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/lazyre"
	"github.com/connex-dev/connex/schema"
)

// DefaultMaxBody is the largest request body the mock reads.
const DefaultMaxBody = 5 << 20

// StatusMockFailure answers a request the mock itself failed on (a bug):
// never a 5xx, so a learner can tell it from a server error.
const StatusMockFailure = http.StatusUnprocessableEntity

// Header names set on every answer.
const (
	HeaderMock      = "X-Connex-Mock"      // the connector id
	HeaderOperation = "X-Connex-Operation" // the matched operation id
)

// ErrNotLoopback: Start was asked to listen beyond this machine.
var ErrNotLoopback = errors.New("address is not a loopback address")

// Options tune the mock.
type Options struct {
	// RequireAuth answers 401 when the connector declares API-key, basic
	// or OAuth authentication and the request carries no credentials.
	// Any credential value is accepted. Off by default so a learner can
	// call without setting up an auth profile.
	RequireAuth bool
	// MaxBody bounds request bodies (<= 0: DefaultMaxBody).
	MaxBody int64
	// Log, when set, is called once per request, after the answer; it
	// may be called from several goroutines at once.
	Log func(Entry)

	// Addr is where Start listens (empty: 127.0.0.1:0, a free port).
	Addr string
	// Public lets Start listen on a non-loopback address.
	Public bool
}

// Entry describes one handled request for a log. Path never includes the
// query string, which may hold an API key.
type Entry struct {
	Time      time.Time `json:"time"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	Status    int       `json:"status"`
	Operation string    `json:"operation,omitempty"`
	Error     string    `json:"error,omitempty"`
}

// ErrorBody is the JSON of every error answer.
type ErrorBody struct {
	Error     string `json:"error"`
	Operation string `json:"operation,omitempty"`
	// Parameter and In name the parameter at fault, when there is one.
	Parameter string `json:"parameter,omitempty"`
	In        string `json:"in,omitempty"`
	// Problems lists every problem found, the first being Error.
	Problems []string `json:"problems,omitempty"`
	// Allowed lists the methods of a known path (405).
	Allowed []string `json:"allowed,omitempty"`
}

// New returns a handler serving a mock of conn. Requests go to
// conn.BasePath + operation path; requests without the base path are
// accepted too, so a base URL with or without it both work.
func New(conn *catalog.Connector, opts Options) http.Handler {
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	h := &handler{conn: conn, opts: opts, res: schema.NewResolver(conn.Definitions)}
	for _, op := range conn.Operations {
		if op == nil || op.Method == "" || op.Path == "" {
			continue
		}
		h.routes = append(h.routes, newRoute(conn.BasePath, op))
	}
	h.auth = authNeeds(conn)
	return h
}

type handler struct {
	conn   *catalog.Connector
	opts   Options
	res    *schema.Resolver
	routes []*route
	auth   []string // how credentials may be sent; empty: none needed
}

// statusWriter remembers the status, so a panic after the header was sent
// is not answered twice and the log knows the status.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (h *handler) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w := &statusWriter{ResponseWriter: rw}
	entry := Entry{Time: time.Now(), Method: r.Method, Path: r.URL.Path}
	defer func() {
		if p := recover(); p != nil {
			msg := fmt.Sprintf("the mock failed on this request (%v); this is a connex bug, please report it", p)
			if len(msg) > 300 {
				msg = msg[:300]
			}
			entry.Error = msg
			if w.status == 0 {
				h.writeJSON(w, StatusMockFailure, ErrorBody{Error: msg, Operation: entry.Operation})
			}
		}
		entry.Status = w.status
		if h.opts.Log != nil {
			h.opts.Log(entry)
		}
	}()
	w.Header().Set(HeaderMock, h.conn.ID)
	w.Header().Set("Cache-Control", "no-store")
	h.serve(w, r, &entry)
}

func (h *handler) serve(w http.ResponseWriter, r *http.Request, entry *Entry) {
	cands, allowed := h.match(r)
	if len(cands) == 0 {
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			msg := fmt.Sprintf("%s is not allowed on %s; allowed: %s", r.Method, cut(r.URL.Path, 200), strings.Join(allowed, ", "))
			entry.Error = msg
			h.writeJSON(w, http.StatusMethodNotAllowed, ErrorBody{Error: msg, Allowed: allowed})
			return
		}
		msg := fmt.Sprintf("no operation of %s matches %s %s", h.conn.ID, cut(r.Method, 20), cut(r.URL.Path, 200))
		if bp := strings.TrimRight(h.conn.BasePath, "/"); bp != "" {
			msg += "; its paths start with " + bp
		}
		entry.Error = msg
		h.writeJSON(w, http.StatusNotFound, ErrorBody{Error: msg})
		return
	}
	if h.opts.RequireAuth && len(h.auth) > 0 && !h.hasCredentials(r) {
		msg := "missing credentials: send " + strings.Join(h.auth, ", or ") + " (any value works with the mock)"
		entry.Error = msg
		h.writeJSON(w, http.StatusUnauthorized, ErrorBody{Error: msg, Operation: cands[0].route.op.ID})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.opts.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		status, msg := http.StatusBadRequest, "could not read the request body: "+err.Error()
		if errors.As(err, &tooBig) {
			status, msg = http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over the mock's limit of %d bytes", h.opts.MaxBody)
		}
		entry.Error = msg
		h.writeJSON(w, status, ErrorBody{Error: msg, Operation: cands[0].route.op.ID})
		return
	}
	var first []problem
	for i, c := range cands {
		probs := h.check(c, r, body)
		if len(probs) == 0 {
			entry.Operation = c.route.op.ID
			h.answer(w, r, c.route)
			return
		}
		if i == 0 {
			first = probs
		}
	}
	op := cands[0].route.op
	entry.Operation = op.ID
	eb := ErrorBody{Error: first[0].msg, Operation: op.ID, Parameter: first[0].param, In: first[0].in}
	for _, p := range first {
		eb.Problems = append(eb.Problems, p.msg)
	}
	entry.Error = first[0].msg
	h.writeJSON(w, http.StatusBadRequest, eb)
}

func (h *handler) writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		buf.Reset()
		buf.WriteString(`{"error":"the mock could not encode its answer"}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// answer writes the operation's success answer.
func (h *handler) answer(w http.ResponseWriter, r *http.Request, rt *route) {
	plan := rt.plan(h.res)
	w.Header().Set(HeaderOperation, rt.op.ID)
	if plan.answer == nil {
		w.WriteHeader(plan.status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(plan.answer)))
	w.WriteHeader(plan.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(plan.answer)
	}
}

// authNeeds says how credentials may be sent, for the 401 message; empty
// when the connector needs none (or only custom connection parameters).
func authNeeds(conn *catalog.Connector) []string {
	var out []string
	for _, at := range conn.AuthTypes {
		switch strings.ToLower(at.Type) {
		case "", "none", "anonymous":
			return nil
		case "apikey":
			switch {
			case at.ParamName != "" && strings.EqualFold(at.In, "query"):
				out = appendNew(out, fmt.Sprintf("an API key in query parameter %q", at.ParamName))
			case at.ParamName != "":
				out = appendNew(out, fmt.Sprintf("an API key in header %q", at.ParamName))
			default:
				out = appendNew(out, "an API key")
			}
		case "basic":
			out = appendNew(out, `HTTP basic credentials ("Authorization: Basic ...")`)
		case "oauth2", "oauth", "bearer":
			out = appendNew(out, `a bearer token ("Authorization: Bearer ...")`)
		}
	}
	return out
}

func (h *handler) hasCredentials(r *http.Request) bool {
	if r.Header.Get("Authorization") != "" {
		return true
	}
	for _, at := range h.conn.AuthTypes {
		if !strings.EqualFold(at.Type, "apikey") || at.ParamName == "" {
			continue
		}
		if strings.EqualFold(at.In, "query") {
			if r.URL.Query().Get(at.ParamName) != "" {
				return true
			}
		} else if r.Header.Get(at.ParamName) != "" {
			return true
		}
	}
	return false
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// route is one operation's path template, compiled.
type route struct {
	op     *catalog.Operation
	method string
	full   []segment // base path + operation path
	bare   []segment // operation path alone
	// normFull and normBare are full and bare without empty segments.
	normFull, normBare []segment
	lits               int // literal segments, for ranking
	chars              int // literal characters, for ranking

	once     sync.Once
	prepared *prepared
}

// segment matches one path segment: a literal, a whole-segment parameter,
// or a mix such as "Databases({id})".
type segment struct {
	lit   string
	param string // whole-segment parameter name
	re    *regexp.Regexp
	names []string // parameter names of re's groups
}

func newRoute(basePath string, op *catalog.Operation) *route {
	path := op.Path
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	rt := &route{op: op, method: strings.ToUpper(op.Method)}
	rt.bare = compile(path)
	bp := strings.Trim(basePath, "/")
	if bp != "" {
		rt.full = compile("/" + bp + "/" + strings.TrimLeft(path, "/"))
	} else {
		rt.full = rt.bare
	}
	rt.normFull, rt.normBare = dropEmpty(rt.full), dropEmpty(rt.bare)
	for _, s := range rt.full {
		switch {
		case s.param == "" && s.re == nil:
			rt.lits++
			rt.chars += len(s.lit)
		case s.re != nil:
			rt.chars += len(s.lit)
		}
	}
	return rt
}

var paramRE = lazyre.New(`\{([^{}/]*)\}`)

// compile splits a path template into segments. A trailing slash is a
// segment of its own: "/items/" and "/items/{id}" are different paths.
func compile(path string) []segment {
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	out := make([]segment, 0, len(parts))
	for _, p := range parts {
		out = append(out, compileSegment(p))
	}
	return out
}

// dropEmpty removes empty literal segments, for the lenient second pass
// that ignores doubled and trailing slashes.
func dropEmpty(segs []segment) []segment {
	out := make([]segment, 0, len(segs))
	for _, s := range segs {
		if s.param == "" && s.re == nil && s.lit == "" {
			continue
		}
		out = append(out, s)
	}
	return out
}

func compileSegment(p string) segment {
	locs := paramRE.FindAllStringSubmatchIndex(p, -1)
	if len(locs) == 0 {
		return segment{lit: unescape(p)}
	}
	if len(locs) == 1 && locs[0][0] == 0 && locs[0][1] == len(p) {
		return segment{param: p[locs[0][2]:locs[0][3]]}
	}
	var expr strings.Builder
	var lit strings.Builder
	var names []string
	expr.WriteString("^")
	prev := 0
	for _, l := range locs {
		text := unescape(p[prev:l[0]])
		expr.WriteString(regexp.QuoteMeta(text))
		lit.WriteString(text)
		expr.WriteString("(.*?)")
		names = append(names, p[l[2]:l[3]])
		prev = l[1]
	}
	text := unescape(p[prev:])
	expr.WriteString(regexp.QuoteMeta(text))
	lit.WriteString(text)
	expr.WriteString("$")
	re, err := regexp.Compile(expr.String())
	if err != nil {
		return segment{lit: unescape(p)}
	}
	return segment{re: re, names: names, lit: lit.String()}
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// match returns the routes that fit the request, best first, with their
// path parameter values; or, when the path is known but not the method,
// the allowed methods. Paths are tried as sent, then without the base path
// (a base URL that already holds it), then ignoring doubled and trailing
// slashes.
func (h *handler) match(r *http.Request) ([]candidate, []string) {
	raw := r.URL.EscapedPath()
	exact, loose := splitPath(raw), dropEmptyStrings(splitPath(raw))
	passes := []struct {
		segs []string
		tmpl func(*route) []segment
	}{
		{exact, func(rt *route) []segment { return rt.full }},
		{exact, func(rt *route) []segment { return rt.bare }},
		{loose, func(rt *route) []segment { return rt.normFull }},
		{loose, func(rt *route) []segment { return rt.normBare }},
	}
	for _, pass := range passes {
		var cands []candidate
		var allowed []string
		for _, rt := range h.routes {
			params, ok := matchSegments(pass.tmpl(rt), pass.segs)
			if !ok {
				continue
			}
			// HEAD is answered like GET (net/http drops the body).
			if rt.method != r.Method && !(r.Method == http.MethodHead && rt.method == http.MethodGet) {
				allowed = appendNew(allowed, rt.method)
				continue
			}
			cands = append(cands, candidate{route: rt, params: params})
		}
		if len(cands) > 0 {
			sort.SliceStable(cands, func(i, j int) bool {
				a, b := cands[i].route, cands[j].route
				if a.lits != b.lits {
					return a.lits > b.lits
				}
				return a.chars > b.chars
			})
			// Only equally specific routes are alternatives: a request
			// for a literal path never falls back to a parameter route.
			n := 1
			for n < len(cands) && cands[n].route.lits == cands[0].route.lits && cands[n].route.chars == cands[0].route.chars {
				n++
			}
			return cands[:n], nil
		}
		if len(allowed) > 0 {
			sort.Strings(allowed)
			return nil, allowed
		}
	}
	return nil, nil
}

type candidate struct {
	route  *route
	params map[string]string
}

func splitPath(p string) []string {
	return strings.Split(strings.TrimPrefix(p, "/"), "/")
}

func dropEmptyStrings(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func matchSegments(tmpl []segment, segs []string) (map[string]string, bool) {
	if len(tmpl) != len(segs) {
		return nil, false
	}
	var params map[string]string
	set := func(k, v string) {
		if params == nil {
			params = map[string]string{}
		}
		params[k] = v
	}
	for i, s := range tmpl {
		seg := unescape(segs[i])
		switch {
		case s.param != "":
			set(s.param, seg)
		case s.re != nil:
			m := s.re.FindStringSubmatch(seg)
			if m == nil {
				return nil, false
			}
			for j, name := range s.names {
				set(name, m[j+1])
			}
		default:
			if seg != s.lit {
				return nil, false
			}
		}
	}
	return params, true
}

// prepared is what a route needs beyond its template, computed on first use.
type prepared struct {
	body   *schema.Schema // request body schema, resolved
	status int
	answer []byte // nil: no body
}

func (rt *route) plan(res *schema.Resolver) *prepared {
	rt.once.Do(func() {
		p := &prepared{status: http.StatusOK}
		raw := rt.op.Body
		if len(raw) == 0 {
			for i := range rt.op.Parameters {
				if rt.op.Parameters[i].In == "body" {
					raw = rt.op.Parameters[i].Schema
					break
				}
			}
		}
		if s, err := res.Parse(raw, 0); err == nil {
			p.body = s
		}
		resp := successResponse(rt.op.Responses)
		if resp != nil {
			if code, err := strconv.Atoi(resp.Status); err == nil && code >= 200 && code < 300 {
				p.status = code
			}
			if s, err := res.Parse(resp.Schema, 0); err == nil && s != nil && bodyAllowed(p.status) {
				v := schema.Sample(s, schema.SampleOptions{})
				if b, err := json.Marshal(v); err == nil {
					p.answer = append(b, '\n')
				}
			}
		}
		rt.prepared = p
	})
	return rt.prepared
}

// successResponse is the first declared 2xx response, else "default".
func successResponse(list []catalog.Response) *catalog.Response {
	for i := range list {
		if s := strings.TrimSpace(list[i].Status); len(s) == 3 && s[0] == '2' {
			if _, err := strconv.Atoi(s); err == nil {
				return &list[i]
			}
		}
	}
	for i := range list {
		if strings.EqualFold(list[i].Status, "default") {
			return &list[i]
		}
	}
	return nil
}

func bodyAllowed(status int) bool {
	return status != http.StatusNoContent && status != http.StatusResetContent && status != http.StatusNotModified
}

// problem is one reason to reject a request.
type problem struct {
	msg, param, in string
}

// check validates the request against the candidate's operation.
func (h *handler) check(c candidate, r *http.Request, body []byte) []problem {
	op := c.route.op
	plan := c.route.plan(h.res)
	var out []problem
	add := func(p *catalog.Parameter, msg string) {
		out = append(out, problem{msg: msg, param: p.Key, in: p.In})
	}
	query := r.URL.Query()
	var form *formValues
	var bodyParam *catalog.Parameter
	for i := range op.Parameters {
		p := &op.Parameters[i]
		var values []string
		switch p.In {
		case "path":
			v, ok := c.params[p.Key]
			if !ok {
				continue // not in the template: nothing the mock can check
			}
			values = []string{v}
		case "query":
			values = query[p.Key]
		case "header":
			values = r.Header.Values(p.Key)
		case "formData":
			if form == nil {
				var bad string
				if form, bad = parseForm(r, body); bad != "" {
					out = append(out, problem{msg: bad, param: "Content-Type", in: "header"})
				}
			}
			if p.Type == "file" {
				if form.has(p.Key) {
					continue
				}
				values = nil
			} else {
				values = form.values(p.Key)
			}
		case "body":
			bodyParam = p
			continue
		default:
			continue
		}
		// An empty path segment is a missing value; an empty query,
		// header or form value is a value (an empty string).
		if len(values) == 0 || (p.In == "path" && allEmpty(values)) {
			if p.Required {
				add(p, fmt.Sprintf("missing required %s parameter %q", inName(p.In), p.Key))
			}
			continue
		}
		for _, v := range values {
			if err := schema.CheckParam(p, v); err != nil {
				add(p, fmt.Sprintf("%s parameter %q %s", inName(p.In), p.Key, err.Error()))
				break
			}
		}
	}
	if bodyParam != nil || len(op.Body) > 0 {
		out = append(out, h.checkBody(op, bodyParam, plan.body, r, body)...)
	}
	return out
}

func (h *handler) checkBody(op *catalog.Operation, bp *catalog.Parameter, s *schema.Schema, r *http.Request, body []byte) []problem {
	key, required := "body", false
	if bp != nil {
		key, required = bp.Key, bp.Required
	}
	bad := func(msg string) problem { return problem{msg: msg, param: key, in: "body"} }
	if len(bytes.TrimSpace(body)) == 0 {
		if required {
			return []problem{bad(fmt.Sprintf("missing required body parameter %q", key))}
		}
		return nil
	}
	if !expectsJSON(op, r) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []problem{bad(fmt.Sprintf("request body is not valid JSON: %s", jsonErr(err, dec)))}
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		return []problem{bad(fmt.Sprintf("request body is not valid JSON: data after the JSON value (at byte %d)", end))}
	}
	var out []problem
	for _, p := range schema.Validate(s, v) {
		out = append(out, bad(bodyMessage(p)))
	}
	return out
}

// bodyMessage turns a schema problem into a message about the body.
func bodyMessage(p schema.Problem) string {
	switch {
	case p.Kind == schema.ProblemRequired:
		return fmt.Sprintf("missing required body property %q", p.Path)
	case p.Path == "":
		return "request body " + p.Message
	}
	return fmt.Sprintf("body property %q %s", p.Path, p.Message)
}

func jsonErr(err error, dec *json.Decoder) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s (at byte %d)", se.Error(), se.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of the body"
	}
	return fmt.Sprintf("%s (at byte %d)", err.Error(), dec.InputOffset())
}

// expectsJSON: the body is checked as JSON unless the request says it is
// something else, or the operation only consumes other types.
func expectsJSON(op *catalog.Operation, r *http.Request) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		return isJSONType(ct)
	}
	if len(op.Consumes) == 0 {
		return true
	}
	for _, c := range op.Consumes {
		if isJSONType(c) {
			return true
		}
	}
	return false
}

func isJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(ct))
	}
	return mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json") || mt == "*/*"
}

func inName(in string) string {
	if in == "formData" {
		return "form"
	}
	return in
}

func allEmpty(values []string) bool {
	for _, v := range values {
		if v != "" {
			return false
		}
	}
	return true
}

// formValues are the fields of a urlencoded or multipart body.
type formValues struct {
	vals  url.Values
	files map[string]bool
}

func (f *formValues) values(k string) []string { return f.vals[k] }
func (f *formValues) has(k string) bool        { return f.files[k] || len(f.vals[k]) > 0 }

// parseForm reads the form; it reports a multipart body whose
// Content-Type lacks the boundary, which no server can read.
func parseForm(r *http.Request, body []byte) (*formValues, string) {
	f := &formValues{vals: url.Values{}, files: map[string]bool{}}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if strings.HasPrefix(mt, "multipart/") && params["boundary"] == "" {
		return f, fmt.Sprintf("the Content-Type %q has no boundary parameter, so the form cannot be read", mt)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			name := part.FormName()
			data, _ := io.ReadAll(io.LimitReader(part, DefaultMaxBody))
			if part.FileName() != "" {
				f.files[name] = true
			} else {
				f.vals.Add(name, string(data))
			}
		}
		return f, ""
	}
	if vals, err := url.ParseQuery(string(body)); err == nil {
		f.vals = vals
	}
	return f, ""
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// Server is a mock listening on a local port.
type Server struct {
	// URL is the server's origin, "http://127.0.0.1:PORT", without the
	// connector's base path (the call engine adds it).
	URL string
	// BaseURL is URL plus the connector's base path.
	BaseURL string

	srv  *http.Server
	done chan struct{}
	err  error
}

// Start serves a mock of conn on opts.Addr (default 127.0.0.1:0, a free
// port) until Close. Non-loopback addresses need opts.Public.
func Start(conn *catalog.Connector, opts Options) (*Server, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if !opts.Public && !IsLoopback(addr) {
		return nil, fmt.Errorf("mock %s: %w: %s (listen on 127.0.0.1, or allow other machines explicitly)", conn.ID, ErrNotLoopback, addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mock %s: %w", conn.ID, err)
	}
	s := &Server{
		URL:  "http://" + ln.Addr().String(),
		srv:  &http.Server{Handler: New(conn, opts), ReadHeaderTimeout: 10 * time.Second},
		done: make(chan struct{}),
	}
	s.BaseURL = s.URL + "/" + strings.Trim(conn.BasePath, "/")
	s.BaseURL = strings.TrimSuffix(s.BaseURL, "/")
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.err = err
		}
	}()
	return s, nil
}

// Done is closed when the server stops.
func (s *Server) Done() <-chan struct{} { return s.done }

// Err is why the server stopped on its own (nil after Close).
func (s *Server) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// Close stops the server, letting requests in flight finish for up to 5 s.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	<-s.done
	return err
}

// IsLoopback reports whether a host:port listens on this machine only.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
