package replica

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
	siteparser "github.com/connex-dev/connex/scraper/site"
)

// fixtureEntries are invented list entries; "acmewidgets" and "hostile"
// match fixtureDefinitions, "zebra" is generated.
func fixtureEntries() []ListEntry {
	return []ListEntry{
		{Name: "zebra", DisplayName: "Zebra Stripes", Icon: "https://icons.example.com/zebra/icon.png", PowerAutomate: true, PowerApps: true, Preview: true},
		{Name: "acmewidgets", DisplayName: "Acme Widgets", Icon: "https://icons.example.com/acme/icon.png", LogicApps: true, PowerAutomate: true, PowerApps: true, Premium: true},
		{Name: "hostile", DisplayName: `Hostile <script>alert("list")</script> & Co`, Icon: "javascript:alert(1)", LogicApps: true},
		// Matched by normalised display name, not by id.
		{Name: "acmegadgetsv2", DisplayName: "Acme Gadgets (Preview)", PowerApps: true},
	}
}

const hostileName = `Send <script>alert("x")</script> & 'more'`

func fixtureDefinitions() *catalog.Catalog {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	c := &catalog.Catalog{Connectors: []*catalog.Connector{
		{
			ID: "acmewidgets", Name: "Acme Widgets", Description: "Manage widgets\nin  the Acme\tcloud.",
			Publisher: "Acme Corp", Website: "https://acme.example.com", Categories: []string{"Productivity", "Data"},
			AuthTypes: []catalog.AuthType{
				{Name: "API Key", ID: "keyAuth", Type: "apikey", Parameters: []catalog.ConnectionParam{{Name: "api_key", DisplayName: "API Key", Type: "securestring", Required: true, Description: "Your key"}}},
				{Name: "OAuth", ID: "oauth", Type: "oauth2"},
			},
			Throttling: []catalog.Limit{{Name: "API calls per connection", Value: "250", Renewal: "60 seconds"}},
			Definitions: map[string]json.RawMessage{
				"Widget":    raw(`{"type":"object","description":"A widget.","required":["name"],"properties":{"id":{"type":"string","x-ms-summary":"Widget ID"},"name":{"type":"string","x-ms-summary":"Name"},"size":{"type":"integer","format":"int32"},"secret":{"type":"string","x-ms-visibility":"internal"},"owner":{"$ref":"#/definitions/Owner"},"tags":{"type":"array","items":{"type":"string"}}}}`),
				"Owner":     raw(`{"type":"object","properties":{"email":{"type":"string","format":"email","x-ms-summary":"Owner email"}}}`),
				"WidgetIds": raw(`{"type":"string"}`),
			},
			Operations: []*catalog.Operation{
				{ID: "CreateWidget", Name: "Create a widget", Kind: catalog.KindAction, Method: "POST", Path: "/widgets",
					Parameters: []catalog.Parameter{
						{Name: "Folder", Key: "folder", In: "query", Type: "string"},
						{Name: "Request id", Key: "x-request-id", In: "header", Type: "string", Visibility: catalog.VisibilityInternal},
						{Name: "Widget", Key: "body", In: "body", Required: true, Schema: raw(`{"$ref":"#/definitions/Widget"}`)},
					},
					Responses: []catalog.Response{{Status: "200", Description: "The widget", Schema: raw(`{"$ref":"#/definitions/Widget"}`)}}},
				{ID: "GetWidgetOld", Name: "Get a widget", Kind: catalog.KindAction, Deprecated: true, ReplacedBy: "GetWidgetV2",
					Parameters: []catalog.Parameter{{Name: "Widget ID", Key: "id", In: "path", Type: "string"}}},
				{ID: "GetWidgetV2", Name: "Get a widget (V2)", Kind: catalog.KindAction,
					Parameters: []catalog.Parameter{{Name: "Widget ID", Key: "id", In: "path", Type: "string"}, {Name: "Since", Key: "since", In: "query", Type: "string", Format: "date-time"}},
					Responses:  []catalog.Response{{Status: "200", Schema: raw(`{"type":"object","x-ms-dynamic-schema":{"operationId":"X"}}`)}}},
				{ID: "InternalSync", Name: "Sync (internal)", Kind: catalog.KindAction, Visibility: catalog.VisibilityInternal},
				{ID: "ListWidgets", Name: "List widgets (preview)", Kind: catalog.KindAction, Preview: true,
					Responses: []catalog.Response{{Status: "200", Schema: raw(`{"type":"array","items":{"$ref":"#/definitions/Widget"}}`)}}},
				{ID: "OnNewWidget", Name: "When a widget is created", Kind: catalog.KindTrigger, TriggerType: catalog.TriggerPolling,
					Parameters: []catalog.Parameter{{Name: "Folder", Key: "folder", In: "query", Type: "string", Required: true}}},
			},
		},
		{
			ID: "hostile", Name: "Hostile", Description: `<img src=x onerror=alert(1)> "quoted" ` + "\x1b[31mred\x1b[0m",
			Website: "javascript:alert(1)", PrivacyPolicy: "https://ok.example.com/privacy?a=1&b=<2>",
			AuthTypes: []catalog.AuthType{{Name: `<b>Bold</b> key`, Parameters: []catalog.ConnectionParam{{Name: "k", DisplayName: "Key </td></tr></table>", Type: "securestring"}}}},
			Operations: []*catalog.Operation{
				{ID: `Op"<1>`, Name: hostileName, Kind: catalog.KindAction,
					Description: `</p><h2 id="actions">Fake</h2>`,
					Parameters:  []catalog.Parameter{{Name: "Line\nbreak\x00name", Key: "k&<>", Type: "string", Description: "</td></tr></table><script>x()</script>"}}},
				{ID: "Dup1", Name: "Same name", Kind: catalog.KindAction},
				{ID: "Dup2", Name: "Same name", Kind: catalog.KindAction},
				{ID: "NoName", Kind: catalog.KindAction},
			},
		},
		{ID: "gadgets", Name: "Acme Gadgets", Operations: []*catalog.Operation{{ID: "Ping", Name: "Ping", Kind: catalog.KindAction}}},
	}}
	c.Reindex()
	return c
}

