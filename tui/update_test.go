package tui

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	"github.com/connex-dev/connex/schema"
)

func hitIDs(p *searchPage) []string {
	var out []string
	for _, h := range p.hits {
		id := h.ConnectorID
		if h.OperationID != "" {
			id += "/" + h.OperationID
		}
		out = append(out, id)
	}
	return out
}

func TestSearchAsYouType(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, catalog.Sample(), 80, 24)
	if got := m.search.total; got != 13 {
		t.Fatalf("empty query: total %d, want 13 (3 connectors + 10 visible, non-deprecated operations)", got)
	}
	typeText(m, "forecast")
	// Whole words in descriptions, as the index matches them: the
	// connector's "forecasts" is not "forecast".
	if got, want := hitIDs(m.search), []string{"sampleweather/GetForecast"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("hits for forecast = %v, want %v", got, want)
	}
	if m.search.query != "forecast" || m.search.seq != m.search.shown {
		t.Fatalf("shown query %q seq %d/%d", m.search.query, m.search.shown, m.search.seq)
	}
	// Every keystroke sent one search: 1 at start + 8 letters.
	if m.search.seq != 9 {
		t.Fatalf("seq = %d, want 9", m.search.seq)
	}
	if !strings.Contains(screen(m), "Get forecast") || !strings.Contains(screen(m), "1 result") {
		t.Fatalf("screen lacks the hit:\n%s", screen(m))
	}
}

// The results of "se" arrive after those of "send": they must be dropped.
func TestStaleResultsDropped(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, catalog.Sample(), 80, 24)
	p := m.search
	var cmds = map[string]tea.Cmd{}
	for _, r := range "send" {
		_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		cmds[p.input.Value()] = cmd
	}
	run := func(cmd tea.Cmd) searchResultMsg {
		t.Helper()
		var out *searchResultMsg
		var walk func(tea.Cmd)
		walk = func(c tea.Cmd) {
			if c == nil {
				return
			}
			switch msg := c().(type) {
			case tea.BatchMsg:
				for _, c := range msg {
					walk(c)
				}
			case searchResultMsg:
				out = &msg
			}
		}
		walk(cmd)
		if out == nil {
			t.Fatal("no search result message")
		}
		return *out
	}
	// The query box moved on; a fresh searcher answers both queries (the
	// old one's context was cancelled when "send" was typed).
	m.searcher = index.NewScanSearcher(m.cat.full)
	send1 := run(cmds["send"])
	se := run(cmds["se"])
	if send1.seq <= se.seq {
		t.Fatalf("seq of send %d <= seq of se %d", send1.seq, se.seq)
	}
	m.Update(send1)
	want := hitIDs(p)
	if p.query != "send" {
		t.Fatalf("shown query %q, want send", p.query)
	}
	m.Update(se)
	if p.query != "send" || !reflect.DeepEqual(hitIDs(p), want) {
		t.Fatalf("late results of se overwrote send: query %q hits %v", p.query, hitIDs(p))
	}
	if p.searching {
		t.Fatal("still searching after the latest result arrived")
	}
}

func TestFiltersCombine(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, catalog.Sample(), 80, 24)
	press(m, "tab")    // results pane: letters are filter keys
	press(m, "K", "K") // kind: connector -> action
	press(m, "t", "t") // tier: standard -> premium
	q := m.search.buildQuery()
	if !reflect.DeepEqual(q.Kinds, []string{"action"}) || q.Tier != "premium" {
		t.Fatalf("query kinds %v tier %q", q.Kinds, q.Tier)
	}
	// Sorted by name: Cancel, Create, Get.
	want := []string{"sampleorders/DeleteOrder", "sampleorders/CreateOrder", "sampleorders/GetOrder"}
	if got := hitIDs(m.search); !reflect.DeepEqual(got, want) {
		t.Fatalf("premium actions = %v, want %v", got, want)
	}
	if !strings.Contains(screen(m), "kind:actions tier:premium") {
		t.Fatalf("filter line not shown:\n%s", screen(m))
	}
	press(m, "d") // deprecated: include
	if m.search.buildQuery().Deprecated != index.DeprecatedInclude {
		t.Fatal("d did not include deprecated")
	}
	press(m, "x")
	q = m.search.buildQuery()
	if len(q.Kinds) != 0 || q.Tier != "" || q.Deprecated != index.DeprecatedExclude {
		t.Fatalf("x did not clear filters: %+v", q)
	}
	// Alt+letter works while typing.
	press(m, "/")
	typeText(m, "task")
	press(m, "alt+k")
	if got := m.search.buildQuery(); got.Text != "task" || !reflect.DeepEqual(got.Kinds, []string{"connector"}) {
		t.Fatalf("alt+k while typing: %+v", got)
	}
	if got := hitIDs(m.search); !reflect.DeepEqual(got, []string{"sampletasks"}) {
		t.Fatalf("task connectors = %v", got)
	}
}

