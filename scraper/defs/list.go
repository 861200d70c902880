package defs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/scraper/site"
)

// ListRead is a connector list that Import read: the reference site's
// list of connectors as data (package site, ParseListFile), recognised by
// its shape whatever the file's name.
type ListRead struct {
	Path string `json:"path"`
	// Entries is how many connectors the list gave (skipped entries are
	// among the warnings).
	Entries int `json:"entries"`
}

// readList reads src when it is a connector list: a local file of that
// shape, or an http(s) URL to a .json document (a tarball is the only
// other document read from a URL). isList is false for any other source
// (a folder, an archive, a tarball URL, a definition or an API reply),
// which the definition readers then read. The list's connectors are a
// catalogue of their own, read at at, with the list as its origin;
// entries that could not be used are added to the warnings.
func (res *ImportResult) readList(ctx context.Context, src string, client *http.Client, at time.Time) (cat *catalog.Catalog, isList bool, err error) {
	data, isList, err := listFile(src)
	remote := false
	if !isList {
		data, isList, err = listURL(ctx, src, client)
		remote = isList
	}
	if !isList {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	entries, probs, err := site.ParseListFile(data, src)
	if errors.Is(err, site.ErrNotList) && !remote {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, fmt.Errorf("%w %s: %w", ErrBadSource, src, err)
	}
	for _, p := range probs {
		res.Warnings = append(res.Warnings, ImportError{Path: src, Error: p.What})
	}
	if len(entries) == 0 {
		return nil, true, fmt.Errorf("%w %s: a connector list without a usable entry", ErrBadSource, src)
	}
	res.Lists = append(res.Lists, ListRead{Path: src, Entries: len(entries)})
	from := catalog.Source{Kind: catalog.SourceList, Ref: src, At: at}
	cat = &catalog.Catalog{UpdatedAt: at, Origins: []catalog.Source{from}}
	cat.Connectors = make([]*catalog.Connector, 0, len(entries))
	for i := range entries {
		conn := entries[i].Connector()
		conn.Sources = map[string]catalog.Source{catalog.SourceList: from}
		cat.Connectors = append(cat.Connectors, conn)
	}
	cat.Reindex()
	return cat, true, nil
}
