package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/gofrs/flock"
	"golang.org/x/term"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
)

// writeJSON prints v as indented JSON: the --json output of every command.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// newTable returns an aligned-column writer for human output; call Flush.
func newTable(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
}

// isTerminal reports whether w is a terminal (for progress bars and colour).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// terminalWidth is w's width in columns when it is a terminal, else 0.
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width < 40 {
		return 80
	}
	return width
}

// indexPath is where the search index lives.
func (a *app) indexPath() string { return filepath.Join(a.dataDir, "index") }

// saveCatalog writes the catalogue snapshot and rebuilds the index from
// it, both at once (the snapshot's write and sync overlap the index's CPU
// work). Each is replaced atomically; should the index fail, or the process
// die half-way, the index is out of step with the snapshot, and OpenOrBuild
// notices and rebuilds it on the next open.
func (a *app) saveCatalog(c *catalog.Catalog) error {
	if _, err := catalog.BackupBeforeMigrate(a.catalogPath()); err != nil {
		return err
	}
	saved := make(chan error, 1)
	go func() { saved <- catalog.Save(a.catalogPath(), c) }()
	indexErr := index.Build(a.ctx, a.indexPath(), c)
	if err := <-saved; err != nil {
		return err
	}
	if indexErr != nil {
		return fmt.Errorf("catalogue saved, but the search index could not be rebuilt: %w", indexErr)
	}
	return nil
}

// openIndex opens the search index for c, building it when needed. The
// built-in samples are indexed in memory: nothing is written for them.
func (a *app) openIndex(c *catalog.Catalog) (*index.Index, error) {
	if c.Sample {
		return index.NewMemory(c)
	}
	return index.OpenOrBuild(a.ctx, a.indexPath(), c)
}

// lockDataDir takes the data folder's writer lock, so that two imports or
// refreshes never write the catalogue at once. Readers (search, the TUI)
// never take it.
func (a *app) lockDataDir(what string) (unlock func(), err error) {
	if err := os.MkdirAll(a.dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("data folder %s: %w", a.dataDir, err)
	}
	lock := flock.New(filepath.Join(a.dataDir, "writer.lock"))
	ok, err := lock.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", lock.Path(), err)
	}
	if !ok {
		return nil, &exitError{code: exitFailure, err: fmt.Errorf("%s: another connex import or refresh is already running on %s; try again when it ends", what, a.dataDir)}
	}
	return func() { lock.Unlock() }, nil
}
