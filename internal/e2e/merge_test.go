package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/internal/replica"
	"github.com/connex-dev/connex/scraper/crawl"
	"github.com/connex-dev/connex/scraper/defs"
)

// Each source is read at a fixed time, whatever the order, so that the
// catalogues compare byte for byte (a source's read time is recorded).
var (
	defsAt    = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	apiAt     = time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	refreshAt = time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)
	listAt    = time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC)
)

type step struct {
	name string
	run  func(t *testing.T, cur *catalog.Catalog) *catalog.Catalog
}

// importStep imports one tarball and merges it, as 'connex import' does:
// the import is saved as a snapshot and read back (what connex merges is
// always a saved catalogue). The tarball is imported once; each order
// merges a fresh load of that snapshot (an import of both samples costs
// seconds, a load a tenth of one).
func importStep(name, path string, at time.Time) step {
	var once sync.Once
	var snap string
	return step{name: name, run: func(t *testing.T, cur *catalog.Catalog) *catalog.Catalog {
		once.Do(func() {
			res, err := defs.Import(context.Background(), []string{path}, defs.ImportOptions{Now: func() time.Time { return at }})
			if err != nil {
				t.Fatalf("import %s: %v", path, err)
			}
			snap = filepath.Join(t.TempDir(), name+".snap")
			if err := catalog.Save(snap, res.Catalog); err != nil {
				t.Fatalf("save %s: %v", name, err)
			}
		})
		if snap == "" {
			t.Fatalf("import %s failed in an earlier order", path)
		}
		imported, err := catalog.Load(snap)
		if err != nil {
			t.Fatalf("load %s: %v", snap, err)
		}
		if len(cur.Connectors) == 0 {
			// As app.Import into an empty data folder: the import is the
			// catalogue.
			return imported
		}
		cur.Merge(imported)
		return cur
	}}
}

// refreshStep crawls the local replica with the current catalogue as the
// previous one, as 'connex refresh' does. The page cache is shared by
// every order, as a user's data folder keeps it between refreshes: the
// first crawl fetches every page, the later ones revalidate (304) and
// parse the cached pages, which must give the same catalogue.
func refreshStep(base, cacheDir string) step {
	return step{name: "refresh", run: func(t *testing.T, cur *catalog.Catalog) *catalog.Catalog {
		dir := t.TempDir()
		res, err := crawl.Run(context.Background(), crawl.Options{
			BaseURL: base, Delay: -1, Concurrency: 4,
			CacheDir: cacheDir, StateFile: filepath.Join(dir, "refresh", "state.json"),
			Now: func() time.Time { return refreshAt },
		}, cur)
		if err != nil {
			t.Fatalf("refresh: %v", err)
		}
		if res.Failed != 0 {
			t.Fatalf("refresh: %d pages failed", res.Failed)
		}
		return res.Catalog
	}}
}

func permutations(n int) [][]int {
	if n == 1 {
		return [][]int{{0}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			out = append(out, append(append(append([]int{}, p[:i]...), n-1), p[i:]...))
		}
	}
	return out
}

// sameInEveryOrder runs steps in every order, each through run (given the
// order's names, for messages), checks that every order gives the same
// connectors byte for byte, and returns the first order's catalogue and
// names.
func sameInEveryOrder(t *testing.T, steps []step, run func(order string, s step, cur *catalog.Catalog) *catalog.Catalog) (*catalog.Catalog, string) {
	t.Helper()
	var first *catalog.Catalog
	var firstJSON []byte
	var firstOrder string
	for _, p := range permutations(len(steps)) {
		var names []string
		for _, i := range p {
			names = append(names, steps[i].name)
		}
		order := strings.Join(names, ", ")
		cur := &catalog.Catalog{}
		for _, i := range p {
			cur = run(order, steps[i], cur)
		}
		got, err := json.Marshal(cur.Connectors)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first, firstJSON, firstOrder = cur, got, order
			continue
		}
		if !bytes.Equal(firstJSON, got) {
			diff := differingConnectors(first, cur)
			t.Errorf("order (%s) differs from (%s) in %d connectors: %v", order, firstOrder, len(diff), diff)
		}
	}
	return first, firstOrder
}

