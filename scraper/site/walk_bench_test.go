package site

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// realDataDir is internal/realdata.Dir, set by this package's external
// tests (listfile_realdata_test.go): realdata imports scraper/defs, which
// imports this package, so a test inside the package cannot import it.
var realDataDir func(testing.TB) string

// SetRealDataDir is for the external tests only (this is a _test file).
func SetRealDataDir(dir func(testing.TB) string) { realDataDir = dir }

// The two ways to find a page's sections, their operation blocks and
// every table row, timed on the largest real export (office365, rendered
// to HTML as ParseExport does): the block walk this package uses, and
// goquery selections (h2, then NextUntil for each section's blocks). The
// package doc quotes the figures.

func office365Doc(b *testing.B) *html.Node {
	if realDataDir == nil {
		b.Skip("internal/realdata.Dir was not set by the external tests")
	}
	data, err := os.ReadFile(filepath.Join(realDataDir(b), "learn-markdown", "office365.md"))
	if err != nil {
		b.Fatal(err)
	}
	_, body := splitFrontMatter(normalizeNewlines(data))
	var out bytes.Buffer
	out.WriteString("<html><body><main>")
	if err := markdown().Convert(body, &out); err != nil {
		b.Fatal(err)
	}
	out.WriteString("</main></body></html>")
	doc, err := html.Parse(&out)
	if err != nil {
		b.Fatal(err)
	}
	return doc
}

func BenchmarkSectionsBlockWalk(b *testing.B) {
	doc := office365Doc(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		blocks := flatten(doc)
		rows, subs := 0, 0
		for _, s := range sections(blocks, span{start: 0, end: len(blocks)}, 2) {
			subs += len(sections(blocks, s, 3))
			for j := s.start; j < s.end; j++ {
				if blocks[j].kind == blockTable {
					rows += len(readTable(blocks[j].node()).rows)
				}
			}
		}
		if rows == 0 || subs == 0 {
			b.Fatal("nothing found")
		}
	}
}

func BenchmarkSectionsGoquery(b *testing.B) {
	doc := office365Doc(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := goquery.NewDocumentFromNode(doc)
		rows, subs := 0, 0
		d.Find("main h2").Each(func(_ int, h2 *goquery.Selection) {
			sec := h2.NextUntil("h2")
			subs += sec.Filter("h3").Length()
			rows += sec.Filter("table").Find("tbody tr").Length()
		})
		if rows == 0 || subs == 0 {
			b.Fatal("nothing found")
		}
	}
}
