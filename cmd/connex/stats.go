package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { register(newStatsCmd) }

func newStatsCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count the connectors, operations and parameters in the catalogue",
		Example: `  connex stats
  connex stats --json | jq .operations`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.loadCatalog()
			if err != nil {
				return err
			}
			s := c.Stats()
			if asJSON {
				return writeJSON(a.stdout, s)
			}
			t := newTable(a.stdout)
			fmt.Fprintf(t, "Connectors\t%d\n", s.Connectors)
			fmt.Fprintf(t, "Operations\t%d\n", s.Operations)
			fmt.Fprintf(t, "  Actions\t%d\n", s.Actions)
			fmt.Fprintf(t, "  Triggers\t%d\n", s.Triggers)
			fmt.Fprintf(t, "Parameters\t%d\n", s.Parameters)
			if err := t.Flush(); err != nil {
				return err
			}
			if c.Sample {
				fmt.Fprintln(a.stdout, "\n"+sampleNotice)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON: {connectors, operations, actions, triggers, parameters}")
	return cmd
}

// sampleNotice is shown wherever the built-in samples stand in for real data.
const sampleNotice = `This is the built-in SAMPLE catalogue (3 invented connectors).
Load the real one with 'connex import PATH' or 'connex refresh'.`
