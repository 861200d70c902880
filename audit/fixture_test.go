package audit

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"

	"github.com/connex-dev/connex/catalog"
)

// fixtureCatalog is a small invented catalogue: a standard mail connector
// and a premium database connector known by an alias, with deprecated,
// preview, internal and ambiguous operations.
func fixtureCatalog() *catalog.Catalog {
	c := &catalog.Catalog{Connectors: []*catalog.Connector{
		{
			ID: "contosomail", Name: "Contoso Mail", Tier: catalog.TierStandard,
			Throttling: []catalog.Limit{{Name: "API calls per connection", Value: "100", Renewal: "60 seconds"}},
			KnownIssues: []catalog.KnownIssue{
				{Summary: "Large attachments fail", Operations: "Send mail (V2)"},
				{Summary: "Drafts lose formatting", OperationIDs: []string{"DraftMail"}},
				{Summary: "Not about SendMailV2x", Operations: "SendMailV2x"},
			},
			Operations: []*catalog.Operation{
				{ID: "SendMailV2", Name: "Send mail (V2)", Kind: catalog.KindAction, Method: "POST", Path: "/{connectionId}/v2/mail"},
				{ID: "SendMail", Name: "Send mail", Kind: catalog.KindAction, Method: "POST", Path: "/{connectionId}/mail", Deprecated: true, ReplacedBy: "SendMailV2"},
				{ID: "DraftMail", Name: "Draft mail", Kind: catalog.KindAction, Method: "POST", Path: "/{connectionId}/drafts", Preview: true},
				{ID: "OnReply", Name: "When a reply arrives", Kind: catalog.KindTrigger, TriggerType: catalog.TriggerWebhook, Method: "POST", Path: "/{connectionId}/mail/$subscriptions"},
			},
		},
		{
			ID: "contosodatabase", Name: "Contoso Database", Tier: catalog.TierPremium,
			Aliases: []string{"contosodb", "shared_contosodb"},
			Operations: []*catalog.Operation{
				{ID: "OnNewRow", Name: "When a row is added", Kind: catalog.KindTrigger, TriggerType: catalog.TriggerWebhook, Method: "POST", Path: "/{connectionId}/tables/{table}/subscriptions"},
				{ID: "OnChangedRows", Name: "When rows change", Kind: catalog.KindTrigger, TriggerType: catalog.TriggerPolling, Method: "GET", Path: "/{connectionId}/tables/{table}/onchangedrows"},
				{ID: "QueryRows", Name: "Query rows", Kind: catalog.KindAction, Method: "POST", Path: "/{connectionId}/query", Deprecated: true, ReplacedBy: "SearchRows", ReplacedByConnector: "contosowarehouse"},
				{ID: "InternalSync", Name: "Sync", Kind: catalog.KindAction, Method: "POST", Path: "/{connectionId}/sync", Visibility: catalog.VisibilityInternal},
				{ID: "GetRow", Name: "Get a row", Kind: catalog.KindAction, Method: "GET", Path: "/{connectionId}/tables/{table}/rows/{id}"},
				{ID: "GetRowByKey", Name: "Get a row by key", Kind: catalog.KindAction, Method: "GET", Path: "/{connectionId}/tables/{table}/rows/{key}"},
				{ID: "ListRows", Name: "List rows", Kind: catalog.KindAction, Method: "GET", Path: "/{connectionId}/tables/{table}/rows"},
				{ID: "ListOrders", Name: "List orders", Kind: catalog.KindAction, Method: "GET", Path: "/{connectionId}/tables/orders/rows"},
			},
		},
	}}
	c.Reindex()
	return c
}

// writeZip writes an archive of name -> content into dir.
func writeZip(t *testing.T, p string, files [][2]string) {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, nf := range files {
		w, err := zw.Create(nf[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(nf[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
