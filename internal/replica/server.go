package replica

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connex-dev/connex/catalog"
)

// siteOrigin is the origin pages name in their canonical link: the real
// site's, so page bytes (and ETags) do not depend on the replica's port.
const siteOrigin = "https://learn.microsoft.com"

// DefaultModTime is the Last-Modified of every page unless Options.ModTime
// says otherwise: the capture date of the reference list.
var DefaultModTime = time.Date(2025, 12, 10, 0, 0, 0, 0, time.UTC)

// Options configures a replica.
type Options struct {
	// ListPath is the reference list file; default
	// ../shared/data/connector-reference-list.json. Ignored when Entries
	// is set.
	ListPath string
	// Entries replaces the list file (fixtures in tests).
	Entries []ListEntry
	// Definitions are imported connectors; list entries that match one
	// (same id, else same catalog.NormalizeName of the display name) get
	// its real operations, parameters, auth types and definitions.
	Definitions *catalog.Catalog
	// APIs are connectors imported from Power Platform API replies
	// (apis/shared_<id>/{api.json,swagger.json}); a list entry with the
	// same id gets its real description, publisher, auth types and
	// operations. They win over Definitions.
	APIs *catalog.Catalog
	// Exports are the site's own Markdown exports by connector id: such a
	// page is served as an HTML page announcing its export
	// (<meta name="markdown_url">) and the export itself at
	// "<page>?accept=text/markdown", as they are. They win over APIs.
	Exports map[string][]byte
	// Seed drives the rate-based choice of faulted pages.
	Seed uint64
	// Locale is the path's locale segment; default "en-us".
	Locale string
	// ModTime is every page's Last-Modified; default DefaultModTime.
	ModTime time.Time
	// RelativeLinks makes list page links "../<id>/" (the pre-2025 form)
	// instead of "/en-us/connectors/<id>/".
	RelativeLinks bool
	// ListPublishers adds "By: <publisher>" to each list cell, as the list
	// page does since 2026.
	ListPublishers bool
	// Robots configures /robots.txt.
	Robots Robots
	// Faults to inject from the start; more can be set with SetFault.
	Faults Faults
	// Addr is where Start listens; default 127.0.0.1:0. Start refuses
	// anything but a loopback address.
	Addr string
}

// RobotsMode selects what /robots.txt answers.
type RobotsMode int

const (
	RobotsAllow    RobotsMode = iota // 200, allows everything
	RobotsDisallow                   // 200, Disallow: each of Robots.Disallow
	RobotsNotFound                   // 404
	RobotsError                      // 500
)

// Robots configures /robots.txt.
type Robots struct {
	Mode     RobotsMode
	Disallow []string // paths, e.g. "/en-us/connectors/sendgrid/"
	// Body, when set, is served as is with status 200 (overrides Mode).
	Body string
}

// FaultKind is a kind of injected fault.
type FaultKind string

const (
	FaultNone FaultKind = ""
	// Fault429 answers 429 with Retry-After: RetryAfter seconds for the
	// first Times requests of the path (every request when Times is 0).
	Fault429 FaultKind = "429"
	// Fault500 answers 500 for the first Times requests of the path
	// (transient), or every request when Times is 0 (permanent).
	Fault500 FaultKind = "500"
	// FaultSlow waits Delay before answering (or until the client gives up).
	FaultSlow FaultKind = "slow"
	// FaultTruncate declares the full Content-Length, sends half the body
	// and closes the connection, for the first Times requests (every
	// request when Times is 0).
	FaultTruncate FaultKind = "truncate"
	// FaultLayout serves a page whose sections are renamed, merged or
	// missing (the expected catalogue is unchanged).
	FaultLayout FaultKind = "layout"
	// Fault404 answers 404.
	Fault404 FaultKind = "404"
	// FaultHuge streams a valid page of Size bytes (default 11 MiB),
	// without Content-Length, for page size caps.
	FaultHuge FaultKind = "huge"
	// FaultDeep serves a page with Size nested <div>s (default 5,000),
	// for parser depth limits.
	FaultDeep FaultKind = "deep"
)

