package defs_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/scraper/defs"
)

var update = flag.Bool("update", false, "rewrite golden files")

var fixedNow = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func opts() defs.ImportOptions {
	return defs.ImportOptions{Workers: 2, Now: func() time.Time { return fixedNow }}
}

const fixtures = "testdata/defs"

func importFixtures(t *testing.T, sources ...string) *defs.ImportResult {
	t.Helper()
	res, err := defs.Import(context.Background(), sources, opts())
	if err != nil {
		t.Fatalf("Import(%v): %v", sources, err)
	}
	return res
}

func ids(c *catalog.Catalog) []string {
	var out []string
	for _, conn := range c.Connectors {
		out = append(out, conn.ID)
	}
	return out
}

func TestImportFixtures(t *testing.T) {
	res := importFixtures(t, fixtures)
	if res.Files != 9 {
		t.Errorf("Files = %d, want 9", res.Files)
	}
	wantIDs := []string{"acmewidgets", "acmewidgets-2", "bombakerypreview", "commachaos", "cycleworks", "latinlounge", "renamedthing"}
	if got := ids(res.Catalog); !reflect.DeepEqual(got, wantIDs) {
		t.Errorf("ids = %v, want %v", got, wantIDs)
	}
	wantFailed := []defs.ImportError{
		{Path: "certified-connectors/Stray Brace/apiDefinition.swagger.json", Line: 8, Column: 3,
			Error: `unexpected "}" after the end of the document; the "}" at line 7, column 3 closed it (a stray '}' or ']' closes a document early)`},
		{Path: "independent-publisher-connectors/Broken Truncated/apiDefinition.swagger.json", Line: 7, Column: 1,
			Error: "unexpected end of file: the '{' opened at line 5, column 11 is never closed (the file may be truncated)"},
	}
	if !reflect.DeepEqual(res.Failed, wantFailed) {
		t.Errorf("Failed =\n%+v\nwant\n%+v", res.Failed, wantFailed)
	}
	wantWarnings := []string{
		`certified-connectors/Acme Widgets/apiDefinition.swagger.json: GET /widgets has no operationId; using "getWidgets"`,
		`certified-connectors/Acme Widgets/apiDefinition.swagger.json: operationId "OnWidgetChanged" is used twice; the POST /hooks/legacy one is kept as "OnWidgetChanged_2"`,
		`certified-connectors/Bom Bakery/apiDefinition.swagger.json: recovered byte order mark, comments, trailing commas`,
		`certified-connectors/Bom Bakery/apiProperties.json: recovered trailing commas`,
		`custom-connectors/Acme Widgets Fork/apiDefinition.swagger.json: connector id "acmewidgets" is already used by certified-connectors/Acme Widgets/apiDefinition.swagger.json; this one is "acmewidgets-2"`,
		`custom-connectors/Cycle Works/apiDefinition.swagger.json: $ref "#/definitions/Missing" points to nothing`,
		`custom-connectors/Cycle Works/apiDefinition.swagger.json: POST /nodes: an operation-level parameter's $ref cannot be resolved; it was skipped`,
		`custom-connectors/Cycle Works/apiDefinition.swagger.json: POST /nodes: response 400 has a $ref that cannot be resolved`,
		`independent-publisher-connectors/Comma Chaos/apiDefinition.swagger.json: recovered raw control characters in strings, Unicode spaces, missing commas`,
		`independent-publisher-connectors/Latin Lounge/apiDefinition.swagger.json: recovered Latin-1 bytes`,
		`independent-publisher-connectors/Readme Only: no *.swagger.json in this connector folder; skipped`,
	}
	var gotWarnings []string
	for _, w := range res.Warnings {
		gotWarnings = append(gotWarnings, w.String())
	}
	if !reflect.DeepEqual(gotWarnings, wantWarnings) {
		t.Errorf("Warnings =\n%s\nwant\n%s", strings.Join(gotWarnings, "\n"), strings.Join(wantWarnings, "\n"))
	}
	if got, want := res.Catalog.Origins, []catalog.Source{{Kind: catalog.SourceDefinition, Ref: fixtures, At: fixedNow}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Origins = %+v, want %+v", got, want)
	}
	if st := res.Catalog.Stats(); st != (catalog.Stats{Connectors: 7, Operations: 16, Actions: 13, Triggers: 3, Parameters: 14}) {
		t.Errorf("Stats = %+v", st)
	}
	checkGolden(t, "testdata/defs.golden.json", res)
}

