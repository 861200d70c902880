package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	usecase "github.com/connex-dev/connex/internal/app"
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

// data is the data folder's use cases; problems that do not stop one are
// printed on stderr.
func (a *app) data() *usecase.Data {
	d := usecase.New(a.dataDir)
	d.Warn = func(err error) { fmt.Fprintf(a.stderr, "connex: %v\n", err) }
	return d
}

// indexPath is where the search index lives.
func (a *app) indexPath() string { return a.data().IndexPath() }

// saveCatalog writes the catalogue snapshot and rebuilds the index from it
// (usecase.Data.SaveCatalog).
func (a *app) saveCatalog(c *catalog.Catalog) error { return a.data().SaveCatalog(a.ctx, c) }

// openIndex opens the search index for c, building it when needed
// (usecase.Data.OpenIndex: one rebuild among parallel processes).
func (a *app) openIndex(c *catalog.Catalog) (*index.Index, error) {
	return a.data().OpenIndex(a.ctx, c)
}