func startFixture(t *testing.T, opts Options) (*Server, string) {
	t.Helper()
	if opts.Entries == nil {
		opts.Entries = fixtureEntries()
	}
	if opts.Definitions == nil {
		opts.Definitions = fixtureDefinitions()
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, base
}

type response struct {
	status int
	header http.Header
	body   []byte
	err    error
}

func get(t *testing.T, url string, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return response{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: body, err: err}
}

func origin(base string) string { return strings.TrimSuffix(base, "/en-us/connectors/") }

func TestFixturePagesReadBackAsRendered(t *testing.T) {
	s, base := startFixture(t, Options{Seed: 7})
	for _, id := range s.IDs() {
		r := get(t, base+id+"/", nil)
		if r.err != nil || r.status != 200 {
			t.Fatalf("%s: %v %d", id, r.err, r.status)
		}
		compareReadBack(t, id, readBack(t, r.body), s.Rendered(id))
	}
	if got, want := s.FromDefinition(), []string{"acmegadgetsv2", "acmewidgets", "hostile"}; !reflect.DeepEqual(got, want) {
		t.Errorf("FromDefinition %v, want %v", got, want)
	}
}

func TestDefinitionPageShowsRealOperations(t *testing.T) {
	s, base := startFixture(t, Options{})
	c := s.Rendered("acmewidgets")
	var ids []string
	for _, op := range c.Operations {
		ids = append(ids, op.ID)
	}
	// Actions alphabetical by shown name, then triggers; internal hidden.
	if want := []string{"CreateWidget", "GetWidgetV2", "GetWidgetOld", "ListWidgets", "OnNewWidget"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("operations %v, want %v", ids, want)
	}
	old := c.Operation("GetWidgetOld")
	if !old.Deprecated || old.ReplacedBy != "GetWidgetV2" || old.Name != "Get a widget" || old.Anchor != "get-a-widget-[deprecated]" {
		t.Errorf("deprecated op %+v", *old)
	}
	if list := c.Operation("ListWidgets"); !list.Preview || list.Name != "List widgets" || list.Anchor != "list-widgets-(preview)" {
		t.Errorf("preview op %+v", *list)
	}
	var keys []string
	for _, p := range c.Operation("CreateWidget").Parameters {
		keys = append(keys, p.Key+":"+p.Type+":"+strconv.FormatBool(p.Required))
	}
	// The internal header is hidden; the body is flattened, nested objects
	// with dotted keys (a $ref shows its name), the internal property hidden.
	want := []string{"folder:string:false", "id:string:false", "name:string:true", "owner:Owner:false", "size:integer:false", "tags:array of string:false"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("CreateWidget parameters %v, want %v", keys, want)
	}
	if p := c.Operation("GetWidgetV2").Parameters; len(p) != 2 || !p[0].Required || p[1].Type != "date-time" {
		t.Errorf("GetWidgetV2 parameters %+v (path parameters are required; formats show as types)", p)
	}
	if len(c.AuthTypes) != 2 || c.AuthTypes[0].Parameters[0].Name != "API Key" || c.AuthTypes[1].Shareable != "Not shareable" {
		t.Errorf("auth types %+v", c.AuthTypes)
	}
	if c.Description != "Manage widgets in the Acme cloud." || c.Tier != catalog.TierPremium || len(c.Throttling) != 1 || c.Throttling[0].Value != "250" {
		t.Errorf("connector fields: %q %q %+v", c.Description, c.Tier, c.Throttling)
	}
	if c.Sources[catalog.SourceDefinition].Kind != catalog.SourceDefinition {
		t.Errorf("sources %+v", c.Sources)
	}

	body := get(t, base+"acmewidgets/", nil).body
	for _, frag := range []string{
		`<h2 id="actions">Actions</h2>`, `<h2 id="triggers">Triggers</h2>`, `<h2 id="definitions">Definitions</h2>`,
		`<dl><dt>Operation ID:</dt><dd>CreateWidget</dd></dl>`,
		`<h3 id="get-a-widget-[deprecated]">Get a widget [DEPRECATED]</h3>`,
		`href="/en-us/connectors/acmewidgets/#get-a-widget-%28v2%29"`,
		`<dt>Body</dt><dd><a href="#widget" data-linktype="self-bookmark">Widget</a></dd>`,
		`The outputs of this operation are dynamic.`,
		`<dt>response</dt><dd>array of Widget</dd>`,
		`<h3 id="widgetids">WidgetIds</h3>`,
		`<title>Acme Widgets - Connectors | Microsoft Learn</title>`,
		`<td><strong>Logic Apps</strong></td><td>Standard</td>`,
		`<td><strong>Power Apps</strong></td><td>Premium</td>`,
		`<p>Auth ID: keyAuth</p>`,
	} {
		if !bytes.Contains(body, []byte(frag)) {
			t.Errorf("page lacks %s", frag)
		}
	}
	if bytes.Contains(body, []byte("InternalSync")) || bytes.Contains(body, []byte("x-request-id")) {
		t.Error("internal operation or parameter rendered")
	}
	// Primitive definitions come last.
	if i, j := bytes.Index(body, []byte(`id="widgetids"`)), bytes.Index(body, []byte(`id="widget"`)); i < j {
		t.Error("primitive definition before object definitions")
	}
}

func TestHostileStringsEscaped(t *testing.T) {
	s, base := startFixture(t, Options{})
	body := get(t, base+"hostile/", nil).body
	for _, bad := range []string{"<script", "<img src=x", "<b>", "javascript:", "\x1b", "\x00", `<h2 id="actions">Fake`} {
		if bytes.Contains(body, []byte(bad)) {
			t.Errorf("page contains raw %q", bad)
		}
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if n := doc.Find(`h2#actions`).Length(); n != 1 {
		t.Errorf("%d Actions headings, want 1 (a description injected one?)", n)
	}
	c := s.Rendered("hostile")
	op := c.Operation(`Op"<1>`)
	if op == nil || op.Name != hostileName || op.Parameters[0].Name != "Line breakname" || op.Parameters[0].Key != "k&<>" {
		t.Fatalf("hostile operation %+v", op)
	}
	got := readBack(t, body)
	compareReadBack(t, "hostile", got, c)
	if c.Website != "" {
		t.Errorf("javascript: website kept: %q", c.Website)
	}
	// Same names get distinct anchors; an operation without a name shows its id.
	if a, b := c.Operation("Dup1").Anchor, c.Operation("Dup2").Anchor; a != "same-name" || b != "same-name-1" {
		t.Errorf("anchors %q %q", a, b)
	}
	if c.Operation("NoName").Name != "NoName" {
		t.Errorf("nameless operation %+v", c.Operation("NoName"))
	}
	list := get(t, base+"connector-reference/", nil).body
	if bytes.Contains(list, []byte("<script")) || bytes.Contains(list, []byte("javascript:")) {
		t.Error("list page contains raw hostile text")
	}
}

// TestNameOnlyPagesInventNothing: a listed connector with no data gets
// its name and badges (the availability table) and nothing else.
func TestNameOnlyPagesInventNothing(t *testing.T) {
	s, base := startFixture(t, Options{})
	z := s.Rendered("zebra")
	if z.Name != "Zebra Stripes" || !z.Preview || z.Tier != catalog.TierStandard || len(z.Products) != 2 {
		t.Errorf("name and badges: %+v", z)
	}
	if z.Description != "" || z.Publisher != "" || len(z.AuthTypes) != 0 || len(z.Operations) != 0 || len(z.Throttling) != 0 ||
		len(z.Limits) != 0 || len(z.KnownIssues) != 0 || len(z.Categories) != 0 || z.Website != "" || !z.Contact.IsZero() {
		t.Errorf("name-only page invents content: %+v", z)
	}
	body := get(t, base+"zebra/", nil).body
	for _, absent := range []string{`id="actions"`, `id="creating-a-connection"`, `id="throttling-limits"`, "Publisher</td>"} {
		if bytes.Contains(body, []byte(absent)) {
			t.Errorf("name-only page holds %s", absent)
		}
	}
	// The seed chooses faulted pages only: pages are the same whatever it is.
	a, _ := New(Options{Entries: fixtureEntries(), Definitions: fixtureDefinitions(), Seed: 3})
	b, _ := New(Options{Entries: fixtureEntries(), Definitions: fixtureDefinitions(), Seed: 4})
	if !reflect.DeepEqual(a.Expected(), b.Expected()) {
		t.Error("the seed changed a page")
	}
}

// TestPageChromeIgnoredByParser: pages carry the 2025 Learn chrome (two
// content blocks, "In this article", hidden notices, "Feedback", an
// aside) and the site parser reads none of it as connector content.
func TestPageChromeIgnoredByParser(t *testing.T) {
	_, base := startFixture(t, Options{})
	body := get(t, base+"acmewidgets/", nil).body
	for _, want := range []string{"In this article", "Feedback", "This page has moved", "Additional resources", `<div class="content">`} {
		if !bytes.Contains(body, []byte(want)) {
			t.Fatalf("page lacks the chrome's %q", want)
		}
	}
	if n := bytes.Count(body, []byte(`<div class="content">`)); n != 2 {
		t.Errorf("%d content blocks, want 2", n)
	}
	u, _ := url.Parse(base + "acmewidgets/")
	c, _ := siteparser.ParseConnectorPage(bytes.NewReader(body), u)
	if c == nil {
		t.Fatal("page rejected")
	}
	var titles []string
	for _, sec := range c.Sections {
		titles = append(titles, sec.Title)
	}
	if len(titles) != 0 {
		t.Errorf("chrome read as sections: %q", titles)
	}
	if strings.Contains(c.Description, "moved") || strings.Contains(c.Description, "browser") {
		t.Errorf("description holds a hidden notice: %q", c.Description)
	}
}

// TestExportPages: a connector with an export gets an HTML page announcing
// it, and the export itself, byte for byte, at the announced address.
func TestExportPages(t *testing.T) {
	md := []byte("---\r\ntitle: Acme Widgets - Connectors | Microsoft Learn\r\n---\r\n\r\n# Acme Widgets\r\n\r\n## Actions\r\n\r\n### Get a widget [DEPRECATED]\r\n\r\n- Operation ID:\r\n    - Get\\_Widget\r\n\r\n## Triggers\r\n\r\n### When a widget is made\r\n\r\n- Operation ID:\r\n    - OnWidget\r\n")
	s, base := startFixture(t, Options{Exports: map[string][]byte{"acmewidgets": md}})
	page := get(t, base+"acmewidgets/", nil)
	want := `<meta name="markdown_url" content="/en-us/connectors/acmewidgets/?accept=text/markdown">`
	if !bytes.Contains(page.body, []byte(want)) || !bytes.Contains(page.body, []byte("<h3>Get a widget [DEPRECATED]</h3>")) {
		t.Errorf("export page:\n%s", page.body)
	}
	exp := get(t, base+"acmewidgets/?accept=text/markdown", nil)
	if exp.status != 200 || !bytes.Equal(exp.body, md) || !strings.HasPrefix(exp.header.Get("Content-Type"), "text/markdown") {
		t.Errorf("export: %d %q %q", exp.status, exp.header.Get("Content-Type"), exp.body)
	}
	if other := get(t, base+"zebra/?accept=text/markdown", nil); bytes.Contains(other.body, []byte("markdown_url")) || other.status != 200 {
		t.Errorf("page without export: %d", other.status)
	}
	r := s.Rendered("acmewidgets")
	var ops []string
	for _, op := range r.Operations {
		ops = append(ops, string(op.Kind)+":"+op.ID+":"+op.Name)
	}
	if want := []string{"action:Get_Widget:Get a widget", "trigger:OnWidget:When a widget is made"}; !reflect.DeepEqual(ops, want) {
		t.Errorf("expected operations %q", ops)
	}
	if len(s.FromExport()) != 1 || s.FromExport()[0] != "acmewidgets" {
		t.Errorf("from export %v", s.FromExport())
	}
}

func TestListPage(t *testing.T) {
	for _, rel := range []bool{false, true} {
		s, base := startFixture(t, Options{RelativeLinks: rel})
		r := get(t, base+"connector-reference/", nil)
		if r.status != 200 {
			t.Fatal(r.status)
		}
		entries := parseListForTest(t, r.body, base+"connector-reference/")
		var ids []string
		for _, e := range entries {
			ids = append(ids, e.Name)
		}
		if !reflect.DeepEqual(ids, s.IDs()) {
			t.Errorf("relative=%v: list ids %v, want %v", rel, ids, s.IDs())
		}
		want := map[string]ListEntry{}
		for _, e := range fixtureEntries() {
			e.DisplayName = oneLine(e.DisplayName)
			e.Icon, e.SearchTerms = "", ""
			want[e.Name] = e
		}
		for _, e := range entries {
			if e != want[e.Name] {
				t.Errorf("entry %+v, want %+v", e, want[e.Name])
			}
		}
	}
	// Since 2026 cells may end with "By: <publisher>".
	s, base := startFixture(t, Options{ListPublishers: true})
	body := get(t, base+"connector-reference/", nil).body
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	doc.Find(`td[width="25%"]`).Each(func(_ int, td *goquery.Selection) {
		href, _ := td.ChildrenFiltered("a").Attr("href")
		id := strings.Trim(strings.TrimPrefix(href, "/en-us/connectors/"), "/")
		pub := s.Rendered(id).Publisher
		_, by, _ := strings.Cut(td.Text(), "By: ")
		if pub != "" && by == pub {
			n++
		} else if pub != "" || by != "" {
			t.Errorf("%s: by-line %q, publisher %q", id, by, pub)
		}
	})
	if n != 1 { // acmewidgets has a publisher; the others have no data
		t.Errorf("%d cells with a by-line, want 1", n)
	}
}

// parseListForTest reads the list page as the structure document says.
func parseListForTest(t *testing.T, body []byte, pageURL string) []ListEntry {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []ListEntry
	doc.Find(`h2#list-of-connectors`).NextAllFiltered("table").Find(`td[width="25%"]`).Each(func(_ int, td *goquery.Selection) {
		href, ok := td.ChildrenFiltered("a").Attr("href")
		if !ok {
			return
		}
		id := strings.Trim(href, "/")
		id = id[strings.LastIndex(id, "/")+1:]
		title, _ := td.ChildrenFiltered("img").First().Attr("title")
		e := ListEntry{Name: id, DisplayName: title}
		td.ChildrenFiltered(`img[alt]`).Each(func(_ int, img *goquery.Selection) {
			switch alt, _ := img.Attr("alt"); alt {
			case "Logic Apps":
				e.LogicApps = true
			case "Power Automate":
				e.PowerAutomate = true
			case "Power Apps":
				e.PowerApps = true
			case "Premium":
				e.Premium = true
			case "Preview":
				e.Preview = true
			}
		})
		out = append(out, e)
	})
	return out
}

func TestETagAndNotModified(t *testing.T) {
	s, base := startFixture(t, Options{ModTime: time.Date(2025, 10, 9, 12, 0, 0, 0, time.UTC)})
	url := base + "acmewidgets/"
	first := get(t, url, nil)
	etag, lastMod := first.header.Get("ETag"), first.header.Get("Last-Modified")
	if etag == "" || lastMod != "Thu, 09 Oct 2025 12:00:00 GMT" {
		t.Fatalf("validators %q %q", etag, lastMod)
	}
	if get(t, url, nil).header.Get("ETag") != etag {
		t.Fatal("ETag not stable")
	}
	cases := []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"etag", map[string]string{"If-None-Match": etag}, 304},
		{"weak etag in a list", map[string]string{"If-None-Match": `"nope", W/` + etag}, 304},
		{"other etag", map[string]string{"If-None-Match": `"nope"`}, 200},
		{"etag wins over date", map[string]string{"If-None-Match": `"nope"`, "If-Modified-Since": lastMod}, 200},
		{"same date", map[string]string{"If-Modified-Since": lastMod}, 304},
		{"later date", map[string]string{"If-Modified-Since": "Fri, 10 Oct 2025 00:00:00 GMT"}, 304},
		{"earlier date", map[string]string{"If-Modified-Since": "Wed, 08 Oct 2025 00:00:00 GMT"}, 200},
		{"bad date", map[string]string{"If-Modified-Since": "yesterday"}, 200},
	}
	for _, tc := range cases {
		r := get(t, url, tc.header)
		if r.status != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, r.status, tc.want)
		}
		if r.status == 304 && len(r.body) != 0 {
			t.Errorf("%s: 304 with a body", tc.name)
		}
	}
	if got := s.Statuses()[304]; got != 4 {
		t.Errorf("%d responses 304, want 4", got)
	}
	// A changed entry changes the page and its ETag; an unchanged one keeps it.
	entries := fixtureEntries()
	entries[1].Premium = false
	zebraTag := get(t, base+"zebra/", nil).header.Get("ETag")
	s.SetEntries(entries)
	if get(t, url, map[string]string{"If-None-Match": etag}).status != 200 {
		t.Error("a changed page still answered 304")
	}
	if get(t, base+"zebra/", map[string]string{"If-None-Match": zebraTag}).status != 304 {
		t.Error("an unchanged page did not answer 304 after SetEntries")
	}
}

