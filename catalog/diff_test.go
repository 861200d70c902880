package catalog

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var diffAt = time.Date(2025, 12, 10, 8, 30, 0, 0, time.UTC)

// diffFixture is an invented catalogue; each test changes a copy.
func diffFixture() *Catalog {
	c := &Catalog{UpdatedAt: time.Date(2025, 10, 9, 0, 0, 0, 0, time.UTC), Connectors: []*Connector{
		{ID: "alpha", Name: "Alpha", Tier: TierStandard, Products: []Product{{Name: ProductPowerApps}, {Name: ProductLogicApps}},
			Operations: []*Operation{
				{ID: "Send", Name: "Send", Kind: KindAction, Parameters: []Parameter{
					{Name: "To", Key: "to", Type: "string", Required: true},
					{Name: "Body", Key: "body", Type: "string"},
					{Name: "Count", Key: "count", Type: "integer"},
				}},
				{ID: "Old", Name: "Old way", Kind: KindAction},
				{ID: "OnEvent", Name: "When an event happens", Kind: KindTrigger},
			}},
		{ID: "beta", Name: "Beta", Tier: TierPremium, Preview: true, Products: []Product{{Name: ProductPowerAutomate}}},
		{ID: "gamma", Name: "Gamma", Tier: TierStandard, Products: []Product{{Name: ProductPowerAutomate}}},
	}}
	c.Reindex()
	return c
}

func copyCatalog(t *testing.T, c *Catalog) *Catalog {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var out Catalog
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	out.Reindex()
	return &out
}

func TestDiffNothingChanged(t *testing.T) {
	a := diffFixture()
	r := Diff(a, copyCatalog(t, a), diffAt)
	if !r.Empty() || r.Summary != (ChangeSummary{}) || r.OldConnectors != 3 || r.NewConnectors != 3 {
		t.Fatalf("report of identical catalogues: %+v", r)
	}
	// Empty lists, not null, so scripts can iterate without checks.
	data, _ := json.Marshal(r)
	for _, frag := range []string{`"added":[]`, `"removed":[]`, `"changed":[]`} {
		if !strings.Contains(string(data), frag) {
			t.Errorf("JSON lacks %s: %s", frag, data)
		}
	}
}

func TestDiffConnectorsAndFlags(t *testing.T) {
	old := diffFixture()
	cur := copyCatalog(t, old)
	c, _ := cur.Connector("beta")
	c.Preview, c.Tier, c.Name = false, TierStandard, "Beta 2"
	c.Products = append(c.Products, Product{Name: ProductPowerApps})
	cur.Connectors = append(cur.Connectors[:2], &Connector{ID: "delta", Name: "Delta", Tier: TierPremium, Preview: true,
		Operations: []*Operation{{ID: "X"}}}) // gamma removed, delta added
	cur.Reindex()
	r := Diff(old, cur, diffAt)
	wantAdded := []ConnectorRef{{ID: "delta", Name: "Delta", Tier: TierPremium, Preview: true, Operations: 1}}
	wantRemoved := []ConnectorRef{{ID: "gamma", Name: "Gamma", Tier: TierStandard}}
	if !reflect.DeepEqual(r.Added, wantAdded) || !reflect.DeepEqual(r.Removed, wantRemoved) {
		t.Fatalf("added %+v removed %+v", r.Added, r.Removed)
	}
	want := []ConnectorChange{{ID: "beta", Name: "Beta 2", Fields: []FieldChange{
		{Field: FieldName, Old: "Beta", New: "Beta 2"},
		{Field: FieldTier, Old: "premium", New: "standard"},
		{Field: FieldPreview, Old: "true", New: "false"},
		{Field: FieldProducts, Old: "Power Automate", New: "Power Apps, Power Automate"},
	}}}
	if !reflect.DeepEqual(r.Changed, want) {
		t.Fatalf("changed %+v, want %+v", r.Changed, want)
	}
	if r.Summary != (ChangeSummary{Added: 1, Removed: 1, Changed: 1}) {
		t.Errorf("summary %+v", r.Summary)
	}
}

func TestDiffUnknownFieldsNotReported(t *testing.T) {
	// An imported-only catalogue knows no tier, products or preview: the
	// first refresh must not report them all as changed.
	old := diffFixture()
	for _, c := range old.Connectors {
		c.Tier, c.Products, c.Preview = TierUnknown, nil, false
	}
	r := Diff(old, diffFixture(), diffAt)
	if !r.Empty() {
		t.Fatalf("unknown fields reported: %+v", r.Changed)
	}
}

