package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connex-dev/connex/internal/ppfake"
	"github.com/connex-dev/connex/internal/realdata"
)

// The whole platform path from the command line, against the local fake
// built from the real replies of SharePoint and Office 365 Outlook: choose
// an environment, import what it offers, list connections, call Get items
// through a connection by both routes, and the platform's refusals.
func TestPlatformCommandsAgainstTheFake(t *testing.T) {
	dir := realdata.Dir(t)
	apis, err := ppfake.LoadArchive(filepath.Join(dir, "powerplatform-apis.tar.gz"), "sharepointonline", "office365")
	if err != nil {
		t.Fatal(err)
	}
	fake, err := ppfake.Start(apis, ppfake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	const env = "Default-0000"
	const token = "test-token-abc123"
	fake.AcceptToken(token)
	fake.AddEnvironment(ppfake.Environment{Name: env, DisplayName: "Contoso", Default: true})
	rid := "/subscriptions/0000-1111/resourceGroups/rg/providers/Microsoft.Web/connections/sp"
	fake.AddConnection(ppfake.Connection{Name: "shared-sharepointonl-1", Connector: "sharepointonline", Environment: env,
		DisplayName: "ada@contoso.com", CreatedBy: "ada@contoso.com", ResourceID: rid})
	fake.AddConnection(ppfake.Connection{Name: "shared-sharepointonl-dlp", Connector: "sharepointonline", Environment: env, Refuse: 442})

	t.Setenv("CONNEX_PLATFORM_URL", fake.URL)
	t.Setenv("CONNEX_ACCESS_TOKEN", token)
	t.Setenv("CONNEX_CONFIG_DIR", t.TempDir())
	data := t.TempDir()

	if code, out, errOut := connex(t, data, "login", "--method", "token"); code != 0 || !strings.HasPrefix(out, "Signed in as") {
		t.Fatalf("login: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := connex(t, data, "env", "use", "Contoso"); code != 0 || out != "Using Contoso (Default-0000).\n" {
		t.Fatalf("env use: %d %q %q", code, out, errOut)
	}
	code, out, errOut := connex(t, data, "import", "--environment", "current", "--json")
	if code != 0 {
		t.Fatalf("import --environment: %d %s %s", code, out, errOut)
	}
	var imp struct {
		Connectors int `json:"connectors"`
	}
	if err := json.Unmarshal([]byte(out), &imp); err != nil || imp.Connectors != 2 {
		t.Fatalf("import --environment: %s (%v)", out, err)
	}
	code, out, _ = connex(t, data, "connections", "sharepointonline")
	if code != 0 || !strings.Contains(out, "shared-sharepointonl-1") || !strings.Contains(out, "ada@contoso.com") {
		t.Fatalf("connections: %d\n%s", code, out)
	}

	getItems := []string{"call", "sharepointonline/GetItems", "-p", "dataset=https://contoso.sharepoint.com/sites/hr", "-p", "table=Issues"}
	// Without a connection, the user is told what to pass.
	code, _, errOut = connex(t, data, getItems...)
	if code != 1 || !strings.Contains(errOut, "go through a Power Platform connection: pass --connection ID") {
		t.Fatalf("call without a connection: %d %q", code, errOut)
	}
	// Dry run: the URL on the runtime host (the site address encoded twice,
	// as x-ms-url-encoding: double asks), the token masked.
	code, out, errOut = connex(t, data, append(getItems, "--connection", "shared-sharepointonl-1", "--dry-run")...)
	if code != 0 || !strings.Contains(out, "GET "+fake.URL+"/apim/sharepointonline/shared-sharepointonl-1/datasets/https:%252F%252Fcontoso.sharepoint.com%252Fsites%252Fhr/tables/Issues/items") || strings.Contains(out, token) {
		t.Fatalf("dry run: %d\n%s\n%s", code, out, errOut)
	}
	// Route 1 and route 2 give the connector's answer.
	for _, conn := range []string{"shared-sharepointonl-1", rid} {
		code, out, errOut = connex(t, data, append(getItems, "--connection", conn, "--json")...)
		if code != 0 {
			t.Fatalf("call through %s: %d %s %s", conn, code, out, errOut)
		}
		var res struct {
			Response struct {
				Status int `json:"status"`
			} `json:"response"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil || res.Response.Status != 200 || strings.Contains(out, token) {
			t.Fatalf("call through %s: %s (%v)", conn, out, err)
		}
	}
	// Route 2's dry run shows the dynamicInvoke POST, token masked.
	code, out, _ = connex(t, data, append(getItems, "--connection", rid, "--dry-run")...)
	if code != 0 || !strings.Contains(out, "POST "+fake.URL+rid+"/dynamicInvoke?api-version=2016-06-01") ||
		!strings.Contains(out, `"path":"/datasets/https:%252F%252Fcontoso.sharepoint.com%252Fsites%252Fhr/tables/Issues/items"`) || strings.Contains(out, token) {
		t.Fatalf("route 2 dry run: %d\n%s", code, out)
	}
	// Route 2's connections, listed from the Azure subscriptions: the
	// resource id is what --connection takes.
	code, out, errOut = connex(t, data, "connections", "sharepointonline", "--azure")
	if code != 0 || out != "CONNECTOR         STATUS     NAME             RESOURCE ID\n"+
		"sharepointonline  Connected  ada@contoso.com  "+rid+"\n" {
		t.Fatalf("connections --azure: %d %q %q", code, out, errOut)
	}
	code, out, _ = connex(t, data, "connections", "office365", "--azure", "--json")
	if code != 0 || out != "[]\n" {
		t.Fatalf("connections office365 --azure --json: %d %q", code, out)
	}
	// A DLP policy's refusal is said plainly.
	code, _, errOut = connex(t, data, append(getItems, "--connection", "shared-sharepointonl-dlp")...)
	if code != 1 || !strings.Contains(errOut, "HTTP 442: blocked by a data loss prevention policy") || !strings.Contains(errOut, "environment Default-0000") {
		t.Fatalf("DLP: %d %q", code, errOut)
	}
	// A traversal in a path value never reaches the service.
	before := len(fake.Requests())
	code, _, errOut = connex(t, data, "call", "sharepointonline/GetItems", "-p", "dataset=x", "-p", "table=../../admin", "--connection", rid)
	if code != 1 || !strings.Contains(errOut, "dot segment") {
		t.Fatalf("traversal: %d %q", code, errOut)
	}
	if len(fake.Requests()) != before {
		t.Errorf("the refused call reached the fake")
	}
}
