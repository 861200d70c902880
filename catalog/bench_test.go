package catalog_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
)

// BenchmarkLoad measures loading the full real catalogue snapshot, what
// every command and the TUI pay at start.
func BenchmarkLoad(b *testing.B) {
	cat := realdata.Catalog(b)
	path := filepath.Join(b.TempDir(), catalog.SnapshotFile)
	if err := catalog.Save(path, cat); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	b.ReportMetric(float64(st.Size())/(1<<20), "MiB")
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		got, err := catalog.Load(path)
		if err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		if len(got.Connectors) != len(cat.Connectors) {
			b.Fatalf("loaded %d connectors, want %d", len(got.Connectors), len(cat.Connectors))
		}
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/load")
}

// BenchmarkSave measures writing the full snapshot atomically.
func BenchmarkSave(b *testing.B) {
	cat := realdata.Catalog(b)
	path := filepath.Join(b.TempDir(), catalog.SnapshotFile)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := catalog.Save(path, cat); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenOne measures what `connex show X` pays for the catalogue:
// opening the snapshot (its table of contents) and decoding one connector.
func BenchmarkOpenOne(b *testing.B) {
	cat := realdata.Catalog(b)
	path := filepath.Join(b.TempDir(), catalog.SnapshotFile)
	if err := catalog.Save(path, cat); err != nil {
		b.Fatal(err)
	}
	want := cat.Connectors[len(cat.Connectors)/2].ID
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		s, err := catalog.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		conn, ok, err := s.ConnectorByID(want)
		if !ok || err != nil || conn.ID != want {
			b.Fatalf("ConnectorByID(%q) = %v, %v", want, ok, err)
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/open")
}
