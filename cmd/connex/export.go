package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/atomicfile"
)

func init() { register(newExportCmd) }

// exportRow is one connector or operation in an export; the field names
// (JSON keys and CSV headers) are stable.
type exportRow struct {
	Kind          string `json:"kind"`
	Connector     string `json:"connector"`
	ConnectorName string `json:"connector_name"`
	Operation     string `json:"operation"`
	Name          string `json:"name"`
	Method        string `json:"method"`
	Path          string `json:"path"`
	Tier          string `json:"tier"`
	Publisher     string `json:"publisher"`
	PublisherKind string `json:"publisher_kind"`
	Products      string `json:"products"`
	Preview       bool   `json:"preview"`
	Deprecated    bool   `json:"deprecated"`
	Visibility    string `json:"visibility"`
	Parameters    int    `json:"parameters"`
	Description   string `json:"description"`
}

var exportHeader = []string{"kind", "connector", "connector_name", "operation", "name", "method", "path",
	"tier", "publisher", "publisher_kind", "products", "preview", "deprecated", "visibility", "parameters", "description"}

func (r exportRow) csv() []string {
	return []string{r.Kind, r.Connector, r.ConnectorName, r.Operation, r.Name, r.Method, r.Path,
		r.Tier, r.Publisher, r.PublisherKind, r.Products, fmt.Sprint(r.Preview), fmt.Sprint(r.Deprecated),
		r.Visibility, fmt.Sprint(r.Parameters), r.Description}
}

func newExportCmd(a *app) *cobra.Command {
	var (
		f      filterFlags
		format string
		output string
		query  string
	)
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export connectors and operations as JSON or CSV",
		Long: `Export the catalogue, or the part of it that the search filters select, one
row per connector or operation. With -o the file is written atomically.`,
		Example: `  connex export --format csv -o connectors.csv --kind connector
  connex export --format json --kind trigger --tier premium > triggers.json
  connex export --query "send email" --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "json" && format != "csv" {
				return fmt.Errorf("--format %q: use json or csv", format)
			}
			q, err := f.query(query)
			if err != nil {
				return err
			}
			c, err := a.loadCatalog()
			if err != nil {
				return err
			}
			s := c.Stats()
			q.Limit = s.Connectors + s.Operations
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
			var buf bytes.Buffer
			if format == "json" {
				err = writeJSON(&buf, rows)
			} else {
				err = exportCSV(&buf, rows)
			}
			if err != nil {
				return err
			}
			if output == "" || output == "-" {
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
	cmd.Flags().StringVar(&format, "format", "json", "json or csv")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of standard output")
	cmd.Flags().StringVar(&query, "query", "", "only rows matching this search text")
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
	row := exportRow{Kind: kind, Connector: conn.ID, ConnectorName: conn.Name, Name: conn.Name,
		Tier: string(conn.Tier), Publisher: conn.Publisher, PublisherKind: string(conn.PublisherKind),
		Products: strings.Join(products, ";"), Preview: conn.Preview, Deprecated: conn.Deprecated,
		Description: conn.Description}
	if opID == "" {
		return row, true
	}
	op := conn.Operation(opID)
	if op == nil {
		return exportRow{}, false
	}
	row.Operation, row.Name, row.Method, row.Path = op.ID, op.Name, op.Method, op.Path
	row.Preview, row.Deprecated = conn.Preview || op.Preview, conn.Deprecated || op.Deprecated
	row.Visibility, row.Parameters, row.Description = string(op.Visibility), len(op.Parameters), op.Description
	return row, true
}

func exportCSV(w io.Writer, rows []exportRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(exportHeader); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r.csv()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
