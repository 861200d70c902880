package index

import (
	"context"
	"errors"

	"github.com/connex-dev/connex/catalog"
)

// ErrNotBuilt is returned by Open when there is no index at the path.
var ErrNotBuilt = errors.New("index not built")

// Index is an open, read-only search index.
type Index struct{}

// Build builds a fresh index of cat in a new folder beside path, verifies
// it (document count = connectors + operations), then swaps it in at path
// atomically. Readers of the old index are not disturbed.
func Build(ctx context.Context, path string, cat *catalog.Catalog) error {
	return errors.New("index.Build: not implemented yet")
}

// Open opens the index at path read-only. It fails, never hangs, when the
// index is locked or missing (ErrNotBuilt).
func Open(path string) (*Index, error) {
	return nil, errors.New("index.Open: not implemented yet")
}

// OpenOrBuild opens the index at path, (re)building it from cat first when
// it is missing, of an older mapping version, or out of step with cat.
func OpenOrBuild(ctx context.Context, path string, cat *catalog.Catalog) (*Index, error) {
	return nil, errors.New("index.OpenOrBuild: not implemented yet")
}

// Search runs a query.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	return nil, errors.New("index.Search: not implemented yet")
}

// Close releases the index.
func (ix *Index) Close() error { return nil }
