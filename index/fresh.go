package index

import "github.com/connex-dev/connex/catalog"

// Matches reports whether the index was built from cat (same document
// count and content fingerprint): OpenOrBuild's freshness test, for
// callers that coordinate one rebuild between several processes.
func (ix *Index) Matches(cat *catalog.Catalog) bool {
	return ix != nil && ix.tab != nil && len(ix.tab.entries) == docCount(cat) && ix.tab.fingerprint == fingerprint(cat)
}