// TestEveryOrderSameCatalogue: the definitions sample, the API sample and
// a refresh from the replica, in each of the 6 orders, give the same
// catalogue byte for byte (every connector, every field: more than
// 'connex export --json' prints), with no connector twice, folder names
// and shared_<id> as aliases, and a refresh after an import that lists no
// connector as removed that still exists under another name. Then the two
// imports and the site's connector list imported from a file, in each of
// their 6 orders: one catalogue, every listed connector once under the
// list's id, the connectors a refresh gives; and the list imported before
// or after the imports and a refresh: one catalogue.
func TestEveryOrderSameCatalogue(t *testing.T) {
	if testing.Short() {
		t.Skip("imports both samples and crawls the replica six times")
	}
	data := realdata.Dir(t)
	defsPath := filepath.Join(data, "powerplatformconnectors.tar.gz")
	apiPath := filepath.Join(data, "powerplatform-apis.tar.gz")
	if _, err := os.Stat(apiPath); err != nil {
		t.Skipf("API sample absent: %v", err)
	}
	srv, err := replica.New(replica.Options{ListPath: realdata.ReferenceList(t), Definitions: realdata.Catalog(t), Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })

	steps := []step{importStep("definitions", defsPath, defsAt), importStep("api", apiPath, apiAt), refreshStep(base, filepath.Join(t.TempDir(), "cache", "pages"))}
	final, firstOrder := sameInEveryOrder(t, steps, func(order string, s step, cur *catalog.Catalog) *catalog.Catalog {
		// The catalogue before a refresh, copied through the snapshot
		// codec (complete: catalog's TestCodecCoversEveryField), for the
		// change report.
		var old *catalog.Catalog
		if s.name == "refresh" && len(cur.Connectors) > 0 {
			path := filepath.Join(t.TempDir(), "before.snap")
			if err := catalog.Save(path, cur); err != nil {
				t.Fatal(err)
			}
			var err error
			if old, err = catalog.Load(path); err != nil {
				t.Fatal(err)
			}
		}
		cur = s.run(t, cur)
		if old != nil {
			checkNoFalseRemovals(t, order, old, cur)
		}
		return cur
	})
	checkMerged(t, final)

	// Without a refresh: the two imports, and the site's connector list
	// imported from a file, in every order, give one catalogue too (the
	// definitions sample's two SchoolDigger and two Mensagia connectors
	// stayed apart only when the definitions came first), and the list
	// gives the connectors a refresh gives.
	listPath := realdata.ReferenceList(t)
	imports := []step{steps[0], steps[1], importStep("list", listPath, listAt)}
	firstNoRefresh, _ := sameInEveryOrder(t, imports, func(_ string, s step, cur *catalog.Catalog) *catalog.Catalog {
		return s.run(t, cur)
	})
	checkMerged(t, firstNoRefresh)
	checkListed(t, firstNoRefresh, listPath, apiPath)
	checkLikeRefresh(t, firstNoRefresh, final)

	// The list and a refresh together: the list imported after the
	// sources and a refresh, or first of all, gives one catalogue.
	listStep := imports[2]
	snap := filepath.Join(t.TempDir(), "final.snap")
	if err := catalog.Save(snap, final); err != nil {
		t.Fatal(err)
	}
	listLast, err := catalog.Load(snap)
	if err != nil {
		t.Fatal(err)
	}
	listLast = listStep.run(t, listLast)
	listFirst := listStep.run(t, &catalog.Catalog{})
	for _, st := range steps {
		listFirst = st.run(t, listFirst)
	}
	a, _ := json.Marshal(listLast.Connectors)
	b, _ := json.Marshal(listFirst.Connectors)
	if !bytes.Equal(a, b) {
		diff := differingConnectors(listLast, listFirst)
		t.Errorf("the list after (%s) differs from the list before them in %d connectors: %v", firstOrder, len(diff), diff)
	}
	checkListed(t, listFirst, listPath, apiPath)
}

