package replica

import (
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/connex-dev/connex/internal/realdata"
)

// BenchmarkBuild measures building the replica from the real list and
// definitions (the import itself is done once, outside the timing).
func BenchmarkBuild(b *testing.B) {
	list, defs := realdata.ReferenceList(b), realdata.Catalog(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := New(Options{ListPath: list, Definitions: defs, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkServeAll fetches the list page and all 1,466 connector pages
// over loopback HTTP with 8 clients, first renders included: the server's
// share of a full crawl.
func BenchmarkServeAll(b *testing.B) {
	list, defs := realdata.ReferenceList(b), realdata.Catalog(b)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	var pages, bytes int64
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := New(Options{ListPath: list, Definitions: defs, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		base, err := s.Start()
		if err != nil {
			b.Fatal(err)
		}
		urls := make(chan string)
		var mu sync.Mutex
		var wg sync.WaitGroup
		b.StartTimer()
		start := time.Now()
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for u := range urls {
					resp, err := client.Get(u)
					if err != nil {
						b.Error(err)
						continue
					}
					n, _ := io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					mu.Lock()
					pages++
					bytes += n
					mu.Unlock()
				}
			}()
		}
		urls <- base + "connector-reference/"
		for _, id := range s.IDs() {
			urls <- base + id + "/"
		}
		close(urls)
		wg.Wait()
		elapsed += time.Since(start)
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(pages)/elapsed.Seconds(), "pages/s")
	b.ReportMetric(float64(bytes)/float64(b.N)/(1<<20), "MiB/crawl")
}
