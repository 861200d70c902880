package site

import (
	"encoding/json"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/connex-dev/connex/catalog"
)

// summaryRow is one row of a header-less summary table (operations,
// auth types): a link to the block's anchor, then text cells.
type summaryRow struct {
	name, anchor string
	cells        []*html.Node
}

func (p *page) summary(s span) []summaryRow {
	var out []summaryRow
	for i := s.start; i < s.end; i++ {
		b := &p.blocks[i]
		if b.kind == blockHeading {
			break
		}
		if b.kind != blockTable {
			continue
		}
		for _, row := range readTable(b.node()).bodyRows() {
			if len(row) == 0 || isFillerRow(row) {
				continue
			}
			r := summaryRow{name: textOf(row[0]), cells: row}
			if a := firstOf(row[0], atom.A); a != nil {
				r.anchor, _ = fragment(attr(a, "href"), p.url)
			}
			out = append(out, r)
		}
		break
	}
	return out
}

// auth reads "Creating a connection": the summary table, then one h3 block
// per auth type (Auth ID, Applicable, description, shareability,
// parameters table).
func (p *page) auth(s span) {
	rows := p.summary(s)
	var types []catalog.AuthType
	var anchors []string
	for _, sub := range sections(p.blocks, s, 3) {
		at := catalog.AuthType{Name: sub.head.text}
		var desc []string
		for i := sub.start; i < sub.end; i++ {
			b := &p.blocks[i]
			switch b.kind {
			case blockPara:
				low := strings.ToLower(b.text)
				switch {
				case strings.HasPrefix(low, "auth id:"):
					at.ID = strings.TrimSpace(b.text[len("auth id:"):])
				case strings.HasPrefix(low, "applicable:"):
					at.Applicable = strings.TrimSpace(b.text[len("applicable:"):])
				case strings.Contains(low, "is not shareable connection"):
					at.Shareable = "Not shareable"
				case strings.Contains(low, "is shareable connection"):
					at.Shareable = "Shareable"
				default:
					desc = append(desc, b.text)
				}
			case blockTable:
				at.Parameters = append(at.Parameters, p.connectionParams(readTable(b.node()), at.Name)...)
			}
		}
		at.Description = strings.Join(desc, "\n\n")
		types = append(types, at)
		anchors = append(anchors, sub.head.id)
	}
	// Fill gaps from the summary table; a summary row with no block of its
	// own still names an auth type.
	used := make([]bool, len(rows))
	for i := range types {
		j := matchSummary(rows, used, anchors[i], types[i].Name)
		if j < 0 {
			continue
		}
		used[j] = true
		fillAuth(&types[i], rows[j])
	}
	for j, r := range rows {
		if !used[j] && r.name != "" {
			at := catalog.AuthType{Name: r.name}
			fillAuth(&at, r)
			types = append(types, at)
		}
	}
	if len(types) == 0 {
		p.probs.add("creating a connection: no auth types found")
	}
	p.conn.AuthTypes = types
}

// matchSummary finds the summary row of a block: same anchor, else the
// first unused row with the same name (names repeat: "Access Key (Azure
// Government)" twice on one page).
func matchSummary(rows []summaryRow, used []bool, anchor, name string) int {
	if anchor != "" {
		for j, r := range rows {
			if !used[j] && r.anchor == anchor {
				return j
			}
		}
	}
	for j, r := range rows {
		if !used[j] && r.name == name {
			return j
		}
	}
	return -1
}

func fillAuth(at *catalog.AuthType, r summaryRow) {
	if at.Description == "" {
		at.Description = paragraphs(cellOrEmpty(r.cells, 1))
	}
	if at.Applicable == "" {
		at.Applicable = cellText(r.cells, 2)
	}
	if at.Shareable == "" {
		at.Shareable = cellText(r.cells, 3)
	}
}

// connectionParams reads an auth type's Name | Type | Description |
// Required table. The site shows display names only, so a parameter's Name
// and DisplayName are both the shown name.
func (p *page) connectionParams(t *table, auth string) []catalog.ConnectionParam {
	cols, ok := t.columns("name", "type", "description", "required")
	if !ok {
		p.probs.add("auth type %q: parameter table without a header; read by position", auth)
	}
	var out []catalog.ConnectionParam
	for _, row := range t.rows {
		name := cellText(row, cols[0])
		if name == "" {
			continue
		}
		out = append(out, catalog.ConnectionParam{
			Name: name, DisplayName: name,
			Type:        cellText(row, cols[1]),
			Description: paragraphs(cellOrEmpty(row, cols[2])),
			Required:    isTrue(cellText(row, cols[3])),
		})
	}
	return out
}

func isTrue(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes":
		return true
	}
	return false
}

