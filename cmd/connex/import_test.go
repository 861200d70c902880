package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/scraper/defs"
)

// malformedCase is one hostile definition folder and what import must do.
type malformedCase struct {
	name     string
	write    func(t testing.TB, dir string) // writes the connector folder
	wantCode int
	wantOut  string // in stdout+stderr
}

func writeDef(t testing.TB, dir, body string) {
	t.Helper()
	folder := filepath.Join(dir, "custom-connectors", "Hostile")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, "apiDefinition.swagger.json"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

var malformedCases = []malformedCase{
	{
		name: "truncated JSON",
		write: func(t testing.TB, dir string) {
			writeDef(t, dir, "{\n  \"swagger\": \"2.0\",\n  \"info\": {\"title\": \"Cut Short\", \"version\": \"1\"},\n  \"paths\": {\n    \"/x\": {\"get\": {\"operationId\": \"X\", \"responses\":")
		},
		wantCode: 1,
		wantOut:  "custom-connectors/Hostile/apiDefinition.swagger.json:5:",
	},
	{
		name: "$ref cycle",
		write: func(t testing.TB, dir string) {
			writeDef(t, dir, `{"swagger":"2.0","info":{"title":"Loops","version":"1"},"paths":{"/a":{"get":{"operationId":"A","parameters":[{"$ref":"#/parameters/p"}],"responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/A"}}}}}},
"parameters":{"p":{"$ref":"#/parameters/q"},"q":{"$ref":"#/parameters/p"}},
"definitions":{"A":{"$ref":"#/definitions/B"},"B":{"type":"object","properties":{"a":{"$ref":"#/definitions/A"}}}}}`)
		},
		wantCode: 0,
		wantOut:  "Imported 1 connectors, 1 operations",
	},
	{
		name: "50 MiB file",
		write: func(t testing.TB, dir string) {
			var b bytes.Buffer
			b.WriteString(`{"swagger":"2.0","info":{"title":"Huge","version":"1"},"x-pad":"`)
			b.Write(bytes.Repeat([]byte("x"), 50<<20))
			b.WriteString(`","paths":{}}`)
			writeDef(t, dir, b.String())
		},
		wantCode: 1,
		wantOut:  "too large",
	},
	{
		name: "10,000 operations",
		write: func(t testing.TB, dir string) {
			var b strings.Builder
			b.WriteString(`{"swagger":"2.0","info":{"title":"Many Ops","version":"1"},"host":"example.com","paths":{`)
			for i := 0; i < 10000; i++ {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `"/op%d/{id}":{"get":{"operationId":"Op%d","summary":"Operation %d","parameters":[{"name":"id","in":"path","required":true,"type":"string"}],"responses":{"200":{"description":"ok"}}}}`, i, i, i)
			}
			b.WriteString(`}}`)
			writeDef(t, dir, b.String())
		},
		wantCode: 0,
		wantOut:  "Imported 1 connectors, 10000 operations",
	},
}

// TestImportMalformed: hostile definitions give a clear error or a bounded
// result, and a failed import leaves the existing catalogue as it was.
func TestImportMalformed(t *testing.T) {
	for _, tc := range malformedCases {
		t.Run(tc.name, func(t *testing.T) {
			dataDir, src := t.TempDir(), t.TempDir()
			snap := filepath.Join(dataDir, catalog.SnapshotFile)
			if err := catalog.Save(snap, catalog.Sample()); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(snap)
			tc.write(t, src)
			code, out, errOut := connex(t, dataDir, "import", src)
			if code != tc.wantCode || !strings.Contains(out+errOut, tc.wantOut) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant text %q", code, tc.wantCode, out, errOut, tc.wantOut)
			}
			after, _ := os.ReadFile(snap)
			if code != 0 && !bytes.Equal(before, after) {
				t.Fatal("a failed import changed the catalogue")
			}
		})
	}
}

// BenchmarkImportMalformed prints how long each hostile input takes to be
// refused or bounded (the floor is 2 s each).
func BenchmarkImportMalformed(b *testing.B) {
	for _, tc := range malformedCases {
		b.Run(strings.ReplaceAll(tc.name, " ", "_"), func(b *testing.B) {
			src := b.TempDir()
			tc.write(b, src)
			var total time.Duration
			for i := 0; i < b.N; i++ {
				dataDir := b.TempDir()
				var out, errOut bytes.Buffer
				start := time.Now()
				code := run([]string{"--data-dir", dataDir, "import", src}, strings.NewReader(""), &out, &errOut)
				total += time.Since(start)
				if code != tc.wantCode {
					b.Fatalf("exit %d: %s", code, errOut.String())
				}
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/import")
		})
	}
}

// BenchmarkImportAndIndex measures what `connex import` of the full real
// archive costs: reading the definitions, saving the snapshot and building
// the search index, the latter two at once as saveCatalog does (floor: 2 s
// for import + index).
func BenchmarkImportAndIndex(b *testing.B) {
	tarball := realdata.Tarball(b)
	var imp, store time.Duration
	for i := 0; i < b.N; i++ {
		a := &app{dataDir: b.TempDir(), ctx: b.Context()}
		t0 := time.Now()
		res, err := defs.Import(b.Context(), []string{tarball}, defs.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := a.saveCatalog(res.Catalog); err != nil {
			b.Fatal(err)
		}
		imp, store = imp+t1.Sub(t0), store+time.Since(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(imp.Milliseconds())/n, "import-ms")
	b.ReportMetric(float64(store.Milliseconds())/n, "save+index-ms")
	b.ReportMetric(float64((imp+store).Milliseconds())/n, "total-ms")
}
