package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/audit"
)

// fixtureReport is an audit of two made-up flows against fixtureCatalog:
// a premium connector, a deprecated operation with its replacement in
// another connector, a known issue, a custom connector the catalogue does
// not hold, and an input that could not be read.
func fixtureReport() *audit.Report {
	notes := audit.ConnectorUse{ID: "fixnotes", Name: "Fixture Notes", Tier: "standard", Uses: 3,
		Operations: []audit.OperationUse{
			{ID: "CreateNote", Name: "Create a note", Kind: "action", Uses: 1, KnownIssues: []string{"Titles longer than 200 characters are cut"}},
			{ID: "OldList", Name: "List notes (old)", Kind: "action", Deprecated: true, ReplacedBy: "ListPages", ReplacedByConnector: "fixpages", Uses: 2},
		}}
	pages := audit.ConnectorUse{ID: "fixpages", Name: "Fixture Pages", Tier: "premium", Uses: 1,
		Operations: []audit.OperationUse{{ID: "ListPages", Name: "List pages", Kind: "action", Uses: 1}}}
	why := audit.CallRef{Flow: "Nightly pages", Action: "List_pages", Connector: "fixpages", Operation: "ListPages", Reason: audit.ReasonPremiumConnector}
	return &audit.Report{
		Flows: []audit.FlowReport{
			{Name: "Notes digest", Source: "digest/definition.json", Connectors: []audit.ConnectorUse{notes},
				Calls:   make([]audit.Call, 3),
				Unknown: []audit.Unknown{{Flow: "Notes digest", Action: "Post_it", Connector: "shared_contoso-custom", Operation: "PostIt", Reason: "connector not in the catalogue"}}},
			{Name: "Nightly pages\x1b[31m", Source: "pages.zip", Verdict: audit.Verdict{Premium: true, PremiumBecause: []audit.CallRef{why}},
				Connectors: []audit.ConnectorUse{pages}, Calls: make([]audit.Call, 1)},
		},
		Connectors: []audit.ConnectorUse{notes, pages},
		Verdict:    audit.Verdict{Premium: true, PremiumBecause: []audit.CallRef{why}},
		Errors:     []audit.ReadError{{Path: "broken.zip", Error: "not a zip archive"}},
	}
}

// Issue 14: the explorer opens on the audit once the catalogue is loaded;
// enter on an operation opens its page, on a connector the connector's;
// esc comes back to the audit, then to the search.
func TestAuditView(t *testing.T) {
	t.Parallel()
	opts := testOptions(fixtureCatalog(), nil)
	opts.Audit = fixtureReport()
	m := New(opts)
	settle(m, m.Init())
	send(m, tea.WindowSizeMsg{Width: 100, Height: 40})
	p, ok := m.top().(*auditPage)
	if !ok || len(m.stack) != 2 {
		t.Fatalf("top %T, depth %d; want the audit over the search", m.top(), len(m.stack))
	}
	scr := screen(m)
	for _, want := range []string{
		"Audit of 2 flows  PREMIUM licence",
		"premium because of fixpages/ListPages in Nightly pages: List_pages (premium connector)",
		"Notes digest  standard",
		"fixnotes (Fixture Notes) · standard · 3 calls",
		"action  OldList  List notes (old) ×2  DEPRECATED → fixpages/ListPages",
		"known issue: Titles longer than 200 characters are cut",
		"? shared_contoso-custom/PostIt (Post_it): connector not in the catalogue",
		"Nightly pages␛[31m  PREMIUM", // the escape shown, not run
		"fixpages (Fixture Pages) · premium · 1 call",
		"Could not read (1)",
		"broken.zip: not a zip archive",
	} {
		if !strings.Contains(scr, want) {
			t.Errorf("the audit lacks %q:\n%s", want, scr)
		}
	}
	if strings.Contains(m.View(), "\x1b[31m") {
		t.Error("a flow name's escape sequence reached the terminal")
	}

	// Enter on a line without a page does nothing.
	press(m, "enter")
	if len(m.stack) != 2 {
		t.Fatalf("enter on the heading opened %T", m.top())
	}
	at := func(text string) {
		t.Helper()
		for i, l := range p.doc.lines {
			if strings.Contains(l.text, text) {
				p.doc.cursor = i
				return
			}
		}
		t.Fatalf("no line %q", text)
	}
	at("OldList")
	press(m, "enter")
	op, ok := m.top().(*operationPage)
	if !ok || op.conn.ID != "fixnotes" || op.op.ID != "OldList" {
		t.Fatalf("enter on OldList opened %T", m.top())
	}
	press(m, "esc")
	if m.top() != page(p) {
		t.Fatalf("esc from the operation: top %T", m.top())
	}
	at("fixpages (Fixture Pages)")
	press(m, "enter")
	if cp, ok := m.top().(*connectorPage); !ok || cp.conn.ID != "fixpages" {
		t.Fatalf("enter on fixpages opened %T", m.top())
	}
	press(m, "esc", "esc")
	if m.top() != page(m.search) {
		t.Fatalf("esc from the audit: top %T", m.top())
	}
}