func TestRoutes(t *testing.T) {
	s, base := startFixture(t, Options{})
	if r := get(t, base+"zebra", nil); r.status != 301 || r.header.Get("Location") != "/en-us/connectors/zebra/" {
		t.Errorf("no slash: %d %q", r.status, r.header.Get("Location"))
	}
	for _, p := range []string{"nosuch/", "zebra/extra/", "../../etc/passwd"} {
		if r := get(t, base+p, nil); r.status != 404 {
			t.Errorf("%s: %d, want 404", p, r.status)
		}
	}
	if r := get(t, origin(base)+"/elsewhere", nil); r.status != 404 {
		t.Errorf("outside the connectors: %d", r.status)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"zebra/", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 405 {
		t.Errorf("POST: %v %v", err, resp)
	} else {
		resp.Body.Close()
	}
	if n := s.Requests("/en-us/connectors/nosuch/"); n != 1 {
		t.Errorf("requests counted %d, want 1", n)
	}
	if _, err := (&Server{opts: Options{Addr: "0.0.0.0:0"}}).Start(); !errors.Is(err, ErrNotLoopback) {
		t.Errorf("non-loopback address: %v", err)
	}
}

func TestRobots(t *testing.T) {
	cases := []struct {
		robots Robots
		status int
		body   string
	}{
		{Robots{}, 200, "User-agent: *\nDisallow:\n"},
		{Robots{Mode: RobotsDisallow, Disallow: []string{"/en-us/connectors/zebra/", "/en-us/connectors/hostile/"}}, 200,
			"User-agent: *\nDisallow: /en-us/connectors/zebra/\nDisallow: /en-us/connectors/hostile/\n"},
		{Robots{Mode: RobotsNotFound}, 404, ""},
		{Robots{Mode: RobotsError}, 500, ""},
		{Robots{Body: "User-agent: connex\nDisallow: /\n"}, 200, "User-agent: connex\nDisallow: /\n"},
	}
	for i, tc := range cases {
		_, base := startFixture(t, Options{Robots: tc.robots})
		r := get(t, origin(base)+"/robots.txt", nil)
		if r.status != tc.status || (tc.status == 200 && string(r.body) != tc.body) {
			t.Errorf("case %d: %d %q, want %d %q", i, r.status, r.body, tc.status, tc.body)
		}
	}
	s, base := startFixture(t, Options{})
	s.SetRobots(Robots{Mode: RobotsError})
	if r := get(t, origin(base)+"/robots.txt", nil); r.status != 500 {
		t.Errorf("SetRobots: %d", r.status)
	}
}

func TestFault429RetryAfter(t *testing.T) {
	s, base := startFixture(t, Options{})
	path := s.PagePath("zebra")
	s.SetFault(path, Fault{Kind: Fault429, Times: 2, RetryAfter: 7})
	for i := 1; i <= 2; i++ {
		r := get(t, base+"zebra/", nil)
		if r.status != 429 || r.header.Get("Retry-After") != "7" {
			t.Fatalf("attempt %d: %d Retry-After %q", i, r.status, r.header.Get("Retry-After"))
		}
	}
	if r := get(t, base+"zebra/", nil); r.status != 200 {
		t.Fatalf("attempt 3: %d", r.status)
	}
	s.SetFault(path, Fault{Kind: Fault429, RetryAfter: -1})
	if r := get(t, base+"zebra/", nil); r.status != 429 || r.header.Get("Retry-After") != "" {
		t.Errorf("no Retry-After: %d %q", r.status, r.header.Get("Retry-After"))
	}
	if n := s.Requests(path); n != 4 {
		t.Errorf("requests %d, want 4", n)
	}
}

func TestFault500TransientAndPermanent(t *testing.T) {
	s, base := startFixture(t, Options{Faults: Faults{Paths: map[string]Fault{
		"/en-us/connectors/zebra/":       {Kind: Fault500, Times: 1},
		"/en-us/connectors/acmewidgets/": {Kind: Fault500},
	}}})
	if a, b := get(t, base+"zebra/", nil).status, get(t, base+"zebra/", nil).status; a != 500 || b != 200 {
		t.Errorf("transient: %d then %d", a, b)
	}
	for i := 0; i < 3; i++ {
		if st := get(t, base+"acmewidgets/", nil).status; st != 500 {
			t.Errorf("permanent attempt %d: %d", i, st)
		}
	}
	// Attempts count from a reset.
	s.ResetCounters()
	if st := get(t, base+"zebra/", nil).status; st != 500 {
		t.Errorf("after reset: %d", st)
	}
	s.ClearFaults()
	if st := get(t, base+"acmewidgets/", nil).status; st != 200 {
		t.Errorf("after ClearFaults: %d", st)
	}
}

func TestFaultSlow(t *testing.T) {
	s, base := startFixture(t, Options{})
	s.SetFault(s.PagePath("zebra"), Fault{Kind: FaultSlow, Delay: 5 * time.Millisecond})
	if r := get(t, base+"zebra/", nil); r.status != 200 {
		t.Errorf("slow page: %v %d", r.err, r.status)
	}
	// A client that gives up gets an error, and the server notices.
	s.SetFault(s.PagePath("zebra"), Fault{Kind: FaultSlow, Delay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"zebra/", nil)
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hung page: %v, want a deadline error", err)
	}
}

func TestFaultTruncate(t *testing.T) {
	s, base := startFixture(t, Options{})
	s.SetFault(s.PagePath("zebra"), Fault{Kind: FaultTruncate, Times: 1})
	r := get(t, base+"zebra/", nil)
	if r.status != 200 || !errors.Is(r.err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated body: status %d err %v", r.status, r.err)
	}
	full := get(t, base+"zebra/", nil)
	if full.err != nil || full.status != 200 || len(r.body) != len(full.body)/2 {
		t.Errorf("second attempt %v %d; truncated %d of %d bytes", full.err, full.status, len(r.body), len(full.body))
	}
}

func TestFaultLayout(t *testing.T) {
	s, base := startFixture(t, Options{})
	s.SetFault(s.PagePath("acmewidgets"), Fault{Kind: FaultLayout})
	body := get(t, base+"acmewidgets/", nil).body
	for _, gone := range []string{`id="actions"`, `id="triggers"`, `id="definitions"`, "Service</th>", "<dt>Operation ID:</dt>", "<th>Key</th>"} {
		if bytes.Contains(body, []byte(gone)) {
			t.Errorf("unusual layout still has %s", gone)
		}
	}
	if !bytes.Contains(body, []byte(`<h2 id="operations">Operations</h2>`)) || !bytes.Contains(body, []byte("Operation ID: CreateWidget")) {
		t.Error("unusual layout lacks its renamed sections")
	}
	if got := readBack(t, body); len(got.Operations) != 0 {
		t.Errorf("the reference parser found %d operations in the unusual layout", len(got.Operations))
	}
	if len(s.Rendered("acmewidgets").Operations) != 5 {
		t.Error("the layout fault changed the expected catalogue")
	}
}

func TestFaultHugeAndDeep(t *testing.T) {
	s, base := startFixture(t, Options{})
	s.SetFault(s.PagePath("zebra"), Fault{Kind: FaultHuge, Size: 3 << 20})
	r := get(t, base+"zebra/", nil)
	if r.err != nil || r.status != 200 || len(r.body) < 3<<20 || r.header.Get("Content-Length") != "" {
		t.Errorf("huge page: %v %d, %d bytes", r.err, r.status, len(r.body))
	}
	s.SetFault(s.PagePath("zebra"), Fault{Kind: FaultDeep})
	r = get(t, base+"zebra/", nil)
	if got := bytes.Count(r.body, []byte("<div>")); got != 5000 {
		t.Errorf("deep page: %d nested divs, want 5000", got)
	}
}

func TestRateFaultsDeterministic(t *testing.T) {
	var entries []ListEntry
	for i := 0; i < 500; i++ {
		id := "conn" + strconv.Itoa(i)
		entries = append(entries, ListEntry{Name: id, DisplayName: "Connector " + strconv.Itoa(i)})
	}
	opts := Options{Entries: entries, Seed: 11, Faults: Faults{Rates: []RateFault{
		{Fault: Fault{Kind: Fault500}, Rate: 0.02},
		{Fault: Fault{Kind: Fault429, RetryAfter: 1, Times: 1}, Rate: 0.05},
	}}}
	s, base := startFixture(t, opts)
	failing := s.Faulted(Fault500)
	if len(failing) == 0 || len(failing) > 25 {
		t.Fatalf("%d pages with 500 of 500 at 2%%", len(failing))
	}
	again, _ := New(opts)
	if !reflect.DeepEqual(again.Faulted(Fault500), failing) {
		t.Error("same seed, different faulty pages")
	}
	opts.Seed = 12
	other, _ := New(opts)
	if reflect.DeepEqual(other.Faulted(Fault500), failing) {
		t.Error("another seed chose the same pages")
	}
	var got []string
	for _, id := range s.IDs() {
		if get(t, base+id+"/", nil).status == 500 {
			got = append(got, s.PagePath(id))
		}
	}
	sort.Strings(got)
	if !reflect.DeepEqual(got, failing) {
		t.Errorf("pages answering 500: %v, Faulted says %v", got, failing)
	}
	if n429 := s.Statuses()[429]; n429 != len(s.Faulted(Fault429)) {
		t.Errorf("%d answers 429, want %d", n429, len(s.Faulted(Fault429)))
	}
	// The list page and robots.txt are never chosen by rate.
	if get(t, base+"connector-reference/", nil).status != 200 {
		t.Error("list page hit by a rate fault")
	}
}

func TestMaxInFlight(t *testing.T) {
	s, base := startFixture(t, Options{})
	s.SetFault(s.PagePath("zebra"), Fault{Kind: FaultSlow, Delay: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	const n = 5
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"zebra/", nil)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}()
	}
	// Wait for the condition, not for a time: all n requests parked.
	deadline := time.Now().Add(10 * time.Second)
	for s.InFlight() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	wg.Wait()
	if got := s.MaxInFlight(); got != n {
		t.Errorf("max in flight %d, want %d", got, n)
	}
	if s.TotalRequests() != n {
		t.Errorf("total %d, want %d", s.TotalRequests(), n)
	}
}

