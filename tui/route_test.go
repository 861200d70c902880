package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/catalog"
)

// collect runs cmd and returns the owned messages it yields, batches
// flattened (spinner ticks and the like only animate).
func collect(cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	for _, msg := range flatten(cmd) {
		if _, ok := msg.(interface{ Owner() int64 }); ok {
			out = append(out, msg)
		}
	}
	return out
}

// Issue 8: Tab, v, H, then the search result arrives, then Esc. The result
// belongs to the search page although the history is on top: it must reach
// it, so the spinner stops and the list matches the filter bar.
func TestSearchResultReachesItsPageUnderTheHistory(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, catalog.Sample(), 80, 24)
	press(m, "tab")
	_, cmd := m.Update(keyMsg("v")) // preview: only; the search is in flight
	results := collect(cmd)
	if len(results) != 1 {
		t.Fatalf("v sent %d owned messages, want 1 search result", len(results))
	}
	press(m, "H")
	if m.hostedTop() == nil || !m.hostedTop().history {
		t.Fatalf("H did not open the history; top is %T", m.top())
	}
	if !m.search.searching {
		t.Fatal("the search page is not waiting for its result")
	}
	send(m, results...)
	if m.search.searching || m.search.shown != m.search.seq {
		t.Fatalf("result lost: searching=%v shown=%d seq=%d", m.search.searching, m.search.shown, m.search.seq)
	}
	press(m, "esc")
	if m.top() != m.search {
		t.Fatalf("esc left %T on top", m.top())
	}
	s := screen(m)
	if strings.Contains(s, "searching") {
		t.Fatalf("spinner still says searching:\n%s", s)
	}
	// The sample has one preview connector (sampleorders is not preview):
	// the list shows what the filter bar says.
	if !strings.Contains(s, "preview:preview only") {
		t.Fatalf("filter bar lacks the preview filter:\n%s", s)
	}
	for _, h := range m.search.hits {
		conn, op := lookupHit(m.cat, h)
		if conn == nil || !(conn.Preview || (op != nil && op.Preview)) {
			t.Fatalf("hit %s/%s is not preview", h.ConnectorID, h.OperationID)
		}
	}
	if len(m.search.hits) == 0 {
		t.Fatal("no preview hits shown")
	}
}

// A result whose page is gone is dropped, not given to whatever is on top.
func TestResultForAClosedPageIsDropped(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, catalog.Sample(), 80, 24)
	stale := searchResultMsg{page: -1, seq: 99}
	if cmd := m.route(stale.Owner(), stale); cmd != nil {
		t.Fatal("a stale result produced a command")
	}
	if m.search.shown == 99 {
		t.Fatal("a result for another page was shown")
	}
}