// operations reads the Actions or Triggers section: the summary table, then
// one h3 block per operation.
func (p *page) operations(s span, kind catalog.OperationKind) {
	rows := p.summary(s)
	byAnchor := map[string]summaryRow{}
	for _, r := range rows {
		if r.anchor != "" {
			byAnchor[r.anchor] = r
		}
	}
	seenAnchor := map[string]bool{}
	for _, sub := range sections(p.blocks, s, 3) {
		op := p.operation(sub, kind)
		if op == nil {
			continue
		}
		seenAnchor[op.Anchor] = true
		if op.Description == "" {
			if r, ok := byAnchor[op.Anchor]; ok {
				var kept []string
				for _, d := range strings.Split(paragraphs(cellOrEmpty(r.cells, 1)), "\n\n") {
					if d != "" && !isDeprecationNote(d) {
						kept = append(kept, d)
					}
				}
				op.Description = strings.Join(kept, "\n\n")
			}
		}
		if p.conn.Operation(op.ID) != nil && p.conn.Operation(op.ID).ID == op.ID {
			p.probs.add("operation id %q appears twice; keeping the first", op.ID)
			continue
		}
		p.conn.Operations = append(p.conn.Operations, op)
		p.anchors[op.Anchor] = op.ID
	}
	for _, r := range rows {
		if r.anchor != "" && !seenAnchor[r.anchor] {
			p.probs.add("%s %q is listed in the summary but has no section of its own", kind, r.name)
		}
	}
}

// operation reads one operation block.
func (p *page) operation(sub span, kind catalog.OperationKind) *catalog.Operation {
	op := &catalog.Operation{Name: sub.head.text, Kind: kind, Anchor: sub.head.id}
	if op.Name == "" {
		p.probs.add("%s heading without a name; skipped", kind)
		return nil
	}
	if op.Anchor == "" {
		op.Anchor = OperationAnchor(op.Name)
	}
	// The markers become flags; the name is what makers see without them
	// (as in the definitions), so both sources agree on it.
	heading := op.Name
	op.Name, op.Deprecated, op.Preview = stripMarkers(op.Name)
	var desc []string
	section := ""
	var descBlocks []*block
	for i := sub.start; i < sub.end; i++ {
		b := &p.blocks[i]
		if b.kind == blockHeading {
			section = normHeading(b.text)
			continue
		}
		switch section {
		case "":
			switch b.kind {
			case blockDL:
				for _, pair := range dLPairs(b.node()) {
					if pair[0] != nil && normHeading(textOf(pair[0])) == "operation id" && op.ID == "" {
						op.ID = textOf(pair[1])
					}
				}
			case blockPara, blockList:
				if low := strings.ToLower(b.text); strings.HasPrefix(low, "operation id:") {
					if op.ID == "" {
						op.ID = strings.TrimSpace(b.text[len("operation id:"):])
					}
					continue
				}
				desc = append(desc, b.text)
				descBlocks = append(descBlocks, b)
			}
		case "parameters":
			if b.kind == blockTable {
				op.Parameters = append(op.Parameters, p.parameters(readTable(b.node()), op)...)
			}
		case "returns":
			p.returns(b, op)
		}
	}
	// The site's deprecation note ("This action has been deprecated.
	// Please use X instead.") is kept as Deprecated and ReplacedBy; the
	// description is the operation's own text, as in its definition.
	kept := desc[:0:0]
	for _, d := range desc {
		if !isDeprecationNote(d) {
			kept = append(kept, d)
		}
	}
	op.Description = strings.Join(kept, "\n\n")
	if op.ID == "" {
		p.probs.add("%s %q has no Operation ID; using its anchor %q", kind, op.Name, op.Anchor)
		op.ID = op.Anchor
	}
	p.headings[op.ID] = heading
	for _, b := range descBlocks {
		if !op.Deprecated && !strings.Contains(strings.ToLower(b.text), "instead") {
			continue
		}
		for _, a := range linksOf(b) {
			href := attr(a, "href")
			if frag, ok := fragment(href, p.url); ok && frag != strings.ToLower(op.Anchor) {
				if _, taken := p.replacedBy[op.ID]; !taken && op.ReplacedByConnector == "" {
					p.replacedBy[op.ID] = frag
				}
				continue
			}
			// The replacement lives in another connector (Teams ->
			// Shifts): only its anchor is known here; the crawler
			// resolves it to an operation id once both pages are read.
			if other, frag, ok := otherConnector(href, p.url); ok && op.ReplacedBy == "" {
				if _, taken := p.replacedBy[op.ID]; !taken {
					op.ReplacedBy, op.ReplacedByConnector = frag, other
				}
			}
		}
	}
	return op
}

