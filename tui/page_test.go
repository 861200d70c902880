package tui

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/connex-dev/connex/index"
	"github.com/connex-dev/connex/tui/callform"
	"github.com/connex-dev/connex/tui/common"
)

// Every page is a component on its own: built here with an env and what
// it shows, never with the root Model, and driven through the
// common.Component contract alone. What a page asks of its host comes
// back as the messages of its commands.

// aloneEnv is a page's env at w x h: the default styles and key map, and
// a recorder for the clipboard and the browser.
func aloneEnv(w, h int, rec *recorder) env {
	c := common.NewCommon(context.Background())
	c.SetSize(w, h)
	return env{Common: c, fx: effects{
		copy:    func(s string) error { rec.copied = append(rec.copied, s); return nil },
		openURL: func(u string) error { rec.opened = append(rec.opened, u); return nil },
	}}
}

// drive gives keys to a page one by one and returns what its commands ask.
func drive(p common.Component, ks ...string) []tea.Msg {
	var out []tea.Msg
	for _, k := range ks {
		_, cmd := p.Update(keyMsg(k))
		out = append(out, flatten(cmd)...)
	}
	return out
}

// oneMsg is the one message msgs must hold.
func oneMsg(t *testing.T, msgs []tea.Msg) tea.Msg {
	t.Helper()
	if len(msgs) != 1 {
		t.Fatalf("got %d messages %#v, want 1", len(msgs), msgs)
	}
	return msgs[0]
}

func plainView(p common.Component) string { return ansi.Strip(p.View()) }

func TestSearchPageAlone(t *testing.T) {
	t.Parallel()
	cat := fixtureCatalog()
	p := newSearchPage(aloneEnv(80, 20, &recorder{}), func() string { return "~" })
	if cmd := p.Init(); cmd != nil {
		t.Fatal("the page searched without a searcher")
	}
	p.setCatalog(catViewOf(cat), index.NewScanSearcher(cat))
	// Init sends the first search; its result carries the page's id.
	res, ok := oneMsg(t, flatten(p.Init())).(searchResultMsg)
	if !ok || !p.Owns(res.Owner()) || p.Owns(res.Owner()+1) {
		t.Fatalf("first search gave %#v, owned %v", res, ok && p.Owns(res.Owner()))
	}
	if !strings.Contains(plainView(p), "~ searching") {
		t.Fatalf("no spinner while searching:\n%s", plainView(p))
	}
	p.Update(res)
	if p.searching || len(p.hits) != 6 || !strings.Contains(plainView(p), "6 results") {
		t.Fatalf("after the first result: searching %v, %d hits:\n%s", p.searching, len(p.hits), plainView(p))
	}
	// Typing sends a search per key; only the latest result is shown.
	var results []tea.Msg
	for _, r := range "note" {
		results = append(results, drive(p, string(r))...)
	}
	if len(results) != 4 || !p.Capturing() {
		t.Fatalf("typing sent %d searches (capturing %v), want 4", len(results), p.Capturing())
	}
	p.Update(results[3])
	p.Update(results[0]) // late: dropped
	if p.query != "note" || len(p.hits) != 4 {
		t.Fatalf("shown %q with %d hits, want note with 4", p.query, len(p.hits))
	}
	// enter asks the host to open the hit; the page pushes nothing itself.
	open, ok := oneMsg(t, drive(p, "down", "enter")).(openMsg)
	if !ok || open.conn.ID != "fixnotes" || open.op == nil || open.op.ID != "ArchiveNote" {
		t.Fatalf("enter asked %#v", open)
	}
	// ? on an empty box asks for the help; c copies through the env.
	p.input.SetValue("")
	if _, ok := oneMsg(t, drive(p, "?")).(showHelpMsg); !ok {
		t.Fatal("? on an empty box did not ask for the help")
	}
	rec := &recorder{}
	p.fx = aloneEnv(80, 20, rec).fx
	drive(p, "tab")
	if info, ok := oneMsg(t, drive(p, "c")).(infoMsg); !ok || info.text != "copied operation id: ArchiveNote" || !reflect.DeepEqual(rec.copied, []string{"ArchiveNote"}) {
		t.Fatalf("c: %#v, copied %v", info, rec.copied)
	}
}

