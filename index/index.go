package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
	bolt "go.etcd.io/bbolt"

	"github.com/connex-dev/connex/catalog"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrNotBuilt is returned by Open when there is no index at the path.
	ErrNotBuilt = errors.New("index not built")
	// ErrLocked is returned by Open when another process holds the
	// index open for writing.
	ErrLocked = errors.New("index is locked by another process")
	// ErrOutdated is returned by Open for an index of another mapping
	// version; OpenOrBuild rebuilds it.
	ErrOutdated = errors.New("index was built by another version of connex")
	// ErrCorrupt is returned by Open for an index that cannot be read;
	// OpenOrBuild rebuilds it.
	ErrCorrupt = errors.New("index is corrupt")
	// ErrInvalidQuery is returned by Search for a filter value it does
	// not know (a kind, tier, product or deprecated mode).
	ErrInvalidQuery = errors.New("invalid query")
)

// versionKey is the internal (bleve metadata) key of MappingVersion.
var versionKey = []byte("connex_mapping_version")

// boltTimeout bounds the wait for the index's file lock: a locked index
// fails fast with ErrLocked instead of hanging.
const boltTimeout = "300ms"

// Index is an open, read-only search index.
type Index struct {
	bi   bleve.Index
	adv  bindex.Index
	tab  *table
	path string // folder actually opened ("" in memory)

	closeOnce sync.Once
	closeErr  error

	// The typo dictionary, read at the first typo (typo.go).
	typoOnce sync.Once
	typo     *typoDict
	typoErr  error
}

// typos returns the typo dictionary, decoding it from the side table the
// first time.
func (ix *Index) typos() (*typoDict, error) {
	ix.typoOnce.Do(func() { ix.typo, ix.typoErr = decodeTypoDict(ix.tab.typoRaw) })
	return ix.typo, ix.typoErr
}

// Open opens the index at path read-only. It fails, never hangs, when the
// index is locked (ErrLocked) or missing (ErrNotBuilt); an index of another
// mapping version gives ErrOutdated, an unreadable one ErrCorrupt.
func Open(path string) (*Index, error) {
	ix, err := openResolved(path)
	if errors.Is(err, fs.ErrNotExist) {
		// A build may have swapped the link and removed the folder we
		// resolved between the two steps: resolve once more.
		ix, err = openResolved(path)
	}
	if err != nil {
		return nil, err
	}
	return ix, nil
}

func openResolved(path string) (*Index, error) {
	target, err := filepath.EvalSymlinks(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open index %s: %w (run 'connex import' or 'connex refresh')", path, ErrNotBuilt)
	}
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	return openDir(target)
}

// openDir opens one built index folder read-only and loads its table.
func openDir(dir string) (*Index, error) {
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if _, err2 := os.Stat(dir); errors.Is(err2, fs.ErrNotExist) {
				return nil, fmt.Errorf("open index %s: %w", dir, err2)
			}
			return nil, fmt.Errorf("open index %s: no index_meta.json: %w", dir, ErrCorrupt)
		}
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	bi, err := bleve.OpenUsing(dir, map[string]interface{}{
		"read_only":    true,
		"bolt_timeout": boltTimeout,
	})
	if err != nil {
		switch {
		case errors.Is(err, bolt.ErrTimeout):
			return nil, fmt.Errorf("open index %s: %w (another connex may be writing it; try again, or remove the folder to rebuild)", dir, ErrLocked)
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("open index %s: %w", dir, err)
		}
		return nil, fmt.Errorf("open index %s: %w: %v", dir, ErrCorrupt, err)
	}
	ix := &Index{bi: bi, path: dir}
	if err := ix.load(dir); err != nil {
		_ = bi.Close()
		return nil, err
	}
	return ix, nil
}

// load checks the mapping version, reads the side table and checks it
// against the index.
func (ix *Index) load(dir string) error {
	v, err := ix.bi.GetInternal(versionKey)
	if err != nil {
		return fmt.Errorf("open index %s: %w: %v", dir, ErrCorrupt, err)
	}
	if string(v) != strconv.Itoa(MappingVersion) {
		return fmt.Errorf("open index %s: mapping version %q, this connex uses %d: %w", dir, v, MappingVersion, ErrOutdated)
	}
	data, err := os.ReadFile(filepath.Join(dir, tableFile))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("open index %s: no %s: %w", dir, tableFile, ErrCorrupt)
		}
		return fmt.Errorf("open index %s: %w", dir, err)
	}
	tab, err := decodeTable(data)
	if err != nil {
		if errors.Is(err, ErrOutdated) {
			return fmt.Errorf("open index %s: %w", dir, err)
		}
		return fmt.Errorf("open index %s: %w: %v", dir, ErrCorrupt, err)
	}
	ix.tab = tab
	ix.adv, err = ix.bi.Advanced()
	if err != nil {
		return fmt.Errorf("open index %s: %w", dir, err)
	}
	return ix.verify()
}

