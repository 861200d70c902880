package index

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/connex-dev/connex/catalog"
)

func buildTest(t *testing.T, cat *catalog.Catalog) (string, *Index) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "index")
	if err := Build(context.Background(), path, cat); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return path, ix
}

func TestOpenMissing(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "nothing"))
	if !errors.Is(err, ErrNotBuilt) {
		t.Fatalf("Open of a missing index: %v, want ErrNotBuilt", err)
	}
}

func TestBuildVerifiesAndCounts(t *testing.T) {
	cat := testCatalog()
	path, ix := buildTest(t, cat)
	if got, want := ix.DocCount(), 16; got != want {
		t.Errorf("DocCount = %d, want %d (4 connectors + 12 operations)", got, want)
	}
	n, err := ix.bi.DocCount()
	if err != nil || n != 16 {
		t.Errorf("bleve DocCount = %d, %v; want 16", n, err)
	}
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s is not a symbolic link: %v", path, err)
	}
	v, err := ix.bi.GetInternal(versionKey)
	if err != nil || string(v) != strconv.Itoa(MappingVersion) {
		t.Errorf("stored mapping version = %q, %v; want %d", v, err, MappingVersion)
	}
}

// A table that does not describe the index (a document count that
// differs) is refused as corrupt, and OpenOrBuild rebuilds.
func TestDocCountVerification(t *testing.T) {
	cat := testCatalog()
	path, ix := buildTest(t, cat)
	ix.Close()
	dir, _ := filepath.EvalSymlinks(path)
	// Replace the table by one for a catalogue with one operation more.
	bigger := testCatalog()
	bigger.Connectors[0].Operations = append(bigger.Connectors[0].Operations, &catalog.Operation{ID: "Extra", Name: "Extra", Kind: catalog.KindAction})
	p := newPlan(bigger)
	p.tab.nums = make([]uint64, len(p.ids))
	for i := range p.tab.nums {
		p.tab.nums[i] = uint64(i)
	}
	if err := os.WriteFile(filepath.Join(dir, tableFile), p.tab.encode(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open with a 17-entry table over 16 documents: %v, want ErrCorrupt", err)
	}
	ix2, err := OpenOrBuild(context.Background(), path, cat)
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	if ix2.DocCount() != 16 {
		t.Errorf("after rebuild DocCount = %d, want 16", ix2.DocCount())
	}
}

func TestMappingVersionRebuild(t *testing.T) {
	cat := testCatalog()
	path, ix := buildTest(t, cat)
	ix.Close()
	dir, _ := filepath.EvalSymlinks(path)
	// Pretend an older connex built it.
	bi, err := bleve.OpenUsing(dir, map[string]interface{}{"bolt_timeout": "1s"})
	if err != nil {
		t.Fatal(err)
	}
	if err := bi.SetInternal(versionKey, []byte("0")); err != nil {
		t.Fatal(err)
	}
	bi.Close()
	if _, err := Open(path); !errors.Is(err, ErrOutdated) {
		t.Fatalf("Open of a version-0 index: %v, want ErrOutdated", err)
	}
	ix2, err := OpenOrBuild(context.Background(), path, cat)
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	dir2, _ := filepath.EvalSymlinks(path)
	if dir2 == dir {
		t.Error("OpenOrBuild did not rebuild the outdated index")
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("old index folder %s left behind: %v", dir, err)
	}
	if res := mustSearch(t, ix2, Query{Text: "bravo"}); res.Total == 0 {
		t.Error("rebuilt index finds nothing")
	}
}

// OpenOrBuild keeps an index that matches the catalogue and rebuilds one
// that does not (count or content).
func TestOpenOrBuildStaleness(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "index")
	cat := testCatalog()
	ix, err := OpenOrBuild(ctx, path, cat)
	if err != nil {
		t.Fatal(err)
	}
	dir1 := ix.path
	ix.Close()

	ix, err = OpenOrBuild(ctx, path, cat)
	if err != nil {
		t.Fatal(err)
	}
	if ix.path != dir1 {
		t.Error("OpenOrBuild rebuilt an index that matched the catalogue")
	}
	ix.Close()

	renamed := testCatalog()
	renamed.Connectors[1].Name = "Bravo Files" // same counts, new content
	ix, err = OpenOrBuild(ctx, path, renamed)
	if err != nil {
		t.Fatal(err)
	}
	if ix.path == dir1 {
		t.Error("OpenOrBuild kept an index whose catalogue changed")
	}
	if got := hitIDs(mustSearch(t, ix, Query{Text: "files", Kinds: []string{KindConnector}}).Hits); !slices.Equal(got, []string{"c:bravodocs"}) {
		t.Errorf("search files after rebuild = %v", got)
	}
	dir2 := ix.path
	ix.Close()

	aliased := testCatalog()
	aliased.Connectors[1].Name = "Bravo Files"
	aliased.Connectors[1].Aliases = []string{"shared_bravofiles"} // only an alias changed
	ix, err = OpenOrBuild(ctx, path, aliased)
	if err != nil {
		t.Fatal(err)
	}
	if ix.path == dir2 {
		t.Error("OpenOrBuild kept an index whose catalogue's aliases changed")
	}
	if got := hitIDs(mustSearch(t, ix, Query{Text: "shared_bravofiles"}).Hits); !slices.Equal(got, []string{"c:bravodocs"}) {
		t.Errorf("search the new alias = %v", got)
	}
	ix.Close()

	more := testCatalog()
	more.Connectors = more.Connectors[:3]
	ix, err = OpenOrBuild(ctx, path, more)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.DocCount() != 13 {
		t.Errorf("DocCount after rebuild for 3 connectors = %d, want 13", ix.DocCount())
	}
}

