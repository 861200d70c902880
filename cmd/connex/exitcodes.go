package main

import (
	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/internal/clio"
)

func init() { register(newExitCodesTopic) }

// newExitCodesTopic is `connex help exit-codes`: the one table of exit
// codes every command keeps to.
func newExitCodesTopic(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "exit-codes",
		Short: "The exit codes of every connex command",
		Long: "Every connex command exits with one of these codes:\n\n" + clio.ExitCodes + `

A search or export that matches nothing exits 0 with no rows.`,
	}
}
