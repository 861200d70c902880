package index

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zapx "github.com/blevesearch/zapx/v17"
	"github.com/gofrs/flock"
	"golang.org/x/sync/errgroup"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/atomicfile"
)

// batchSize is the number of documents per bleve batch of an in-memory
// index (one batch per document costs ~40 s for the full catalogue).
const batchSize = 250

// The offline build splits the documents into segmentsPerWorker segments
// per core, of at least minSegmentDocs documents. The single-threaded
// merge of the segments is the build's critical path and costs less the
// fewer they are (union of both samples, CPU: 97 segments of 250
// documents 1.0 s, 24 of 1,000 0.85 s, 8 of 3,000 0.68 s), while building
// one costs the same per document whatever its size; a few per core keep
// the cores busy to the end (the first documents, connectors, weigh more).
const (
	segmentsPerWorker = 12
	minSegmentDocs    = 250
)

// Layout on disk: path is a symbolic link to a sibling folder
// "<base>.v<stamp>" holding one complete index. Build writes a new folder,
// verifies it, then points the link at it with rename(2), which replaces
// the link atomically: a reader opens either the old index or the new one,
// and a reader that has the old one open keeps reading it (its files stay
// open after the folder is removed). Concurrent builders serialise on
// "<base>.lock".
const (
	versionDirInfix = ".v"
	linkInfix       = ".link-"
	oldInfix        = ".old-"
	lockSuffix      = ".lock"
)

// Build builds a fresh index of cat in a new folder beside path, verifies
// it (document count = connectors + operations), then swaps it in at path
// atomically. Readers of the old index are not disturbed.
func Build(ctx context.Context, path string, cat *catalog.Catalog) error {
	path = filepath.Clean(path)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("build index %s: %w", path, err)
	}
	lock := flock.New(path + lockSuffix)
	locked, err := lock.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil || !locked {
		return fmt.Errorf("build index %s: waiting for another build: %w", path, errOr(err, ctx.Err()))
	}
	defer lock.Unlock()

	current := currentTarget(path)
	cleanStale(path, current)

	dir, err := newVersionDir(path)
	if err != nil {
		return fmt.Errorf("build index %s: %w", path, err)
	}
	if err := buildDir(ctx, dir, cat); err != nil {
		_ = os.RemoveAll(dir)
		return fmt.Errorf("build index %s: %w", path, err)
	}
	if err := swapIn(path, dir); err != nil {
		_ = os.RemoveAll(dir)
		return fmt.Errorf("build index %s: %w", path, err)
	}
	if current != "" && current != dir {
		// Open readers keep their files; only the names go.
		_ = os.RemoveAll(current)
	}
	return nil
}

func errOr(err, alt error) error {
	if err != nil {
		return err
	}
	if alt != nil {
		return alt
	}
	return errors.New("lock not acquired")
}

// currentTarget is the folder path currently points to ("" when none).
func currentTarget(path string) string {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return ""
	}
	t, err := os.Readlink(path)
	if err != nil {
		return ""
	}
	if !filepath.IsAbs(t) {
		t = filepath.Join(filepath.Dir(path), t)
	}
	return filepath.Clean(t)
}

// cleanStale removes what interrupted builds left beside path: version
// folders other than the current one, temporary links, and folders moved
// aside. Callers hold the build lock, so no other build is using them.
func cleanStale(path, current string) {
	base := filepath.Base(path)
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) {
			continue
		}
		rest := name[len(base):]
		if !strings.HasPrefix(rest, versionDirInfix) && !strings.HasPrefix(rest, linkInfix) && !strings.HasPrefix(rest, oldInfix) {
			continue
		}
		full := filepath.Join(filepath.Dir(path), name)
		if full == current {
			continue
		}
		_ = os.RemoveAll(full)
	}
}

func newVersionDir(path string) (string, error) {
	for i := 0; i < 10; i++ {
		dir := path + versionDirInfix + strconv.FormatInt(time.Now().UnixNano(), 36)
		if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
			return dir, nil
		}
	}
	return "", errors.New("cannot find a free folder name")
}

