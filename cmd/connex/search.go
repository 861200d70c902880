package main

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	"github.com/connex-dev/connex/internal/safeterm"
)

func init() { register(newSearchCmd) }

// filterFlags are the search filters shared by search and export.
type filterFlags struct {
	kinds      []string
	tier       string
	products   []string
	publisher  string
	preview    bool
	noPreview  bool
	deprecated string
	internal   bool
	connector  string
}

func (f *filterFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringSliceVar(&f.kinds, "kind", nil, "only these kinds: connector, action, trigger (repeat or comma-separate)")
	fl.StringVar(&f.tier, "tier", "", "only this tier: standard or premium")
	fl.StringSliceVar(&f.products, "product", nil, `only connectors in this product: "Logic Apps", "Power Automate", "Power Apps", "Copilot Studio"`)
	fl.StringVar(&f.publisher, "publisher", "", "publisher name, or kind: microsoft, certified, independent, custom")
	fl.BoolVar(&f.preview, "preview", false, "only preview connectors and operations")
	fl.BoolVar(&f.noPreview, "no-preview", false, "leave out preview connectors and operations")
	fl.StringVar(&f.deprecated, "deprecated", "exclude", "deprecated items: include, exclude or only")
	fl.BoolVar(&f.internal, "internal", false, "include operations hidden from makers (x-ms-visibility: internal)")
	fl.StringVar(&f.connector, "connector", "", "only operations of this connector (id)")
	cmd.MarkFlagsMutuallyExclusive("preview", "no-preview")
}

func (f *filterFlags) query(text string) (index.Query, error) {
	q := index.Query{Text: text, Tier: strings.ToLower(f.tier), Products: f.products,
		Publisher: f.publisher, Internal: f.internal, Connector: f.connector}
	for _, k := range f.kinds {
		k = strings.ToLower(strings.TrimSpace(k))
		switch k {
		case index.KindConnector, index.KindAction, index.KindTrigger:
			q.Kinds = append(q.Kinds, k)
		default:
			return q, fmt.Errorf("--kind %q: use connector, action or trigger", k)
		}
	}
	switch q.Tier {
	case "", string(catalog.TierStandard), string(catalog.TierPremium):
	default:
		return q, fmt.Errorf("--tier %q: use standard or premium", f.tier)
	}
	for _, p := range f.products {
		if _, ok := catalog.ProductNamed(p); !ok {
			return q, fmt.Errorf("--product %q: use one of %s", p, strings.Join(catalog.Products, ", "))
		}
	}
	switch index.DeprecatedMode(f.deprecated) {
	case index.DeprecatedExclude, index.DeprecatedInclude, index.DeprecatedOnly:
		q.Deprecated = index.DeprecatedMode(f.deprecated)
	default:
		return q, fmt.Errorf("--deprecated %q: use include, exclude or only", f.deprecated)
	}
	if f.preview {
		t := true
		q.Preview = &t
	} else if f.noPreview {
		no := false
		q.Preview = &no
	}
	return q, nil
}

// searchHit is one row of `connex search --json`; the field names are stable.
type searchHit struct {
	Kind          string  `json:"kind"`
	Connector     string  `json:"connector"`
	ConnectorName string  `json:"connector_name"`
	Operation     string  `json:"operation"`
	Name          string  `json:"name"`
	Score         float64 `json:"score"`
}

type searchOutput struct {
	Query string      `json:"query"`
	Total uint64      `json:"total"`
	Hits  []searchHit `json:"hits"`
}