func TestRealListRendersEveryEntry(t *testing.T) {
	list := realdata.ReferenceList(t)
	defs := realdata.Catalog(t)
	s, err := New(Options{ListPath: list, Definitions: defs, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := len(s.IDs()); n != 1466 {
		t.Fatalf("%d entries, want 1466", n)
	}
	r := get(t, base+"connector-reference/", nil)
	entries := parseListForTest(t, r.body, base)
	if len(entries) != 1466 {
		t.Fatalf("list page shows %d connectors, want 1466", len(entries))
	}
	matched := matchDefinitions(s.site.Load().entries, defs)
	fromDef := map[string]bool{}
	for _, id := range s.FromDefinition() {
		fromDef[id] = true
	}
	if len(fromDef) < 400 {
		t.Errorf("only %d pages matched a definition", len(fromDef))
	}
	exp := s.Expected()
	if len(exp.Connectors) != 1466 {
		t.Fatalf("Expected has %d connectors", len(exp.Connectors))
	}
	ops, checked := 0, 0
	for i, e := range entries {
		r := get(t, base+e.Name+"/", nil)
		if r.err != nil || r.status != 200 {
			t.Fatalf("%s: %v %d", e.Name, r.err, r.status)
		}
		want := s.Rendered(e.Name)
		if fromDef[e.Name] {
			ops += len(want.Operations)
			// Every visible operation of the definition is on the page.
			src := matched[e.Name]
			visible := map[string]bool{}
			for _, op := range src.Operations {
				if op.Visibility != catalog.VisibilityInternal && oneLine(op.ID) != "" {
					visible[oneLine(op.ID)] = true
				}
			}
			if len(visible) != len(want.Operations) {
				t.Errorf("%s: %d operations rendered, the definition has %d visible", e.Name, len(want.Operations), len(visible))
			}
			for id := range visible {
				if !bytes.Contains(r.body, []byte("<dd>"+esc(id)+"</dd>")) {
					t.Errorf("%s: operation %s not on the page", e.Name, id)
				}
			}
		}
		if (raceEnabled || testing.Short()) && i%10 != 0 {
			continue
		}
		checked++
		compareReadBack(t, e.Name, readBack(t, r.body), want)
		if t.Failed() {
			t.FailNow()
		}
	}
	t.Logf("%d pages served, %d read back; %d from definitions with %d operations", len(entries), checked, len(fromDef), ops)
}
