// Package app holds the use cases both front ends run: open the data
// folder (catalogue, index, lock), import, refresh, and the test-call
// session. cmd/connex turns flags into these calls and their results into
// output; the explorer (tui) calls the same functions. Nothing here
// prints: progress goes through typed callbacks, problems that do not stop
// a use case through Data.Warn, and outcomes through returned values.
package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
)

var (
	// ErrBusy: another import or refresh holds the data folder's lock.
	ErrBusy = errors.New("another connex import or refresh is already running")
	// ErrIndexStale: the catalogue was saved but its search index was not
	// rebuilt (interrupted or failed); the next open rebuilds it. Front
	// ends report it as a partial success.
	ErrIndexStale = errors.New("catalogue saved; the search index will be rebuilt on next use")
)

// Data is one data folder: the catalogue snapshot, the search index, the
// crawl cache, the writer lock.
type Data struct {
	Dir string
	// Warn receives problems that do not stop a use case (a crawl state
	// not committed, a change report not saved). Nil: dropped.
	Warn func(err error)

	// BuildIndex builds the index at path from c (New sets index.Build;
	// a test counts or interrupts builds).
	BuildIndex func(ctx context.Context, path string, c *catalog.Catalog) error
	// Now stamps the backups of corrupt files (New sets time.Now).
	Now func() time.Time
	// Notice hears of a slow step a front end may announce while the
	// user waits (the search index being rebuilt). Nil: nothing.
	Notice func(msg string)
}

// IndexRebuildNotice is what Notice hears before an index rebuild.
const IndexRebuildNotice = "rebuilding the search index (it is out of date): a few seconds, once"

// New returns the data folder at dir (created when first written).
func New(dir string) *Data {
	return &Data{Dir: dir, BuildIndex: index.Build, Now: time.Now}
}

func (d *Data) warn(err error) {
	if d.Warn != nil && err != nil {
		d.Warn(err)
	}
}

// CatalogPath is where the catalogue snapshot lives.
func (d *Data) CatalogPath() string { return filepath.Join(d.Dir, catalog.SnapshotFile) }

// IndexPath is where the search index lives.
func (d *Data) IndexPath() string { return filepath.Join(d.Dir, "index") }

// LoadCatalog loads the saved catalogue, or the built-in samples when there
// is none yet. A corrupt or newer snapshot is an error: never silently
// replaced by samples.
func (d *Data) LoadCatalog() (*catalog.Catalog, error) {
	c, err := catalog.Load(d.CatalogPath())
	if errors.Is(err, catalog.ErrNoCatalog) {
		return catalog.Sample(), nil
	}
	if errors.Is(err, catalog.ErrCorruptSnapshot) {
		return nil, fmt.Errorf("%w\n  (run 'connex import SOURCE' to rebuild it: the corrupt file is then kept aside as %s.corrupt-DATE)", err, catalog.SnapshotFile)
	}
	if err != nil {
		return nil, fmt.Errorf("%w\n  (run 'connex import' or 'connex refresh' to rebuild it; the file is left as it is)", err)
	}
	return c, nil
}

// Open loads the catalogue and opens its index. An unusable index is
// returned as an error with the catalogue, so a front end can go on
// without it (the explorer scans instead).
func (d *Data) Open(ctx context.Context) (*catalog.Catalog, *index.Index, error) {
	c, err := d.LoadCatalog()
	if err != nil {
		return nil, nil, err
	}
	ix, err := d.OpenIndex(ctx, c)
	if err != nil {
		return c, nil, err
	}
	return c, ix, nil
}

// SaveCatalog writes the catalogue snapshot and rebuilds the index from
// it, both at once (the snapshot's write and sync overlap the index's CPU
// work). Each is replaced atomically; should the index fail, or the process
// die half-way, the index is out of step with the snapshot, and OpenIndex
// notices and rebuilds it on the next open. A failed save stops the build.
// When the snapshot was saved but the index was not, the error wraps
// ErrIndexStale.
//
// The index plan keeps only the texts it indexes, so when the caller
// holds no other reference to c, what only the snapshot needs (the raw
// schemas, most of a parsed catalogue) is freed as soon as it is written,
// not held through the build.
func (d *Data) SaveCatalog(ctx context.Context, c *catalog.Catalog) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	saved := make(chan error, 1)
	go func(c *catalog.Catalog) {
		err := d.saveCatalogOnly(c)
		if err != nil {
			cancel(err)
		}
		saved <- err
	}(c)
	indexErr := d.indexCatalog(ctx, c)
	if err := <-saved; err != nil {
		return err
	}
	if indexErr != nil {
		return indexErr
	}
	d.stampIndex()
	return nil
}