// buildDir writes a complete, verified index of cat into dir.
func buildDir(ctx context.Context, dir string, cat *catalog.Catalog) error {
	m, err := buildMapping()
	if err != nil {
		return err
	}
	p := newPlan(cat)
	if err := writeBuilt(ctx, dir, m, p); err != nil {
		return err
	}

	// Read every document's number from a read-only open, exactly as
	// readers will see the index: the side table is keyed by them.
	ro, err := bleve.OpenUsing(dir, map[string]interface{}{"read_only": true, "bolt_timeout": boltTimeout})
	if err != nil {
		return fmt.Errorf("reopen: %w", err)
	}
	defer ro.Close()
	radv, err := ro.Advanced()
	if err != nil {
		return err
	}
	if err := numberEntries(radv, p); err != nil {
		return err
	}
	if err := p.tab.recordTypoDict(radv); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, tableFile), p.tab.encode(), 0o644); err != nil {
		return err
	}
	ix := &Index{bi: ro, adv: radv, tab: p.tab, path: dir}
	return ix.verify()
}

// writeBuilt writes the plan's documents into dir as one zap segment, on
// every core: workers each take the next run of documents, map and
// analyse them and build them into a segment of their own, in memory;
// the segments are then merged into the index's single segment file in
// one pass. (scorch's offline Builder does the same on one goroutine:
// segment building, ~70% of the build, was the critical path while the
// other cores idled; and it writes and syncs each segment to a file of
// its own before the merge reads it back: ~100 synced files that are
// removed right after, seconds when the disk is busy.)
//
// The index around the segment (root.bolt: the segment's file name, its
// type and version, and the internal metadata, nothing that depends on
// the documents) is written by scorch's Builder for a one-document
// placeholder whose segment is then replaced by ours under the same name.
// buildDir verifies the result through a normal read-only open, so a bleve
// upgrade that broke this would fail the build (and its tests) instead of
// serving a wrong index.
func writeBuilt(ctx context.Context, dir string, m *mapping.IndexMappingImpl, p *plan) error {
	mappingJSON, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// What bleve.NewBuilder writes, plus our version in the internal
	// metadata (its wrapper takes only the mapping).
	if err := os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte(`{"storage":"scorch","index_type":"scorch"}`), 0o644); err != nil {
		return err
	}
	store := filepath.Join(dir, "store")
	sb, err := scorch.NewBuilder(map[string]interface{}{
		"path":            store,
		"buildPathPrefix": dir,
		"internal": map[string][]byte{
			"_mapping":         mappingJSON,
			string(versionKey): []byte(strconv.Itoa(MappingVersion)),
		},
	})
	if err != nil {
		return err
	}
	if err := sb.Index(bdoc.NewDocument("placeholder")); err != nil {
		_ = sb.Close()
		return err
	}
	if err := sb.Close(); err != nil {
		return err
	}
	segs, err := buildSegments(ctx, m, p)
	defer func() {
		for _, s := range segs {
			if s != nil {
				_ = s.Close()
			}
		}
	}()
	if err != nil {
		return err
	}
	merged := filepath.Join(dir, "merged.zap")
	if err := mergeSegments(ctx, segs, merged); err != nil {
		_ = os.Remove(merged)
		return err
	}
	// The placeholder's segment: scorch's Builder names its one segment
	// with id 2, as an index that took a single batch would.
	return os.Rename(merged, filepath.Join(store, fmt.Sprintf("%012x.zap", 2)))
}

// zapPlugin is the segment format scorch writes by default (and reads
// back from root.bolt's type and version).
var zapPlugin = &zapx.ZapPlugin{}