// A reader that has the old index open keeps working while a build swaps
// a new one in; a new Open sees the new one.
func TestAtomicSwapWithOpenReader(t *testing.T) {
	cat := testCatalog()
	path, old := buildTest(t, cat)
	oldDir := old.path

	changed := testCatalog()
	changed.Connectors[3].Name = "Postbox Courier"
	if err := Build(context.Background(), path, changed); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(oldDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("old folder still there after the swap: %v", err)
	}
	// The old reader still searches its (removed) files.
	for i := 0; i < 3; i++ {
		res := mustSearch(t, old, Query{Text: "relay", Kinds: []string{KindConnector}})
		if got := hitIDs(res.Hits); !slices.Equal(got, []string{"c:postboxrelay"}) {
			t.Fatalf("old reader: relay = %v", got)
		}
	}
	fresh, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if got := hitIDs(mustSearch(t, fresh, Query{Text: "courier"}).Hits); !slices.Equal(got, []string{"c:postboxrelay", "postboxrelay/SendMessage", "postboxrelay/OnBounce"}) {
		t.Errorf("new reader: courier = %v", got)
	}
	if res := mustSearch(t, fresh, Query{Text: "relay", Kinds: []string{KindConnector}}); res.Total != 1 {
		// "Relay messages through Postbox" is still its description.
		t.Errorf("new reader: relay total = %d, want 1", res.Total)
	}
	if err := old.Close(); err != nil {
		t.Errorf("closing the old reader: %v", err)
	}
}

// An index held open for writing by someone else fails fast with
// ErrLocked instead of hanging.
func TestOpenLockedFailsFast(t *testing.T) {
	path, ix := buildTest(t, testCatalog())
	ix.Close()
	dir, _ := filepath.EvalSymlinks(path)
	w, err := bleve.OpenUsing(dir, nil) // read-write: holds the exclusive lock
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	_, err = Open(path)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("Open of a locked index: %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name the folder", err)
	}
}

