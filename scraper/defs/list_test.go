package defs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/scraper/defs"
	"github.com/connex-dev/connex/scraper/site"
)

// An invented connector list in the shape of the site's list as data: one
// connector the API sample describes too, one known from the list alone.
const listContosoFabrikam = `{"data":[
 {"DisplayName":"Contoso Mail","Icon":"https://icons.example/list/contoso.png","Name":"contosomail","SearchTerms":"contosomail contoso mail",
  "Logic Apps":false,"Power Automate":true,"Power Apps":true,"Preview":true,"Premium":true,"MCP":false},
 {"DisplayName":"Fabrikam (Independent Publisher) [DEPRECATED]","Icon":"https://icons.example/list/fabrikam.png","Name":"fabrikamip","SearchTerms":"fabrikamip fabrikam",
  "Logic Apps":true,"Power Automate":false,"Power Apps":false,"Preview":false,"Premium":true,"MCP":false}]}`

// TestImportConnectorList: a connector list is recognised by its shape
// (here a .txt file), given with other sources in any order; its
// connectors join the API's by id, and the API's tier wins over the
// list's Premium flag while products and preview are the list's.
func TestImportConnectorList(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"apis/shared_contosomail/api.json":     replyContoso,
		"apis/shared_contosomail/swagger.json": swaggerContoso,
		"saved/connectors.txt":                 listContosoFabrikam,
	})
	apis, list := filepath.Join(dir, "apis"), filepath.Join(dir, "saved", "connectors.txt")
	now := func() time.Time { return time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) }
	var first []byte
	for _, sources := range [][]string{{apis, list}, {list, apis}} {
		res, err := defs.Import(context.Background(), sources, defs.ImportOptions{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if want := []defs.ListRead{{Path: list, Entries: 2}}; !reflect.DeepEqual(res.Lists, want) || len(res.Failed) != 0 {
			t.Fatalf("lists %+v, failed %v, warnings %v", res.Lists, res.Failed, res.Warnings)
		}
		c := res.Catalog
		if got := ids(c); !reflect.DeepEqual(got, []string{"contosomail", "fabrikamip"}) {
			t.Fatalf("ids %q", got)
		}
		contoso, _ := c.Connector("contosomail")
		if contoso.Tier != catalog.TierStandard || !contoso.Preview || contoso.Name != "Contoso Mail" || contoso.Publisher != "Microsoft" ||
			len(contoso.Operations) != 3 || products(contoso) != "Power Automate, Power Apps" {
			t.Errorf("contosomail: tier %s preview %v name %q publisher %q, %d operations, products %q",
				contoso.Tier, contoso.Preview, contoso.Name, contoso.Publisher, len(contoso.Operations), products(contoso))
		}
		fab, _ := c.Connector("shared_fabrikamip")
		want := &catalog.Connector{ID: "fabrikamip", Name: "Fabrikam (Independent Publisher)", IconURL: "https://icons.example/list/fabrikam.png",
			Tier: catalog.TierPremium, Deprecated: true, Products: []catalog.Product{{Name: catalog.ProductLogicApps, Class: catalog.TierPremium}},
			Sources: map[string]catalog.Source{catalog.SourceList: {Kind: catalog.SourceList, Ref: list, At: now()}}}
		if !reflect.DeepEqual(fab, want) {
			t.Errorf("fabrikamip:\n%+v\nwant\n%+v", fab, want)
		}
		var origins []string
		for _, o := range c.Origins {
			origins = append(origins, o.Kind+" "+filepath.Base(o.Ref))
		}
		if strings.Join(origins, "; ") != "definition apis; list connectors.txt" {
			t.Errorf("origins %q", origins)
		}
		got, err := json.Marshal(c.Connectors)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = got
		} else if !bytes.Equal(first, got) {
			t.Errorf("the order of the sources changed the catalogue:\n%s\n%s", first, got)
		}
	}
}

func products(c *catalog.Connector) string {
	var out []string
	for _, p := range c.Products {
		out = append(out, p.Name)
	}
	return strings.Join(out, ", ")
}

