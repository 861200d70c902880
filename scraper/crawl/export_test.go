package crawl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
)

// exportPage is an HTML page that announces its Markdown export and
// holds nothing else a parser could use.
func exportPage(href string) []byte {
	return []byte(`<html><head><title>Zephyr Mail - Connectors | Microsoft Learn</title>
<meta name="markdown_url" content="` + href + `"></head><body><main><h1>Zephyr Mail</h1></main></body></html>`)
}

func TestCrawlReadsMarkdownExport(t *testing.T) {
	s := newTestServer(t, 2)
	s.setList([]string{"conn000", "zephyrmail"}, map[string]string{"zephyrmail": "Zephyr Mail"})
	md, err := os.ReadFile(filepath.Join("..", "site", "testdata", "zephyrmail.md"))
	if err != nil {
		t.Fatal(err)
	}
	exportPath := testPrefix + "zephyrmail/?accept=text/markdown"
	s.setPage("zephyrmail", exportPage("?accept=text/markdown"))
	s.setPath(exportPath, md)
	dir := t.TempDir()
	clock := newFakeClock()
	res := runCrawl(t, testOptions(t, s, clock, dir), nil)
	z, _ := res.Catalog.Connector("zephyrmail")
	if z == nil || len(z.Operations) != 4 || z.PageRevision != "0123456789abcdef0123456789abcdef01234567" || len(z.Sections) != 3 {
		t.Fatalf("connector from the export: %+v", z)
	}
	if src := z.Sources[catalog.SourceSite]; src.Ref != s.srv.URL+exportPath {
		t.Errorf("site source %q, want the export", src.Ref)
	}
	if a := s.accepts[exportPath]; a != "text/markdown" {
		t.Errorf("export asked with Accept %q", a)
	}
	if s.hitsFor(exportPath) != 1 || res.Fetched != 2 || res.Failed != 0 {
		t.Errorf("export hits %d, fetched %d, failed %d", s.hitsFor(exportPath), res.Fetched, res.Failed)
	}
	// Second run: page and export both answer 304; the entry is kept as is.
	s.resetHits()
	res2 := runCrawl(t, testOptions(t, s, clock, dir), res.Catalog)
	if res2.Changed || res2.Unchanged != 2 || s.hitsFor(exportPath) != 1 {
		t.Errorf("second run: changed %v, unchanged %d, export hits %d", res2.Changed, res2.Unchanged, s.hitsFor(exportPath))
	}
	// The export changes while the page does not: it is read again.
	s.setPath(exportPath, append(md, []byte("\n## FAQ\n\nAsk.\n")...))
	res3 := runCrawl(t, testOptions(t, s, clock, dir), res2.Catalog)
	z3, _ := res3.Catalog.Connector("zephyrmail")
	if !res3.Changed || res3.Fetched != 1 || len(z3.Sections) != 4 {
		t.Errorf("changed export: changed %v fetched %d sections %d", res3.Changed, res3.Fetched, len(z3.Sections))
	}
	// The export fails for good: the page is read from its HTML (here one
	// with nothing else, so the page fails) and a problem names the export.
	s.setPath(exportPath, nil)
	s.mu.Lock()
	delete(s.pages, exportPath)
	s.mu.Unlock()
	res4 := runCrawl(t, testOptions(t, s, clock, t.TempDir()), nil)
	z4, _ := res4.Catalog.Connector("zephyrmail")
	if z4 == nil || res4.Failed != 1 || len(z4.Operations) != 0 {
		t.Errorf("export gone: failed %d, %+v", res4.Failed, z4)
	}
	found := false
	for _, p := range res4.Problems {
		found = found || strings.HasPrefix(p.What, "markdown export unavailable, page read from its HTML: HTTP 404")
	}
	if !found {
		t.Errorf("problems %v", res4.Problems)
	}
}
