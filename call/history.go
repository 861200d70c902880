package call

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"
	"unicode/utf8"

	"github.com/gofrs/flock"
)

// HistoryFile is the history's file name inside the data folder.
const HistoryFile = "history.jsonl"

// DefaultHistoryBodyLimit caps each stored request and response body.
const DefaultHistoryBodyLimit = 64 << 10

// ErrNoEntry: no history entry with that number.
var ErrNoEntry = errors.New("no such history entry")

// Entry is one call in the history. Secrets are redacted before it is
// written: auth headers masked, API-key query values masked, and every
// secret value scrubbed from the bodies.
type Entry struct {
	// N is the entry's number, 1 for the oldest (not stored; set on read).
	N           int               `json:"n,omitempty"`
	Time        time.Time         `json:"time"`
	Connector   string            `json:"connector"`
	Operation   string            `json:"operation"`
	Method      string            `json:"method"`
	URL         string            `json:"url"`
	Headers     map[string]string `json:"request_headers,omitempty"`
	RequestSize int               `json:"request_size"`
	RequestBody string            `json:"request_body,omitempty"`
	// RequestBodyTruncated and ResponseBodyTruncated say the stored body
	// was cut at the history limit.
	RequestBodyTruncated  bool    `json:"request_body_truncated,omitempty"`
	Status                int     `json:"status,omitempty"`
	DurationMS            float64 `json:"duration_ms"`
	ResponseSize          int64   `json:"response_size"`
	ResponseBody          string  `json:"response_body,omitempty"`
	ResponseBodyTruncated bool    `json:"response_body_truncated,omitempty"`
	Error                 string  `json:"error,omitempty"`

	// What replay needs to rebuild the call with the current secret.
	Params map[string]string `json:"params,omitempty"`
	Body   string            `json:"body,omitempty"`
	// BodyOmitted: the given body was over the limit and is not kept.
	BodyOmitted bool   `json:"body_omitted,omitempty"`
	Auth        string `json:"auth,omitempty"` // profile name
	BaseURL     string `json:"base_url,omitempty"`
	Mock        bool   `json:"mock,omitempty"`
}

// History is the call history, one JSON object per line.
type History struct {
	path      string
	bodyLimit int
}

// OpenHistory returns the history in the data folder.
func OpenHistory(dataDir string) *History {
	return &History{path: filepath.Join(dataDir, HistoryFile), bodyLimit: DefaultHistoryBodyLimit}
}

// Path is the history file.
func (h *History) Path() string { return h.path }

// CallRecord is what the caller knows of a call beyond the request and
// the response.
type CallRecord struct {
	Time    time.Time
	Params  map[string]string
	Body    []byte // the body as the user gave it (nil: skeleton or none)
	Auth    string
	BaseURL string
	Mock    bool
}

// NewEntry builds the redacted entry of one call. resp or callErr may be nil.
func (h *History) NewEntry(req *Request, resp *Response, callErr error, rec CallRecord) Entry {
	e := Entry{
		Time:        rec.Time.UTC(),
		Connector:   req.ConnectorID,
		Operation:   req.OperationID,
		Method:      req.Method,
		URL:         req.MaskedURL(),
		Headers:     flatHeaders(req.MaskedHeader()),
		RequestSize: len(req.Body),
		Auth:        rec.Auth,
		BaseURL:     req.Scrub(rec.BaseURL),
		Mock:        rec.Mock,
	}
	e.RequestBody, e.RequestBodyTruncated = h.clip(req, req.Body)
	if len(rec.Params) > 0 {
		e.Params = make(map[string]string, len(rec.Params))
		for k, v := range rec.Params {
			e.Params[k] = req.Scrub(v)
		}
	}
	if rec.Body != nil {
		if len(rec.Body) > h.bodyLimit {
			// A cut body would replay as a different call.
			e.BodyOmitted = true
		} else {
			e.Body, _ = h.clip(req, rec.Body)
		}
	}
	if resp != nil {
		e.Status = resp.Status
		e.DurationMS = float64(resp.Duration.Microseconds()) / 1000
		e.ResponseSize = resp.Size
		e.ResponseBody, e.ResponseBodyTruncated = h.clip(req, resp.Body)
		e.ResponseBodyTruncated = e.ResponseBodyTruncated || resp.Truncated
	}
	if callErr != nil {
		e.Error = req.Scrub(callErr.Error())
	}
	return e
}

func (h *History) clip(req *Request, b []byte) (string, bool) {
	cut := false
	if len(b) > h.bodyLimit {
		b = b[:h.bodyLimit]
		cut = true
	}
	if !utf8.Valid(b) {
		// Cut in the middle of a rune, or binary: keep what is text.
		b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return req.Scrub(string(b)), cut
}

func flatHeaders(h http.Header) map[string]string {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string]string, len(h))
	for k, vv := range h {
		out[k] = joinValues(vv)
	}
	return out
}

func joinValues(vv []string) string {
	var b bytes.Buffer
	for i, v := range vv {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(v)
	}
	return b.String()
}

// Append adds an entry. A file lock serialises writers, so two connex
// processes never interleave lines; the file is private to the user.
func (h *History) Append(e Entry) error {
	e.N = 0
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	line = append(line, '\n')
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return fmt.Errorf("history %s: %w", h.path, err)
	}
	lock := flock.New(h.path + ".lock")
	if err := lock.Lock(); err != nil {
		return fmt.Errorf("history %s: lock: %w", h.path, err)
	}
	defer lock.Unlock()
	f, err := os.OpenFile(h.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("history %s: %w", h.path, err)
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return fmt.Errorf("history %s: %w", h.path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("history %s: %w", h.path, err)
	}
	return nil
}

// List returns every entry, oldest first, numbered from 1. A damaged line
// (a crash mid-write) is skipped but keeps its number, so numbers stay
// stable.
func (h *History) List() ([]Entry, error) {
	f, err := os.Open(h.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", h.path, err)
	}
	defer f.Close()
	var out []Entry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 4*h.bodyLimit+(1<<20))
	n := 0
	for sc.Scan() {
		n++
		var e Entry
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		e.N = n
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("history %s: line %d: %w", h.path, n+1, err)
	}
	return out, nil
}

// Get returns entry n (1-based).
func (h *History) Get(n int) (Entry, error) {
	all, err := h.List()
	if err != nil {
		return Entry{}, err
	}
	for _, e := range all {
		if e.N == n {
			return e, nil
		}
	}
	return Entry{}, fmt.Errorf("history entry %d: %w (see 'connex history')", n, ErrNoEntry)
}
