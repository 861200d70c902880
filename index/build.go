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
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"
	"github.com/gofrs/flock"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/atomicfile"
)

// batchSize is the number of documents per bleve batch (per segment of
// the offline builder): one batch per document costs ~40 s for the full
// catalogue; 1,000 is as fast as one 15,000-document segment and merges
// into a smaller index (6.3 MiB against 7.6); 500 gives the same index
// and the first segment sooner (~5% less wall time, as all segments are
// merged in one pass: see mergeMax), 2,000 is 10-20% slower.
const batchSize = 500

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

// writeBuilt writes the plan's documents into dir with scorch's offline
// builder: segments of batchSize documents written straight to files and
// merged into one at the end (no persister, no background merges, few
// fsyncs). The builder works on one goroutine, so workers analyse the
// next documents meanwhile and hand over analysed fields.
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
	sb, err := scorch.NewBuilder(map[string]interface{}{
		"path":            filepath.Join(dir, "store"),
		"buildPathPrefix": dir,
		"batchSize":       batchSize,
		// All segments in one merge at Close: with the default (10) most
		// were merged twice (~30% more merge time at 1,000 per batch).
		"mergeMax": max(2, (len(p.refs)+batchSize-1)/batchSize),
		"internal": map[string][]byte{
			"_mapping":         mappingJSON,
			string(versionKey): []byte(strconv.Itoa(MappingVersion)),
		},
	})
	if err != nil {
		return err
	}
	docs := make([]*bdoc.Document, len(p.refs))
	// Analyse in chunks on the other cores, a chunk ahead of the builder.
	const chunk = 250
	nChunks := (len(docs) + chunk - 1) / chunk
	done := make([]chan error, nChunks)
	for i := range done {
		done[i] = make(chan error, 1)
	}
	ctx, cancel := context.WithCancel(ctx)
	work := make(chan int)
	// One core is left to the builder: it is the critical path, and
	// one worker analyses twice as fast as it indexes.
	workers := max(1, runtime.GOMAXPROCS(0)-1)
	// At most one chunk per worker analysed ahead of the chunk the
	// builder indexes, and 4 at most: memory stays flat. Analysed
	// documents are ~10 KiB each: with one worker, 4 chunks kept ~5 MiB
	// more live for the whole build (which the garbage collector's pacing
	// doubles) for nothing: the builder is the slower, so one chunk
	// ready ahead of it keeps it busy.
	ahead := make(chan struct{}, min(4, workers+1))
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				var err error
				for ord := c * chunk; ord < min(len(docs), (c+1)*chunk) && err == nil; ord++ {
					docs[ord], err = analysedDocument(m, p.ids[ord], p.document(ord))
				}
				done[c] <- err
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(work)
		for c := 0; c < nChunks; c++ {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case work <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	for c := 0; c < nChunks; c++ {
		var err error
		select {
		case err = <-done[c]:
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			_ = sb.Close()
			return err
		}
		for ord := c * chunk; ord < min(len(docs), (c+1)*chunk); ord++ {
			if err := sb.Index(docs[ord]); err != nil {
				_ = sb.Close()
				return fmt.Errorf("document %s: %w", p.ids[ord], err)
			}
			docs[ord] = nil
		}
		<-ahead
	}
	if err := sb.Close(); err != nil {
		return err
	}
	return ctx.Err()
}

// analysedField is a text field analysed ahead of the builder: the
// builder calls Analyze again on its own goroutine, where counting the
// token frequencies took ~15% of its time, so here that call does
// nothing and the counts made on a worker are kept.
type analysedField struct{ *bdoc.TextField }

func (analysedField) Analyze() {}

// analysedDocument maps one document and runs its analysis now (tokens
// and their frequencies), leaving the builder only the segment to write.
func analysedDocument(m *mapping.IndexMappingImpl, id string, data document) (*bdoc.Document, error) {
	d := bdoc.NewDocument(id)
	if err := m.MapDocument(d, data); err != nil {
		return nil, err
	}
	for i, f := range d.Fields {
		tf, ok := f.(*bdoc.TextField)
		if !ok || !tf.Options().IsIndexed() {
			continue
		}
		tf.Analyze()
		d.Fields[i] = analysedField{tf}
	}
	return d, nil
}

// indexBatches indexes the plan's documents in batches, honouring ctx.
func indexBatches(ctx context.Context, bi bleve.Index, p *plan) error {
	b := bi.NewBatch()
	for ord := range p.refs {
		if err := b.Index(p.ids[ord], p.document(ord)); err != nil {
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

// document builds the indexed form of entry ord.
func (p *plan) document(ord int) document {
	r := p.refs[ord]
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
