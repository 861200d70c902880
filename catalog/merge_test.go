package catalog

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The three sources below are invented: small records shaped like what the
// definitions importer, the API importer and a crawl of the site produce.
var (
	defAt  = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	apiAt  = time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	siteAt = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
)

func src(kind, ref string, at time.Time) map[string]Source {
	return map[string]Source{kind: {Kind: kind, Ref: ref, At: at}}
}

func mergeSiteSource() *Catalog {
	return &Catalog{UpdatedAt: siteAt, Origins: []Source{{Kind: SourceSite, Ref: "http://127.0.0.1/", At: siteAt}}, Connectors: []*Connector{
		{ID: "frobnicateip", Name: "Frobnicate (Independent Publisher)", Description: "Site text.", Tier: TierPremium,
			Products: []Product{{Name: ProductPowerAutomate, Class: TierPremium}}, DocsURL: "http://127.0.0.1/frobnicateip/",
			Throttling:  []Limit{{Name: "API calls per connection", Value: "100", Renewal: "60 seconds"}},
			KnownIssues: []KnownIssue{{Summary: "Slow on Mondays"}}, Sections: []Section{{Title: "FAQ", Level: 2, Body: "None."}},
			AuthTypes: []AuthType{{ID: "basicAuth", Name: "Basic", Applicable: "All regions", Shareable: "Not shareable"}},
			Operations: []*Operation{
				{ID: "SendThing", Name: "Send a thing", Description: "Site says: sends.", Kind: KindAction, Anchor: "send-a-thing",
					Parameters: []Parameter{{Name: "To", Key: "to", Type: "string", Required: true}}},
				{ID: "SiteOnly", Name: "Only on the page", Kind: KindAction, Anchor: "only-on-the-page", Deprecated: true},
			},
			Sources: src(SourceSite, "http://127.0.0.1/frobnicateip/", siteAt)},
		{ID: "holopin", Name: "Holopin", Tier: TierStandard, Sources: src(SourceSite, "http://127.0.0.1/holopin/", siteAt)},
		{ID: "holopinip", Name: "Holopin (Independent Publisher)", Tier: TierPremium, Preview: true, Sources: src(SourceSite, "http://127.0.0.1/holopinip/", siteAt)},
		{ID: "groupware", Name: "Groupware", Tier: TierStandard, Sources: src(SourceSite, "http://127.0.0.1/groupware/", siteAt)},
	}}
}

func mergeAPISource() *Catalog {
	return &Catalog{UpdatedAt: apiAt, Origins: []Source{{Kind: SourceAPI, Ref: "apis.tar.gz", At: apiAt}}, Connectors: []*Connector{
		{ID: "frobnicateip", Name: "Frobnicate (Independent Publisher)", Description: "API text.", Tier: TierStandard,
			Publisher: "Jo Doe", PublisherKind: PublisherIndependent, Capabilities: []string{"actions"},
			Host: "europe-002.azure-apim.net", BasePath: "/apim/frobnicateip", Schemes: []string{"https"}, ViaConnection: true,
			BrandColor: "#000001",
			AuthTypes:  []AuthType{{ID: "basicAuth", Name: "Basic", Type: "basic"}},
			Operations: []*Operation{
				{ID: "SendThing", Name: "Send thing", Description: "API: sends.", Kind: KindAction, Method: "POST", Path: "/{connectionId}/things",
					Parameters: []Parameter{{Name: "connectionId", Key: "connectionId", In: "path", Required: true}, {Name: "To", Key: "to", In: "query", Type: "string", Required: true}}},
				{ID: "APIOnly", Name: "Only in the API", Kind: KindTrigger, TriggerType: TriggerPolling, Method: "GET", Path: "/{connectionId}/poll"},
			},
			Definitions: map[string]json.RawMessage{"Thing": json.RawMessage(`{"type":"object"}`)},
			Sources:     src(SourceAPI, "apis/shared_frobnicateip/api.json", apiAt)},
		{ID: "groupware", Name: "Groupware", Tier: TierStandard, Publisher: "Microsoft", PublisherKind: PublisherMicrosoft,
			Host: "europe-002.azure-apim.net", BasePath: "/apim/groupware",
			Operations: []*Operation{{ID: "ListGroups", Name: "List groups", Kind: KindAction, Method: "GET", Path: "/{connectionId}/groups"}},
			Sources:    src(SourceAPI, "apis/shared_groupware/api.json", apiAt)},
	}}
}

