package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/connex-dev/connex/internal/lazyre"
)

// suffixedID is an id set apart from another by a suffix.
var suffixedID = lazyre.New(`-(\d+|custom(-\d+)?)$`)

// Source precedence, highest first (the table in the package doc).
var (
	rankID      = []string{SourceSite, SourceList, SourceAPI, SourceDefinition, SourceSample}
	rankDocs    = []string{SourceSite, SourceList, SourceAPI, SourceDefinition, SourceSample}
	rankListing = []string{SourceAPI, SourceSite, SourceList, SourceDefinition, SourceSample}
	rankDef     = []string{SourceAPI, SourceDefinition, SourceSample, SourceSite, SourceList}
	rankBrand   = []string{SourceDefinition, SourceAPI, SourceSite, SourceList, SourceSample}
)

// sourceKinds are the Sources keys that record where a whole source was
// read (the other keys record one field's provenance).
var sourceKinds = map[string]bool{SourceSite: true, SourceList: true, SourceAPI: true, SourceDefinition: true, SourceSample: true}

// rank is the position of kind in order, higher is better; unknown kinds
// rank lowest.
func rank(order []string, kind string) int {
	for i, k := range order {
		if k == kind {
			return len(order) - i
		}
	}
	return 0
}

// Field keys of Connector.Sources (per-field provenance).
const (
	fieldID       = "id"
	fieldEndpoint = "endpoint"
)

// kinds lists the kinds of source a record was read from, sorted.
func (conn *Connector) kinds() []string {
	seen := map[string]bool{}
	var out []string
	for k, s := range conn.Sources {
		kind := s.Kind
		if kind == "" {
			kind = k
		}
		if sourceKinds[k] && !seen[kind] {
			seen[kind] = true
			out = append(out, kind)
		}
	}
	if len(out) == 0 {
		// Records from older code keyed by field group only.
		for _, s := range conn.Sources {
			if s.Kind != "" && !seen[s.Kind] {
				seen[s.Kind] = true
				out = append(out, s.Kind)
			}
		}
	}
	sort.Strings(out)
	return out
}

// fieldSource is where the record's value of a field came from: its
// per-field record, else the highest-ranked source the record was read
// from.
func (conn *Connector) fieldSource(key string, order []string) Source {
	if s, ok := conn.Sources[key]; ok && s.Kind != "" && !sourceKinds[key] {
		return s
	}
	var best Source
	for _, k := range conn.kinds() {
		if best.Kind == "" || rank(order, k) > rank(order, best.Kind) {
			best = conn.kindSource(k)
		}
	}
	return best
}

func (conn *Connector) fieldKind(key string, order []string) string {
	return conn.fieldSource(key, order).Kind
}

// kindSource is the record of where a kind of source was read.
func (conn *Connector) kindSource(kind string) Source {
	if s, ok := conn.Sources[kind]; ok {
		if s.Kind == "" {
			s.Kind = kind
		}
		return s
	}
	var best Source
	for _, s := range conn.Sources {
		if s.Kind == kind && s.At.After(best.At) || s.Kind == kind && best.Kind == "" {
			best = s
		}
	}
	return best
}

// fieldRule is one row of the precedence table.
type fieldRule struct {
	key   string
	order []string
	// has reports whether the record states the field.
	has func(c *Connector, kind string) bool
	// take copies the field from src to dst.
	take func(dst, src *Connector)
	// value is the field as JSON, to break a tie between two reads of
	// the same kind at the same time.
	value func(c *Connector) any
}

func strRule(key string, order []string, f func(c *Connector) *string) fieldRule {
	return fieldRule{key: key, order: order,
		has:   func(c *Connector, _ string) bool { return strings.TrimSpace(*f(c)) != "" },
		take:  func(dst, src *Connector) { *f(dst) = *f(src) },
		value: func(c *Connector) any { return *f(c) }}
}

// sliceRule covers fields whose zero value is empty (slices, structs).
func sliceRule[T any](key string, order []string, f func(c *Connector) *T, empty func(T) bool) fieldRule {
	return fieldRule{key: key, order: order,
		has:   func(c *Connector, _ string) bool { return !empty(*f(c)) },
		take:  func(dst, src *Connector) { *f(dst) = *f(src) },
		value: func(c *Connector) any { return *f(c) }}
}

// siteBool: the site and its list state these flags (false too); other
// sources only when they set them.
func siteBool(key string, f func(c *Connector) *bool) fieldRule {
	return fieldRule{key: key, order: rankDocs,
		has:   func(c *Connector, kind string) bool { return *f(c) || siteKind(kind) },
		take:  func(dst, src *Connector) { *f(dst) = *f(src) },
		value: func(c *Connector) any { return *f(c) }}
}

// siteKind reports the reference site's kinds of source: a crawl of its
// pages, or its connector list read from a file.
func siteKind(kind string) bool { return kind == SourceSite || kind == SourceList }

