package tui

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/schema"
	"github.com/connex-dev/connex/tui/styles"
)

// schemaNode is one node of a JSON schema shown as a collapsible tree.
// $refs to the connector's definitions are resolved; a ref that repeats
// one of its ancestors is shown but not expanded, so cycles end.
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

// Limits on untrusted schemas: deep or huge ones are cut, never a hang.
const (
	schemaMaxDepth = 16
	schemaMaxNodes = 4000
)

type schemaBuilder struct {
	defs  map[string]json.RawMessage
	nodes int
}

// buildSchema parses a raw schema into a tree; nil when there is none.
func buildSchema(raw json.RawMessage, defs map[string]json.RawMessage) *schemaNode {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return nil
	}
	b := &schemaBuilder{defs: defs}
	n := b.node("", raw, nil, 0)
	n.Expanded = true
	for _, c := range n.Children {
		c.Expanded = len(c.Children) > 0 && len(c.Children) <= 12
	}
	return n
}

func (b *schemaBuilder) node(name string, raw json.RawMessage, refPath []string, depth int) *schemaNode {
	b.nodes++
	n := &schemaNode{Name: name}
	obj := map[string]json.RawMessage{}
	if err := json.Unmarshal(raw, &obj); err != nil {
		n.Type = "?"
		return n
	}
	// Follow $ref chains (a ref to a ref) with the same cycle guard.
	for hops := 0; hops < 8; hops++ {
		ref := jsonString(obj["$ref"])
		if ref == "" {
			break
		}
		defName, ok := schema.RefName(ref)
		target, found := b.defs[defName]
		if !ok || !found {
			n.Missing = ref
			n.Type = "$ref " + ref
			return n
		}
		n.Ref = defName
		for _, p := range refPath {
			if p == defName {
				n.Recursive = true
				n.Type = defName + " (recursive)"
				return n
			}
		}
		refPath = append(refPath[:len(refPath):len(refPath)], defName)
		next := map[string]json.RawMessage{}
		if err := json.Unmarshal(target, &next); err != nil {
			n.Type = defName + " (unreadable)"
			return n
		}
		// Keep the referring schema's own description when it has one.
		if d := jsonString(obj["description"]); d != "" && jsonString(next["description"]) == "" {
			next["description"] = obj["description"]
		}
		obj = next
	}
	typ := jsonString(obj["type"])
	if typ == "" {
		// "type" may be a list in some definitions.
		var list []string
		if json.Unmarshal(obj["type"], &list) == nil {
			typ = strings.Join(list, "|")
		}
	}
	if f := jsonString(obj["format"]); f != "" {
		typ += " (" + f + ")"
	}
	n.Desc = firstNonEmpty(jsonString(obj["description"]), jsonString(obj["x-ms-summary"]), jsonString(obj["title"]))
	var enum []json.RawMessage
	if json.Unmarshal(obj["enum"], &enum) == nil {
		for _, e := range enum {
			n.Enum = append(n.Enum, jsonText(e))
		}
	}
	required := map[string]bool{}
	var reqList []string
	if json.Unmarshal(obj["required"], &reqList) == nil {
		for _, r := range reqList {
			required[r] = true
		}
	}
	if depth >= schemaMaxDepth || b.nodes > schemaMaxNodes {
		n.Type = strings.TrimSpace(typ + " …")
		return n
	}
	var children []*schemaNode
	props := orderedObject(obj["properties"])
	for _, kv := range props {
		c := b.node(kv.key, kv.val, refPath, depth+1)
		c.Required = required[kv.key]
		children = append(children, c)
	}
	// allOf: the parts' properties, merged in order.
	var allOf []json.RawMessage
	if json.Unmarshal(obj["allOf"], &allOf) == nil {
		for _, part := range allOf {
			c := b.node("", part, refPath, depth+1)
			children = append(children, c.Children...)
			if typ == "" && c.Type != "" {
				typ = "object"
			}
		}
	}
	if items, ok := obj["items"]; ok && len(items) > 0 {
		c := b.node("", items, refPath, depth+1)
		itemType := c.Type
		if c.Ref != "" && !c.Recursive {
			itemType = c.Ref
		}
		if itemType == "" {
			itemType = "any"
		}
		typ = "array of " + itemType
		children = append(children, c.Children...)
		if c.Recursive || c.Missing != "" {
			n.Recursive, n.Missing = c.Recursive, c.Missing
		}
	}
	if ap, ok := obj["additionalProperties"]; ok && len(ap) > 0 && ap[0] == '{' {
		c := b.node("{key}", ap, refPath, depth+1)
		children = append(children, c)
		if typ == "" {
			typ = "object"
		}
	}
	if typ == "" && len(children) > 0 {
		typ = "object"
	}
	if n.Ref != "" && typ != "" && !strings.HasPrefix(typ, "array") {
		typ = n.Ref + " (" + typ + ")"
	} else if n.Ref != "" && typ == "" {
		typ = n.Ref
	}
	n.Type = typ
	n.Children = children
	return n
}

type keyVal struct {
	key string
	val json.RawMessage
}

// orderedObject reads a JSON object's members in document order (maps
// lose it, and readers expect the author's order).
func orderedObject(raw json.RawMessage) []keyVal {
	if len(raw) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var out []keyVal
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		k, ok := tok.(string)
		if !ok {
			return out
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return out
		}
		out = append(out, keyVal{k, v})
	}
	return out
}

func jsonString(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// jsonText is a JSON value as text: strings unquoted, others as written.
func jsonText(raw json.RawMessage) string {
	if s := jsonString(raw); s != "" || string(raw) == `""` {
		return s
	}
	return string(bytes.TrimSpace(raw))
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
