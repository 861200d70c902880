package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/clio"
	"github.com/connex-dev/connex/internal/safeterm"
)

func init() { register(newShowCmd) }

// showWidth keeps human output readable on an 80-column terminal.
const showWidth = 78

func newShowCmd(a *app) *cobra.Command {
	var out *clio.JSONFlags
	cmd := &cobra.Command{
		Use:   "show CONNECTOR[/OPERATION]",
		Short: "Show everything the catalogue knows about a connector or an operation",
		Long: `Show everything the catalogue knows about a connector or an operation, as
a page for an 80-column terminal (ids are never wrapped), or as JSON.
An unknown connector or operation exits 3.`,
		Example: `  connex show zohomail
  connex show zohomail/Send_Mail
  connex show sampletasks/CreateTaskV2 --json
  connex show sampletasks --json id,name,tier --jq .tier`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return a.completeIDs(toComplete), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.Validate(); err != nil {
				return err
			}
			c, err := a.openSnapshot()
			if err != nil {
				return err
			}
			connID, opID, _ := strings.Cut(args[0], "/")
			conn, ok, err := c.ConnectorByID(connID)
			if err != nil {
				return err
			}
			if !ok {
				return clio.NotFound("no connector %q in the catalogue (try 'connex search %s')", connID, shellArg(connID))
			}
			if opID == "" {
				if out.Enabled() {
					return out.Write(a.stdout, conn)
				}
				printConnector(a.stdout, conn)
				return nil
			}
			op := conn.Operation(opID)
			if op == nil {
				return clio.NotFound("connector %q has no operation %q (see 'connex show %s')", conn.ID, opID, shellArg(conn.ID))
			}
			if out.Enabled() {
				return out.Write(a.stdout, showOperation{conn.ID, conn.Name, op})
			}
			printOperation(a.stdout, conn, op)
			return nil
		},
	}
	fields := clio.FieldsOf(catalog.Connector{})
	for _, name := range clio.FieldsOf(showOperation{}) {
		if !slices.Contains(fields, name) {
			fields = append(fields, name)
		}
	}
	out = clio.AddJSONFlags(cmd, fields, "", "the catalogue record")
	return cmd
}

// showOperation is `connex show CONNECTOR/OPERATION --json`.
type showOperation struct {
	Connector     string `json:"connector"`
	ConnectorName string `json:"connector_name"`
	*catalog.Operation
}

// completeIDs completes connector ids, then CONNECTOR/OPERATION.
func (a *app) completeIDs(prefix string) []string {
	c, err := a.openSnapshot()
	if err != nil {
		return nil
	}
	var out []string
	if connID, opPrefix, found := strings.Cut(prefix, "/"); found {
		if conn, ok, _ := c.ConnectorByID(connID); ok {
			for _, op := range conn.Operations {
				if strings.HasPrefix(strings.ToLower(op.ID), strings.ToLower(opPrefix)) {
					out = append(out, conn.ID+"/"+op.ID)
				}
			}
		}
		return out
	}
	for i := range c.Len() {
		if strings.HasPrefix(c.ID(i), strings.ToLower(prefix)) {
			out = append(out, c.ID(i))
		}
	}
	return out
}

// section prints a heading.
func section(w io.Writer, title string) {
	fmt.Fprintf(w, "\n%s\n%s\n", title, strings.Repeat("─", ansi.StringWidth(title)))
}

// para prints untrusted text wrapped to the page width.
func para(w io.Writer, indent, text string) {
	text = strings.TrimSpace(safeterm.Text(text))
	if text == "" {
		return
	}
	// Wordwrap breaks only between words: an id or URL longer than the
	// line stays whole (the terminal may fold it, copy still works).
	for _, line := range strings.Split(ansi.Wordwrap(text, showWidth-len(indent), ""), "\n") {
		fmt.Fprintln(w, strings.TrimRight(indent+line, " "))
	}
}

// fields prints "Label: value" lines, skipping empty values.
func fields(w io.Writer, kv ...string) {
	width := 0
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] != "" && len(kv[i]) > width {
			width = len(kv[i])
		}
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "" {
			continue
		}
		label := fmt.Sprintf("%-*s  ", width+1, kv[i]+":")
		value := ansi.Wordwrap(safeterm.Line(kv[i+1]), showWidth-len(label), "")
		fmt.Fprintln(w, label+strings.ReplaceAll(value, "\n", "\n"+strings.Repeat(" ", len(label))))
	}
}

