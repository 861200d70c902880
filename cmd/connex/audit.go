package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/audit"
	"github.com/connex-dev/connex/internal/safeterm"
)

func init() { register(newAuditCmd) }

// auditListMax caps the actions listed under one verdict in text output;
// --json and --format md list them all.
const auditListMax = 5

func newAuditCmd(a *app) *cobra.Command {
	var asJSON bool
	var format string
	cmd := &cobra.Command{
		Use:   "audit PATH...",
		Short: "Audit flows and solutions: connectors, operations, licence, deprecations",
		Long: `audit reads Power Automate flows and Logic Apps workflows as makers export
them and checks every action and trigger that calls a connector against the
catalogue: which connectors and operations each flow uses, whether it needs
a premium licence (and which action makes it so), what is deprecated and
what replaces it, what is preview or internal, the known issues and
throttling limits that apply, and what the catalogue does not know
(custom connectors, typos in hand-edited JSON).

PATH is a solution .zip, a legacy package .zip, an unpacked solution or
package folder, a flow definition.json, or a Logic Apps workflow.json.
Archives are read within limits (size, entry count, compression ratio,
entry names, nesting depth): hostile ones are refused with the reason.

On a terminal, without --json or --format, the report opens in the
explorer: Enter on an operation opens its page. Piped, it is text.

Exit status: 0 when every PATH was read, 1 on an error (no catalogue, bad
flags), 2 when something could not be read (the rest is still reported).`,
		Example: `  connex audit MySolution_1_0_0_1.zip          # on a terminal: opens the explorer
  connex audit MySolution_1_0_0_1.zip | less   # text
  connex audit unpacked/ --format md > review.md
  connex audit flow/definition.json --json | jq '.connectors[] | select(.tier == "premium")'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if asJSON {
				format = "json"
			}
			switch format {
			case "text", "md", "json":
			default:
				return fmt.Errorf("--format %q: use text, md or json", format)
			}
			c, err := a.loadCatalog()
			if err != nil {
				return err
			}
			if c.Sample {
				fmt.Fprintln(a.stderr, sampleNotice+"\nEvery connector of the flows will be listed as not in the catalogue.")
			}
			r := audit.New(c, audit.Options{}).Audit(a.ctx, args...)
			if format == "text" && !cmd.Flags().Changed("format") && isTerminal(a.stdout) && !c.Sample {
				// On a terminal the audit opens in the explorer, where
				// each operation opens its page; piped, it is text.
				if err := tuiAudit(a, r); err != nil {
					return err
				}
				if len(r.Errors) > 0 {
					return partial(fmt.Errorf("%d of the inputs could not be read fully (listed in the report)", countPaths(r.Errors)))
				}
				return nil
			}
			w := bufio.NewWriter(a.stdout)
			switch format {
			case "json":
				err = writeJSON(w, r)
			case "md":
				writeAuditMarkdown(w, r)
			default:
				writeAuditText(w, r)
			}
			if ferr := w.Flush(); err == nil {
				err = ferr
			}
			if err != nil {
				return err
			}
			if len(r.Errors) > 0 {
				return partial(fmt.Errorf("%d of the inputs could not be read fully (listed in the report)", countPaths(r.Errors)))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print JSON: {"flows", "connectors", "premium", "premium_because", "unknown_tier", "unknown", "errors"}`)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, md (Markdown for a review document) or json")
	return cmd
}

func countPaths(errs []audit.ReadError) int {
	seen := map[string]bool{}
	for _, e := range errs {
		seen[e.Path] = true
	}
	return len(seen)
}

// wrapLine prints text wrapped to the report's width: the first line
// indented by indent, the next ones two columns more.
func wrapLine(w io.Writer, indent, text string) {
	width := textWidth - len(indent) - 2
	for i, l := range strings.Split(ansi.Wrap(safeterm.Line(text), width, " /"), "\n") {
		if i > 0 {
			l = "  " + l
		}
		fmt.Fprintln(w, indent+l)
	}
}

