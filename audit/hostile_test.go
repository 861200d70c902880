package audit

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const tinyFlow = `{"properties": {"definition": {"triggers": {}, "actions": {}}}}`

// TestZipBomb: an entry that decompresses hundreds of times its packed
// size is refused, by its declared sizes and, when the header lies, by
// what it really yields.
func TestZipBomb(t *testing.T) {
	dir := t.TempDir()
	bomb := filepath.Join(dir, "bomb.zip")
	// 8 MiB of spaces inside a flow: deflate packs it about 1000:1.
	writeZip(t, bomb, [][2]string{{"Workflows/Bomb-1AD90513-B7A0-ED11-AAD1-0022482A43B9.json",
		`{"properties": {"definition": {"actions": {}}}, "pad": "` + strings.Repeat(" ", 8<<20) + `"}`}})
	_, err := Load(bomb, Limits{})
	if !errors.Is(err, ErrZipBomb) {
		t.Fatalf("err = %v, want ErrZipBomb", err)
	}
	if !strings.Contains(err.Error(), "bomb.zip") || !strings.Contains(err.Error(), "over 200:1") {
		t.Errorf("unclear error: %v", err)
	}
	// The same entry under a smaller per-entry limit: refused for size
	// before the ratio is even looked at.
	_, err = Load(bomb, Limits{MaxEntrySize: 1 << 20})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	// A header that claims a small size: archive/zip stops at the
	// declared size and reports the mismatch; nothing past it is read.
	liar := filepath.Join(dir, "liar.zip")
	writeLyingZip(t, liar, "Workflows/x.json", bytes.Repeat([]byte{' '}, 4<<20), 100)
	_, err = Load(liar, Limits{})
	if err == nil || !strings.Contains(err.Error(), "liar.zip: Workflows/x.json: entry does not match its header (corrupt or hostile archive): zip: not a valid zip file") {
		t.Fatalf("lying header: err = %v", err)
	}
	// The total of many honest entries is bounded too.
	many := filepath.Join(dir, "many.zip")
	var files [][2]string
	for _, n := range []string{"a", "b", "c"} {
		files = append(files, [2]string{"Workflows/" + n + ".json", tinyFlow + strings.Repeat("\n", 600<<10)})
	}
	writeZip(t, many, files)
	_, err = Load(many, Limits{MaxTotalSize: 1 << 20, MaxRatio: 1 << 20})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "in all") {
		t.Fatalf("total: err = %v", err)
	}
}

// writeLyingZip stores data (uncompressed) under a header that declares
// size bytes.
func writeLyingZip(t *testing.T, p, name string, data []byte, size uint64) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store,
		CompressedSize64: uint64(len(data)), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTooManyEntries(t *testing.T) {
	p := filepath.Join(t.TempDir(), "wide.zip")
	var files [][2]string
	for i := 0; i < 50; i++ {
		files = append(files, [2]string{"x/" + strings.Repeat("a", i+1), ""})
	}
	files = append(files, [2]string{"Workflows/f.json", tinyFlow})
	writeZip(t, p, files)
	_, err := Load(p, Limits{MaxEntries: 20})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "lists 51 entries, over the limit of 20") {
		t.Fatalf("err = %v", err)
	}
	if fs, err := Load(p, Limits{}); err != nil || len(fs) != 1 {
		t.Fatalf("within limits: %d flows, %v", len(fs), err)
	}
}

func TestPathTraversal(t *testing.T) {
	for _, name := range []string{
		"../evil.json",
		"Workflows/../../evil.json",
		"/etc/Workflows/x.json",
		`Workflows\..\..\evil.json`,
		`C:\Workflows\x.json`,
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "trav.zip")
			writeZip(t, p, [][2]string{{"Workflows/ok.json", tinyFlow}, {name, tinyFlow}})
			_, err := Load(p, Limits{})
			if !errors.Is(err, ErrUnsafePath) {
				t.Fatalf("err = %v, want ErrUnsafePath", err)
			}
			if !strings.Contains(err.Error(), "trav.zip") {
				t.Errorf("error does not name the archive: %v", err)
			}
		})
	}
}

// TestOversizedArchive: an archive over the size limit is refused from
// its size alone (a sparse file: nothing is written or read).
func TestOversizedArchive(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.zip")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(101 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = Load(p, Limits{})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "101.0 MiB, over the 100.0 MiB limit") {
		t.Fatalf("err = %v", err)
	}
	// A plain JSON file over the per-file limit.
	j := filepath.Join(t.TempDir(), "definition.json")
	if err := os.WriteFile(j, []byte(tinyFlow+strings.Repeat(" ", 2<<20)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(j, Limits{MaxEntrySize: 1 << 20}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("json: err = %v", err)
	}
}

func TestDeepNesting(t *testing.T) {
	dir := t.TempDir()
	// Deep JSON: refused before decoding.
	deep := filepath.Join(dir, "deep.json")
	if err := os.WriteFile(deep, []byte(`{"properties": {"definition": {"actions": `+strings.Repeat("[", 100_000)+strings.Repeat("]", 100_000)+`}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(deep, Limits{})
	if !errors.Is(err, ErrTooDeep) || !strings.Contains(err.Error(), "JSON nests more than 512 levels") {
		t.Fatalf("err = %v", err)
	}
	// Deep scopes within the JSON limit: the walk stops at its own.
	var b strings.Builder
	const levels = 200
	b.WriteString(`{"properties": {"definition": {"actions": `)
	for i := 0; i < levels; i++ {
		b.WriteString(`{"s": {"type": "Scope", "actions": `)
	}
	b.WriteString(`{}`)
	for i := 0; i < levels; i++ {
		b.WriteString(`}}`)
	}
	b.WriteString(`}}}`)
	scopes := filepath.Join(dir, "scopes.json")
	if err := os.WriteFile(scopes, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(scopes, Limits{MaxJSONDepth: 1000})
	if !errors.Is(err, ErrTooDeep) || !strings.Contains(err.Error(), "actions nest more than 128 levels") {
		t.Fatalf("err = %v", err)
	}
	if _, err := Load(scopes, Limits{MaxJSONDepth: 1000, MaxActionDepth: 300}); err != nil {
		t.Fatalf("within limits: %v", err)
	}
}

func TestNotAFlow(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"a.json":    `{"hello": "world"}`,
		"b.json":    `[1, 2`,
		"empty.zip": "",
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(p, Limits{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	noflows := filepath.Join(dir, "noflows.zip")
	writeZip(t, noflows, [][2]string{{"solution.xml", "<x/>"}})
	if _, err := Load(noflows, Limits{}); !errors.Is(err, ErrNotFlow) {
		t.Errorf("zip without flows: %v", err)
	}
}
