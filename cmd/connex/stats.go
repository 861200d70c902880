package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/clio"
)

func init() { register(newStatsCmd) }

func newStatsCmd(a *app) *cobra.Command {
	var out *clio.JSONFlags
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count the connectors, operations and parameters in the catalogue",
		Long: `Count the connectors, operations and parameters in the catalogue, and the
connectors by tier, publisher kind, product, preview, deprecated and source.
On a terminal this is a table; piped, one KEY<TAB>COUNT line per count
(by_tier.premium	120); --json and --jq give the same counts as JSON.`,
		Example: `  connex stats
  connex stats --json | jq .operations
  connex stats --jq .by_tier.premium`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.Validate(); err != nil {
				return err
			}
			c, err := a.loadCatalog()
			if err != nil {
				return err
			}
			s := c.Stats()
			if out.Enabled() {
				return out.Write(a.stdout, s)
			}
			if err := printStats(a.io, s); err != nil {
				return err
			}
			if c.Sample {
				notes := a.stdout
				if !a.io.IsStdoutTTY() {
					notes = a.stderr
				}
				fmt.Fprintln(notes, "\n"+sampleNotice)
			}
			return nil
		},
	}
	out = clio.AddJSONFlags(cmd, clio.FieldsOf(catalog.Stats{}), "", "{connectors, operations, ...}")
	return cmd
}

// statRow is one count: its JSON path (by_tier.premium), its label and
// depth for the table, and the number ("" for a group heading).
type statRow struct {
	key, label string
	depth      int
	value      string
}

// statRows lists the counts of s in the order of its JSON, whatever
// groups catalog.Stats has: the table and TSV follow the JSON.
func statRows(s catalog.Stats) ([]statRow, error) {
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var rows []statRow
	var walk func(raw []byte, prefix string, depth int) error
	walk = func(raw []byte, prefix string, depth int) error {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return err
		}
		for _, key := range jsonKeys(raw) {
			v := obj[key]
			row := statRow{key: prefix + key, label: statLabel(key), depth: depth}
			if depth == 0 && (key == "actions" || key == "triggers") {
				row.depth = 1 // kinds of operations
			}
			rows = append(rows, row)
			if len(v) > 0 && v[0] == '{' {
				if err := walk(v, row.key+".", depth+1); err != nil {
					return err
				}
				continue
			}
			rows[len(rows)-1].value = string(v)
		}
		return nil
	}
	return rows, walk(raw, "", 0)
}

// jsonKeys lists an object's keys in their order.
func jsonKeys(raw []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	var keys []string
	dec.Token() // {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return keys
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys
		}
	}
	return keys
}

// statLabel turns a JSON key into a label: by_publisher_kind -> "By
// publisher kind", logic_apps -> "Logic apps".
func statLabel(key string) string {
	s := strings.ReplaceAll(key, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// printStats prints the counts: an indented table on a terminal,
// KEY<TAB>COUNT lines when piped.
func printStats(ios *clio.IOStreams, s catalog.Stats) error {
	rows, err := statRows(s)
	if err != nil {
		return err
	}
	if !ios.IsStdoutTTY() {
		var b strings.Builder
		for _, r := range rows {
			if r.value != "" {
				fmt.Fprintf(&b, "%s\t%s\n", r.key, r.value)
			}
		}
		_, err := fmt.Fprint(ios.Out, b.String())
		return err
	}
	t := &clio.Table{Columns: []clio.Column{{Keep: true}, {Keep: true}}, Headerless: true}
	for _, r := range rows {
		t.AddRow(strings.Repeat("  ", r.depth)+r.label, r.value)
	}
	return t.Render(ios.Out, ios.TerminalWidth())
}

// sampleNotice is shown wherever the built-in samples stand in for real data.
const sampleNotice = `This is the built-in SAMPLE catalogue (3 invented connectors).
Load the real one with 'connex import PATH' or 'connex refresh'.`
