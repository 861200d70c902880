package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
)

func longNameCatalog() *catalog.Catalog {
	c := fixtureCatalog()
	conn := c.Connectors[1] // fixpages: premium
	conn.Name = "Fixture Pages With A Remarkably Long Connector Name For Width Tests"
	conn.Preview, conn.Deprecated = true, true
	c.Reindex()
	return c
}

// Issue 13: at 80 columns badges never hide the name; a wide terminal
// gives names the room.
func TestResultNamesGetTheRoom(t *testing.T) {
	t.Parallel()
	cat := longNameCatalog()
	// As the index gives it: a connector hit carries its flags.
	hit := index.Hit{ConnectorID: "fixpages", Kind: index.KindConnector, Preview: true, Deprecated: true}
	for _, c := range []struct {
		w        int
		wantName string
		badges   string
	}{
		{80, "Fixture Pages With A Remark", "Prem Prev Depr"},
		{160, "Fixture Pages With A Remarkably Long Connector Name For Width Tests", "Premium Preview Deprecated"},
	} {
		m := newTestModel(t, cat, c.w, 24)
		row := ansi.Strip(m.search.hitRow(hit, false, m.search.Width))
		if !strings.Contains(row, c.wantName) || !strings.Contains(row, c.badges) {
			t.Errorf("%d columns: row %q lacks %q or %q", c.w, row, c.wantName, c.badges)
		}
		if ansi.StringWidth(row) > c.w {
			t.Errorf("%d columns: row is %d wide", c.w, ansi.StringWidth(row))
		}
	}
}

// Issue 13: the filter line drops whole filters, never cuts one mid-word.
func TestFilterLineNeverCutMidWord(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, catalog.Sample(), 60, 24)
	m.search.sel["product"] = []string{catalog.ProductPowerAutomate, catalog.ProductLogicApps}
	line := ansi.Strip(m.search.filterSummary())
	if !strings.HasSuffix(line, " …") || ansi.StringWidth(line) > 60 {
		t.Fatalf("line %q (%d wide)", line, ansi.StringWidth(line))
	}
	m.search.Width = 1000
	full := ansi.Strip(m.search.filterSummary())
	kept := strings.TrimSuffix(line, " …")
	if !strings.HasPrefix(full, kept+" ") || !strings.HasPrefix(full[len(kept)+1:], "publisher:") {
		t.Fatalf("%q is not %q cut between two filters", line, full)
	}
}
