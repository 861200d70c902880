package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/catalog"
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
	Catalog    catalog.Stats      `json:"catalog"`
}

func newImportCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import SOURCE...",
		Short: "Import connector definitions (a PowerPlatformConnectors tree, tarball or URL)",
		Long: `Import connector definitions (apiDefinition.swagger.json, apiProperties.json
and the readme of each connector folder) into the local catalogue.

SOURCE is a directory laid out like the public microsoft/PowerPlatformConnectors
repository (or one connector folder inside it), a .tar.gz of such a tree, or
an http(s) URL to such a tarball. It may also hold what the Power Platform
API returns (apis/shared_<id>/api.json and swagger.json, or one reply file
with properties.swagger inline). Importing the same source again changes
nothing; importing another source merges it in.

Files that cannot be read are reported with path, line and column, and the
rest of the import goes on. Exit code: 0 all imported, 2 some files failed
(catalogue saved), 1 nothing saved (the previous catalogue is untouched).`,
		Example: `  connex import ../shared/data/powerplatformconnectors.tar.gz
  connex import ../shared/data/powerplatform-apis.tar.gz
  connex import ~/src/PowerPlatformConnectors
  connex import ~/src/PowerPlatformConnectors/certified-connectors/SendGrid
  connex import https://example.com/connectors.tar.gz --json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var progress func(done, total int)
			var bar *progressbar.ProgressBar
			if !asJSON && isTerminal(a.stderr) {
				bar = progressbar.NewOptions(-1, progressbar.OptionSetWriter(a.stderr),
					progressbar.OptionSetDescription("Importing"), progressbar.OptionShowCount(),
					progressbar.OptionClearOnFinish(), progressbar.OptionSetWidth(30))
				progress = func(done, total int) {
					bar.ChangeMax(total)
					bar.Set(done)
				}
			}
			res, merged, err := a.importSources(a.ctx, args, progress)
			if bar != nil {
				bar.Finish()
			}
			if err != nil {
				// Say which files failed and where, even when none worked.
				if res != nil && asJSON {
					printImport(a, true, res, res.Catalog.Stats(), catalog.Stats{})
				} else if res != nil {
					printFailures(a, res.Failed)
				}
				return err
			}
			printImport(a, asJSON, res, res.Catalog.Stats(), merged.Stats())
			if len(res.Failed) > 0 {
				return silentExit(exitPartial)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print JSON: {connectors, operations, failed: [{path, error, line, column}], warnings, catalog}`)
	return cmd
}

// importSources reads the sources and merges them into the saved
// catalogue (the samples are dropped). Nothing is written unless at least
// one connector was read; a corrupt or newer saved catalogue stops it before
// anything is read. The result is returned with the error, when there is
// one, so callers can show which files failed.
func (a *app) importSources(ctx context.Context, sources []string, progress func(done, total int)) (*defs.ImportResult, *catalog.Catalog, error) {
	unlock, err := a.lockDataDir("import")
	if err != nil {
		return nil, nil, err
	}
	defer unlock()
	current, err := catalog.Load(a.catalogPath())
	if errors.Is(err, catalog.ErrNoCatalog) {
		current, err = nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w\n  (nothing was imported; move the file away to start afresh)", err)
	}
	res, err := defs.Import(ctx, sources, defs.ImportOptions{Progress: progress})
	if err != nil {
		return res, nil, fmt.Errorf("import: %w\n  (nothing was saved; the catalogue is as it was)", err)
	}
	if res.Catalog.Stats().Connectors == 0 {
		return res, nil, fmt.Errorf("import %s: no connector could be read; nothing was saved", strings.Join(sources, " "))
	}
	if err := ctx.Err(); err != nil {
		return res, nil, err
	}
	merged := res.Catalog
	if current != nil {
		current.Merge(res.Catalog)
		merged = current
	}
	if err := a.saveCatalog(merged); err != nil {
		return res, nil, err
	}
	return res, merged, nil
}

func printImport(a *app, asJSON bool, res *defs.ImportResult, imported, total catalog.Stats) {
	if asJSON {
		out := importOutput{Connectors: imported.Connectors, Operations: imported.Operations,
			Failed: res.Failed, Warnings: res.Warnings, Catalog: total}
		if out.Failed == nil {
			out.Failed = []defs.ImportError{}
		}
		if out.Warnings == nil {
			out.Warnings = []defs.ImportError{}
		}
		writeJSON(a.stdout, out)
		return
	}
	fmt.Fprintf(a.stdout, "Imported %d connectors, %d operations (%d actions, %d triggers) from %d definition files.\n",
		imported.Connectors, imported.Operations, imported.Actions, imported.Triggers, res.Files)
	if total.Connectors > 0 {
		fmt.Fprintf(a.stdout, "The catalogue now has %d connectors and %d operations.\n", total.Connectors, total.Operations)
	}
	if len(res.Warnings) > 0 {
		fmt.Fprintf(a.stdout, "%d warnings (repaired files, renamed ids, missing $ref targets): see --json.\n", len(res.Warnings))
	}
	if len(res.Failed) > 0 {
		printFailures(a, res.Failed)
		fmt.Fprintln(a.stderr, "Fix these files and import again; the rest was saved.")
	}
}

// printFailures lists unreadable files as path:line:column and the reason.
func printFailures(a *app, failed []defs.ImportError) {
	if len(failed) == 0 {
		return
	}
	fmt.Fprintf(a.stderr, "\n%d files could not be read:\n", len(failed))
	for _, f := range failed {
		loc := f.Path
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d:%d", f.Path, f.Line, f.Column)
		}
		fmt.Fprintf(a.stderr, "  %s\n", safeterm.Line(loc))
		para(a.stderr, "      ", f.Error)
	}
}
