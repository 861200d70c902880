package app

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/scraper/defs"
)

// ImportProgress is one step of an import: done of total definition files
// parsed (total grows while an archive is still being read).
type ImportProgress struct {
	Done, Total int
}

// ImportOutcome is what an import did.
type ImportOutcome struct {
	// Result is what was read: the imported connectors, failed files and
	// warnings. Set with an error too when files were read, so a front
	// end can say which failed.
	Result *defs.ImportResult
	// Catalog is the saved catalogue (the import merged into the previous
	// one); nil when nothing was saved.
	Catalog *catalog.Catalog
	// CorruptBackup is where an unreadable previous snapshot was moved
	// before the import replaced it ("" when there was none).
	CorruptBackup string
	// Merge is what merging into the saved catalogue did (nil when there
	// was none): renamed connectors, and connectors whose host or scheme
	// the import changed (a trust decision the user must see).
	Merge *catalog.MergeSummary
	// Changes sums up what the import changed in the saved catalogue (nil
	// when there was none, or only the built-in sample); ChangeReport is
	// the report's file in the data folder ("" when nothing changed), the
	// one 'connex changes' shows, as after a refresh.
	Changes      *catalog.ChangeSummary
	ChangeReport string
}

// Import reads the sources and merges them into the saved catalogue (the
// samples are dropped). Nothing is written unless at least one connector
// was read. A saved catalogue of a newer connex stops it before anything
// is read; a corrupt one is moved to a dated backup
// (catalog.snap.corrupt-YYYYMMDD-HHMMSS) and the import starts afresh.
// When the catalogue was saved but its index was not rebuilt, the outcome
// is returned with an error wrapping ErrIndexStale.
func (d *Data) Import(ctx context.Context, sources []string, progress func(ImportProgress)) (*ImportOutcome, error) {
	unlock, err := d.Lock("import")
	if err != nil {
		return nil, err
	}
	defer unlock()
	out := &ImportOutcome{}
	current, err := catalog.Load(d.CatalogPath())
	// The cap counts the catalogue already there as live: set before it
	// was loaded, the limit sat below what a re-import keeps live and the
	// collector ran without end (18 s for a re-import of the API sample
	// into the union, instead of 6).
	defer capMemory(importHeadroom)()
	switch {
	case errors.Is(err, catalog.ErrNoCatalog):
		current, err = nil, nil
	case errors.Is(err, catalog.ErrCorruptSnapshot):
		// The file is moved aside only once something replaces it:
		// read first, so a failed import leaves everything as it was.
		current, err = nil, nil
		out.CorruptBackup = d.corruptBackupName()
	}
	if err != nil {
		return nil, fmt.Errorf("%w\n  (nothing was imported; move the file away to start afresh)", err)
	}
	merged, changes, err := d.read(ctx, sources, progress, current, out)
	current = nil
	if err != nil {
		return out, err
	}
	imported := out.Result.Catalog == nil
	// The index is built from the parsed catalogue while it is saved
	// (SaveCatalog); the outcome gives the saved copy, read back once
	// the build is done and its memory free.
	err = d.SaveCatalog(ctx, merged)
	if err != nil && !errors.Is(err, ErrIndexStale) {
		return out, err
	}
	saved, lerr := catalog.Load(d.CatalogPath())
	if lerr != nil {
		return out, fmt.Errorf("the catalogue was saved but cannot be read back: %w", lerr)
	}
	out.Catalog = saved
	if imported {
		out.Result.Catalog = saved // what was imported is what was saved
	}
	if changes != nil {
		d.reportChanges(out, changes)
	}
	return out, err
}