func TestConnectorPageAlone(t *testing.T) {
	t.Parallel()
	cat := fixtureCatalog()
	conn, _ := cat.Connector("fixnotes")
	rec := &recorder{}
	p := newConnectorPage(aloneEnv(80, 20, rec), conn)
	if v := plainView(p); !strings.Contains(v, "Fixture Notes") || !strings.Contains(v, "Operations (4)") {
		t.Fatalf("view:\n%s", v)
	}
	// The operations tab: enter opens, t tries the selected operation.
	drive(p, "tab", "down")
	if open, ok := oneMsg(t, drive(p, "enter")).(openMsg); !ok || open.op.ID != "CreateNote" {
		t.Fatalf("enter asked %#v", open)
	}
	if try, ok := oneMsg(t, drive(p, "t")).(tryItMsg); !ok || try.conn != conn || try.op.ID != "CreateNote" {
		t.Fatalf("t asked %#v", try)
	}
	if _, ok := oneMsg(t, drive(p, "o")).(infoMsg); !ok || len(rec.opened) != 1 || !strings.Contains(rec.opened[0], "fixnotes") {
		t.Fatalf("o opened %v", rec.opened)
	}
	// f filters the operations as typed, capturing keys until enter.
	drive(p, "f")
	if !p.Capturing() {
		t.Fatal("f: not capturing")
	}
	typed := drive(p, "a", "r", "c", "h")
	if len(typed) != 0 || len(p.ops) != 1 || p.ops[0].ID != "ArchiveNote" {
		t.Fatalf("filter archive: %d ops, asked %#v", len(p.ops), typed)
	}
	// Wide, it lays the overview and the operations side by side.
	p.SetSize(120, 20)
	if v := plainView(p); strings.Contains(v, "(tab switches)") || !strings.Contains(v, "Operations 1 shown · kind:all") || !strings.Contains(v, "Publisher: Fixture Inc") {
		t.Fatalf("at 120:\n%s", v)
	}
}

func TestOperationPageAlone(t *testing.T) {
	t.Parallel()
	cat := fixtureCatalog()
	conn, _ := cat.Connector("fixnotes")
	p := newOperationPage(aloneEnv(100, 30, &recorder{}), conn, conn.Operation("OldList"))
	if v := plainView(p); !strings.Contains(v, "List notes (old)") || !strings.Contains(v, "GET /api/v0/notes") {
		t.Fatalf("view:\n%s", v)
	}
	if try, ok := oneMsg(t, drive(p, "t")).(tryItMsg); !ok || try.op.ID != "OldList" {
		t.Fatalf("t asked %#v", try)
	}
	if jump, ok := oneMsg(t, drive(p, "R")).(jumpMsg); !ok || jump.target != "fixpages/ListPages" {
		t.Fatalf("R asked %#v", jump)
	}
	// / finds in the document: the prompt captures keys, enter reports.
	drive(p, "/")
	if !p.Capturing() {
		t.Fatal("/: not capturing")
	}
	drive(p, "t", "i", "t", "l", "e")
	if st, ok := oneMsg(t, drive(p, "enter")).(statusMsg); !ok || st != `match 1/1 for "title" (n/N: next/previous)` {
		t.Fatalf("find asked %#v", st)
	}
	if p.Capturing() {
		t.Fatal("still capturing after enter")
	}
}

func TestAuditPageAlone(t *testing.T) {
	t.Parallel()
	p := newAuditPage(aloneEnv(100, 40, &recorder{}), fixtureReport())
	if v := plainView(p); !strings.Contains(v, "Audit of 2 flows  PREMIUM licence") {
		t.Fatalf("view:\n%s", v)
	}
	var asked []string
	for range p.doc.lines {
		for _, msg := range drive(p, "enter") {
			asked = append(asked, msg.(jumpMsg).target)
		}
		drive(p, "down")
	}
	want := []string{"fixnotes", "fixnotes/CreateNote", "fixnotes/OldList", "fixpages", "fixpages/ListPages"}
	if !reflect.DeepEqual(asked, want) {
		t.Fatalf("enter on each line asked %v, want %v", asked, want)
	}
}

func TestMessagePageAlone(t *testing.T) {
	t.Parallel()
	cat := fixtureCatalog()
	conn, _ := cat.Connector("fixnotes")
	op := conn.Operation("ArchiveNote")
	p := cannotSendPage(aloneEnv(60, 8, &recorder{}), conn, op)
	v := plainView(p)
	if !strings.HasPrefix(v, "Archive a note cannot be sent from here") || strings.Contains(v, "esc goes back.") {
		t.Fatalf("first screen:\n%s", v)
	}
	if msgs := drive(p, "G"); len(msgs) != 0 {
		t.Fatalf("G asked %#v", msgs)
	}
	if v := plainView(p); !strings.HasSuffix(v, "esc goes back.") {
		t.Fatalf("G did not reach the end:\n%s", v)
	}
}

