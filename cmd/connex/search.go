package main

import (
	"fmt"
	"github.com/charmbracelet/x/ansi"
	"strings"

	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	"github.com/connex-dev/connex/internal/clio"
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

// searchHit is one row of `connex search --json`; the field names are
// stable (scripts read them; --json FIELDS picks among them).
type searchHit struct {
	Kind          string  `json:"kind"`
	ID            string  `json:"id"` // CONNECTOR or CONNECTOR/OPERATION, what `connex show` takes
	Connector     string  `json:"connector"`
	ConnectorName string  `json:"connector_name"`
	Operation     string  `json:"operation"`
	Name          string  `json:"name"`
	Tier          string  `json:"tier"`
	PublisherKind string  `json:"publisher_kind"`
	Preview       bool    `json:"preview"`
	Deprecated    bool    `json:"deprecated"`
	Internal      bool    `json:"internal"`
	DocsURL       string  `json:"docs_url"`
	Score         float64 `json:"score"`
}

type searchOutput struct {
	Query string      `json:"query"`
	Total uint64      `json:"total"`
	Hits  []searchHit `json:"hits"`
	// Partial: too few hits matched every word, so these match most of
	// them (ranked by how many).
	Partial bool `json:"partial,omitempty"`
	// Suggestions are whole queries to try instead ("did you mean").
	Suggestions []string `json:"suggestions,omitempty"`
}

// limitHelp is the --limit help of every listing command.
const limitHelp = "at most this many results (0: all)"

// allRows is a search limit that keeps every connector and operation of c:
// what --limit 0 means.
func allRows(c *catalog.Snapshot) int {
	n := 0
	for i := 0; i < c.Len(); i++ {
		sum := c.Summary(i)
		n += 1 + sum.Actions + sum.Triggers
	}
	return max(1, n)
}

func newSearchCmd(a *app) *cobra.Command {
	var (
		f     filterFlags
		limit int
		out   *clio.JSONFlags
	)
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search connectors and operations",
		Long: `Search every connector and operation of the catalogue. Words match names,
operation ids (camelCase is split: "send email" finds SendEmailV2),
summaries and descriptions; the last word may be a prefix, and small typos
are forgiven. Deprecated items and internal operations are left out unless
asked for.

On a terminal the results are a table (ids are never cut; names are);
piped, they are tab-separated lines (kind, id, name, flags) without a
header. --json prints every field, --json id,name,tier only those of each
hit, --jq filters the JSON. No hits is not an error (exit 0).`,
		Example: `  connex search "send email"
  connex search sendgird                       # typos are forgiven
  connex search "create record" --kind action --tier premium
  connex search blob --kind trigger --product "Logic Apps" --json
  connex search email --json id,name,tier --jq '.hits[] | select(.tier == "premium") | .id'
  connex search "" --publisher independent --deprecated only --limit 0`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			q, err := f.query(args[0])
			if err != nil {
				return err
			}
			if limit < 0 {
				return fmt.Errorf("--limit %d: use 0 for all, or a positive number", limit)
			}
			if err := out.Validate(); err != nil {
				return err
			}
			c, err := a.openSnapshot()
			if err != nil {
				return err
			}
			q.Limit = limit
			if limit == 0 {
				q.Limit = allRows(c)
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
			result := searchOutput{Query: args[0], Total: res.Total, Hits: make([]searchHit, 0, len(res.Hits)),
				Partial: res.Partial, Suggestions: res.Suggestions}
			for _, h := range res.Hits {
				result.Hits = append(result.Hits, hitRow(c, h))
			}
			if out.Enabled() {
				return out.Write(a.stdout, result)
			}
			return printHits(a, c, result)
		},
	}
	f.register(cmd)
	cmd.Flags().IntVar(&limit, "limit", 20, limitHelp)
	out = clio.AddJSONFlags(cmd, clio.FieldsOf(searchHit{}), "hits", "{query, total, hits: [...]}")
	return cmd
}

func hitRow(c *catalog.Snapshot, h index.Hit) searchHit {
	row := searchHit{Kind: h.Kind, ID: h.ConnectorID, Connector: h.ConnectorID, Operation: h.OperationID, Score: h.Score}
	if h.OperationID != "" {
		row.ID += "/" + h.OperationID
	}
	// The connector's summary and what the hit carries are all a row
	// needs: no connector is decoded.
	i, ok := c.Lookup(h.ConnectorID)
	if !ok {
		return row
	}
	conn := c.Summary(i)
	row.ConnectorName, row.Name = conn.Name, conn.Name
	row.Tier, row.PublisherKind = string(conn.Tier), string(conn.PublisherKind)
	row.Preview, row.Deprecated = h.Preview, h.Deprecated
	// Operations have no page of their own: their connector's page
	// documents them.
	row.DocsURL = conn.DocsURL
	if h.OperationID != "" {
		row.Name, row.Internal = h.Name, h.Internal
	}
	return row
}

// printHits prints the hits as a table on a terminal (ids keep their
// width, names are cut to fit) or as TSV when piped; the count and the
// sample notice go to the terminal, or to stderr when piped.
func printHits(a *app, c *catalog.Snapshot, out searchOutput) error {
	tty := a.io.IsStdoutTTY()
	notes := a.stdout
	if !tty {
		notes = a.stderr
	}
	suggest := func() {
		if len(out.Suggestions) == 0 {
			return
		}
		// As gh does: commands that work when pasted.
		fmt.Fprintln(notes, "\nDid you mean this?")
		for _, q := range out.Suggestions {
			fmt.Fprintf(notes, "\tconnex search %s\n", shellArg(safeterm.Line(q)))
		}
	}
	if len(out.Hits) == 0 {
		fmt.Fprintf(notes, "No results for %q.\n", safeterm.Line(out.Query))
		suggest()
		if c.Sample() {
			fmt.Fprintln(notes, "\n"+sampleNotice)
		}
		return nil
	}
	if out.Partial {
		note := fmt.Sprintf("Few results match every word of %q: %s.", safeterm.Line(out.Query), index.PartialNote)
		if tty {
			note = ansi.Wordwrap(note, a.io.TerminalWidth(), "")
		}
		fmt.Fprintf(notes, "%s\n\n", note)
	}
	t := hitsTable(out.Hits)
	if err := t.Print(a.io); err != nil {
		return err
	}
	if tty {
		fmt.Fprintf(notes, "\n%d of %d results", len(out.Hits), out.Total)
		if uint64(len(out.Hits)) < out.Total {
			fmt.Fprint(notes, " (use --limit 0 for all)")
		}
		fmt.Fprintln(notes)
	}
	if out.Partial {
		suggest()
	}
	if c.Sample() {
		fmt.Fprintln(notes, "\n"+sampleNotice)
	}
	return nil
}

// hitsTable is the KIND ID NAME FLAGS table: ids are what 'connex show'
// takes, so only names give way to the terminal's width.
func hitsTable(hits []searchHit) *clio.Table {
	t := &clio.Table{Columns: []clio.Column{
		{Header: "KIND", Keep: true}, {Header: "ID", Keep: true}, {Header: "NAME"}, {Header: "FLAGS", Keep: true},
	}}
	for _, h := range hits {
		t.AddRow(h.Kind, h.ID, h.Name, strings.Join(hitFlags(h), " "))
	}
	return t
}

func hitFlags(h searchHit) []string {
	return flagWords(
		flag{h.Tier == string(catalog.TierPremium), "premium"},
		flag{h.Internal, "internal"},
		flag{h.Preview, "preview"},
		flag{h.Deprecated, "deprecated"},
	)
}
