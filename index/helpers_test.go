package index

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
)

// testCatalog is a small invented catalogue (16 documents) whose filter
// and facet counts the tests know exactly:
//
//	acmemail      certified   premium  LA+PA        4 ops: 1 deprecated, 1 internal, 1 trigger
//	bravodocs     independent standard PA+PApps+CS  preview connector, 4 ops: 1 trigger
//	charlieold    custom      unknown  LA           deprecated connector, 2 ops
//	postboxrelay  microsoft   standard all four     2 ops: 1 trigger
func testCatalog() *catalog.Catalog {
	prods := func(names ...string) []catalog.Product {
		var out []catalog.Product
		for _, n := range names {
			out = append(out, catalog.Product{Name: n})
		}
		return out
	}
	c := &catalog.Catalog{
		UpdatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Connectors: []*catalog.Connector{
			{
				ID: "acmemail", Name: "Acme Mail", Description: "Mailboxes and messages for Acme customers.",
				Publisher: "Acme Corp", PublisherKind: catalog.PublisherCertified, Tier: catalog.TierPremium,
				Products:   prods(catalog.ProductLogicApps, catalog.ProductPowerAutomate),
				Categories: []string{"Communication"},
				Operations: []*catalog.Operation{
					{ID: "SendEmailV2", Name: "Send an email (V2)", Description: "Sends a message to one or more recipients.", Kind: catalog.KindAction, Visibility: catalog.VisibilityImportant},
					{ID: "SendEmail", Name: "Send an email [DEPRECATED]", Description: "Use Send an email (V2).", Kind: catalog.KindAction, Deprecated: true},
					{ID: "OnNewEmail", Name: "When a new email arrives", Description: "Triggers for each new message.", Kind: catalog.KindTrigger},
					{ID: "GetMailboxInternal", Name: "Get mailbox", Kind: catalog.KindAction, Visibility: catalog.VisibilityInternal},
				},
			},
			{
				ID: "bravodocs", Name: "Bravo Docs", Description: "Documents and files in Bravo workspaces.",
				Publisher: "Bravo Labs", PublisherKind: catalog.PublisherIndependent, Tier: catalog.TierStandard, Preview: true,
				Products: prods(catalog.ProductPowerAutomate, catalog.ProductPowerApps, catalog.ProductCopilotStudio),
				Operations: []*catalog.Operation{
					{ID: "HTTPRequest", Name: "Send an HTTP request", Description: "Calls any endpoint of the workspace API.", Kind: catalog.KindAction},
					{ID: "getV2Items", Name: "Get items", Description: "Lists the items of a folder.", Kind: catalog.KindAction},
					{ID: "OAuth2Token", Name: "Get OAuth2 token", Kind: catalog.KindAction, Preview: true},
					{ID: "OnFileCreated", Name: "When a file is created", Kind: catalog.KindTrigger, TriggerType: catalog.TriggerPolling},
				},
			},
			{
				ID: "charlieold", Name: "Charlie Legacy", Description: "An old records system.",
				Publisher: "Charlie", PublisherKind: catalog.PublisherCustom, Deprecated: true,
				Products: prods(catalog.ProductLogicApps),
				Operations: []*catalog.Operation{
					{ID: "ListRecords", Name: "List records", Kind: catalog.KindAction},
					{ID: "CreateRecord", Name: "Create a record", Kind: catalog.KindAction},
				},
			},
			{
				ID: "postboxrelay", Name: "Postbox Relay", Description: "Relay messages through Postbox.",
				Publisher: "Microsoft", PublisherKind: catalog.PublisherMicrosoft, Tier: catalog.TierStandard,
				Products: prods(catalog.Products...),
				Operations: []*catalog.Operation{
					{ID: "SendMessage", Name: "Send message", Kind: catalog.KindAction, Visibility: catalog.VisibilityImportant},
					{ID: "OnBounce", Name: "When a message bounces", Kind: catalog.KindTrigger, TriggerType: catalog.TriggerWebhook},
				},
			},
		},
	}
	c.Reindex()
	return c
}

// sampleLike is the test catalogue, for tests that only need one.
func sampleLike() *catalog.Catalog { return testCatalog() }

// hitIDs renders hits as "c:<id>" / "<connector>/<operation>".
func hitIDs(hits []Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		if h.Kind == KindConnector {
			out[i] = "c:" + h.ConnectorID
		} else {
			out[i] = h.ConnectorID + "/" + h.OperationID
		}
	}
	return out
}

func mustSearch(t testing.TB, ix *Index, q Query) *Result {
	t.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	return res
}

// facetString renders facets compactly: "kind=connector:3,action:5 ...".
func facetString(f map[string][]FacetCount) string {
	var parts []string
	for _, name := range []string{FacetKind, FacetTier, FacetProduct, FacetPublisherKind, FacetPreview, FacetDeprecated} {
		var vals []string
		for _, v := range f[name] {
			vals = append(vals, v.Value+":"+strconv.Itoa(v.Count))
		}
		parts = append(parts, name+"="+strings.Join(vals, ","))
	}
	return strings.Join(parts, " ")
}