func checkGolden(t *testing.T, path string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("result differs from %s (run with -update and review the diff)", path)
	}
}

func TestImportFixtureDetails(t *testing.T) {
	c := importFixtures(t, fixtures).Catalog
	acme, ok := c.Connector("acmewidgets")
	if !ok {
		t.Fatal("acmewidgets missing")
	}
	wantConn := catalog.Connector{
		ID: "acmewidgets", Folder: "Acme Widgets", Name: "Acme Widgets",
		Description: "Manage widgets in the invented Acme warehouse.",
		Publisher:   "Acme Corporation", PublisherKind: catalog.PublisherCertified,
		Categories: []string{"Productivity", "IT Operations"},
		Website:    "https://acme.example.com", PrivacyPolicy: "https://acme.example.com/privacy",
		Contact:    catalog.Contact{Name: "Acme Support", URL: "https://acme.example.com/support", Email: "help@acme.example.com"},
		BrandColor: "#ff6600", Version: "1.2",
		Host: "api.acme.example.com", BasePath: "/v1", Schemes: []string{"https"},
	}
	got := *acme
	got.AuthTypes, got.Operations, got.Definitions, got.Sources = nil, nil, nil, nil
	if !reflect.DeepEqual(got, wantConn) {
		t.Errorf("connector =\n%+v\nwant\n%+v", got, wantConn)
	}
	wantAuth := []catalog.AuthType{{ID: "api_key", Name: "API Key", Type: "apikey", In: "header", ParamName: "X-Acme-Key",
		Parameters: []catalog.ConnectionParam{
			{Name: "api_key", DisplayName: "API Key", Type: "securestring", Description: "Your Acme API key", Required: true},
			{Name: "region", DisplayName: "Region", Type: "string"},
		}}}
	if !reflect.DeepEqual(acme.AuthTypes, wantAuth) {
		t.Errorf("auth = %+v", acme.AuthTypes)
	}
	if got, want := acme.Sources["definition"], (catalog.Source{Kind: "definition", Ref: "certified-connectors/Acme Widgets/apiDefinition.swagger.json", At: fixedNow}); got != want {
		t.Errorf("source = %+v", got)
	}
	if len(acme.Definitions) != 2 || string(acme.Definitions["Subscription"]) != `{"type":"object","properties":{"callback":{"type":"string","x-ms-notification-url":true,"x-ms-visibility":"internal"}}}` {
		t.Errorf("definitions = %s", acme.Definitions)
	}
	// Operations keep document order: path order, then method order.
	var order []string
	for _, op := range acme.Operations {
		order = append(order, op.Method+" "+op.Path+" "+op.ID)
	}
	wantOrder := []string{
		"GET /widgets/{widgetId} GetWidget", "DELETE /widgets/{widgetId} DeleteWidget",
		"POST /widgets CreateWidgetV2", "PUT /widgets CreateWidget", "GET /widgets getWidgets",
		"GET /folders ListFolders", "GET /trigger/widgets OnNewWidget",
		"POST /hooks OnWidgetChanged", "POST /hooks/legacy OnWidgetChanged_2",
	}
	if !reflect.DeepEqual(order, wantOrder) {
		t.Errorf("order =\n%s", strings.Join(order, "\n"))
	}
	get := acme.Operation("GetWidget")
	wantGet := &catalog.Operation{
		ID: "GetWidget", Name: "Get a widget", Description: "Gets one widget.", Kind: catalog.KindAction,
		Method: "GET", Path: "/widgets/{widgetId}", Visibility: catalog.VisibilityImportant, Tags: []string{"Widgets"},
		Consumes: []string{"application/json"}, Produces: []string{"application/json"},
		Parameters: []catalog.Parameter{
			{Name: "Widget", Key: "widgetId", In: "path", Required: true, Type: "string"},
			{Name: "verbose", Key: "verbose", In: "query", Type: "boolean", Default: "false", Description: "operation-level"},
			{Name: "api-version", Key: "api-version", In: "query", Required: true, Type: "string", Default: `"2024-01-01"`, Visibility: catalog.VisibilityInternal},
		},
		Responses: []catalog.Response{
			{Status: "200", Description: "The widget", Schema: json.RawMessage(`{"$ref":"#/definitions/Widget"}`)},
			{Status: "404", Description: "No such widget"},
		},
	}
	if !reflect.DeepEqual(get, wantGet) {
		gj, _ := json.Marshal(get)
		t.Errorf("GetWidget = %s", gj)
	}
	v2 := acme.Operation("CreateWidgetV2")
	if !v2.Preview || string(v2.Body) != `{"$ref":"#/definitions/Widget"}` || v2.Parameters[0].Type != "object" ||
		v2.Parameters[1].Type != "array of string" || string(v2.Parameters[1].Schema) != `{"type":"string","enum":["red","blue"]}` ||
		v2.Parameters[1].Name != "Colours" || !reflect.DeepEqual(v2.Parameters[2].Enum, []string{"1", "2", "3"}) ||
		v2.Parameters[2].Format != "int32" || v2.Parameters[2].Visibility != catalog.VisibilityAdvanced {
		j, _ := json.Marshal(v2)
		t.Errorf("CreateWidgetV2 = %s", j)
	}
	old := acme.Operation("CreateWidget")
	if !old.Deprecated || old.ReplacedBy != "CreateWidgetV2" || !reflect.DeepEqual(old.Consumes, []string{"application/x-www-form-urlencoded"}) || old.Parameters[1].Type != "file" {
		j, _ := json.Marshal(old)
		t.Errorf("CreateWidget = %s", j)
	}
	list := acme.Operation("getWidgets")
	if list.Name != "List widgets" || !list.Dynamic || !list.Parameters[0].Dynamic || string(list.Capabilities) != `{"chunkTransfer":true}` {
		j, _ := json.Marshal(list)
		t.Errorf("getWidgets = %s", j)
	}
	if op := acme.Operation("DeleteWidget"); op.Visibility != catalog.VisibilityInternal || len(op.Parameters) != 2 || op.Parameters[1].Description != "path-level" {
		t.Errorf("DeleteWidget = %+v", op)
	}
	for id, want := range map[string]catalog.TriggerType{"OnNewWidget": catalog.TriggerPolling, "OnWidgetChanged": catalog.TriggerWebhook, "OnWidgetChanged_2": catalog.TriggerWebhook} {
		if op := acme.Operation(id); op.Kind != catalog.KindTrigger || op.TriggerType != want {
			t.Errorf("%s: kind %s type %s, want trigger %s", id, op.Kind, op.TriggerType, want)
		}
	}

	bakery, _ := c.Connector("bombakerypreview")
	wantBakery := []catalog.AuthType{
		{ID: "oauth", Name: "Sign in", Type: "oauth2", Description: "Use your bakery account", Flow: "accessCode",
			AuthURL: "https://bakery.example.com/authorize", TokenURL: "https://bakery.example.com/token", Scopes: []string{"bread", "orders.read"},
			Parameters: []catalog.ConnectionParam{{Name: "token", Type: "oauthSetting"}}},
		{ID: "key", Name: "Access code", Type: "apikey", In: "query", ParamName: "code",
			Parameters: []catalog.ConnectionParam{{Name: "code", DisplayName: "Code", Type: "securestring", Required: true}}},
	}
	if !bakery.Preview || bakery.BrandColor != "#c0ffee" || !reflect.DeepEqual(bakery.AuthTypes, wantBakery) {
		t.Errorf("bakery = preview %v colour %q auth %+v", bakery.Preview, bakery.BrandColor, bakery.AuthTypes)
	}

	latin, _ := c.Connector("latinlounge")
	if latin.Description != "The Latin Lounge connector reads the menu of an invented café, with prices and specials." ||
		latin.Operations[0].Name != "Café menu" || latin.Operations[0].Description != "Olé – the menu" ||
		latin.PublisherKind != catalog.PublisherIndependent {
		t.Errorf("latin = %q / %q / %q", latin.Description, latin.Operations[0].Name, latin.Operations[0].Description)
	}
	chaos, _ := c.Connector("commachaos")
	if chaos.Description != "Tabs\tinside and a missing comma" || chaos.Version != "2.0" || chaos.Publisher != "Chaos Team" {
		t.Errorf("chaos = %+v", chaos)
	}
	renamed, _ := c.Connector("renamedthing")
	if renamed.Sources["definition"].Ref != "custom-connectors/Renamed Thing/renamedThing.swagger.json" || renamed.AuthTypes[0].Type != "basic" ||
		renamed.Operations[0].Method != "HEAD" || renamed.PublisherKind != catalog.PublisherCustom {
		t.Errorf("renamed = %+v", renamed)
	}
	fork, _ := c.Connector("acmewidgets-2")
	if !reflect.DeepEqual(fork.AuthTypes, []catalog.AuthType{{Type: "none", Name: "No authentication"}}) || fork.Folder != "Acme Widgets Fork" || len(fork.Operations) != 2 {
		t.Errorf("fork = %+v", fork)
	}
	cycle, _ := c.Connector("cycleworks")
	if op := cycle.Operations[0]; len(op.Parameters) != 1 || op.Parameters[0].Type != "object" || len(op.Responses) != 3 {
		t.Errorf("cycle op = %+v", op)
	}
	if cycle.AuthTypes[0].Type != "oauth2" || cycle.AuthTypes[0].TokenURL != "https://cycle.example.com/token" {
		t.Errorf("cycle auth = %+v", cycle.AuthTypes)
	}
}

