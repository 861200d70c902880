package scraper

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
)

var siteUpdate = flag.Bool("site.update", false, "rewrite the site parser golden files")

func siteMustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func siteParseFixture(t *testing.T, name, id string) (*catalog.Connector, []ParseProblem) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "site", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return ParseConnectorPage(f, siteMustURL(t, "https://learn.microsoft.com/en-us/connectors/"+id+"/"))
}

func siteProblemTexts(ps []ParseProblem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.What
	}
	return out
}

func TestParseListPage(t *testing.T) {
	f, err := os.Open("testdata/site/list.html")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	base := siteMustURL(t, "https://learn.microsoft.com/en-us/connectors/connector-reference/")
	got, probs := ParseListPage(f, base)
	root := "https://learn.microsoft.com/en-us/connectors/"
	all3 := []string{catalog.ProductLogicApps, catalog.ProductPowerAutomate, catalog.ProductPowerApps}
	want := []ListEntry{
		{ID: "acmetasks", Name: "Acme Tasks", URL: root + "acmetasks/", IconURL: "https://icons.example.test/acmetasks/icon.png", Products: all3},
		{ID: "brightdocs", Name: "Bright Docs", URL: root + "brightdocs/", IconURL: "https://icons.example.test/brightdocs/icon.png",
			Premium: true, Preview: true, Products: []string{catalog.ProductPowerAutomate}, Publisher: "Bright Docs Ltd"},
		{ID: "cloudyq", Name: "Cloudy Queue MCP", URL: root + "cloudyq/", IconURL: root + "media/cloudyq.png", Premium: true, MCP: true,
			Products: []string{catalog.ProductPowerAutomate, catalog.ProductCopilotStudio}},
		{ID: "field-ops", Name: "Field Ops & More", URL: root + "field-ops/", IconURL: "https://icons.example.test/field-ops/icon.png",
			Deprecated: true, Products: []string{catalog.ProductLogicApps}},
		{ID: "nameless", Name: "nameless", URL: root + "nameless/", Products: []string{catalog.ProductPowerApps}},
		{ID: "quietlink", Name: "Quiet Link", URL: root + "quietlink/", IconURL: "https://icons.example.test/quietlink/icon.png",
			Preview: true, Products: []string{catalog.ProductPowerAutomate}},
		{ID: "zephyrmail", Name: "Zephyr Mail", URL: root + "zephyrmail/", IconURL: "https://icons.example.test/zephyrmail/icon.png", Products: all3},
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		t.Fatalf("entries:\n%s", g)
	}
	wantProbs := []string{
		`connector "nameless" has no display name on the list page; using its id`,
		`connector "acmetasks" listed twice; keeping the first`,
	}
	if p := siteProblemTexts(probs); !reflect.DeepEqual(p, wantProbs) {
		t.Fatalf("problems: %q", p)
	}
}