func TestHostPageAlone(t *testing.T) {
	t.Parallel()
	cat := fixtureCatalog()
	conn, _ := cat.Connector("fixpages")
	c := common.NewCommon(context.Background())
	form := callform.New(callform.Options{Connector: conn, Operation: conn.Operation("ListPages"), HideHelp: true, KeyMap: c.KeyMap, Styles: c.Styles})
	closed := 0
	p := &hostPage{model: form, keys: c.KeyMap, title: "Test call", onClose: func() { closed++ }}
	var page page = p
	page.SetSize(80, 20)
	flatten(page.Init())
	if v := plainView(page); !strings.Contains(v, "Test call · Fixture Pages › List pages") {
		t.Fatalf("view:\n%s", v)
	}
	help := fmt.Sprint(page.FullHelp())
	if !strings.Contains(help, "send") || !page.Owns(form.ID()) || page.Owns(form.ID()+1000) {
		t.Fatalf("help %s, owns its form %v", help, page.Owns(form.ID()))
	}
	close, ok := oneMsg(t, drive(page, "esc")).(callform.CloseMsg)
	if !ok || close.ID != form.ID() {
		t.Fatalf("esc asked %#v", close)
	}
	p.close()
	if closed != 1 {
		t.Fatalf("closed %d times", closed)
	}
}

// The root builds pages from the same env: no page holds the Model.
func TestPagesHoldNoRootModel(t *testing.T) {
	t.Parallel()
	model := reflect.TypeOf((*Model)(nil))
	for _, p := range []any{searchPage{}, connectorPage{}, operationPage{}, auditPage{}, messagePage{}, hostPage{}} {
		typ := reflect.TypeOf(p)
		for i := range typ.NumField() {
			if f := typ.Field(i); f.Type == model || f.Type == model.Elem() {
				t.Errorf("%s.%s is the root model", typ.Name(), f.Name)
			}
		}
	}
}

// The root acts on what pages ask: it pushes the pages, shows the status
// and the help, and says why a jump cannot open.
func TestRootActsOnPageRequests(t *testing.T) {
	t.Parallel()
	cat := fixtureCatalog()
	conn, _ := cat.Connector("fixnotes")
	for _, tc := range []struct {
		name string
		msg  tea.Msg
		top  string
		want func(m *Model) bool
	}{
		{"open connector", openMsg{conn: conn}, "*tui.connectorPage", nil},
		{"open operation", openMsg{conn: conn, op: conn.Operation("GetNote")}, "*tui.operationPage", nil},
		{"jump", jumpMsg{"fixpages/ListPages"}, "*tui.operationPage", nil},
		{"jump nowhere", jumpMsg{"nosuch"}, "*tui.searchPage", func(m *Model) bool {
			return m.err != nil && strings.Contains(m.err.Error(), `no connector "nosuch"`)
		}},
		{"try it", tryItMsg{conn: conn, op: conn.Operation("GetNote")}, "*tui.hostPage", nil},
		{"try the unsendable", tryItMsg{conn: conn, op: conn.Operation("ArchiveNote")}, "*tui.messagePage", nil},
		{"status", statusMsg("match 1/1"), "*tui.searchPage", func(m *Model) bool { return m.info == "match 1/1" }},
		{"error", errMsg{errors.New("boom")}, "*tui.searchPage", func(m *Model) bool { return m.err != nil && m.err.Error() == "boom" }},
		{"help", showHelpMsg{}, "*tui.searchPage", func(m *Model) bool { return m.showHelp }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newTestModel(t, fixtureCatalog(), 80, 24)
			send(m, tc.msg)
			if top := fmt.Sprintf("%T", m.top()); top != tc.top || (tc.want != nil && !tc.want(m)) {
				t.Fatalf("top %s (want %s), info %q, err %v, help %v", top, tc.top, m.info, m.err, m.showHelp)
			}
			if tc.top != "*tui.searchPage" && len(m.stack) != 2 {
				t.Fatalf("depth %d, want 2", len(m.stack))
			}
		})
	}
}
