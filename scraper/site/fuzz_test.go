package site

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// seeds adds every fixture page to a fuzz corpus, plus a few
// fragments that cut sections short.
func seeds(f *testing.F) {
	pages, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	for _, s := range []string{
		"", "<h2 id=actions>Actions</h2><h3>x</h3><h4>Returns</h4><dl><dd></dd></dl>",
		"<h2>Definitions</h2><h3>a.b</h3><table><tr><td>n</td><td>a..b</td><td>array of array of x</td></tr></table>",
		"<table><thead><tr></tr></thead><tr><td>Service<td>Class<td>Regions</table>",
		"<h2>Creating a connection</h2><table><tr><td><a href='%zz'>x</a></table><h3></h3>",
	} {
		f.Add([]byte(s))
	}
}

func FuzzParseConnectorPage(f *testing.F) {
	seeds(f)
	u, _ := url.Parse("https://learn.microsoft.com/en-us/connectors/fuzz/")
	f.Fuzz(func(t *testing.T, data []byte) {
		c, _ := ParseConnectorPage(bytes.NewReader(data), u)
		if c != nil && c.ID != "fuzz" {
			t.Fatalf("id %q", c.ID)
		}
	})
}

func FuzzParseExport(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "zephyrmail.md"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Add(bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")))
	for _, s := range []string{"---\n", "---\ntitle: x\n---", "## Actions\n### a\n- Operation ID:\n", "| a |\n| - |\n| b | c | d |", "[x](#", "# [C#](#tab/x)\n## Actions:\n"} {
		f.Add([]byte(s))
	}
	u, _ := url.Parse("https://learn.microsoft.com/en-us/connectors/fuzz/")
	f.Fuzz(func(t *testing.T, data []byte) {
		c, _ := ParseExport(bytes.NewReader(data), u)
		if c != nil && c.ID != "fuzz" {
			t.Fatalf("id %q", c.ID)
		}
	})
}

func FuzzParseListPage(f *testing.F) {
	seeds(f)
	u, _ := url.Parse("https://learn.microsoft.com/en-us/connectors/connector-reference/")
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, _ := ParseListPage(bytes.NewReader(data), u)
		seen := map[string]bool{}
		for _, e := range entries {
			if e.ID == "" || seen[e.ID] {
				t.Fatalf("bad or repeated id %q", e.ID)
			}
			seen[e.ID] = true
		}
	})
}

// BenchmarkSiteRejectHostile times the rejection of a 5,000-deep page and
// of a 50 MiB page (the bar is 2 s each).
func BenchmarkSiteRejectHostile(b *testing.B) {
	u, _ := url.Parse("https://learn.microsoft.com/en-us/connectors/hostile/")
	for name, page := range map[string][]byte{"deep5000": deepPage(5000), "huge50MiB": hugePage(50 << 20)} {
		b.Run(name, func(b *testing.B) {
			var worst time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				if c, _ := ParseConnectorPage(bytes.NewReader(page), u); c != nil {
					b.Fatal("not rejected")
				}
				if d := time.Since(start); d > worst {
					worst = d
				}
			}
			b.ReportMetric(worst.Seconds(), "worst_s")
		})
	}
}

// BenchmarkParseConnectorPage parses the full fixture page.
func BenchmarkParseConnectorPage(b *testing.B) {
	data, err := os.ReadFile("testdata/zephyrmail.html")
	if err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse("https://learn.microsoft.com/en-us/connectors/zephyrmail/")
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		ParseConnectorPage(bytes.NewReader(data), u)
	}
}
