package defs_test

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/jsonx"
	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/schema"
	"github.com/connex-dev/connex/scraper/defs"
)

func apiTarball(t testing.TB) string {
	p := filepath.Join(realdata.Dir(t), "powerplatform-apis.tar.gz")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real data not found: %s: %v", p, err)
	}
	return p
}

// apiCounts are counted from the archive here, independently of the
// importer: encoding/json over each file (after the tolerant reader, as
// for the definitions).
type apiCounts struct {
	Connectors, Operations, ViaConnection int
	Tiers, Kinds                          map[string]int
}

func countAPIArchive(t *testing.T, p string) (apiCounts, map[string]int) {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	c := apiCounts{Tiers: map[string]int{}, Kinds: map[string]int{}}
	perConn := map[string]int{}
	methods := map[string]bool{"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		dir, base := path.Base(path.Dir(hdr.Name)), path.Base(hdr.Name)
		id, ok := strings.CutPrefix(dir, "shared_")
		if !ok || hdr.Typeflag != tar.TypeReg {
			continue
		}
		data, _ := io.ReadAll(tr)
		clean, _, err := jsonx.Repair(data)
		if err != nil {
			t.Fatalf("%s: %v", hdr.Name, err)
		}
		switch base {
		case "swagger.json":
			var doc struct {
				Paths map[string]map[string]json.RawMessage `json:"paths"`
			}
			if err := json.Unmarshal(clean, &doc); err != nil {
				t.Fatalf("%s: %v", hdr.Name, err)
			}
			via := false
			for p, item := range doc.Paths {
				for m := range item {
					if methods[m] {
						perConn[id]++
						c.Operations++
						via = via || strings.HasPrefix(p, "/{connectionId}")
					}
				}
			}
			if via {
				c.ViaConnection++
			}
		case "api.json":
			var doc struct {
				Properties struct {
					DisplayName, Tier, Publisher string
					IsCustomAPI                  bool `json:"isCustomApi"`
					Metadata                     struct{ Source, StackOwner string }
				}
			}
			if err := json.Unmarshal(clean, &doc); err != nil {
				t.Fatalf("%s: %v", hdr.Name, err)
			}
			c.Connectors++
			pr := doc.Properties
			c.Tiers[map[string]string{"Standard": "standard", "Premium": "premium"}[pr.Tier]]++
			kind := "certified"
			switch {
			case pr.IsCustomAPI:
				kind = "custom"
			case pr.Metadata.Source == "independentpublisher" || strings.Contains(strings.ToLower(pr.DisplayName), "(independent publisher)"):
				kind = "independent"
			case pr.Publisher == "Microsoft" && (pr.Metadata.StackOwner == "" || pr.Metadata.StackOwner == "Microsoft"):
				kind = "microsoft"
			}
			c.Kinds[kind]++
		}
	}
	return c, perConn
}

// TestImportRealAPIReplies imports the Power Platform API sample: every
// connector, with exact operation counts per connector.
func TestImportRealAPIReplies(t *testing.T) {
	p := apiTarball(t)
	res, err := defs.Import(context.Background(), []string{p}, defs.ImportOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	want, perConn := countAPIArchive(t, p)
	got := apiCounts{Tiers: map[string]int{}, Kinds: map[string]int{}}
	for _, conn := range res.Catalog.Connectors {
		got.Connectors++
		got.Operations += len(conn.Operations)
		if conn.ViaConnection {
			got.ViaConnection++
		}
		got.Tiers[string(conn.Tier)]++
		got.Kinds[string(conn.PublisherKind)]++
		if n := perConn[conn.ID]; n != len(conn.Operations) {
			t.Errorf("%s: %d operations, archive has %d", conn.ID, len(conn.Operations), n)
		}
		if !reflect.DeepEqual(conn.Aliases, []string{"shared_" + conn.ID}) {
			t.Errorf("%s: aliases %q", conn.ID, conn.Aliases)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("import %+v\narchive %+v", got, want)
	}
	if res.Files != 907 || len(res.Failed) != 0 || got.Connectors != 907 || got.Operations != 16486 {
		t.Errorf("files %d, failed %v, connectors %d, operations %d; want 907, none, 907, 16486", res.Files, res.Failed, got.Connectors, got.Operations)
	}
	t.Logf("%+v, %d warnings", got, len(res.Warnings))

	conn, ok := res.Catalog.Connector("office365")
	if !ok {
		t.Fatal("no office365")
	}
	if conn.Name != "Office 365 Outlook" || conn.Tier != catalog.TierStandard || conn.PublisherKind != catalog.PublisherMicrosoft ||
		conn.BasePath != "/apim/office365" || !conn.ViaConnection || conn.IconURL == "" || conn.BrandColor == "" ||
		!reflect.DeepEqual(conn.Capabilities, []string{"actions"}) || len(conn.AuthTypes) == 0 || conn.AuthTypes[0].Type != "oauth2" {
		t.Errorf("office365: %+v", *conn)
	}
	op := conn.Operation("SendEmailV2")
	if op == nil || op.Method != "POST" || op.Path != "/{connectionId}/v2/Mail" {
		t.Fatalf("SendEmailV2: %+v", op)
	}
	if p := op.Parameters[0]; p.Key != "connectionId" || p.In != "path" || p.Visibility != catalog.VisibilityInternal {
		t.Errorf("SendEmailV2 first parameter: %+v", p)
	}
	body, err := schema.NewResolver(conn.Definitions).Parse(op.Body, 0)
	if err != nil || body == nil || len(body.Order) < 3 || !reflect.DeepEqual(body.Order[:3], []string{"To", "Subject", "Body"}) {
		t.Errorf("SendEmailV2 body fields: %v %v", body, err)
	}
	// SharePoint's site address and list name go in the path encoded
	// twice (x-ms-url-encoding: double); the connection id once.
	sp, _ := res.Catalog.Connector("sharepointonline")
	var enc []string
	if o := sp.Operation("GetItems"); o != nil {
		for _, p := range o.Parameters {
			if p.In == "path" {
				enc = append(enc, p.Key+":"+p.URLEncoding)
			}
		}
	}
	if want := []string{"connectionId:", "dataset:double", "table:double"}; !reflect.DeepEqual(enc, want) {
		t.Errorf("sharepointonline/GetItems path parameters %q, want %q", enc, want)
	}
	// Every /{connectionId} path parameter is internal.
	for _, c := range res.Catalog.Connectors {
		for _, o := range c.Operations {
			for _, p := range o.Parameters {
				if p.Key == "connectionId" && p.In == "path" && p.Visibility != catalog.VisibilityInternal {
					t.Errorf("%s/%s: connectionId is %q", c.ID, o.ID, p.Visibility)
				}
			}
		}
	}
}