func TestFilterPaneTogglesAndCounts(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, catalog.Sample(), 120, 40)
	press(m, "tab", "tab") // filter pane, cursor on "connectors"
	press(m, "down", "space")
	if got := m.search.sel["kind"]; !reflect.DeepEqual(got, []string{"action"}) {
		t.Fatalf("kind selection %v", got)
	}
	press(m, "down", "space") // triggers too: actions or triggers
	if got := m.search.total; got != 10 {
		t.Fatalf("actions+triggers total %d, want 10", got)
	}
	scr := screen(m)
	if !strings.Contains(scr, "[x] actions") || !strings.Contains(scr, "[x] triggers") {
		t.Fatalf("checked boxes not shown:\n%s", scr)
	}
}

func TestNavigationStack(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	opts := testOptions(catalog.Sample(), rec)
	m := New(opts)
	settle(m, m.Init())
	send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	typeText(m, "sample tasks")
	press(m, "enter")
	cp, ok := m.top().(*connectorPage)
	if !ok || cp.conn.ID != "sampletasks" {
		t.Fatalf("top page %T, want the sampletasks connector", m.top())
	}
	press(m, "tab", "down", "down", "enter") // Operations tab, third operation
	op, ok := m.top().(*operationPage)
	if !ok || op.op.ID != "CreateTaskV2" {
		t.Fatalf("top page %T %v, want CreateTaskV2", m.top(), op)
	}
	press(m, "c", "y", "C", "o")
	wantCopied := []string{"CreateTaskV2", "connex show sampletasks/CreateTaskV2", "sampletasks"}
	if !reflect.DeepEqual(rec.copied, wantCopied) {
		t.Fatalf("copied %v, want %v", rec.copied, wantCopied)
	}
	// The samples have no page on the reference site: nothing is opened.
	if len(rec.opened) != 0 {
		t.Fatalf("opened %v for a sample connector", rec.opened)
	}
	press(m, "esc")
	if _, ok := m.top().(*connectorPage); !ok || len(m.stack) != 2 {
		t.Fatalf("esc: top %T depth %d", m.top(), len(m.stack))
	}
	press(m, "backspace")
	if len(m.stack) != 1 || m.search.input.Value() != "sample tasks" {
		t.Fatalf("back to search: depth %d query %q", len(m.stack), m.search.input.Value())
	}
	// "/" on a document page finds in it (issue 13); esc closes the
	// prompt, a second esc goes back to the search.
	press(m, "enter", "/")
	if len(m.stack) != 2 || !m.top().Capturing() {
		t.Fatalf("/: depth %d, typing %v", len(m.stack), m.top().Capturing())
	}
	press(m, "esc", "esc")
	if len(m.stack) != 1 {
		t.Fatalf("esc esc: depth %d", len(m.stack))
	}
}

func TestDeprecatedOperationLinksToReplacement(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, catalog.Sample(), 100, 30)
	press(m, "tab", "d") // include deprecated
	press(m, "/")
	typeText(m, "task deprecated")
	press(m, "enter")
	op, ok := m.top().(*operationPage)
	if !ok || op.op.ID != "CreateTask" {
		t.Fatalf("top %T, want CreateTask", m.top())
	}
	scr := screen(m)
	if !strings.Contains(scr, "Use Create a task (V2) (CreateTaskV2) instead") {
		t.Fatalf("no replacement note:\n%s", scr)
	}
	// Put the cursor on the note and follow it.
	for i, l := range op.doc.lines {
		if l.open != nil {
			op.doc.cursor = i
		}
	}
	press(m, "enter")
	if next, ok := m.top().(*operationPage); !ok || next.op.ID != "CreateTaskV2" {
		t.Fatalf("enter on the note: top %T", m.top())
	}
}