func TestImportOneConnectorFolder(t *testing.T) {
	res := importFixtures(t, filepath.Join(fixtures, "certified-connectors", "Acme Widgets"))
	if res.Files != 1 || len(res.Failed) != 0 || !reflect.DeepEqual(ids(res.Catalog), []string{"acmewidgets"}) {
		t.Fatalf("files %d failed %v ids %v", res.Files, res.Failed, ids(res.Catalog))
	}
	conn := res.Catalog.Connectors[0]
	if conn.PublisherKind != catalog.PublisherCertified || conn.Sources["definition"].Ref != "certified-connectors/Acme Widgets/apiDefinition.swagger.json" || len(conn.Operations) != 9 {
		t.Errorf("conn = kind %q ref %q ops %d", conn.PublisherKind, conn.Sources["definition"].Ref, len(conn.Operations))
	}
}

func TestImportIdempotent(t *testing.T) {
	a, _ := json.Marshal(importFixtures(t, fixtures))
	for i := range 3 {
		b, _ := json.Marshal(importFixtures(t, fixtures))
		if !bytes.Equal(a, b) {
			t.Fatalf("import %d differs from the first", i+2)
		}
	}
	// Re-importing into a catalogue that already holds the source
	// changes nothing either.
	cat := importFixtures(t, fixtures).Catalog
	before, _ := json.Marshal(cat)
	cat.Merge(importFixtures(t, fixtures).Catalog)
	after, _ := json.Marshal(cat)
	if !bytes.Equal(before, after) {
		t.Fatal("merging the same import again changed the catalogue")
	}
}