func mergeDefSource() *Catalog {
	const ip = "powerplatformconnectors/independent-publisher-connectors/"
	return &Catalog{UpdatedAt: defAt, Origins: []Source{{Kind: SourceDefinition, Ref: "defs.tar.gz", At: defAt}}, Connectors: []*Connector{
		// The title lacks the suffix and the id is the importer's guess.
		{ID: "frobnicate", Folder: "Frobnicate (Independent Publisher)", Name: "Frobnicate", Description: "Readme text.",
			Publisher: "Jo Doe", PublisherKind: PublisherIndependent, BrandColor: "#ff0000", Version: "1.0",
			Host: "api.frobnicate.example", BasePath: "/v1", Schemes: []string{"https"},
			AuthTypes: []AuthType{{Name: "Basic", Type: "basic", Parameters: []ConnectionParam{{Name: "username"}}}},
			Operations: []*Operation{
				{ID: "sendthing", Name: "Send", Description: "Definition: sends.", Kind: KindAction, Method: "POST", Path: "/things", Deprecated: false, Preview: true},
				{ID: "DefOnly", Name: "Only in the definition", Kind: KindAction, Method: "DELETE", Path: "/things/{id}", Visibility: VisibilityInternal},
			},
			Definitions: map[string]json.RawMessage{"Thing": json.RawMessage(`{"type":"object","x":1}`), "Other": json.RawMessage(`{}`)},
			Sources:     src(SourceDefinition, ip+"Frobnicate (Independent Publisher)/apiDefinition.swagger.json", defAt)},
		{ID: "holopin", Folder: "Holopin", Name: "Holopin", PublisherKind: PublisherCertified, Host: "api.holopin.example",
			Operations: []*Operation{{ID: "Badge", Name: "Badge", Kind: KindAction, Method: "GET", Path: "/badge"}},
			Sources:    src(SourceDefinition, "powerplatformconnectors/certified-connectors/Holopin/apiDefinition.swagger.json", defAt)},
		// A custom sample that only shares a Microsoft connector's name.
		{ID: "groupware", Folder: "Groupware", Name: "Groupware", PublisherKind: PublisherCustom, Host: "graph.example",
			Operations: []*Operation{{ID: "Mine", Name: "Mine", Kind: KindAction, Method: "GET", Path: "/mine"}},
			Sources:    src(SourceDefinition, "powerplatformconnectors/custom-connectors/Groupware/apiDefinition.swagger.json", defAt)},
		// Known by its host only: a folder whose title differs from the site's.
		{ID: "widgetsinc", Folder: "WidgetsInc", Name: "Widgets Incorporated", Host: "api.widgets.example", BasePath: "/v2",
			Sources: src(SourceDefinition, "powerplatformconnectors/certified-connectors/WidgetsInc/apiDefinition.swagger.json", defAt)},
	}}
}