// TestImportConnectorListRejects: JSON that is not a list goes to the
// other readers as before; a list that cannot be used fails cleanly.
func TestImportConnectorListRejects(t *testing.T) {
	dir := t.TempDir()
	big := make([]byte, site.MaxListBytes+1)
	copy(big, `{"data":[{"Name":"x","SearchTerms":"`)
	for i := len(`{"data":[{"Name":"x","SearchTerms":"`); i < len(big); i++ {
		big[i] = 's'
	}
	writeFiles(t, dir, map[string]string{
		"other.json":    `{"settings":{"data":[1]}}`,
		"useless.json":  `{"data":[{"Name":"no/such id"}]}`,
		"huge.json":     string(big),
		"array.json":    `[{"Name":"x"}]`,
		"notjson.json":  `data: [x]`,
		"bigreply.json": `{"name":"shared_big","properties":{"displayName":"Big","description":"` + strings.Repeat("d", site.MaxListBytes) + `"}}`,
	})
	for name, want := range map[string]string{
		"other.json":    "", // read as an API reply, which it is not either
		"array.json":    "",
		"notjson.json":  "",
		"bigreply.json": "",
		"useless.json":  "a connector list without a usable entry",
		"huge.json":     site.ErrListTooLarge.Error(),
	} {
		t.Run(name, func(t *testing.T) {
			src := filepath.Join(dir, name)
			res, err := defs.Import(context.Background(), []string{src}, defs.ImportOptions{})
			if len(res.Lists) != 0 {
				t.Fatalf("read as a list: %+v", res.Lists)
			}
			if name == "bigreply.json" {
				// A large reply is not mistaken for a list: it is read
				// (it has no swagger, so it fails as a reply would).
				if len(res.Failed) != 1 || !strings.Contains(res.Failed[0].Error, "swagger") {
					t.Fatalf("failed %+v, err %v", res.Failed, err)
				}
				return
			}
			if !errors.Is(err, defs.ErrNothingImported) || len(res.Failed) == 0 {
				t.Fatalf("err %v, failed %+v", err, res.Failed)
			}
			if want == "" {
				return // the API reply reader's error, as before lists
			}
			if len(res.Failed) != 1 || !strings.Contains(res.Failed[0].Error, want) || !errors.Is(err, defs.ErrBadSource) {
				t.Fatalf("failed %+v, err %v; want %q", res.Failed, err, want)
			}
		})
	}
}

// TestImportConnectorListURL: a list published at an http(s) URL to a
// .json document is fetched and read; any other URL is a tarball as
// before; a .json URL that is not a list, too large or missing fails
// cleanly.
func TestImportConnectorListURL(t *testing.T) {
	big := `{"data":[{"Name":"x","SearchTerms":"` + strings.Repeat("s", site.MaxListBytes) + `"}]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/docs/connectors.json":
			w.Write([]byte(listContosoFabrikam))
		case "/docs/other.json":
			w.Write([]byte(`{"name":"shared_x","properties":{}}`))
		case "/docs/big.json":
			w.Write([]byte(big))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	opts := defs.ImportOptions{HTTPClient: srv.Client()}
	res, err := defs.Import(context.Background(), []string{srv.URL + "/docs/connectors.json"}, opts)
	if err != nil || len(res.Lists) != 1 || res.Lists[0].Entries != 2 || len(res.Catalog.Connectors) != 2 {
		t.Fatalf("err %v, lists %+v, failed %+v", err, res.Lists, res.Failed)
	}
	for path, want := range map[string]string{
		"/docs/other.json":   "not a connector list",
		"/docs/big.json":     site.ErrListTooLarge.Error(),
		"/docs/missing.json": "404",
		"/archive.tar.gz":    "404", // read as a tarball, as before
	} {
		res, err := defs.Import(context.Background(), []string{srv.URL + path}, opts)
		if !errors.Is(err, defs.ErrNothingImported) || len(res.Failed) != 1 || !strings.Contains(res.Failed[0].Error, want) {
			t.Errorf("%s: err %v, failed %+v; want %q", path, err, res.Failed, want)
		}
	}
}
