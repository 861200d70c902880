package main

import (
	"errors"
	"fmt"

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
	Catalog    catalog.Stats      `json:"catalog"`
}

func newImportCmd(a *app) *cobra.Command {
	var asJSON bool
	var fromEnv string
	cmd := &cobra.Command{
		Use:   "import SOURCE...",
		Short: "Import connector definitions (a PowerPlatformConnectors tree, tarball or URL)",
		Long: `Import connector definitions (apiDefinition.swagger.json, apiProperties.json
and the readme of each connector folder) into the local catalogue.

SOURCE is a directory laid out like the public microsoft/PowerPlatformConnectors
repository (or one connector folder inside it), a .tar.gz of such a tree, or
an http(s) URL to such a tarball. Importing the same source again changes
nothing; importing another source merges it in.

Files that cannot be read are reported with path, line and column, and the
rest of the import goes on. Exit code: 0 all imported, 2 some files failed
(catalogue saved), 1 nothing saved (the previous catalogue is untouched).`,
		Example: `  connex import ../shared/data/powerplatformconnectors.tar.gz
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
				printImport(a, asJSON, res, res.Catalog.Stats(), out.Catalog.Stats())
				return partial(err)
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
			printImport(a, asJSON, res, res.Catalog.Stats(), out.Catalog.Stats())
			if len(res.Failed) > 0 {
				return silentExit(exitPartial)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print JSON: {connectors, operations, failed: [{path, error, line, column}], warnings, catalog}`)
	cmd.Flags().StringVar(&fromEnv, "environment", "", "also import every connector this Power Platform environment can use, custom ones included (needs connex login; \"current\": the one chosen with connex env use)")
	return cmd
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
