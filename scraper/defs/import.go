// Package defs imports connector definitions into a catalogue: swagger
// files with their apiProperties.json and readme, laid out like the public
// microsoft/PowerPlatformConnectors repository (swagger.go, props.go), and
// the replies of the Power Platform API (apireply.go), read from a folder,
// one file, a tarball or an http(s) URL to a tarball (source.go), and the
// reference site's connector list saved as data, recognised by its shape
// (list.go: read by package site, recorded as a source of kind list). Import
// (this file) orchestrates: it streams every source, parses swagger files
// on workers while the source is still being read, and assembles the
// connectors. The JSON is read with internal/jsonx, tolerantly.
//
// Memory: what a connector keeps is copied out of its parsed text (raw
// schemas into one block per connector, each distinct value once: pack.go;
// short texts interned), so the text is freed after its file; file and
// cleaned-text buffers are reused from file to file (bufpool.go).
//
// Sources are untrusted: every file and every source has a size cap, an
// archive an entry cap, and every long step stops when the context ends.
package defs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/connex-dev/connex/catalog"
)

// Limits on what an import reads; untrusted sources cannot make it use
// unbounded memory or time.
const (
	// MaxFileSize is the largest definition file read (the largest real
	// ones, swagger or API reply, are about 1 MiB).
	MaxFileSize = 16 << 20
	// MaxSourceSize caps the bytes of the files read from one source
	// (folder, archive or URL) unless ImportOptions says otherwise; each
	// real sample holds about 75 MiB. A source over it is refused.
	MaxSourceSize = 256 << 20
	// MaxArchiveSize caps the bytes of all entries of one tarball, read
	// or skipped (skipping a compressed entry still inflates it).
	MaxArchiveSize = 512 << 20
	// inFlightBytes bounds the definition text held by files read but not
	// yet parsed, and their parse buffers (twice a file's size), so memory
	// does not grow with the source.
	inFlightBytes = 4 * MaxFileSize
	// MaxArchiveEntries caps the entries read from one tarball.
	MaxArchiveEntries = 200_000
	// MaxDownloadSize caps a tarball downloaded from a URL.
	MaxDownloadSize = 200 << 20
)

// Sentinel errors.
var (
	ErrBadSource       = errors.New("cannot read source")
	ErrTooLarge        = errors.New("file too large")
	ErrNothingImported = errors.New("no connector definition could be read")
)

// ImportOptions tune Import.
type ImportOptions struct {
	Workers int // 0: runtime.NumCPU()
	// Progress, when set, is called from one goroutine as files are
	// parsed. total grows while a tarball is still being read.
	Progress   func(done, total int)
	HTTPClient *http.Client     // for http(s) tarball URLs; nil: a client with timeouts
	Now        func() time.Time // for Source.At; nil: time.Now
	// MaxSourceSize overrides the package's MaxSourceSize when > 0.
	MaxSourceSize int64
}