// parameters reads a Name | Key | Required | Type | Description table.
func (p *page) parameters(t *table, op *catalog.Operation) []catalog.Parameter {
	cols, ok := t.columns("name", "key", "required", "type", "description")
	if !ok {
		p.probs.add("operation %q: parameter table without a header; read by position", op.Name)
	}
	var out []catalog.Parameter
	for _, row := range t.rows {
		prm := catalog.Parameter{
			Name:        cellText(row, cols[0]),
			Key:         cellText(row, cols[1]),
			Required:    isTrue(cellText(row, cols[2])),
			Type:        cellText(row, cols[3]),
			Description: paragraphs(cellOrEmpty(row, cols[4])),
		}
		// A row with no name and no key is still a parameter (the body
		// of type object on Dataverse pages); only an empty row is not.
		if prm.Name == "" && prm.Key == "" && prm.Type == "" && prm.Description == "" {
			continue
		}
		if prm.Type == "dynamic" {
			op.Dynamic = true
		}
		out = append(out, prm)
	}
	return out
}

// returns reads one block of a Returns subsection into the operation's
// single response.
func (p *page) returns(b *block, op *catalog.Operation) {
	resp := func() *catalog.Response {
		if len(op.Responses) == 0 {
			op.Responses = append(op.Responses, catalog.Response{Status: "200"})
		}
		return &op.Responses[0]
	}
	switch b.kind {
	case blockPara:
		if strings.Contains(strings.ToLower(b.text), "outputs of this operation are dynamic") {
			op.Dynamic = true
			return
		}
		r := resp()
		if r.Description == "" {
			r.Description = b.text
		}
	case blockDL:
		for _, pair := range dLPairs(b.node()) {
			typ := textOf(pair[1])
			if typ == "" {
				continue
			}
			r := resp()
			if r.Schema == nil {
				r.Schema = typeSchema(typ, p.defs).json()
			}
		}
	case blockTable:
		t := readTable(b.node())
		cols, ok := t.columns("name", "path", "type", "description")
		if !ok {
			p.probs.add("operation %q: returns table without a header; read by position", op.Name)
		}
		r := resp()
		for _, row := range t.rows {
			f := catalog.Field{Name: cellText(row, cols[0]), Path: cellText(row, cols[1]),
				Type: cellText(row, cols[2]), Description: paragraphs(cellOrEmpty(row, cols[3]))}
			if f.Name != "" || f.Path != "" {
				r.Fields = append(r.Fields, f)
			}
		}
	}
}

// definitions reads the Definitions section: one h3 per named schema, an
// optional paragraph, a Name | Path | Type | Description table. Each is
// kept as a small JSON schema synthesised from the table.
func (p *page) definitions(s span) {
	subs := sections(p.blocks, s, 3)
	for _, sub := range subs {
		if name := sub.head.text; name != "" {
			p.defs[strings.ToLower(name)] = name
		}
	}
	for _, sub := range subs {
		name := sub.head.text
		if name == "" {
			continue
		}
		desc := ""
		var fields []catalog.Field
		hasTable := false
		for i := sub.start; i < sub.end; i++ {
			b := &p.blocks[i]
			switch b.kind {
			case blockPara:
				if desc == "" {
					desc = b.text
				}
			case blockTable:
				hasTable = true
				t := readTable(b.node())
				cols, ok := t.columns("name", "path", "type", "description")
				if !ok {
					p.probs.add("definition %q: table without a header; read by position", name)
				}
				for _, row := range t.rows {
					fields = append(fields, catalog.Field{Name: cellText(row, cols[0]), Path: cellText(row, cols[1]),
						Type: cellText(row, cols[2]), Description: paragraphs(cellOrEmpty(row, cols[3]))})
				}
			}
		}
		var schema *jsonSchema
		if hasTable {
			schema = schemaFromFields(fields, p.defs)
		} else {
			schema = typeSchema(name, nil)
			if schema.ref != "" || schema.other != "" {
				schema = &jsonSchema{typ: "object"}
			}
		}
		if desc != "" {
			schema.desc = desc
		}
		if p.conn.Definitions == nil {
			p.conn.Definitions = map[string]json.RawMessage{}
		}
		if _, dup := p.conn.Definitions[name]; dup {
			p.probs.add("definition %q appears twice; keeping the first", name)
			continue
		}
		p.conn.Definitions[name] = schema.json()
	}
}

// isDeprecationNote reports the paragraph the site puts before a
// deprecated operation's description.
func isDeprecationNote(p string) bool {
	low := strings.ToLower(p)
	for _, kind := range []string{"action", "trigger", "operation"} {
		if strings.HasPrefix(low, "this "+kind+" has been deprecated") {
			return true
		}
	}
	return false
}
