package realdata

import (
	"path/filepath"
	"testing"

	"github.com/connex-dev/connex/catalog"
)

// Union returns the union of both shared samples (the connector
// definitions and the Power Platform API replies), imported together so
// that catalog's merge rules make one connector per id: the catalogue the
// issues' floors are measured on (1,380 connectors). Imported once per test
// binary; skips when the data is absent. Callers must not modify it.
func Union(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	dir := Dir(tb)
	return unionImport.get(tb, "the union of both samples",
		filepath.Join(dir, "powerplatformconnectors.tar.gz"),
		filepath.Join(dir, "powerplatform-apis.tar.gz"),
	).Catalog
}
