package catalog

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

var listAt = time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)

// listRecord is a connector as the connector list gives it (package
// site, ListEntry.Connector): id, name, icon, tier, flags and products.
func listRecord(id, name string, tier Tier, preview bool, at time.Time, products ...string) *Connector {
	c := &Connector{ID: id, Name: name, IconURL: "https://icons.example/" + id + ".png", Tier: tier, Preview: preview,
		Sources: src(SourceList, "connectors.json", at)}
	for _, p := range products {
		c.Products = append(c.Products, Product{Name: p, Class: tier})
	}
	return c
}

func listCatalog(at time.Time, conns ...*Connector) *Catalog {
	return &Catalog{UpdatedAt: at, Origins: []Source{{Kind: SourceList, Ref: "connectors.json", At: at}}, Connectors: conns}
}

func mergeListSource() *Catalog {
	return listCatalog(listAt,
		listRecord("frobnicateip", "Frobnicate (Independent Publisher)", TierPremium, true, listAt, ProductLogicApps, ProductPowerAutomate),
		listRecord("holopin", "Holopin", TierStandard, false, listAt, ProductPowerApps),
		listRecord("holopinip", "Holopin (Independent Publisher)", TierPremium, true, listAt, ProductPowerAutomate),
		listRecord("groupware", "Groupware", TierStandard, false, listAt, ProductPowerAutomate),
		listRecord("listonly", "List Only", TierPremium, false, listAt, ProductPowerAutomate),
	)
}

// TestMergeListOrderIndependent: the list with the three other kinds of
// source, in all 24 orders, gives one catalogue; so do the list, the API
// and the definitions without the site.
func TestMergeListOrderIndependent(t *testing.T) {
	for _, sources := range [][]func() *Catalog{
		{mergeDefSource, mergeAPISource, mergeSiteSource, mergeListSource},
		{mergeDefSource, mergeAPISource, mergeListSource},
	} {
		perms := permutations(len(sources))
		_, first := mergeInOrder(t, perms[0], sources)
		for _, p := range perms[1:] {
			if _, got := mergeInOrder(t, p, sources); !bytes.Equal(first, got) {
				t.Fatalf("order %v differs from %v:\n%s\n---\n%s", p, perms[0], first, got)
			}
		}
		c, _ := mergeInOrder(t, perms[0], sources)
		for i, s := range sources {
			c.Merge(s())
			if again, _ := json.MarshalIndent(c.Connectors, "", " "); !bytes.Equal(first, again) {
				t.Fatalf("merging source %d again changed the catalogue:\n%s", i, again)
			}
		}
	}
}

// TestMergeListPrecedence: the list's row of the precedence table.
func TestMergeListPrecedence(t *testing.T) {
	c, _ := mergeInOrder(t, []int{0, 1, 2}, []func() *Catalog{mergeDefSource, mergeAPISource, mergeListSource})
	var ids []string
	for _, conn := range c.Connectors {
		ids = append(ids, conn.ID)
	}
	// The list's ids are the identity: the definitions folder
	// "Frobnicate" joins frobnicateip by name, as it joins the site's.
	if want := []string{"frobnicateip", "groupware", "groupware-custom", "holopin", "holopinip", "listonly", "widgetsinc"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("ids %v, want %v", ids, want)
	}
	f, _ := c.Connector("frobnicateip")
	checkFields(t, []fieldCheck{
		{"tier (api over the list)", string(f.Tier), "standard"},
		{"products (list)", productList(f), "Logic Apps, Power Automate"},
		{"preview (list)", boolText(f.Preview), "true"},
		{"name (list)", f.Name, "Frobnicate (Independent Publisher)"},
		{"icon (list)", f.IconURL, "https://icons.example/frobnicateip.png"},
		{"description (api: the list has none)", f.Description, "API text."},
		{"publisher (api)", f.Publisher, "Jo Doe"},
		{"host (api)", f.Host, "europe-002.azure-apim.net"},
		{"folder (definition)", f.Folder, "Frobnicate (Independent Publisher)"},
		{"tier source", f.Sources["tier"].Kind, SourceAPI},
		{"products source", f.Sources["products"].Kind, SourceList},
	})
	if len(f.Operations) != 3 {
		t.Errorf("operations %d", len(f.Operations))
	}
	// Known from the list alone: what the list says, nothing invented.
	l, _ := c.Connector("listonly")
	want := listRecord("listonly", "List Only", TierPremium, false, listAt, ProductPowerAutomate)
	if !reflect.DeepEqual(l, want) {
		t.Errorf("listonly %+v", l)
	}
	// Holopin and Holopin (Independent Publisher) are two listed
	// connectors; the certified definition joins the first.
	if h, _ := c.Connector("holopin"); h.Host != "api.holopin.example" || productList(h) != ProductPowerApps {
		t.Errorf("holopin %+v", h)
	}
	if hip, _ := c.Connector("holopinip"); hip.Host != "" || len(hip.Operations) != 0 {
		t.Errorf("holopinip took the certified definition: %+v", hip)
	}

	// With the site, the site's word comes first for what both say.
	c, _ = mergeInOrder(t, []int{0, 1, 2, 3}, []func() *Catalog{mergeDefSource, mergeAPISource, mergeSiteSource, mergeListSource})
	f, _ = c.Connector("frobnicateip")
	if f.Tier != TierStandard || productList(f) != ProductPowerAutomate || f.Preview || f.Description != "Site text." {
		t.Errorf("with the site: tier %s products %q preview %v description %q", f.Tier, productList(f), f.Preview, f.Description)
	}
	if s := c.Stats().BySource; s.List != 5 || s.Site != 4 {
		t.Errorf("by source %+v", s)
	}
}