func TestParseConnectorPageFull(t *testing.T) {
	c, probs := siteParseFixture(t, "zephyrmail.html", "zephyrmail")
	if c == nil {
		t.Fatalf("page rejected: %v", probs)
	}
	if p := siteProblemTexts(probs); !reflect.DeepEqual(p, []string{`action "Ghost action" is listed in the summary but has no section of its own`}) {
		t.Errorf("problems: %q", p)
	}
	t.Run("header", func(t *testing.T) {
		if c.ID != "zephyrmail" || c.Name != "Zephyr Mail" || c.Preview || c.Deprecated {
			t.Errorf("id/name/markers: %q %q %v %v", c.ID, c.Name, c.Preview, c.Deprecated)
		}
		if want := "Zephyr Mail is an invented mail service used to test connex. It sends messages and keeps contacts.\n\nSecond paragraph of the description."; c.Description != want {
			t.Errorf("description %q", c.Description)
		}
		if c.Tier != catalog.TierPremium || c.Publisher != "Zephyr Labs" || c.PublisherKind != catalog.PublisherUnknown {
			t.Errorf("tier/publisher: %q %q %q", c.Tier, c.Publisher, c.PublisherKind)
		}
		wantProducts := []catalog.Product{
			{Name: "Copilot Studio", Class: catalog.TierPremium, Regions: "All Power Automate regions"},
			{Name: "Logic Apps", Class: catalog.TierStandard, Regions: "All Logic Apps regions except the following: Azure China regions; US Department of Defense (DoD)"},
			{Name: "Power Apps", Class: catalog.TierPremium, Regions: "All Power Apps regions"},
			{Name: "Power Automate", Class: catalog.TierPremium, Regions: "All Power Automate regions except the following: US Government (GCC High)"},
		}
		if !reflect.DeepEqual(c.Products, wantProducts) {
			t.Errorf("products %+v", c.Products)
		}
		if want := (catalog.Contact{Name: "Zephyr Labs Support", URL: "https://support.zephyr.example.test/", Email: "help@zephyr.example.test"}); !reflect.DeepEqual(c.Contact, want) {
			t.Errorf("contact %+v", c.Contact)
		}
		if c.Website != "https://zephyr.example.test/" || c.PrivacyPolicy != "https://zephyr.example.test/privacy" ||
			!reflect.DeepEqual(c.Categories, []string{"Communication", "Productivity"}) {
			t.Errorf("metadata %q %q %q", c.Website, c.PrivacyPolicy, c.Categories)
		}
		if c.DocsURL != "https://learn.microsoft.com/en-us/connectors/zephyrmail/" {
			t.Errorf("docs url %q", c.DocsURL)
		}
	})
	t.Run("limits", func(t *testing.T) {
		wantT := []catalog.Limit{{Name: "API calls per connection", Value: "600", Renewal: "60 seconds"}, {Name: "Frequency of trigger polls", Value: "1", Renewal: "120 seconds"}}
		if !reflect.DeepEqual(c.Throttling, wantT) {
			t.Errorf("throttling %+v", c.Throttling)
		}
		wantL := []catalog.Limit{{Name: "Maximum message size (in MB)", Value: "3"}, {Name: "Maximum recipients per message", Value: "500"}}
		if !reflect.DeepEqual(c.Limits, wantL) {
			t.Errorf("limits %+v", c.Limits)
		}
		wantK := []catalog.KnownIssue{
			{Summary: "Attachments larger than 3 MB are dropped."},
			{Summary: "The List folders action returns at most 500 folders."},
			{Summary: "Slow search", Operations: "SendMessageV2", Description: "Search may take a minute.\n\nRetry later."},
		}
		if !reflect.DeepEqual(c.KnownIssues, wantK) {
			t.Errorf("known issues %+v", c.KnownIssues)
		}
	})
	t.Run("auth", func(t *testing.T) {
		key := catalog.ConnectionParam{Name: "API key", DisplayName: "API key", Type: "securestring", Description: "Your Zephyr API key", Required: true}
		want := []catalog.AuthType{
			{ID: "keyAuth", Name: "API Key", Description: "Use a Zephyr API key.", Shareable: "Shareable", Applicable: "All regions",
				Parameters: []catalog.ConnectionParam{key, {Name: "Region", DisplayName: "Region", Type: "string", Description: "Data region, for example eu"}}},
			{ID: "keyAuth", Name: "API Key (Government)", Description: "Use a Zephyr API key in government clouds.", Shareable: "Shareable",
				Applicable: "US Government (GCC) only", Parameters: []catalog.ConnectionParam{key}},
			{ID: "keyAuthHigh", Name: "API Key (Government)", Description: "Second government variant.", Shareable: "Not shareable", Applicable: "US Government (GCC High) only"},
			{ID: "oauth", Name: "Zephyr OAuth", Description: "Sign in with a Zephyr account.", Shareable: "Not shareable", Applicable: "All regions"},
			{Name: "Default [DEPRECATED]", Description: "Older connections without an explicit authentication type.", Shareable: "Not shareable", Applicable: "All regions",
				Parameters: []catalog.ConnectionParam{
					{Name: "Account host", DisplayName: "Account host", Type: "string", Description: "Host of your Zephyr account", Required: true},
					{Name: "Client certificate", DisplayName: "Client certificate", Type: "clientCertificate"},
				}},
		}
		if !reflect.DeepEqual(c.AuthTypes, want) {
			g, _ := json.MarshalIndent(c.AuthTypes, "", " ")
			t.Errorf("auth types:\n%s", g)
		}
	})
	t.Run("operations", func(t *testing.T) {
		type row struct {
			id, name, anchor    string
			kind                catalog.OperationKind
			deprecated, preview bool
			dynamic             bool
			replacedBy          string
			params              int
		}
		want := []row{
			{"StartApproval", "Approve or reject - First wins", "approve-or-reject---first-wins", catalog.KindAction, false, false, true, "", 2},
			{"GetContact", "Get contact", "get-contact", catalog.KindAction, false, false, false, "", 1},
			{"ListFolders", "List folders", "list-folders", catalog.KindAction, false, false, false, "", 1},
			{"ListUserFolders", "List the user's folders", "list-the-user's-folders-[deprecated]", catalog.KindAction, true, false, false, "ListFolders", 0},
			{"RunQuery", "Run query", "run-query-(preview)", catalog.KindAction, false, true, false, "", 1},
			{"SendMessageV2", "Send message (V2)", "send-message-(v2)", catalog.KindAction, false, false, false, "", 4},
			{"SendMessage", "Send message", "send-message-[deprecated]", catalog.KindAction, true, false, false, "SendMessageV2", 1},
			{"DeleteSlot", "Shifts: Delete a slot", "shifts:-delete-a-slot", catalog.KindAction, false, false, false, "", 0},
			{"OnNewMessageV2", "When a message arrives (V2)", "when-a-message-arrives-(v2)", catalog.KindTrigger, false, false, false, "", 1},
		}
		var got []row
		for _, op := range c.Operations {
			got = append(got, row{op.ID, op.Name, op.Anchor, op.Kind, op.Deprecated, op.Preview, op.Dynamic, op.ReplacedBy, len(op.Parameters)})
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("operations:\n got %+v\nwant %+v", got, want)
		}
		for _, op := range c.Operations {
			if op.Deprecated || op.Preview {
				continue // the anchor keeps the marker the name lost
			}
			if op.Anchor != OperationAnchor(op.Name) {
				t.Errorf("%s: anchor %q, OperationAnchor gives %q", op.ID, op.Anchor, OperationAnchor(op.Name))
			}
		}
		send := c.Operation("SendMessageV2")
		wantP := []catalog.Parameter{
			{Name: "To", Key: "to", Required: true, Type: "email", Description: "Recipients separated by a semicolon"},
			{Name: "Subject", Key: "subject", Required: true, Type: "string", Description: "Subject line"},
			{Name: "Tags", Key: "tags", Type: "array of string", Description: "Labels"},
			{Name: "Attachment", Key: "file", Type: "file"},
		}
		if !reflect.DeepEqual(send.Parameters, wantP) {
			t.Errorf("SendMessageV2 parameters %+v", send.Parameters)
		}
		// Columns are mapped by header text, not position.
		if p := c.Operation("ListFolders").Parameters[0]; !reflect.DeepEqual(p, catalog.Parameter{Name: "Top count", Key: "$top", Type: "integer", Description: "How many folders"}) {
			t.Errorf("ListFolders parameter %+v", p)
		}
		// The deprecation note becomes Deprecated and ReplacedBy.
		if d := c.Operation("SendMessage").Description; d != "Sends a message." {
			t.Errorf("SendMessage description %q", d)
		}
		if d := c.Operation("ListUserFolders").Description; d != "" {
			t.Errorf("ListUserFolders description %q", d)
		}
		// A block without a description takes the summary table's.
		if d := c.Operation("DeleteSlot").Description; d != "Deletes a slot." {
			t.Errorf("DeleteSlot description %q", d)
		}
	})
	t.Run("returns", func(t *testing.T) {
		check := func(id string, want []catalog.Response) {
			t.Helper()
			got := c.Operation(id).Responses
			if !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				t.Errorf("%s responses %s", id, g)
			}
		}
		raw := func(s string) json.RawMessage { return json.RawMessage(s) }
		check("GetContact", []catalog.Response{{Status: "200", Description: "A contact", Schema: raw(`{"$ref":"#/definitions/Contact"}`)}})
		check("ListUserFolders", []catalog.Response{{Status: "200", Schema: raw(`{"type":"array","items":{"$ref":"#/definitions/Folder"}}`)}})
		check("RunQuery", []catalog.Response{{Status: "200", Schema: raw(`{"type":"object"}`)}})
		check("ListFolders", []catalog.Response{{Status: "200", Fields: []catalog.Field{
			{Name: "Folders", Path: "value", Type: "array of Folder", Description: "The folders"},
			{Name: "Next link", Path: "@odata.nextLink", Type: "string"},
		}}})
		check("StartApproval", nil)
		check("OnNewMessageV2", []catalog.Response{{Status: "200", Description: "Represents a wrapper object for batch trigger response",
			Schema: raw(`{"$ref":"#/definitions/TriggerBatchResponse[Message]"}`)}})
	})
	t.Run("definitions", func(t *testing.T) {
		want := map[string]string{
			"TriggerBatchResponse[Message]": `{"type":"object","properties":{"value":{"type":"array","items":{"$ref":"#/definitions/Message"},"description":"A list of the response objects","x-ms-summary":"value"}},"description":"Represents a wrapper object for batch trigger response"}`,
			"Message":                       `{"type":"object","properties":{"id":{"type":"string","description":"Id of the message","x-ms-summary":"Message id"},"from":{"type":"object","properties":{"address":{"type":"string","format":"email","description":"Sender","x-ms-summary":"From address"}}},"receivedAt":{"type":"string","format":"date-time","x-ms-summary":"Received"}},"description":"A mail message."}`,
			"Contact":                       `{"type":"object","properties":{"name":{"type":"string","description":"Full name","x-ms-summary":"Name"},"age":{"type":"integer","x-ms-summary":"Age"}},"description":"A contact."}`,
			"Folders":                       `{"$ref":"#/definitions/Folder","description":"A list of folders","x-ms-summary":"Items"}`,
			"Folder":                        `{"type":"object","properties":{"name":{"type":"string","x-ms-summary":"Folder name"}}}`,
			"object":                        `{"type":"object","description":"This is the type 'object'."}`,
		}
		if len(c.Definitions) != len(want) {
			t.Errorf("%d definitions, want %d", len(c.Definitions), len(want))
		}
		for name, w := range want {
			if got := string(c.Definitions[name]); got != w {
				t.Errorf("definition %s:\n got %s\nwant %s", name, got, w)
			}
			if !json.Valid(c.Definitions[name]) {
				t.Errorf("definition %s is not valid JSON", name)
			}
		}
	})
	t.Run("golden", func(t *testing.T) {
		siteGolden(t, "zephyrmail.golden.json", c)
	})
}

