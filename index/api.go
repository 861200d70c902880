// Package index is the bleve search index over the catalogue's connectors
// and operations. It returns ids; the catalogue stays the source of truth.
//
// Search matches every word of the text (a, an, the, of... are optional)
// in names, operation ids, the connector's name and id, connector ids and
// aliases (the definitions' folder name, the API's shared_<id>),
// descriptions, publisher and categories; camelCase ids are split and
// kept whole ("SendEmailV2" is found by "send email", "sendemail" and
// "SendEmailV2"); the last word, while being typed, also matches as a
// prefix of a name word; a word that matches nothing is looked up again
// with typos (1 edit from 4 letters, 2 from 7; a transposition is one
// edit) in a dictionary of the index's name terms. A text
// "connector/operation" (ids or aliases, any case) puts that operation
// first. When every word finds little, the hits match most of the words
// instead (Result.Partial); when nothing matches, Result.Suggestions
// offers near spellings ("did you mean").
//
// Ranking: bleve's score (BM25 per field, names weighing most) weighed by
// priors the data carries (rank.go): visibility, deprecation, newer
// versions of a family, publisher kind, licence tier, how central a
// connector is (the operations its publisher marks important, as far as
// the marks single some out; the deprecated operations it keeps), a
// connector the query names over the operations that mention it, and an
// operation named exactly as the query over scattered words. A relevance
// suite on the real catalogue keeps them honest (suite_test.go).
//
// Filters and facets are answered from a side table in memory, whose
// per-document attributes are 12 bytes so that a short query's thousands
// of matches stay in the processor's cache. A query of several words
// finds the documents holding every word without scores first, then has
// bleve score only those (candidates.go); a single letter being typed is
// not scored at all: its terms' postings are read into a bitset. Both
// give the same hits and scores as the plain query.
// ScanSearcher answers the same queries without an index, for when it
// cannot be opened.
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
	// Text is what the user typed; empty matches everything the filters
	// let through (connectors by name, then operations, important first).
	// A text ending with a space has no word being typed. A single letter
	// being typed is not ranked (it matches a third of the catalogue):
	// its hits come in the empty text's order.
	Text string
	// Kinds restricts results to these document kinds (empty: all).
	Kinds []string
	// Tier is "standard" or "premium" (empty: both).
	Tier string
	// Products restricts to connectors available in every listed product
	// (names as in catalog.Products, matched case-insensitively).
	Products []string
	// Publisher matches the publisher name (every word starts a word of
	// it: "acme co") or a publisher kind (microsoft, certified,
	// independent, custom); a value that is both ("microsoft") matches
	// either.
	Publisher string
	// Preview: nil = both, true = only preview, false = no preview.
	Preview    *bool
	Deprecated DeprecatedMode
	// Internal includes operations hidden from makers (x-ms-visibility internal).
	Internal bool
	// Connector restricts hits to one connector's operations (its id; the
	// connector itself is not a hit).
	Connector string

	Limit  int // 0: 20; larger than the index: every hit
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
	// Matches (when Query.Highlight) maps a field to the distinct,
	// lower-case terms that matched in it, for highlighting. Fields:
	// "name" (the connector's name on connector hits, the operation's
	// summary on operation hits), "operation" (operation id),
	// "connector" (the connector's name on operation hits),
	// "publisher" (descriptions and categories are not highlighted:
	// no front end shows their matches). A term is a whole word,
	// a camelCase part or run of parts ("email", "sendemail"), a near
	// spelling found for a typo, or the word being typed (a prefix of a
	// word); HighlightSpans finds them in a text. Hits that match the
	// same way share one map: read it, never modify it.
	Matches map[string][]string `json:"-"`
	// Name is an operation hit's display name ("" for connectors: their
	// snapshot summary has it). Preview and Deprecated are the
	// operation's or its connector's; Internal is an operation's
	// visibility. A result row needs nothing more than these and the
	// connector's summary, so no front end decodes a connector to draw
	// it.
	Name                          string `json:"-"`
	Preview, Deprecated, Internal bool   `json:"-"`
}

// FacetCount is one value of a facet and how many hits have it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Facet names, the keys of Result.Facets.
const (
	FacetKind          = "kind"
	FacetTier          = "tier"
	FacetProduct       = "product"
	FacetPublisherKind = "publisher_kind"
	FacetPreview       = "preview"
	FacetDeprecated    = "deprecated"
)

// Result is a page of hits.
type Result struct {
	Query string `json:"query"`
	Total uint64 `json:"total"`
	Hits  []Hit  `json:"hits"`
	// Facets (when Query.Facets) counts matches by facet value, in a
	// fixed order with zero counts included: kind (connector, action,
	// trigger), tier (standard, premium, then unknown when any),
	// product (catalog.Products order), publisher_kind (microsoft,
	// certified, independent, custom, then unknown when any), preview
	// and deprecated ("true", "false"). Each facet counts the matches
	// that pass every OTHER filter, ignoring its own, so the counts next
	// to a filter's values say what choosing each value would give
	// (with kind=action chosen, the trigger count is still shown).
	// Products combine with AND, so product counts use every filter.
	// Internal operations and the Connector restriction are never
	// relaxed.
	Facets map[string][]FacetCount `json:"facets,omitempty"`
	// Partial reports that too few documents matched every word of the
	// query, so the hits are those matching most of its words, ranked
	// by how many they match; PartialNote says so in a status line.
	Partial bool `json:"partial,omitempty"`
	// Suggestions, when nothing matched every word (Total is 0, or the
	// result is Partial) and some word matched nothing even with typos,
	// are queries to offer instead ("did you mean"): the text with each
	// such word replaced by a near term of the index's names and
	// aliases, best first, at most 3. The scan searcher offers none.
	Suggestions []string      `json:"suggestions,omitempty"`
	Took        time.Duration `json:"-"`
}

// PartialNote is the status line of a Partial result.
const PartialNote = "showing results matching most words"
