package index

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// queryClass is one class of the realistic typing set.
type queryClass struct {
	name    string
	queries []Query
}

// prefixesOf returns every prefix of text, as typed one key at a time.
func prefixesOf(text string) []string {
	var out []string
	for i := 1; i <= len(text); i++ {
		out = append(out, text[:i])
	}
	return out
}

func textQueries(texts ...string) []Query {
	out := make([]Query, len(texts))
	for i, t := range texts {
		out[i] = Query{Text: t}
	}
	return out
}

// benchClasses is the typing set the floors are measured on.
func benchClasses() []queryClass {
	var letters []string
	for c := 'a'; c <= 'z'; c++ {
		letters = append(letters, string(c))
	}
	typing := append(append(prefixesOf("send email"), prefixesOf("create record")...), prefixesOf("sharepoint")...)
	return []queryClass{
		{"typing", textQueries(typing...)},
		{"one-letter", textQueries(letters...)},
		{"two-typos", textQueries("mialjte", "sharpeoint", "cretae recrod", "sned emial", "outlok calender", "docuemnt sigining", "transalte txet", "mailjte")},
		{"filtered", []Query{
			{Text: "send email", Kinds: []string{KindAction}},
			{Text: "when", Kinds: []string{KindTrigger}},
			{Text: "create", Tier: "premium"},
			{Text: "get", Products: []string{"Power Automate"}},
			{Text: "mail", Publisher: "certified"},
			{Text: "s", Kinds: []string{KindTrigger}},
			{Text: "", Kinds: []string{KindConnector}},
			{Text: "record", Deprecated: DeprecatedOnly},
		}},
		{"empty", []Query{{}}},
	}
}

// fullIndexPath builds the index of the union of both shared samples
// (about 1,300 connectors, 23,000 documents) once per benchmark.
func fullIndexPath(b *testing.B) string {
	b.Helper()
	cat := unionCatalog(b)
	path := filepath.Join(b.TempDir(), "index")
	if err := Build(context.Background(), path, cat); err != nil {
		b.Fatal(err)
	}
	return path
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// BenchmarkBuild reports the build wall time and the index size on disk,
// on the union of both shared samples.
func BenchmarkBuild(b *testing.B) {
	cat := unionCatalog(b)
	dir := b.TempDir()
	var last time.Duration
	for i := 0; b.Loop(); i++ {
		path := filepath.Join(dir, fmt.Sprintf("index%d", i))
		runtime.GC()
		c0, start := processCPU(), time.Now()
		if err := Build(context.Background(), path, cat); err != nil {
			b.Fatal(err)
		}
		last = time.Since(start)
		cpu := processCPU() - c0
		target, _ := filepath.EvalSymlinks(path)
		mib := float64(dirSize(target)) / (1 << 20)
		b.ReportMetric(mib, "MiB")
		b.Logf("index build: %d documents in %v wall (%v CPU over all cores), %.1f MiB on disk",
			docCount(cat), last.Round(time.Millisecond), cpu.Round(time.Millisecond), mib)
	}
	b.ReportMetric(float64(last.Milliseconds()), "build-ms")
}

// BenchmarkOpen reports how long a read-only open takes.
func BenchmarkOpen(b *testing.B) {
	path := fullIndexPath(b)
	var times []time.Duration
	for b.Loop() {
		start := time.Now()
		ix, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
		ix.Close()
	}
	p50, p99 := percentiles(times)
	b.ReportMetric(float64(p50.Microseconds()), "p50-µs")
	b.Logf("open: p50 %v p99 %v over %d opens", p50, p99, len(times))
}

// BenchmarkQueries reports per-class latency percentiles, the way the TUI
// calls Search (facets and highlight on) and plain.
func BenchmarkQueries(b *testing.B) {
	path := fullIndexPath(b)
	ix, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	for _, mode := range []string{"tui", "plain"} {
		for _, class := range benchClasses() {
			b.Run(mode+"/"+class.name, func(b *testing.B) {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				b.ReportAllocs()
				var wall, cpu []time.Duration
				for b.Loop() {
					for _, q := range class.queries {
						if mode == "tui" {
							q.Facets, q.Highlight, q.Limit = true, true, 50
						}
						c0, start := threadCPU(), time.Now()
						if _, err := ix.Search(ctx, q); err != nil {
							b.Fatal(err)
						}
						wall = append(wall, time.Since(start))
						cpu = append(cpu, threadCPU()-c0)
					}
				}
				p50, p99 := percentiles(wall)
				c50, c99 := percentiles(cpu)
				b.ReportMetric(float64(p50.Microseconds()), "p50-µs")
				b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
				b.ReportMetric(float64(c99.Microseconds()), "cpu-p99-µs")
				b.Logf("%-5s %-10s wall p50 %8v p99 %8v | cpu p50 %8v p99 %8v | %d searches",
					mode, class.name, p50.Round(time.Microsecond), p99.Round(time.Microsecond),
					c50.Round(time.Microsecond), c99.Round(time.Microsecond), len(wall))
			})
		}
	}
}

func percentiles(times []time.Duration) (p50, p99 time.Duration) {
	if len(times) == 0 {
		return 0, 0
	}
	s := slices.Clone(times)
	slices.Sort(s)
	return s[len(s)*50/100], s[min(len(s)-1, len(s)*99/100)]
}

// TestBenchClassesValid keeps the benchmark's filters valid.
func TestBenchClassesValid(t *testing.T) {
	ix, err := NewMemory(sampleLike())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, c := range benchClasses() {
		for _, q := range c.queries {
			if _, err := ix.Search(context.Background(), q); err != nil {
				t.Errorf("%s %q: %v", c.name, q.Text, err)
			}
		}
	}
	if got := strings.Join(prefixesOf("abc"), ","); got != "a,ab,abc" {
		t.Errorf("prefixesOf = %s", got)
	}
}

// BenchmarkScan reports what the fallback scan searcher costs on the
// union catalogue: preparing it, and a query while typing.
func BenchmarkScan(b *testing.B) {
	cat := unionCatalog(b)
	start := time.Now()
	s := NewScanSearcher(cat)
	b.Logf("scan searcher: prepared %d documents in %v", docCount(cat), time.Since(start).Round(time.Millisecond))
	var times []time.Duration
	for b.Loop() {
		for _, q := range textQueries(prefixesOf("send email")...) {
			q.Facets, q.Limit = true, 50
			t0 := time.Now()
			if _, err := s.Search(context.Background(), q); err != nil {
				b.Fatal(err)
			}
			times = append(times, time.Since(t0))
		}
	}
	p50, p99 := percentiles(times)
	b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
	b.Logf("scan typing: p50 %v p99 %v over %d searches", p50, p99, len(times))
}

// BenchmarkTypoDictionary reports decoding the typo dictionary from the
// side table, which an open index does once, at its first typo.
func BenchmarkTypoDictionary(b *testing.B) {
	path := fullIndexPath(b)
	var times []time.Duration
	terms := 0
	for b.Loop() {
		ix, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		d, err := ix.typos()
		if err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
		terms = len(d.terms)
		ix.Close()
	}
	p50, _ := percentiles(times)
	b.ReportMetric(float64(p50.Microseconds()), "p50-µs")
	b.Logf("typo dictionary: %d terms read in %v (p50)", terms, p50)
}
