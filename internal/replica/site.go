package replica

import (
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/connex-dev/connex/catalog"
)

// site is one immutable version of the replica's content: the list and
// every connector page, with what each page shows as a catalogue entry.
// Pages render on first request and keep their bytes.
type site struct {
	locale  string
	base    string // path prefix "/en-us/connectors/"
	modTime time.Time
	entries []ListEntry
	pages   map[string]*page // by connector id
	list    *rendered
	relLink bool
	byLine  bool
}

// page is one connector page.
type page struct {
	data    *pageData
	normal  rendered
	unusual rendered // the "unexpected layout" variant
	md      rendered // the export, for pages that have one
}

// rendered caches one rendering of a page and its validators.
type rendered struct {
	once sync.Once
	body []byte
	etag string
}

func (r *rendered) get(render func() []byte) *rendered {
	r.once.Do(func() {
		r.body = render()
		r.etag = etagOf(r.body)
	})
	return r
}

// pageData is what a connector page shows: the expected catalogue entry
// plus the presentation details that have no place in the model.
type pageData struct {
	conn    *catalog.Connector // what a crawler must read back
	title   string             // the display name as listed, markers and all
	fromDef bool
	fromAPI bool               // src is a Power Platform API reply
	src     *catalog.Connector // the definition shown; nil for exports and name-only pages
	export  []byte             // the site's Markdown export, served as it is
	schemas *schemaDoc
	regions map[string][]string // product -> "except the following" list
	returns map[string]returnsView
	defs    []defView
	issues  issueStyle
}

type issueStyle int

const (
	issuesNone issueStyle = iota
	issuesTable
)

type returnsKind int

const (
	returnsNone    returnsKind = iota
	returnsRef                 // <dl><dt>Body</dt><dd><a href="#def">Def</a></dd></dl>
	returnsType                // <dl><dt>response</dt><dd>array of X</dd></dl>
	returnsTable               // Name | Path | Type | Description
	returnsDynamic             // "The outputs of this operation are dynamic."
)

type returnsView struct {
	kind   returnsKind
	desc   string
	label  string // dt text
	ref    string // definition name
	typ    string
	fields []displayField
}

type defView struct {
	name, anchor, desc string
	fields             []displayField
	primitive          string // "string", "object" for primitive definitions
}

// matchDefinitions maps list ids to imported connectors: the same id, else
// the same normalised display name.
func matchDefinitions(entries []ListEntry, defs *catalog.Catalog) map[string]*catalog.Connector {
	out := map[string]*catalog.Connector{}
	if defs == nil {
		return out
	}
	byID := make(map[string]*catalog.Connector, len(defs.Connectors))
	byName := make(map[string]*catalog.Connector, len(defs.Connectors))
	for _, c := range defs.Connectors {
		if c == nil {
			continue
		}
		if _, dup := byID[c.ID]; !dup {
			byID[c.ID] = c
		}
		if n := catalog.NormalizeName(c.Name); n != "" {
			if _, dup := byName[n]; !dup {
				byName[n] = c
			}
		}
	}
	for _, e := range entries {
		if c, ok := byID[e.Name]; ok {
			out[e.Name] = c
		} else if c, ok := byID[strings.ToLower(e.Name)]; ok {
			out[e.Name] = c
		} else if c, ok := byName[catalog.NormalizeName(e.DisplayName)]; ok {
			out[e.Name] = c
		}
	}
	return out
}

// matchAPIs maps list ids to connectors of the Power Platform API sample,
// whose id is the site's id (shared_<id>): by id only.
func matchAPIs(entries []ListEntry, apis *catalog.Catalog) map[string]*catalog.Connector {
	out := map[string]*catalog.Connector{}
	if apis == nil {
		return out
	}
	byID := make(map[string]*catalog.Connector, len(apis.Connectors))
	for _, c := range apis.Connectors {
		if c != nil {
			byID[strings.ToLower(c.ID)] = c
		}
	}
	for _, e := range entries {
		if c, ok := byID[strings.ToLower(e.Name)]; ok {
			out[e.Name] = c
		}
	}
	return out
}

