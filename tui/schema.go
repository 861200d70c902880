package tui

import (
	"cmp"
	"encoding/json"
	"strings"

	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/schema"
	"github.com/connex-dev/connex/tui/styles"
)

// schemaNode is one node of a JSON schema shown as a collapsible tree,
// built from a schema the schema package has parsed and resolved: $refs
// to the connector's definitions are inlined, and a ref that repeats one
// of its ancestors is shown but not expanded, so cycles end.
type schemaNode struct {
	Name      string
	Type      string
	Required  bool
	Desc      string
	Enum      []string
	Ref       string // definition name when reached through $ref
	Recursive bool
	Missing   string // an unresolvable $ref
	Children  []*schemaNode
	Expanded  bool
}

// Limits on untrusted schemas: deep or huge ones are cut (their type
// ends in "…"), never a hang. The resolver stops at schemaMaxDepth and at
// its own node budget; the tree stops descending after schemaMaxNodes.
const (
	schemaMaxDepth = 16
	schemaMaxNodes = 4000
)

// buildSchema parses and resolves a raw schema and builds its tree; nil
// when there is none, a node of type "?" when it cannot be read. The root
// is expanded, and so are its children with at most 12 children.
func buildSchema(raw json.RawMessage, res *schema.Resolver) *schemaNode {
	s, err := res.Parse(raw, schemaMaxDepth)
	if err != nil {
		return &schemaNode{Type: "?"}
	}
	if s == nil {
		return nil
	}
	b := &treeBuilder{}
	n := b.node("", s)
	n.Expanded = true
	for _, c := range n.Children {
		c.Expanded = len(c.Children) > 0 && len(c.Children) <= 12
	}
	return n
}

type treeBuilder struct{ nodes int }

func (b *treeBuilder) node(name string, s *schema.Schema) *schemaNode {
	b.nodes++
	n := &schemaNode{Name: name, Type: typeLabel(s, 0)}
	if s.Missing {
		n.Missing = s.Ref
	} else {
		n.Ref, _ = schema.RefName(s.Ref)
		n.Recursive = s.Cycle
	}
	n.Desc = firstNonEmpty(s.Description, s.Summary, s.Title)
	for _, e := range s.Enum {
		n.Enum = append(n.Enum, schema.EnumText(e))
	}
	if s.Missing || s.Cycle {
		return n
	}
	// Past the node budget a node is shown without its children (marked
	// "…" like a node the resolver cut).
	cut := b.nodes > schemaMaxNodes && (len(s.Properties) > 0 || s.Items != nil || s.AdditionalProperties != nil)
	if cut || s.Truncated {
		n.Type = strings.TrimSpace(n.Type + " …")
	}
	if cut {
		return n
	}
	for _, key := range s.Order {
		p := s.Properties[key]
		if p == nil {
			continue
		}
		c := b.node(key, p)
		c.Required = s.IsRequired(key)
		n.Children = append(n.Children, c)
	}
	if s.Items != nil {
		// An array shows its items' properties as its own children, and
		// its items' recursive or missing mark.
		c := b.node("", s.Items)
		n.Children = append(n.Children, c.Children...)
		if c.Recursive || c.Missing != "" {
			n.Recursive, n.Missing = c.Recursive, c.Missing
		}
	}
	if s.AdditionalProperties != nil {
		n.Children = append(n.Children, b.node("{key}", s.AdditionalProperties))
	}
	return n
}

// typeLabel is the type a tree node shows: the type (a type list joined
// with "|") and its format; "array of" the items' definition
// name or type; a definition's name before its type, "Task (object)";
// "Node (recursive)" for a cycle; "$ref ..." for a ref that resolves to
// nothing. Unlike Schema.TypeName it keeps both the name and the type, and
// an absent type stays empty.
func typeLabel(s *schema.Schema, depth int) string {
	ref, _ := schema.RefName(s.Ref)
	switch {
	case s.Missing:
		return "$ref " + s.Ref
	case s.Cycle:
		return ref + " (recursive)"
	}
	typ := s.Type
	if len(s.Types) > 0 {
		typ = strings.Join(s.Types, "|")
	}
	if s.Format != "" {
		typ += " (" + s.Format + ")"
	}
	if s.Items != nil {
		item := "…"
		if depth < schemaMaxDepth {
			item = typeLabel(s.Items, depth+1)
		}
		if name, ok := schema.RefName(s.Items.Ref); ok && !s.Items.Missing && !s.Items.Cycle {
			item = name
		}
		typ = "array of " + cmp.Or(item, "any")
	}
	if typ == "" && (len(s.Properties) > 0 || s.AdditionalProperties != nil) {
		typ = "object"
	}
	switch {
	case ref != "" && typ == "":
		typ = ref
	case ref != "" && !strings.HasPrefix(typ, "array"):
		typ = ref + " (" + typ + ")"
	}
	return typ
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// setAll expands or collapses a whole tree.
func (n *schemaNode) setAll(expanded bool) {
	if n == nil {
		return
	}
	n.Expanded = expanded && len(n.Children) > 0
	for _, c := range n.Children {
		c.setAll(expanded)
	}
}

// renderTree adds the visible nodes of a tree as doc lines, wrapping long
// descriptions under their node.
func renderTree(n *schemaNode, depth, w int, s styles.Styles, out []docLine) []docLine {
	if n == nil {
		return out
	}
	indent := strings.Repeat("  ", depth)
	marker := "  "
	if len(n.Children) > 0 {
		if n.Expanded {
			marker = "▾ "
		} else {
			marker = "▸ "
		}
	}
	name := n.Name
	if name == "" {
		name = "(root)"
	}
	head := indent + marker + s.Label.Render("") + safeterm.Line(name)
	typ := safeterm.Line(n.Type)
	line := head + "  " + s.Muted.Render(typ)
	if n.Required {
		line += " " + s.Premium.Render("required")
	}
	if n.Missing != "" {
		line += " " + s.Error.Render("(unresolved)")
	}
	desc := ""
	if n.Desc != "" && !strings.EqualFold(strings.TrimSpace(n.Desc), n.Name) {
		desc = safeterm.Line(n.Desc)
	}
	// A short description stays on the node's line; a long one goes
	// below, indented past the children so it is not read as one.
	if desc != "" && ansiWidth(line)+3+ansiWidth(desc) <= w {
		line += "  " + s.Muted.Render("· "+desc)
		desc = ""
	}
	out = append(out, docLine{text: truncateStyled(line, w), node: n})
	descIndent := indent + "      "
	var extra []string
	if desc != "" {
		extra = append(extra, desc)
	}
	if len(n.Enum) > 0 {
		extra = append(extra, "one of: "+safeterm.Line(strings.Join(n.Enum, ", ")))
	}
	for _, e := range extra {
		for _, l := range wrapText(e, w-len(descIndent)) {
			out = append(out, docLine{text: descIndent + s.Muted.Render(l), node: n})
		}
	}
	if n.Expanded {
		for _, c := range n.Children {
			out = renderTree(c, depth+1, w, s, out)
		}
	}
	return out
}
