package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/internal/safeterm"
)

func init() { register(newHistoryCmd) }

func newHistoryCmd(a *app) *cobra.Command {
	var (
		asJSON bool
		limit  int
	)
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List past test calls (secrets redacted); replay one",
		Example: `  connex history
  connex history --json --limit 0
  connex history replay 3 --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			all, err := call.OpenHistory(a.dataDir).List()
			if err != nil {
				return err
			}
			if limit > 0 && len(all) > limit {
				all = all[len(all)-limit:]
			}
			if asJSON {
				if all == nil {
					all = []call.Entry{}
				}
				return writeJSON(a.stdout, all)
			}
			if len(all) == 0 {
				fmt.Fprintln(a.stdout, "No calls yet (connex call CONNECTOR/OPERATION).")
				return nil
			}
			tw := newTable(a.stdout)
			fmt.Fprintln(tw, "#\tWHEN\tSTATUS\tMETHOD\tOPERATION\tTIME")
			for _, e := range all {
				status := strconv.Itoa(e.Status)
				if e.Error != "" && e.Status == 0 {
					status = "error"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", e.N, e.Time.Local().Format("01-02 15:04"), status, e.Method,
					historyCut(safeterm.Line(e.Connector+"/"+e.Operation), 34), historyMS(e.DurationMS))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the entries as JSON")
	cmd.Flags().IntVar(&limit, "limit", 20, "show the last N calls (0: all)")
	cmd.AddCommand(newHistoryReplayCmd(a))
	return cmd
}

func historyCut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func historyMS(ms float64) string {
	if ms == 0 {
		return "-"
	}
	if ms < 1000 {
		return fmt.Sprintf("%.0f ms", ms)
	}
	return fmt.Sprintf("%.2f s", ms/1000)
}

func newHistoryReplayCmd(a *app) *cobra.Command {
	var f callFlags
	cmd := &cobra.Command{
		Use:   "replay N",
		Short: "Send call N of the history again, with the profile's current secret",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := strconv.Atoi(strings.TrimPrefix(args[0], "#"))
			if err != nil || n < 1 {
				return fmt.Errorf("replay %q: want a call number from 'connex history'", args[0])
			}
			e, err := call.OpenHistory(a.dataDir).Get(n)
			if err != nil {
				return err
			}
			if e.BodyOmitted {
				return fmt.Errorf("call %d had a body too large for the history; send it again with 'connex call %s --body @FILE'", n, shellArg(e.Connector+"/"+e.Operation))
			}
			if f.auth == "" && e.Auth != "" {
				f.auth = e.Auth
			}
			spec := callSpec{connector: e.Connector, operation: e.Operation, params: e.Params, mock: e.Mock && f.baseURL == "", baseURL: e.BaseURL}
			if e.Body != "" {
				spec.body = []byte(e.Body)
			}
			return callRun(a, &f, spec)
		},
	}
	f.register(cmd, false)
	return cmd
}
