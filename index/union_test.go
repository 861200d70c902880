package index

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/scraper/defs"
)

var (
	unionOnce sync.Once
	unionCat  *catalog.Catalog
	unionTook time.Duration
	unionErr  error
)

// unionCatalog is the union of both shared samples (the connector
// definitions and the Power Platform API replies), imported together so
// that catalog's merge rules make one connector per id, once per test
// binary; it skips without the data. Callers must not modify it.
func unionCatalog(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	dir := realdata.Dir(tb)
	unionOnce.Do(func() {
		start := time.Now()
		var res *defs.ImportResult
		res, unionErr = defs.Import(context.Background(), []string{
			filepath.Join(dir, "powerplatformconnectors.tar.gz"),
			filepath.Join(dir, "powerplatform-apis.tar.gz"),
		}, defs.ImportOptions{Now: func() time.Time { return realdata.ImportedAt }})
		unionTook = time.Since(start)
		if unionErr == nil {
			unionCat = res.Catalog
		}
	})
	if unionErr != nil {
		tb.Fatalf("import the union of both samples: %v", unionErr)
	}
	return unionCat
}

func TestUnionSize(t *testing.T) {
	cat := unionCatalog(t)
	t.Logf("union: %d connectors, %d documents, import %v", len(cat.Connectors), docCount(cat), unionTook)
}
