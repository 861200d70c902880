package realdata

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/scraper/defs"
)

var (
	unionOnce sync.Once
	unionCat  *catalog.Catalog
	unionErr  error
)

// Union returns the union of both shared samples (the connector
// definitions and the Power Platform API replies), imported together so
// that catalog's merge rules make one connector per id: the catalogue the
// issues' floors are measured on (1,380 connectors). Imported once per test
// binary; skips when the data is absent. Callers must not modify it.
func Union(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	dir := Dir(tb)
	unionOnce.Do(func() {
		var res *defs.ImportResult
		res, unionErr = defs.Import(context.Background(), []string{
			filepath.Join(dir, "powerplatformconnectors.tar.gz"),
			filepath.Join(dir, "powerplatform-apis.tar.gz"),
		}, defs.ImportOptions{Now: func() time.Time { return ImportedAt }})
		if unionErr == nil {
			unionCat = res.Catalog
		}
	})
	if unionErr != nil {
		tb.Fatalf("import the union of both samples: %v", unionErr)
	}
	return unionCat
}