// read imports the sources into out.Result and merges them into current
// (nil: none). It returns the catalogue to save; when that is the one
// imported, out.Result.Catalog is left nil (the caller sets the saved
// copy), so that nothing but the returned pointer holds it: the index
// build lets the parsed catalogue go once it is saved (see SaveCatalog),
// and a copy held here kept ~70 MB alive through the build. (The
// merging is in this function of its own for the same reason: done in
// Import, a temporary of its frame kept the catalogue reachable.)
//
// When current was a real catalogue, it also returns what the import
// changed, computed before the save: the catalogue before is then no
// longer needed, so it is not held through the index build.
func (d *Data) read(ctx context.Context, sources []string, progress func(ImportProgress), current *catalog.Catalog, out *ImportOutcome) (*catalog.Catalog, *catalog.ChangeReport, error) {
	var onFile func(done, total int)
	if progress != nil {
		onFile = func(done, total int) { progress(ImportProgress{Done: done, Total: total}) }
	}
	res, err := defs.Import(ctx, sources, defs.ImportOptions{Progress: onFile, Now: d.Now})
	out.Result = res
	if err != nil {
		return nil, nil, fmt.Errorf("import: %w\n  (nothing was saved; the catalogue is as it was)", err)
	}
	if res.Catalog.Stats().Connectors == 0 {
		return nil, nil, fmt.Errorf("import %s: no connector could be read; nothing was saved", strings.Join(sources, " "))
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if out.CorruptBackup != "" {
		if err := os.Rename(d.CatalogPath(), out.CorruptBackup); err != nil {
			return nil, nil, fmt.Errorf("move the corrupt catalogue aside: %w\n  (nothing was saved)", err)
		}
	}
	if current != nil {
		// The catalogue before, for the change report: Merge replaces
		// records, never changes them, so a copy of the list will do.
		var before *catalog.Catalog
		if !current.Sample {
			before = &catalog.Catalog{Connectors: append([]*catalog.Connector(nil), current.Connectors...),
				Origins: current.Origins, UpdatedAt: current.UpdatedAt}
		}
		sum := current.Merge(res.Catalog)
		out.Merge = &sum
		if before == nil {
			return current, nil, nil
		}
		diff := catalog.Diff(before, current, d.Now())
		diff.Cause = catalog.CauseImport
		return current, diff, nil
	}
	c := res.Catalog
	res.Catalog = nil
	return c, nil, nil
}

// reportChanges records what an import changed in the saved catalogue, as
// a refresh does: a newer connector list adds, removes and renames
// connectors, and any source may change flags and operations. A report
// that cannot be saved is a warning: the catalogue is saved.
func (d *Data) reportChanges(out *ImportOutcome, diff *catalog.ChangeReport) {
	out.Changes = &diff.Summary
	if diff.Empty() {
		return
	}
	path, err := catalog.SaveReport(d.Dir, diff)
	if err != nil {
		d.warn(fmt.Errorf("the catalogue was saved, but not the change report: %w", err))
		return
	}
	out.ChangeReport = path
}

// saveCatalogOnly saves c, keeping a backup of an older format first.
func (d *Data) saveCatalogOnly(c *catalog.Catalog) error {
	if _, err := catalog.BackupBeforeMigrate(d.CatalogPath()); err != nil {
		return err
	}
	return catalog.Save(d.CatalogPath(), c)
}

// indexCatalog builds the index of c; a failure gives an error wrapping
// ErrIndexStale.
func (d *Data) indexCatalog(ctx context.Context, c *catalog.Catalog) error {
	if err := d.BuildIndex(ctx, d.IndexPath(), c); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted: %w", ErrIndexStale)
		}
		return fmt.Errorf("%w (the index build failed: %v)", ErrIndexStale, err)
	}
	return nil
}

// corruptBackupName is a free name for a corrupt snapshot's backup.
func (d *Data) corruptBackupName() string {
	base := d.CatalogPath() + ".corrupt-" + d.Now().Format("20060102-150405")
	name := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(name); errors.Is(err, os.ErrNotExist) {
			return name
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}

// importHeadroom is how much the heap may grow during an import: the union
// of the two public samples needs about 100-120 MB live at its peak (the
// parsed catalogue while it is saved and the index build starts), the
// rest of the build 25-70 MB.
const importHeadroom = 140 << 20

// capMemory sets a soft memory limit of the heap in use now plus headroom
// until the returned func is called, so the collector runs before the heap
// reaches twice what is live (without it, an import of both samples
// peaked at 250-320 MB of RSS for ~105 MB live). It is soft: near the limit
// the collector works harder, but no allocation fails. A limit already
// set (GOMEMLIMIT) is left alone.
func capMemory(headroom int64) (restore func()) {
	if debug.SetMemoryLimit(-1) != math.MaxInt64 {
		return func() {}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	old := debug.SetMemoryLimit(int64(m.HeapAlloc) + headroom)
	return func() { debug.SetMemoryLimit(old) }
}