func permutations(n int) [][]int {
	if n == 1 {
		return [][]int{{0}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}

func mergeInOrder(t *testing.T, order []int, sources []func() *Catalog) (*Catalog, []byte) {
	t.Helper()
	c := &Catalog{}
	for _, i := range order {
		c.Merge(sources[i]())
	}
	// Origins keep their order of arrival (a log), and UpdatedAt is the
	// latest: compare the connectors.
	data, err := json.MarshalIndent(c.Connectors, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return c, data
}

func TestMergeOrderIndependent(t *testing.T) {
	sources := []func() *Catalog{mergeDefSource, mergeAPISource, mergeSiteSource}
	perms := permutations(3)
	if len(perms) != 6 {
		t.Fatalf("%d permutations", len(perms))
	}
	_, first := mergeInOrder(t, perms[0], sources)
	for _, p := range perms[1:] {
		_, got := mergeInOrder(t, p, sources)
		if !bytes.Equal(first, got) {
			t.Fatalf("order %v differs from %v:\n%s\n---\n%s", p, perms[0], first, got)
		}
	}
	// Idempotent: merging any source again changes nothing.
	c, _ := mergeInOrder(t, perms[0], sources)
	for i, s := range sources {
		c.Merge(s())
		again, _ := json.MarshalIndent(c.Connectors, "", " ")
		if !bytes.Equal(first, again) {
			t.Fatalf("merging source %d again changed the catalogue:\n%s", i, again)
		}
	}
	// Merging two merged catalogues gives the same as one at a time.
	ab := &Catalog{}
	ab.Merge(mergeAPISource())
	ab.Merge(mergeDefSource())
	site := &Catalog{}
	site.Merge(mergeSiteSource())
	site.Merge(ab)
	if got, _ := json.MarshalIndent(site.Connectors, "", " "); !bytes.Equal(first, got) {
		t.Fatalf("site + (api + definitions) differs:\n%s", got)
	}
}

func TestMergeIdentityAndPrecedence(t *testing.T) {
	c, _ := mergeInOrder(t, []int{0, 1, 2}, []func() *Catalog{mergeDefSource, mergeAPISource, mergeSiteSource})
	var ids []string
	for _, conn := range c.Connectors {
		ids = append(ids, conn.ID)
	}
	want := []string{"frobnicateip", "groupware", "groupware-custom", "holopin", "holopinip", "widgetsinc"}
	if !reflect.DeepEqual(ids, want) {
		t.Fatalf("ids %v, want %v", ids, want)
	}
	f, _ := c.Connector("frobnicateip")
	if !reflect.DeepEqual(f.Aliases, []string{"Frobnicate", "frobnicate"}) {
		t.Errorf("aliases %q", f.Aliases)
	}
	for _, name := range []string{"Frobnicate (Independent Publisher)", "frobnicate", "shared_frobnicateip", "SHARED_FROBNICATEIP", "FrobnicateIP"} {
		if got, ok := c.Connector(name); !ok || got != f {
			t.Errorf("Connector(%q) does not find frobnicateip", name)
		}
	}
	checkFields(t, []fieldCheck{
		{"name", f.Name, "Frobnicate (Independent Publisher)"},
		{"description (site)", f.Description, "Site text."},
		{"tier (api)", string(f.Tier), "standard"},
		{"publisher kind (api)", string(f.PublisherKind), "independent"},
		{"host (api)", f.Host, "europe-002.azure-apim.net"},
		{"base path (api)", f.BasePath, "/apim/frobnicateip"},
		{"brand colour (definition)", f.BrandColor, "#ff0000"},
		{"version (definition, the api lacks it)", f.Version, "1.0"},
		{"folder", f.Folder, "Frobnicate (Independent Publisher)"},
		{"docs url (site)", f.DocsURL, "http://127.0.0.1/frobnicateip/"},
		{"auth type (api, completed by the site)", f.AuthTypes[0].Type + "/" + f.AuthTypes[0].Applicable + "/" + f.AuthTypes[0].Shareable, "basic/All regions/Not shareable"},
	})
	if !f.ViaConnection || len(f.Throttling) != 1 || len(f.KnownIssues) != 1 || len(f.Sections) != 1 || len(f.Products) != 1 {
		t.Errorf("site or api fields lost: %+v", f)
	}
	if string(f.Definitions["Thing"]) != `{"type":"object"}` || string(f.Definitions["Other"]) != `{}` {
		t.Errorf("definitions %s", f.Definitions)
	}
	var ops []string
	for _, op := range f.Operations {
		ops = append(ops, op.ID+"<"+strings.Join(op.From, ",")+">")
	}
	if want := []string{"SendThing<api,definition,site>", "APIOnly<api>", "DefOnly<definition>", "SiteOnly<site>"}; !reflect.DeepEqual(ops, want) {
		t.Errorf("operations %v, want %v", ops, want)
	}
	send := f.Operation("SendThing")
	if send.Method != "POST" || send.Path != "/{connectionId}/things" || len(send.Parameters) != 2 ||
		send.Name != "Send a thing" || send.Description != "Site says: sends." || send.Anchor != "send-a-thing" || !send.Preview {
		t.Errorf("SendThing %+v", send)
	}
	if f.Sources["tier"].Kind != SourceAPI || f.Sources["description"].Kind != SourceSite || f.Sources["brand_color"].Kind != SourceDefinition {
		t.Errorf("per-field sources %+v", f.Sources)
	}
	for _, k := range []string{SourceAPI, SourceSite, SourceDefinition} {
		if f.Sources[k].Ref == "" {
			t.Errorf("source %s not recorded: %+v", k, f.Sources)
		}
	}
	// Holopin: the certified definition joins "Holopin", not the
	// independent publisher's, and the two listed connectors stay two.
	h, _ := c.Connector("holopin")
	if h.Host != "api.holopin.example" || len(h.Operations) != 1 {
		t.Errorf("holopin %+v", h)
	}
	if hip, _ := c.Connector("holopinip"); hip.Host != "" || len(hip.Operations) != 0 {
		t.Errorf("holopinip took the certified definition: %+v", hip)
	}
	// The custom sample stays apart from the Microsoft connector.
	g, _ := c.Connector("groupware")
	gc, _ := c.Connector("groupware-custom")
	if g.PublisherKind != PublisherMicrosoft || len(g.Operations) != 1 || g.Operations[0].ID != "ListGroups" ||
		gc.PublisherKind != PublisherCustom || gc.Operations[0].ID != "Mine" || len(gc.Aliases) != 0 || gc.Folder != "Groupware" {
		t.Errorf("groupware %+v / custom %+v", g, gc)
	}
	// The folder name of the custom sample equals the Microsoft id: the id wins.
	if got, _ := c.Connector("Groupware"); got != g {
		t.Error("Groupware did not find the Microsoft connector")
	}
}

func TestMergeByEndpoint(t *testing.T) {
	c := &Catalog{}
	c.Merge(mergeDefSource())
	site := &Catalog{Connectors: []*Connector{{ID: "widgets", Name: "Widgets", Host: "API.widgets.example", BasePath: "/v2/",
		Sources: src(SourceSite, "http://127.0.0.1/widgets/", siteAt)}}}
	sum := c.Merge(site)
	w, ok := c.Connector("widgets")
	if !ok || w.Folder != "WidgetsInc" || sum.Merged != 1 || sum.Added != 0 {
		t.Fatalf("not matched by host and base path: %+v %+v", w, sum)
	}
	if want := []Rename{{From: "widgetsinc", To: "widgets", Name: "Widgets", Match: MatchEndpoint}}; !reflect.DeepEqual(sum.Renamed, want) {
		t.Errorf("renamed %+v", sum.Renamed)
	}
	if got, _ := c.Connector("widgetsinc"); got != w {
		t.Error("the old id is not an alias")
	}
}

// The hijack of the hostile-sources issue: a later source with the same
// title moves the connector to another host over plain http. The merge
// must say so.
func TestMergeReportsEndpointChange(t *testing.T) {
	c := &Catalog{}
	c.Merge(&Catalog{Connectors: []*Connector{{ID: "mailer", Name: "Mailer", Host: "api.mailer.example", Schemes: []string{"https"},
		Sources: src(SourceDefinition, "a/certified-connectors/Mailer/apiDefinition.swagger.json", defAt)}}})
	sum := c.Merge(&Catalog{Connectors: []*Connector{{ID: "mailer", Name: "Mailer", Host: "127.0.0.1:9", Schemes: []string{"http"},
		Sources: src(SourceAPI, "evil/api.json", apiAt)}}})
	want := []EndpointChange{{ID: "mailer", Name: "Mailer", OldScheme: "https", OldHost: "api.mailer.example",
		NewScheme: "http", NewHost: "127.0.0.1:9", Downgrade: true, Match: MatchID}}
	if !reflect.DeepEqual(sum.EndpointChanges, want) {
		t.Fatalf("endpoint changes %+v", sum.EndpointChanges)
	}
	if got := sum.EndpointChanges[0].String(); got != "mailer: host https://api.mailer.example -> http://127.0.0.1:9 (matched by id); https downgraded to http" {
		t.Errorf("line %q", got)
	}
	// The same source again: nothing moves.
	sum = c.Merge(&Catalog{Connectors: []*Connector{{ID: "mailer", Name: "Mailer", Host: "127.0.0.1:9", Schemes: []string{"http"},
		Sources: src(SourceAPI, "evil/api.json", apiAt)}}})
	if len(sum.EndpointChanges) != 0 || sum.Merged != 1 {
		t.Errorf("second merge %+v", sum)
	}
}

func TestSiteIDAndFold(t *testing.T) {
	for in, want := range map[string]string{
		"Abbreviations (Independent Publisher)":               "abbreviationsip",
		"Abstract Company Enrichment (Independent Publisher)": "abstractcompanyenric",
		"Office 365 Outlook":                                  "office365outlook",
		"Adobe Experience Manager":                            "adobeexperiencemanag",
	} {
		if got := SiteID(in); got != want {
			t.Errorf("SiteID(%q) = %q, want %q", in, got, want)
		}
	}
	if FoldTitle("MailJet (Independent Publisher) (Preview)") != "mailjetindependentpublisher" || FoldTitleBase("Mail-Jet (independent publisher)") != "mailjet" {
		t.Error("fold")
	}
	if !HasIPSuffix("X (Independent Publisher) [DEPRECATED]") || HasIPSuffix("X") {
		t.Error("HasIPSuffix")
	}
}

func TestStatsCounts(t *testing.T) {
	c, _ := mergeInOrder(t, []int{0, 1, 2}, []func() *Catalog{mergeDefSource, mergeAPISource, mergeSiteSource})
	got := c.Stats()
	want := Stats{Connectors: 6, Operations: 7, Actions: 6, Triggers: 1, Parameters: 2,
		ByTier:          TierCounts{Standard: 3, Premium: 1, Unknown: 2},
		ByPublisherKind: PublisherKindCounts{Microsoft: 1, Certified: 1, Independent: 1, Custom: 1, Unknown: 2},
		ByProduct:       ProductCounts{PowerAutomate: 1, None: 5},
		Preview:         1,
		BySource:        SourceCounts{Site: 4, API: 2, Definition: 4},
	}
	if got != want {
		t.Errorf("stats\n%+v, want\n%+v", got, want)
	}
	data, _ := json.Marshal(Stats{})
	const wantJSON = `{"connectors":0,"operations":0,"actions":0,"triggers":0,"parameters":0,` +
		`"by_tier":{"standard":0,"premium":0,"unknown":0},` +
		`"by_publisher_kind":{"microsoft":0,"certified":0,"independent":0,"custom":0,"unknown":0},` +
		`"by_product":{"logic_apps":0,"power_automate":0,"power_apps":0,"copilot_studio":0,"none":0},` +
		`"preview":0,"deprecated":0,"by_source":{"site":0,"list":0,"api":0,"definition":0,"sample":0}}`
	if string(data) != wantJSON {
		t.Errorf("JSON %s", data)
	}
}

// Re-reading one source leaves its connectors exactly as it made them.
func TestMergeSameSourceAgain(t *testing.T) {
	for _, s := range []func() *Catalog{mergeDefSource, mergeAPISource, mergeSiteSource} {
		c := s()
		c.Reindex()
		before, _ := json.Marshal(c.Connectors)
		sum := c.Merge(s())
		after, _ := json.Marshal(c.Connectors)
		if !bytes.Equal(before, after) || sum.Added != 0 || sum.Merged != len(c.Connectors) || len(sum.Renamed) != 0 || len(sum.EndpointChanges) != 0 {
			t.Errorf("merging a source into itself changed it: %+v\n%s\n%s", sum, before, after)
		}
	}
}

// A newer read of a source replaces what that source said: a refresh
// where the page dropped an operation and its known issues.
func TestMergeNewerReadReplaces(t *testing.T) {
	c := &Catalog{}
	c.Merge(mergeAPISource())
	c.Merge(mergeSiteSource())
	later := siteAt.Add(24 * time.Hour)
	c.Merge(&Catalog{Connectors: []*Connector{{ID: "frobnicateip", Name: "Frobnicate (Independent Publisher)", Description: "New site text.",
		Operations: []*Operation{{ID: "SendThing", Name: "Send a thing now", Kind: KindAction, Anchor: "send-a-thing-now"}},
		Sources:    src(SourceSite, "http://127.0.0.1/frobnicateip/", later)}}})
	f, _ := c.Connector("frobnicateip")
	var ops []string
	for _, op := range f.Operations {
		ops = append(ops, op.ID+"<"+strings.Join(op.From, ",")+">")
	}
	if want := []string{"SendThing<api,site>", "APIOnly<api>"}; !reflect.DeepEqual(ops, want) {
		t.Errorf("operations %v, want %v", ops, want)
	}
	if f.Description != "New site text." || len(f.KnownIssues) != 0 || len(f.Throttling) != 0 || f.Tier != TierStandard || f.Host == "" {
		t.Errorf("after the newer read: %+v", f)
	}
	if op := f.Operation("SendThing"); op.Name != "Send a thing now" || op.Method != "POST" {
		t.Errorf("SendThing %+v", op)
	}
	if !f.Sources[SourceSite].At.Equal(later) {
		t.Errorf("site source %+v", f.Sources[SourceSite])
	}
}

// TestMergeKeepsOneSourcesConnectorsApart: the records of one source are
// distinct connectors. A definitions sample holding a certified connector
// and an independent publisher's of the same folder name, title and host
// (the real sample has two: SchoolDigger, Mensagia) kept both when it was
// imported into an empty folder, but joined them into one when merged into
// a catalogue that knew neither (or joined both into a third that had the
// title), so the catalogue depended on the order of the imports.
func TestMergeKeepsOneSourcesConnectorsApart(t *testing.T) {
	t.Parallel()
	const cert, ip = "powerplatformconnectors/certified-connectors/", "powerplatformconnectors/independent-publisher-connectors/"
	defs := func() *Catalog {
		return &Catalog{Connectors: []*Connector{
			{ID: "quuxly", Folder: "Quuxly", Name: "Quuxly", PublisherKind: PublisherCertified, Host: "api.quuxly.example",
				Sources: src(SourceDefinition, cert+"Quuxly/apiDefinition.swagger.json", defAt)},
			{ID: "quuxly-2", Folder: "Quuxly", Name: "Quuxly", PublisherKind: PublisherIndependent, Host: "api.quuxly.example",
				Sources: src(SourceDefinition, ip+"Quuxly/apiDefinition.swagger.json", defAt)},
		}}
	}
	api := func(ids ...string) *Catalog {
		c := &Catalog{}
		for _, id := range ids {
			name := map[string]string{"quuxly": "Quuxly", "groupware": "Groupware"}[id]
			c.Connectors = append(c.Connectors, &Connector{ID: id, Aliases: []string{"shared_" + id}, Name: name, PublisherKind: PublisherCertified,
				Host: "europe.example", BasePath: "/apim/" + id, Sources: src(SourceAPI, "apis/shared_"+id+"/api.json", apiAt)})
		}
		return c
	}
	for _, tc := range []struct {
		name string
		api  *Catalog
		want string
	}{
		{"the API knows neither", api("groupware"), "groupware quuxly quuxly-2"},
		{"the API knows the certified one", api("quuxly"), "quuxly quuxly-2"},
	} {
		defsFirst := defs()
		defsFirst.Reindex()
		defsFirst.Merge(tc.api)
		apiFirst := tc.api
		apiFirst.Reindex()
		apiFirst.Merge(defs())
		a, b := catalogIDs(defsFirst), catalogIDs(apiFirst)
		if a != tc.want || b != tc.want {
			t.Errorf("%s: definitions then API %q, API then definitions %q; want %q for both", tc.name, a, b, tc.want)
		}
	}
}

// An independent publisher's connector whose API id lacks the "ip" ending
// ("Plinkett (Independent Publisher)" is plinkett) joins its definitions
// folder named without the suffix, in either order and without the site;
// a name whose id differs by another ending stays apart.
func TestMergeJoinsIPNameOnIDWithoutIP(t *testing.T) {
	t.Parallel()
	const ip = "powerplatformconnectors/independent-publisher-connectors/"
	defs := func(folder string) *Catalog {
		return &Catalog{Connectors: []*Connector{{ID: NormalizeID(folder), Folder: folder, Name: folder, PublisherKind: PublisherIndependent,
			Host: "api.plinkett.example", Sources: src(SourceDefinition, ip+folder+"/apiDefinition.swagger.json", defAt)}}}
	}
	api := func(id, name string) *Catalog {
		return &Catalog{Connectors: []*Connector{{ID: id, Aliases: []string{"shared_" + id}, Name: name, PublisherKind: PublisherIndependent,
			Host: "europe.example", BasePath: "/apim/" + id, Sources: src(SourceAPI, "apis/shared_"+id+"/api.json", apiAt)}}}
	}
	for _, tc := range []struct {
		folder, id, name, want string
	}{
		{"Plinkett", "plinkett", "Plinkett (Independent Publisher)", "plinkett"},
		// The id has another ending after the name's: a sibling's.
		{"Plinkett", "plinkettipx", "Plinkett (Independent Publisher)", "plinkett plinkettipx"},
	} {
		defsFirst := defs(tc.folder)
		defsFirst.Reindex()
		defsFirst.Merge(api(tc.id, tc.name))
		apiFirst := api(tc.id, tc.name)
		apiFirst.Reindex()
		apiFirst.Merge(defs(tc.folder))
		a, b := catalogIDs(defsFirst), catalogIDs(apiFirst)
		if a != tc.want || b != tc.want {
			t.Errorf("%s + %s: definitions then API %q, API then definitions %q; want %q for both", tc.folder, tc.id, a, b, tc.want)
		}
	}
}

// catalogIDs is the catalogue's connector ids in order, space-separated.
func catalogIDs(c *Catalog) string {
	var out []string
	for _, conn := range c.Connectors {
		out = append(out, conn.ID)
	}
	return strings.Join(out, " ")
}

// fieldCheck is one field of a merged connector, as read, and its
// expected value.
type fieldCheck struct{ field, got, want string }

func checkFields(t *testing.T, checks []fieldCheck) {
	t.Helper()
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
}
