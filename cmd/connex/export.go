package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/atomicfile"
	"github.com/connex-dev/connex/internal/clio"
)

func init() { register(newExportCmd) }

// exportRow is one connector or operation in an export; the field names
// (JSON keys and CSV headers) are stable.
type exportRow struct {
	Kind          string   `json:"kind"`
	ID            string   `json:"id"` // CONNECTOR or CONNECTOR/OPERATION
	Connector     string   `json:"connector"`
	ConnectorName string   `json:"connector_name"`
	Operation     string   `json:"operation"`
	Name          string   `json:"name"`
	Method        string   `json:"method"`
	Path          string   `json:"path"`
	Tier          string   `json:"tier"`
	Publisher     string   `json:"publisher"`
	PublisherKind string   `json:"publisher_kind"`
	Products      []string `json:"products"`
	Preview       bool     `json:"preview"`
	Deprecated    bool     `json:"deprecated"`
	// ReplacedBy is the CONNECTOR/OPERATION id to use instead of a
	// deprecated operation, "" when none is named.
	ReplacedBy  string `json:"replaced_by"`
	Visibility  string `json:"visibility"`
	Parameters  int    `json:"parameters"`
	DocsURL     string `json:"docs_url"`
	Description string `json:"description"`
}

var exportHeader = clio.FieldsOf(exportRow{})

// csv is the row's cells in exportHeader's order; products are joined
// with ";".
func (r exportRow) csv() []string {
	return []string{r.Kind, r.ID, r.Connector, r.ConnectorName, r.Operation, r.Name, r.Method, r.Path,
		r.Tier, r.Publisher, r.PublisherKind, strings.Join(r.Products, ";"), fmt.Sprint(r.Preview), fmt.Sprint(r.Deprecated),
		r.ReplacedBy, r.Visibility, fmt.Sprint(r.Parameters), r.DocsURL, r.Description}
}

func newExportCmd(a *app) *cobra.Command {
	var (
		f      filterFlags
		format string
		output string
		query  string
		limit  int
		out    *clio.JSONFlags
	)
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export connectors and operations as JSON, CSV or a table",
		Long: `Export the catalogue, or the part of it that the search filters select, one
row per connector or operation. With -o the file is written atomically.

  --format json   an array of rows (products as an array); --json FIELDS keeps
                  those fields of each row, --jq filters the array
  --format csv    a header and one line per row (products joined with ";").
                  Cells a spreadsheet would run as a formula (starting with
                  = + - @, a tab or a carriage return, or blanks then one of
                  = + - @) get a single quote in front, as OWASP advises
                  against CSV injection; the text is otherwise exact
  --format table  a table on a terminal (ids are never cut), tab-separated
                  values (kind, id, name, tier, flags) when piped

On a terminal every format is shown with control characters made visible;
pipes and files get the exact text.`,
		Example: `  connex export --format csv -o connectors.csv --kind connector
  connex export --format json --kind trigger --tier premium > triggers.json
  connex export --json id,replaced_by --deprecated only --jq '.[] | select(.replaced_by != "")'
  connex export --query "send email" --format table --limit 10`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out.Enabled() {
				if cmd.Flags().Changed("format") && format != "json" {
					return fmt.Errorf("--json and --jq print JSON; drop --format %s", format)
				}
				format = "json"
			}
			switch format {
			case "json", "csv", "table":
			default:
				return fmt.Errorf("--format %q: use json, csv or table", format)
			}
			if limit < 0 {
				return fmt.Errorf("--limit %d: use 0 for all, or a positive number", limit)
			}
			if err := out.Validate(); err != nil {
				return err
			}
			q, err := f.query(query)
			if err != nil {
				return err
			}
			c, err := a.loadCatalog()
			if err != nil {
				return err
			}
			q.Limit = limit
			if limit == 0 {
				st := c.Stats()
				q.Limit = max(1, st.Connectors+st.Operations)
			}
			ix, err := a.openIndex(c)
			if err != nil {
				return err
			}
			defer ix.Close()
			res, err := ix.Search(a.ctx, q)
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			rows := make([]exportRow, 0, len(res.Hits))
			for _, h := range res.Hits {
				if row, ok := exportRowOf(c, h.ConnectorID, h.OperationID, h.Kind); ok {
					rows = append(rows, row)
				}
			}
			toFile := output != "" && output != "-"
			var buf bytes.Buffer
			switch format {
			case "json":
				err = out.Write(&buf, rows)
			case "csv":
				err = exportCSV(&buf, rows)
			case "table":
				t := exportTable(rows)
				if toFile || !a.io.IsStdoutTTY() {
					err = t.WriteTSV(&buf)
				} else {
					err = t.Render(&buf, a.io.TerminalWidth())
				}
			}
			if err != nil {
				return err
			}
			if !toFile {
				// On a terminal a.stdout sanitises: CSV or JSON from
				// connector text cannot act on it.
				_, err = a.stdout.Write(buf.Bytes())
				return err
			}
			if err := atomicfile.WriteFile(output, buf.Bytes(), 0o644); err != nil {
				return fmt.Errorf("export to %s: %w", output, err)
			}
			fmt.Fprintf(a.stderr, "Exported %d rows to %s\n", len(rows), output)
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&format, "format", "json", "json, csv or table")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of standard output")
	cmd.Flags().StringVar(&query, "query", "", "only rows matching this search text")
	cmd.Flags().IntVar(&limit, "limit", 0, limitHelp)
	out = clio.AddJSONFlags(cmd, exportHeader, "", "the array of rows")
	return cmd
}

