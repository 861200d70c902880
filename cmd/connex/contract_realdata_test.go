package main

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
)

// TestScriptContractRealData checks the script contract on the full
// imported catalogue (skips without ../shared): --limit 0 is everything,
// stats --json is the catalogue's counts, search hits carry the contract
// fields, and an 80-column table keeps every real id whole.
func TestScriptContractRealData(t *testing.T) {
	t.Parallel()
	c := realdata.Catalog(t)
	dir := t.TempDir()
	if err := catalog.Save(filepath.Join(dir, catalog.SnapshotFile), c); err != nil {
		t.Fatal(err)
	}
	s := c.Stats()
	all := strconv.Itoa(s.Connectors + s.Operations)
	run := func(args ...string) string {
		t.Helper()
		code, out, errOut := connex(t, dir, args...)
		if code != 0 {
			t.Fatalf("connex %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		return out
	}
	everything := []string{"--deprecated", "include", "--internal", "--limit", "0"}
	if got := strings.TrimSpace(run(append([]string{"search", "", "--jq", ".hits | length"}, everything...)...)); got != all {
		t.Errorf("search --limit 0: %s hits, want %s", got, all)
	}
	if got := strings.TrimSpace(run(append([]string{"export", "--jq", "length"}, everything...)...)); got != all {
		t.Errorf("export --limit 0: %s rows, want %s", got, all)
	}
	var stats catalog.Stats
	if err := json.Unmarshal([]byte(run("stats", "--json")), &stats); err != nil || stats != s {
		t.Errorf("stats --json = %+v, want %+v (%v)", stats, s, err)
	}

	// Hits carry tier, publisher kind and the docs URL of their connector.
	var res struct {
		Hits []searchHit `json:"hits"`
	}
	json.Unmarshal([]byte(run("search", "send email", "--limit", "0", "--json", "id,connector,tier,publisher_kind,docs_url,preview,deprecated")), &res)
	if len(res.Hits) == 0 {
		t.Fatal("no hits for send email")
	}
	for _, h := range res.Hits {
		conn, _ := c.Connector(h.Connector)
		if h.Tier != string(conn.Tier) || h.PublisherKind != string(conn.PublisherKind) || h.DocsURL != conn.DocumentationURL() {
			t.Errorf("hit %s: tier %q kind %q docs %q; connector says %q %q %q", h.ID, h.Tier, h.PublisherKind, h.DocsURL, conn.Tier, conn.PublisherKind, conn.DocumentationURL())
		}
	}

	// At 80 columns every id is printed whole, the longest included.
	longest := ""
	for _, conn := range c.Connectors {
		for _, op := range conn.Operations {
			if id := conn.ID + "/" + op.ID; len(id) > len(longest) {
				longest = id
			}
		}
	}
	code, table, _ := connexTTY(t, dir, 80, append([]string{"search", ""}, everything...)...)
	if code != 0 {
		t.Fatalf("search table: exit %d", code)
	}
	// A row starts at the left margin; an id much longer than most ends
	// its line, and the rest of its row is on the next lines, indented.
	var lines []string
	for _, l := range strings.Split(table, "\n") {
		if !strings.HasPrefix(l, " ") {
			lines = append(lines, l)
		}
	}
	var ids struct {
		Hits []searchHit `json:"hits"`
	}
	json.Unmarshal([]byte(run(append([]string{"search", "", "--json", "id"}, everything...)...)), &ids)
	for i, h := range ids.Hits {
		if !strings.Contains(lines[i+1], "  "+h.ID+"  ") && !strings.HasSuffix(lines[i+1], "  "+h.ID) {
			t.Fatalf("table line %d lacks the whole id %q: %q", i+2, h.ID, lines[i+1])
		}
	}
	if !strings.Contains(table, longest) {
		t.Errorf("the longest id %q is not whole in the table", longest)
	}
	connID, _, _ := strings.Cut(longest, "/")
	code, page, _ := connexTTY(t, dir, 80, "show", connID)
	conn, _ := c.Connector(connID)
	for _, op := range conn.Operations {
		if code != 0 || !strings.Contains(page, "\n"+op.ID+" ") && !strings.Contains(page, "\n"+op.ID+"\n") {
			t.Errorf("show %s: operation id %q not whole at the start of a line", connID, op.ID)
		}
	}
}

// TestShowOutlookSendEmailFromAPISample is issue 9's first "Must show":
// after importing the Power Platform API sample, `connex show
// office365/SendEmailV2 --json` gives the request, the tier and the body's
// fields (the definition's, inlined from its $ref).
func TestShowOutlookSendEmailFromAPISample(t *testing.T) {
	t.Parallel()
	apis := filepath.Join(realdata.Dir(t), "powerplatform-apis.tar.gz")
	dir := t.TempDir()
	if code, _, errOut := connex(t, dir, "import", apis); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	code, out, errOut := connex(t, dir, "show", "office365/SendEmailV2", "--json", "method,path,tier,body_fields",
		"--jq", `.method + " " + .path + " " + .tier + " " + ([.body_fields[] | .path + (if .required then "*" else "" end)] | join(","))`)
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, errOut)
	}
	want := "POST /{connectionId}/v2/Mail standard To*,Subject*,Body*,From,Cc,Bcc,Attachments,Attachments[].Name*,Attachments[].ContentBytes*,Sensitivity,ReplyTo,Importance\n"
	if out != want {
		t.Errorf("show office365/SendEmailV2 = %q\nwant %q", out, want)
	}
	code, page, _ := connexTTY(t, dir, 80, "show", "office365/SendEmailV2")
	if code != 0 || !strings.Contains(page, "Request:       POST /apim/office365/{connectionId}/v2/Mail\n") ||
		!strings.Contains(page, "\nTo: string (email), required\n") {
		t.Errorf("show page (exit %d):\n%s", code, page)
	}
}