func TestStaleTempFoldersCleaned(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "index")
	stale := []string{path + ".v0abc", path + ".link-deadbeef", path + ".old-1"}
	for _, d := range stale[:1] {
		if err := os.MkdirAll(filepath.Join(d, "store"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("nowhere", stale[1]); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale[2], []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(root, "index-sample.v1") // another index's folder
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Build(context.Background(), path, testCatalog()); err != nil {
		t.Fatal(err)
	}
	for _, d := range stale {
		if _, err := os.Lstat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("stale %s not removed: %v", d, err)
		}
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another index's folder was removed: %v", err)
	}
	entries, _ := os.ReadDir(root)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	// index (link), index.lock, index.v<stamp>, index-sample.v1
	if len(names) != 4 {
		t.Errorf("folder holds %v, want the link, the lock, one index folder and the other index", names)
	}
}

// A plain folder at path (not a link) is replaced by the first build.
func TestBuildReplacesPlainFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	if err := os.MkdirAll(filepath.Join(path, "junk"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Open of a junk folder: %v, want ErrCorrupt", err)
	}
	ix, err := OpenOrBuild(context.Background(), path, testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.DocCount() != 16 {
		t.Errorf("DocCount = %d", ix.DocCount())
	}
}

func TestBuildCancelled(t *testing.T) {
	cat := testCatalog()
	path, ix := buildTest(t, cat)
	ix.Close()
	before, _ := filepath.EvalSymlinks(path)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Build(ctx, path, cat)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Build with a cancelled context: %v, want context.Canceled", err)
	}
	after, _ := filepath.EvalSymlinks(path)
	if after != before {
		t.Errorf("cancelled build swapped the index: %s -> %s", before, after)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 3 {
		t.Errorf("cancelled build left files: %d entries, want link, lock and index folder", len(entries))
	}
}

func TestCorruptTable(t *testing.T) {
	path, ix := buildTest(t, testCatalog())
	ix.Close()
	dir, _ := filepath.EvalSymlinks(path)
	file := filepath.Join(dir, tableFile)
	data, _ := os.ReadFile(file)
	data[len(data)/2] ^= 0xff
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Open with a flipped byte in the table: %v, want ErrCorrupt", err)
	}
	// Any truncation is refused, never a panic.
	for n := 0; n < len(data); n += 7 {
		if _, err := decodeTable(data[:n]); err == nil {
			t.Fatalf("decodeTable of %d bytes succeeded", n)
		}
	}
}

// Repeated operation ids in a definition are all kept.
func TestDuplicateOperationIDs(t *testing.T) {
	cat := testCatalog()
	ops := &cat.Connectors[3].Operations
	*ops = append(*ops, &catalog.Operation{ID: "SendMessage", Name: "Send message again", Kind: catalog.KindAction})
	_, ix := buildTest(t, cat)
	if ix.DocCount() != 17 {
		t.Errorf("DocCount = %d, want 17", ix.DocCount())
	}
	res := mustSearch(t, ix, Query{Text: "again"})
	if got := hitIDs(res.Hits); !slices.Equal(got, []string{"postboxrelay/SendMessage"}) {
		t.Errorf("again = %v", got)
	}
}

func TestNewMemorySample(t *testing.T) {
	ix, err := NewMemory(catalog.Sample())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	st := catalog.Sample().Stats()
	if ix.DocCount() != st.Connectors+st.Operations {
		t.Errorf("DocCount = %d, want %d", ix.DocCount(), st.Connectors+st.Operations)
	}
	res := mustSearch(t, ix, Query{Text: "CreateTaskV2"})
	if len(res.Hits) == 0 || hitIDs(res.Hits)[0] != "sampletasks/CreateTaskV2" {
		t.Errorf("CreateTaskV2 = %v", hitIDs(res.Hits))
	}
	res = mustSearch(t, ix, Query{Text: "forcast"}) // typo
	if len(res.Hits) == 0 || hitIDs(res.Hits)[0] != "sampleweather/GetForecast" {
		t.Errorf("forcast = %v", hitIDs(res.Hits))
	}
}

// Every hit carries what its result row shows, as the catalogue has it
// (read back from the side table on disk): an operation's display name,
// its or its connector's preview and deprecated flags, and whether it is
// internal.
func TestHitsCarryTheirRow(t *testing.T) {
	cat := testCatalog()
	_, ix := buildTest(t, cat)
	res := mustSearch(t, ix, Query{Text: "", Limit: 10000, Deprecated: DeprecatedInclude, Internal: true})
	var named, preview, deprecated, internal int
	for _, h := range res.Hits {
		conn, ok := cat.Connector(h.ConnectorID)
		if !ok {
			t.Fatalf("hit %s/%s: no such connector", h.ConnectorID, h.OperationID)
		}
		want := Hit{Preview: conn.Preview, Deprecated: conn.Deprecated}
		if h.OperationID != "" {
			op := conn.Operation(h.OperationID)
			want.Name, want.Internal = op.Name, op.Visibility == catalog.VisibilityInternal
			want.Preview, want.Deprecated = want.Preview || op.Preview, want.Deprecated || op.Deprecated
		}
		if h.Name != want.Name || h.Preview != want.Preview || h.Deprecated != want.Deprecated || h.Internal != want.Internal {
			t.Errorf("%s/%s: name %q preview %v deprecated %v internal %v; want %q %v %v %v", h.ConnectorID, h.OperationID,
				h.Name, h.Preview, h.Deprecated, h.Internal, want.Name, want.Preview, want.Deprecated, want.Internal)
		}
		for _, c := range []struct {
			on bool
			n  *int
		}{{h.Name != "", &named}, {h.Preview, &preview}, {h.Deprecated, &deprecated}, {h.Internal, &internal}} {
			if c.on {
				*c.n++
			}
		}
	}
	if named == 0 || preview == 0 || deprecated == 0 || internal == 0 {
		t.Errorf("the fixture should hold every case: %d named, %d preview, %d deprecated, %d internal (of %d hits)",
			named, preview, deprecated, internal, len(res.Hits))
	}
}

// FuzzDecodeTable: a table whose checksum was made to match (a crafted
// file, not a damaged one) decodes or is refused, never panics, and
// every text of a decoded one can be read.
func FuzzDecodeTable(f *testing.F) {
	p := newPlan(testCatalog())
	p.tab.nums = make([]uint64, len(p.tab.entries))
	for i := range p.tab.nums {
		p.tab.nums[i] = uint64(i)
	}
	f.Add(p.tab.encode())
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 4 {
			return
		}
		body := data[:len(data)-4]
		data = binary.BigEndian.AppendUint32(slices.Clip(body), crc32.Checksum(body, crc32.MakeTable(crc32.Castagnoli)))
		tab, err := decodeTable(data)
		if err != nil {
			return
		}
		for ord := range tab.entries {
			_, _, _, _ = tab.opID(ord), tab.opWords(ord), tab.opName(ord), tab.docID(ord)
		}
	})
}
