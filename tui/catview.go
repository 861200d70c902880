package tui

import (
	"time"

	"github.com/connex-dev/connex/catalog"
)

// catView is the loaded catalogue as the explorer reads it (issue 11):
// either a catalogue already in memory, or a snapshot opened for random
// access, whose table of contents gives the counts and whose connectors
// are decoded only when a result, a page or a test call needs them. The
// idle explorer so holds the summaries and the few connectors shown, not
// the whole catalogue.
type catView struct {
	full *catalog.Catalog  // nil for a snapshot
	snap *catalog.Snapshot // nil for a catalogue in memory

	Sample    bool
	Origins   []catalog.Source
	UpdatedAt time.Time
}

func catViewOf(c *catalog.Catalog) *catView {
	return &catView{full: c, Sample: c.Sample, Origins: c.Origins, UpdatedAt: c.UpdatedAt}
}

func catViewOfSnapshot(s *catalog.Snapshot) *catView {
	return &catView{snap: s, Sample: s.Sample(), Origins: s.Origins(), UpdatedAt: s.UpdatedAt()}
}

// Connector finds a connector by id (case-insensitive) or alias, decoding
// it from the snapshot. An alias is not in the table of contents: looking
// one up decodes the whole catalogue once (a jump to an old id, rare).
func (c *catView) Connector(id string) (*catalog.Connector, bool) {
	if c.full != nil {
		return c.full.Connector(id)
	}
	if i, ok := c.snap.Lookup(id); ok {
		conn, err := c.snap.Connector(i)
		return conn, err == nil
	}
	all, err := c.snap.Catalog()
	if err != nil {
		return nil, false
	}
	return all.Connector(id)
}

// Summary is what a result row shows of a connector: from the snapshot's
// table of contents, without decoding the connector (a screen of results
// decoded one connector a row, which then stayed in memory).
func (c *catView) Summary(id string) (catalog.Summary, bool) {
	if c.snap != nil {
		if i, ok := c.snap.Lookup(id); ok {
			return c.snap.Summary(i), true
		}
	}
	conn, ok := c.Connector(id)
	if !ok {
		return catalog.Summary{}, false
	}
	// The fields a row reads (catalog.SummaryOf would also count
	// operations and copy products, for every row of every frame).
	return catalog.Summary{ID: conn.ID, Name: conn.Name, Publisher: conn.Publisher, Tier: conn.Tier,
		Preview: conn.Preview, Deprecated: conn.Deprecated}, true
}

// Stats are the counts the header shows: from the table of contents of a
// snapshot, without decoding.
func (c *catView) Stats() catalog.Stats {
	if c.full != nil {
		return c.full.Stats()
	}
	var st catalog.Stats
	st.Connectors = c.snap.Len()
	for i := range st.Connectors {
		sum := c.snap.Summary(i)
		st.Operations += sum.Actions + sum.Triggers
		st.Actions += sum.Actions
		st.Triggers += sum.Triggers
	}
	return st
}

// Catalog is the whole catalogue, decoded (the scan searcher's fallback).
func (c *catView) Catalog() (*catalog.Catalog, error) {
	if c.full != nil {
		return c.full, nil
	}
	return c.snap.Catalog()
}