func TestSchemaTreeFolding(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, catalog.Sample(), 100, 60)
	typeText(m, "create an order")
	press(m, "enter")
	op := m.top().(*operationPage)
	find := func(name string) int {
		for i, l := range op.doc.lines {
			if l.node != nil && l.node.Name == name {
				return i
			}
		}
		return -1
	}
	i := find("lines")
	if i < 0 || !strings.Contains(screen(m), "quantity") {
		t.Fatalf("lines node %d or its children missing:\n%s", i, screen(m))
	}
	n := len(op.doc.lines)
	op.doc.cursor = i
	press(m, "enter")
	if len(op.doc.lines) != n-2 || op.doc.lines[op.doc.cursor].node.Name != "lines" {
		t.Fatalf("folding lines: %d lines (want %d), cursor on %q", len(op.doc.lines), n-2, op.doc.lines[op.doc.cursor].node.Name)
	}
	press(m, "E")
	if strings.Contains(screen(m), "quantity") || !strings.Contains(screen(m), "customerId") {
		t.Fatal("collapse all left properties visible")
	}
	press(m, "e")
	if c := strings.Count(screen(m), "quantity"); c != 2 {
		t.Fatalf("expand all: quantity shown %d times, want 2 (body and response)", c)
	}
}

func TestSchemaCyclesAndBadRefs(t *testing.T) {
	t.Parallel()
	defs := map[string]json.RawMessage{
		"Node":  json.RawMessage(`{"type":"object","properties":{"value":{"type":"string"},"next":{"$ref":"#/definitions/Node"},"kids":{"type":"array","items":{"$ref":"#/definitions/Node"}}}}`),
		"A":     json.RawMessage(`{"$ref":"#/definitions/B"}`),
		"B":     json.RawMessage(`{"$ref":"#/definitions/A"}`),
		"Weird": json.RawMessage(`{"type":["string","null"],"required":true,"description":42}`),
	}
	n := buildSchema(json.RawMessage(`{"$ref":"#/definitions/Node"}`), schema.NewResolver(defs))
	if n.Type != "Node (object)" || len(n.Children) != 3 {
		t.Fatalf("root %q with %d children", n.Type, len(n.Children))
	}
	if next := n.Children[1]; !next.Recursive || len(next.Children) != 0 || next.Type != "Node (recursive)" {
		t.Fatalf("next: recursive=%v children=%d type=%q", next.Recursive, len(next.Children), next.Type)
	}
	if kids := n.Children[2]; kids.Type != "array of Node (recursive)" || len(kids.Children) != 0 {
		t.Fatalf("kids: %q, %d children", kids.Type, len(kids.Children))
	}
	if ab := buildSchema(json.RawMessage(`{"$ref":"#/definitions/A"}`), schema.NewResolver(defs)); !ab.Recursive {
		t.Fatalf("A->B->A not caught: %+v", ab)
	}
	if miss := buildSchema(json.RawMessage(`{"$ref":"#/definitions/Nope"}`), schema.NewResolver(defs)); miss.Missing != "#/definitions/Nope" {
		t.Fatalf("missing ref: %+v", miss)
	}
	if w := buildSchema(json.RawMessage(`{"$ref":"#/definitions/Weird"}`), schema.NewResolver(defs)); w.Type != "Weird (string|null)" {
		t.Fatalf("weird: %q", w.Type)
	}
	for _, bad := range []string{`[`, `"x"`, `{"properties":[1,2]}`, `{"items":"x"}`, `null`} {
		buildSchema(json.RawMessage(bad), schema.NewResolver(defs)) // must not panic
	}
	// Property order is the document's.
	o := buildSchema(json.RawMessage(`{"type":"object","properties":{"z":{},"a":{},"m":{}}}`), schema.NewResolver(nil))
	var names []string
	for _, c := range o.Children {
		names = append(names, c.Name)
	}
	if !reflect.DeepEqual(names, []string{"z", "a", "m"}) {
		t.Fatalf("order %v", names)
	}
}

func TestHelpOverlayAndErrors(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, catalog.Sample(), 80, 24)
	press(m, "?") // empty box: ? opens help
	if !m.showHelp || !strings.Contains(screen(m), "Keys: Search") {
		t.Fatalf("help not shown:\n%s", screen(m))
	}
	press(m, "q") // q closes the help, does not quit
	if m.showHelp {
		t.Fatal("q did not close the help")
	}
	send(m, infoMsg{err: errors.New("copy: no clipboard")})
	if !strings.Contains(screen(m), "✗ copy: no clipboard  (esc to dismiss)") {
		t.Fatalf("error not in status line:\n%s", screen(m))
	}
	press(m, "esc")
	if m.err != nil {
		t.Fatal("esc did not dismiss the error")
	}
	if !strings.Contains(screen(m), "built-in sample catalogue") {
		t.Fatal("status line lost the source")
	}
}

func TestQuitKeys(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, catalog.Sample(), 80, 24)
	typeText(m, "q") // typing q in the box is text
	if m.search.input.Value() != "q" {
		t.Fatalf("q in the box: %q", m.search.input.Value())
	}
	press(m, "tab")
	if _, cmd := m.Update(keyMsg("q")); cmd == nil || cmd() != tea.Quit() {
		t.Fatal("q in the results pane does not quit")
	}
	if _, cmd := m.Update(keyMsg("ctrl+c")); cmd == nil || cmd() != tea.Quit() {
		t.Fatal("ctrl+c does not quit")
	}
}

