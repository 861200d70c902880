package replica

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
)

// listCatalog turns a reference list into a catalogue of what the list
// page says: id, name, tier, preview, products.
func listCatalog(t *testing.T, path string) *catalog.Catalog {
	t.Helper()
	entries, err := LoadList(path)
	if err != nil {
		t.Fatal(err)
	}
	c := &catalog.Catalog{}
	for _, e := range entries {
		conn := &catalog.Connector{ID: e.Name, Name: e.DisplayName, Preview: e.Preview, Tier: catalog.TierStandard}
		if e.Premium {
			conn.Tier = catalog.TierPremium
		}
		for _, p := range []struct {
			on   bool
			name string
		}{{e.LogicApps, catalog.ProductLogicApps}, {e.PowerAutomate, catalog.ProductPowerAutomate}, {e.PowerApps, catalog.ProductPowerApps}} {
			if p.on {
				conn.Products = append(conn.Products, catalog.Product{Name: p.name})
			}
		}
		c.Connectors = append(c.Connectors, conn)
	}
	c.Reindex()
	return c
}

// The data README: between the 2025-10 and 2025-12 captures 41 connectors
// were added, 2 removed and 12 changed a flag or display name (the MCP
// flag, absent from the older capture, is not a change).
var (
	wantAdded = []string{"bbcnews", "blueskysocial", "bureauoflaborstatist", "cdataconnectai", "celonismcpserver",
		"clevertap", "cloudmersivecdr", "csvconverterbypower2", "customjs", "docugami", "docugenerate", "draup",
		"draupmcpserver", "egain", "enlyftmcp", "githubdata", "holopin", "ilovepdf", "ilovepdfsign",
		"intelixiocanalysismc", "legalesign", "legiscan", "markdownconverter", "mcphivetintegration", "mondaycom",
		"morningstar", "openfec", "opensanctions", "pagepixelsscreenshot", "pdf4meexcel", "pdf4meword", "pdftools",
		"sendansms", "simplesurvey", "smsforapplications", "softonewebcrm", "strakerverify", "surveymonkeycanada",
		"uspatenttrademarkoff", "youtubetranscript", "zohoteaminbox"}
	wantRemoved = []string{"fluidkinnectorzforpr", "purviewdatacatalog"}
	wantChanged = map[string]string{
		"azureadapplications":  "name",
		"businessassist":       "name",
		"cardsforpowerapps":    "name",
		"clicksendsms":         "name",
		"finalcadoneconnect":   "name",
		"microsoftloop":        "name",
		"microsoftschooldatas": "preview",
		"muhimbipdf":           "preview",
		"nutrientconverttopdf": "preview",
		"nutrientpdfocr":       "preview",
		"nutrientwatermarktop": "preview",
		"repfabricjob":         "name",
	}
)

// checkRealChanges checks a report against the README's figures. The
// replica's pages turn a trailing " [DEPRECATED]" of a display name into
// the deprecated flag, as a parser does: those changes are "deprecated"
// instead of "name" there.
func checkRealChanges(t *testing.T, r *catalog.ChangeReport, markersStripped bool) {
	t.Helper()
	var added, removed []string
	for _, c := range r.Added {
		added = append(added, c.ID)
	}
	for _, c := range r.Removed {
		removed = append(removed, c.ID)
	}
	if !reflect.DeepEqual(added, wantAdded) {
		t.Errorf("added (%d) %v\nwant (%d) %v", len(added), added, len(wantAdded), wantAdded)
	}
	if !reflect.DeepEqual(removed, wantRemoved) {
		t.Errorf("removed %v, want %v", removed, wantRemoved)
	}
	got := map[string]string{}
	for _, ch := range r.Changed {
		if len(ch.Fields) != 1 || len(ch.OperationsAdded)+len(ch.OperationsRemoved)+len(ch.OperationsDeprecated)+len(ch.Parameters) != 0 {
			t.Errorf("%s: more than one change: %+v", ch.ID, ch)
		}
		if len(ch.Fields) > 0 {
			got[ch.ID] = ch.Fields[0].Field
		}
	}
	want := map[string]string{}
	for id, field := range wantChanged {
		want[id] = field
	}
	if markersStripped {
		for _, id := range []string{"businessassist", "cardsforpowerapps", "microsoftloop"} {
			want[id] = "deprecated"
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changed %v\nwant %v", got, want)
	}
	if s := r.Summary; s.Added != 41 || s.Removed != 2 || s.Changed != 12 {
		t.Errorf("summary %+v, want 41 added, 2 removed, 12 changed", s)
	}
}

func TestChangeReportBetweenRealLists(t *testing.T) {
	dir := realdata.Dir(t)
	old := listCatalog(t, filepath.Join(dir, "connector-reference-list-2025-10.json"))
	cur := listCatalog(t, filepath.Join(dir, "connector-reference-list.json"))
	if len(old.Connectors) != 1427 || len(cur.Connectors) != 1466 {
		t.Fatalf("%d and %d connectors, want 1427 and 1466", len(old.Connectors), len(cur.Connectors))
	}
	r := catalog.Diff(old, cur, time.Date(2025, 12, 10, 0, 0, 0, 0, time.UTC))
	checkRealChanges(t, r, false)
	if r.Changed[0].ID != "azureadapplications" || r.Changed[0].Fields[0] != (catalog.FieldChange{Field: "name", Old: "Azure AD App Registrations", New: "Microsoft Entra ID App Registrations"}) {
		t.Errorf("first change %+v", r.Changed[0])
	}
}

// The replica's pages change only where the list changed: the catalogue
// rendered (with the real definitions) from the 2025-10 list and the one
// from the 2025-12 list differ by exactly the list's changes, operations
// and all.
func TestReplicaChangesFollowTheList(t *testing.T) {
	dir := realdata.Dir(t)
	oldList, err := LoadList(filepath.Join(dir, "connector-reference-list-2025-10.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Entries: oldList, Seed: 5, Definitions: realdata.Catalog(t)})
	if err != nil {
		t.Fatal(err)
	}
	before := s.Expected()
	newList, err := LoadList(filepath.Join(dir, "connector-reference-list.json"))
	if err != nil {
		t.Fatal(err)
	}
	s.SetEntries(newList)
	after := s.Expected()
	checkRealChanges(t, catalog.Diff(before, after, time.Now()), true)
}
