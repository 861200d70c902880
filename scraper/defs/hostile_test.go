package defs_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connex-dev/connex/scraper/defs"
)

// zeroArchive is a small .tar.gz whose entries expand to n zero-filled
// swagger and apiProperties files of size bytes each (a multiple of 1 MiB):
// under a megabyte on disk, gigabytes once inflated. It is written as
// concatenated gzip members (which gzip readers accept as one stream), so
// the megabyte of zeros is compressed once.
func zeroArchive(t testing.TB, n int, size int64) string {
	t.Helper()
	member := func(data []byte) []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(data)
		zw.Close()
		return b.Bytes()
	}
	zeroMiB := member(make([]byte, 1<<20))
	var out bytes.Buffer
	for i := range n {
		for _, name := range []string{"apiDefinition.swagger.json", "apiProperties.json"} {
			var hb bytes.Buffer
			hdr := &tar.Header{Name: fmt.Sprintf("repo/certified-connectors/C%03d/%s", i, name), Typeflag: tar.TypeReg, Mode: 0o644, Size: size}
			if err := tar.NewWriter(&hb).WriteHeader(hdr); err != nil {
				t.Fatal(err)
			}
			out.Write(member(hb.Bytes()))
			for range size >> 20 {
				out.Write(zeroMiB)
			}
		}
	}
	out.Write(member(make([]byte, 1024))) // end of archive
	p := filepath.Join(t.TempDir(), "bomb.tar.gz")
	if err := os.WriteFile(p, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// sparseFolder is a folder of n connector folders, each with a sparse
// swagger and apiProperties file of size bytes (no disk space used).
func sparseFolder(t testing.TB, n int, size int64) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "certified-connectors")
	for i := range n {
		dir := filepath.Join(root, fmt.Sprintf("C%03d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"apiDefinition.swagger.json", "apiProperties.json"} {
			f, err := os.Create(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Truncate(size); err != nil {
				t.Fatal(err)
			}
			f.Close()
		}
	}
	return root
}

// TestImportRefusesHugeSources: the sources of the hostile-input issue
// are refused with a clear error, whatever the size of each file.
func TestImportRefusesHugeSources(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		// 15 MiB files pass the per-file cap; the source's total does not.
		{"archive of files under the file cap", zeroArchive(t, 20, 15<<20), "holds more than 256 MiB of definition files; refused"},
		{"archive of files over the file cap", zeroArchive(t, 40, 20<<20), "expands to more than 512 MiB; refused"},
		{"folder of files under the file cap", sparseFolder(t, 100, 15<<20), "holds more than 256 MiB of definition files; refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := defs.Import(context.Background(), []string{tc.src}, opts())
			if !errors.Is(err, defs.ErrNothingImported) || !errors.Is(err, defs.ErrTooLarge) {
				t.Fatalf("err = %v, want ErrNothingImported and ErrTooLarge", err)
			}
			if len(res.Failed) != 1 || res.Failed[0].Path != tc.src || !strings.Contains(res.Failed[0].Error, tc.want) {
				t.Errorf("failed %+v, want one failure saying %q", res.Failed, tc.want)
			}
			if len(res.Catalog.Connectors) != 0 {
				t.Errorf("%d connectors kept from a refused source", len(res.Catalog.Connectors))
			}
		})
	}
	// Files over the per-file cap are refused from their size, unread.
	res, err := defs.Import(context.Background(), []string{sparseFolder(t, 100, 20<<20)}, opts())
	if !errors.Is(err, defs.ErrNothingImported) || res.Files != 100 || len(res.Failed) != 100 ||
		!strings.Contains(res.Failed[0].Error, "over the 16 MiB limit for one file") {
		t.Errorf("20 MiB pairs: err %v, files %d, failed %d %+v", err, res.Files, len(res.Failed), res.Failed[:min(1, len(res.Failed))])
	}
}

// TestImportCancelledMidSource: a cancelled context stops a long source.
func TestImportCancelledMidSource(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	src := sparseFolder(t, 50, 1<<20)
	var o = opts()
	o.Progress = func(done, total int) {
		if done == 3 {
			cancel()
		}
	}
	_, err := defs.Import(ctx, []string{src}, o)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// BenchmarkHostileSources imports the hostile sources and reports the
// process's peak RSS (run alone: -run '^$' -bench HostileSources).
func BenchmarkHostileSources(b *testing.B) {
	bomb := zeroArchive(b, 20, 15<<20)
	folder := sparseFolder(b, 100, 15<<20)
	pairs := sparseFolder(b, 100, 20<<20)
	for b.Loop() {
		for _, src := range []string{bomb, folder, pairs} {
			if _, err := defs.Import(context.Background(), []string{src}, defs.ImportOptions{Workers: 2}); err == nil {
				b.Fatalf("%s imported", src)
			}
		}
	}
	if rss, ok := peakRSS(); ok {
		b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
	}
}