func isEmpty[T any](v []T) bool { return len(v) == 0 }

var fieldRules = []fieldRule{
	strRule("name", rankDocs, func(c *Connector) *string { return &c.Name }),
	strRule("description", rankDocs, func(c *Connector) *string { return &c.Description }),
	strRule("docs_url", rankDocs, func(c *Connector) *string { return &c.DocsURL }),
	strRule("icon_url", rankDocs, func(c *Connector) *string { return &c.IconURL }),
	siteBool("preview", func(c *Connector) *bool { return &c.Preview }),
	siteBool("deprecated", func(c *Connector) *bool { return &c.Deprecated }),
	sliceRule("products", rankDocs, func(c *Connector) *[]Product { return &c.Products }, isEmpty[Product]),
	strRule("regions_note", rankDocs, func(c *Connector) *string { return &c.RegionsNote }),
	sliceRule("categories", rankDocs, func(c *Connector) *[]string { return &c.Categories }, isEmpty[string]),
	strRule("website", rankDocs, func(c *Connector) *string { return &c.Website }),
	strRule("privacy_policy", rankDocs, func(c *Connector) *string { return &c.PrivacyPolicy }),
	sliceRule("contact", rankDocs, func(c *Connector) *Contact { return &c.Contact }, func(v Contact) bool { return v.IsZero() }),
	strRule("page_revision", rankDocs, func(c *Connector) *string { return &c.PageRevision }),
	sliceRule("sections", rankDocs, func(c *Connector) *[]Section { return &c.Sections }, isEmpty[Section]),
	sliceRule("throttling", rankDocs, func(c *Connector) *[]Limit { return &c.Throttling }, isEmpty[Limit]),
	sliceRule("limits", rankDocs, func(c *Connector) *[]Limit { return &c.Limits }, isEmpty[Limit]),
	sliceRule("known_issues", rankDocs, func(c *Connector) *[]KnownIssue { return &c.KnownIssues }, isEmpty[KnownIssue]),

	sliceRule("tier", rankListing, func(c *Connector) *Tier { return &c.Tier }, func(v Tier) bool { return v == TierUnknown }),
	strRule("publisher", rankListing, func(c *Connector) *string { return &c.Publisher }),
	sliceRule("publisher_kind", rankListing, func(c *Connector) *PublisherKind { return &c.PublisherKind }, func(v PublisherKind) bool { return v == PublisherUnknown }),
	sliceRule("capabilities", rankListing, func(c *Connector) *[]string { return &c.Capabilities }, isEmpty[string]),

	{key: fieldEndpoint, order: rankDef,
		has: func(c *Connector, _ string) bool { return c.Host != "" || c.BasePath != "" },
		take: func(dst, src *Connector) {
			dst.Host, dst.BasePath, dst.Schemes, dst.ViaConnection = src.Host, src.BasePath, src.Schemes, src.ViaConnection
		},
		value: func(c *Connector) any { return []any{c.Host, c.BasePath, c.Schemes, c.ViaConnection} }},
	strRule("version", rankDef, func(c *Connector) *string { return &c.Version }),
	sliceRule("auth_types", rankDef, func(c *Connector) *[]AuthType { return &c.AuthTypes }, isEmpty[AuthType]),

	strRule("brand_color", rankBrand, func(c *Connector) *string { return &c.BrandColor }),
	strRule("folder", rankBrand, func(c *Connector) *string { return &c.Folder }),
}

// pick decides which of two records gives a field: the one that states it;
// of two, the higher-ranked source, then the newer read, then (two reads
// of one kind at one time) the larger JSON value, so that the choice never
// depends on which record is a and which is b.
func pick(r fieldRule, a, b *Connector) (*Connector, Source) {
	sa, sb := a.fieldSource(r.key, r.order), b.fieldSource(r.key, r.order)
	ha, hb := r.has(a, sa.Kind), r.has(b, sb.Kind)
	switch {
	case !ha && !hb:
		return nil, Source{}
	case !hb:
		if supersedes(b, sa) {
			return nil, Source{} // the source that gave it no longer does
		}
		return a, sa
	case !ha:
		if supersedes(a, sb) {
			return nil, Source{}
		}
		return b, sb
	}
	if ra, rb := rank(r.order, sa.Kind), rank(r.order, sb.Kind); ra != rb {
		if ra > rb {
			return a, sa
		}
		return b, sb
	}
	if !sa.At.Equal(sb.At) {
		if sa.At.After(sb.At) {
			return a, sa
		}
		return b, sb
	}
	if tieBreak(r.value(a), r.value(b)) >= 0 {
		return a, sa
	}
	return b, sb
}