// siteGolden compares v, as indented JSON, with a golden file; -site.update
// rewrites it.
func siteGolden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "site", name)
	if *siteUpdate {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -site.update to create it)", err, t.Name())
	}
	if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
		t.Errorf("%s differs from the parse; run with -site.update after checking", path)
	}
}

func TestParseConnectorPageOddities(t *testing.T) {
	c, probs := siteParseFixture(t, "oddities.html", "oddconnector")
	if c == nil {
		t.Fatalf("page rejected: %v", probs)
	}
	wantProbs := []string{
		"no <h1>; display name taken from <title>",
		`availability table: unknown service "Power Pages"`,
		`connector metadata: unknown row "mascot"`,
		"throttling limits section without a table",
		`operation "Fetch item": parameter table without a header; read by position`,
		`action "Store item" has no Operation ID; using its anchor "store-item"`,
		`operation "Store item again": returns table without a header; read by position`,
		`operation id "FetchItem" appears twice; keeping the first`,
	}
	if p := siteProblemTexts(probs); !reflect.DeepEqual(p, wantProbs) {
		t.Errorf("problems:\n%s", strings.Join(p, "\n"))
	}
	for _, p := range probs {
		if p.URL != "https://learn.microsoft.com/en-us/connectors/oddconnector/" {
			t.Errorf("problem URL %q", p.URL)
		}
	}
	if c.Name != "Odd Connector" || !c.Preview || c.Description != "An invented connector whose page breaks the usual layout." {
		t.Errorf("name %q preview %v description %q", c.Name, c.Preview, c.Description)
	}
	if c.Tier != catalog.TierStandard || len(c.Products) != 1 || c.Publisher != "Odd Works" {
		t.Errorf("tier %q products %+v publisher %q", c.Tier, c.Products, c.Publisher)
	}
	if want := []catalog.AuthType{{Name: "Default", Description: "Parameters for creating connection.", Applicable: "All regions", Shareable: "Not shareable"}}; !reflect.DeepEqual(c.AuthTypes, want) {
		t.Errorf("auth %+v", c.AuthTypes)
	}
	if len(c.Operations) != 2 {
		t.Fatalf("%d operations, want 2 (the nav's Actions heading is not content)", len(c.Operations))
	}
	fetch, store := c.Operations[0], c.Operations[1]
	if fetch.ID != "FetchItem" || fetch.Name != "Fetch item" || !fetch.Deprecated || fetch.Anchor != "fetch-item-(deprecated)" || fetch.Description != "Fetches an item." ||
		!reflect.DeepEqual(fetch.Parameters, []catalog.Parameter{{Name: "Item", Key: "item", Required: true, Type: "integer", Description: "Which item"}}) {
		t.Errorf("fetch %+v", fetch)
	}
	if store.ID != "store-item" || !reflect.DeepEqual(store.Parameters, []catalog.Parameter{{Name: "Body", Key: "body", Required: true, Type: "object", Description: "The item"}}) {
		t.Errorf("store %+v", store)
	}
}