func TestDiffOperationsAndParameters(t *testing.T) {
	old := diffFixture()
	cur := copyCatalog(t, old)
	a, _ := cur.Connector("alpha")
	send := a.Operation("Send")
	send.Parameters = []Parameter{
		{Name: "To", Key: "to", Type: "array of string", Required: true}, // type changed
		{Name: "Body", Key: "body", Type: "string", Required: true},      // now required
		{Name: "Cc", Key: "cc", Type: "string"},                          // added; count removed
	}
	a.Operation("Old").Deprecated = true
	a.Operations = append(a.Operations[:2], &Operation{ID: "SendV2", Name: "Send (V2)", Kind: KindAction}) // OnEvent removed
	r := Diff(old, cur, diffAt)
	if len(r.Changed) != 1 {
		t.Fatalf("changed %+v", r.Changed)
	}
	ch := r.Changed[0]
	if ch.ID != "alpha" || len(ch.Fields) != 0 {
		t.Errorf("connector change %+v", ch)
	}
	if want := []OperationRef{{ID: "SendV2", Name: "Send (V2)", Kind: KindAction}}; !reflect.DeepEqual(ch.OperationsAdded, want) {
		t.Errorf("added %+v", ch.OperationsAdded)
	}
	if want := []OperationRef{{ID: "OnEvent", Name: "When an event happens", Kind: KindTrigger}}; !reflect.DeepEqual(ch.OperationsRemoved, want) {
		t.Errorf("removed %+v", ch.OperationsRemoved)
	}
	if want := []OperationRef{{ID: "Old", Name: "Old way", Kind: KindAction}}; !reflect.DeepEqual(ch.OperationsDeprecated, want) {
		t.Errorf("deprecated %+v", ch.OperationsDeprecated)
	}
	want := []ParameterChange{
		{Operation: "Send", Key: "body", Name: "Body", Change: ParamRequired, Old: "false", New: "true"},
		{Operation: "Send", Key: "cc", Name: "Cc", Change: ParamAdded, New: "string"},
		{Operation: "Send", Key: "to", Name: "To", Change: ParamType, Old: "string", New: "array of string"},
		{Operation: "Send", Key: "count", Name: "Count", Change: ParamRemoved, Old: "integer"},
	}
	if !reflect.DeepEqual(ch.Parameters, want) {
		t.Errorf("parameters\n got %+v\nwant %+v", ch.Parameters, want)
	}
	if r.Summary != (ChangeSummary{Changed: 1, OperationsAdded: 1, OperationsRemoved: 1, OperationsDeprecated: 1, ParameterChanges: 4}) {
		t.Errorf("summary %+v", r.Summary)
	}
	// Deterministic: the same inputs give the same bytes.
	j1, _ := json.Marshal(Diff(old, cur, diffAt))
	j2, _ := json.Marshal(Diff(old, cur, diffAt))
	if string(j1) != string(j2) {
		t.Error("two diffs of the same catalogues differ")
	}
}

func TestDiffNilCatalogues(t *testing.T) {
	r := Diff(nil, diffFixture(), diffAt)
	if len(r.Added) != 3 || len(r.Removed) != 0 {
		t.Errorf("nil old: %+v", r.Summary)
	}
	r = Diff(diffFixture(), nil, diffAt)
	if len(r.Removed) != 3 || len(r.Added) != 0 {
		t.Errorf("nil new: %+v", r.Summary)
	}
	r = Diff(Sample(), diffFixture(), diffAt)
	if len(r.Added) != 3 || len(r.Removed) != 0 || r.OldConnectors != 0 {
		t.Errorf("sample old: %+v", r.Summary)
	}
}

