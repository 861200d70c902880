package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/index"
)

// Issue 10, no dead ends: when few hits match every word the explorer
// shows those matching most words and says so beside the count.
func TestSearchSaysWhenMostWordsMatch(t *testing.T) {
	t.Parallel()
	cat := fixtureCatalog()
	ix, err := index.NewMemory(cat)
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions(cat, nil)
	opts.Searcher = ix
	m := New(opts)
	settle(m, m.Init())
	send(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	typeText(m, "archive zzqqxx")
	if s := screen(m); !strings.Contains(s, "most words match · ") || !strings.Contains(s, "Archive a note") {
		t.Fatalf("screen:\n%s", s)
	}
	for range "archive zzqqxx" {
		press(m, "backspace")
	}
	typeText(m, "archive")
	if s := screen(m); strings.Contains(s, "most words match") {
		t.Fatalf("a query every word of which matches still says most words:\n%s", s)
	}
}
