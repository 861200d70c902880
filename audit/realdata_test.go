package audit_test

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/connex-dev/connex/audit"
	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/scraper/defs"
)

// The real flows (../shared/data/flows.tar.gz) checked against what a
// simple, independent reading of the same files says: a recursive walk of
// the JSON for connector calls, and for the older shape a regexp built
// from the swagger paths of the Power Platform API sample. The verdicts
// come from that sample imported by scraper/defs.

// untar extracts the members of a .tar.gz that keep wants into dir.
func untar(t *testing.T, src, dir string, keep func(string) bool) {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg || !keep(h.Name) || strings.Contains(h.Name, "..") {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(h.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(io.LimitReader(tr, 64<<20))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// apiSample is the Power Platform API sample, extracted once per test
// binary: shared_<id>/{api,swagger}.json.
type apiSample struct{ dir string }

func (s apiSample) swaggerPaths(t *testing.T, id string) map[string]map[string]struct {
	OperationID string `json:"operationId"`
} {
	t.Helper()
	var sw struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	data, err := os.ReadFile(filepath.Join(s.dir, "powerplatform", "apis", "shared_"+id, "swagger.json"))
	if err != nil {
		t.Fatalf("API sample has no %s: %v", id, err)
	}
	if err := json.Unmarshal(data, &sw); err != nil {
		t.Fatal(err)
	}
	return sw.Paths
}

var (
	exprRe     = regexp.MustCompile(`@\{.*?\}`)
	paramRe    = regexp.MustCompile(`\\\{[^}]*\\\}`)
	connNameRe = regexp.MustCompile(`\['shared_(.+?)(?:_\d+)?'\]`)
	sharedRe   = regexp.MustCompile(`shared_[A-Za-z0-9-]+`)
)

// expectedCalls walks any JSON for objects whose type is a connector
// call, and says "connector/operation" for each (a multiset).
func expectedCalls(t *testing.T, api apiSample, data []byte) map[string]int {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(strings.TrimPrefix(string(data), "\ufeff")), &v); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			typ, _ := x["type"].(string)
			if strings.Contains(typ, "ApiConnection") {
				out[expectedPair(t, api, x)]++
			}
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

func expectedPair(t *testing.T, api apiSample, action map[string]any) string {
	in := action["inputs"].(map[string]any)
	host := in["host"].(map[string]any)
	if op, ok := host["operationId"].(string); ok {
		id := host["apiId"].(string)
		return strings.TrimPrefix(id[strings.LastIndex(id, "/")+1:], "shared_") + "/" + op
	}
	name := host["connection"].(map[string]any)["name"].(string)
	id := connNameRe.FindStringSubmatch(name)[1]
	method, _ := in["method"].(string)
	p, _ := in["path"].(string)
	flowPath := exprRe.ReplaceAllString(p, "X")
	best, bestLen := "", -1
	for tmpl, ops := range api.swaggerPaths(t, id) {
		tmpl = strings.TrimPrefix(tmpl, "/{connectionId}")
		re := regexp.MustCompile("(?i)^" + paramRe.ReplaceAllString(regexp.QuoteMeta(tmpl), `[^/]+`) + "$")
		op, ok := ops[strings.ToLower(method)]
		if !ok || !re.MatchString(flowPath) {
			continue
		}
		if n := len(paramRe.ReplaceAllString(regexp.QuoteMeta(tmpl), "")); n > bestLen {
			best, bestLen = op.OperationID, n
		}
	}
	if best == "" {
		t.Fatalf("the test's own matcher finds no %s operation for %s %s", id, method, p)
	}
	return id + "/" + best
}

// auditedCalls is what the audit says, as the same multiset.
func auditedCalls(r *audit.Report) map[string]int {
	out := map[string]int{}
	for _, c := range r.Connectors {
		for _, o := range c.Operations {
			out[c.ID+"/"+o.ID] += o.Uses
		}
	}
	for _, u := range r.Unknown {
		out[strings.TrimPrefix(u.Connector, "shared_")+"/"+u.Operation]++
	}
	return out
}

// flowFiles are the unpacked flows of a sample's source folder.
func flowFiles(t *testing.T, sample string) []string {
	var out []string
	err := filepath.Walk(sample, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		slash := filepath.ToSlash(p)
		if strings.Contains(slash, "/solution/") || info.IsDir() {
			return nil
		}
		if strings.HasSuffix(slash, "/definition.json") || strings.Contains(slash, "/Workflows/") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// zipFlows is every flow entry of a zip, read without the audit code.
func zipFlows(t *testing.T, p string) [][]byte {
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out [][]byte
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, "/definition.json") && !strings.HasPrefix(f.Name, "Workflows/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

func addAll(dst, src map[string]int) {
	for k, v := range src {
		dst[k] += v
	}
}

func connectorIDs(calls map[string]int) []string {
	set := map[string]bool{}
	for k := range calls {
		id, _, _ := strings.Cut(k, "/")
		set[id] = true
	}
	var out []string
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

func TestRealFlows(t *testing.T) {
	data := realdata.Dir(t)
	tmp := t.TempDir()
	untar(t, filepath.Join(data, "flows.tar.gz"), tmp, func(string) bool { return true })
	samples, _ := filepath.Glob(filepath.Join(tmp, "powerautomate-samples", "samples", "*"))
	if len(samples) != 19 {
		t.Fatalf("%d samples, want 19", len(samples))
	}

	// Every flow document, read without the audit code.
	type input struct {
		path string
		docs [][]byte
		want map[string]int
	}
	var inputs []*input
	zips, files := 0, 0
	for _, s := range samples {
		ms, _ := filepath.Glob(filepath.Join(s, "solution", "*.zip"))
		for _, m := range ms {
			inputs = append(inputs, &input{path: m, docs: zipFlows(t, m)})
			zips++
		}
		for _, f := range flowFiles(t, s) {
			d, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			inputs = append(inputs, &input{path: f, docs: [][]byte{d}})
			files++
		}
	}
	if zips != 19 || files != 18 {
		t.Fatalf("%d zips and %d unpacked flows, want 19 and 18", zips, files)
	}
	// Only the API sample's folders the flows name are extracted.
	named := map[string]bool{}
	for _, in := range inputs {
		for _, d := range in.docs {
			for _, m := range sharedRe.FindAllString(string(d), -1) {
				named[m] = true
			}
		}
	}
	api := apiSample{dir: filepath.Join(tmp, "api")}
	untar(t, filepath.Join(data, "powerplatform-apis.tar.gz"), api.dir, func(name string) bool {
		parts := strings.Split(name, "/")
		return len(parts) == 4 && named[parts[2]] && (parts[3] == "api.json" || parts[3] == "swagger.json")
	})
	// What the files say.
	all := map[string]int{}
	for _, in := range inputs {
		in.want = map[string]int{}
		for _, d := range in.docs {
			addAll(in.want, expectedCalls(t, api, d))
		}
		addAll(all, in.want)
	}
	var known []string
	for _, id := range connectorIDs(all) {
		if _, err := os.Stat(filepath.Join(api.dir, "powerplatform", "apis", "shared_"+id)); err == nil {
			known = append(known, id)
		}
	}
	wantKnown := []string{"approvals", "commondataserviceforapps", "microsoftforms", "office365", "office365groups", "office365users", "sharepointonline", "teams"}
	if !reflect.DeepEqual(known, wantKnown) {
		t.Fatalf("connectors in the API sample %v, want %v", known, wantKnown)
	}
	// The catalogue: Microsoft's connectors, as the Power Platform API
	// importer reads them.
	res, err := defs.Import(context.Background(), []string{filepath.Join(data, "powerplatform-apis.tar.gz")}, defs.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a := audit.New(res.Catalog, audit.Options{})

	// Every input: exactly the calls the files hold, one flow per zip.
	for _, in := range inputs {
		rel, _ := filepath.Rel(tmp, in.path)
		r := a.Audit(context.Background(), in.path)
		if len(r.Errors) != 0 {
			t.Errorf("%s: %v", rel, r.Errors)
			continue
		}
		if len(r.Flows) != 1 {
			t.Errorf("%s: %d flows, want 1", rel, len(r.Flows))
		}
		if got := auditedCalls(r); !reflect.DeepEqual(got, in.want) {
			t.Errorf("%s:\n got %v\nwant %v", rel, got, in.want)
		}
	}

	// Everything at once, and verdicts checked by hand against the API
	// sample's api.json (tier) and swagger.json (deprecated).
	var paths []string
	for _, in := range inputs {
		paths = append(paths, in.path)
	}
	r := a.Audit(context.Background(), paths...)
	if got := auditedCalls(r); !reflect.DeepEqual(got, all) {
		t.Errorf("all inputs:\n got %v\nwant %v", got, all)
	}
	if len(r.Flows) != 37 || !r.Premium {
		t.Errorf("%d flows, premium %v", len(r.Flows), r.Premium)
	}
	byName := map[string]audit.FlowReport{}
	for _, f := range r.Flows {
		byName[f.Name] = f
	}
	sq := byName["Scheduled quote email"]
	if !sq.Premium || len(sq.PremiumBecause) != 1 || sq.PremiumBecause[0] != (audit.CallRef{Flow: "Scheduled quote email", Action: "List_records", Connector: "commondataserviceforapps", Operation: "ListRecords", Reason: audit.ReasonPremiumConnector}) {
		t.Errorf("Scheduled quote email: premium %v because %+v", sq.Premium, sq.PremiumBecause)
	}
	var other []string
	for _, f := range r.Flows {
		for _, c := range f.PremiumBecause {
			if c.Reason != audit.ReasonPremiumConnector {
				other = append(other, c.String())
			}
		}
	}
	// Checked by hand against the files: a custom connector, the HTTP
	// action, the HTTP request trigger (kind Http; the other flows'
	// manual triggers are Buttons) and the Response action make a flow
	// premium too. Each flow is read twice (its zip and its folder).
	customGraph := "shared_microsoft-20graph-20api-20demo-5feca8e1ea20c64f-2de1df1a592ec41e/GetOrganizationUsers in Get Organization Users: Do_until/Switch_on_Do_Until/default/Get_Organization_Users (custom connector)"
	orgUsers := []string{customGraph,
		"Get Organization Users: manual (HTTP request trigger)",
		"Get Organization Users: Do_until/Switch_on_Do_Until/Paging_Available/Get_Organization_Users_-_Skip_Token (built-in HTTP action)",
		"Get Organization Users: Send_Response_to_Power_BI (HTTP response action)"}
	guests := []string{
		"shared_graphapi-5f04d5eb22c34423fb-5f448e0b83a75acf03/Invite in Approve Guest user access to team: Condition/Condition_2/else/Invite (custom connector)",
		"shared_graphapi-5f04d5eb22c34423fb-5f448e0b83a75acf03/GetUser in Approve Guest user access to team: Condition/GetUser (custom connector)",
		"shared_graphapi-5f04d5eb22c34423fb-5f448e0b83a75acf03/GetOwners in Approve Guest user access to team: Get_Owners (custom connector)"}
	apply := "Apply Template: manual (HTTP request trigger)"
	wantOther := slices.Concat(orgUsers, orgUsers, []string{apply, apply}, guests, guests)
	if !reflect.DeepEqual(other, wantOther) {
		t.Errorf("premium without a premium connector:\n%s\nwant\n%s", strings.Join(other, "\n"), strings.Join(wantOther, "\n"))
	}
	ics := byName["ICS Invite"]
	if ics.Premium {
		t.Error("ICS Invite uses SharePoint and Outlook only (both standard), reported premium")
	}
	var icsOps []string
	for _, c := range ics.Connectors {
		for _, o := range c.Operations {
			icsOps = append(icsOps, fmt.Sprintf("%s/%s %s %v", c.ID, o.ID, o.Kind, o.MatchedBy))
		}
	}
	wantICS := []string{"office365/SendEmailV2 action [path]", "sharepointonline/CreateFile action [path]",
		"sharepointonline/GetFileContent action [path]", "sharepointonline/GetOnNewItems trigger [path]"}
	if !reflect.DeepEqual(icsOps, wantICS) {
		t.Errorf("ICS Invite operations %v, want %v", icsOps, wantICS)
	}
	var deprecated []string
	for _, c := range r.Connectors {
		for _, o := range c.Operations {
			if o.Deprecated {
				deprecated = append(deprecated, fmt.Sprintf("%s/%s x%d", c.ID, o.ID, o.Uses))
			}
		}
	}
	// office365groups' HttpRequest is deprecated (HttpRequestV2 is its
	// successor); SharePoint's HttpRequest is not.
	if want := []string{"office365groups/HttpRequest x2"}; !reflect.DeepEqual(deprecated, want) {
		t.Errorf("deprecated %v, want %v", deprecated, want)
	}
	var custom []string
	for _, u := range r.Unknown {
		custom = append(custom, u.Flow+": "+u.Operation)
		if !strings.HasPrefix(u.Reason, "custom connector") {
			t.Errorf("%+v: reason", u)
		}
	}
	sort.Strings(custom)
	wantCustom := []string{"Approve Guest user access to team: GetOwners", "Approve Guest user access to team: GetOwners",
		"Approve Guest user access to team: GetUser", "Approve Guest user access to team: GetUser",
		"Approve Guest user access to team: Invite", "Approve Guest user access to team: Invite",
		"Get Organization Users: GetOrganizationUsers", "Get Organization Users: GetOrganizationUsers"}
	if !reflect.DeepEqual(custom, wantCustom) {
		t.Errorf("unknown %v", custom)
	}
}