// supersedes reports whether c holds a newer read of the source that gave
// a value (s): a value that newer read does not state is gone from that
// source (a refresh where the page dropped its known issues).
func supersedes(c *Connector, s Source) bool {
	if s.Kind == "" {
		return false
	}
	cs := c.kindSource(s.Kind)
	return cs.Kind != "" && cs.At.After(s.At)
}

// supersededKinds are the kinds of source that b holds a newer read of
// than a.
func supersededKinds(a, b *Connector) map[string]bool {
	out := map[string]bool{}
	for _, k := range a.kinds() {
		if supersedes(b, a.kindSource(k)) {
			out[k] = true
		}
	}
	return out
}

func tieBreak(a, b any) int {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Compare(ja, jb)
}

// MergeConnector combines two records of one connector, field by field as
// the package doc's table says. The result does not depend on which record
// is cur and which is in; neither input is changed.
func MergeConnector(cur, in *Connector) *Connector {
	out := &Connector{}
	kinds := mergeKinds(cur, in)
	multi := len(kinds) > 1
	out.Sources = make(map[string]Source, len(kinds)+len(fieldRules)+1)
	for _, k := range kinds {
		a, b := cur.kindSource(k), in.kindSource(k)
		switch {
		case a.Kind == "":
			out.Sources[k] = b
		case b.Kind == "":
			out.Sources[k] = a
		case b.At.After(a.At) || b.At.Equal(a.At) && b.Ref > a.Ref:
			out.Sources[k] = b
		default:
			out.Sources[k] = a
		}
	}
	record := func(key string, s Source) {
		if multi && s.Kind != "" {
			out.Sources[key] = Source{Kind: s.Kind, At: s.At}
		}
	}
	// Id: the highest-ranked source's; the other becomes an alias.
	idFrom, idSrc := pick(fieldRule{key: fieldID, order: rankID,
		has:   func(c *Connector, _ string) bool { return c.ID != "" },
		value: func(c *Connector) any { return c.ID }}, cur, in)
	if idFrom != nil {
		out.ID = idFrom.ID
		record(fieldID, idSrc)
	}
	var aliases []string
	for _, id := range []string{cur.ID, in.ID} {
		// An id set apart by a suffix (jira-2, x-custom) names nothing.
		if !suffixedID.MatchString(id) {
			aliases = append(aliases, id)
		}
	}
	aliases = append(append(aliases, cur.Aliases...), in.Aliases...)
	for _, r := range fieldRules {
		from, src := pick(r, cur, in)
		if from == nil {
			continue
		}
		r.take(out, from)
		record(r.key, src)
	}
	out.AuthTypes = completeAuth(out.AuthTypes, cur, in)
	// The other record's display name still finds the connector (and lets
	// a later source that uses it join). Every name that is not the
	// connector's name now is kept, even one that folds alike ("Maximizer
	// (deprecated)" beside "Maximizer"): a later source may rename the
	// connector, and the names it keeps must not depend on which source
	// came first.
	for _, n := range []string{cur.Name, in.Name} {
		if n = strings.TrimSpace(n); n != "" && n != strings.TrimSpace(out.Name) {
			aliases = append(aliases, n)
		}
	}
	// The folder finds the connector as it is (aliasKeys); a folder it
	// had before is kept as an alias.
	for _, f := range []string{cur.Folder, in.Folder} {
		if f != "" && !strings.EqualFold(f, out.Folder) {
			aliases = append(aliases, f)
		}
	}
	// A name alias that is the connector's name now says nothing.
	named := aliases[:0]
	for _, a := range aliases {
		if a == strings.ToLower(a) && !strings.ContainsAny(a, " ()") || a != strings.TrimSpace(out.Name) {
			named = append(named, a)
		}
	}
	out.Aliases = normAliases(out.ID, named)
	out.Definitions = mergeDefinitions(cur, in)
	if len(out.Definitions) > 0 {
		if s := definitionsSource(cur, in); s.Kind != "" {
			record(fieldDefinitions, s)
		}
	}
	out.Operations = mergeOperations(cur, in)
	if !multi {
		// One kind of source: From says nothing the record does not, and
		// re-reading a source leaves its connectors as that source made
		// them.
		for i, op := range out.Operations {
			if len(op.From) > 0 {
				c := *op
				c.From = nil
				out.Operations[i] = &c
			}
		}
	}
	return out
}

