package audit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// callKeys lists "action -> api/operation-or-method path" for each call.
func callKeys(f *Flow) []string {
	var out []string
	for _, c := range f.Calls {
		op := c.OperationID
		if op == "" {
			op = c.Method + " " + c.Path
		}
		trig := ""
		if c.Trigger {
			trig = " (trigger)"
		}
		out = append(out, c.Action+trig+" -> "+c.API+" "+op)
	}
	return out
}

func loadOne(t *testing.T, p string) *Flow {
	t.Helper()
	fs, err := Load(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 {
		t.Fatalf("%s: %d flows, want 1", p, len(fs))
	}
	return fs[0]
}

func TestWalkFindsEveryNestedCall(t *testing.T) {
	f := loadOne(t, filepath.Join("testdata", "nested.definition.json"))
	if f.Name != "Nested fixture" {
		t.Errorf("name %q", f.Name)
	}
	want := []string{
		"When_a_row_is_added (trigger) -> shared_contosodb OnNewRow",
		"Custom -> shared_my-20api-5feca8e1ea20c64f-2de1df1a592ec41e GetThings",
		"Try/Each_row/Check/Send_mail -> shared_contosomail SendMailV2",
		"Try/Each_row/Check/else/Old_query -> shared_contosodb QueryRows",
		"Try/Route/Case_one/Hidden_call -> shared_contosodb InternalSync",
		"Try/Route/default/Retry/Preview_call -> shared_contosomail DraftMail",
		"Typo -> shared_contosomail SendMial",
	}
	if got := callKeys(f); !reflect.DeepEqual(got, want) {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// opLine summarises an operation's verdicts for comparison.
func opLine(conn ConnectorUse, o OperationUse) string {
	s := fmt.Sprintf("%s/%s %s uses=%d", conn.ID, o.ID, o.Kind, o.Uses)
	if o.Deprecated {
		s += " deprecated->" + o.ReplacedByConnector + "/" + o.ReplacedBy
	}
	if o.Preview {
		s += " preview"
	}
	if o.Internal {
		s += " internal"
	}
	if len(o.KnownIssues) > 0 {
		s += " issues=" + strings.Join(o.KnownIssues, ";")
	}
	if len(o.MatchedBy) > 0 {
		s += " by=" + strings.Join(o.MatchedBy, ";")
	}
	return s
}

func opLines(cs []ConnectorUse) []string {
	var out []string
	for _, c := range cs {
		for _, o := range c.Operations {
			out = append(out, opLine(c, o))
		}
	}
	return out
}

func TestVerdicts(t *testing.T) {
	a := New(fixtureCatalog(), Options{})
	r := a.Audit(context.Background(), filepath.Join("testdata", "nested.definition.json"))
	if len(r.Errors) != 0 {
		t.Fatal(r.Errors)
	}
	want := []string{
		"contosodatabase/InternalSync action uses=1 internal",
		"contosodatabase/OnNewRow trigger uses=1",
		"contosodatabase/QueryRows action uses=1 deprecated->contosowarehouse/SearchRows",
		"contosomail/DraftMail action uses=1 preview issues=Drafts lose formatting",
		"contosomail/SendMailV2 action uses=1 issues=Large attachments fail",
	}
	if got := opLines(r.Connectors); !reflect.DeepEqual(got, want) {
		t.Errorf("operations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !r.Premium || !r.Flows[0].Premium {
		t.Error("premium connector used, report says standard")
	}
	var because []string
	for _, c := range r.PremiumBecause {
		because = append(because, c.Action+"="+c.Connector+"/"+c.Operation)
	}
	// A custom connector is premium whatever it calls.
	wantBecause := []string{"When_a_row_is_added=contosodatabase/OnNewRow", "Custom=shared_my-20api-5feca8e1ea20c64f-2de1df1a592ec41e/GetThings",
		"Try/Each_row/Check/else/Old_query=contosodatabase/QueryRows", "Try/Route/Case_one/Hidden_call=contosodatabase/InternalSync"}
	if !reflect.DeepEqual(because, wantBecause) {
		t.Errorf("premium because %v, want %v", because, wantBecause)
	}
	if got := r.Connectors[0]; got.Tier != "premium" || got.Uses != 3 || got.Name != "Contoso Database" {
		t.Errorf("connector %+v", got)
	}
	if got := r.Connectors[1].Throttling; len(got) != 1 || got[0].Value != "100" {
		t.Errorf("throttling %+v", got)
	}
	var unknown []string
	for _, u := range r.Unknown {
		unknown = append(unknown, u.Action+": "+u.Connector+" "+u.Operation+": "+u.Reason)
	}
	wantUnknown := []string{
		"Custom: shared_my-20api-5feca8e1ea20c64f-2de1df1a592ec41e GetThings: custom connector (its id is environment-specific; not in any public catalogue)",
		"Typo: shared_contosomail SendMial: operation not in the catalogue's definition of contosomail",
	}
	if !reflect.DeepEqual(unknown, wantUnknown) {
		t.Errorf("unknown:\n%s\nwant:\n%s", strings.Join(unknown, "\n"), strings.Join(wantUnknown, "\n"))
	}
}

// The built-in steps that need a premium licence: the HTTP action and HTTP
// Webhook, the "When a HTTP request is received" trigger and its Response;
// a manual (button) trigger, also a Request, is standard. A connector the
// catalogue does not hold leaves the licence unknown, not standard.
func TestBuiltinPremiumSteps(t *testing.T) {
	a := New(fixtureCatalog(), Options{})
	flow := func(triggers, actions string) string {
		p := filepath.Join(t.TempDir(), "definition.json")
		doc := `{"properties":{"displayName":"F","definition":{"triggers":{` + triggers + `},"actions":{` + actions + `}}}}`
		if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tt := range []struct {
		name, triggers, actions string
		because                 []string
		licence                 string
	}{
		{"button trigger, standard connector", `"manual":{"type":"Request","kind":"Button"}`,
			`"Send":{"type":"OpenApiConnection","inputs":{"host":{"apiId":"/providers/Microsoft.PowerApps/apis/shared_contosomail","operationId":"SendMailV2"}}}`,
			nil, "standard licence"},
		{"HTTP trigger and response", `"manual":{"type":"Request","kind":"Http"}`,
			`"Reply":{"type":"Response","inputs":{"statusCode":200}}`,
			[]string{"F: manual (HTTP request trigger)", "F: Reply (HTTP response action)"}, "PREMIUM licence"},
		{"HTTP actions in a scope", `"manual":{"type":"Request","kind":"Button"}`,
			`"Try":{"type":"Scope","actions":{"Call":{"type":"Http","inputs":{"method":"GET","uri":"https://example.invalid"}},"Wait":{"type":"HttpWebhook"}}}`,
			[]string{"F: Try/Call (built-in HTTP action)", "F: Try/Wait (built-in HTTP action)"}, "PREMIUM licence"},
		{"unknown connector", `"manual":{"type":"Request","kind":"Button"}`,
			`"Post":{"type":"OpenApiConnection","inputs":{"host":{"apiId":"/providers/Microsoft.PowerApps/apis/shared_nowhere","operationId":"Post"}}}`,
			nil, "licence unknown"},
	} {
		r := a.Audit(context.Background(), flow(tt.triggers, tt.actions))
		if len(r.Errors) != 0 || len(r.Flows) != 1 {
			t.Fatalf("%s: %v", tt.name, r.Errors)
		}
		var because []string
		for _, c := range r.PremiumBecause {
			because = append(because, c.String())
		}
		if !reflect.DeepEqual(because, tt.because) || r.Licence() != tt.licence || r.Flows[0].Licence() != tt.licence {
			t.Errorf("%s: because %q, licence %q (flow %q); want %q, %q", tt.name, because, r.Licence(), r.Flows[0].Licence(), tt.because, tt.licence)
		}
	}
}

func TestOldShapeMatchesPaths(t *testing.T) {
	a := New(fixtureCatalog(), Options{})
	r := a.Audit(context.Background(), filepath.Join("testdata", "oldshape.definition.json"))
	if len(r.Errors) != 0 {
		t.Fatal(r.Errors)
	}
	want := []string{
		"contosodatabase/GetRow action uses=1 by=path (ambiguous: GetRow, GetRowByKey)",
		"contosodatabase/ListOrders action uses=1 by=path",
		"contosodatabase/OnChangedRows trigger uses=1 by=path",
		"contosomail/DraftMail action uses=1 preview issues=Drafts lose formatting by=hint",
		"contosomail/OnReply trigger uses=1 by=path",
	}
	if got := opLines(r.Connectors); !reflect.DeepEqual(got, want) {
		t.Errorf("operations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(r.Unknown) != 1 || r.Unknown[0].Action != "Unmatched" ||
		r.Unknown[0].Reason != "no operation of contosomail matches DELETE /nowhere/@{encodeURIComponent('x')}" {
		t.Errorf("unknown %+v", r.Unknown)
	}
}

func TestLogicAppsWorkflow(t *testing.T) {
	a := New(fixtureCatalog(), Options{})
	r := a.Audit(context.Background(), filepath.Join("testdata", "logicapp.workflow.json"))
	if len(r.Errors) != 0 || len(r.Unknown) != 0 {
		t.Fatal(r.Errors, r.Unknown)
	}
	if got := opLines(r.Connectors); !reflect.DeepEqual(got, []string{"contosomail/SendMailV2 action uses=1 issues=Large attachments fail by=path"}) {
		t.Errorf("operations %v", got)
	}
	if r.Premium {
		t.Error("standard connector only, report says premium")
	}
	if r.Flows[0].Name != "logicapp.workflow" {
		t.Errorf("name %q", r.Flows[0].Name)
	}
}

// TestLayouts reads one flow as a solution zip, a legacy package zip and
// an unpacked folder of each: the same calls every time, named from the
// solution or package.
func TestLayouts(t *testing.T) {
	flow := readTestdata(t, "nested.definition.json")
	dir := t.TempDir()
	sol := filepath.Join(dir, "solution.zip")
	writeZip(t, sol, [][2]string{
		{"solution.xml", "<ImportExportXml/>"},
		{"customizations.xml", `<ImportExportXml><Workflows><Workflow WorkflowId="{1}" Name="From the solution"><JsonFileName>/Workflows/Nested-1AD90513-B7A0-ED11-AAD1-0022482A43B9.json</JsonFileName></Workflow></Workflows></ImportExportXml>`},
		{"Workflows/Nested-1AD90513-B7A0-ED11-AAD1-0022482A43B9.json", "\ufeff" + flow},
	})
	pkg := filepath.Join(dir, "package.zip")
	writeZip(t, pkg, [][2]string{
		{"manifest.json", `{"resources": {"0e83eecd-6ba8-411a-a0bc-2f80099564dc": {"type": "Microsoft.Flow/flows", "details": {"displayName": "From the package"}}}}`},
		{"Microsoft.Flow/flows/manifest.json", `{}`},
		{"Microsoft.Flow/flows/0e83eecd-6ba8-411a-a0bc-2f80099564dc/definition.json", flow},
		{"Microsoft.Flow/flows/0e83eecd-6ba8-411a-a0bc-2f80099564dc/apisMap.json", `{}`},
	})
	want := callKeys(loadOne(t, filepath.Join("testdata", "nested.definition.json")))
	for _, tc := range []struct{ path, name string }{
		{sol, "From the solution"},
		{pkg, "From the package"},
	} {
		f := loadOne(t, tc.path)
		if f.Name != tc.name {
			t.Errorf("%s: name %q, want %q", tc.path, f.Name, tc.name)
		}
		if got := callKeys(f); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: calls differ:\n%s", tc.path, strings.Join(got, "\n"))
		}
	}
	// An unpacked package: the folder, and the definition.json alone.
	unz := filepath.Join(dir, "unpacked")
	writeFiles(t, unz, map[string]string{
		"manifest.json": `{"resources": {"0e83eecd-6ba8-411a-a0bc-2f80099564dc": {"type": "Microsoft.Flow/flows", "details": {"displayName": "Unpacked"}}}}`,
		"Microsoft.Flow/flows/0e83eecd-6ba8-411a-a0bc-2f80099564dc/definition.json": flow,
		"Workflows/Other-2578E499-0BE1-EC11-BB3C-000D3A233A82.json":                 readTestdata(t, "logicapp.workflow.json"),
		"notes/readme.json": `{"not": "a flow"}`,
	})
	fs, err := Load(unz, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range fs {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	if !reflect.DeepEqual(names, []string{"Other", "Unpacked"}) {
		t.Errorf("flows %v", names)
	}
}

func TestSegmentsMatch(t *testing.T) {
	w := string(wild)
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"items", "items", true},
		{"items", "Items", true},
		{"items", "item", false},
		{w, "anything", true},
		{w, w, true},
		{"forms('" + w + "')", "forms('" + w + "')", true},
		{"forms('" + w + "')", w, true},
		{"forms('" + w + "')", "forms(x)", false},
		{w + ".json", "a" + w, true},
		{w + ".json", "a.xml", false},
		{"$ref", "$ref", true},
	} {
		if got := segmentsMatch(tc.a, tc.b); got != tc.want {
			t.Errorf("segmentsMatch(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

func TestReplaceExpressions(t *testing.T) {
	w := string(wild)
	for in, want := range map[string]string{
		"/datasets/@{encodeURIComponent(encodeURIComponent('https://x/y'))}/tables": "/datasets/" + w + "/tables",
		"/a/@{body('x')?['Id']}/content":                                            "/a/" + w + "/content",
		"/a/@{concat('}', '{')}/b":                                                  "/a/" + w + "/b",
		"/a/@{concat('it''s', '}')}/b":                                              "/a/" + w + "/b",
		"/a/x@{variables('v')}.json":                                                "/a/x" + w + ".json",
		"/a/@{unterminated('/b/c'":                                                  "/a/" + w,
		"/v2/Mail":                                                                  "/v2/Mail",
	} {
		if got := replaceExpressions(in); got != want {
			t.Errorf("replaceExpressions(%q) = %q, want %q", in, got, want)
		}
	}
}
