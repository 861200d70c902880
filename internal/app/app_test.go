package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
)

// writeSource writes a PowerPlatformConnectors-like tree with one
// invented connector per name, each with the operations ListItems and
// CreateItem.
func writeSource(t *testing.T, names ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, name := range names {
		dir := filepath.Join(root, "independent-publisher-connectors", name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		host := strings.ToLower(strings.ReplaceAll(name, " ", "")) + ".example.invalid"
		swagger := fmt.Sprintf(`{
  "swagger": "2.0",
  "info": {"title": %q, "description": "Invented for a test.", "version": "1.0"},
  "host": %q, "basePath": "/v1", "schemes": ["https"],
  "paths": {
    "/items": {
      "get": {"operationId": "ListItems", "summary": "List items", "responses": {"200": {"description": "OK"}}},
      "post": {"operationId": "CreateItem", "summary": "Create an item",
               "parameters": [{"name": "body", "in": "body", "required": true, "schema": {"type": "object"}}],
               "responses": {"201": {"description": "Created"}}}
    }
  }
}`, name, host)
		if err := os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), []byte(swagger), 0o644); err != nil {
			t.Fatal(err)
		}
		props := `{"properties": {"publisher": "Tester", "connectionParameters": {}}}`
		if err := os.WriteFile(filepath.Join(dir, "apiProperties.json"), []byte(props), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestImportThenOpen(t *testing.T) {
	t.Parallel()
	d := New(t.TempDir())
	var last ImportProgress
	out, err := d.Import(context.Background(), []string{writeSource(t, "Alpha Notes", "Beta Notes")}, func(p ImportProgress) { last = p })
	if err != nil {
		t.Fatal(err)
	}
	if last != (ImportProgress{Done: 2, Total: 2}) {
		t.Errorf("last progress %+v, want 2 of 2", last)
	}
	if got := out.Catalog.Stats(); got.Connectors != 2 || got.Operations != 4 {
		t.Fatalf("saved catalogue: %+v", got)
	}
	c, ix, err := d.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if c.Sample || len(c.Connectors) != 2 || !ix.Matches(c) {
		t.Fatalf("open: sample=%v connectors=%d matches=%v", c.Sample, len(c.Connectors), ix.Matches(c))
	}
}

// Issue 15 item 6: Ctrl-C during the index build, after the snapshot was
// written. The catalogue changed and must be reported as saved (not
// "nothing saved"), and the next open rebuilds the index.
func TestImportInterruptedDuringIndexBuildSavesCatalogue(t *testing.T) {
	t.Parallel()
	d := New(t.TempDir())
	if _, err := d.Import(context.Background(), []string{writeSource(t, "Alpha Notes")}, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	builds := 0
	d.BuildIndex = func(ctx context.Context, path string, c *catalog.Catalog) error {
		builds++
		cancel() // the user's Ctrl-C arrives while the index is built
		return index.Build(ctx, path, c)
	}
	out, err := d.Import(ctx, []string{writeSource(t, "Beta Notes", "Gamma Notes")}, nil)
	if !errors.Is(err, ErrIndexStale) {
		t.Fatalf("err = %v, want ErrIndexStale", err)
	}
	if !strings.Contains(err.Error(), "catalogue saved") || strings.Contains(err.Error(), "nothing") {
		t.Fatalf("message %q does not say the catalogue was saved", err)
	}
	if out == nil || out.Catalog == nil || len(out.Catalog.Connectors) != 3 {
		t.Fatalf("outcome %+v: want the saved 3-connector catalogue", out)
	}
	saved, err := catalog.Load(d.CatalogPath())
	if err != nil || len(saved.Connectors) != 3 {
		t.Fatalf("snapshot on disk: %v, %v", saved, err)
	}
	d.BuildIndex = func(ctx context.Context, path string, c *catalog.Catalog) error {
		builds++
		return index.Build(ctx, path, c)
	}
	ix, err := d.OpenIndex(context.Background(), saved)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if builds != 2 || !ix.Matches(saved) {
		t.Fatalf("builds %d (want 2: the interrupted one, the rebuild on open), matches %v", builds, ix.Matches(saved))
	}
}

// Issue 15 item 7: a corrupt catalog.snap. Reading says to import; import
// moves it to a dated backup and goes on.
func TestCorruptSnapshotReadingSaysImportAndImportMovesItAside(t *testing.T) {
	t.Parallel()
	d := New(t.TempDir())
	if err := os.MkdirAll(d.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	garbage := []byte("this is not a connex snapshot\x00\x01\x02")
	if err := os.WriteFile(d.CatalogPath(), garbage, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := d.LoadCatalog()
	if !errors.Is(err, catalog.ErrCorruptSnapshot) || !strings.Contains(err.Error(), "run 'connex import SOURCE' to rebuild it") {
		t.Fatalf("load: %v", err)
	}

	// A failed import leaves the corrupt file where it is.
	if _, err := d.Import(context.Background(), []string{filepath.Join(t.TempDir(), "missing")}, nil); err == nil {
		t.Fatal("import of a missing folder succeeded")
	}
	if b, _ := os.ReadFile(d.CatalogPath()); !bytes.Equal(b, garbage) {
		t.Fatal("a failed import touched the corrupt snapshot")
	}

	d.Now = func() time.Time { return time.Date(2026, 12, 7, 9, 5, 3, 0, time.UTC) }
	out, err := d.Import(context.Background(), []string{writeSource(t, "Alpha Notes")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := d.CatalogPath() + ".corrupt-20261207-090503"
	if out.CorruptBackup != want {
		t.Fatalf("backup %q, want %q", out.CorruptBackup, want)
	}
	if b, err := os.ReadFile(want); err != nil || !bytes.Equal(b, garbage) {
		t.Fatalf("backup content %q, %v", b, err)
	}
	c, err := d.LoadCatalog()
	if err != nil || len(c.Connectors) != 1 {
		t.Fatalf("after import: %v, %v", c, err)
	}
}

// Issue 15 item 8: after a kill leaves the index stale, six parallel
// searches rebuild it once; the others wait and open that rebuild.
func TestParallelOpensOfStaleIndexRebuildOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := New(dir)
	if _, err := first.Import(context.Background(), []string{writeSource(t, "Alpha Notes")}, nil); err != nil {
		t.Fatal(err)
	}
	// The kill: a new snapshot written, its index never built.
	c, err := catalog.Load(first.CatalogPath())
	if err != nil {
		t.Fatal(err)
	}
	more, err := New(t.TempDir()).Import(context.Background(), []string{writeSource(t, "Beta Notes")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Merge(more.Catalog)
	if err := catalog.Save(first.CatalogPath(), c); err != nil {
		t.Fatal(err)
	}
	stale, err := catalog.Load(first.CatalogPath())
	if err != nil {
		t.Fatal(err)
	}

	const searches = 6
	var builds atomic.Int32
	var wg sync.WaitGroup
	errs := make([]error, searches)
	for i := 0; i < searches; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			d := New(dir) // each its own lock, as separate processes have
			d.BuildIndex = func(ctx context.Context, path string, c *catalog.Catalog) error {
				builds.Add(1)
				return index.Build(ctx, path, c)
			}
			ix, err := d.OpenIndex(context.Background(), stale)
			if err == nil {
				if !ix.Matches(stale) {
					err = errors.New("opened an index of another catalogue")
				}
				ix.Close()
			}
			errs[i] = err
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("search %d: %v", i, err)
		}
	}
	if n := builds.Load(); n != 1 {
		t.Fatalf("%d rebuilds, want 1", n)
	}
}

func TestLockBusy(t *testing.T) {
	t.Parallel()
	d := New(t.TempDir())
	unlock, err := d.Lock("import")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	_, err = d.Import(context.Background(), []string{writeSource(t, "Alpha Notes")}, nil)
	want := "import: another connex import or refresh is already running on " + d.Dir + "; try again when it ends"
	if !errors.Is(err, ErrBusy) || err.Error() != want {
		t.Fatalf("err %q, want %q", err, want)
	}
}

// Issue 15 item 10: bleve's scorch logs through the standard log package
// (for instance "unable to load snapshot, ..., continuing" on a corrupt
// segment); those lines go through connex's messages, sanitised.
func TestRouteLibraryLog(t *testing.T) {
	var got []string
	restore := RouteLibraryLog(func(msg string) { got = append(got, msg) })
	log.Printf("unable to load snapshot, %v, continuing", "open 000000000002.zap: \x1b[2Jbad segment")
	log.Printf("got err removing file: %s, err: %v", "a.zap", "busy")
	restore()
	want := []string{
		"search index: unable to load snapshot, open 000000000002.zap: ␛[2Jbad segment, continuing",
		"search index: got err removing file: a.zap, err: busy",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	var buf bytes.Buffer
	log.SetOutput(&buf)
	defer log.SetOutput(os.Stderr)
	log.Print("after restore")
	if len(got) != 2 || !strings.Contains(buf.String(), "after restore") {
		t.Fatalf("restore did not put the previous output back: %q / %q", got, buf.String())
	}
}

// corruptSegments builds the index of a one-connector catalogue, then
// damages its segment files with damage; it returns the data folder.
func corruptSegments(t *testing.T, damage func(path string) error) *Data {
	t.Helper()
	d := New(t.TempDir())
	if _, err := d.Import(context.Background(), []string{writeSource(t, "Alpha Notes")}, nil); err != nil {
		t.Fatal(err)
	}
	target, err := filepath.EvalSymlinks(d.IndexPath())
	if err != nil {
		t.Fatal(err)
	}
	zaps, err := filepath.Glob(filepath.Join(target, "store", "*.zap"))
	if err != nil || len(zaps) == 0 {
		t.Fatalf("no segment files in %s (%v)", target, err)
	}
	for _, z := range zaps {
		if err := damage(z); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// Issue 15 item 10, reproduced: a segment file gone makes scorch log
// "unable to load snapshot, ..., continuing" through the standard log
// package. The line reaches connex's warn, nothing reaches the log's own
// output, and the index is rebuilt.
func TestCorruptSegmentLogRouted(t *testing.T) {
	d := corruptSegments(t, os.Remove)
	var raw bytes.Buffer
	log.SetOutput(&raw)
	defer log.SetOutput(os.Stderr)
	var warned []string
	restore := RouteLibraryLog(func(msg string) { warned = append(warned, msg) })
	builds := 0
	d.BuildIndex = func(ctx context.Context, path string, c *catalog.Catalog) error {
		builds++
		return index.Build(ctx, path, c)
	}
	c, ix, err := d.Open(context.Background())
	restore()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if raw.Len() != 0 {
		t.Errorf("raw log output: %q", raw.String())
	}
	if len(warned) == 0 || !strings.HasPrefix(warned[0], "search index: unable to load snapshot, failed to load segment: ") {
		t.Errorf("warnings %q", warned)
	}
	if builds != 1 || !ix.Matches(c) {
		t.Errorf("builds %d, matches %v", builds, ix.Matches(c))
	}
}

// A segment overwritten with garbage makes zapx panic while opening; the
// index is rebuilt instead.
func TestGarbageSegmentRebuilds(t *testing.T) {
	t.Parallel()
	d := corruptSegments(t, func(p string) error { return os.WriteFile(p, []byte("garbage"), 0o644) })
	builds := 0
	d.BuildIndex = func(ctx context.Context, path string, c *catalog.Catalog) error {
		builds++
		return index.Build(ctx, path, c)
	}
	c, ix, err := d.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if builds != 1 || !ix.Matches(c) {
		t.Fatalf("builds %d, matches %v", builds, ix.Matches(c))
	}
}

// A rebuild is announced (Notice) before it starts; an index in step with
// the catalogue opens without a word.
func TestIndexRebuildIsAnnounced(t *testing.T) {
	t.Parallel()
	d := New(t.TempDir())
	out, err := d.Import(context.Background(), []string{writeSource(t, "Alpha Notes")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := out.Catalog // the saved catalogue, read back
	var heard []string
	d.Notice = func(msg string) { heard = append(heard, msg) }
	open := func() {
		t.Helper()
		ix, err := d.OpenIndex(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		ix.Close()
	}
	open()
	if len(heard) != 0 {
		t.Fatalf("an index in step: heard %q", heard)
	}
	if err := os.RemoveAll(d.IndexPath()); err != nil {
		t.Fatal(err)
	}
	open()
	if len(heard) != 1 || heard[0] != IndexRebuildNotice {
		t.Fatalf("a missing index: heard %q, want the rebuild notice once", heard)
	}
}
