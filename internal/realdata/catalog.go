package realdata

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/scraper/defs"
)

// ImportedAt is the fixed import time of Catalog, so tests that print or
// compare sources see the same value on every run.
var ImportedAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// sharedImport is an import of some of the shared files, done once per
// test binary and shared by every test of it (Catalog's and Union's).
type sharedImport struct {
	once sync.Once
	res  *defs.ImportResult
	err  error
}

var catImport, unionImport sharedImport

// get imports paths the first time it is called; what names them in the
// failure.
func (s *sharedImport) get(tb testing.TB, what string, paths ...string) *defs.ImportResult {
	tb.Helper()
	s.once.Do(func() {
		s.res, s.err = defs.Import(context.Background(), paths, defs.ImportOptions{
			Now: func() time.Time { return ImportedAt },
		})
	})
	if s.err != nil {
		tb.Fatalf("import %s: %v", what, s.err)
	}
	return s.res
}

// Catalog returns the real connector catalogue, imported from
// powerplatformconnectors.tar.gz once per test binary, or skips the test
// when the data is absent. The catalogue is shared by every test of the
// binary: callers must not modify it (copy a connector before changing
// it). Its Origins and Sources name the tarball's path and ImportedAt.
func Catalog(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	return Import(tb).Catalog
}

// Import is Catalog with the import's full result (files, failures,
// warnings). The same sharing rule applies: read only.
func Import(tb testing.TB) *defs.ImportResult {
	tb.Helper()
	path := Tarball(tb)
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("real data not found: %s: %v", path, err)
	}
	return catImport.get(tb, path, path)
}
