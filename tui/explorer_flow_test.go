package tui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	"github.com/connex-dev/connex/internal/realdata"
)

func fixtureModel(t *testing.T, rec *recorder) *Model {
	t.Helper()
	cat := fixtureCatalog()
	opts := testOptions(cat, rec)
	return New(opts)
}

func finalModel(t *testing.T, tm *teatest.TestModel) *Model {
	t.Helper()
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	return tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
}

// Issue 13: a test call to the local mock from the explorer, on an
// imported (not sample) connector: : jump, t, Send to: local mock, send.
func TestFlowTestCallToMock(t *testing.T) {
	t.Parallel()
	m := fixtureModel(t, nil)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	waitScreen(t, tm, "6 results")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	tm.Type(":fixnotes/GetNote")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitScreen(t, tm, "Operation ID: GetNote")
	tm.Type("t")
	// fixnotes's definition is the platform's (ViaConnection) but this
	// operation has no {connectionId}: its host is never a target.
	waitScreen(t, tm, "Send to", "[local mock]  base URL", "host takes calls only through a connection", "→ local mock")
	tm.Type("n1")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlS})
	waitScreen(t, tm, "200", "(local mock)", "/api/notes/n1")
	final := finalModel(t, tm)
	if hp := final.hostedTop(); hp == nil || hp.history {
		t.Fatalf("top page %T, want the test-call form", final.top())
	}
}

// Issue 13: t on an operation known from the site only says why it cannot
// be sent and what would make it callable.
func TestFlowUnsendableOperation(t *testing.T) {
	t.Parallel()
	m := fixtureModel(t, nil)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	waitScreen(t, tm, "6 results")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	tm.Type(":fixnotes/ArchiveNote")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitScreen(t, tm, "Operation ID: ArchiveNote")
	tm.Type("t")
	waitScreen(t, tm, "Archive a note cannot be sent from here", "Import the connector's definition", "Power Platform connection")
	final := finalModel(t, tm)
	if _, ok := final.top().(*messagePage); !ok {
		t.Fatalf("top page %T, want the message", final.top())
	}
}

// Issue 13: : goes to a connector by id or alias, or to an operation; an
// unknown id says so.
func TestJump(t *testing.T) {
	t.Parallel()
	cases := []struct {
		target, wantConn, wantOp, wantErr string
	}{
		{"fixpages", "fixpages", "", ""},
		{"shared_fixnotes", "fixnotes", "", ""},
		{"FIXNOTES/getnote", "fixnotes", "GetNote", ""},
		{"fixnotes/Nope", "", "", `fixnotes has no operation "Nope"`},
		{"nope", "", "", `no connector "nope"`},
	}
	for _, c := range cases {
		t.Run(c.target, func(t *testing.T) {
			t.Parallel()
			m := New(testOptions(fixtureCatalog(), nil))
			settle(m, m.Init())
			send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
			press(m, "tab", ":")
			typeText(m, c.target)
			press(m, "enter")
			switch p := m.top().(type) {
			case *connectorPage:
				if c.wantOp != "" || p.conn.ID != c.wantConn {
					t.Fatalf("connector %s", p.conn.ID)
				}
			case *operationPage:
				if p.conn.ID != c.wantConn || p.op.ID != c.wantOp {
					t.Fatalf("operation %s/%s", p.conn.ID, p.op.ID)
				}
			default:
				if c.wantErr == "" || m.err == nil || !strings.Contains(m.err.Error(), c.wantErr) {
					t.Fatalf("top %T, err %v, want %q", m.top(), m.err, c.wantErr)
				}
			}
		})
	}
}

// Issue 13: / finds text in a document, n and N go to the next and
// previous match, wrapping.
func TestFindInDocument(t *testing.T) {
	t.Parallel()
	m := New(testOptions(fixtureCatalog(), nil))
	settle(m, m.Init())
	send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	press(m, "tab", ":")
	typeText(m, "fixnotes")
	press(m, "enter")
	p := m.top().(*connectorPage)
	press(m, "/")
	if !p.Capturing() {
		t.Fatal("/ did not open the find prompt")
	}
	typeText(m, "fixture")
	press(m, "enter")
	f := p.info.find
	if len(f.matches) < 3 {
		t.Fatalf("matches %v for fixture", f.matches)
	}
	lineOf := func() string { return p.info.lines[f.matches[p.info.find.cur]].text }
	if !strings.Contains(strings.ToLower(lineOf()), "fixture") || p.info.find.cur != 0 {
		t.Fatalf("first match %d: %q", p.info.find.cur, lineOf())
	}
	if !strings.Contains(m.info, "match 1/") {
		t.Fatalf("status %q", m.info)
	}
	press(m, "n")
	if p.info.find.cur != 1 {
		t.Fatalf("n: match %d", p.info.find.cur)
	}
	press(m, "N", "N")
	if p.info.find.cur != len(f.matches)-1 {
		t.Fatalf("N N: match %d of %d (wraps to the last)", p.info.find.cur, len(f.matches))
	}
	if off := p.info.offset; f.matches[p.info.find.cur] < off || f.matches[p.info.find.cur] >= off+p.info.height {
		t.Fatalf("match line %d not in view [%d,%d)", f.matches[p.info.find.cur], off, off+p.info.height)
	}
	// The operation page too, with its cursor on the match.
	press(m, "esc", ":")
	typeText(m, "fixnotes/GetNote")
	press(m, "enter", "/")
	typeText(m, "lighthouse")
	press(m, "enter")
	op := m.top().(*operationPage)
	if cur := op.doc.current(); cur == nil || !strings.Contains(cur.text, "lighthouse") {
		t.Fatalf("cursor not on the match: %+v", cur)
	}
	press(m, "/")
	typeText(m, "zzz")
	press(m, "enter")
	if m.info != `no match for "lighthousezzz"` {
		t.Fatalf("status %q", m.info)
	}
}

// The same test call on the full imported catalogue (skipped without
// ../shared): the first GET operation with no required parameter, sent to
// its mock from the explorer.
func TestRealDataTestCallToMock(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("imports the full real catalogue")
	}
	cat := realdata.Catalog(t)
	var target string
	for _, conn := range cat.Connectors {
		for _, op := range conn.Operations {
			if op.Method != "GET" || op.Path == "" || op.Visibility == catalog.VisibilityInternal {
				continue
			}
			required := false
			for _, p := range op.Parameters {
				required = required || p.Required || p.In == "path"
			}
			if !required {
				target = conn.ID + "/" + op.ID
				break
			}
		}
		if target != "" {
			break
		}
	}
	if target == "" {
		t.Fatal("no GET operation without required parameters in the real catalogue")
	}
	m := New(Options{Catalog: cat, Searcher: index.NewScanSearcher(cat), Now: func() time.Time { return fixedNow }})
	send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	settle(m, m.jumpTo(target))
	press(m, "t")
	if m.hostedTop() == nil {
		t.Fatalf("t on %s: top %T", target, m.top())
	}
	// From the first field, shift+tab reaches "Send to" (the base URL
	// field after it is hidden); → picks the local mock.
	press(m, "shift+tab", "right", "ctrl+s")
	s := screen(m)
	if !strings.Contains(s, "(local mock)") || !regexp.MustCompile(`\b2\d\d\b`).MatchString(s) {
		t.Fatalf("%s: no 2xx answer from the mock:\n%s", target, s)
	}
}
