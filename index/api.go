// Package index is the bleve search index over the catalogue's connectors
// and operations. It returns ids; the catalogue stays the source of truth.
package index

import (
	"time"
)

// Document kinds, also the values of the "kind" facet.
const (
	KindConnector = "connector"
	KindAction    = "action"
	KindTrigger   = "trigger"
)

// DeprecatedMode filters deprecated connectors and operations.
type DeprecatedMode string

const (
	DeprecatedExclude DeprecatedMode = "exclude" // the default
	DeprecatedInclude DeprecatedMode = "include"
	DeprecatedOnly    DeprecatedMode = "only"
)

// Query is one search. The zero value matches everything that is neither
// deprecated nor internal.
type Query struct {
	Text string
	// Kinds restricts results to these document kinds (empty: all).
	Kinds []string
	// Tier is "standard" or "premium" (empty: both).
	Tier string
	// Products restricts to connectors available in every listed product
	// (names as in catalog.Products, matched case-insensitively).
	Products []string
	// Publisher matches the publisher name (words) or a publisher kind
	// (microsoft, certified, independent, custom).
	Publisher string
	// Preview: nil = both, true = only preview, false = no preview.
	Preview    *bool
	Deprecated DeprecatedMode
	// Internal includes operations hidden from makers (x-ms-visibility internal).
	Internal bool
	// Connector restricts operation hits to one connector (its id).
	Connector string

	Limit  int // 0: 20
	Offset int
	// Facets asks for facet counts (kind, tier, product, publisher_kind,
	// preview, deprecated).
	Facets bool
	// Highlight asks for the matched terms of each hit.
	Highlight bool
}

// Hit is one result.
type Hit struct {
	Kind        string  `json:"kind"` // connector, action, trigger
	ConnectorID string  `json:"connector"`
	OperationID string  `json:"operation"` // empty for connector hits
	Score       float64 `json:"score"`
	// Matches maps a field name (name, summary, description, ...) to the
	// distinct terms of the text that matched it, for highlighting.
	Matches map[string][]string `json:"-"`
}

// FacetCount is one value of a facet and how many hits have it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Result is a page of hits.
type Result struct {
	Query  string                  `json:"query"`
	Total  uint64                  `json:"total"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetCount `json:"facets,omitempty"`
	Took   time.Duration           `json:"-"`
}
