package site

import (
	"bytes"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
)

func TestParseExportFixture(t *testing.T) {
	lf, err := os.ReadFile("testdata/zephyrmail.md")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("https://learn.microsoft.com/en-us/connectors/zephyrmail/")
	// The newer exports keep CRLF after the front matter: both parse alike.
	crlf := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
	var got []*catalog.Connector
	for _, data := range [][]byte{lf, crlf} {
		c, probs := ParseExport(bytes.NewReader(data), u)
		if c == nil || len(probs) != 0 {
			t.Fatalf("parse: %v %v", c, probs)
		}
		got = append(got, c)
	}
	if !reflect.DeepEqual(got[0], got[1]) {
		t.Error("LF and CRLF parse differently")
	}
	c := got[0]
	if c.ID != "zephyrmail" || c.Name != "Zephyr Mail" || !c.Preview || c.PageRevision != "0123456789abcdef0123456789abcdef01234567" ||
		c.Description != "Send and file messages with Zephyr Mail." || c.Tier != catalog.TierPremium || c.Publisher != "Zephyr Labs" {
		t.Errorf("header: %+v", c)
	}
	wantProducts := []catalog.Product{
		{Name: "Logic Apps", Class: catalog.TierStandard, Regions: "All Logic Apps regions except the following: Azure China regions; US Department of Defense (DoD)",
			Exceptions: []string{"Azure China regions", "US Department of Defense (DoD)"}},
		{Name: "Power Automate", Class: catalog.TierPremium, Regions: "All Power Automate regions"},
	}
	if !reflect.DeepEqual(c.Products, wantProducts) {
		t.Errorf("products %+v", c.Products)
	}
	wantContact := catalog.Contact{Name: "Zephyr Labs", URL: "https://support.zephyr.example.test/", Email: "help@zephyr.example.test",
		Links: []catalog.Link{{Title: "Zephyr support", URL: "https://support.zephyr.example.test/"}, {Title: "Zephyr forum", URL: "https://forum.zephyr.example.test/"}}}
	if !reflect.DeepEqual(c.Contact, wantContact) {
		t.Errorf("contact %+v", c.Contact)
	}
	var secs []string
	for _, s := range c.Sections {
		secs = append(secs, s.Title)
	}
	if want := []string{"Known issues and limitations", "Common errors", "Example"}; !reflect.DeepEqual(secs, want) {
		t.Errorf("sections %q", secs)
	}
	if len(c.Sections) == 3 && c.Sections[1].Body != "- 429: wait and retry." {
		t.Errorf("common errors body %q", c.Sections[1].Body)
	}
	if len(c.KnownIssues) != 1 || !reflect.DeepEqual(c.KnownIssues[0].OperationIDs, []string{"SendMessage", "SendMessage_V2"}) {
		t.Errorf("known issues %+v", c.KnownIssues)
	}
	if len(c.AuthTypes) != 2 || c.AuthTypes[0].ID != "keyAuth" || c.AuthTypes[0].Shareable != "Shareable" || c.AuthTypes[0].Applicable != "All regions" ||
		len(c.AuthTypes[0].Parameters) != 1 || c.AuthTypes[1].ID != "" || c.AuthTypes[1].Shareable != "Not shareable" {
		t.Errorf("auth %+v", c.AuthTypes)
	}
	if len(c.Throttling) != 1 || c.Throttling[0] != (catalog.Limit{Name: "API calls per connection", Value: "100", Renewal: "60 seconds"}) {
		t.Errorf("throttling %+v", c.Throttling)
	}
	type opv struct {
		id, name      string
		kind          catalog.OperationKind
		params        int
		dep           bool
		repl, replCon string
	}
	var ops []opv
	for _, op := range c.Operations {
		ops = append(ops, opv{op.ID, op.Name, op.Kind, len(op.Parameters), op.Deprecated, op.ReplacedBy, op.ReplacedByConnector})
	}
	want := []opv{
		{"SendMessage_V2", "Send message (V2)", catalog.KindAction, 2, false, "", ""},
		{"SendMessage", "Send message", catalog.KindAction, 1, true, "SendMessage_V2", ""},
		{"FileMessage", "File message", catalog.KindAction, 0, true, "file-a-message", "zephyrfiles"},
		{"OnMessage", "When a message arrives", catalog.KindTrigger, 0, false, "", ""},
	}
	if !reflect.DeepEqual(ops, want) {
		t.Errorf("operations\n got %+v\nwant %+v", ops, want)
	}
	if op := c.Operation("SendMessage"); op != nil && op.Description != "Sends a message." {
		t.Errorf("deprecated description %q", op.Description)
	}
	if op := c.Operation("OnMessage"); op == nil || !op.Dynamic {
		t.Error("dynamic trigger not marked")
	}
	if _, ok := c.Definitions["MessageResult"]; !ok || len(c.Definitions) != 1 {
		t.Errorf("definitions %v", c.Definitions)
	}
}

func TestMarkdownURL(t *testing.T) {
	u, _ := url.Parse("https://learn.microsoft.com/en-us/connectors/zephyrmail/")
	for page, want := range map[string]string{
		`<html><head><meta name="markdown_url" content="https://learn.microsoft.com/en-us/connectors/zephyrmail/?accept=text/markdown"></head><body></body></html>`: "https://learn.microsoft.com/en-us/connectors/zephyrmail/?accept=text/markdown",
		`<html><head><META NAME="markdown_url" CONTENT="?accept=text/markdown"/></head></html>`:                                                                     "https://learn.microsoft.com/en-us/connectors/zephyrmail/?accept=text/markdown",
		`<html><head><title>x</title></head><body><meta name="markdown_url" content="/late"></body></html>`:                                                         "",
		`<html><head><meta name="markdown_url" content="javascript:alert(1)"></head></html>`:                                                                        "",
		`<html><head><meta name="description" content="/x"></head></html>`:                                                                                          "",
	} {
		got, ok := MarkdownURL([]byte(page), u)
		if (want == "") == ok || ok && got.String() != want {
			t.Errorf("%s: %v %v, want %q", page, got, ok, want)
		}
	}
}

func TestParseExportRejectsHostile(t *testing.T) {
	u, _ := url.Parse("https://learn.microsoft.com/en-us/connectors/x/")
	for name, data := range map[string]string{
		"deep quotes": strings.Repeat(">", 10000) + " x\n",
		"deep lists":  strings.Repeat("- ", 5000) + "x\n",
		"huge":        strings.Repeat("a", MaxPageBytes+1),
	} {
		if c, probs := ParseExport(strings.NewReader(data), u); c != nil || len(probs) != 1 || !strings.Contains(probs[0].What, "page rejected") {
			t.Errorf("%s: %v %v", name, c != nil, probs)
		}
	}
}