func newSearchCmd(a *app) *cobra.Command {
	var (
		f      filterFlags
		limit  int
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search connectors and operations",
		Long: `Search every connector and operation of the catalogue. Words match names,
operation ids (camelCase is split: "send email" finds SendEmailV2),
summaries and descriptions; the last word may be a prefix, and small typos
are forgiven. Deprecated items and internal operations are left out unless
asked for.`,
		Example: `  connex search "send email"
  connex search sendgird                       # typos are forgiven
  connex search "create record" --kind action --tier premium
  connex search blob --kind trigger --product "Logic Apps" --json
  connex search "" --publisher independent --deprecated only --limit 50`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			q, err := f.query(args[0])
			if err != nil {
				return err
			}
			if limit < 1 {
				return fmt.Errorf("--limit %d: must be at least 1", limit)
			}
			q.Limit = limit
			c, err := a.openSnapshot()
			if err != nil {
				return err
			}
			ix, err := a.openIndexFor(c)
			if err != nil {
				return err
			}
			defer ix.Close()
			res, err := ix.Search(a.ctx, q)
			if err != nil {
				return fmt.Errorf("search %q: %w", args[0], err)
			}
			out := searchOutput{Query: args[0], Total: res.Total, Hits: make([]searchHit, 0, len(res.Hits))}
			for _, h := range res.Hits {
				out.Hits = append(out.Hits, hitRow(c, h))
			}
			if asJSON {
				return writeJSON(a.stdout, out)
			}
			printHits(a, c, out, res.Hits)
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().IntVar(&limit, "limit", 20, "at most this many results")
	cmd.Flags().BoolVar(&asJSON, "json", false, `print JSON: {query, total, hits: [{kind, connector, connector_name, operation, name, score}]}`)
	return cmd
}

func hitRow(c *catalog.Snapshot, h index.Hit) searchHit {
	row := searchHit{Kind: h.Kind, Connector: h.ConnectorID, Operation: h.OperationID, Score: h.Score}
	if conn, ok, _ := c.ConnectorByID(h.ConnectorID); ok {
		row.ConnectorName = conn.Name
		row.Name = conn.Name
		if h.OperationID != "" {
			if op := conn.Operation(h.OperationID); op != nil {
				row.Name = op.Name
			}
		}
	}
	return row
}

// printHits prints an aligned table that fits 80 columns.
func printHits(a *app, c *catalog.Snapshot, out searchOutput, hits []index.Hit) {
	if len(out.Hits) == 0 {
		fmt.Fprintf(a.stdout, "No results for %q.\n", safeterm.Line(out.Query))
		if c.Sample() {
			fmt.Fprintln(a.stdout, "\n"+sampleNotice)
		}
		return
	}
	ids := make([]string, len(out.Hits))
	names := make([]string, len(out.Hits))
	flags := make([]string, len(out.Hits))
	idW, nameW, flagW := len("ID"), len("NAME"), len("FLAGS")
	for i, row := range out.Hits {
		ids[i] = row.Connector
		if row.Operation != "" {
			ids[i] += "/" + row.Operation
		}
		ids[i], names[i] = safeterm.Line(ids[i]), safeterm.Line(row.Name)
		flags[i] = strings.Join(hitFlags(c, row), " ")
		idW, nameW, flagW = max(idW, ansi.StringWidth(ids[i])), max(nameW, ansi.StringWidth(names[i])), max(flagW, len(flags[i]))
	}
	idW, nameW = fitColumns(idW, nameW, flagW, terminalWidth(a.stdout))
	t := newTable(a.stdout)
	fmt.Fprintln(t, "KIND\tID\tNAME\tFLAGS")
	for i, row := range out.Hits {
		fmt.Fprintf(t, "%s\t%s\t%s\t%s\n", row.Kind, ansi.Truncate(ids[i], idW, "…"), ansi.Truncate(names[i], nameW, "…"), flags[i])
	}
	t.Flush()
	fmt.Fprintf(a.stdout, "\n%d of %d results", len(out.Hits), out.Total)
	if uint64(len(out.Hits)) < out.Total {
		fmt.Fprint(a.stdout, " (use --limit for more)")
	}
	fmt.Fprintln(a.stdout)
	if c.Sample() {
		fmt.Fprintln(a.stdout, "\n"+sampleNotice)
	}
}

// fitColumns shares a terminal's width between the id and name columns of
// the results table: ids keep the larger share (they are what 'connex
// show' takes), names at least two fifths unless they need less. Width 0
// (not a terminal) cuts nothing.
func fitColumns(idW, nameW, flagW, width int) (int, int) {
	if width <= 0 {
		return idW, nameW
	}
	room := width - len("connector") - flagW - 6
	if idW+nameW > room {
		nameW = min(nameW, max(room-idW, room*2/5))
		idW = room - nameW
	}
	return idW, nameW
}

func hitFlags(c *catalog.Snapshot, row searchHit) []string {
	conn, ok, _ := c.ConnectorByID(row.Connector)
	if !ok {
		return nil
	}
	var flags []string
	if conn.Tier == catalog.TierPremium {
		flags = append(flags, "premium")
	}
	preview, deprecated := conn.Preview, conn.Deprecated
	if row.Operation != "" {
		if op := conn.Operation(row.Operation); op != nil {
			preview, deprecated = preview || op.Preview, deprecated || op.Deprecated
			if op.Visibility == catalog.VisibilityInternal {
				flags = append(flags, "internal")
			}
		}
	}
	if preview {
		flags = append(flags, "preview")
	}
	if deprecated {
		flags = append(flags, "deprecated")
	}
	return flags
}
