package app

import (
	"context"
	"errors"
	"fmt"
	"os"
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
	var onFile func(done, total int)
	if progress != nil {
		onFile = func(done, total int) { progress(ImportProgress{Done: done, Total: total}) }
	}
	res, err := defs.Import(ctx, sources, defs.ImportOptions{Progress: onFile})
	out.Result = res
	if err != nil {
		return out, fmt.Errorf("import: %w\n  (nothing was saved; the catalogue is as it was)", err)
	}
	if res.Catalog.Stats().Connectors == 0 {
		return out, fmt.Errorf("import %s: no connector could be read; nothing was saved", strings.Join(sources, " "))
	}
	if err := ctx.Err(); err != nil {
		return out, err
	}
	if out.CorruptBackup != "" {
		if err := os.Rename(d.CatalogPath(), out.CorruptBackup); err != nil {
			return out, fmt.Errorf("move the corrupt catalogue aside: %w\n  (nothing was saved)", err)
		}
	}
	merged := res.Catalog
	if current != nil {
		sum := current.Merge(res.Catalog)
		out.Merge = &sum
		merged = current
	}
	err = d.SaveCatalog(ctx, merged)
	if err == nil || errors.Is(err, ErrIndexStale) {
		out.Catalog = merged
	}
	return out, err
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