func TestImportMergeTwoSources(t *testing.T) {
	certified := filepath.Join(fixtures, "certified-connectors")
	custom := filepath.Join(fixtures, "custom-connectors")
	both := importFixtures(t, certified, custom)
	if got, want := ids(both.Catalog), []string{"acmewidgets", "acmewidgets-2", "bombakerypreview", "cycleworks", "renamedthing"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ids = %v, want %v", got, want)
	}
	if both.Files != 6 || len(both.Failed) != 1 || len(both.Catalog.Origins) != 2 || both.Catalog.Origins[1].Ref != custom {
		t.Errorf("files %d failed %d origins %+v", both.Files, len(both.Failed), both.Catalog.Origins)
	}
	// Importing the sources one at a time and merging gives the same
	// connectors (the id collision only shows within one import, so the
	// fork is imported after acmewidgets).
	merged := importFixtures(t, certified).Catalog
	second := importFixtures(t, custom).Catalog
	if got := ids(second); !reflect.DeepEqual(got, []string{"acmewidgets", "cycleworks", "renamedthing"}) {
		t.Fatalf("custom alone = %v", got)
	}
	merged.Merge(second)
	if got := ids(merged); !reflect.DeepEqual(got, []string{"acmewidgets", "bombakerypreview", "cycleworks", "renamedthing"}) {
		t.Errorf("merged ids = %v", got)
	}
	if len(merged.Origins) != 2 {
		t.Errorf("merged origins = %+v", merged.Origins)
	}
	// The same folder in two sources: the later source wins, no collision.
	twice := importFixtures(t, certified, fixtures)
	if got := ids(twice.Catalog); len(got) != 7 || twice.Files != 9 {
		t.Errorf("overlapping sources: ids %v files %d", got, twice.Files)
	}
}

