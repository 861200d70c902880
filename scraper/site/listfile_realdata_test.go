package site_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/scraper/site"
)

func init() { site.SetRealDataDir(realdata.Dir) }

// listFileCounts counts what a list file says, read with encoding/json
// alone: the reader must give exactly this.
type listFileCounts struct {
	entries, premium, preview, deprecated int
	products                              map[string]int
	ids                                   map[string]bool
}

func countListFile(t *testing.T, data []byte) listFileCounts {
	t.Helper()
	var doc struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	c := listFileCounts{products: map[string]int{}, ids: map[string]bool{}}
	for _, e := range doc.Data {
		c.entries++
		c.ids[e["Name"].(string)] = true
		name := strings.ToLower(e["DisplayName"].(string))
		if e["Premium"] == true {
			c.premium++
		}
		if e["Preview"] == true || strings.HasSuffix(name, "(preview)") {
			c.preview++
		}
		if strings.HasSuffix(name, "[deprecated]") || strings.HasSuffix(name, "(deprecated)") {
			c.deprecated++
		}
		for _, p := range catalog.Products {
			if e[p] == true {
				c.products[p]++
			}
		}
	}
	return c
}

// TestParseListFileReal reads both real captures of the list: every entry,
// with the file's own counts of flags and products.
func TestParseListFileReal(t *testing.T) {
	dir := realdata.Dir(t)
	for _, name := range []string{"connector-reference-list.json", "connector-reference-list-2025-10.json"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Skipf("%s absent: %v", name, err)
			}
			want := countListFile(t, data)
			entries, probs, err := site.ParseListFile(data, name)
			if err != nil || len(probs) != 0 {
				t.Fatalf("ParseListFile: %v, problems %v", err, probs)
			}
			got := listFileCounts{entries: len(entries), products: map[string]int{}, ids: map[string]bool{}}
			for _, e := range entries {
				got.ids[e.ID] = true
				if e.Premium {
					got.premium++
				}
				if e.Preview {
					got.preview++
				}
				if e.Deprecated {
					got.deprecated++
				}
				for _, p := range e.Products {
					got.products[p]++
				}
				if e.Name == "" || strings.HasSuffix(strings.ToLower(e.Name), "[deprecated]") {
					t.Errorf("%s: name %q", e.ID, e.Name)
				}
			}
			if got.entries != want.entries || got.premium != want.premium || got.preview != want.preview || got.deprecated != want.deprecated {
				t.Errorf("entries/premium/preview/deprecated = %d/%d/%d/%d, the file says %d/%d/%d/%d",
					got.entries, got.premium, got.preview, got.deprecated, want.entries, want.premium, want.preview, want.deprecated)
			}
			for _, p := range catalog.Products {
				if got.products[p] != want.products[p] {
					t.Errorf("%s: %d, the file says %d", p, got.products[p], want.products[p])
				}
			}
			for id := range want.ids {
				if !got.ids[id] {
					t.Errorf("%s missing", id)
				}
			}
			t.Logf("%d entries: premium %d, preview %d, deprecated %d, products %v", got.entries, got.premium, got.preview, got.deprecated, got.products)
		})
	}
}