// mergeKinds is the union of both records' kinds of source.
func mergeKinds(a, b *Connector) []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range append(a.kinds(), b.kinds()...) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// completeAuth gives the chosen auth types the Auth ID, applicability and
// shareability that only the site (and, for the id, the API) states, when
// they lack them, from either record's matching entry (same id, or same
// name folded).
func completeAuth(list []AuthType, a, b *Connector) []AuthType {
	if len(list) == 0 {
		return list
	}
	out := make([]AuthType, len(list))
	copy(out, list)
	others := append(append([]AuthType(nil), a.AuthTypes...), b.AuthTypes...)
	// Of several candidates the smallest value, so the order of the
	// records does not matter.
	fill := func(dst *string, v string) {
		if v != "" && (*dst == "" || v < *dst) {
			*dst = v
		}
	}
	for i := range out {
		var id, applicable, shareable string
		for _, o := range others {
			same := o.ID != "" && strings.EqualFold(o.ID, out[i].ID) || FoldTitle(o.Name) != "" && FoldTitle(o.Name) == FoldTitle(out[i].Name)
			if !same {
				continue
			}
			fill(&id, o.ID)
			fill(&applicable, o.Applicable)
			fill(&shareable, o.Shareable)
		}
		if out[i].ID == "" {
			out[i].ID = id
		}
		if out[i].Applicable == "" {
			out[i].Applicable = applicable
		}
		if out[i].Shareable == "" {
			out[i].Shareable = shareable
		}
	}
	return out
}

// fieldDefinitions is the Sources key of Definitions' provenance.
const fieldDefinitions = "definitions"

// defsKind is the kind of source of a record's named schemas.
func defsKind(c *Connector) Source {
	if len(c.Definitions) == 0 {
		return Source{}
	}
	return c.fieldSource(fieldDefinitions, rankDef)
}

// definitionsSource is the provenance recorded for the merged schemas.
func definitionsSource(a, b *Connector) Source {
	sa, sb := defsKind(a), defsKind(b)
	if rank(rankDef, sb.Kind) > rank(rankDef, sa.Kind) || sa.Kind == "" {
		return sb
	}
	return sa
}

// mergeDefinitions unites the named schemas of the definition sources
// (API reply, definitions folder): an operation kept from one of them may
// refer to its own. On a name both have, the higher-ranked source wins.
// The site's schemas (tables read back from a page) are used only when no
// definition source has any.
func mergeDefinitions(a, b *Connector) map[string]json.RawMessage {
	sa, sb := defsKind(a), defsKind(b)
	siteOnly := func(s Source) bool { return s.Kind == SourceSite }
	switch {
	case len(a.Definitions) == 0 && len(b.Definitions) == 0:
		return nil
	case len(b.Definitions) == 0:
		return a.Definitions
	case len(a.Definitions) == 0:
		return b.Definitions
	case siteOnly(sb) && !siteOnly(sa):
		return a.Definitions
	case siteOnly(sa) && !siteOnly(sb):
		return b.Definitions
	case siteOnly(sa) && siteOnly(sb):
		if sb.At.After(sa.At) {
			return b.Definitions
		}
		return a.Definitions
	}
	hi, lo := a, b
	ra, rb := rank(rankDef, sa.Kind), rank(rankDef, sb.Kind)
	if rb > ra || rb == ra && sb.At.After(sa.At) {
		hi, lo = b, a
	}
	out := make(map[string]json.RawMessage, len(hi.Definitions)+len(lo.Definitions))
	for k, v := range lo.Definitions {
		out[k] = v
	}
	for k, v := range hi.Definitions {
		if old, ok := out[k]; ok && ra == rb && sa.At.Equal(sb.At) && bytes.Compare(old, v) > 0 {
			continue // same rank, same time: the larger value, whatever the order
		}
		out[k] = v
	}
	return out
}

// opKinds is the operation's From, or, for an operation of a record made
// before From existed, the kind its record gives operations of its shape.
func opKinds(conn *Connector, op *Operation) []string {
	if len(op.From) > 0 {
		return op.From
	}
	kinds := conn.kinds()
	if len(kinds) <= 1 {
		return kinds
	}
	// An older merged record: an operation with a method came from a
	// definition, one without from the site.
	var best string
	for _, k := range kinds {
		if op.Method == "" && k == SourceSite {
			return []string{SourceSite}
		}
		if !siteKind(k) && (best == "" || rank(rankDef, k) > rank(rankDef, best)) {
			best = k
		}
	}
	if best == "" {
		return []string{SourceSite}
	}
	return []string{best}
}

func topKind(kinds []string, order []string) string {
	var best string
	for _, k := range kinds {
		if best == "" || rank(order, k) > rank(order, best) {
			best = k
		}
	}
	return best
}

