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
	// Second run: the page answers 304, so the cached export is used
	// without a request; the entry is kept as is.
	s.resetHits()
	res2 := runCrawl(t, testOptions(t, s, clock, dir), res.Catalog)
	if res2.Changed || res2.Unchanged != 2 || s.hitsFor(exportPath) != 0 {
		t.Errorf("second run: changed %v, unchanged %d, export hits %d", res2.Changed, res2.Unchanged, s.hitsFor(exportPath))
	}
	// The export changes and so does its page: both are read again.
	s.setPath(exportPath, append(md, []byte("\n## FAQ\n\nAsk.\n")...))
	s.setPage("zephyrmail", append(exportPage("?accept=text/markdown"), "<!-- v2 -->"...))
	s.resetHits()
	res3 := runCrawl(t, testOptions(t, s, clock, dir), res2.Catalog)
	z3, _ := res3.Catalog.Connector("zephyrmail")
	if !res3.Changed || res3.Fetched != 1 || len(z3.Sections) != 4 || s.hitsFor(exportPath) != 1 {
		t.Errorf("changed export: changed %v fetched %d sections %d export hits %d", res3.Changed, res3.Fetched, len(z3.Sections), s.hitsFor(exportPath))
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

// TestCrawlResolvesReplacementsInOtherConnectors: the Teams page names a
// Shifts operation by its anchor only; once both pages are crawled the
// replacement is that operation's id.
func TestCrawlResolvesReplacementsInOtherConnectors(t *testing.T) {
	s := newTestServer(t, 1)
	s.setList([]string{"zephyrmail", "zephyrfiles"}, map[string]string{"zephyrmail": "Zephyr Mail", "zephyrfiles": "Zephyr Files"})
	md, err := os.ReadFile(filepath.Join("..", "site", "testdata", "zephyrmail.md"))
	if err != nil {
		t.Fatal(err)
	}
	s.setPage("zephyrmail", exportPage("?accept=text/markdown"))
	s.setPath(testPrefix+"zephyrmail/?accept=text/markdown", md)
	s.setPage("zephyrfiles", []byte(`<html><body><main><h1>Zephyr Files</h1><p>Files.</p>
<h2 id="actions">Actions</h2><h3 id="file-a-message">File a message</h3><div><dl><dt>Operation ID:</dt><dd>FileMessageV2</dd></dl></div>
</main></body></html>`))
	res := runCrawl(t, testOptions(t, s, newFakeClock(), ""), nil)
	z, _ := res.Catalog.Connector("zephyrmail")
	op := z.Operation("FileMessage")
	if op == nil || op.ReplacedBy != "FileMessageV2" || op.ReplacedByConnector != "zephyrfiles" {
		t.Errorf("replacement %+v", op)
	}
}
