package crawl_test

import (
	"context"
	"testing"
	"time"

	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/internal/replica"
	"github.com/connex-dev/connex/scraper/crawl"
)

// BenchmarkCrawlReplica crawls the full replica (1,466 connectors, real
// definitions) with politeness off, then again with nothing changed (every
// page 304). It reports both times and their ratio: the bars are a full
// crawl within 15 s and a second run at least 10x faster.
func BenchmarkCrawlReplica(b *testing.B) {
	srv, base := startReplica(b, replica.Options{ListPath: realdata.ReferenceList(b), Definitions: realdata.Catalog(b), Seed: 1})
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		opts := crawl.Options{BaseURL: base, Concurrency: 8, Delay: -1,
			CacheDir: dir + "/cache/pages", StateFile: dir + "/refresh/state.json"}
		start := time.Now()
		first, err := crawl.Run(context.Background(), opts, nil)
		full := time.Since(start)
		if err != nil || first.Fetched != len(srv.IDs()) {
			b.Fatalf("first crawl: %v (%d fetched)", err, first.Fetched)
		}
		start = time.Now()
		second, err := crawl.Run(context.Background(), opts, first.Catalog)
		again := time.Since(start)
		if err != nil || second.Unchanged != len(srv.IDs()) || second.Parsed != 0 {
			b.Fatalf("second crawl: %v (%d unchanged, %d parsed)", err, second.Unchanged, second.Parsed)
		}
		b.ReportMetric(full.Seconds(), "full_s")
		b.ReportMetric(again.Seconds(), "all304_s")
		b.ReportMetric(full.Seconds()/again.Seconds(), "speedup_x")
		b.Logf("full crawl of %d pages: %v; second run, all 304: %v (%.1fx faster)", first.Fetched, full.Round(time.Millisecond), again.Round(time.Millisecond), full.Seconds()/again.Seconds())
	}
}
