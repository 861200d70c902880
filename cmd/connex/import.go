package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/catalog"
	usecase "github.com/connex-dev/connex/internal/app"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/scraper/defs"
)

func init() { register(newImportCmd) }

// importOutput is `connex import --json`; the field names are stable.
type importOutput struct {
	Connectors int                `json:"connectors"`
	Operations int                `json:"operations"`
	Failed     []defs.ImportError `json:"failed"`
	Warnings   []defs.ImportError `json:"warnings"`
	// Lists are the sources that were the site's connector list, with
	// the connectors each gave.
	Lists   []defs.ListRead `json:"lists"`
	Catalog catalog.Stats   `json:"catalog"`
	// Merge: what merging into the saved catalogue did (renames, host or
	// scheme changes); absent on a first import.
	Merge *catalog.MergeSummary `json:"merge,omitempty"`
	// Changes: what the import changed in the saved catalogue, and the
	// change report's file ('connex changes'); absent on a first import.
	Changes      *catalog.ChangeSummary `json:"changes,omitempty"`
	ChangeReport string                 `json:"change_report,omitempty"`
}

func newImportCmd(a *app) *cobra.Command {
	var asJSON, strict bool
	var fromEnv string
	cmd := &cobra.Command{
		Use:   "import SOURCE...",
		Short: "Import connector definitions, API replies or the connector list",
		Long: `Import connector definitions (apiDefinition.swagger.json, apiProperties.json
and the readme of each connector folder) into the local catalogue.

SOURCE is a directory laid out like the public microsoft/PowerPlatformConnectors
repository (or one connector folder inside it), a .tar.gz of such a tree, or
an http(s) URL to such a tarball; the Power Platform API's replies
(apis/shared_<id>/{api.json,swagger.json}, or one reply file); or the
reference site's connector list as data ({"data": [{"Name": ..., "DisplayName":
..., "Premium": ..., "Power Automate": ...}]}: a file, recognised by its shape,
or an http(s) URL to a .json document), which gives every listed connector
with its products, tier and preview flag.
Importing the same source again changes nothing; importing another source
merges it in. A list imported later replaces the one before: connectors
known only from that one, and not on the new list, are removed. An import
into an existing catalogue records what it changed (connex changes).

Files that cannot be read are reported with path, line and column, and the
rest of the import goes on. A saved catalogue that is corrupt is moved to
catalog.snap.corrupt-YYYYMMDD-HHMMSS and the import starts afresh.

Exit code: 0 all imported, or at least 99% of the files with the others
counted as warnings (--strict: any failed file gives 2); 2 some files failed,
or the import was interrupted while the search index was built (catalogue
saved either way); 1 nothing saved (the previous catalogue is untouched).`,
		Example: `  connex import ../shared/data/powerplatformconnectors.tar.gz
  connex import powerplatform-apis.tar.gz connector-reference-list.json
  connex import ~/src/PowerPlatformConnectors
  connex import ~/src/PowerPlatformConnectors/certified-connectors/SendGrid
  connex import https://example.com/connectors.tar.gz --json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && fromEnv == "" {
				return errors.New("name a SOURCE to import (or --environment ENV)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if fromEnv != "" {
				dir, done, err := fetchEnvironment(a, fromEnv, asJSON)
				if err != nil {
					return err
				}
				defer done()
				args = append(args, dir)
			}
			var progress func(usecase.ImportProgress)
			var bar *progressbar.ProgressBar
			if !asJSON && isTerminal(a.stderr) {
				bar = progressbar.NewOptions(-1, progressbar.OptionSetWriter(a.stderr),
					progressbar.OptionSetDescription("Importing"), progressbar.OptionShowCount(),
					progressbar.OptionClearOnFinish(), progressbar.OptionSetWidth(30))
				progress = func(p usecase.ImportProgress) {
					bar.ChangeMax(p.Total)
					bar.Set(p.Done)
				}
			}
			out, err := a.data().Import(a.ctx, args, progress)
			if bar != nil {
				bar.Finish()
			}
			var res *defs.ImportResult
			if out != nil {
				res = out.Result
				if out.CorruptBackup != "" && out.Catalog != nil {
					fmt.Fprintf(a.stderr, "connex: the saved catalogue was corrupt: moved to %s\n", out.CorruptBackup)
				}
			}
			if errors.Is(err, usecase.ErrIndexStale) {
				printImport(a, asJSON, strict, res, out)
				return partial(err)
			}
			if err != nil {
				// Say which files failed and where, even when none worked.
				if res != nil && asJSON {
					printImport(a, true, strict, res, nil)
				} else if res != nil {
					printFailures(a, res.Failed)
				}
				return err
			}
			printImport(a, asJSON, strict, res, out)
			if len(res.Failed) > 0 && (strict || !importTolerated(res)) {
				return silentExit(exitPartial)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&strict, "strict", false, "exit 2 when any file fails (default: only when more than 1% of the files fail)")
	cmd.Flags().BoolVar(&asJSON, "json", false, `print JSON: {connectors, operations, failed: [{path, error, line, column}], warnings, catalog}`)
	cmd.Flags().StringVar(&fromEnv, "environment", "", "also import every connector this Power Platform environment can use, custom ones included (needs connex login; \"current\": the one chosen with connex env use)")
	return cmd
}

// importTolerated reports whether the failed files are few enough (at
// most 1%) to count as warnings: the official repository always holds a
// few broken definitions, which a consultant cannot fix.
func importTolerated(res *defs.ImportResult) bool {
	return res.Files > 0 && len(res.Failed)*100 <= res.Files
}

// printImport prints what res read and, from outcome (nil when nothing
// was saved), the saved catalogue's totals, the merge and the changes.
func printImport(a *app, asJSON, strict bool, res *defs.ImportResult, outcome *usecase.ImportOutcome) {
	imported := res.Catalog.Stats()
	var total catalog.Stats
	var merge *catalog.MergeSummary
	var changes *catalog.ChangeSummary
	var report string
	if outcome != nil {
		total = outcome.Catalog.Stats()
		merge, changes, report = outcome.Merge, outcome.Changes, outcome.ChangeReport
	}
	if asJSON {
		out := importOutput{Connectors: imported.Connectors, Operations: imported.Operations,
			Failed: res.Failed, Warnings: res.Warnings, Lists: res.Lists, Catalog: total, Merge: merge,
			Changes: changes, ChangeReport: report}
		if out.Failed == nil {
			out.Failed = []defs.ImportError{}
		}
		if out.Warnings == nil {
			out.Warnings = []defs.ImportError{}
		}
		if out.Lists == nil {
			out.Lists = []defs.ListRead{}
		}
		writeJSON(a.stdout, out)
		return
	}
	fmt.Fprintf(a.stdout, "Imported %d connectors, %d operations (%d actions, %d triggers) from %s.\n",
		imported.Connectors, imported.Operations, imported.Actions, imported.Triggers, importedFrom(res))
	if total.Connectors > 0 {
		fmt.Fprintf(a.stdout, "The catalogue now has %d connectors and %d operations.\n", total.Connectors, total.Operations)
	}
	if len(res.Warnings) > 0 {
		fmt.Fprintf(a.stdout, "%d warnings (repaired files, renamed ids, missing $ref targets): see --json.\n", len(res.Warnings))
	}
	printMerge(a, merge)
	if changes != nil && report != "" {
		fmt.Fprintf(a.stdout, "Changes: %d added, %d removed, %d renamed, %d changed (see connex changes).\n",
			changes.Added, changes.Removed, changes.Renamed, changes.Changed)
	}
	switch {
	case len(res.Failed) == 0:
	case !strict && importTolerated(res):
		fmt.Fprintf(a.stderr, "warning: %d of %d definition files could not be read (1%% or less; they are listed with --strict or --json); the rest was saved.\n",
			len(res.Failed), res.Files)
	default:
		printFailures(a, res.Failed)
		fmt.Fprintln(a.stderr, "Fix these files and import again; the rest was saved.")
	}
}

// importedFrom says what an import read: definition files, connector
// lists.
func importedFrom(res *defs.ImportResult) string {
	var parts []string
	if res.Files > 0 || len(res.Lists) == 0 {
		parts = append(parts, fmt.Sprintf("%d definition files", res.Files))
	}
	for _, l := range res.Lists {
		parts = append(parts, fmt.Sprintf("the connector list %s (%d entries)", safeterm.Line(l.Path), l.Entries))
	}
	return strings.Join(parts, " and ")
}

// printFailures lists unreadable files as path:line:column and the reason.
func printFailures(a *app, failed []defs.ImportError) {
	if len(failed) == 0 {
		return
	}
	fmt.Fprintf(a.stderr, "\n%s:\n", plural(len(failed), "file could not be read", "files could not be read"))
	for _, f := range failed {
		loc := f.Path
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d:%d", f.Path, f.Line, f.Column)
		}
		fmt.Fprintf(a.stderr, "  %s\n", safeterm.Line(loc))
		para(a.stderr, "      ", f.Error)
	}
}

// printMerge says which connectors the import renamed, and above all
// which it moved to another host or scheme: a source can claim a
// connector's name, and saved credentials stay bound to the old host.
func printMerge(a *app, m *catalog.MergeSummary) {
	if m == nil {
		return
	}
	if n := len(m.Renamed); n > 0 {
		fmt.Fprintf(a.stdout, "%d connectors took the reference site's id (the old id still finds them):\n", n)
		printCapped(a.stdout, n, 5, "  ... and %d more (see --json)\n", func(i int) {
			fmt.Fprintf(a.stdout, "  %s -> %s\n", safeterm.Line(m.Renamed[i].From), safeterm.Line(m.Renamed[i].To))
		})
	}
	if n := len(m.Unlisted); n > 0 {
		fmt.Fprintf(a.stdout, "%d connectors known only from an older connector list are not on this one: removed.\n", n)
		printCapped(a.stdout, n, 5, "  ... and %d more (see --json)\n", func(i int) {
			fmt.Fprintf(a.stdout, "  %s\n", safeterm.Line(m.Unlisted[i]))
		})
	}
	if n := len(m.EndpointChanges); n > 0 {
		fmt.Fprintf(a.stderr, "note: this import changed where %d connectors send calls; saved auth profiles stay bound to the old host (a call there needs --rebind):\n", n)
		printCapped(a.stderr, n, 10, "  ... and %d more (see --json)\n", func(i int) {
			fmt.Fprintln(a.stderr, "  "+safeterm.Line(m.EndpointChanges[i].String()))
		})
	}
}
