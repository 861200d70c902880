package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/charmbracelet/x/ansi"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	usecase "github.com/connex-dev/connex/internal/app"
	"github.com/connex-dev/connex/internal/clio"
	"github.com/connex-dev/connex/internal/safeterm"
)

// writeJSON prints v as indented JSON: the --json output of every
// command, with controls and bidi overrides escaped (clio.WriteJSON).
func writeJSON(w io.Writer, v any) error { return clio.WriteJSON(w, v) }

// newTable returns an aligned-column writer for human output; call Flush.
func newTable(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
}

// textWidth is the width of the human output of audit, changes, mock and
// refresh: it fits an 80-column terminal. (show keeps two columns spare.)
const textWidth = 80

// cutLine makes untrusted text one terminal-safe line of at most n
// columns, cut with "…" (n <= 0: not cut).
func cutLine(s string, n int) string {
	s = safeterm.Line(s)
	if n > 0 {
		s = ansi.Truncate(s, n, "…")
	}
	return s
}

// printCapped prints the first max of n list lines (line(i) prints one)
// and, when there are more, one line saying how many were left out
// (moreFormat takes the count): a long list in human output stays short,
// --json has it all.
func printCapped(w io.Writer, n, max int, moreFormat string, line func(i int)) {
	for i := range min(n, max) {
		line(i)
	}
	if n > max {
		fmt.Fprintf(w, moreFormat, n-max)
	}
}

// flag is one word of a flags column, shown when on.
type flag struct {
	on   bool
	word string
}

// flagWords are the words of the flags that are on, in the order given.
func flagWords(flags ...flag) []string {
	var out []string
	for _, f := range flags {
		if f.on {
			out = append(out, f.word)
		}
	}
	return out
}

// isTerminal reports whether w is a terminal (for progress bars and
// colour); clio decides, for a.stdout and for files alike.
func isTerminal(w io.Writer) bool { return clio.IsTerminal(w) }

// terminalWidth is w's width in columns when it is a terminal, else 0.
func terminalWidth(w io.Writer) int { return clio.Width(w) }

// exitCode prints err, made safe for a terminal, and maps it to the exit
// code table (clio.ExitCodes): exitError carries its own code,
// clio.ErrNotFound exits 3, any other error 1.
func exitCode(ios *clio.IOStreams, err error) int {
	if err == nil {
		return clio.ExitOK
	}
	code := clio.ExitError
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
		err = ee.err
	} else if errors.Is(err, clio.ErrNotFound) {
		code = clio.ExitNotFound
	}
	if err != nil {
		fmt.Fprintln(ios.ErrOut, "connex:", safeterm.Text(err.Error()))
	}
	return code
}

// data is the data folder's use cases; problems that do not stop one are
// printed on stderr.
func (a *app) data() *usecase.Data {
	d := usecase.New(a.dataDir)
	d.Warn = func(err error) { fmt.Fprintf(a.stderr, "connex: %v\n", err) }
	if a.io != nil && a.io.IsStderrTTY() {
		// On a terminal, a wait of seconds is announced; scripts'
		// standard error stays quiet.
		d.Notice = func(msg string) { fmt.Fprintf(a.stderr, "connex: %s\n", msg) }
	}
	if a.setupData != nil {
		a.setupData(d)
	}
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

// shellArg quotes s so that a suggested command works when pasted in a
// POSIX shell, PowerShell or cmd.exe: plain words stay as they are, others
// go in double quotes (in single quotes when s holds a character that
// double quotes would expand).
func shellArg(s string) string {
	s = safeterm.Line(s)
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@=,+", r))
	}) < 0 {
		return s
	}
	if !strings.ContainsAny(s, "\"$`\\!%") {
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