func exportRowOf(c *catalog.Catalog, connID, opID, kind string) (exportRow, bool) {
	conn, ok := c.Connector(connID)
	if !ok {
		return exportRow{}, false
	}
	products := make([]string, 0, len(conn.Products))
	for _, p := range conn.Products {
		products = append(products, p.Name)
	}
	row := exportRow{Kind: kind, ID: conn.ID, Connector: conn.ID, ConnectorName: conn.Name, Name: conn.Name,
		Tier: string(conn.Tier), Publisher: conn.Publisher, PublisherKind: string(conn.PublisherKind),
		Products: products, Preview: conn.Preview, Deprecated: conn.Deprecated,
		DocsURL: conn.DocumentationURL(), Description: conn.Description}
	if opID == "" {
		return row, true
	}
	op := conn.Operation(opID)
	if op == nil {
		return exportRow{}, false
	}
	row.ID = conn.ID + "/" + op.ID
	row.Operation, row.Name, row.Method, row.Path = op.ID, op.Name, op.Method, op.Path
	row.Preview, row.Deprecated = conn.Preview || op.Preview, conn.Deprecated || op.Deprecated
	row.Visibility, row.Parameters, row.Description = string(op.Visibility), len(op.Parameters), op.Description
	if op.ReplacedBy != "" {
		target := conn.ID
		if op.ReplacedByConnector != "" {
			target = op.ReplacedByConnector
		}
		row.ReplacedBy = target + "/" + op.ReplacedBy
	}
	return row, true
}

// exportCSV writes rows as CSV with formulas neutralised (clio.WriteCSV).
func exportCSV(w *bytes.Buffer, rows []exportRow) error {
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = r.csv()
	}
	return clio.WriteCSV(w, exportHeader, cells)
}

// exportTable is --format table: KIND ID NAME TIER FLAGS.
func exportTable(rows []exportRow) *clio.Table {
	t := &clio.Table{Columns: []clio.Column{
		{Header: "KIND", Keep: true}, {Header: "ID", Keep: true}, {Header: "NAME"},
		{Header: "TIER", Keep: true}, {Header: "FLAGS", Keep: true},
	}}
	for _, r := range rows {
		flags := flagWords(
			flag{r.Visibility == string(catalog.VisibilityInternal), "internal"},
			flag{r.Preview, "preview"},
			flag{r.Deprecated, "deprecated"},
		)
		t.AddRow(r.Kind, r.ID, r.Name, r.Tier, strings.Join(flags, " "))
	}
	return t
}
