package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	"github.com/connex-dev/connex/internal/atomicfile"
)

// IndexStampFile records which snapshot the index on disk was checked
// against: "<snapshot checksum> <index fingerprint>" in hexadecimal.
const IndexStampFile = "index.stamp"

// OpenIndexFor opens the search index of s. Checking that an index is in
// step with the catalogue (what OpenIndex does) needs every connector
// decoded; so once a check succeeded, or a build made the pair, the pair
// (snapshot checksum, index fingerprint) is recorded, and a later open of
// the same snapshot and the same index needs neither. Any doubt takes the
// full path, which rebuilds the index when needed.
func (d *Data) OpenIndexFor(ctx context.Context, s *catalog.Snapshot) (*index.Index, error) {
	if !s.Sample() && s.Checksum() != 0 {
		if sum, fp, ok := d.readStamp(); ok && sum == s.Checksum() {
			if ix, err := index.Open(d.IndexPath()); err == nil {
				if ix.Fingerprint() == fp {
					return ix, nil
				}
				ix.Close()
			}
		}
	}
	c, err := s.Catalog()
	if err != nil {
		return nil, err
	}
	ix, err := d.OpenIndex(ctx, c)
	if err != nil {
		return nil, err
	}
	if !c.Sample && s.Checksum() != 0 {
		d.writeStamp(s.Checksum(), ix.Fingerprint())
	}
	return ix, nil
}

// stampIndex records that the index on disk was just built from the saved
// snapshot, so the first search or explorer start after an import or a
// refresh opens both as they are (without it, that start decoded every
// connector to check them: 0.2 s and twice the memory on the union).
func (d *Data) stampIndex() {
	s, err := catalog.Open(d.CatalogPath())
	if err != nil || s.Checksum() == 0 {
		return
	}
	ix, err := index.Open(d.IndexPath())
	if err != nil {
		return
	}
	defer ix.Close()
	d.writeStamp(s.Checksum(), ix.Fingerprint())
}

func (d *Data) readStamp() (sum, fp uint32, ok bool) {
	b, err := os.ReadFile(filepath.Join(d.Dir, IndexStampFile))
	if err != nil {
		return 0, 0, false
	}
	n, _ := fmt.Sscanf(string(b), "%x %x", &sum, &fp)
	return sum, fp, n == 2
}

// writeStamp is best effort: a read-only data folder only loses the
// shortcut.
func (d *Data) writeStamp(sum, fp uint32) {
	_ = atomicfile.WriteFile(filepath.Join(d.Dir, IndexStampFile), fmt.Appendf(nil, "%08x %08x\n", sum, fp), 0o644)
}
