package main

import (
	"errors"
	"fmt"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
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

// openIndexFor opens the search index of s (usecase.Data.OpenIndexFor:
// index.stamp spares decoding every connector to check the pair).
func (a *app) openIndexFor(s *catalog.Snapshot) (*index.Index, error) {
	return a.data().OpenIndexFor(a.ctx, s)
}
