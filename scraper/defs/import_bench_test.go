package defs_test

import (
	"context"
	"testing"
	"time"

	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/scraper/defs"
)

// BenchmarkImportRealData imports the real tarball (gunzip, tolerant
// parse, conversion) and reports the wall time and the operation count.
func BenchmarkImportRealData(b *testing.B) {
	path := realdata.Tarball(b)
	for _, workers := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[workers], func(b *testing.B) {
			var ops int
			start, cpu := time.Now(), processCPU()
			for b.Loop() {
				res, err := defs.Import(context.Background(), []string{path}, defs.ImportOptions{Workers: workers})
				if err != nil {
					b.Fatal(err)
				}
				ops = res.Catalog.Stats().Operations
			}
			b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/import")
			b.ReportMetric(float64((processCPU()-cpu).Milliseconds())/float64(b.N), "cpu-ms/import")
			b.ReportMetric(float64(ops), "operations")
		})
	}
}