func unionSorted(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range append(append([]string(nil), a...), b...) {
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// opRec is an operation with its kinds and its position in its record.
type opRec struct {
	op      *Operation
	from    []string
	pos     int
	inNew   bool // from the second record
	matched bool // described by both records
}

// without is kinds minus the set.
// dropSources takes the kinds in gone out of the record's sources. It
// reports false when no source is left: the operation is gone.
func (r *opRec) dropSources(gone map[string]bool) bool {
	if len(gone) == 0 {
		return true
	}
	r.from = without(r.from, gone)
	if len(r.from) == 0 {
		return false
	}
	if len(r.op.From) > 0 {
		c := *r.op
		c.From = r.from
		r.op = &c
	}
	return true
}

func without(kinds []string, drop map[string]bool) []string {
	var out []string
	for _, k := range kinds {
		if !drop[k] {
			out = append(out, k)
		}
	}
	return out
}

// mergeOperations unites both records' operations by id (exact, else
// case-insensitive), never dropping one. Each operation's text comes from
// the highest-ranked kind that describes it for text, its definition from
// the highest-ranked for definitions (see the package doc); both are taken
// whole from that source, so no order of merges can mix them differently.
// The list is grouped by the source that gives the definition (API, then
// definitions, then site), each group in that source's order.
func mergeOperations(a, b *Connector) []*Operation {
	if len(a.Operations) == 0 && len(b.Operations) == 0 {
		return nil
	}
	recs := make([]*opRec, 0, len(a.Operations))
	byID := map[string]*opRec{}
	byFold := map[string][]*opRec{}
	for i, op := range a.Operations {
		if op == nil {
			continue
		}
		r := &opRec{op: op, from: opKinds(a, op), pos: i}
		if _, dup := byID[op.ID]; dup {
			continue
		}
		recs = append(recs, r)
		byID[op.ID] = r
		byFold[strings.ToLower(op.ID)] = append(byFold[strings.ToLower(op.ID)], r)
	}
	// Kinds of source one record holds a newer read of than the other.
	newerB, newerA := supersededKinds(a, b), supersededKinds(b, a)
	var added []*opRec
	for i, op := range b.Operations {
		if op == nil {
			continue
		}
		from := opKinds(b, op)
		prev := byID[op.ID]
		if prev == nil && len(byFold[strings.ToLower(op.ID)]) == 1 {
			prev = byFold[strings.ToLower(op.ID)][0]
		}
		if prev == nil {
			r := &opRec{op: op, from: from, pos: i, inNew: true}
			byID[op.ID] = r
			added = append(added, r)
			continue
		}
		if prev.inNew {
			continue // a duplicate id within b
		}
		merged := mergeOperation(prev.op, prev.from, op, from, newerB, newerA)
		prev.op, prev.from, prev.matched = merged, merged.From, true
		// The operation now sits in the group of the source that gives
		// its definition: b's order when that is b's kind.
		if topKind(from, rankDef) == topKind(merged.From, rankDef) {
			prev.pos, prev.inNew = i, true
		}
	}
	// An operation a newer read of its only source no longer has is gone;
	// one other sources still describe stays, without that source.
	goneA, goneB := newerB, newerA
	kept := recs[:0]
	for _, r := range recs {
		if !r.inNew && !r.matched && !r.dropSources(goneA) {
			continue
		}
		kept = append(kept, r)
	}
	recs = kept
	keptAdded := added[:0]
	for _, r := range added {
		if !r.dropSources(goneB) {
			continue
		}
		keptAdded = append(keptAdded, r)
	}
	added = keptAdded
	recs = append(recs, added...)
	for _, r := range recs {
		if len(r.op.From) == 0 && len(r.from) > 0 {
			c := *r.op
			c.From = append([]string(nil), r.from...)
			r.op = &c
		}
	}
	sort.SliceStable(recs, func(i, j int) bool {
		ki, kj := rank(rankDef, topKind(recs[i].from, rankDef)), rank(rankDef, topKind(recs[j].from, rankDef))
		if ki != kj {
			return ki > kj
		}
		// Within a group, the source's own order: records of one group
		// all come from one source, except after a re-read of the same
		// kind, where the newer read's order comes first.
		if recs[i].inNew != recs[j].inNew {
			return recs[i].inNew
		}
		if recs[i].pos != recs[j].pos {
			return recs[i].pos < recs[j].pos
		}
		return recs[i].op.ID < recs[j].op.ID
	})
	out := make([]*Operation, 0, len(recs))
	for _, r := range recs {
		out = append(out, r.op)
	}
	return out
}

// mergeOperation combines two records of one operation.
// newerB and newerA are the kinds of source that b (a) holds a newer read
// of: on a tie, the newer read gives the part.
func mergeOperation(a *Operation, fa []string, b *Operation, fb []string, newerB, newerA map[string]bool) *Operation {
	from := unionSorted(fa, fb)
	prefersB := func(order []string) bool {
		ka, kb := topKind(fa, order), topKind(fb, order)
		ra, rb := rank(order, ka), rank(order, kb)
		switch {
		case ra != rb:
			return rb > ra
		case newerB[kb]:
			return true
		case newerA[ka]:
			return false
		}
		return opTie(b, a)
	}
	// The definition part.
	base := a
	if prefersB(rankDef) {
		base = b
	}
	out := *base
	// The text part.
	text := a
	if prefersB(rankDocs) {
		text = b
	}
	out.Name, out.Description, out.ReplacedBy, out.ReplacedByConnector, out.Anchor =
		text.Name, text.Description, text.ReplacedBy, text.ReplacedByConnector, text.Anchor
	out.Deprecated = a.Deprecated || b.Deprecated
	out.Preview = a.Preview || b.Preview
	out.Dynamic = a.Dynamic || b.Dynamic
	out.From = from
	return &out
}

// opTie breaks a tie between two reads of one kind: the larger JSON wins,
// so the choice does not depend on the order.
func opTie(b, a *Operation) bool {
	return tieBreak(b, a) > 0
}

// EndpointChange is a connector whose host, base path or scheme a merge
// changed: a trust decision (a source claimed the connector by its name
// or id), so the importer prints it.
type EndpointChange struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	OldScheme   string `json:"old_scheme"`
	OldHost     string `json:"old_host"`
	OldBasePath string `json:"old_base_path,omitempty"`
	NewScheme   string `json:"new_scheme"`
	NewHost     string `json:"new_host"`
	NewBasePath string `json:"new_base_path,omitempty"`
	// Downgrade is true when the scheme went from https to http.
	Downgrade bool `json:"downgrade,omitempty"`
	// Match says how the incoming record was matched (id, alias, name,
	// endpoint).
	Match string `json:"match"`
}

// String is one line for the import summary.
func (e EndpointChange) String() string {
	s := fmt.Sprintf("%s: host %s://%s%s -> %s://%s%s (matched by %s)", e.ID, e.OldScheme, e.OldHost, e.OldBasePath,
		e.NewScheme, e.NewHost, e.NewBasePath, e.Match)
	if e.Downgrade {
		s += "; https downgraded to http"
	}
	return s
}

// Rename is a connector whose id a merge changed (the site's id replaced
// one derived from a definitions folder, or a custom connector moved aside
// for a Microsoft one of the same id).
type Rename struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Name  string `json:"name"`
	Match string `json:"match,omitempty"`
}

