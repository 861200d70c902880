package defs_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/scraper/defs"
)

// Made-up connectors in the Power Platform API's reply shapes.
const (
	replyContoso = `{"name":"shared_contosomail","id":"/providers/Microsoft.PowerApps/apis/shared_contosomail","type":"Microsoft.PowerApps/apis",
 "properties":{"displayName":"Contoso Mail","description":"Sends mail through Contoso.","tier":"Standard","publisher":"Microsoft",
  "iconUri":"https://icons.example/contoso.png","capabilities":["Actions","triggers","actions"],
  "metadata":{"source":"marketplace","brandColor":"#112233"},
  "connectionParameters":{"token":{"type":"oauthSetting","uiDefinition":{"displayName":"Sign in"}}},
  "isCustomApi":false,}}`
	swaggerContoso = `{"swagger":"2.0","info":{"title":"Contoso Mail","version":"1.0"},"host":"region-001.example-apim.net","basePath":"/apim/contosomail","schemes":["https"],
 "paths":{"/{connectionId}/v2/Mail":{"post":{"operationId":"SendMail","summary":"Send mail","parameters":[
   {"name":"connectionId","in":"path","required":true,"type":"string"},
   {"name":"body","in":"body","required":true,"schema":{"$ref":"#/definitions/Mail"}}],"responses":{"200":{"description":"OK"}}}},
  "/{connectionId}/trigger/new":{"get":{"operationId":"OnNewMail","x-ms-trigger":"batch","responses":{"200":{"description":"OK"}}},
   "delete":{"operationId":"Forget","responses":{"200":{"description":"OK"}}}}},
 "definitions":{"Mail":{"type":"object","properties":{"To":{"type":"string"},"Subject":{"type":"string"}}}}}`
	// A partner's connector, the reply with its swagger inline and the
	// runtime URL the live API adds; the swagger has no host.
	replyInline = `{"name":"shared_fabrikamip","properties":{"displayName":"Fabrikam (Independent Publisher)","tier":"Premium","publisher":"Jane Doe",
 "metadata":{"source":"marketplace","brandColor":"#abcdef","stackOwner":"Fabrikam"},"capabilities":["actions"],
 "primaryRuntimeUrl":"https://region-002.example-apim.net/apim/fabrikamip","runtimeUrls":["https://region-002.example-apim.net/apim/fabrikamip"],
 "connectionParameterSets":{"uiDefinition":{},"values":[
   {"name":"key","uiDefinition":{"displayName":"API key"},"parameters":{"api_key":{"type":"securestring","uiDefinition":{"displayName":"Key","constraints":{"required":"true"}}}}},
   {"name":"oauth","uiDefinition":{"displayName":"Sign in"},"parameters":{"token":{"type":"oauthSetting"}}}]},
 "swagger":{"swagger":"2.0","info":{"title":"Fabrikam"},"paths":{"/{connectionId}/items":{"get":{"operationId":"ListItems","responses":{}}}}}}}`
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func checkContoso(t *testing.T, c *catalog.Catalog) {
	t.Helper()
	conn, ok := c.Connector("contosomail")
	if !ok {
		t.Fatalf("no contosomail in %v", ids(c))
	}
	if conn.Name != "Contoso Mail" || conn.Description != "Sends mail through Contoso." || conn.Tier != catalog.TierStandard ||
		conn.Publisher != "Microsoft" || conn.PublisherKind != catalog.PublisherMicrosoft || conn.IconURL != "https://icons.example/contoso.png" ||
		conn.BrandColor != "#112233" || conn.Host != "region-001.example-apim.net" || conn.BasePath != "/apim/contosomail" || !conn.ViaConnection {
		t.Errorf("contosomail: %+v", *conn)
	}
	if !reflect.DeepEqual(conn.Aliases, []string{"shared_contosomail"}) || !reflect.DeepEqual(conn.Capabilities, []string{"actions", "triggers"}) {
		t.Errorf("aliases %q capabilities %q", conn.Aliases, conn.Capabilities)
	}
	if len(conn.AuthTypes) != 1 || conn.AuthTypes[0].Type != "oauth2" {
		t.Errorf("auth %+v", conn.AuthTypes)
	}
	var got []string
	for _, op := range conn.Operations {
		got = append(got, op.Method+" "+op.Path+" "+op.ID+" "+string(op.Kind))
	}
	want := []string{"POST /{connectionId}/v2/Mail SendMail action", "GET /{connectionId}/trigger/new OnNewMail trigger", "DELETE /{connectionId}/trigger/new Forget action"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("operations %q\nwant %q", got, want)
	}
	p := conn.Operation("SendMail").Parameters[0]
	if p.Key != "connectionId" || p.Visibility != catalog.VisibilityInternal {
		t.Errorf("connectionId parameter: %+v", p)
	}
	if src := conn.Sources[defs.SourceAPI]; src.Kind != defs.SourceAPI || !strings.HasSuffix(src.Ref, "shared_contosomail/swagger.json") {
		t.Errorf("sources %+v", conn.Sources)
	}
}

func TestImportAPIFolderAndArchive(t *testing.T) {
	root := filepath.Join(t.TempDir(), "powerplatform")
	writeFiles(t, root, map[string]string{
		"LICENSE":                              "not read",
		"apis/shared_contosomail/api.json":     replyContoso,
		"apis/shared_contosomail/swagger.json": swaggerContoso,
		"apis/shared_brokenreply/api.json":     `{"properties":{"displayName":"Broken"`,
		"apis/shared_brokenreply/swagger.json": swaggerContoso,
		"apis/shared_noswagger/api.json":       replyContoso,
	})
	res, err := defs.Import(context.Background(), []string{root}, opts())
	if err != nil {
		t.Fatal(err)
	}
	checkContoso(t, res.Catalog)
	if got := ids(res.Catalog); !reflect.DeepEqual(got, []string{"contosomail"}) {
		t.Errorf("ids %v", got)
	}
	var failed []string
	for _, f := range res.Failed {
		failed = append(failed, f.String())
	}
	wantFailed := []string{
		"apis/shared_brokenreply/api.json:1:38: unexpected end of file: the '{' opened at line 1, column 15 is never closed (the file may be truncated)",
		"apis/shared_noswagger: no swagger.json in this folder and no properties.swagger in its api.json: nothing to import",
	}
	if !reflect.DeepEqual(failed, wantFailed) || res.Files != 3 {
		t.Errorf("files %d failed\n%q\nwant\n%q", res.Files, failed, wantFailed)
	}
	if len(res.Warnings) != 2 || res.Warnings[0].Error != "recovered trailing commas" || res.Warnings[1].Path != "apis/shared_noswagger/api.json" {
		t.Errorf("warnings %+v", res.Warnings)
	}

	// The same tree as GitHub's archive of the repository holding it.
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	addFile(t, tw, "microsoft-odata-csdl-main/powerplatform/apis/shared_contosomail/api.json", replyContoso)
	addFile(t, tw, "microsoft-odata-csdl-main/powerplatform/apis/shared_contosomail/swagger.json", swaggerContoso)
	tw.Close()
	zw.Close()
	tgz := filepath.Join(t.TempDir(), "main.tar.gz")
	if err := os.WriteFile(tgz, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = defs.Import(context.Background(), []string{tgz}, opts())
	if err != nil {
		t.Fatal(err)
	}
	checkContoso(t, res.Catalog)

	// api.json given alone reads its folder.
	res, err = defs.Import(context.Background(), []string{filepath.Join(root, "apis", "shared_contosomail", "api.json")}, opts())
	if err != nil {
		t.Fatal(err)
	}
	checkContoso(t, res.Catalog)
}

func TestImportAPIReplyInline(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"reply.json": replyInline, "notareply.json": `{"value":[]}`})
	res, err := defs.Import(context.Background(), []string{filepath.Join(dir, "reply.json")}, opts())
	if err != nil {
		t.Fatal(err)
	}
	conn, ok := res.Catalog.Connector("fabrikamip")
	if !ok {
		t.Fatalf("ids %v failed %+v", ids(res.Catalog), res.Failed)
	}
	if conn.Name != "Fabrikam (Independent Publisher)" || conn.PublisherKind != catalog.PublisherIndependent || conn.Tier != catalog.TierPremium ||
		conn.Host != "region-002.example-apim.net" || conn.BasePath != "/apim/fabrikamip" || !reflect.DeepEqual(conn.Schemes, []string{"https"}) ||
		!conn.ViaConnection || len(conn.Operations) != 1 || conn.Sources[defs.SourceAPI].Ref != "reply.json#/properties/swagger" {
		t.Errorf("fabrikamip: %+v", *conn)
	}
	var auth []string
	for _, a := range conn.AuthTypes {
		auth = append(auth, a.ID+":"+a.Type+":"+a.Name)
	}
	if want := []string{"key:custom:API key", "oauth:oauth2:Sign in"}; !reflect.DeepEqual(auth, want) {
		t.Errorf("auth %q, want %q", auth, want)
	}
	if len(conn.AuthTypes) == 2 && (len(conn.AuthTypes[0].Parameters) != 1 || !conn.AuthTypes[0].Parameters[0].Required) {
		t.Errorf("key parameters %+v", conn.AuthTypes[0].Parameters)
	}

	res, err = defs.Import(context.Background(), []string{filepath.Join(dir, "notareply.json")}, opts())
	if err == nil || len(res.Failed) != 1 || res.Failed[0].String() != "notareply.json:1:1: not a file connex imports: neither a Power Platform API reply (no properties object) nor the reference site's connector list (no data array)" {
		t.Errorf("not a reply: %v %+v", err, res.Failed)
	}
}