// buildSite renders the model of every page from real data only: the
// site's own export for the ids that have one, else the connector's Power
// Platform API reply, else its definition, else nothing but the list
// entry (name and badges). With a previous site (a new capture of the
// list), connectors already listed keep the content source they had: a
// renamed connector's page does not start or stop showing a definition
// because its new name matches another one.
func buildSite(opts Options, entries []ListEntry, prev *site) *site {
	s := &site{
		locale:  opts.Locale,
		base:    "/" + opts.Locale + "/connectors/",
		modTime: opts.ModTime,
		entries: entries,
		pages:   make(map[string]*page, len(entries)),
		list:    &rendered{},
		relLink: opts.RelativeLinks,
		byLine:  opts.ListPublishers,
	}
	apis := matchAPIs(entries, opts.APIs)
	matched := matchDefinitions(entries, opts.Definitions)
	if prev != nil {
		for id, p := range prev.pages {
			switch {
			case p.data.src != nil && p.data.fromAPI:
				apis[id] = p.data.src
			case p.data.src != nil:
				delete(apis, id)
				matched[id] = p.data.src
			default:
				delete(apis, id)
				delete(matched, id)
			}
		}
	}
	for _, e := range entries {
		var d *pageData
		if md, ok := opts.Exports[e.Name]; ok {
			d = fromExport(md)
		} else if src, ok := apis[e.Name]; ok {
			d = fromDefinition(src)
			d.fromAPI = true
		} else if src, ok := matched[e.Name]; ok {
			d = fromDefinition(src)
		} else {
			d = &pageData{conn: &catalog.Connector{}}
		}
		finishPage(s, e, d)
		s.pages[e.Name] = &page{data: d}
	}
	// An export whose id the list lacks (windows365 in the 2025-12 list)
	// is still served at its address, as the site serves pages it does
	// not list; it stays off the list page.
	ids := make([]string, 0, len(opts.Exports))
	for id := range opts.Exports {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if _, listed := s.pages[id]; listed || id == "" || strings.ContainsAny(id, "/?#% ") {
			continue
		}
		e := ListEntry{Name: id, DisplayName: exportTitle(opts.Exports[id], id)}
		d := fromExport(opts.Exports[id])
		finishPage(s, e, d)
		s.pages[id] = &page{data: d}
	}
	return s
}

// finishPage fills what every page has from the list entry: names, tier,
// products (the list's badges), sources.
func finishPage(s *site, e ListEntry, d *pageData) {
	c := d.conn
	c.ID = e.Name
	// The page shows the list's display name; a parser strips trailing
	// markers ("Business Assist [DEPRECATED]") into flags, as for
	// operations.
	d.title = e.DisplayName
	name, deprecated, preview := stripMarkers(e.DisplayName)
	if name == "" {
		name = e.DisplayName
	}
	c.Name, c.Deprecated, c.Preview = name, deprecated, e.Preview || preview
	c.Tier = catalog.TierStandard
	if e.Premium {
		c.Tier = catalog.TierPremium
	}
	c.IconURL = safeURL(e.Icon)
	c.DocsURL = s.base + e.Name + "/"
	c.Sources = map[string]catalog.Source{
		catalog.SourceSite: {Kind: catalog.SourceSite, Ref: c.DocsURL, At: s.modTime},
	}
	if d.export != nil {
		return // the export says the rest, as it is
	}
	// The availability table shows the list's product badges, in the
	// site's order, with no region text (the list has none).
	if e.LogicApps {
		// Logic Apps classes differ from Power Platform's: premium
		// connectors show Standard there, except Logic Apps-only ones
		// (SAP, MQ), whose page says Premium like the list's badge.
		class := catalog.TierStandard
		if !e.PowerApps && !e.PowerAutomate {
			class = c.Tier
		}
		c.Products = append(c.Products, catalog.Product{Name: catalog.ProductLogicApps, Class: class})
	}
	if e.PowerApps {
		c.Products = append(c.Products, catalog.Product{Name: catalog.ProductPowerApps, Class: c.Tier})
	}
	if e.PowerAutomate {
		c.Products = append(c.Products, catalog.Product{Name: catalog.ProductPowerAutomate, Class: c.Tier})
	}
	if d.src != nil {
		kind := catalog.SourceDefinition
		c.Sources[kind] = catalog.Source{Kind: kind, Ref: e.Name, At: s.modTime}
	}
	finishOperations(d)
}

// finishOperations puts operations in page order (actions then triggers,
// each alphabetical, as the site lists them), gives each its anchor and
// turns its name into the bare name plus markers a parser reads back.
func finishOperations(d *pageData) {
	c := d.conn
	ops := c.Operations[:0]
	for _, op := range c.Operations {
		if op != nil && op.ID != "" {
			ops = append(ops, op)
		}
	}
	type keyed struct {
		op      *catalog.Operation
		display string
	}
	list := make([]keyed, 0, len(ops))
	for _, op := range ops {
		list = append(list, keyed{op, operationDisplayName(op)})
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if (a.op.Kind == catalog.KindTrigger) != (b.op.Kind == catalog.KindTrigger) {
			return a.op.Kind != catalog.KindTrigger
		}
		la, lb := strings.ToLower(a.display), strings.ToLower(b.display)
		if la != lb {
			return la < lb
		}
		return a.op.ID < b.op.ID
	})
	anchors := uniqueAnchors{}
	ids := map[string]bool{}
	c.Operations = c.Operations[:0]
	for _, k := range list {
		if ids[k.op.ID] {
			continue // one block per operation id, as a parser keys them
		}
		ids[k.op.ID] = true
		op := k.op
		op.Anchor = anchors.take(opAnchor(k.display))
		op.Name, op.Deprecated, op.Preview = stripMarkers(k.display)
		c.Operations = append(c.Operations, op)
	}
	// Deprecation notes link to the replacement: keep only replacements
	// present on the page.
	for _, op := range c.Operations {
		if op.ReplacedBy != "" && (!op.Deprecated || !ids[op.ReplacedBy] || op.ReplacedBy == op.ID) {
			op.ReplacedBy = ""
		}
	}
}