// callOp is what an unknown call names: its operation id, else its
// method and path (shortened: the path holds whole expressions).
func callOp(u audit.Unknown) string {
	if u.Operation != "" {
		return u.Operation
	}
	return cutLine(u.Method+" "+u.Path, 50)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func tierOf(t string) string {
	if t == "" {
		return "tier unknown"
	}
	return t
}

// opNotes are an operation's verdicts in words.
func opNotes(o audit.OperationUse) []string {
	var notes []string
	if o.Deprecated {
		n := "DEPRECATED"
		switch {
		case o.ReplacedBy != "" && o.ReplacedByConnector != "":
			n += ", use " + o.ReplacedByConnector + "/" + o.ReplacedBy
		case o.ReplacedBy != "":
			n += ", use " + o.ReplacedBy
		}
		notes = append(notes, n)
	}
	if o.Preview {
		notes = append(notes, "preview")
	}
	if o.Internal {
		notes = append(notes, "internal (hidden from makers)")
	}
	for _, m := range o.MatchedBy {
		// A unique path match is as good as an id; a hint or an
		// ambiguous match deserves a look.
		if m != "" && m != "path" {
			notes = append(notes, "matched by "+m)
		}
	}
	for _, k := range o.KnownIssues {
		notes = append(notes, "known issue: "+k)
	}
	return notes
}

func writeAuditText(w io.Writer, r *audit.Report) {
	for _, f := range r.Flows {
		lic := f.Licence()
		fmt.Fprintf(w, "%s  [%s]\n", cutLine(f.Name, textWidth-len(lic)-4), lic)
		wrapLine(w, "  ", f.Source)
		if len(f.Calls) == 0 {
			fmt.Fprintln(w, "  no connector calls")
		}
		for _, c := range f.Connectors {
			fmt.Fprintf(w, "  %s\n", cutLine(fmt.Sprintf("%s (%s, %s) %s", c.ID, c.Name, tierOf(c.Tier), plural(c.Uses, "call", "calls")), textWidth-2))
			for _, o := range c.Operations {
				by := ""
				if len(o.MatchedBy) > 0 {
					by = " (by " + strings.Join(o.MatchedBy, ", ") + ")"
				}
				fmt.Fprintf(w, "    %s\n", cutLine(fmt.Sprintf("%-7s %s  %s ×%d%s", o.Kind, o.ID, o.Name, o.Uses, by), textWidth-4))
				for _, n := range opNotes(o) {
					wrapLine(w, "      ", "! "+n)
				}
			}
		}
		for _, u := range f.Unknown {
			wrapLine(w, "  ", fmt.Sprintf("? %s: %s %s: %s", u.Action, u.Connector, callOp(u), u.Reason))
		}
		for _, p := range f.PremiumBecause {
			if p.Connector == "" { // a built-in step: not listed above
				wrapLine(w, "  ", fmt.Sprintf("! %s: %s, premium", p.Action, p.Reason))
			}
		}
		fmt.Fprintln(w)
	}

	ops, calls := 0, 0
	for _, c := range r.Connectors {
		ops += len(c.Operations)
	}
	for _, f := range r.Flows {
		calls += len(f.Calls)
	}
	fmt.Fprintf(w, "In all: %s, %s, %s, %s\n", plural(len(r.Flows), "flow", "flows"),
		plural(len(r.Connectors), "connector", "connectors"), plural(ops, "operation", "operations"),
		plural(calls, "connector call", "connector calls"))
	switch {
	case r.Premium:
		fmt.Fprintln(w, "Licence: PREMIUM, because of:")
		printCapped(w, len(r.PremiumBecause), auditListMax, "  … and %d more\n", func(i int) {
			wrapLine(w, "  ", r.PremiumBecause[i].String())
		})
	case r.UnknownTier > 0:
		wrapLine(w, "", fmt.Sprintf("Licence: unknown (%s to connectors not in the catalogue)", plural(r.UnknownTier, "call", "calls")))
	default:
		fmt.Fprintln(w, "Licence: standard (no premium or custom connector, no HTTP step)")
	}
	var flagged []string
	for _, c := range r.Connectors {
		for _, o := range c.Operations {
			notes := opNotes(o)
			if len(notes) == 0 {
				continue
			}
			s := fmt.Sprintf("%s/%s: %s; %s", c.ID, o.ID, strings.Join(notes, "; "), usedBy(o.Actions))
			flagged = append(flagged, s)
		}
	}
	if len(flagged) > 0 {
		fmt.Fprintln(w, "To look at:")
		for _, s := range flagged {
			wrapLine(w, "  ", s)
		}
	}
	var limits []string
	for _, c := range r.Connectors {
		for _, l := range c.Throttling {
			s := fmt.Sprintf("%s: %s %s", c.ID, l.Name, l.Value)
			if l.Renewal != "" {
				s += " per " + l.Renewal
			}
			limits = append(limits, s)
		}
	}
	if len(limits) > 0 {
		fmt.Fprintln(w, "Throttling:")
		for _, s := range limits {
			wrapLine(w, "  ", s)
		}
	}
	if len(r.Unknown) > 0 {
		fmt.Fprintf(w, "Not in the catalogue: %s\n", plural(len(r.Unknown), "call", "calls"))
		for _, u := range r.Unknown {
			wrapLine(w, "  ", fmt.Sprintf("%s: %s: %s %s", u.Flow, u.Action, u.Connector, callOp(u)))
		}
	}
	if len(r.Errors) > 0 {
		fmt.Fprintf(w, "Could not read: %s\n", plural(len(r.Errors), "problem", "problems"))
		for _, e := range r.Errors {
			wrapLine(w, "  ", e.Error)
		}
	}
}

func usedBy(actions []string) string {
	if len(actions) > auditListMax {
		return "used by " + strings.Join(actions[:auditListMax], ", ") + fmt.Sprintf(" and %d more", len(actions)-auditListMax)
	}
	return "used by " + strings.Join(actions, ", ")
}

// md makes untrusted text safe in a Markdown table cell: one line, pipes
// and the characters that start markup escaped.
func md(s string) string {
	s = safeterm.Line(s)
	r := strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`)
	return r.Replace(s)
}

// code puts an identifier in a code span (no escaping inside one: a
// backtick in the id is replaced).
func code(s string) string {
	return "`" + strings.ReplaceAll(safeterm.Line(s), "`", "'") + "`"
}

// mdSection starts a level-2 section, a blank line on either side.
func mdSection(w io.Writer, title string) {
	fmt.Fprintf(w, "\n## %s\n\n", title)
}

// mdHead writes a table's header row and rule. A column named with a
// trailing ":" holds numbers and is right-aligned.
func mdHead(w io.Writer, cols ...string) {
	rule := make([]string, len(cols))
	for i, c := range cols {
		rule[i] = "---"
		if name, ok := strings.CutSuffix(c, ":"); ok {
			cols[i], rule[i] = name, "---:"
		}
	}
	mdRow(w, cols...)
	fmt.Fprintf(w, "|%s|\n", strings.Join(rule, "|"))
}

// mdRow writes one table row of cells already made safe (md, code).
func mdRow(w io.Writer, cells ...string) {
	fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
}

func writeAuditMarkdown(w io.Writer, r *audit.Report) {
	fmt.Fprintln(w, "# Flow audit")
	fmt.Fprintln(w)
	switch {
	case r.Premium:
		fmt.Fprintln(w, "**Licence: premium.** These steps need a premium licence:")
		fmt.Fprintln(w)
		for _, p := range r.PremiumBecause {
			where := md(p.Flow) + ": " + code(p.Action)
			if op := p.Target(); op != "" {
				where = code(op) + " in " + where
			}
			fmt.Fprintf(w, "- %s (%s)\n", where, md(p.Reason))
		}
	case r.UnknownTier > 0:
		fmt.Fprintf(w, "**Licence: unknown.** %s to connectors the catalogue does not hold; nothing else needs premium.\n",
			plural(r.UnknownTier, "call goes", "calls go"))
	default:
		fmt.Fprintln(w, "**Licence: standard.** No flow uses a premium or custom connector, or an HTTP step.")
	}
	mdSection(w, "Connectors")
	mdHead(w, "Connector", "Name", "Tier", "Calls:", "Throttling")
	for _, c := range r.Connectors {
		var lim []string
		for _, l := range c.Throttling {
			s := l.Name + " " + l.Value
			if l.Renewal != "" {
				s += " per " + l.Renewal
			}
			lim = append(lim, md(s))
		}
		mdRow(w, code(c.ID), md(c.Name), md(tierOf(c.Tier)), strconv.Itoa(c.Uses), strings.Join(lim, "<br>"))
	}
	mdSection(w, "Operations")
	mdHead(w, "Operation", "Name", "Kind", "Calls:", "Notes", "Used by")
	for _, c := range r.Connectors {
		for _, o := range c.Operations {
			var notes, acts []string
			for _, n := range opNotes(o) {
				notes = append(notes, md(n))
			}
			for _, a := range o.Actions {
				acts = append(acts, md(a))
			}
			mdRow(w, code(c.ID+"/"+o.ID), md(o.Name), o.Kind, strconv.Itoa(o.Uses),
				strings.Join(notes, "<br>"), strings.Join(acts, "<br>"))
		}
	}
	if len(r.Unknown) > 0 {
		mdSection(w, "Not in the catalogue")
		mdHead(w, "Flow", "Action", "Connector", "Operation", "Reason")
		for _, u := range r.Unknown {
			op := u.Operation
			if op == "" {
				op = u.Method + " " + u.Path
			}
			mdRow(w, md(u.Flow), md(u.Action), code(u.Connector), code(op), md(u.Reason))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "## Flows")
	for _, f := range r.Flows {
		fmt.Fprintln(w)
		lic := "standard"
		if f.Premium {
			lic = "premium"
		}
		fmt.Fprintf(w, "### %s (%s)\n\n", md(f.Name), lic)
		fmt.Fprintf(w, "Source: %s\n\n", code(f.Source))
		if len(f.Calls) == 0 {
			fmt.Fprintln(w, "No connector calls.")
			continue
		}
		resolved := map[string]string{}
		for _, c := range f.Connectors {
			for _, o := range c.Operations {
				for _, a := range o.Actions {
					resolved[a] = c.ID + "/" + o.ID
				}
			}
		}
		mdHead(w, "Action", "Connector", "Operation")
		for _, c := range f.Calls {
			op, ok := resolved[c.Action]
			if !ok {
				op = c.OperationID
				if op == "" {
					op = c.Method + " " + c.Path
				}
				op += " (not in the catalogue)"
			}
			act := c.Action
			if c.Trigger {
				act += " (trigger)"
			}
			mdRow(w, md(act), code(c.API), code(op))
		}
	}
	if len(r.Errors) > 0 {
		mdSection(w, "Could not read")
		for _, e := range r.Errors {
			fmt.Fprintf(w, "- %s\n", md(e.Error))
		}
	}
}