// buildSegments builds the plan's documents into in-memory segments (see
// segmentsPerWorker), in document order.
func buildSegments(ctx context.Context, m *mapping.IndexMappingImpl, p *plan) ([]segment.Segment, error) {
	fa, err := newFieldAnalyzers(m)
	if err != nil {
		return nil, err
	}
	workers := runtime.GOMAXPROCS(0)
	per := max(minSegmentDocs, (len(p.docs)+workers*segmentsPerWorker-1)/(workers*segmentsPerWorker))
	n := (len(p.docs) + per - 1) / per
	segs := make([]segment.Segment, n)
	var next atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	for range max(1, min(n, workers)) {
		g.Go(func() error {
			da := fa.newDocAnalyser()
			docs := make([]bindex.Document, 0, per)
			for {
				b := int(next.Add(1) - 1)
				if b >= n {
					return nil
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				docs = docs[:0]
				for ord := b * per; ord < min(len(p.docs), (b+1)*per); ord++ {
					docs = append(docs, da.document(p.ids[ord], p.docs[ord]))
				}
				seg, _, err := zapPlugin.New(docs)
				if err != nil {
					return err
				}
				segs[b] = seg
			}
		})
	}
	return segs, g.Wait()
}

// mergeSegments merges segs, in order, into one segment file at out
// (documents keep their order); zap syncs it.
func mergeSegments(ctx context.Context, segs []segment.Segment, out string) error {
	closeCh := make(chan struct{})
	stop := context.AfterFunc(ctx, func() { close(closeCh) })
	defer stop()
	_, _, err := zapPlugin.Merge(segs, make([]*roaring.Bitmap, len(segs)), out, closeCh, nil)
	if err != nil {
		return errOr(ctx.Err(), err)
	}
	return nil
}

// indexBatches indexes the plan's documents in batches, honouring ctx.
func indexBatches(ctx context.Context, bi bleve.Index, p *plan) error {
	b := bi.NewBatch()
	for ord := range p.docs {
		if err := b.Index(p.ids[ord], p.docs[ord]); err != nil {
			return fmt.Errorf("document %s: %w", p.ids[ord], err)
		}
		if b.Size() >= batchSize {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := bi.Batch(b); err != nil {
				return err
			}
			b.Reset()
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if b.Size() > 0 {
		if err := bi.Batch(b); err != nil {
			return err
		}
	}
	return nil
}

// numberEntries reads every document's internal number and records it in
// the plan's table; it fails unless the index holds exactly the plan's
// documents.
func numberEntries(adv bindex.Index, p *plan) error {
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	ords := make(map[string]int, len(p.ids))
	for ord, id := range p.ids {
		ords[id] = ord
	}
	p.tab.nums = make([]uint64, len(p.ids))
	seen := make([]bool, len(p.ids))
	all, err := r.DocIDReaderAll()
	if err != nil {
		return err
	}
	defer all.Close()
	var maxNum uint64
	count := 0
	for {
		iid, err := all.Next()
		if err != nil {
			return err
		}
		if iid == nil {
			break
		}
		ext, err := r.ExternalID(iid)
		if err != nil {
			return err
		}
		ord, ok := ords[ext]
		if !ok || seen[ord] {
			return fmt.Errorf("index holds unexpected document %q: %w", ext, ErrCorrupt)
		}
		seen[ord] = true
		n := iid.Value()
		p.tab.nums[ord] = n
		maxNum = max(maxNum, n)
		count++
	}
	if count != len(p.ids) {
		return fmt.Errorf("index holds %d documents, the catalogue %d (connectors + operations): %w", count, len(p.ids), ErrCorrupt)
	}
	p.tab.index(maxNum)
	return nil
}

// swapIn points path at dir atomically.
func swapIn(path, dir string) error {
	fi, err := os.Lstat(path)
	switch {
	case err == nil && fi.Mode()&fs.ModeSymlink == 0:
		// A plain folder or file from elsewhere: move it aside once;
		// from now on path is a link.
		aside := path + oldInfix + strconv.FormatInt(time.Now().UnixNano(), 36)
		if err := os.Rename(path, aside); err != nil {
			return err
		}
		defer os.RemoveAll(aside)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tmp := path + linkInfix + hex.EncodeToString(rnd[:])
	if err := os.Symlink(filepath.Base(dir), tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// document builds the indexed form of the entry r points to.
func (r ref) document() document {
	c := r.conn
	d := document{Publisher: c.Publisher, Categories: c.Categories}
	if r.op == nil {
		d.Name = c.Name
		d.Alias = strings.Join(append([]string{c.ID}, c.Aliases...), " ")
		d.Description = c.Description
		return d
	}
	d.Name = r.op.Name
	d.Operation = r.op.ID
	// The id too: "office365 send email" names the connector by its id.
	d.Connector = c.Name + " " + c.ID
	d.Description = r.op.Description
	return d
}
