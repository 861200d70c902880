package catalog

import (
	"errors"
	"sort"
	"strings"
	"unicode"
)

// Sentinel errors, matched with errors.Is at the edges.
var (
	// ErrNoCatalog: there is no snapshot at the path (nothing imported
	// or refreshed yet).
	ErrNoCatalog = errors.New("no catalogue yet")
	// ErrNewerVersion: the snapshot's format is newer than this connex
	// reads; the file is left as it is.
	ErrNewerVersion = errors.New("snapshot written by a newer connex")
	// ErrCorruptSnapshot: the snapshot is damaged, or of a format too
	// old to read.
	ErrCorruptSnapshot = errors.New("snapshot is corrupt")
)

// Reindex sorts connectors by id and rebuilds the lookup table. Call it after
// changing Connectors directly.
func (c *Catalog) Reindex() {
	sort.Slice(c.Connectors, func(i, j int) bool { return c.Connectors[i].ID < c.Connectors[j].ID })
	c.byID = make(map[string]*Connector, len(c.Connectors))
	for _, conn := range c.Connectors {
		c.byID[conn.ID] = conn
	}
	c.byAlias = nil
}

// Connector returns the connector with the given id (case-insensitive),
// else the one with that alias: an earlier id, its definitions folder
// ("MailJet (Independent Publisher)") or its Power Platform API name
// (shared_mailjetip). An id always wins over another connector's alias.
func (c *Catalog) Connector(id string) (*Connector, bool) {
	if c.byID == nil {
		c.Reindex()
	}
	if conn, ok := c.byID[id]; ok {
		return conn, true
	}
	lower := strings.ToLower(strings.TrimSpace(id))
	if conn, ok := c.byID[lower]; ok {
		return conn, true
	}
	if c.byAlias == nil {
		c.indexAliases()
	}
	if conn, ok := c.byAlias[lower]; ok {
		return conn, true
	}
	if rest, ok := strings.CutPrefix(lower, APIPrefix); ok {
		if conn, ok := c.byID[rest]; ok {
			return conn, true
		}
	}
	return nil, false
}

// indexAliases builds the alias lookup on first use (most commands look
// up ids only). Of two connectors with one alias, the smaller id keeps it.
func (c *Catalog) indexAliases() {
	c.byAlias = make(map[string]*Connector, len(c.Connectors))
	for _, conn := range c.Connectors {
		for _, k := range conn.aliasKeys() {
			if prev, ok := c.byAlias[k]; !ok || conn.ID < prev.ID {
				c.byAlias[k] = conn
			}
		}
	}
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

// ConnectionParameter is the path parameter through which the platform's
// runtime definitions name the user's connection (/{connectionId}/...).
const ConnectionParameter = "connectionId"

// ThroughConnection reports whether op's path goes through a connection
// (it carries {connectionId}): only a call through one of the user's
// connections can send it.
func (op *Operation) ThroughConnection() bool {
	return op != nil && strings.Contains(op.Path, "{"+ConnectionParameter+"}")
}

// UserParameters are op's parameters a user fills: for a connector whose
// calls go through a Power Platform connection, the connectionId path
// parameter is the connection's, not the user's, and is left out.
func (conn *Connector) UserParameters(op *Operation) []Parameter {
	if conn == nil || !conn.ViaConnection {
		return op.Parameters
	}
	out := make([]Parameter, 0, len(op.Parameters))
	for _, p := range op.Parameters {
		if p.In == InPath && p.Key == ConnectionParameter {
			continue
		}
		out = append(out, p)
	}
	return out
}