// operationDisplayName is the heading text of an operation: its name
// (the id when it has none) with the markers the site appends.
func operationDisplayName(op *catalog.Operation) string {
	name := oneLine(op.Name)
	if name == "" {
		name = oneLine(op.ID)
	}
	_, dep, prev := stripMarkers(name)
	if op.Preview && !prev {
		name += " (preview)"
	}
	if op.Deprecated && !dep {
		name += " [DEPRECATED]"
	}
	return name
}

// fromDefinition builds the page of a connector with an imported
// definition: its real operations (internal ones hidden, as the site
// hides them from makers), parameters, auth types and definitions.
func fromDefinition(src *catalog.Connector) *pageData {
	d := &pageData{fromDef: true, src: src, schemas: newSchemaDoc(src.Definitions), returns: map[string]returnsView{}}
	c := &catalog.Connector{
		Description:   oneLine(src.Description),
		Publisher:     oneLine(src.Publisher),
		Website:       safeURL(src.Website),
		PrivacyPolicy: safeURL(src.PrivacyPolicy),
		Contact: catalog.Contact{
			Name: oneLine(src.Contact.Name), URL: safeURL(src.Contact.URL), Email: oneLine(src.Contact.Email),
		},
		Throttling: cleanLimits(src.Throttling, true),
		Limits:     cleanLimits(src.Limits, false),
	}
	for _, cat := range src.Categories {
		if cat = oneLine(strings.ReplaceAll(cat, ";", " ")); cat != "" {
			c.Categories = append(c.Categories, cat)
		}
	}
	for _, ki := range src.KnownIssues {
		ki := catalog.KnownIssue{Summary: oneLine(ki.Summary), Operations: oneLine(ki.Operations), Description: oneLine(ki.Description)}
		if ki.Summary != "" {
			c.KnownIssues = append(c.KnownIssues, ki)
		}
	}
	if len(c.KnownIssues) > 0 {
		d.issues = issuesTable
	}
	c.AuthTypes = authFromDefinition(src.AuthTypes)
	d.conn = c
	for _, op := range src.Operations {
		if op == nil || op.Visibility == catalog.VisibilityInternal || oneLine(op.ID) == "" {
			continue
		}
		out := &catalog.Operation{
			ID:          oneLine(op.ID),
			Name:        op.Name,
			Description: oneLine(op.Description),
			Kind:        op.Kind,
			Deprecated:  op.Deprecated,
			Preview:     op.Preview,
			ReplacedBy:  oneLine(op.ReplacedBy),
		}
		if out.Kind != catalog.KindTrigger {
			out.Kind = catalog.KindAction
		}
		out.Parameters = d.parameters(op)
		d.returns[out.ID] = d.returnsOf(op)
		c.Operations = append(c.Operations, out)
	}
	d.defs = d.definitions()
	return d
}

func cleanLimits(in []catalog.Limit, throttling bool) []catalog.Limit {
	var out []catalog.Limit
	for _, l := range in {
		l := catalog.Limit{Name: oneLine(l.Name), Value: oneLine(l.Value), Renewal: oneLine(l.Renewal)}
		if !throttling {
			l.Renewal = ""
		}
		if l.Name != "" {
			out = append(out, l)
		}
	}
	return out
}

func authFromDefinition(in []catalog.AuthType) []catalog.AuthType {
	var out []catalog.AuthType
	for _, a := range in {
		at := catalog.AuthType{
			ID:          oneLine(a.ID),
			Name:        oneLine(a.Name),
			Description: oneLine(a.Description),
			Shareable:   oneLine(a.Shareable),
			Applicable:  oneLine(a.Applicable),
		}
		if at.Name == "" {
			at.Name = "Default"
			if len(in) > 1 && at.ID != "" {
				at.Name = at.ID
			}
		}
		if at.Description == "" {
			at.Description = "Parameters for creating connection."
		}
		if at.Shareable == "" {
			at.Shareable = "Shareable"
			if strings.Contains(strings.ToLower(a.Type), "oauth") {
				at.Shareable = "Not shareable"
			}
		}
		if at.Applicable == "" {
			at.Applicable = "All regions"
		}
		for _, p := range a.Parameters {
			name := oneLine(p.DisplayName)
			if name == "" {
				name = oneLine(p.Name)
			}
			if name == "" {
				continue
			}
			typ := oneLine(p.Type)
			if typ == "" {
				typ = "string"
			}
			at.Parameters = append(at.Parameters, catalog.ConnectionParam{
				Name: name, Type: typ, Description: oneLine(p.Description), Required: p.Required,
			})
		}
		out = append(out, at)
	}
	return out
}

