package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
)

// An import leaves the index stamped for the snapshot it saved, so the
// next start opens both without decoding every connector; a snapshot saved
// by SaveCatalog (a refresh) is stamped too.
func TestImportAndSaveStampTheIndex(t *testing.T) {
	t.Parallel()
	d := New(t.TempDir())
	wantStamp := func(when string) {
		t.Helper()
		// Read before anything opens the pair: OpenIndexFor would write
		// a missing stamp itself.
		b, err := os.ReadFile(filepath.Join(d.Dir, IndexStampFile))
		if err != nil {
			t.Fatalf("%s: no stamp: %v", when, err)
		}
		s, err := catalog.Open(d.CatalogPath())
		if err != nil {
			t.Fatal(err)
		}
		ix, err := index.Open(d.IndexPath())
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if want := fmt.Sprintf("%08x %08x\n", s.Checksum(), ix.Fingerprint()); string(b) != want {
			t.Fatalf("%s: stamp %q, want %q", when, b, want)
		}
		// And the stamp's shortcut is taken: no decode, no check, no
		// build (d.BuildIndex fails here).
		ix2, err := d.OpenIndexFor(context.Background(), s)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		ix2.Close()
		if err := os.Remove(filepath.Join(d.Dir, IndexStampFile)); err != nil {
			t.Fatal(err)
		}
	}
	d.BuildIndex = func(ctx context.Context, path string, c *catalog.Catalog) error {
		return errors.New("unexpected build")
	}
	build := New(d.Dir).BuildIndex
	withBuild := func(f func()) {
		saved := d.BuildIndex
		d.BuildIndex = build
		f()
		d.BuildIndex = saved
	}
	withBuild(func() {
		if _, err := d.Import(context.Background(), []string{writeSource(t, "Alpha Notes", "Beta Notes")}, nil); err != nil {
			t.Fatal(err)
		}
	})
	wantStamp("after an import")

	c, err := catalog.Load(d.CatalogPath())
	if err != nil {
		t.Fatal(err)
	}
	c.Connectors = c.Connectors[:1]
	withBuild(func() {
		if err := d.SaveCatalog(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	})
	wantStamp("after a save")
}