// MergeSummary is what a merge did: the import summary prints it.
type MergeSummary struct {
	Added   int      `json:"added"`   // new connectors
	Merged  int      `json:"merged"`  // records joined to a connector already there
	Renamed []Rename `json:"renamed"` // connectors whose id changed
	// EndpointChanges are connectors whose host or scheme changed.
	EndpointChanges []EndpointChange `json:"endpoint_changes"`
	// Unlisted are the connectors known from the connector list alone
	// that a newer read of the list no longer has: they were removed.
	Unlisted []string `json:"unlisted"`
}

// Scheme is the scheme a call to the connector uses: https when it offers
// https or declares none, else its first scheme.
func (conn *Connector) Scheme() string {
	if len(conn.Schemes) == 0 {
		return "https"
	}
	for _, s := range conn.Schemes {
		if strings.EqualFold(s, "https") {
			return "https"
		}
	}
	if s := strings.ToLower(conn.Schemes[0]); s == "http" {
		return s
	}
	return "https"
}

func endpointChange(old, cur *Connector, how string) (EndpointChange, bool) {
	if old.Host == "" {
		return EndpointChange{}, false
	}
	oh, nh := strings.ToLower(old.Host), strings.ToLower(cur.Host)
	if oh == nh && old.Scheme() == cur.Scheme() && old.BasePath == cur.BasePath {
		return EndpointChange{}, false
	}
	return EndpointChange{ID: cur.ID, Name: cur.Name, Match: how,
		OldScheme: old.Scheme(), OldHost: old.Host, OldBasePath: old.BasePath,
		NewScheme: cur.Scheme(), NewHost: cur.Host, NewBasePath: cur.BasePath,
		Downgrade: old.Scheme() == "https" && cur.Scheme() == "http"}, true
}

// customSuffix sets a custom connector apart from a Microsoft or partner
// connector of the same id.
const customSuffix = "-custom"