// Fault is one fault to inject.
type Fault struct {
	Kind FaultKind
	// Times limits the fault to the first Times requests of the path
	// (429, 500, truncate); 0 means every request.
	Times int
	// RetryAfter is the Retry-After value in seconds for 429; a negative
	// value omits the header.
	RetryAfter int
	// Delay is how long a slow response waits.
	Delay time.Duration
	// Size is the body size of FaultHuge or the depth of FaultDeep.
	Size int
}

// RateFault injects a fault into a share of connector pages, chosen
// deterministically from the seed and the path.
type RateFault struct {
	Fault
	Rate float64 // 0..1 of connector pages
}

// Faults is the fault plan.
type Faults struct {
	Paths map[string]Fault // by URL path
	Rates []RateFault
}

// Server is a running or runnable replica.
type Server struct {
	opts Options
	site atomic.Pointer[site]

	mu     sync.RWMutex
	faults map[string]Fault // per path, explicit
	rates  []RateFault
	robots Robots

	countMu  sync.Mutex
	counts   map[string]int
	statuses map[int]int

	total    atomic.Int64
	inFlight atomic.Int64
	maxIn    atomic.Int64

	srv  *http.Server
	ln   net.Listener
	base string
}

// New builds a replica from the list file (or Options.Entries) and the
// imported definitions.
func New(opts Options) (*Server, error) {
	if opts.Locale == "" {
		opts.Locale = "en-us"
	}
	if strings.ContainsAny(opts.Locale, "/?#% ") {
		return nil, fmt.Errorf("replica: bad locale %q", opts.Locale)
	}
	if opts.ModTime.IsZero() {
		opts.ModTime = DefaultModTime
	}
	opts.ModTime = opts.ModTime.UTC().Truncate(time.Second)
	entries := opts.Entries
	if entries == nil {
		path := opts.ListPath
		if path == "" {
			path = filepath.Join("..", "shared", "data", "connector-reference-list.json")
		}
		var err error
		if entries, err = LoadList(path); err != nil {
			return nil, fmt.Errorf("replica: %w", err)
		}
	} else {
		entries = append([]ListEntry(nil), entries...)
		for i := range entries {
			entries[i].DisplayName = oneLine(entries[i].DisplayName)
		}
		sortEntries(entries)
	}
	s := &Server{
		opts:     opts,
		faults:   map[string]Fault{},
		counts:   map[string]int{},
		statuses: map[int]int{},
		robots:   opts.Robots,
		rates:    append([]RateFault(nil), opts.Faults.Rates...),
	}
	for p, f := range opts.Faults.Paths {
		s.faults[p] = f
	}
	s.site.Store(buildSite(opts, entries, nil))
	return s, nil
}

// SetEntries replaces the list (a new capture of the site): pages of
// connectors still listed keep their content and its source (definition
// or generated), and change only where their entry changed.
func (s *Server) SetEntries(entries []ListEntry) {
	entries = append([]ListEntry(nil), entries...)
	for i := range entries {
		entries[i].DisplayName = oneLine(entries[i].DisplayName)
	}
	sortEntries(entries)
	s.mu.Lock() // one rebuild at a time, so none is lost
	defer s.mu.Unlock()
	s.site.Store(buildSite(s.opts, entries, s.site.Load()))
}

// BaseURL is the connectors root, e.g. http://127.0.0.1:PORT/en-us/connectors/
// (empty before Start).
func (s *Server) BaseURL() string { return s.base }

// ListPath is the list page's URL path.
func (s *Server) ListPath() string { return s.site.Load().base + "connector-reference/" }

// PagePath is a connector page's URL path.
func (s *Server) PagePath(id string) string { return s.site.Load().base + id + "/" }

