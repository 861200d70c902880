package tui

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/schema"
)

// treeStats counts a tree's nodes, the nodes shown with "…" (cut by a
// limit) and its depth.
func treeStats(n *schemaNode, depth int) (nodes, cut, maxDepth int) {
	nodes, maxDepth = 1, depth
	if strings.HasSuffix(n.Type, "…") {
		cut = 1
	}
	for _, c := range n.Children {
		cn, cc, cd := treeStats(c, depth+1)
		nodes, cut, maxDepth = nodes+cn, cut+cc, max(maxDepth, cd)
	}
	return nodes, cut, maxDepth
}

// TestSchemaTreeHostile: deep, wide, exponential and cyclic schemas give
// bounded trees, cut where the limits say, with the cut nodes marked.
func TestSchemaTreeHostile(t *testing.T) {
	t.Parallel()
	res := schema.NewResolver(nil)

	// Deep: 100 nested objects are cut at schemaMaxDepth.
	deep := `{"type":"string"}`
	for range 100 {
		deep = `{"type":"object","properties":{"d":` + deep + `}}`
	}
	n := buildSchema(json.RawMessage(deep), res)
	nodes, cut, depth := treeStats(n, 0)
	if nodes != schemaMaxDepth+1 || cut != 1 || depth != schemaMaxDepth {
		t.Errorf("deep: %d nodes, %d cut, depth %d; want %d, 1, %d", nodes, cut, depth, schemaMaxDepth+1, schemaMaxDepth)
	}
	last := n
	for len(last.Children) > 0 {
		last = last.Children[0]
	}
	if last.Name != "d" || last.Type != "object …" {
		t.Errorf("deep: last node %q %q", last.Name, last.Type)
	}

	// Deep arrays: the type names at most schemaMaxDepth levels.
	arr := `{"type":"string"}`
	for range 100 {
		arr = `{"type":"array","items":` + arr + `}`
	}
	if got := buildSchema(json.RawMessage(arr), res).Type; strings.Count(got, "array") != schemaMaxDepth+1 {
		t.Errorf("deep arrays: %d levels in %q", strings.Count(got, "array"), got)
	}

	// Wide: 5000 objects of one property each. The node budget runs out
	// after 2000 of them (each is two nodes); the rest are listed, cut.
	var props []string
	for i := range 5000 {
		props = append(props, `"p`+strconv.Itoa(i)+`":{"type":"object","properties":{"a":{"type":"string"}}}`)
	}
	n = buildSchema(json.RawMessage(`{"type":"object","properties":{`+strings.Join(props, ",")+`}}`), res)
	nodes, cut, _ = treeStats(n, 0)
	if len(n.Children) != 5000 || nodes != 1+5000+2000 || cut != 3000 {
		t.Errorf("wide: %d children, %d nodes, %d cut; want 5000, 7001, 3000", len(n.Children), nodes, cut)
	}
	if c := n.Children[1999]; len(c.Children) != 1 || c.Type != "object" {
		t.Errorf("wide: p1999 %q with %d children", c.Type, len(c.Children))
	}
	if c := n.Children[2000]; len(c.Children) != 0 || c.Type != "object …" {
		t.Errorf("wide: p2000 %q with %d children", c.Type, len(c.Children))
	}

	// Exponential: D0 refers to D1 ten times, D1 to D2...: 10^12 nodes
	// if expanded blindly.
	defs := map[string]json.RawMessage{}
	for i := range 12 {
		var ps []string
		for j := range 10 {
			ps = append(ps, `"p`+strconv.Itoa(j)+`":{"$ref":"#/definitions/D`+strconv.Itoa(i+1)+`"}`)
		}
		defs["D"+strconv.Itoa(i)] = json.RawMessage(`{"type":"object","properties":{` + strings.Join(ps, ",") + `}}`)
	}
	n = buildSchema(json.RawMessage(`{"$ref":"#/definitions/D0"}`), schema.NewResolver(defs))
	nodes, cut, _ = treeStats(n, 0)
	// The resolver's budget (schema.MaxResolvedNodes) runs out deep in
	// the first branch: the root and the first seven objects under it keep
	// only the properties resolved before that, marked "…"; the tree stops
	// descending past schemaMaxNodes: 20 nodes still listed after it, 11
	// of them objects shown cut (the others refs to the absent D12).
	if nodes != schemaMaxNodes+20 || cut != 19 || n.Type != "D0 (object) …" {
		t.Errorf("exponential: %d nodes, %d cut, root %q", nodes, cut, n.Type)
	}

	// Cycles through properties, items, allOf and a chain of aliases.
	defs = map[string]json.RawMessage{
		"Tree":  json.RawMessage(`{"type":"object","properties":{"kids":{"type":"array","items":{"$ref":"#/definitions/Tree"}},"parent":{"$ref":"#/definitions/Tree","description":"up"}}}`),
		"Self":  json.RawMessage(`{"allOf":[{"$ref":"#/definitions/Self"}],"properties":{"x":{"type":"integer","enum":[1,null,"a"]}}}`),
		"Alias": json.RawMessage(`{"$ref":"#/definitions/Other"}`),
		"Other": json.RawMessage(`{"$ref":"#/definitions/Alias"}`),
	}
	res = schema.NewResolver(defs)
	n = buildSchema(json.RawMessage(`{"$ref":"#/definitions/Tree"}`), res)
	var got []string
	for _, c := range n.Children {
		got = append(got, c.Name+":"+c.Type+":"+c.Desc+":"+strconv.FormatBool(c.Recursive)+":"+strconv.Itoa(len(c.Children)))
	}
	want := []string{"kids:array of Tree (recursive)::true:0", "parent:Tree (recursive):up:true:0"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tree: %q, want %q", got, want)
	}
	n = buildSchema(json.RawMessage(`{"$ref":"#/definitions/Self"}`), res)
	if n.Type != "Self (object)" || len(n.Children) != 1 || n.Children[0].Name != "x" || !reflect.DeepEqual(n.Children[0].Enum, []string{"1", "null", "a"}) {
		t.Errorf("self allOf: %q, children %+v", n.Type, n.Children)
	}
	n = buildSchema(json.RawMessage(`{"$ref":"#/definitions/Alias"}`), res)
	if n.Type != "Alias (recursive)" || !n.Recursive {
		t.Errorf("alias loop: %q recursive=%v", n.Type, n.Recursive)
	}
}

// BenchmarkSchemaTrees builds every operation's body and response trees
// over the real definitions catalogue, one resolver per operation page as
// newOperationPage does: one op is the whole catalogue.
func BenchmarkSchemaTrees(b *testing.B) {
	cat := realdata.Catalog(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, c := range cat.Connectors {
			for _, op := range c.Operations {
				res := schema.NewResolver(c.Definitions)
				buildSchema(op.BodySchema(), res)
				for _, r := range op.Responses {
					buildSchema(r.Schema, res)
				}
			}
		}
	}
}
