package app

import (
	"context"
	"math"
	"reflect"
	"runtime/debug"
	"testing"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
)

// The index is built from the saved snapshot, not from the parsed
// catalogue, and the outcome gives that saved copy (so the parsed one can
// be freed before the index build).
func TestImportIndexesTheSavedSnapshot(t *testing.T) {
	t.Parallel()
	d := New(t.TempDir())
	var indexed *catalog.Catalog
	d.BuildIndex = func(ctx context.Context, path string, c *catalog.Catalog) error {
		indexed = c
		return index.Build(ctx, path, c)
	}
	out, err := d.Import(context.Background(), []string{writeSource(t, "Alpha Notes", "Beta Notes")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if indexed == nil || out.Catalog != indexed || out.Result.Catalog != indexed {
		t.Fatalf("indexed %p, outcome %p, result %p: want the same saved copy", indexed, out.Catalog, out.Result.Catalog)
	}
	saved, err := catalog.Load(d.CatalogPath())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(saved.Connectors, indexed.Connectors) {
		t.Fatal("the indexed catalogue is not the saved one")
	}
	if got := out.Result.Catalog.Stats(); got.Connectors != 2 || got.Operations != 4 {
		t.Fatalf("imported: %+v", got)
	}
}

// capMemory sets a limit only when none is set, and restores it.
func TestCapMemory(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)

	debug.SetMemoryLimit(math.MaxInt64)
	restore := capMemory(1 << 30)
	if got := debug.SetMemoryLimit(-1); got < 1<<30 || got == math.MaxInt64 {
		t.Fatalf("limit during the import %d, want the heap in use plus 1 GiB", got)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Fatalf("limit after %d, want none", got)
	}

	debug.SetMemoryLimit(500 << 20) // GOMEMLIMIT
	restore = capMemory(1 << 30)
	if got := debug.SetMemoryLimit(-1); got != 500<<20 {
		t.Fatalf("a limit the user set was changed to %d", got)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != 500<<20 {
		t.Fatalf("a limit the user set became %d", got)
	}
}