// Merge adds the connectors of other to c, one connector per real
// connector: each incoming record joins the connector it matches (see the
// package doc: id, alias, name, endpoint) field by field as the
// precedence table says, or is added. The result does not depend on the
// order in which sources are merged. It returns what changed, including
// every connector whose host or scheme changed (print it: a source that
// claims a connector's name could move it).
func (c *Catalog) Merge(other *Catalog) MergeSummary {
	sum := MergeSummary{Renamed: []Rename{}, EndpointChanges: []EndpointChange{}, Unlisted: []string{}}
	ix := newIdentityIndex(c.Connectors)
	// Records are replaced, never changed in place: a previous catalogue
	// may share them.
	pos := make(map[*Connector]int, len(c.Connectors))
	for i, conn := range c.Connectors {
		pos[conn] = i
	}
	ix.batch = map[*Connector]bool{}
	replace := func(old, conn *Connector) {
		if ix.batch[old] {
			delete(ix.batch, old)
			ix.batch[conn] = true
		}
		ix.remove(old)
		i := pos[old]
		delete(pos, old)
		c.Connectors[i], pos[conn] = conn, i
		ix.add(conn)
	}
	// join merges in into base (MergeConnector(base, in)), notes an
	// endpoint change, and puts the result in the place of the record that
	// stays: base, unless gone is base, then in. gone (nil: none, in is
	// not in the catalogue yet) leaves the catalogue.
	join := func(base, in, gone *Connector, how string) *Connector {
		joined := MergeConnector(base, in)
		if ch, ok := endpointChange(base, joined, how); ok {
			sum.EndpointChanges = append(sum.EndpointChanges, ch)
		}
		stay := base
		if gone != nil {
			if gone == base {
				stay = in
			}
			ix.remove(gone)
			c.Connectors[pos[gone]] = nil
			delete(pos, gone)
		}
		return c.settle(ix, stay, joined, replace, &sum)
	}
	incoming := append([]*Connector(nil), other.Connectors...)
	ix.reserved = make(map[string]bool, len(incoming))
	for _, in := range incoming {
		if in != nil {
			ix.reserved[strings.ToLower(in.ID)] = true
		}
	}
	sort.SliceStable(incoming, func(i, j int) bool { return incoming[i].ID < incoming[j].ID })
	for _, in := range incoming {
		if in == nil {
			continue
		}
		// A custom connector never takes the id of another one.
		if holder := ix.byID[strings.ToLower(in.ID)]; holder != nil && !sameCustomness(holder, in) {
			if in.isCustom() {
				cp := *in
				cp.ID = c.freeID(ix, in.ID+customSuffix, true)
				in = &cp
			} else {
				moved := *holder
				moved.ID = c.freeID(ix, holder.ID+customSuffix, false)
				moved.Aliases = normAliases(moved.ID, moved.Aliases)
				replace(holder, &moved)
				sum.Renamed = append(sum.Renamed, Rename{From: holder.ID, To: moved.ID, Name: moved.Name, Match: MatchID})
			}
		}
		cur, how := ix.match(in)
		var r *Connector
		if cur == nil {
			cp := *in
			cp.Aliases = normAliases(cp.ID, cp.Aliases)
			r = &cp
			if holder := ix.byID[strings.ToLower(r.ID)]; holder != nil {
				// The same id, but not the same connector (names differ):
				// the one whose id is only derived from a title moves.
				if r.idAuthoritative() && !holder.idAuthoritative() {
					moved := *holder
					moved.ID = c.freeID(ix, holder.ID, false)
					replace(holder, &moved)
					sum.Renamed = append(sum.Renamed, Rename{From: holder.ID, To: moved.ID, Name: moved.Name, Match: MatchID})
				} else {
					r.ID = c.freeID(ix, r.ID, false)
				}
			}
			pos[r] = len(c.Connectors)
			c.Connectors = append(c.Connectors, r)
			ix.add(r)
			sum.Added++
		} else {
			sum.Merged++
			r = join(cur, in, nil, how)
			if r.ID != cur.ID {
				sum.Renamed = append(sum.Renamed, Rename{From: cur.ID, To: r.ID, Name: r.Name, Match: how})
			}
		}
		// A merge may make the connector recognisable to another one
		// already here (a name or folder it now carries): join them too,
		// so the result does not depend on which came first.
		for range len(c.Connectors) {
			m, how := ix.matchExcept(r, r)
			if m == nil {
				break
			}
			joined := join(m, r, m, how)
			for _, old := range []*Connector{m, r} {
				if old.ID != joined.ID {
					sum.Renamed = append(sum.Renamed, Rename{From: old.ID, To: joined.ID, Name: joined.Name, Match: how})
				}
			}
			r = joined
		}
		ix.batch[r] = true
	}
	// The records of the merged catalogue are all placed; the passes below
	// match connectors of the catalogue with each other.
	ix.batch = nil
	// Connectors known only from definitions are matched again, as if
	// they had come last: a site or API record that arrived after them
	// may be theirs.
	var derived []*Connector
	for _, conn := range c.Connectors {
		if conn != nil && !conn.idAuthoritative() {
			derived = append(derived, conn)
		}
	}
	sort.Slice(derived, func(i, j int) bool { return derived[i].ID < derived[j].ID })
	for _, d := range derived {
		if _, live := pos[d]; !live {
			continue
		}
		m, how := ix.matchExcept(d, d)
		if m == nil || !m.idAuthoritative() {
			continue
		}
		joined := join(m, d, d, how)
		sum.Renamed = append(sum.Renamed, Rename{From: d.ID, To: joined.ID, Name: joined.Name, Match: how})
	}
	listAt, hasList := other.listRead()
	kept := c.Connectors[:0]
	for _, conn := range c.Connectors {
		if conn == nil {
			continue
		}
		if hasList && conn.unlisted(listAt) {
			sum.Unlisted = append(sum.Unlisted, conn.ID)
			continue
		}
		kept = append(kept, conn)
	}
	c.Connectors = kept
	c.dropIDAliases()
	for _, o := range other.Origins {
		c.AddOrigin(o)
	}
	if other.UpdatedAt.After(c.UpdatedAt) {
		c.UpdatedAt = other.UpdatedAt
	}
	c.Sample = c.Sample && other.Sample
	c.Reindex()
	sort.Slice(sum.Renamed, func(i, j int) bool { return sum.Renamed[i].From < sum.Renamed[j].From })
	sort.Slice(sum.EndpointChanges, func(i, j int) bool { return sum.EndpointChanges[i].ID < sum.EndpointChanges[j].ID })
	sort.Strings(sum.Unlisted)
	return sum
}