// Start listens on Options.Addr (default 127.0.0.1:0) and serves until
// Close. It returns the base URL.
func (s *Server) Start() (string, error) {
	addr := s.opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("replica: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", fmt.Errorf("replica: address %q: %w; the replica serves this machine only (use 127.0.0.1:PORT)", addr, ErrNotLoopback)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("replica: listen on %s: %w", addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.base = "http://" + ln.Addr().String() + s.site.Load().base
	go s.srv.Serve(ln)
	return s.base, nil
}

// Close stops the server and closes open connections.
func (s *Server) Close() error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Close()
}

// Shutdown stops the server gracefully.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}

// Rendered returns what the page of connector id shows, as a catalogue
// entry (a copy), or nil when the id is not listed. See the package
// documentation for what each field holds.
func (s *Server) Rendered(id string) *catalog.Connector {
	p, ok := s.site.Load().pages[id]
	if !ok {
		return nil
	}
	return clone(p.data.conn)
}

// Expected returns the catalogue a perfect crawl of the replica gives:
// every listed connector as Rendered returns it.
func (s *Server) Expected() *catalog.Catalog {
	st := s.site.Load()
	c := &catalog.Catalog{UpdatedAt: st.modTime}
	for _, e := range st.entries {
		c.Connectors = append(c.Connectors, clone(st.pages[e.Name].data.conn))
	}
	c.Reindex()
	return c
}

// IDs lists the listed connector ids in list page order.
func (s *Server) IDs() []string {
	st := s.site.Load()
	out := make([]string, len(st.entries))
	for i, e := range st.entries {
		out[i] = e.Name
	}
	return out
}

// FromDefinition lists, sorted, the ids of pages rendered from an
// imported definition.
func (s *Server) FromDefinition() []string {
	var out []string
	for id, p := range s.site.Load().pages {
		if p.data.fromDef && !p.data.fromAPI {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// FromAPI lists the connector ids whose page shows a Power Platform API
// reply, sorted.
func (s *Server) FromAPI() []string {
	var out []string
	for id, p := range s.site.Load().pages {
		if p.data.fromAPI {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// FromExport lists the connector ids served from the site's own Markdown
// export, sorted.
func (s *Server) FromExport() []string {
	var out []string
	for id, p := range s.site.Load().pages {
		if p.data.export != nil {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// SetFault injects a fault on one URL path (Kind "" removes it).
func (s *Server) SetFault(path string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Kind == FaultNone {
		delete(s.faults, path)
		return
	}
	s.faults[path] = f
}

// SetRates replaces the rate-based faults.
func (s *Server) SetRates(rates ...RateFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rates = append([]RateFault(nil), rates...)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = map[string]Fault{}
	s.rates = nil
}

// SetRobots changes /robots.txt.
func (s *Server) SetRobots(r Robots) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.robots = r
}

// FaultFor returns the fault that applies to a URL path, explicit ones
// first, then the first rate-based fault that selects the path.
func (s *Server) FaultFor(path string) Fault {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if f, ok := s.faults[path]; ok {
		return f
	}
	if len(s.rates) == 0 || !s.isConnectorPath(path) {
		return Fault{}
	}
	for i, r := range s.rates {
		if selected(s.opts.Seed, i, path, r.Rate) {
			return r.Fault
		}
	}
	return Fault{}
}

// Faulted lists, sorted, the connector page paths that a fault of the
// given kind applies to (explicit and rate-based): tests use it to know
// exactly which URLs must fail.
func (s *Server) Faulted(kind FaultKind) []string {
	var out []string
	for _, id := range s.IDs() {
		p := s.PagePath(id)
		if s.FaultFor(p).Kind == kind {
			out = append(out, p)
		}
	}
	s.mu.RLock()
	for p, f := range s.faults {
		if f.Kind == kind && !s.isConnectorPath(p) {
			out = append(out, p)
		}
	}
	s.mu.RUnlock()
	sort.Strings(out)
	return out
}

func (s *Server) isConnectorPath(path string) bool {
	st := s.site.Load()
	id, ok := strings.CutPrefix(path, st.base)
	if !ok {
		return false
	}
	id, ok = strings.CutSuffix(id, "/")
	_, listed := st.pages[id]
	return ok && listed
}

// selected picks a share rate of paths, the same ones for a given seed.
func selected(seed uint64, i int, path string, rate float64) bool {
	if rate <= 0 {
		return false
	}
	h := sha256.Sum256([]byte(strconv.FormatUint(seed, 10) + "|" + strconv.Itoa(i) + "|" + path))
	v := uint64(h[0])<<24 | uint64(h[1])<<16 | uint64(h[2])<<8 | uint64(h[3])
	return float64(v) < rate*float64(1<<32)
}

// Requests returns how many requests a URL path received (every status).
func (s *Server) Requests(path string) int {
	s.countMu.Lock()
	defer s.countMu.Unlock()
	return s.counts[path]
}

// RequestCounts returns a copy of the per-path request counts.
func (s *Server) RequestCounts() map[string]int {
	s.countMu.Lock()
	defer s.countMu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// Statuses returns how many responses had each status code.
func (s *Server) Statuses() map[int]int {
	s.countMu.Lock()
	defer s.countMu.Unlock()
	out := make(map[int]int, len(s.statuses))
	for k, v := range s.statuses {
		out[k] = v
	}
	return out
}

// TotalRequests is the number of requests served since the last reset.
func (s *Server) TotalRequests() int { return int(s.total.Load()) }

// MaxInFlight is the highest number of requests handled at once since
// the last reset.
func (s *Server) MaxInFlight() int { return int(s.maxIn.Load()) }

// ResetCounters clears request counts, statuses and the in-flight maximum
// (transient faults count attempts from the reset too).
func (s *Server) ResetCounters() {
	s.countMu.Lock()
	s.counts = map[string]int{}
	s.statuses = map[int]int{}
	s.countMu.Unlock()
	s.total.Store(0)
	s.maxIn.Store(s.inFlight.Load())
}

func (s *Server) count(path string) int {
	s.countMu.Lock()
	defer s.countMu.Unlock()
	s.counts[path]++
	return s.counts[path]
}

func (s *Server) status(code int) {
	s.countMu.Lock()
	s.statuses[code]++
	s.countMu.Unlock()
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.maxIn.Load()
		if n <= m || s.maxIn.CompareAndSwap(m, n) {
			break
		}
	}
	s.total.Add(1)
	path := r.URL.Path
	attempt := s.count(path)
	w.Header().Set("Server", "connex-replica")

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.fail(w, http.StatusMethodNotAllowed)
		return
	}
	if path == "/robots.txt" {
		s.serveRobots(w, r)
		return
	}
	f := s.FaultFor(path)
	applies := f.Times == 0 || attempt <= f.Times
	switch f.Kind {
	case Fault404:
		s.fail(w, http.StatusNotFound)
		return
	case FaultHuge, FaultDeep:
		s.status(http.StatusOK)
		serveMonster(w, f)
		return
	case Fault429:
		if applies {
			if f.RetryAfter >= 0 {
				w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
			}
			s.fail(w, http.StatusTooManyRequests)
			return
		}
	case Fault500:
		if applies {
			s.fail(w, http.StatusInternalServerError)
			return
		}
	case FaultSlow:
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			s.status(499) // client closed the request
			return
		}
	}

	st := s.site.Load()
	var res *rendered
	ctype := "text/html; charset=utf-8"
	origin := siteOrigin
	switch {
	case path == st.base+"connector-reference/":
		res = st.list.get(func() []byte { return st.renderList(origin) })
	case strings.HasPrefix(path, st.base):
		id := strings.TrimPrefix(path, st.base)
		bare, slash := strings.CutSuffix(id, "/")
		p, ok := st.pages[bare]
		switch {
		case !ok || strings.Contains(bare, "/"):
			s.fail(w, http.StatusNotFound)
			return
		case !slash:
			// The site redirects to the canonical address with a slash.
			w.Header().Set("Location", st.base+bare+"/")
			s.status(http.StatusMovedPermanently)
			w.WriteHeader(http.StatusMovedPermanently)
			return
		case p.data.export != nil && r.URL.Query().Get("accept") == "text/markdown":
			res = p.md.get(func() []byte { return p.data.export })
			ctype = "text/markdown; charset=utf-8"
		case f.Kind == FaultLayout:
			res = p.unusual.get(func() []byte { return st.renderPage(p, origin, true) })
		default:
			res = p.normal.get(func() []byte { return st.renderPage(p, origin, false) })
		}
	default:
		s.fail(w, http.StatusNotFound)
		return
	}

	h := w.Header()
	h.Set("ETag", res.etag)
	h.Set("Last-Modified", st.modTime.Format(http.TimeFormat))
	h.Set("Cache-Control", "public, max-age=3600")
	if notModified(r, res.etag, st.modTime) {
		s.status(http.StatusNotModified)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", ctype)
	if f.Kind == FaultTruncate && applies && r.Method == http.MethodGet {
		s.status(http.StatusOK)
		s.truncate(w, res)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(res.body)))
	s.status(http.StatusOK)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(res.body)
	}
}

// notModified applies RFC 9110: If-None-Match wins over If-Modified-Since.
func notModified(r *http.Request, etag string, mod time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		if t, err := http.ParseTime(ims); err == nil && !mod.After(t) {
			return true
		}
	}
	return false
}

// truncate sends the headers with the full Content-Length, half the body,
// then drops the connection: the client sees an unexpected EOF.
func (s *Server) truncate(w http.ResponseWriter, res *rendered) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		s.fail(w, http.StatusInternalServerError)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\nETag: %s\r\nConnection: close\r\n\r\n", len(res.body), res.etag)
	buf.Write(res.body[:len(res.body)/2])
	buf.Flush()
}

func (s *Server) fail(w http.ResponseWriter, code int) {
	s.status(code)
	http.Error(w, http.StatusText(code), code)
}

func (s *Server) serveRobots(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	rb := s.robots
	s.mu.RUnlock()
	if f := s.FaultFor("/robots.txt"); f.Kind == Fault500 {
		rb = Robots{Mode: RobotsError}
	}
	var body string
	switch {
	case rb.Body != "":
		body = rb.Body
	case rb.Mode == RobotsNotFound:
		s.fail(w, http.StatusNotFound)
		return
	case rb.Mode == RobotsError:
		s.fail(w, http.StatusInternalServerError)
		return
	case rb.Mode == RobotsDisallow:
		var b strings.Builder
		b.WriteString("User-agent: *\n")
		for _, p := range rb.Disallow {
			b.WriteString("Disallow: " + p + "\n")
		}
		body = b.String()
	default:
		body = "User-agent: *\nDisallow:\n"
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	s.status(http.StatusOK)
	w.Write([]byte(body))
}

func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// ErrNotLoopback is returned by Start for a non-loopback address.
var ErrNotLoopback = errors.New("not a loopback address")

// InFlight is the number of requests being handled now.
func (s *Server) InFlight() int { return int(s.inFlight.Load()) }

// Prerender renders the list and every connector page now, on all CPUs,
// so a benchmark of a crawler measures the crawler, not first renders.
func (s *Server) Prerender() {
	st := s.site.Load()
	origin := siteOrigin
	st.list.get(func() []byte { return st.renderList(origin) })
	ids := make(chan *page)
	var wg sync.WaitGroup
	for i := 0; i < runtime.GOMAXPROCS(0); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range ids {
				p.normal.get(func() []byte { return st.renderPage(p, origin, false) })
			}
		}()
	}
	for _, e := range st.entries {
		ids <- st.pages[e.Name]
	}
	close(ids)
	wg.Wait()
}

// serveMonster streams an oversized or overly deep page, generated on the
// fly so it costs no memory.
func serveMonster(w http.ResponseWriter, f Fault) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte("<!DOCTYPE html><html><head><title>Monster - Connectors | Microsoft Learn</title></head><body><h1>Monster</h1>\n"))
	if f.Kind == FaultDeep {
		n := f.Size
		if n <= 0 {
			n = 5000
		}
		w.Write([]byte(strings.Repeat("<div>", n)))
		w.Write([]byte("deep"))
		w.Write([]byte(strings.Repeat("</div>", n)))
		w.Write([]byte("</body></html>\n"))
		return
	}
	n := f.Size
	if n <= 0 {
		n = 11 << 20
	}
	row := []byte("<p>This paragraph repeats to make the page larger than any cap a crawler should accept.</p>\n")
	for written := 0; written < n; written += len(row) {
		if _, err := w.Write(row); err != nil {
			return // the client gave up, as it should
		}
	}
	w.Write([]byte("</body></html>\n"))
}