// writeTarGz packs dir into a .tar.gz under prefix, plus extra entries.
func writeTarGz(t *testing.T, dir, prefix string, extra func(tw *tar.Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		name := prefix + "/" + filepath.ToSlash(rel)
		if d.IsDir() {
			return tw.WriteHeader(&tar.Header{Name: name + "/", Typeflag: tar.TypeDir, Mode: 0o755})
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(data))}); err != nil {
			return err
		}
		_, err = tw.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if extra != nil {
		extra(tw)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func addFile(t *testing.T, tw *tar.Writer, name, body string) {
	t.Helper()
	if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body))}); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Write([]byte(body)); err != nil {
		t.Fatal(err)
	}
}

// connectorsJSON compares catalogues without their origins.
func connectorsJSON(t *testing.T, c *catalog.Catalog) string {
	t.Helper()
	b, err := json.Marshal(c.Connectors)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestImportTarball(t *testing.T) {
	evil := `{"swagger":"2.0","info":{"title":"Evil"},"paths":{"/x":{"get":{"operationId":"X","responses":{}}}}}`
	data := writeTarGz(t, fixtures, "PowerPlatformConnectors-8bff86ea", func(tw *tar.Writer) {
		addFile(t, tw, "../certified-connectors/Evil/apiDefinition.swagger.json", evil)
		addFile(t, tw, "PowerPlatformConnectors-8bff86ea/x/../../Evil2/apiDefinition.swagger.json", evil)
		if err := tw.WriteHeader(&tar.Header{Name: "PowerPlatformConnectors-8bff86ea/custom-connectors/Link/apiDefinition.swagger.json", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"}); err != nil {
			t.Fatal(err)
		}
	})
	path := filepath.Join(t.TempDir(), "defs.tar.gz")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	fromDir := importFixtures(t, fixtures)
	fromTar := importFixtures(t, path)
	if fromTar.Files != fromDir.Files || !reflect.DeepEqual(fromTar.Failed, fromDir.Failed) || !reflect.DeepEqual(fromTar.Warnings, fromDir.Warnings) {
		t.Errorf("tarball: files %d failed %v warnings %d; directory: files %d failed %v warnings %d",
			fromTar.Files, fromTar.Failed, len(fromTar.Warnings), fromDir.Files, fromDir.Failed, len(fromDir.Warnings))
	}
	if connectorsJSON(t, fromTar.Catalog) != connectorsJSON(t, fromDir.Catalog) {
		t.Error("the tarball gives other connectors than the directory")
	}
	if fromTar.Catalog.Origins[0].Ref != path {
		t.Errorf("origin = %+v", fromTar.Catalog.Origins)
	}
}

func TestImportURL(t *testing.T) {
	data := writeTarGz(t, fixtures, "powerplatformconnectors", nil)
	mux := http.NewServeMux()
	mux.HandleFunc("/defs.tar.gz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(data) })
	mux.HandleFunc("/truncated.tar.gz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(data[:len(data)/2]) })
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html>not a tarball</html>")) })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	o := opts()
	o.HTTPClient = srv.Client()
	res, err := defs.Import(context.Background(), []string{srv.URL + "/defs.tar.gz"}, o)
	if err != nil {
		t.Fatal(err)
	}
	if connectorsJSON(t, res.Catalog) != connectorsJSON(t, importFixtures(t, fixtures).Catalog) {
		t.Error("the URL gives other connectors than the directory")
	}
	if res.Catalog.Origins[0].Ref != srv.URL+"/defs.tar.gz" {
		t.Errorf("origin = %+v", res.Catalog.Origins)
	}

	for _, tc := range []struct{ path, want string }{
		{"/missing.tar.gz", "HTTP 404"},
		{"/page.html", "not a tar or .tar.gz archive"},
	} {
		res, err := defs.Import(context.Background(), []string{srv.URL + tc.path}, o)
		if !errors.Is(err, defs.ErrNothingImported) || !errors.Is(err, defs.ErrBadSource) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.path, err, tc.want)
		}
		if res == nil || len(res.Failed) != 1 || res.Failed[0].Path != srv.URL+tc.path || len(res.Catalog.Connectors) != 0 {
			t.Errorf("%s: result = %+v", tc.path, res)
		}
	}
	// A truncated download keeps what was read and names the damage.
	res, err = defs.Import(context.Background(), []string{srv.URL + "/truncated.tar.gz"}, o)
	if err == nil && len(res.Failed) == 0 {
		t.Error("truncated download: no failure reported")
	}
	if err == nil && !strings.Contains(res.Failed[len(res.Failed)-1].Error+res.Failed[0].Error, "damaged") {
		t.Errorf("truncated download: failures %+v", res.Failed)
	}
}

func TestImportBadSources(t *testing.T) {
	_, err := defs.Import(context.Background(), []string{filepath.Join(t.TempDir(), "nope")}, opts())
	if !errors.Is(err, defs.ErrBadSource) || !errors.Is(err, defs.ErrNothingImported) {
		t.Errorf("missing path: err = %v", err)
	}
	empty := t.TempDir()
	res, err := defs.Import(context.Background(), []string{empty}, opts())
	if !errors.Is(err, defs.ErrNothingImported) || res.Files != 0 {
		t.Errorf("empty dir: err = %v", err)
	}
	junk := filepath.Join(t.TempDir(), "junk.tar.gz")
	_ = os.WriteFile(junk, []byte("\x1f\x8bnot really gzip"), 0o644)
	if _, err := defs.Import(context.Background(), []string{junk}, opts()); !errors.Is(err, defs.ErrBadSource) {
		t.Errorf("junk: err = %v", err)
	}
	// A bad source beside a good one: the good one is imported.
	res, err = defs.Import(context.Background(), []string{junk, fixtures}, opts())
	if err != nil || len(res.Catalog.Connectors) != 7 || res.Failed[0].Path != junk {
		t.Errorf("mixed: err %v failed %+v", err, res.Failed)
	}
}

func TestImportTooLargeFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "certified-connectors", "Huge")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// 50 MiB of valid JSON: a huge description.
	head, tail := `{"info":{"title":"Huge","description":"`, `"}}`
	big := []byte(head + strings.Repeat("a", 50<<20-len(head)-len(tail)) + tail)
	if err := os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := defs.Import(context.Background(), []string{filepath.Dir(dir)}, opts())
	if !errors.Is(err, defs.ErrNothingImported) {
		t.Fatalf("err = %v", err)
	}
	want := []defs.ImportError{{Path: "certified-connectors/Huge/apiDefinition.swagger.json",
		Error: "file too large: 50.0 MiB, over the 20 MiB limit for one file (is it really a connector definition?)"}}
	if res.Files != 1 || !reflect.DeepEqual(res.Failed, want) {
		t.Errorf("files %d failed %+v", res.Files, res.Failed)
	}
	// In a tarball (here an uncompressed one) the entry is refused from
	// its header.
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: "repo/certified-connectors/Huge/apiDefinition.swagger.json", Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(big))}); err != nil {
		t.Fatal(err)
	}
	_, _ = tw.Write(big)
	_ = tw.Close()
	tarPath := filepath.Join(t.TempDir(), "huge.tar")
	if err := os.WriteFile(tarPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	res, _ = defs.Import(context.Background(), []string{tarPath}, opts())
	if !reflect.DeepEqual(res.Failed, want) {
		t.Errorf("tarball: failed %+v", res.Failed)
	}
}

