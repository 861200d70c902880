package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/clio"
)

// The script contract of issue 13, one test per item, on invented
// fixtures (contract_fixture_test.go).

func TestSearchJSONHitsCarryContractFields(t *testing.T) {
	t.Parallel()
	dir := fixtureDir(t)
	code, out, errOut := connex(t, dir, "search", "warehouse stock", "--deprecated", "include", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Total uint64           `json:"total"`
		Hits  []map[string]any `json:"hits"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	byID := map[string]map[string]any{}
	for _, h := range res.Hits {
		byID[h["id"].(string)] = h
	}
	op := byID[longConnID+"/"+longOpID]
	want := map[string]any{
		"kind": "action", "id": longConnID + "/" + longOpID, "connector": longConnID,
		"connector_name": "Contoso Enterprise Resource Planning Warehouse Management Suite",
		"operation":      longOpID, "name": "Update the warehouse stock level for every location of the company (V3)",
		"tier": "premium", "publisher_kind": "certified", "preview": false, "deprecated": false, "internal": false,
		"docs_url": catalog.ReferenceBase + longConnID + "/",
	}
	for k, v := range want {
		if op[k] != v {
			t.Errorf("hit %s = %#v, want %#v", k, op[k], v)
		}
	}
	if _, ok := op["score"].(float64); !ok {
		t.Errorf("hit has no score: %v", op)
	}
	if dep := byID[longConnID+"/UpdateStockLevel"]; dep["deprecated"] != true {
		t.Errorf("deprecated operation: %v", dep)
	}
	if trig := byID[longConnID+"/OnStockLow"]; trig != nil && trig["preview"] != true {
		t.Errorf("preview trigger: %v", trig)
	}
}

func TestJSONFieldListAndJQ(t *testing.T) {
	t.Parallel()
	dir := fixtureDir(t)
	// gh style: --json FIELDS (the list is its value, not the query).
	code, out, errOut := connex(t, dir, "search", "warehouse", "--kind", "connector", "--json", "id,name,tier")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := `{
  "query": "warehouse",
  "total": 1,
  "hits": [
    {
      "id": "contosoenterpriseresourceplanningwarehouse",
      "name": "Contoso Enterprise Resource Planning Warehouse Management Suite",
      "tier": "premium"
    }
  ]
}
`
	if out != want {
		t.Errorf("--json id,name,tier:\n%s\nwant:\n%s", out, want)
	}
	code, out, _ = connex(t, dir, "search", "", "--deprecated", "include", "--jq", `.hits[] | select(.deprecated) | .id`)
	if code != 0 || out != longConnID+"/UpdateStockLevel\n" {
		t.Errorf("--jq: exit %d, %q", code, out)
	}
	code, out, _ = connex(t, dir, "show", longConnID, "--json", "id,tier", "--jq", ".tier")
	if code != 0 || out != "premium\n" {
		t.Errorf("show --json id,tier --jq .tier: exit %d, %q", code, out)
	}
	code, out, _ = connex(t, dir, "export", "--kind", "connector", "--json", "id", "--jq", "map(.id) | join(\",\")")
	if code != 0 || out != longConnID+","+hostileID+"\n" {
		t.Errorf("export --json id --jq: exit %d, %q", code, out)
	}
	code, _, errOut = connex(t, dir, "search", "x", "--json", "id,nosuch")
	if code != 1 || !strings.Contains(errOut, `unknown JSON field "nosuch"; available fields: kind, id, connector,`) {
		t.Errorf("unknown field: exit %d, %q", code, errOut)
	}
	code, _, errOut = connex(t, dir, "stats", "--jq", ".[")
	if code != 1 || !strings.Contains(errOut, `--jq ".[":`) {
		t.Errorf("bad jq: exit %d, %q", code, errOut)
	}
}

func TestExportJSONContract(t *testing.T) {
	t.Parallel()
	dir := fixtureDir(t)
	code, out, errOut := connex(t, dir, "export", "--connector", longConnID, "--deprecated", "include", "--kind", "action")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	for _, r := range rows {
		if !reflect.DeepEqual(r["products"], []any{"Logic Apps", "Power Automate"}) {
			t.Errorf("products = %#v, want an array", r["products"])
		}
		if r["docs_url"] != catalog.ReferenceBase+longConnID+"/" {
			t.Errorf("docs_url = %v", r["docs_url"])
		}
		wantRepl := ""
		if r["operation"] == "UpdateStockLevel" {
			wantRepl = longConnID + "/" + longOpID
		}
		if r["replaced_by"] != wantRepl {
			t.Errorf("%s replaced_by = %v, want %q", r["id"], r["replaced_by"], wantRepl)
		}
	}
	// Every row has every field, in the documented order.
	code, out, _ = connex(t, dir, "export", "--limit", "1")
	dec := json.NewDecoder(strings.NewReader(out))
	dec.Token() // [
	dec.Token() // {
	var keys []string
	for dec.More() {
		tok, _ := dec.Token()
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	if code != 0 || strings.Join(keys, ",") != strings.Join(exportHeader, ",") {
		t.Errorf("keys: %q", keys)
	}
	if got := strings.Join(exportHeader, ","); got != "kind,id,connector,connector_name,operation,name,method,path,tier,publisher,publisher_kind,products,preview,deprecated,replaced_by,visibility,parameters,docs_url,description" {
		t.Errorf("export fields changed: %s", got)
	}
}

func TestStatsJSONBreakdown(t *testing.T) {
	t.Parallel()
	if _, ok := reflect.TypeOf(catalog.Stats{}).FieldByName("ByTier"); !ok {
		t.Skip("catalog.Stats has no breakdown yet: it comes with branch merge (catalog/stats.go)")
	}
	code, out, errOut := connex(t, t.TempDir(), "stats", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var s map[string]any
	json.Unmarshal([]byte(out), &s)
	want := map[string]any{
		"by_tier":           map[string]any{"standard": 2.0, "premium": 1.0, "unknown": 0.0},
		"by_publisher_kind": map[string]any{"microsoft": 0.0, "certified": 1.0, "independent": 2.0, "custom": 0.0, "unknown": 0.0},
		"by_product":        map[string]any{"logic_apps": 3.0, "power_automate": 3.0, "power_apps": 3.0, "copilot_studio": 3.0, "none": 0.0},
		"preview":           1.0,
		"deprecated":        0.0,
		"by_source":         map[string]any{"site": 0.0, "list": 0.0, "api": 0.0, "definition": 0.0, "sample": 3.0},
	}
	for k, v := range want {
		if !reflect.DeepEqual(s[k], v) {
			t.Errorf("stats %s = %v, want %v", k, s[k], v)
		}
	}
	// Piped, the same counts as KEY<TAB>COUNT lines.
	_, out, _ = connex(t, t.TempDir(), "stats")
	if !strings.Contains(out, "by_tier.premium\t1\n") || !strings.Contains(out, "by_source.sample\t3\n") {
		t.Errorf("stats TSV:\n%s", out)
	}
}

func TestStatsTableAndTSV(t *testing.T) {
	t.Parallel()
	code, out, _ := connexTTY(t, t.TempDir(), 80, "stats")
	if code != 0 || !strings.HasPrefix(out, "Connectors         3\nOperations         12\n  Actions          10\n  Triggers         2\nParameters         14\nBy tier\n  Standard         2\n") {
		t.Errorf("stats on a terminal: exit %d\n%s", code, out)
	}
	code, out, errOut := connex(t, t.TempDir(), "stats")
	if code != 0 || !strings.HasPrefix(out, "connectors\t3\noperations\t12\nactions\t10\ntriggers\t2\nparameters\t14\n") {
		t.Errorf("stats piped: exit %d\n%s", code, out)
	}
	if strings.Contains(out, "SAMPLE") || !strings.Contains(errOut, "SAMPLE catalogue") {
		t.Errorf("piped: the sample notice belongs on stderr\nstdout %q\nstderr %q", out, errOut)
	}
}

// TestTableOnTerminalTSVWhenPiped: 80 columns never cut an id; names give
// way; piped output is TSV with nothing cut.
func TestTableOnTerminalTSVWhenPiped(t *testing.T) {
	t.Parallel()
	dir := fixtureDir(t)
	code, out, errOut := connexTTY(t, dir, 80, "search", "stock", "--deprecated", "include", "--kind", "action", "--limit", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := "KIND    ID                                                                                         NAME    FLAGS\n" +
		"action  contosoenterpriseresourceplanningwarehouse/UpdateTheWarehouseStockLevelForEveryLocationV3  Updat…  premium\n" +
		"action  contosoenterpriseresourceplanningwarehouse/UpdateStockLevel                                Updat…  premium deprecated\n" +
		"\n2 of 3 results (use --limit 0 for all)\n"
	if out != want {
		t.Errorf("terminal table:\n%s\nwant:\n%s", out, want)
	}
	// A shorter id leaves the name the rest of the line, cut at 80 columns.
	code, out, _ = connexTTY(t, dir, 80, "search", "report", "--kind", "action", "--connector", longConnID)
	want = "KIND    ID                                              NAME             FLAGS\n" +
		"action  contosoenterpriseresourceplanningwarehouse/Rep  Get a report o…  premium\n" +
		"\n1 of 1 results\n"
	if code != 0 || out != want {
		t.Errorf("terminal table:\n%s\nwant:\n%s", out, want)
	}
	code, out, errOut = connex(t, dir, "search", "stock", "--deprecated", "include", "--kind", "action", "--limit", "2")
	wantTSV := "action\tcontosoenterpriseresourceplanningwarehouse/UpdateTheWarehouseStockLevelForEveryLocationV3\tUpdate the warehouse stock level for every location of the company (V3)\tpremium\n" +
		"action\tcontosoenterpriseresourceplanningwarehouse/UpdateStockLevel\tUpdate the stock level [DEPRECATED]\tpremium deprecated\n"
	if code != 0 || out != wantTSV || errOut != "" {
		t.Errorf("piped: exit %d\n%q\nwant\n%q\nstderr %q", code, out, wantTSV, errOut)
	}
	// export --format table: the same rule.
	code, out, _ = connexTTY(t, dir, 80, "export", "--format", "table", "--kind", "action", "--connector", longConnID)
	if code != 0 || !strings.Contains(out, "action  "+longConnID+"/"+longOpID+"  ") {
		t.Errorf("export table: exit %d\n%s", code, out)
	}
	code, out, _ = connex(t, dir, "export", "--format", "table", "--kind", "connector", "--query", "warehouse")
	if code != 0 || out != "connector\t"+longConnID+"\tContoso Enterprise Resource Planning Warehouse Management Suite\tpremium\t\n" {
		t.Errorf("export table piped: exit %d %q", code, out)
	}
}

// TestShowNeverWrapsIDs: every id of the page is printed whole on one line.
func TestShowNeverWrapsIDs(t *testing.T) {
	t.Parallel()
	dir := fixtureDir(t)
	code, out, errOut := connexTTY(t, dir, 80, "show", longConnID)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, id := range []string{longConnID, longOpID, "UpdateStockLevel", "OnStockLow", "connex show " + longConnID + "/OPERATION_ID"} {
		if !strings.Contains(out, id) {
			t.Errorf("show lacks %q whole:\n%s", id, out)
		}
	}
	code, out, _ = connexTTY(t, dir, 80, "show", longConnID+"/UpdateStockLevel")
	if code != 0 || !strings.Contains(out, longConnID+"/"+longOpID) {
		t.Errorf("deprecation note cut the replacement id:\n%s", out)
	}
	code, out, _ = connexTTY(t, dir, 80, "show", longConnID+"/"+longOpID)
	if code != 0 || !strings.Contains(out, "warehouseLocationIdentifierWithALongKey") {
		t.Errorf("parameter key cut:\n%s", out)
	}
	for i, line := range strings.Split(out, "\n") {
		if len([]rune(line)) > 80 {
			t.Errorf("line %d wider than 80: %q", i+1, line)
		}
	}
}

func TestExitCodeTable(t *testing.T) {
	t.Parallel()
	dir := fixtureDir(t)
	// 2: an import where one file of two fails.
	src := t.TempDir()
	for name, body := range map[string]string{
		"Good": `{"swagger":"2.0","info":{"title":"Good One","version":"1"},"host":"good.invalid","paths":{"/a":{"get":{"operationId":"A","responses":{"200":{"description":"ok"}}}}}}`,
		"Bad":  `{"swagger":"2.0","info":{"title":"Bad One","version":"1"},"paths":{"/a":{"get":`,
	} {
		folder := filepath.Join(src, "custom-connectors", name)
		os.MkdirAll(folder, 0o755)
		os.WriteFile(filepath.Join(folder, "apiDefinition.swagger.json"), []byte(body), 0o644)
	}
	cases := []struct {
		name string
		dir  string
		args []string
		want int
	}{
		{"ok", dir, []string{"search", "warehouse"}, clio.ExitOK},
		{"no hits is ok", dir, []string{"search", "zzzqqqxxx"}, clio.ExitOK},
		{"no hits, json", dir, []string{"search", "zzzqqqxxx", "--json"}, clio.ExitOK},
		{"export of nothing", dir, []string{"export", "--query", "zzzqqqxxx"}, clio.ExitOK},
		{"bad flag value", dir, []string{"search", "x", "--tier", "gold"}, clio.ExitError},
		{"negative limit", dir, []string{"search", "x", "--limit", "-1"}, clio.ExitError},
		{"unknown flag", dir, []string{"stats", "--nosuch"}, clio.ExitError},
		{"partial import", t.TempDir(), []string{"import", src}, clio.ExitPartial},
		{"unknown connector", dir, []string{"show", "nosuch"}, clio.ExitNotFound},
		{"unknown operation", dir, []string{"show", longConnID + "/Nope"}, clio.ExitNotFound},
		{"unknown connector, json", dir, []string{"show", "nosuch", "--json"}, clio.ExitNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := connex(t, c.dir, c.args...)
			if code != c.want {
				t.Errorf("connex %s: exit %d, want %d\nstdout %s\nstderr %s", strings.Join(c.args, " "), code, c.want, out, errOut)
			}
		})
	}
	code, out, _ := connex(t, dir, "help", "exit-codes")
	if code != 0 || !strings.Contains(out, clio.ExitCodes) {
		t.Errorf("help exit-codes: exit %d\n%s", code, out)
	}
	for _, line := range []string{"  0  ok ", "  1  error ", "  2  partial ", "  3  not found "} {
		if !strings.Contains(clio.ExitCodes, line) {
			t.Errorf("exit code table lacks %q", line)
		}
	}
}

func TestLimitZeroMeansAll(t *testing.T) {
	t.Parallel()
	dir := fixtureDir(t)
	all := 2 + 6 // connectors + operations of the fixture
	count := func(args ...string) string {
		t.Helper()
		code, out, errOut := connex(t, dir, args...)
		if code != 0 {
			t.Fatalf("connex %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		return strings.TrimSpace(out)
	}
	if got := count("search", "", "--deprecated", "include", "--limit", "0", "--jq", ".hits | length"); got != "8" {
		t.Errorf("search --limit 0: %s hits, want %d", got, all)
	}
	if got := count("search", "", "--deprecated", "include", "--limit", "2", "--jq", ".hits | length"); got != "2" {
		t.Errorf("search --limit 2: %s hits", got)
	}
	if got := count("export", "--deprecated", "include", "--limit", "0", "--jq", "length"); got != "8" {
		t.Errorf("export --limit 0: %s rows, want %d", got, all)
	}
	if got := count("export", "--deprecated", "include", "--jq", "length"); got != "8" {
		t.Errorf("export without --limit: %s rows, want %d", got, all)
	}
	if got := count("export", "--deprecated", "include", "--limit", "3", "--jq", "length"); got != "3" {
		t.Errorf("export --limit 3: %s rows", got)
	}
}

// TestHostileTextOnTerminal is issue 15's reproduction through the real
// commands: nothing from connector text acts on a terminal, JSON escapes
// controls and bidi overrides even when piped, CSV neutralises formulas.
func TestHostileTextOnTerminal(t *testing.T) {
	t.Parallel()
	dir := fixtureDir(t)
	for _, args := range [][]string{
		{"search", "hostile"},
		{"search", "", "--connector", hostileID},
		{"show", hostileID},
		{"show", hostileID + "/Formula"},
		{"show", hostileID + "/Tab"},
		{"show", hostileID, "--json"},
		{"show", hostileID + "/Formula", "--json"},
		{"export", "--connector", hostileID, "--format", "csv"},
		{"export", "--connector", hostileID, "--format", "json"},
		{"export", "--connector", hostileID, "--format", "table"},
		{"export", "--connector", hostileID, "--jq", ".[].description"},
		{"search", "", "--connector", hostileID, "--json", "name", "--jq", ".hits[].name"},
		{"show", hostileID, "--jq", ".description, .publisher, .known_issues[0].summary"},
		{"export", "--query", "hostile", "--kind", "connector", "--jq", ".[].name"},
		{"show", "nosuch\x1b[2J"},
	} {
		code, out, errOut := connexTTY(t, dir, 80, args...)
		if code != 0 && args[1] != "nosuch\x1b[2J" {
			t.Errorf("connex %q: exit %d: %s", args, code, errOut)
		}
		assertTerminalSafe(t, strings.Join(args, " "), out)
		assertTerminalSafe(t, strings.Join(args, " ")+" (stderr)", errOut)
	}

	// Piped JSON: controls and bidi overrides escaped, text exact.
	code, out, _ := connex(t, dir, "show", hostileID, "--json")
	for _, esc := range []string{`\u001b[2J`, `\u001b]52;c;ZXZpbA==\u0007`, `safe text\rEVIL`, `abc\u202edef`, `c1\u009b2Jcsi`, `\t=1+1`} {
		if !strings.Contains(out, esc) {
			t.Errorf("show --json piped lacks %s", esc)
		}
	}
	var conn catalog.Connector
	if code != 0 || json.Unmarshal([]byte(out), &conn) != nil || conn.Description != strings.Join(hostile, " | ") {
		t.Errorf("show --json does not round-trip: exit %d, %q", code, conn.Description)
	}
	assertTerminalSafe(t, "show --json piped", out)

	// Piped CSV: formulas neutralised, text otherwise exact.
	code, out, _ = connex(t, dir, "export", "--connector", hostileID, "--kind", "action", "--format", "csv")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(recs) != 3 {
		t.Fatalf("csv: exit %d, %v, %d records\n%s", code, err, len(recs), out)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	got := map[string][2]string{}
	for _, r := range recs[1:] {
		got[r[col["operation"]]] = [2]string{r[col["name"]], r[col["description"]]}
	}
	if got["Formula"] != [2]string{"'" + hostile[6], "'" + hostile[5]} {
		t.Errorf("Formula row: %q", got["Formula"])
	}
	if got["Tab"] != [2]string{"'" + hostile[5], "'" + hostile[7]} {
		t.Errorf("Tab row: %q", got["Tab"])
	}
	for _, r := range recs[1:] {
		for i, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("column %s starts with a formula character: %q", recs[0][i], cell)
			}
		}
	}
}

// Issue 10: no dead ends. A query whose every word matches little falls
// back to most words and says so; JSON carries the flag.
func TestSearchFallsBackToMostWords(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, out, errOut := connex(t, dir, "search", "--json", "weather zzqqxx")
	if code != 0 || !strings.Contains(out, `"partial": true`) || !strings.Contains(out, `"id": "sampleweather/GetCurrentWeather"`) {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut = connex(t, dir, "search", "weather zzqqxx")
	if code != 0 || !strings.Contains(errOut, `Few results match every word of "weather zzqqxx": showing results matching most words.`) {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}