// printTable prints rows as a borderless table fitted to the page: kept
// columns (ids, keys, types) keep their width, the others wrap.
func printTable(w io.Writer, cols []clio.Column, rows [][]string) {
	t := &clio.Table{Columns: cols, Sep: " ", Rule: true, Wrap: true}
	for _, r := range rows {
		t.AddRow(r...)
	}
	t.Render(w, showWidth)
}

// col and keep name the columns of show's tables.
func col(h string) clio.Column  { return clio.Column{Header: h} }
func keep(h string) clio.Column { return clio.Column{Header: h, Keep: true} }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

func printConnector(w io.Writer, conn *catalog.Connector) {
	title := conn.Name
	var marks []string
	if conn.Tier == catalog.TierPremium {
		marks = append(marks, "Premium")
	}
	if conn.Preview {
		marks = append(marks, "Preview")
	}
	if conn.Deprecated {
		marks = append(marks, "Deprecated")
	}
	if len(marks) > 0 {
		title += "  [" + strings.Join(marks, ", ") + "]"
	}
	fmt.Fprintln(w, safeterm.Line(title))
	fmt.Fprintln(w, strings.Repeat("═", min(showWidth, ansi.StringWidth(safeterm.Line(title)))))
	para(w, "", conn.Description)
	fmt.Fprintln(w)
	var products []string
	for _, p := range conn.Products {
		s := p.Name
		if p.Class != "" {
			s += " (" + string(p.Class) + ")"
		}
		products = append(products, s)
	}
	publisher := conn.Publisher
	if conn.PublisherKind != "" {
		publisher += " (" + string(conn.PublisherKind) + ")"
	}
	host := ""
	if conn.Host != "" {
		scheme := "https"
		if len(conn.Schemes) > 0 {
			scheme = conn.Schemes[0]
		}
		host = scheme + "://" + conn.Host + conn.BasePath
	}
	fields(w,
		"ID", conn.ID,
		"Folder", conn.Folder,
		"Publisher", strings.TrimSpace(publisher),
		"Tier", string(conn.Tier),
		"Products", strings.Join(products, ", "),
		"Regions", conn.RegionsNote,
		"Categories", strings.Join(conn.Categories, ", "),
		"Website", conn.Website,
		"Privacy", conn.PrivacyPolicy,
		"Contact", strings.TrimSpace(strings.Join(nonEmpty(conn.Contact.Name, conn.Contact.Email, conn.Contact.URL), ", ")),
		"API", host,
		"Docs", conn.DocumentationURL(),
	)
	if len(conn.AuthTypes) > 0 {
		section(w, "Authentication")
		for _, at := range conn.AuthTypes {
			line := "• " + at.Name
			detail := at.Type
			if at.In != "" {
				detail += " in " + at.In + " " + at.ParamName
			}
			if detail != "" {
				line += " (" + detail + ")"
			}
			fmt.Fprintln(w, safeterm.Line(line))
			para(w, "  ", at.Description)
			if len(at.Parameters) > 0 {
				rows := make([][]string, 0, len(at.Parameters))
				for _, p := range at.Parameters {
					rows = append(rows, []string{p.DisplayName, p.Name, p.Type, yesNo(p.Required), p.Description})
				}
				printTable(w, []clio.Column{col("NAME"), keep("KEY"), keep("TYPE"), keep("REQ"), col("DESCRIPTION")}, rows)
			}
		}
	}
	if len(conn.Throttling) > 0 {
		section(w, "Throttling limits")
		rows := make([][]string, 0, len(conn.Throttling))
		for _, l := range conn.Throttling {
			rows = append(rows, []string{l.Name, l.Value, l.Renewal})
		}
		printTable(w, []clio.Column{col("NAME"), col("CALLS"), col("RENEWAL PERIOD")}, rows)
	}
	if len(conn.Limits) > 0 {
		section(w, "General limits")
		rows := make([][]string, 0, len(conn.Limits))
		for _, l := range conn.Limits {
			rows = append(rows, []string{l.Name, l.Value})
		}
		printTable(w, []clio.Column{col("NAME"), col("VALUE")}, rows)
	}
	if len(conn.KnownIssues) > 0 {
		section(w, "Known issues")
		for _, k := range conn.KnownIssues {
			fmt.Fprintln(w, "• "+safeterm.Line(k.Summary))
			if k.Operations != "" {
				para(w, "  ", "Operations: "+k.Operations)
			}
			para(w, "  ", k.Description)
		}
	}
	for _, kind := range []catalog.OperationKind{catalog.KindAction, catalog.KindTrigger} {
		var rows [][]string
		hidden := 0
		for _, op := range conn.Operations {
			if op.Kind != kind {
				continue
			}
			internal := op.Visibility == catalog.VisibilityInternal
			if internal {
				hidden++
			}
			flags := flagWords(flag{op.Deprecated, "deprecated"}, flag{op.Preview, "preview"}, flag{internal, "internal"})
			rows = append(rows, []string{op.ID, op.Name, strings.Join(flags, " ")})
		}
		if len(rows) == 0 {
			continue
		}
		title := fmt.Sprintf("Actions (%d)", len(rows))
		if kind == catalog.KindTrigger {
			title = fmt.Sprintf("Triggers (%d)", len(rows))
		}
		section(w, title)
		printTable(w, []clio.Column{keep("OPERATION ID"), col("NAME"), keep("FLAGS")}, rows)
	}
	fmt.Fprintf(w, "\nShow an operation: connex show %s/OPERATION_ID\n", conn.ID)
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func printOperation(w io.Writer, conn *catalog.Connector, op *catalog.Operation) {
	kind := string(op.Kind)
	if op.TriggerType != "" {
		kind += " (" + string(op.TriggerType) + ")"
	}
	title := op.Name
	fmt.Fprintln(w, safeterm.Line(title))
	fmt.Fprintln(w, strings.Repeat("═", min(showWidth, ansi.StringWidth(safeterm.Line(title)))))
	request := ""
	if op.Method != "" {
		request = op.Method + " " + strings.TrimSuffix(conn.BasePath, "/") + op.Path
	}
	flags := flagWords(flag{op.Deprecated, "deprecated"}, flag{op.Preview, "preview"}, flag{op.Dynamic, "dynamic schema"})
	fields(w,
		"Connector", conn.Name+" ("+conn.ID+")",
		"Operation ID", op.ID,
		"Kind", kind,
		"Request", request,
		"Visibility", string(op.Visibility),
		"Flags", strings.Join(flags, ", "),
	)
	if op.Deprecated {
		note := "This operation is deprecated."
		if op.ReplacedBy != "" {
			note += " Use " + op.ReplacedBy
			if r := conn.Operation(op.ReplacedBy); r != nil {
				note += " (" + r.Name + ")"
			}
			note += " instead: connex show " + conn.ID + "/" + op.ReplacedBy
		}
		fmt.Fprintln(w)
		para(w, "! ", note)
	}
	if op.Description != "" {
		fmt.Fprintln(w)
		para(w, "", op.Description)
	}
	if params := conn.UserParameters(op); len(params) > 0 {
		section(w, "Parameters")
		rows := make([][]string, 0, len(params))
		for _, p := range params {
			desc := p.Description
			if p.Default != "" {
				desc = strings.TrimSpace(desc + " Default: " + p.Default + ".")
			}
			if len(p.Enum) > 0 {
				desc = strings.TrimSpace(desc + " One of: " + strings.Join(p.Enum, ", ") + ".")
			}
			rows = append(rows, []string{p.Name, p.Key, p.In, yesNo(p.Required), p.Type, desc})
		}
		printTable(w, []clio.Column{col("NAME"), keep("KEY"), keep("IN"), keep("REQ"), keep("TYPE"), col("DESCRIPTION")}, rows)
	}
	if len(op.Body) > 0 {
		section(w, "Request body")
		fmt.Fprintln(w, safeterm.Line(schemaSummary(op.Body)))
	}
	if len(op.Responses) > 0 {
		section(w, "Responses")
		for _, r := range op.Responses {
			line := r.Status
			if r.Description != "" {
				line += "  " + r.Description
			}
			fmt.Fprintln(w, safeterm.Line(line))
			if len(r.Schema) > 0 {
				para(w, "     ", schemaSummary(r.Schema))
			}
			for _, f := range r.Fields {
				para(w, "     ", f.Name+" ("+f.Type+") "+f.Description)
			}
		}
	}
}

// schemaSummary describes a schema in one line: its type or definition
// name, and its top-level properties.
func schemaSummary(raw json.RawMessage) string {
	var s struct {
		Ref        string                     `json:"$ref"`
		Type       any                        `json:"type"`
		Items      json.RawMessage            `json:"items"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "(schema not readable)"
	}
	if s.Ref != "" {
		return strings.TrimPrefix(s.Ref, "#/definitions/")
	}
	typ := fmt.Sprint(s.Type)
	if s.Type == nil {
		typ = "object"
	}
	if typ == "array" && len(s.Items) > 0 {
		return "array of " + schemaSummary(s.Items)
	}
	if len(s.Properties) > 0 {
		names := make([]string, 0, len(s.Properties))
		for k := range s.Properties {
			names = append(names, k)
		}
		sort.Strings(names)
		return typ + " {" + strings.Join(names, ", ") + "}"
	}
	return typ
}