// manyOps writes a definition with n operations.
func manyOps(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"swagger":"2.0","info":{"title":"Many Ops","version":"1"},"paths":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"/items/%d":{"get":{"operationId":"Get%d","summary":"Get item %d","parameters":[{"name":"id","in":"query","type":"string"}],"responses":{"200":{"description":"OK","schema":{"$ref":"#/definitions/Item"}}}}}`, i, i, i)
	}
	b.WriteString(`},"definitions":{"Item":{"type":"object","properties":{"self":{"$ref":"#/definitions/Item"}}}}}`)
	return []byte(b.String())
}

func TestImportTenThousandOperations(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "custom-connectors", "Many Ops")
	_ = os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), manyOps(10_000), 0o644); err != nil {
		t.Fatal(err)
	}
	res := importFixtures(t, dir)
	if st := res.Catalog.Stats(); st != (catalog.Stats{Connectors: 1, Operations: 10_000, Actions: 10_000, Parameters: 10_000}) {
		t.Errorf("stats = %+v", st)
	}
	if op := res.Catalog.Connectors[0].Operations[9999]; op.ID != "Get9999" || op.Path != "/items/9999" {
		t.Errorf("last op = %+v", op)
	}
}

func BenchmarkImportTenThousandOperations(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "custom-connectors", "Many Ops")
	_ = os.MkdirAll(dir, 0o755)
	_ = os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), manyOps(10_000), 0o644)
	for b.Loop() {
		if _, err := defs.Import(context.Background(), []string{dir}, defs.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestImportProgressAndCancel(t *testing.T) {
	var mu sync.Mutex
	var calls [][2]int
	o := opts()
	o.Progress = func(done, total int) {
		mu.Lock()
		calls = append(calls, [2]int{done, total})
		mu.Unlock()
	}
	importFixtures(t, fixtures) // warm
	if _, err := defs.Import(context.Background(), []string{fixtures}, o); err != nil {
		t.Fatal(err)
	}
	// One call per swagger file read (9 plus none for the readme-only
	// folder), the last one complete.
	if len(calls) != 9 || calls[8] != [2]int{9, 9} {
		t.Errorf("progress calls = %v", calls)
	}
	for i, c := range calls {
		if c[0] != i+1 || c[1] < c[0] {
			t.Errorf("call %d = %v", i, c)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := defs.Import(ctx, []string{fixtures}, opts()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

func TestImportPlainFolder(t *testing.T) {
	// A folder that is not laid out like the repository: paths start at
	// the folder's own name and the publisher kind is unknown.
	dir := filepath.Join(t.TempDir(), "mine", "Widget Tool")
	_ = os.MkdirAll(dir, 0o755)
	src := filepath.Join(fixtures, "custom-connectors", "Renamed Thing", "renamedThing.swagger.json")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(dir, "api.swagger.json"), data, 0o644)
	res := importFixtures(t, filepath.Dir(dir))
	conn := res.Catalog.Connectors[0]
	if conn.Sources["definition"].Ref != "mine/Widget Tool/api.swagger.json" || conn.Folder != "Widget Tool" || conn.PublisherKind != catalog.PublisherUnknown {
		t.Errorf("ref %q folder %q kind %q", conn.Sources["definition"].Ref, conn.Folder, conn.PublisherKind)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings = %v", res.Warnings)
	}
}

func TestImportOneSwaggerFile(t *testing.T) {
	res := importFixtures(t, filepath.Join(fixtures, "certified-connectors", "Acme Widgets", "apiDefinition.swagger.json"))
	dir := importFixtures(t, filepath.Join(fixtures, "certified-connectors", "Acme Widgets"))
	if res.Files != 1 || connectorsJSON(t, res.Catalog) != connectorsJSON(t, dir.Catalog) {
		t.Errorf("a swagger file alone imports differently from its folder: files %d ids %v", res.Files, ids(res.Catalog))
	}
}
