package tui

import (
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
)

// TestSourceLineNamesEverySource: the status line names every source the
// catalogue came from, newest event first (it named only the newest
// origin, and nothing for API replies).
func TestSourceLineNamesEverySource(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	defs := catalog.Source{Kind: catalog.SourceDefinition, Ref: "/home/me/powerplatformconnectors.tar.gz", At: now.Add(-5 * time.Minute)}
	apis := catalog.Source{Kind: catalog.SourceAPI, Ref: "/home/me/powerplatform-apis.tar.gz", At: now.Add(-5 * time.Minute)}
	site := catalog.Source{Kind: catalog.SourceSite, Ref: "https://learn.microsoft.com/en-us/connectors/connector-reference/", At: now.Add(-49 * time.Hour)}
	for _, tc := range []struct {
		name    string
		origins []catalog.Source
		want    string
	}{
		{"both samples", []catalog.Source{defs, apis}, "imported 5 minutes ago from powerplatformconnectors.tar.gz and powerplatform-apis.tar.gz"},
		{"API replies only", []catalog.Source{apis}, "imported 5 minutes ago from powerplatform-apis.tar.gz"},
		{"imports, then an older refresh", []catalog.Source{site, defs, apis},
			"imported 5 minutes ago from powerplatformconnectors.tar.gz and powerplatform-apis.tar.gz; refreshed 2 days ago from learn.microsoft.com"},
		{"a refresh after the import", []catalog.Source{{Kind: catalog.SourceDefinition, Ref: "defs", At: now.Add(-72 * time.Hour)}, {Kind: site.Kind, Ref: site.Ref, At: now.Add(-time.Hour)}},
			"refreshed 1 hour ago from learn.microsoft.com; imported 3 days ago from defs"},
		{"nothing recorded", nil, "catalogue updated 1 hour ago"},
	} {
		got := sourceLine(&catView{Origins: tc.origins, UpdatedAt: now.Add(-time.Hour)}, now)
		if got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}