func TestStatusLineAge(t *testing.T) {
	t.Parallel()
	cat := catalog.Sample()
	cat.Sample = false
	cat.Origins = []catalog.Source{
		{Kind: catalog.SourceDefinition, Ref: "/x/powerplatformconnectors.tar.gz", At: fixedNow.Add(-10 * 24 * 3600e9)},
		{Kind: catalog.SourceSite, Ref: "https://learn.microsoft.com/en-us/connectors/", At: fixedNow.Add(-3 * 24 * 3600e9)},
	}
	m := newTestModel(t, cat, 80, 24)
	scr := screen(m)
	if !strings.Contains(scr, "refreshed 3 days ago from learn.microsoft.com") {
		t.Fatalf("status:\n%s", scr)
	}
	if strings.Contains(scr, "SAMPLE DATA") {
		t.Fatal("banner shown for a real catalogue")
	}
}

func TestCatalogueLoadedInCommand(t *testing.T) {
	t.Parallel()
	calls := 0
	m := New(Options{
		LoadCatalog: func(context.Context) (*catalog.Catalog, Searcher, error) {
			calls++
			c := catalog.Sample()
			return c, index.NewScanSearcher(c), errors.New("search index unavailable, searching without it")
		},
		Now: func() time.Time { return fixedNow },
	})
	if calls != 0 || !strings.Contains(screen(m), "loading the catalogue") {
		t.Fatalf("New did I/O or the first frame lacks the loading note (calls %d)", calls)
	}
	settle(m, m.Init())
	if calls != 1 || m.cat == nil || m.search.total != 13 {
		t.Fatalf("after Init: calls %d total %d", calls, m.search.total)
	}
	if m.err == nil || !strings.Contains(screen(m), "search index unavailable") {
		t.Fatal("the loader's warning is not shown")
	}
}

func TestOpsFilterInConnector(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, catalog.Sample(), 80, 24)
	typeText(m, "sample tasks")
	press(m, "enter", "f")
	typeText(m, "taskv2")
	cp := m.top().(*connectorPage)
	if len(cp.ops) != 1 || cp.ops[0].ID != "CreateTaskV2" {
		t.Fatalf("filtered ops %d", len(cp.ops))
	}
	press(m, "esc")
	if cp.filtering || len(cp.ops) != 5 {
		t.Fatalf("esc: filtering %v, %d ops", cp.filtering, len(cp.ops))
	}
	press(m, "K") // actions only
	if len(cp.ops) != 4 {
		t.Fatalf("actions: %d", len(cp.ops))
	}
	press(m, "K", "K", "i") // all kinds, with internal
	if len(cp.ops) != 5 {
		t.Fatalf("all with internal: %d", len(cp.ops))
	}
}

func TestMouse(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, catalog.Sample(), 80, 24)
	top := m.bodyTop() + m.search.listTop()
	send(m, tea.MouseMsg{X: 10, Y: top + 2, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if m.search.cursor != 2 {
		t.Fatalf("click selected %d, want 2", m.search.cursor)
	}
	send(m, tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if m.search.cursor != 5 {
		t.Fatalf("wheel: cursor %d, want 5", m.search.cursor)
	}
	send(m, tea.MouseMsg{X: 10, Y: top + 5, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if len(m.stack) != 2 {
		t.Fatalf("click on the selected row did not open it: depth %d", len(m.stack))
	}
}

func TestTypeAheadWhileLoading(t *testing.T) {
	t.Parallel()
	var load func() tea.Msg
	m := New(Options{
		LoadCatalog: func(context.Context) (*catalog.Catalog, Searcher, error) {
			c := catalog.Sample()
			return c, index.NewScanSearcher(c), nil
		},
		Now: func() time.Time { return fixedNow },
	})
	load = m.loadCmd()
	typeText(m, "forecast")
	if m.search.input.Value() != "forecast" || m.cat != nil {
		t.Fatalf("typed %q before the catalogue loaded", m.search.input.Value())
	}
	press(m, "enter") // before the catalogue is there: opens once it is
	send(m, load())
	if got := hitIDs(m.search); len(got) == 0 || got[0] != "sampleweather/GetForecast" {
		t.Fatalf("hits after load: %v", got)
	}
	if op, ok := m.top().(*operationPage); !ok || op.op.ID != "GetForecast" {
		t.Fatalf("enter typed ahead did not open the first result: top %T", m.top())
	}
}
