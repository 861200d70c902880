package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/safeterm"
)

func init() { register(newChangesCmd) }

func newChangesCmd(a *app) *cobra.Command {
	var asJSON bool
	var since string
	cmd := &cobra.Command{
		Use:   "changes",
		Short: "Show what changed in the catalogue at each refresh or import",
		Long: `Every 'connex refresh', and every 'connex import' into an existing catalogue,
records what changed since the previous catalogue:
connectors added and removed, tier, preview, product and display name
changes, operations added, removed or newly deprecated, and parameter
changes. Without --since, the latest report is shown.`,
		Example: `  connex changes
  connex changes --since 2025-12-01
  connex changes --since 7d --json | jq '.reports[].added[].id'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var from time.Time
			if since != "" {
				t, err := changesParseSince(since, time.Now())
				if err != nil {
					return err
				}
				from = t
			}
			reports, loadErr := catalog.LoadReports(a.dataDir, from)
			if since == "" && len(reports) > 1 {
				reports = reports[len(reports)-1:]
			}
			if reports == nil {
				reports = []*catalog.ChangeReport{}
			}
			if asJSON {
				if err := writeJSON(a.stdout, struct {
					Reports []*catalog.ChangeReport `json:"reports"`
				}{reports}); err != nil {
					return err
				}
			} else {
				changesPrint(a.stdout, reports, since)
			}
			if loadErr != nil {
				return partial(fmt.Errorf("some change reports could not be read:\n%w", loadErr))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print JSON: {"reports": [{at, summary, added, removed, changed}, ...]}`)
	cmd.Flags().StringVar(&since, "since", "", "show every report made since DATE (2025-12-01, RFC 3339, or an age such as 7d or 36h)")
	return cmd
}

// changesParseSince reads a date, an RFC 3339 time, or an age ("7d",
// "36h") counted back from now.
func changesParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("--since %q: want a date (2025-12-01), an RFC 3339 time (2025-12-01T08:00:00Z) or an age (7d, 36h)", s)
}

func changesPrint(w io.Writer, reports []*catalog.ChangeReport, since string) {
	if len(reports) == 0 {
		if since != "" {
			fmt.Fprintf(w, "No changes recorded since %s.\n", safeterm.Line(since))
		} else {
			fmt.Fprintln(w, "No changes recorded yet: 'connex refresh' and 'connex import' record them.")
		}
		return
	}
	for i, r := range reports {
		if i > 0 {
			fmt.Fprintln(w)
		}
		changesPrintReport(w, r)
	}
}

// changesLine prints one line, made safe for the terminal and cut to the
// output width.
func changesLine(w io.Writer, format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	fmt.Fprintln(w, cutLine(line, textWidth))
}

func changesPrintReport(w io.Writer, r *catalog.ChangeReport) {
	s := r.Summary
	what := "Refresh"
	if r.Cause == catalog.CauseImport {
		what = "Import"
	}
	renamed := ""
	if s.Renamed > 0 {
		renamed = fmt.Sprintf(", %d renamed", s.Renamed)
	}
	changesLine(w, "%s of %s: %d added, %d removed%s, %d changed",
		what, r.At.UTC().Format("2006-01-02 15:04 UTC"), s.Added, s.Removed, renamed, s.Changed)
	if !r.OldUpdatedAt.IsZero() || !r.NewUpdatedAt.IsZero() {
		changesLine(w, "  catalogue of %s -> %s, %d -> %d connectors",
			changesDay(r.OldUpdatedAt), changesDay(r.NewUpdatedAt), r.OldConnectors, r.NewConnectors)
	}
	if r.Empty() {
		changesLine(w, "  nothing changed")
		return
	}
	if len(r.Added) > 0 {
		changesLine(w, "")
		changesLine(w, "Added (%d)", len(r.Added))
		for _, c := range r.Added {
			changesLine(w, "  + %-22s %s%s", c.ID, c.Name, changesFlags(c))
		}
	}
	if len(r.Removed) > 0 {
		changesLine(w, "")
		changesLine(w, "Removed (%d)", len(r.Removed))
		for _, c := range r.Removed {
			changesLine(w, "  - %-22s %s", c.ID, c.Name)
		}
	}
	if len(r.Renamed) > 0 {
		changesLine(w, "")
		changesLine(w, "Renamed (%d)", len(r.Renamed))
		for _, c := range r.Renamed {
			changesLine(w, "  ~ %-22s -> %s (%s; by %s)", c.OldID, c.NewID, c.NewName, c.Match)
		}
	}
	if len(r.Changed) > 0 {
		changesLine(w, "")
		changesLine(w, "Changed (%d)", len(r.Changed))
		for _, c := range r.Changed {
			changesLine(w, "  ~ %-22s %s", c.ID, c.Name)
			for _, f := range c.Fields {
				changesLine(w, "      %s: %s -> %s", f.Field, changesValue(f.Old), changesValue(f.New))
			}
			for _, op := range c.OperationsAdded {
				changesLine(w, "      + %s %s (%s)", op.Kind, op.ID, op.Name)
			}
			for _, op := range c.OperationsRemoved {
				changesLine(w, "      - %s %s (%s)", op.Kind, op.ID, op.Name)
			}
			for _, op := range c.OperationsDeprecated {
				changesLine(w, "      deprecated %s %s (%s)", op.Kind, op.ID, op.Name)
			}
			for _, p := range c.Parameters {
				switch p.Change {
				case catalog.ParamAdded:
					changesLine(w, "      %s: parameter %s added (%s)", p.Operation, p.Key, p.New)
				case catalog.ParamRemoved:
					changesLine(w, "      %s: parameter %s removed", p.Operation, p.Key)
				case catalog.ParamRequired:
					if p.New == "true" {
						changesLine(w, "      %s: parameter %s now required", p.Operation, p.Key)
					} else {
						changesLine(w, "      %s: parameter %s now optional", p.Operation, p.Key)
					}
				default:
					changesLine(w, "      %s: parameter %s %s: %s -> %s", p.Operation, p.Key, p.Change, p.Old, p.New)
				}
			}
		}
	}
}

func changesDay(t time.Time) string {
	if t.IsZero() {
		return "(none)"
	}
	return t.UTC().Format("2006-01-02")
}

func changesValue(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func changesFlags(c catalog.ConnectorRef) string {
	flags := flagWords(flag{c.Tier != catalog.TierUnknown, string(c.Tier)}, flag{c.Preview, "preview"})
	if len(flags) == 0 {
		return ""
	}
	return "  [" + strings.Join(flags, ", ") + "]"
}