func productList(c *Connector) string {
	var out []string
	for _, p := range c.Products {
		out = append(out, p.Name)
	}
	return strings.Join(out, ", ")
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// TestMergeNewerListDropsUnlisted: a newer read of the list that no
// longer has a connector known from the list alone removes it; one the
// API describes too stays; a read at the same time or older removes
// nothing. The change report between the two says the same.
func TestMergeNewerListDropsUnlisted(t *testing.T) {
	later := listAt.Add(24 * time.Hour)
	c := &Catalog{}
	c.Merge(listCatalog(listAt,
		listRecord("groupware", "Groupware", TierStandard, false, listAt, ProductPowerAutomate),
		listRecord("gone", "Gone", TierStandard, false, listAt),
		listRecord("kept", "Kept", TierStandard, true, listAt, ProductPowerApps),
	))
	c.Merge(mergeAPISource())
	before := *c
	before.Connectors = append([]*Connector(nil), c.Connectors...)

	// The same list read again at the same time, without "gone": nothing
	// is removed (not a newer read).
	same := &Catalog{Connectors: append([]*Connector(nil), c.Connectors...)}
	if sum := same.Merge(listCatalog(listAt, listRecord("kept", "Kept", TierStandard, true, listAt))); len(sum.Unlisted) != 0 || len(same.Connectors) != 4 {
		t.Fatalf("same-time read: unlisted %v, %d connectors", sum.Unlisted, len(same.Connectors))
	}

	sum := c.Merge(listCatalog(later,
		listRecord("kept", "Kept", TierPremium, false, later, ProductPowerApps),
		listRecord("fresh", "Fresh", TierStandard, false, later),
	))
	if !reflect.DeepEqual(sum.Unlisted, []string{"gone"}) {
		t.Fatalf("unlisted %v", sum.Unlisted)
	}
	var ids []string
	for _, conn := range c.Connectors {
		ids = append(ids, conn.ID)
	}
	// groupware (also from the API) and frobnicateip (API only) stay.
	if want := []string{"fresh", "frobnicateip", "groupware", "kept"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("ids %v, want %v", ids, want)
	}
	r := Diff(&before, c, later)
	var got []string
	for _, a := range r.Added {
		got = append(got, "+"+a.ID)
	}
	for _, a := range r.Removed {
		got = append(got, "-"+a.ID)
	}
	for _, ch := range r.Changed {
		for _, f := range ch.Fields {
			got = append(got, ch.ID+"."+f.Field+"="+f.New)
		}
	}
	if want := []string{"+fresh", "-gone", "kept.tier=premium", "kept.preview=false"}; !reflect.DeepEqual(got, want) || len(r.Renamed) != 0 {
		t.Errorf("change report %v, renamed %v", got, r.Renamed)
	}
}