func TestOperationAnchor(t *testing.T) {
	for name, want := range map[string]string{
		"Create contact (V2)":                  "create-contact-(v2)",
		"Post a message [DEPRECATED]":          "post-a-message-[deprecated]",
		"Shifts: Delete a shift [DEPRECATED]":  "shifts:-delete-a-shift-[deprecated]",
		"List the user's teams [DEPRECATED]":   "list-the-user's-teams-[deprecated]",
		"Approve or reject - First to respond": "approve-or-reject---first-to-respond",
	} {
		if got := OperationAnchor(name); got != want {
			t.Errorf("OperationAnchor(%q) = %q, want %q", name, got, want)
		}
	}
	page := siteMustURL(t, "https://learn.microsoft.com/en-us/connectors/sendmail/")
	for href, want := range map[string]string{
		"#create-contact-%28v2%29":                                "create-contact-(v2)",
		"/en-us/connectors/sendmail/#send-email-%28v4%29":         "send-email-(v4)",
		"https://learn.microsoft.com/en-us/connectors/sendmail#x": "x",
	} {
		if got, ok := siteFragment(href, page); !ok || got != want {
			t.Errorf("siteFragment(%q) = %q %v, want %q", href, got, ok, want)
		}
	}
	if _, ok := siteFragment("/en-us/connectors/other/#x", page); ok {
		t.Error("a link to another connector's page is not a same-page anchor")
	}
}

