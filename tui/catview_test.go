package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
)

// Issue 11: the explorer works from a snapshot opened for random access:
// the header's counts come from its table of contents, and a connector is
// found by id or alias when it is opened.
func TestExplorerFromSnapshot(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), catalog.SnapshotFile)
	if err := catalog.Save(path, fixtureCatalog()); err != nil {
		t.Fatal(err)
	}
	opts := testOptions(fixtureCatalog(), nil)
	opts.Catalog, opts.Searcher = nil, nil
	loads := 0
	opts.LoadSnapshot = func(context.Context) (*catalog.Snapshot, Searcher, error) {
		loads++
		s, err := catalog.Open(path)
		return s, index.NewScanSearcher(fixtureCatalog()), err
	}
	m := New(opts)
	settle(m, m.Init())
	send(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	want := fixtureCatalog().Stats()
	if loads != 1 || m.cat == nil || m.cat.snap == nil || m.stats.Connectors != want.Connectors || m.stats.Operations != want.Operations {
		t.Fatalf("loads %d, stats %+v, want %d connectors, %d operations", loads, m.stats, want.Connectors, want.Operations)
	}
	if !strings.Contains(screen(m), "6 results") {
		t.Fatalf("no results:\n%s", screen(m))
	}
	for _, target := range []string{"fixnotes/GetNote", "SHARED_FIXNOTES/GetNote"} {
		press(m, "tab", ":")
		typeText(m, target)
		press(m, "enter")
		op, ok := m.top().(*operationPage)
		if !ok || op.conn.ID != "fixnotes" || op.op.ID != "GetNote" {
			t.Fatalf(":%s opened %T (%v)", target, m.top(), m.err)
		}
		press(m, "esc")
	}
}

// TestSnapshotRowsFromSummaries: result rows drawn from a snapshot (the
// connectors' rows from its table of contents, not decoded) read the same
// as from the catalogue in memory, badges included.
func TestSnapshotRowsFromSummaries(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), catalog.SnapshotFile)
	if err := catalog.Save(path, fixtureCatalog()); err != nil {
		t.Fatal(err)
	}
	snap, err := catalog.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	full := newTestModel(t, fixtureCatalog(), 110, 30)
	opts := testOptions(fixtureCatalog(), nil)
	opts.Catalog, opts.Searcher = nil, nil
	opts.LoadSnapshot = func(context.Context) (*catalog.Snapshot, Searcher, error) {
		return snap, index.NewScanSearcher(fixtureCatalog()), nil
	}
	fromSnap := New(opts)
	settle(fromSnap, fromSnap.Init())
	send(fromSnap, tea.WindowSizeMsg{Width: 110, Height: 30})
	for _, q := range []string{"", "note", "fix"} {
		for _, m := range []*Model{full, fromSnap} {
			press(m, "ctrl+u")
			typeText(m, q)
		}
		a, b := screen(full), screen(fromSnap)
		if a != b {
			t.Fatalf("query %q: rows differ\nin memory:\n%s\nsnapshot:\n%s", q, a, b)
		}
		if !strings.Contains(a, "connector ") {
			t.Fatalf("query %q: no connector row:\n%s", q, a)
		}
	}
}
