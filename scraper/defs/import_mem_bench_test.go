package defs_test

import (
	"context"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/scraper/defs"
)

// BenchmarkImportUnionMemory imports both shared samples (the definitions
// and the Power Platform API replies) and reports the memory it takes:
// the live heap still held by the result once the import has returned
// (what the catalogue costs the rest of connex import), the highest heap
// seen while importing (sampled), and the process's peak RSS. Run it alone
// so the RSS is the import's:
//
//	go test -run '^$' -bench ImportUnionMemory -benchtime 3x ./scraper/defs
func BenchmarkImportUnionMemory(b *testing.B) {
	sources := []string{realdata.Tarball(b), apiTarball(b)}
	var live, peak uint64
	var conns int
	start, cpu := time.Now(), processCPU()
	for b.Loop() {
		runtime.GC()
		stop := sampleHeap()
		res, err := defs.Import(context.Background(), sources, defs.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		peak = max(peak, stop())
		// Twice: buffers left in the import's pools are dropped by the
		// second collection after their last use.
		runtime.GC()
		runtime.GC()
		live = max(live, heapLive())
		conns = len(res.Catalog.Connectors)
		runtime.KeepAlive(res)
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/import")
	b.ReportMetric(float64((processCPU()-cpu).Milliseconds())/float64(b.N), "cpu-ms/import")
	b.ReportMetric(float64(live)/(1<<20), "live-MiB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	if rss, ok := peakRSS(); ok {
		b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
	}
	b.ReportMetric(float64(conns), "connectors")
	debug.FreeOSMemory()
}

// heapLive is the bytes of live heap objects (call after runtime.GC).
func heapLive() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// sampleHeap samples the heap (objects, live or not yet collected) every
// millisecond until the returned function is called, which returns the
// highest value seen: what the import makes the heap grow to.
func sampleHeap() func() uint64 {
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, heapLive())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return max(peak, heapLive())
	}
}