func TestDiffJSONFieldNames(t *testing.T) {
	old := diffFixture()
	cur := copyCatalog(t, old)
	a, _ := cur.Connector("alpha")
	a.Operation("Old").Deprecated = true
	data, err := json.Marshal(Diff(old, cur, diffAt))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"version":1`, `"at":"2025-12-10T08:30:00Z"`, `"old_updated_at"`, `"new_connectors":3`,
		`"summary":{"added":0,"removed":0,"renamed":0,"changed":1,"endpoint_changes":0,"operations_added":0,"operations_removed":0,"operations_deprecated":1,"parameter_changes":0}`,
		`"renamed":[]`,
		`"operations_deprecated":[{"id":"Old","name":"Old way","kind":"action"}]`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("JSON lacks %s:\n%s", key, data)
		}
	}
}

func TestSaveAndLoadReports(t *testing.T) {
	dir := t.TempDir()
	if rs, err := LoadReports(dir, time.Time{}); rs != nil || err != nil {
		t.Fatalf("no folder: %v %v", rs, err)
	}
	old := diffFixture()
	cur := copyCatalog(t, old)
	cur.Connectors = cur.Connectors[:2]
	cur.Reindex()
	times := []time.Time{diffAt, diffAt, diffAt.Add(48 * time.Hour)}
	var paths []string
	for _, at := range times {
		p, err := SaveReport(dir, Diff(old, cur, at))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, filepath.Base(p))
	}
	want := []string{"2025-12-10T08-30-00Z.json", "2025-12-10T08-30-00Z-2.json", "2025-12-12T08-30-00Z.json"}
	if !reflect.DeepEqual(paths, want) {
		t.Fatalf("files %v, want %v", paths, want)
	}
	all, err := LoadReports(dir, time.Time{})
	if err != nil || len(all) != 3 || !all[2].At.Equal(times[2]) || all[0].Removed[0].ID != "gamma" {
		t.Fatalf("load all: %v, %d reports", err, len(all))
	}
	recent, err := LoadReports(dir, diffAt.Add(time.Hour))
	if err != nil || len(recent) != 1 || !recent[0].At.Equal(times[2]) {
		t.Fatalf("load since: %v %d", err, len(recent))
	}
	// A corrupt file is skipped and named; the good ones still load.
	bad := filepath.Join(dir, ChangesDir, "2025-12-11T00-00-00Z.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	all, err = LoadReports(dir, time.Time{})
	if !errors.Is(err, ErrCorruptReport) || !strings.Contains(err.Error(), bad) || len(all) != 3 {
		t.Fatalf("corrupt file: %v, %d reports", err, len(all))
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(filepath.Join(dir, ChangesDir))
	if len(entries) != 4 {
		t.Errorf("%d files in changes/, want 4", len(entries))
	}
}

// A catalogue imported from definitions only, then the same connectors
// after the site brought their ids: renamed, never removed and added.
func TestDiffRenames(t *testing.T) {
	const ip = "x/independent-publisher-connectors/"
	old := &Catalog{Connectors: []*Connector{
		{ID: "frobnicate", Folder: "Frobnicate (Independent Publisher)", Name: "Frobnicate", PublisherKind: PublisherIndependent,
			Sources: src(SourceDefinition, ip+"Frobnicate (Independent Publisher)/apiDefinition.swagger.json", defAt)},
		{ID: "gadgets", Name: "Gadgets", Host: "api.gadgets.example", Schemes: []string{"https"}},
		{ID: "oldname", Name: "Same Title"},
		{ID: "widgetsinc", Name: "Widgets Incorporated", Host: "api.widgets.example", BasePath: "/v2"},
		{ID: "gone", Name: "Gone"},
		{ID: "holopin", Name: "Holopin"},
	}}
	old.Reindex()
	// The merge keeps the old id as an alias.
	cur := &Catalog{Connectors: []*Connector{
		{ID: "frobnicateip", Aliases: []string{"frobnicate"}, Name: "Frobnicate (Independent Publisher)"},
		{ID: "gadgets", Name: "Gadgets", Host: "127.0.0.1:8080", Schemes: []string{"http"}},
		{ID: "newname", Name: "Same title"},
		{ID: "widgets", Name: "Widgets", Host: "api.widgets.example", BasePath: "/v2"},
		{ID: "holopinip", Name: "Holopin (Independent Publisher)"},
		{ID: "brandnew", Name: "Brand New"},
	}}
	cur.Reindex()
	r := Diff(old, cur, diffAt)
	wantRenamed := []ConnectorRename{
		{OldID: "frobnicate", NewID: "frobnicateip", OldName: "Frobnicate", NewName: "Frobnicate (Independent Publisher)", Match: MatchAlias},
		{OldID: "oldname", NewID: "newname", OldName: "Same Title", NewName: "Same title", Match: MatchName},
		{OldID: "widgetsinc", NewID: "widgets", OldName: "Widgets Incorporated", NewName: "Widgets", Match: MatchEndpoint},
	}
	if !reflect.DeepEqual(r.Renamed, wantRenamed) {
		t.Errorf("renamed %+v", r.Renamed)
	}
	// Holopin is not "Holopin (Independent Publisher)": that one is new.
	if !reflect.DeepEqual(r.Added, []ConnectorRef{{ID: "brandnew", Name: "Brand New"}, {ID: "holopinip", Name: "Holopin (Independent Publisher)"}}) {
		t.Errorf("added %+v", r.Added)
	}
	if !reflect.DeepEqual(r.Removed, []ConnectorRef{{ID: "gone", Name: "Gone"}, {ID: "holopin", Name: "Holopin"}}) {
		t.Errorf("removed %+v", r.Removed)
	}
	var gadgets *ConnectorChange
	for i := range r.Changed {
		if r.Changed[i].ID == "gadgets" {
			gadgets = &r.Changed[i]
		}
	}
	want := []FieldChange{{Field: FieldHost, Old: "api.gadgets.example", New: "127.0.0.1:8080"}, {Field: FieldScheme, Old: "https", New: "http"}}
	if gadgets == nil || !reflect.DeepEqual(gadgets.Fields, want) {
		t.Errorf("gadgets change %+v", gadgets)
	}
	if r.Summary.Renamed != 3 || r.Summary.EndpointChanges != 1 || r.Summary.Removed != 2 || r.Summary.Added != 2 {
		t.Errorf("summary %+v", r.Summary)
	}
}
