package catalog

import (
	"errors"
	"sort"
	"strings"
	"unicode"
)

// Sentinel errors, matched with errors.Is at the edges.
var (
	ErrNoCatalog       = errors.New("no catalogue yet")
	ErrNewerVersion    = errors.New("snapshot written by a newer connex")
	ErrCorruptSnapshot = errors.New("snapshot is corrupt")
)

// Stats are the catalogue's counts.
type Stats struct {
	Connectors int `json:"connectors"`
	Operations int `json:"operations"`
	Actions    int `json:"actions"`
	Triggers   int `json:"triggers"`
	Parameters int `json:"parameters"`
}

// Stats counts connectors, operations and parameters.
func (c *Catalog) Stats() Stats {
	var s Stats
	s.Connectors = len(c.Connectors)
	for _, conn := range c.Connectors {
		for _, op := range conn.Operations {
			s.Operations++
			if op.Kind == KindTrigger {
				s.Triggers++
			} else {
				s.Actions++
			}
			s.Parameters += len(op.Parameters)
		}
	}
	return s
}

// Reindex sorts connectors by id and rebuilds the lookup table. Call it after
// changing Connectors directly.
func (c *Catalog) Reindex() {
	sort.Slice(c.Connectors, func(i, j int) bool { return c.Connectors[i].ID < c.Connectors[j].ID })
	c.byID = make(map[string]*Connector, len(c.Connectors))
	for _, conn := range c.Connectors {
		c.byID[conn.ID] = conn
	}
}

// Connector returns the connector with the given id (case-insensitive).
func (c *Catalog) Connector(id string) (*Connector, bool) {
	if c.byID == nil {
		c.Reindex()
	}
	conn, ok := c.byID[id]
	if !ok {
		conn, ok = c.byID[strings.ToLower(id)]
	}
	return conn, ok
}

// Operation finds an operation by connector id and operation id
// (the operation id is matched exactly, then case-insensitively).
func (c *Catalog) Operation(connectorID, operationID string) (*Connector, *Operation, bool) {
	conn, ok := c.Connector(connectorID)
	if !ok {
		return nil, nil, false
	}
	op := conn.Operation(operationID)
	return conn, op, op != nil
}

// Operation returns the connector's operation with that id, or nil.
func (conn *Connector) Operation(id string) *Operation {
	for _, op := range conn.Operations {
		if op.ID == id {
			return op
		}
	}
	for _, op := range conn.Operations {
		if strings.EqualFold(op.ID, id) {
			return op
		}
	}
	return nil
}

// HasProduct reports whether the connector is available in the product
// (matched case-insensitively, spaces ignored: "powerautomate" works).
func (conn *Connector) HasProduct(name string) bool {
	want := FoldName(name)
	for _, p := range conn.Products {
		if FoldName(p.Name) == want {
			return true
		}
	}
	return false
}

// ProductNamed returns the known product that a user's spelling names,
// matched like HasProduct ("powerautomate" is Power Automate).
func ProductNamed(name string) (string, bool) {
	want := FoldName(name)
	for _, p := range Products {
		if FoldName(p) == want {
			return p, true
		}
	}
	return "", false
}

// FoldName folds a name for loose matching: lower case, without spaces,
// hyphens or underscores.
func FoldName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '_' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// Merge adds the connectors of other to c. A connector already present is
// replaced when it came from the same kind of source, and its fields are
// filled in from the other kind of source otherwise (the site gives tiers
// and products, definitions give methods, paths and schemas).
func (c *Catalog) Merge(other *Catalog) {
	if c.byID == nil {
		c.Reindex()
	}
	for _, in := range other.Connectors {
		cur, ok := c.byID[in.ID]
		if !ok {
			c.Connectors = append(c.Connectors, in)
			c.byID[in.ID] = in
			continue
		}
		*cur = *MergeConnector(cur, in)
	}
	for _, o := range other.Origins {
		c.AddOrigin(o)
	}
	if other.UpdatedAt.After(c.UpdatedAt) {
		c.UpdatedAt = other.UpdatedAt
	}
	c.Sample = c.Sample && other.Sample
	c.Reindex()
}

// AddOrigin records a source, replacing an older record of the same one.
func (c *Catalog) AddOrigin(o Source) {
	for i := range c.Origins {
		if c.Origins[i].Kind == o.Kind && c.Origins[i].Ref == o.Ref {
			c.Origins[i] = o
			return
		}
	}
	c.Origins = append(c.Origins, o)
}