// listRead is when the catalogue's latest connector list was read, if it
// holds one.
func (c *Catalog) listRead() (time.Time, bool) {
	var at time.Time
	found := false
	for _, o := range c.Origins {
		if o.Kind == SourceList && (!found || o.At.After(at)) {
			at, found = o.At, true
		}
	}
	return at, found
}

// unlisted reports a connector known from the connector list alone whose
// list entry is older than a list read at at: that list no longer has it,
// and nothing else describes it, so it is gone (as a refresh drops a
// connector known from the site alone that the list page no longer has).
// A connector another source describes stays as its merge made it: the
// list is the site's word on names, products and flags, not on whether
// the API or a definitions folder still has the connector.
func (conn *Connector) unlisted(at time.Time) bool {
	kinds := conn.kinds()
	return len(kinds) == 1 && kinds[0] == SourceList && conn.kindSource(SourceList).At.Before(at)
}

// settle puts merged in the place of cur. When its id is held by another
// connector whose id is only derived from a definitions title, that one
// moves to a free id (its names differ, or it would have matched).
func (c *Catalog) settle(ix *identityIndex, cur, merged *Connector, replace func(old, conn *Connector), sum *MergeSummary) *Connector {
	if holder := ix.byID[strings.ToLower(merged.ID)]; holder != nil && holder != cur {
		if !holder.idAuthoritative() {
			moved := *holder
			ix.remove(holder)
			moved.ID = c.freeID(ix, holder.ID, false)
			ix.add(holder)
			replace(holder, &moved)
			sum.Renamed = append(sum.Renamed, Rename{From: holder.ID, To: moved.ID, Name: moved.Name, Match: MatchID})
		} else {
			ix.remove(cur)
			merged.ID = c.freeID(ix, merged.ID, false)
			ix.add(cur)
		}
	}
	replace(cur, merged)
	return merged
}

// dropIDAliases removes aliases that are another connector's id: an id
// always finds its own connector, and which ids a connector once had
// should not depend on the order of the merges.
func (c *Catalog) dropIDAliases() {
	ids := make(map[string]bool, len(c.Connectors))
	for _, conn := range c.Connectors {
		ids[strings.ToLower(conn.ID)] = true
	}
	for i, conn := range c.Connectors {
		drop := false
		for _, a := range conn.Aliases {
			if idAliasOfOther(a, conn.ID, ids) {
				drop = true
				break
			}
		}
		if !drop {
			continue
		}
		cp := *conn
		cp.Aliases = nil
		for _, a := range conn.Aliases {
			if !idAliasOfOther(a, conn.ID, ids) {
				cp.Aliases = append(cp.Aliases, a)
			}
		}
		c.Connectors[i] = &cp
	}
}

// idAliasOfOther reports an id-like alias (lower case, no spaces) that is
// some connector's id. A display name another source gave ("Quuxly" on a
// connector the site now calls otherwise) is kept even when it folds to an
// id: it is what lets a definitions record with that title join, whichever
// source came first.
func idAliasOfOther(a, id string, ids map[string]bool) bool {
	if a != strings.ToLower(a) || strings.ContainsAny(a, " ()") {
		return false
	}
	return ids[strings.ToLower(a)]
}

// freeID is id, or id-2, id-3... whichever no connector holds (with
// custom, a custom connector may hold it: the same one, read again) and
// no record of the merge in progress brings: otherwise a record moved
// aside could take the id of a record still to come and be joined with
// it, and the ids given would depend on the order of the sources.
func (c *Catalog) freeID(ix *identityIndex, id string, custom bool) string {
	try := id
	taken := func(try string) bool {
		k := strings.ToLower(try)
		if h := ix.byID[k]; h != nil {
			return !(custom && h.isCustom())
		}
		return try != id && ix.reserved[k]
	}
	for n := 2; taken(try); n++ {
		try = fmt.Sprintf("%s-%d", id, n)
	}
	return try
}
