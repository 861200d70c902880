package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
)

// Issue 13: the import dialog expands ~, completes paths with tab, shows a
// real example and says how many files failed.
func TestImportDialog(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, "src", "PowerPlatformConnectors"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(home, "src", "other"), 0o755); err != nil {
		t.Fatal(err)
	}
	var got string
	opts := testOptions(fixtureCatalog(), nil)
	opts.HomeDir = func() (string, error) { return home, nil }
	opts.ImportReport = func(_ context.Context, path string, _ func(int, int, string)) (ImportReport, error) {
		got = path
		return ImportReport{Connectors: 938, Files: 950, Failed: 12}, nil
	}
	m := New(opts)
	settle(m, m.Init())
	send(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	press(m, "ctrl+o")
	if !strings.Contains(screen(m), "https://github.com/microsoft/PowerPlatformConnectors/archive/refs/heads/dev.tar.gz") {
		t.Fatalf("placeholder:\n%s", screen(m))
	}
	typeText(m, "~/src/P")
	press(m, "tab")
	want := "~/src/PowerPlatformConnectors" + string(filepath.Separator)
	if v := m.job.input.Value(); v != want {
		t.Fatalf("tab completed %q, want %q", v, want)
	}
	m.job.input.SetValue("~/src/")
	if v := m.job.input.Value(); v != "~/src/" {
		t.Fatalf("after backspaces %q", v)
	}
	press(m, "tab")
	if !strings.Contains(screen(m), "2 matches") {
		t.Fatalf("no candidates note:\n%s", screen(m))
	}
	typeText(m, "P")
	press(m, "tab", "enter")
	if got != filepath.Join(home, "src", "PowerPlatformConnectors") {
		t.Fatalf("import got %q", got)
	}
	if !strings.Contains(m.info, "imported 938 connectors from 950 files; 12 files failed") {
		t.Fatalf("status %q", m.info)
	}
}

// Issue 13: the refresh dialog names the site, the crawl's length at the
// current politeness and where the catalogue came from.
func TestRefreshDialog(t *testing.T) {
	t.Parallel()
	opts := testOptions(fixtureCatalog(), nil)
	opts.Refresh = func(context.Context, func(int, int, string)) error { return nil }
	opts.RefreshPlan = func() RefreshPlan {
		return RefreshPlan{Site: "https://learn.microsoft.com/en-us/connectors/", Pages: 1400, Delay: 500 * time.Millisecond, Concurrency: 2}
	}
	m := New(opts)
	settle(m, m.Init())
	send(m, tea.WindowSizeMsg{Width: 120, Height: 30})
	press(m, "ctrl+r")
	s := strings.Join(strings.Fields(screen(m)), " ")
	for _, want := range []string{
		"Site: https://learn.microsoft.com/en-us/connectors/",
		"About 1,400 pages at one request per 500ms, 2 at a time: about 6 minutes.",
		"The catalogue came from http://127.0.0.1:8123/en-us/connectors/.",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("dialog lacks %q:\n%s", want, screen(m))
		}
	}
}

// An import in the explorer shows the imported catalogue, with the loader
// connex gives (LoadSnapshot, not LoadCatalog): the explorer stayed on the
// sample, "loading…" for ever.
func TestImportInExplorerLoadsTheNewCatalogue(t *testing.T) {
	t.Parallel()
	imported := false
	opts := Options{Now: func() time.Time { return fixedNow }}
	opts.LoadSnapshot = func(context.Context) (*catalog.Snapshot, Searcher, error) {
		c := catalog.Sample()
		if imported {
			c = fixtureCatalog()
		}
		return catalog.SnapshotOf(c), index.NewScanSearcher(c), nil
	}
	opts.ImportReport = func(context.Context, string, func(int, int, string)) (ImportReport, error) {
		imported = true
		return ImportReport{Connectors: len(fixtureCatalog().Connectors), Files: 2}, nil
	}
	m := New(opts)
	settle(m, m.Init())
	send(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	if !strings.Contains(screen(m), "SAMPLE DATA") {
		t.Fatalf("before the import:\n%s", screen(m))
	}
	press(m, "ctrl+o")
	typeText(m, "defs.tar.gz")
	press(m, "enter")
	s := screen(m)
	if strings.Contains(s, "SAMPLE DATA") || !strings.Contains(s, "Fixture Notes") || m.loading || strings.Contains(s, "loading") {
		t.Fatalf("after the import (loading %v):\n%s", m.loading, s)
	}
}