// MergeConnector combines two records of one connector. Fields from in win,
// except that empty fields never erase known ones, and operations from a
// definition are kept when in has only site operations without methods.
func MergeConnector(cur, in *Connector) *Connector {
	out := *in
	str := func(dst *string, old string) {
		if *dst == "" {
			*dst = old
		}
	}
	str(&out.Folder, cur.Folder)
	str(&out.Name, cur.Name)
	str(&out.Description, cur.Description)
	str(&out.Publisher, cur.Publisher)
	if out.PublisherKind == PublisherUnknown {
		out.PublisherKind = cur.PublisherKind
	}
	if out.Tier == TierUnknown {
		out.Tier = cur.Tier
	}
	if len(out.Products) == 0 {
		out.Products = cur.Products
	}
	str(&out.RegionsNote, cur.RegionsNote)
	if len(out.Categories) == 0 {
		out.Categories = cur.Categories
	}
	str(&out.Website, cur.Website)
	str(&out.PrivacyPolicy, cur.PrivacyPolicy)
	if out.Contact.IsZero() {
		out.Contact = cur.Contact
	}
	str(&out.IconURL, cur.IconURL)
	str(&out.BrandColor, cur.BrandColor)
	str(&out.DocsURL, cur.DocsURL)
	str(&out.Version, cur.Version)
	str(&out.Host, cur.Host)
	str(&out.BasePath, cur.BasePath)
	if len(out.Schemes) == 0 {
		out.Schemes = cur.Schemes
	}
	if len(out.AuthTypes) == 0 {
		out.AuthTypes = cur.AuthTypes
	}
	if len(out.Throttling) == 0 {
		out.Throttling = cur.Throttling
	}
	if len(out.Limits) == 0 {
		out.Limits = cur.Limits
	}
	if len(out.KnownIssues) == 0 {
		out.KnownIssues = cur.KnownIssues
	}
	out.Operations = mergeOperations(cur.Operations, in.Operations)
	if len(out.Definitions) == 0 {
		out.Definitions = cur.Definitions
	}
	out.Sources = make(map[string]Source, len(cur.Sources)+len(in.Sources))
	for k, v := range cur.Sources {
		out.Sources[k] = v
	}
	for k, v := range in.Sources {
		out.Sources[k] = v
	}
	return &out
}

// mergeOperations keeps every operation of both lists, matched by id; the
// newer record wins field by field where it knows the field.
func mergeOperations(cur, in []*Operation) []*Operation {
	if len(cur) == 0 {
		return in
	}
	if len(in) == 0 {
		return cur
	}
	old := make(map[string]*Operation, len(cur))
	for _, op := range cur {
		old[op.ID] = op
	}
	out := make([]*Operation, 0, len(in)+len(cur))
	seen := make(map[string]bool, len(in))
	for _, op := range in {
		seen[op.ID] = true
		if prev, ok := old[op.ID]; ok {
			merged := *op
			if merged.Method == "" {
				merged.Method, merged.Path = prev.Method, prev.Path
			}
			if len(merged.Body) == 0 {
				merged.Body = prev.Body
			}
			if len(merged.Parameters) == 0 {
				merged.Parameters = prev.Parameters
			}
			if len(merged.Responses) == 0 {
				merged.Responses = prev.Responses
			}
			if merged.Description == "" {
				merged.Description = prev.Description
			}
			op = &merged
		}
		out = append(out, op)
	}
	for _, op := range cur {
		if !seen[op.ID] {
			out = append(out, op)
		}
	}
	return out
}

// NormalizeID turns a display name into an id the way the reference site
// does for most connectors: the lower-case letters and digits of the title,
// at most 20 characters.
func NormalizeID(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			if b.Len() == 20 {
				break
			}
		}
	}
	return b.String()
}

// NormalizeName folds a display name for matching records of one connector
// from different sources: lower case, letters and digits only, no
// "(preview)" suffix.
func NormalizeName(name string) string {
	name = strings.TrimSpace(name)
	for _, suffix := range []string{"(preview)", "(Preview)", "[DEPRECATED]", "(deprecated)"} {
		name = strings.TrimSpace(strings.TrimSuffix(name, suffix))
	}
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ReferenceBase is the connector reference site's address.
const ReferenceBase = "https://learn.microsoft.com/en-us/connectors/"

// DocumentationURL is the connector's reference page: the one recorded, else
// the reference site's page for its id. Custom connectors and the samples
// have none there, so they get "".
func (conn *Connector) DocumentationURL() string {
	if conn.DocsURL != "" {
		return conn.DocsURL
	}
	if conn.PublisherKind == PublisherCustom || conn.Host == SampleHost {
		return ""
	}
	return ReferenceBase + conn.ID + "/"
}
