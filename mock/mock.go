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
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/opt"
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
	opts.MaxBody = opt.Positive(opts.MaxBody, DefaultMaxBody)
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

// cut shortens s, taken from a request, to n bytes for a message.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