// verify checks that the table describes the index: same document count,
// and the first and last entries name the documents at their numbers.
func (ix *Index) verify() error {
	n, err := ix.bi.DocCount()
	if err != nil {
		return fmt.Errorf("index %s: %w", ix.path, err)
	}
	if n != uint64(len(ix.tab.entries)) {
		return fmt.Errorf("index %s: %d documents but the table lists %d: %w", ix.path, n, len(ix.tab.entries), ErrCorrupt)
	}
	if n == 0 {
		return nil
	}
	r, err := ix.adv.Reader()
	if err != nil {
		return fmt.Errorf("index %s: %w", ix.path, err)
	}
	defer r.Close()
	for _, ord := range []int{0, len(ix.tab.entries) - 1} {
		id, err := r.ExternalID(bindex.NewIndexInternalID(nil, ix.tab.nums[ord]))
		if err != nil || !sameDoc(id, ix.tab.docID(ord)) {
			return fmt.Errorf("index %s: document %d is %q, the table says %q: %w", ix.path, ix.tab.nums[ord], id, ix.tab.docID(ord), ErrCorrupt)
		}
	}
	return nil
}

// sameDoc compares a bleve id with a table id, ignoring the "#n" suffix
// of repeated operation ids.
func sameDoc(bleveID, tableID string) bool {
	if bleveID == tableID {
		return true
	}
	return len(bleveID) > len(tableID) && bleveID[:len(tableID)] == tableID && bleveID[len(tableID)] == '#'
}

// OpenOrBuild opens the index at path, (re)building it from cat first when
// it is missing, of an older mapping version, corrupt, or out of step with
// cat (document count or content fingerprint).
func OpenOrBuild(ctx context.Context, path string, cat *catalog.Catalog) (*Index, error) {
	ix, err := Open(path)
	switch {
	case err == nil:
		if len(ix.tab.entries) == docCount(cat) && ix.tab.fingerprint == fingerprint(cat) {
			return ix, nil
		}
		if err := ix.Close(); err != nil {
			return nil, err
		}
	case errors.Is(err, ErrNotBuilt), errors.Is(err, ErrOutdated), errors.Is(err, ErrCorrupt):
	default:
		return nil, err
	}
	if err := Build(ctx, path, cat); err != nil {
		return nil, err
	}
	return Open(path)
}

// NewMemory indexes cat in memory: for the small built-in sample catalogue
// and for tests. Nothing is written to disk.
func NewMemory(cat *catalog.Catalog) (*Index, error) {
	m, err := buildMapping()
	if err != nil {
		return nil, err
	}
	bi, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("in-memory index: %w", err)
	}
	p := newPlan(cat)
	if err := indexBatches(context.Background(), bi, p); err != nil {
		_ = bi.Close()
		return nil, fmt.Errorf("in-memory index: %w", err)
	}
	ix := &Index{bi: bi, tab: p.tab}
	if ix.adv, err = bi.Advanced(); err != nil {
		_ = bi.Close()
		return nil, err
	}
	// An in-memory scorch index never merges, so document numbers are
	// stable from here on.
	if err := numberEntries(ix.adv, p); err != nil {
		_ = bi.Close()
		return nil, fmt.Errorf("in-memory index: %w", err)
	}
	if err := p.tab.recordTypoDict(ix.adv); err != nil {
		_ = bi.Close()
		return nil, fmt.Errorf("in-memory index: %w", err)
	}
	if err := ix.verify(); err != nil {
		_ = bi.Close()
		return nil, err
	}
	return ix, nil
}

// Close releases the index. It is safe to call more than once.
func (ix *Index) Close() error {
	if ix == nil {
		return nil
	}
	ix.closeOnce.Do(func() { ix.closeErr = ix.bi.Close() })
	return ix.closeErr
}

// DocCount is the number of documents (connectors + operations).
func (ix *Index) DocCount() int { return len(ix.tab.entries) }