// differingConnectors lists the ids whose JSON differs between a and b
// (or that only one has).
func differingConnectors(a, b *catalog.Catalog) []string {
	enc := func(c *catalog.Catalog) map[string]string {
		m := map[string]string{}
		for _, conn := range c.Connectors {
			j, _ := json.Marshal(conn)
			m[conn.ID] = string(j)
		}
		return m
	}
	ma, mb := enc(a), enc(b)
	var out []string
	for id, ja := range ma {
		if mb[id] != ja {
			out = append(out, id)
		}
	}
	for id := range mb {
		if _, ok := ma[id]; !ok {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// checkNoFalseRemovals: a refresh after an import reports no connector as
// removed that still exists under another name.
func checkNoFalseRemovals(t *testing.T, order string, old, cur *catalog.Catalog) {
	t.Helper()
	r := catalog.Diff(old, cur, refreshAt)
	stillThere := 0
	for _, gone := range r.Removed {
		if _, ok := cur.Connector(gone.ID); ok {
			stillThere++
			t.Errorf("%s: the refresh lists %s as removed, but it is still there", order, gone.ID)
		}
	}
	t.Logf("%s: refresh after import: %d added, %d removed (%d still there), %d renamed, %d changed, %d endpoint changes",
		order, r.Summary.Added, r.Summary.Removed, stillThere, r.Summary.Renamed, r.Summary.Changed, r.Summary.EndpointChanges)
}

func checkMerged(t *testing.T, c *catalog.Catalog) {
	t.Helper()
	ids := map[string]bool{}
	names := map[string][]string{}
	both := 0
	for _, conn := range c.Connectors {
		if ids[strings.ToLower(conn.ID)] {
			t.Errorf("connector %s twice", conn.ID)
		}
		ids[strings.ToLower(conn.ID)] = true
		if conn.PublisherKind != catalog.PublisherCustom {
			names[catalog.FoldTitle(conn.Name)] = append(names[catalog.FoldTitle(conn.Name)], conn.ID)
		}
		_, d := conn.Sources[catalog.SourceDefinition]
		_, a := conn.Sources[catalog.SourceAPI]
		if d && a {
			both++
		}
	}
	var twice []string
	for n, list := range names {
		if len(list) > 1 {
			twice = append(twice, fmt.Sprintf("%s: %v", n, list))
		}
	}
	sort.Strings(twice)
	for i, s := range twice {
		if i < 10 {
			t.Logf("one display name, several connectors: %s", s)
		}
	}
	s := c.Stats()
	t.Logf("merged catalogue: %d connectors (%d from both the definitions and the API sample), %d operations; by source %+v; by tier %+v; by publisher kind %+v",
		s.Connectors, both, s.Operations, s.BySource, s.ByTier, s.ByPublisherKind)
	// Folder names and API names find their connector.
	for alias, want := range map[string]string{
		"Abbreviations":          "abbreviationsip",
		"shared_abbreviationsip": "abbreviationsip",
		"shared_office365":       "office365",
	} {
		got, ok := c.Connector(alias)
		if !ok || got.ID != want {
			t.Errorf("Connector(%q) = %v, want %s", alias, got, want)
		}
	}
	checked := 0
	for _, conn := range c.Connectors {
		if conn.Folder == "" {
			continue
		}
		got, ok := c.Connector(conn.Folder)
		if !ok {
			t.Errorf("folder %q finds nothing (%s)", conn.Folder, conn.ID)
		} else if got != conn {
			t.Logf("folder %q finds %s, not %s (an id or an earlier folder wins)", conn.Folder, got.ID, conn.ID)
		}
		checked++
	}
	t.Logf("%d folder names looked up", checked)
}

// listFileEntry is one entry of the list file, read here with
// encoding/json alone, as the reference for what the import must give.
type listFileEntry struct {
	Name, DisplayName               string
	LogicApps                       bool `json:"Logic Apps"`
	PowerAutomate                   bool `json:"Power Automate"`
	PowerApps                       bool `json:"Power Apps"`
	Preview, Premium                bool
	previewMarker, deprecatedMarker bool
}

func readListFile(t *testing.T, path string) []listFileEntry {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Data []listFileEntry }
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for i := range doc.Data {
		e := &doc.Data[i]
		n := strings.ToLower(strings.TrimSpace(e.DisplayName))
		e.previewMarker = strings.HasSuffix(n, "(preview)")
		e.deprecatedMarker = strings.HasSuffix(n, "[deprecated]") || strings.HasSuffix(n, "(deprecated)")
	}
	return doc.Data
}

func (e listFileEntry) products() string {
	var out []string
	for p, on := range map[string]bool{catalog.ProductLogicApps: e.LogicApps, catalog.ProductPowerAutomate: e.PowerAutomate, catalog.ProductPowerApps: e.PowerApps} {
		if on {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func productNames(c *catalog.Connector) string {
	var out []string
	for _, p := range c.Products {
		out = append(out, p.Name)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// checkListed: every listed connector is in the union once, under the
// list's id, with the list's products, preview and deprecated flags, and
// the tier of the API reply where there is one, else the list's; every
// API connector the list names is that very connector.
func checkListed(t *testing.T, c *catalog.Catalog, listPath, apiPath string) {
	t.Helper()
	entries := readListFile(t, listPath)
	res, err := defs.Import(context.Background(), []string{apiPath}, defs.ImportOptions{Now: func() time.Time { return apiAt }})
	if err != nil {
		t.Fatal(err)
	}
	apiTier := map[string]catalog.Tier{}
	for _, conn := range res.Catalog.Connectors {
		apiTier[conn.ID] = conn.Tier
	}
	listed := 0
	for _, conn := range c.Connectors {
		if _, ok := conn.Sources[catalog.SourceList]; ok {
			listed++
		}
	}
	if listed != len(entries) {
		t.Errorf("%d connectors come from the list, which has %d entries", listed, len(entries))
	}
	var wantProducts catalog.ProductCounts
	withAPI := 0
	for _, e := range entries {
		conn, ok := c.Connector(e.Name)
		if !ok || conn.ID != e.Name {
			t.Errorf("listed %s: found %v", e.Name, conn)
			continue
		}
		if _, ok := conn.Sources[catalog.SourceList]; !ok {
			t.Errorf("%s: no list source (%v)", e.Name, conn.Sources)
		}
		if got, want := productNames(conn), e.products(); got != want {
			t.Errorf("%s: products %q, the list says %q", e.Name, got, want)
		}
		if conn.Preview != (e.Preview || e.previewMarker) || conn.Deprecated != e.deprecatedMarker {
			t.Errorf("%s: preview %v deprecated %v, the list says %v %v", e.Name, conn.Preview, conn.Deprecated, e.Preview || e.previewMarker, e.deprecatedMarker)
		}
		want := catalog.TierStandard
		if e.Premium {
			want = catalog.TierPremium
		}
		if tier, ok := apiTier[e.Name]; ok {
			withAPI++
			if _, ok := conn.Sources[catalog.SourceAPI]; !ok {
				t.Errorf("%s: the API's shared_%s is another connector", e.Name, e.Name)
			}
			if tier != catalog.TierUnknown {
				want = tier
			}
		}
		if conn.Tier != want {
			t.Errorf("%s: tier %s, want %s", e.Name, conn.Tier, want)
		}
		wantProducts.LogicApps += btoi(e.LogicApps)
		wantProducts.PowerAutomate += btoi(e.PowerAutomate)
		wantProducts.PowerApps += btoi(e.PowerApps)
	}
	s := c.Stats()
	if got := s.ByProduct; got.LogicApps != wantProducts.LogicApps || got.PowerAutomate != wantProducts.PowerAutomate ||
		got.PowerApps != wantProducts.PowerApps || got.CopilotStudio != 0 {
		t.Errorf("by product %+v, the list says %+v", got, wantProducts)
	}
	t.Logf("the list's %d connectors are all in the union (%d with an API reply); by product %+v; by tier %+v",
		len(entries), withAPI, s.ByProduct, s.ByTier)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// withoutControls drops control characters: two real display names hold
// C1 controls (a mis-decoded en dash), which the import keeps as found
// (display sanitises) and the replica leaves out of its HTML.
func withoutControls(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// checkLikeRefresh: importing the list gives the connectors a refresh
// of the replica (built from the same list) gives: the same ids, and the
// same names, tiers, products and flags.
func checkLikeRefresh(t *testing.T, fromList, fromRefresh *catalog.Catalog) {
	t.Helper()
	ids := func(c *catalog.Catalog) map[string]*catalog.Connector {
		m := map[string]*catalog.Connector{}
		for _, conn := range c.Connectors {
			m[conn.ID] = conn
		}
		return m
	}
	a, b := ids(fromList), ids(fromRefresh)
	var differ []string
	for id, x := range a {
		y, ok := b[id]
		switch {
		case !ok:
			differ = append(differ, id+": only with the list")
		case withoutControls(x.Name) != withoutControls(y.Name), x.Tier != y.Tier, productNames(x) != productNames(y), x.Preview != y.Preview, x.Deprecated != y.Deprecated:
			differ = append(differ, fmt.Sprintf("%s: list %q %s [%s] preview %v deprecated %v; refresh %q %s [%s] preview %v deprecated %v", id,
				x.Name, x.Tier, productNames(x), x.Preview, x.Deprecated, y.Name, y.Tier, productNames(y), y.Preview, y.Deprecated))
		}
	}
	for id := range b {
		if _, ok := a[id]; !ok {
			differ = append(differ, id+": only with a refresh")
		}
	}
	sort.Strings(differ)
	for _, d := range differ {
		t.Error(d)
	}
}

// TestListChangeReport: importing the older capture of the list, then the
// newer, reports exactly the connectors added and removed between the two
// files and those whose name or flags changed, and renames none (no
// connector changed its id); the newer list's import removes what only
// the older listed.
func TestListChangeReport(t *testing.T) {
	data := realdata.Dir(t)
	oldPath := filepath.Join(data, "connector-reference-list-2025-10.json")
	newPath := realdata.ReferenceList(t)
	if _, err := os.Stat(oldPath); err != nil {
		t.Skipf("older list absent: %v", err)
	}
	// What the files say, compared the way the change report compares
	// connectors: the display name without its markers, the deprecated
	// and preview flags, the tier, the products.
	index := func(path string) map[string]listFileEntry {
		m := map[string]listFileEntry{}
		for _, e := range readListFile(t, path) {
			m[e.Name] = e
		}
		return m
	}
	before, after := index(oldPath), index(newPath)
	var wantAdded, wantRemoved, wantChanged []string
	for id, e := range after {
		o, ok := before[id]
		switch {
		case !ok:
			wantAdded = append(wantAdded, id)
		case bareName(o.DisplayName) != bareName(e.DisplayName), o.deprecatedMarker != e.deprecatedMarker,
			(o.Preview || o.previewMarker) != (e.Preview || e.previewMarker), o.Premium != e.Premium, o.products() != e.products():
			wantChanged = append(wantChanged, id)
		}
	}
	for id := range before {
		if _, ok := after[id]; !ok {
			wantRemoved = append(wantRemoved, id)
		}
	}
	sort.Strings(wantAdded)
	sort.Strings(wantRemoved)
	sort.Strings(wantChanged)

	older := importStep("older list", oldPath, apiAt).run(t, &catalog.Catalog{})
	prev := &catalog.Catalog{Connectors: append([]*catalog.Connector(nil), older.Connectors...), UpdatedAt: older.UpdatedAt}
	newer := importStep("newer list", newPath, listAt).run(t, &catalog.Catalog{})
	sum := older.Merge(newer)
	r := catalog.Diff(prev, older, listAt)
	refs := func(list []catalog.ConnectorRef) []string {
		out := []string{}
		for _, c := range list {
			out = append(out, c.ID)
		}
		return out
	}
	var changed []string
	for _, ch := range r.Changed {
		changed = append(changed, ch.ID)
	}
	if got := refs(r.Added); !reflect.DeepEqual(got, wantAdded) {
		t.Errorf("added %d %v\nthe files say %d %v", len(got), got, len(wantAdded), wantAdded)
	}
	if got := refs(r.Removed); !reflect.DeepEqual(got, wantRemoved) || !reflect.DeepEqual(sum.Unlisted, wantRemoved) {
		t.Errorf("removed %v (merge: %v), the files say %v", got, sum.Unlisted, wantRemoved)
	}
	if !reflect.DeepEqual(changed, wantChanged) {
		t.Errorf("changed %d %v\nthe files say %d %v", len(changed), changed, len(wantChanged), wantChanged)
	}
	if len(r.Renamed) != 0 {
		t.Errorf("renamed %+v", r.Renamed)
	}
	if len(older.Connectors) != len(after) {
		t.Errorf("%d connectors after the newer list, which has %d", len(older.Connectors), len(after))
	}
	t.Logf("older list then newer: %d added, %d removed, %d renamed, %d changed", r.Summary.Added, r.Summary.Removed, r.Summary.Renamed, r.Summary.Changed)
}

// bareName is a display name without its trailing markers, as the list
// readers keep it.
func bareName(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for {
		l := strings.ToLower(s)
		trimmed := false
		for _, m := range []string{"[deprecated]", "(deprecated)", "(preview)"} {
			if strings.HasSuffix(l, m) && len(s) > len(m) {
				s, trimmed = strings.TrimSpace(s[:len(s)-len(m)]), true
				break
			}
		}
		if !trimmed {
			return s
		}
	}
}

// TestListAlone: the list alone gives every listed connector, with the
// file's counts of products, tier (Premium, else standard), preview and
// deprecated flags, as 'connex stats --json' prints them.
func TestListAlone(t *testing.T) {
	path := realdata.ReferenceList(t)
	entries := readListFile(t, path)
	var want catalog.Stats
	want.Connectors = len(entries)
	want.BySource.List = len(entries)
	want.ByPublisherKind.Unknown = len(entries)
	for _, e := range entries {
		if e.Premium {
			want.ByTier.Premium++
		} else {
			want.ByTier.Standard++
		}
		want.ByProduct.LogicApps += btoi(e.LogicApps)
		want.ByProduct.PowerAutomate += btoi(e.PowerAutomate)
		want.ByProduct.PowerApps += btoi(e.PowerApps)
		if !e.LogicApps && !e.PowerAutomate && !e.PowerApps {
			want.ByProduct.None++
		}
		want.Preview += btoi(e.Preview || e.previewMarker)
		want.Deprecated += btoi(e.deprecatedMarker)
	}
	c := importStep("list", path, listAt).run(t, &catalog.Catalog{})
	if got := c.Stats(); got != want {
		t.Errorf("stats\n%+v\nthe file says\n%+v", got, want)
	}
	for _, conn := range c.Connectors {
		if conn.Publisher != "" || conn.PublisherKind != "" || len(conn.AuthTypes) != 0 || len(conn.Operations) != 0 || conn.Host != "" || conn.Description != "" {
			t.Errorf("%s: more than the list says: %+v", conn.ID, conn)
		}
	}
	t.Logf("the list alone: %+v", want)
}