// parameters is the Parameters table of an operation as the site shows
// it: internal parameters hidden, an object body flattened into its
// properties.
func (d *pageData) parameters(op *catalog.Operation) []catalog.Parameter {
	var out []catalog.Parameter
	for _, p := range op.Parameters {
		if p.Visibility == catalog.VisibilityInternal {
			continue
		}
		if p.In == catalog.InBody {
			if fields := d.schemas.fields(decodeSchema(p.Schema)); len(fields) > 0 {
				for _, f := range fields {
					out = append(out, catalog.Parameter{Name: f.name, Key: f.key, Required: f.required, Type: f.typ, Description: f.desc})
				}
				continue
			}
		}
		key := oneLine(p.Key)
		if key == "" {
			continue
		}
		name := oneLine(p.Name)
		if name == "" {
			name = key
		}
		typ := oneLine(p.Type)
		switch {
		case typ == "":
			typ = "string"
		case typ == "string" && p.Format != "":
			typ = stringFormat(p.Format)
		}
		out = append(out, catalog.Parameter{Name: name, Key: key, Required: p.Mandatory(), Type: typ, Description: oneLine(p.Description)})
	}
	return out
}

// returnsOf picks the first success response with a schema.
func (d *pageData) returnsOf(op *catalog.Operation) returnsView {
	var resp *catalog.Response
	for i := range op.Responses {
		r := &op.Responses[i]
		if (strings.HasPrefix(r.Status, "2") || r.Status == "default") && (len(r.Schema) > 0 || len(r.Fields) > 0) {
			resp = r
			break
		}
	}
	if resp == nil {
		return returnsView{}
	}
	rv := returnsView{desc: oneLine(resp.Description)}
	if len(resp.Fields) > 0 {
		rv.kind = returnsTable
		for _, f := range resp.Fields {
			rv.fields = append(rv.fields, displayField{name: oneLine(f.Name), key: oneLine(f.Path), typ: oneLine(f.Type), desc: oneLine(f.Description)})
		}
		return rv
	}
	s := decodeSchema(resp.Schema)
	switch {
	case s == nil:
		return returnsView{}
	case isDynamic(s):
		rv.kind = returnsDynamic
	case d.schemas.refName(s) != "":
		rv.kind, rv.label, rv.ref = returnsRef, "Body", oneLine(d.schemas.refName(s))
	default:
		if fields := d.schemas.fields(s); len(fields) > 0 {
			rv.kind, rv.fields = returnsTable, fields
		} else {
			rv.kind, rv.label, rv.typ = returnsType, "response", d.schemas.typeName(s, 0)
		}
	}
	return rv
}

// definitions lists the connector's definitions: objects first, then
// primitive ones, each group by name.
func (d *pageData) definitions() []defView {
	names := make([]string, 0, len(d.schemas.defs))
	for name := range d.schemas.defs {
		if oneLine(name) != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var objects, prims []defView
	anchors := uniqueAnchors{}
	for _, name := range names {
		s := d.schemas.def(name)
		if s == nil {
			continue
		}
		desc, _ := s["description"].(string)
		dv := defView{name: oneLine(name), desc: oneLine(desc)}
		dv.anchor = anchors.take(strings.ToLower(dv.name))
		if fields := d.schemas.fields(s); len(fields) > 0 {
			dv.fields = fields
			objects = append(objects, dv)
		} else {
			dv.primitive = d.schemas.typeName(s, 0)
			prims = append(prims, dv)
		}
	}
	return append(objects, prims...)
}

// defAnchor finds the anchor of a definition by name.
func (d *pageData) defAnchor(name string) string {
	for _, dv := range d.defs {
		if dv.name == name {
			return dv.anchor
		}
	}
	return ""
}

// clone returns a deep copy of the expected connector, so callers cannot
// change what the server renders.
func clone(c *catalog.Connector) *catalog.Connector {
	data, err := json.Marshal(c)
	if err != nil {
		return nil
	}
	var out catalog.Connector
	if json.Unmarshal(data, &out) != nil {
		return nil
	}
	return &out
}