// siteDeepPage nests depth <div>s.
func siteDeepPage(depth int) []byte {
	return []byte("<html><body>" + strings.Repeat("<div>", depth) + "deep" + strings.Repeat("</div>", depth) + "</body></html>")
}

// siteHugePage is a well-formed page of about size bytes.
func siteHugePage(size int) []byte {
	row := []byte("<tr><td>API calls per connection</td><td>600</td><td>60 seconds</td></tr>\n")
	var b bytes.Buffer
	b.WriteString("<html><body><h1>Huge</h1><h2>Throttling Limits</h2><table>")
	b.Write(bytes.Repeat(row, size/len(row)+1))
	b.WriteString("</table></body></html>")
	return b.Bytes()
}

func TestSiteRejectsHostilePages(t *testing.T) {
	u := siteMustURL(t, "https://learn.microsoft.com/en-us/connectors/hostile/")
	for name, page := range map[string][]byte{
		"5000 deep": siteDeepPage(5000),
		"50 MiB":    siteHugePage(50 << 20),
	} {
		t.Run(name, func(t *testing.T) {
			c, probs := ParseConnectorPage(bytes.NewReader(page), u)
			if c != nil || len(probs) != 1 || !strings.HasPrefix(probs[0].What, "page rejected: ") {
				t.Fatalf("connector %v, problems %v", c, probs)
			}
			entries, lprobs := ParseListPage(bytes.NewReader(page), u)
			if entries != nil || len(lprobs) != 1 || !strings.HasPrefix(lprobs[0].What, "list page rejected: ") {
				t.Fatalf("entries %v, problems %v", entries, lprobs)
			}
		})
	}
	// Just under the limits is still read.
	if c, probs := ParseConnectorPage(bytes.NewReader(siteDeepPage(200)), u); c == nil {
		t.Errorf("200 deep rejected: %v", probs)
	}
	_, err := siteLoadHTML(bytes.NewReader(siteDeepPage(5000)))
	if !errors.Is(err, ErrPageTooDeep) {
		t.Errorf("deep page: %v", err)
	}
	_, err = siteLoadHTML(bytes.NewReader(siteHugePage(SiteMaxPageBytes + 1)))
	if !errors.Is(err, ErrPageTooLarge) {
		t.Errorf("large page: %v", err)
	}
	// A flat list of unclosed cells is wide, not deep.
	flat := "<table><tr>" + strings.Repeat("<td>x", 3000) + "</table>" + strings.Repeat("<p>para", 3000)
	if d := siteMaxDepth([]byte(flat)); d > 10 {
		t.Errorf("flat page measured %d deep", d)
	}
}
