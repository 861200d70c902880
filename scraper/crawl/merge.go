package crawl

import (
	"github.com/connex-dev/connex/scraper/site"

	"github.com/connex-dev/connex/catalog"
)

// relist applies the list page's word to a previous record: site.Overlay for
// a connector read from the site alone; one that other sources describe
// too is left as its merge made it (the list would otherwise override the
// precedence catalog.MergeConnector applies).
func relist(prev *catalog.Connector, e *site.ListEntry) *catalog.Connector {
	if !siteOnly(prev) {
		return prev
	}
	return site.Overlay(prev, e)
}