// Lock takes the data folder's writer lock, so that two imports or
// refreshes never write the catalogue at once. Readers never take it.
// what names the use case in the error.
func (d *Data) Lock(what string) (unlock func(), err error) {
	if err := os.MkdirAll(d.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("data folder %s: %w", d.Dir, err)
	}
	lock := flock.New(filepath.Join(d.Dir, "writer.lock"))
	ok, err := lock.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", lock.Path(), err)
	}
	if !ok {
		return nil, fmt.Errorf("%s: %w on %s; try again when it ends", what, ErrBusy, d.Dir)
	}
	return func() { _ = lock.Unlock() }, nil
}

// indexLockRetry is how often a search waiting for another process's
// index rebuild checks the lock.
const indexLockRetry = 25 * time.Millisecond

// OpenIndex opens the search index for c, building it when it is missing,
// outdated, corrupt or out of step with c. Rebuilds are coordinated: when
// several processes (parallel searches after a kill) find the index stale,
// one rebuilds it under a lock (index-open.lock: index.Build takes
// index.lock itself, and only serialises builders, which would each
// rebuild in turn) and the others wait for that rebuild and then open its
// result; only one build runs. The built-in samples are indexed in memory:
// nothing is written for them.
func (d *Data) OpenIndex(ctx context.Context, c *catalog.Catalog) (*index.Index, error) {
	if c.Sample {
		return index.NewMemory(c)
	}
	if ix, err := d.openCurrent(c); ix != nil || err != nil {
		return ix, err
	}
	if err := os.MkdirAll(d.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("data folder %s: %w", d.Dir, err)
	}
	lock := flock.New(filepath.Join(d.Dir, "index-open.lock"))
	ok, err := lock.TryLockContext(ctx, indexLockRetry)
	if err != nil || !ok {
		return nil, fmt.Errorf("wait for the search index: %w", errOr(err, ctx.Err()))
	}
	defer func() { _ = lock.Unlock() }()
	// Another process may have rebuilt it while this one waited.
	if ix, err := d.openCurrent(c); ix != nil || err != nil {
		return ix, err
	}
	if d.Notice != nil {
		d.Notice(IndexRebuildNotice)
	}
	if err := d.BuildIndex(ctx, d.IndexPath(), c); err != nil {
		return nil, err
	}
	return openIndexSafely(d.IndexPath())
}

// openCurrent opens the index when it matches c. (nil, nil) means it must
// be (re)built; an error, that it cannot be used and a build would not
// help (it is locked, or unreadable for another reason).
func (d *Data) openCurrent(c *catalog.Catalog) (*index.Index, error) {
	ix, err := openIndexSafely(d.IndexPath())
	switch {
	case err == nil:
		if ix.Matches(c) {
			return ix, nil
		}
		if err := ix.Close(); err != nil {
			return nil, err
		}
		return nil, nil
	case errors.Is(err, index.ErrNotBuilt), errors.Is(err, index.ErrOutdated), errors.Is(err, index.ErrCorrupt):
		return nil, nil
	}
	return nil, err
}

func errOr(err, alt error) error {
	if err != nil {
		return err
	}
	if alt != nil {
		return alt
	}
	return errors.New("lock not taken")
}

// openIndexSafely is index.Open, with a panic in the search engine (zapx
// panics on a segment file overwritten with garbage) turned into
// index.ErrCorrupt, so the index is rebuilt instead of the program dying.
func openIndexSafely(path string) (ix *index.Index, err error) {
	defer func() {
		if r := recover(); r != nil {
			ix, err = nil, fmt.Errorf("open index %s: %w: %v", path, index.ErrCorrupt, r)
		}
	}()
	return index.Open(path)
}
