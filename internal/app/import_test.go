package app

import (
	"context"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
)

// The index is built from the parsed catalogue while it is saved, and
// matches the saved snapshot; the outcome gives the saved copy, read back
// from the file, as both the imported and the whole catalogue.
func TestImportIndexesWhatItSaves(t *testing.T) {
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
	if indexed == nil || out.Catalog == nil || out.Catalog != out.Result.Catalog || out.Catalog == indexed {
		t.Fatalf("indexed %p, outcome %p, result %p: want the saved copy in the outcome", indexed, out.Catalog, out.Result.Catalog)
	}
	saved, err := catalog.Load(d.CatalogPath())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(saved.Connectors, out.Catalog.Connectors) {
		t.Fatal("the outcome's catalogue is not the saved one")
	}
	ix, err := index.Open(d.IndexPath())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !ix.Matches(saved) {
		t.Fatal("the index does not match the saved catalogue: the next open would rebuild it")
	}
	if got := out.Result.Catalog.Stats(); got.Connectors != 2 || got.Operations != 4 {
		t.Fatalf("imported: %+v", got)
	}
}

// A save that fails stops the index build started beside it and is the
// error returned (not ErrIndexStale); no index is swapped in.
func TestSaveCatalogFailureStopsTheBuild(t *testing.T) {
	t.Parallel()
	d := New(t.TempDir())
	// A folder where the snapshot goes: the save cannot replace it.
	if err := os.MkdirAll(filepath.Join(d.CatalogPath(), "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	var cause error
	d.BuildIndex = func(ctx context.Context, path string, c *catalog.Catalog) error {
		<-ctx.Done() // only the failed save ends it
		cause = context.Cause(ctx)
		return ctx.Err()
	}
	err := d.SaveCatalog(context.Background(), catalog.Sample())
	if err == nil || errors.Is(err, ErrIndexStale) {
		t.Fatalf("err %v: want the save's error", err)
	}
	if cause == nil || cause.Error() != err.Error() {
		t.Fatalf("build stopped by %v, want the save's error %v", cause, err)
	}
	if _, err := os.Lstat(d.IndexPath()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("index: %v, want none", err)
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

// An import into an existing catalogue records a change report, as a
// refresh does; a newer connector list removes the connectors only the
// older one had, and the report says so.
func TestImportRecordsChanges(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	list := func(name string, entries ...string) string {
		p := filepath.Join(dir, name)
		body := `{"data":[` + strings.Join(entries, ",") + `]}`
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	older := list("older.json", `{"Name":"alphanotes","DisplayName":"Alpha Notes","Premium":true,"Power Automate":true}`,
		`{"Name":"gone","DisplayName":"Gone"}`)
	newer := list("newer.json", `{"Name":"alphanotes","DisplayName":"Alpha Notes","Premium":false,"Power Automate":true}`,
		`{"Name":"fresh","DisplayName":"Fresh"}`)
	d := New(t.TempDir())
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	d.Now = func() time.Time { now = now.Add(time.Hour); return now }

	// A first import has nothing to compare with.
	out, err := d.Import(context.Background(), []string{older}, nil)
	if err != nil || out.Changes != nil || out.ChangeReport != "" {
		t.Fatalf("first import: changes %+v, report %q, err %v", out.Changes, out.ChangeReport, err)
	}
	// The definitions join the listed connector by name.
	out, err = d.Import(context.Background(), []string{writeSource(t, "Alpha Notes")}, nil)
	if err != nil || out.Changes == nil || out.Changes.Added != 0 || out.Changes.Changed != 1 {
		t.Fatalf("definitions: changes %+v, err %v", out.Changes, err)
	}
	out, err = d.Import(context.Background(), []string{newer}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out.Merge.Unlisted, []string{"gone"}) {
		t.Errorf("unlisted %v", out.Merge.Unlisted)
	}
	if s := out.Changes; s == nil || s.Added != 1 || s.Removed != 1 || s.Changed != 1 || s.Renamed != 0 {
		t.Fatalf("changes %+v", s)
	}
	reports, err := catalog.LoadReports(d.Dir, time.Time{})
	if err != nil || len(reports) != 2 {
		t.Fatalf("%d reports, %v", len(reports), err)
	}
	r := reports[len(reports)-1]
	if r.Cause != catalog.CauseImport || len(r.Added) != 1 || r.Added[0].ID != "fresh" || r.Removed[0].ID != "gone" ||
		r.Changed[0].ID != "alphanotes" || r.Changed[0].Fields[0] != (catalog.FieldChange{Field: catalog.FieldTier, Old: "premium", New: "standard"}) {
		t.Errorf("report %+v", r)
	}
	if out.ChangeReport == "" {
		t.Error("no report file named")
	}
	// Importing the same list again changes nothing: no report.
	if out, err = d.Import(context.Background(), []string{newer}, nil); err != nil || out.ChangeReport != "" || out.Changes == nil || out.Changes.Added+out.Changes.Removed+out.Changes.Changed != 0 {
		t.Fatalf("again: changes %+v, report %q, err %v", out.Changes, out.ChangeReport, err)
	}
}
