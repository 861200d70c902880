package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	"github.com/connex-dev/connex/internal/atomicfile"
)

// Lazy loading for commands that need little of the catalogue (search,
// show): the snapshot is opened for random access and only the connectors
// asked for are decoded.

// openSnapshot opens the saved catalogue, or the built-in samples when
// there is none yet. A corrupt or newer snapshot is an error, as in
// loadCatalog.
func (a *app) openSnapshot() (*catalog.Snapshot, error) {
	s, err := catalog.Open(a.catalogPath())
	if errors.Is(err, catalog.ErrNoCatalog) {
		return catalog.SnapshotOf(catalog.Sample()), nil
	}
	if errors.Is(err, catalog.ErrCorruptSnapshot) {
		// The same advice as usecase.Data.LoadCatalog: an import keeps
		// the corrupt file aside and writes a new one.
		return nil, fmt.Errorf("%w\n  (run 'connex import SOURCE' to rebuild it: the corrupt file is then kept aside as %s.corrupt-DATE)", err, catalog.SnapshotFile)
	}
	if err != nil {
		return nil, fmt.Errorf("%w\n  (run 'connex import' or 'connex refresh' to rebuild it; the file is left as it is)", err)
	}
	return s, nil
}

// indexStampFile records which snapshot the index on disk was checked
// against: "<snapshot checksum> <index fingerprint>" in hexadecimal.
const indexStampFile = "index.stamp"

// openIndexFor opens the search index of s. Checking that an index is in
// step with the catalogue (what OpenOrBuild does) needs every connector
// decoded; so once a check succeeded, the pair (snapshot checksum, index
// fingerprint) is recorded, and a later open of the same snapshot and the
// same index needs neither. Any doubt takes the full path, which rebuilds
// the index when needed.
func (a *app) openIndexFor(s *catalog.Snapshot) (*index.Index, error) {
	stamp := filepath.Join(a.dataDir, indexStampFile)
	if !s.Sample() && s.Checksum() != 0 {
		var snapSum, ixSum uint32
		if b, err := os.ReadFile(stamp); err == nil {
			if n, _ := fmt.Sscanf(string(b), "%x %x", &snapSum, &ixSum); n == 2 && snapSum == s.Checksum() {
				if ix, err := index.Open(a.indexPath()); err == nil {
					if ix.Fingerprint() == ixSum {
						return ix, nil
					}
					ix.Close()
				}
			}
		}
	}
	c, err := s.Catalog()
	if err != nil {
		return nil, err
	}
	ix, err := a.openIndex(c)
	if err != nil {
		return nil, err
	}
	if !c.Sample && s.Checksum() != 0 {
		// Best effort: a read-only data folder only loses the shortcut.
		_ = atomicfile.WriteFile(stamp, fmt.Appendf(nil, "%08x %08x\n", s.Checksum(), ix.Fingerprint()), 0o644)
	}
	return ix, nil
}