// ImportError is a file that could not be read, or (in Warnings) a
// problem that was worked around. Line and Column are 1-based, 0 when not
// known; Column counts characters.
type ImportError struct {
	Path   string `json:"path"`
	Error  string `json:"error"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

func (e ImportError) String() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Column, e.Error)
	}
	return e.Path + ": " + e.Error
}

// ImportResult is what Import read.
type ImportResult struct {
	Catalog  *catalog.Catalog `json:"catalog"`
	Files    int              `json:"files"`    // swagger files seen (one per connector folder)
	Failed   []ImportError    `json:"failed"`   // files that could not be read, sorted by path
	Warnings []ImportError    `json:"warnings"` // missing $ref targets, id collisions, unreadable apiProperties...
	// Lists are the sources that were connector lists (list.go).
	Lists []ListRead `json:"lists,omitempty"`
}

// Import reads every source (a directory laid out like
// microsoft/PowerPlatformConnectors or one connector folder in it, one
// *.swagger.json file, a .tar.gz or .tar of such a tree, or an http(s) URL
// to such a tarball; Power Platform API replies; a connector list file,
// listed in Lists) and returns the connectors it could read. Files that cannot be read are listed in
// Failed and the rest goes on. err is non-nil only when nothing at all
// could be read (a bad source, or no readable definition): the result is
// then still returned, for its Failed list, but holds no connector.
func Import(ctx context.Context, sources []string, opts ImportOptions) (*ImportResult, error) {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	at := now().UTC()
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	pool := newPool(ctx, workers, opts.Progress)
	res := &ImportResult{}
	files := map[string]*folder{} // by folder key
	var srcErrs []error
	opened := 0
	maxSource := int64(MaxSourceSize)
	if opts.MaxSourceSize > 0 {
		maxSource = opts.MaxSourceSize
	}
	lists := map[int]*catalog.Catalog{} // by source: connector lists (list.go)
	for i, src := range sources {
		if list, isList, err := res.readList(ctx, src, opts.HTTPClient, at); isList {
			if err != nil {
				srcErrs = append(srcErrs, err)
				res.Failed = append(res.Failed, ImportError{Path: src, Error: err.Error()})
			} else {
				lists[i] = list
				opened++
			}
			continue
		}
		var read int64
		err := readSource(ctx, src, opts.HTTPClient, func(f file) error {
			read += int64(len(f.data))
			if read > maxSource {
				return fmt.Errorf("%w: %s holds more than %d MiB of definition files; refused (is it really a connector repository?)", ErrTooLarge, src, maxSource>>20)
			}
			f.src = i
			collect(files, f, pool)
			return nil
		})
		if errors.Is(err, ErrTooLarge) {
			// Refused whole: drop what was read of it.
			for k, fo := range files {
				if fo.src == i {
					delete(files, k)
				}
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				pool.wait()
				return nil, ctx.Err()
			}
			srcErrs = append(srcErrs, err)
			res.Failed = append(res.Failed, ImportError{Path: src, Error: err.Error()})
			var partial *partialError
			if !errors.As(err, &partial) {
				continue
			}
		}
		opened++
	}
	pool.wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cat := &catalog.Catalog{UpdatedAt: at}
	for i, src := range sources {
		if _, isList := lists[i]; !isList {
			cat.AddOrigin(catalog.Source{Kind: catalog.SourceDefinition, Ref: src, At: at})
		}
	}
	res.Catalog = cat
	assemble(res, files, at)
	for i := range sources {
		if list := lists[i]; list != nil {
			cat.Merge(list) // its connectors, and its origin
		}
	}
	sortErrs(res.Failed)
	sortErrs(res.Warnings)
	if len(cat.Connectors) == 0 {
		if opened == 0 && len(srcErrs) > 0 {
			return res, fmt.Errorf("%w: %w", ErrNothingImported, errors.Join(srcErrs...))
		}
		files := "files"
		if res.Files == 1 {
			files = "file"
		}
		return res, fmt.Errorf("%w from %s (%d %s tried; each one's reason is listed)", ErrNothingImported, strings.Join(sources, ", "), res.Files, files)
	}
	return res, nil
}

func sortErrs(list []ImportError) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// Connector folder groups of the definitions repository.
var groups = map[string]catalog.PublisherKind{
	"certified-connectors":             catalog.PublisherCertified,
	"independent-publisher-connectors": catalog.PublisherIndependent,
	"custom-connectors":                catalog.PublisherCustom,
}

// file is one file of a source that the import wants.
type file struct {
	src  int
	path string // logical path, slash-separated
	data []byte
	// buf is the pooled buffer holding data (getBuf), given back once
	// the file has been read; nil when data is not pooled.
	buf []byte
	err error // set instead of data when the file could not be read
	// reply marks a file given alone that is read as a Power Platform
	// API reply, whatever its name.
	reply bool
}

type fileKind int

const (
	kindOther fileKind = iota
	kindSwagger
	kindProps
	kindReadme
	kindAPIReply   // apis/shared_<id>/api.json, or a reply file given alone
	kindAPISwagger // apis/shared_<id>/swagger.json
)

// kindOf classifies a logical path: the definitions repository's files by
// name, the Power Platform API layout by name inside a shared_<id> folder.
func kindOf(name string) fileKind {
	l := strings.ToLower(path.Base(name))
	switch {
	case strings.HasSuffix(l, ".swagger.json"):
		return kindSwagger
	case l == "apiproperties.json":
		return kindProps
	case l == "readme.md" || l == "intro.md":
		return kindReadme
	}
	if _, ok := apiFolderID(path.Base(path.Dir(name))); ok {
		switch l {
		case "api.json":
			return kindAPIReply
		case "swagger.json":
			return kindAPISwagger
		}
	}
	return kindOther
}

// displayPath is the path shown to users: from the group folder on
// ("certified-connectors/Foo/apiDefinition.swagger.json", or
// "apis/shared_foo/swagger.json") when there is one, else the logical path.
func displayPath(logical string) string {
	parts := strings.Split(logical, "/")
	for i := len(parts) - 2; i >= 0; i-- {
		if _, ok := groups[parts[i]]; ok {
			return strings.Join(parts[i:], "/")
		}
		if _, ok := apiFolderID(parts[i]); ok {
			if i > 0 && parts[i-1] == "apis" {
				i--
			}
			return strings.Join(parts[i:], "/")
		}
	}
	return logical
}

// folder gathers one connector folder's files. apiProperties, readme and
// API replies are parsed as they arrive and only what the connector needs
// is kept, so a source's memory does not grow with its text.
type folder struct {
	src       int
	dir       string // display path of the folder
	swaggers  []*swaggerJob
	props     *apiProps
	propsWarn *ImportError
	readme    string // description taken from the readme
	readmeNm  string
	reply     *apiReply // set for a Power Platform API folder
	api       bool      // an apis/shared_<id> folder, or a reply file
}

type swaggerJob struct {
	path   string // display path
	parsed parsed
}

func collect(folders map[string]*folder, f file, pool *pool) {
	// The file's buffer goes back to the pool when the file is read here;
	// a swagger file's job gives it back when it has parsed it.
	handed := false
	defer func() {
		if !handed {
			putBuf(f.buf)
		}
	}()
	kind := kindOf(f.path)
	if f.reply {
		kind = kindAPIReply
	}
	if kind == kindOther {
		return
	}
	disp := displayPath(f.path)
	dir := path.Dir(disp)
	var reply *apiReply
	var inline, inlineBuf []byte
	if kind == kindAPIReply {
		reply, inline, inlineBuf = parseReply(disp, f)
		if f.reply && reply.id != "" {
			// A reply file given alone: its folder is the connector's
			// API name, as in the API layout.
			dir = "apis/" + apiPrefix + reply.id
		}
	}
	// The display path makes a connector folder that appears in two
	// sources one connector: the later source wins.
	fo := folders[dir]
	if fo == nil || fo.src != f.src {
		fo = &folder{src: f.src, dir: dir}
		folders[dir] = fo
	}
	switch kind {
	case kindSwagger, kindAPISwagger:
		job := &swaggerJob{path: disp}
		fo.swaggers = append(fo.swaggers, job)
		handed = true
		pool.submit(job, f)
	case kindProps:
		fo.props, fo.propsWarn = nil, nil
		if f.err != nil {
			fo.propsWarn = &ImportError{Path: disp, Error: f.err.Error() + "; auth details skipped"}
			return
		}
		props, fixes, perr := parseProps(disp, f.data)
		switch {
		case perr != nil:
			fo.propsWarn = perr
		case fixes != 0:
			fo.propsWarn = &ImportError{Path: disp, Error: "recovered " + strings.Join(fixes.Strings(), ", ")}
		}
		fo.props = props
	case kindReadme:
		// Prefer readme.md over intro.md when a folder has both.
		name := strings.ToLower(path.Base(f.path))
		if fo.readmeNm == "" || (name == "readme.md" && fo.readmeNm != "readme.md") {
			fo.readmeNm, fo.readme = name, ""
			if f.err == nil {
				fo.readme = readmeDescription(string(f.data))
			}
		}
	case kindAPIReply:
		fo.reply, fo.api = reply, true
		if inline != nil {
			// The live API returns the definition inline.
			job := &swaggerJob{path: disp + "#/properties/swagger"}
			fo.swaggers = append(fo.swaggers, job)
			pool.submit(job, file{path: job.path, data: inline, buf: inlineBuf})
		} else {
			putBuf(inlineBuf)
		}
	}
	if kind == kindAPISwagger {
		fo.api = true
	}
}

// pool parses swagger files concurrently while the sources are still
// being read.
type pool struct {
	ctx      context.Context
	jobs     chan func()
	mem      *semaphore.Weighted // bytes of files in flight
	wg       sync.WaitGroup
	progress chan int // +1 submitted as -1, done as +1
	progDone chan struct{}
	raws     rawTable // raw values shared by the import's connectors
}

func newPool(ctx context.Context, workers int, progress func(done, total int)) *pool {
	p := &pool{ctx: ctx, jobs: make(chan func(), workers), mem: semaphore.NewWeighted(inFlightBytes)}
	for range workers {
		go func() {
			for job := range p.jobs {
				job()
			}
		}()
	}
	if progress != nil {
		p.progress = make(chan int, 256)
		p.progDone = make(chan struct{})
		go func() {
			defer close(p.progDone)
			done, total := 0, 0
			for d := range p.progress {
				if d < 0 {
					total++
					continue
				}
				done++
				progress(done, total)
			}
		}()
	}
	return p
}

func (p *pool) submit(job *swaggerJob, f file) {
	p.wg.Add(1)
	if p.progress != nil {
		p.progress <- -1
	}
	weight := min(2*int64(len(f.data))+1, inFlightBytes)
	if err := p.mem.Acquire(p.ctx, weight); err != nil {
		weight = 0
	}
	p.jobs <- func() {
		defer p.wg.Done()
		defer p.mem.Release(weight)
		defer putBuf(f.buf)
		switch {
		case f.err != nil:
			job.parsed = parsed{err: &ImportError{Path: job.path, Error: f.err.Error()}}
		case p.ctx.Err() != nil:
			job.parsed = parsed{err: &ImportError{Path: job.path, Error: p.ctx.Err().Error()}}
		default:
			job.parsed = parseSwaggerSharing(job.path, f.data, &p.raws)
		}
		if p.progress != nil {
			p.progress <- 1
		}
	}
}

func (p *pool) wait() {
	p.wg.Wait()
	close(p.jobs)
	if p.progress != nil {
		close(p.progress)
		<-p.progDone
	}
}

// assemble joins each folder's parsed swagger with its apiProperties
// and readme, assigns connector ids, and fills the catalogue.
func assemble(res *ImportResult, folders map[string]*folder, at time.Time) {
	dirs := make([]string, 0, len(folders))
	for d := range folders {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	var conns []*catalog.Connector
	api := &catalog.Catalog{}
	for _, d := range dirs {
		fo := folders[d]
		if fo.reply != nil {
			res.Warnings = append(res.Warnings, fo.reply.warnings...)
			if fo.reply.err != nil {
				res.Files++
				res.Failed = append(res.Failed, *fo.reply.err)
				continue
			}
		}
		if len(fo.swaggers) == 0 {
			if _, isGroup := groups[path.Base(path.Dir(d))]; isGroup {
				res.Warnings = append(res.Warnings, ImportError{Path: d, Error: "no *.swagger.json in this connector folder; skipped"})
			}
			if fo.api {
				res.Files++
				res.Failed = append(res.Failed, ImportError{Path: d, Error: "no swagger.json in this folder and no properties.swagger in its api.json: nothing to import"})
			}
			continue
		}
		job := pickSwagger(fo.swaggers)
		if len(fo.swaggers) > 1 {
			res.Warnings = append(res.Warnings, ImportError{Path: d, Error: fmt.Sprintf("%d swagger files; read %s", len(fo.swaggers), path.Base(job.path))})
		}
		res.Files++
		p := job.parsed
		res.Warnings = append(res.Warnings, p.warnings...)
		if p.err != nil {
			res.Failed = append(res.Failed, *p.err)
			continue
		}
		conn := p.conn
		if fo.api {
			if err := fillFromReply(conn, d, fo.reply, p.secDefs); err != nil {
				res.Failed = append(res.Failed, *err)
				continue
			}
			conn.Sources = map[string]catalog.Source{SourceAPI: {Kind: SourceAPI, Ref: job.path, At: at}}
			api.Connectors = append(api.Connectors, conn)
			continue
		}
		conn.Folder = path.Base(d)
		if kind, ok := groups[path.Base(path.Dir(d))]; ok {
			conn.PublisherKind = kind
		}
		if fo.propsWarn != nil {
			res.Warnings = append(res.Warnings, *fo.propsWarn)
		}
		conn.AuthTypes = authTypes(p.secDefs, fo.props)
		if fo.props != nil {
			conn.BrandColor = strings.TrimSpace(fo.props.Properties.IconBrandColor)
			conn.Publisher = strings.TrimSpace(fo.props.Properties.Publisher)
		}
		if conn.Publisher == "" {
			conn.Publisher = conn.Contact.Name
		}
		if conn.Description == "" {
			conn.Description = fo.readme
		}
		if conn.Name == "" {
			conn.Name = conn.Folder
		}
		conn.Sources = map[string]catalog.Source{"definition": {Kind: catalog.SourceDefinition, Ref: job.path, At: at}}
		conns = append(conns, conn)
	}
	// Ids: folders are visited in path order, so the first folder keeps a
	// contested id and the others get a numbered suffix, stable across runs.
	taken := map[string]string{}
	for _, conn := range conns {
		base := catalog.NormalizeID(conn.Name)
		if base == "" {
			base = catalog.NormalizeID(conn.Folder)
		}
		if base == "" {
			base = "connector"
		}
		id := base
		for n := 2; taken[id] != ""; n++ {
			id = fmt.Sprintf("%s-%d", base, n)
		}
		if id != base {
			res.Warnings = append(res.Warnings, ImportError{Path: conn.Sources["definition"].Ref,
				Error: fmt.Sprintf("connector id %q is already used by %s; this one is %q", base, taken[base], id)})
		}
		taken[id] = conn.Sources["definition"].Ref
		conn.ID = id
	}
	res.Catalog.Connectors = conns
	res.Catalog.Reindex()
	// API replies carry the connector's own id: they join the definitions
	// by catalog's merge rules, as a separate import of them would.
	if len(api.Connectors) > 0 {
		api.Reindex()
		res.Catalog.Merge(api)
	}
}

// pickSwagger prefers apiDefinition.swagger.json (any case), then the
// first other swagger file by name.
func pickSwagger(list []*swaggerJob) *swaggerJob {
	best := list[0]
	for _, j := range list[1:] {
		bi := strings.EqualFold(path.Base(best.path), "apiDefinition.swagger.json")
		ji := strings.EqualFold(path.Base(j.path), "apiDefinition.swagger.json")
		if ji && !bi || ji == bi && j.path < best.path {
			best = j
		}
	}
	return best
}

func tooLarge(size int64) error {
	return fmt.Errorf("%w: %.1f MiB, over the %d MiB limit for one file (is it really a connector definition?)", ErrTooLarge, float64(size)/(1<<20), MaxFileSize>>20)
}
