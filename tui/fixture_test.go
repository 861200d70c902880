package tui

import (
	"encoding/json"
	"time"

	"github.com/connex-dev/connex/catalog"
)

// fixtureCatalog is a small imported-looking catalogue of our own (not
// the built-in samples, not the shared data): a connector on a real-looking
// host with a definition (method and path), one operation known from the
// site only, an alias, a region exception, a known issue naming an
// operation and a cross-connector replacement.
func fixtureCatalog() *catalog.Catalog {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	c := &catalog.Catalog{
		UpdatedAt: at,
		Origins:   []catalog.Source{{Kind: catalog.SourceSite, Ref: "http://127.0.0.1:8123/en-us/connectors/", At: at}},
		Connectors: []*catalog.Connector{
			{
				ID: "fixnotes", Name: "Fixture Notes", Publisher: "Fixture Inc", PublisherKind: catalog.PublisherCertified,
				Tier: catalog.TierStandard, Host: "notes.fixture.example", BasePath: "/api",
				Aliases:       []string{"shared_fixnotes"},
				ViaConnection: true,
				Products:      []catalog.Product{{Name: catalog.ProductPowerAutomate, Class: "standard", Exceptions: []string{"GCC High"}}},
				AuthTypes:     []catalog.AuthType{{ID: "keyAuth", Name: "API key", Type: "apikey", In: "header", ParamName: "X-Key", Applicable: "All regions", Shareable: "Not shareable"}},
				Contact:       catalog.Contact{Name: "Fixture support", Links: []catalog.Link{{Title: "Support portal", URL: "https://support.fixture.example"}}},
				Sections:      []catalog.Section{{Title: "Common errors", Level: 2, Body: "A 429 means the quota is spent: wait a minute."}},
				KnownIssues:   []catalog.KnownIssue{{Summary: "Titles longer than 200 characters are cut", OperationIDs: []string{"CreateNote"}}},
				Operations: []*catalog.Operation{
					{ID: "GetNote", Name: "Get a note", Kind: catalog.KindAction, Method: "GET", Path: "/notes/{id}",
						Description: "Returns one note. The lighthouse keeper reads it twice.",
						Parameters:  []catalog.Parameter{{Key: "id", Name: "Note id", In: "path", Type: "string", Required: true}},
						Responses:   []catalog.Response{{Status: "200", Description: "The note", Schema: raw(`{"type":"object","properties":{"title":{"type":"string"},"words":{"type":"integer"}}}`)}}},
					{ID: "CreateNote", Name: "Create a note", Kind: catalog.KindAction, Method: "POST", Path: "/notes",
						Parameters: []catalog.Parameter{{Key: "body", Name: "body", In: "body", Required: true, Schema: raw(`{"type":"object","properties":{"title":{"type":"string"}}}`)}},
						Responses:  []catalog.Response{{Status: "201", Description: "Created"}}},
					{ID: "ArchiveNote", Name: "Archive a note", Kind: catalog.KindAction,
						Description: "Known from the reference page only."},
					{ID: "OldList", Name: "List notes (old)", Kind: catalog.KindAction, Method: "GET", Path: "/v0/notes",
						Deprecated: true, ReplacedBy: "ListPages", ReplacedByConnector: "fixpages",
						Responses: []catalog.Response{{Status: "200", Description: "The notes",
							Schema: raw(`{"type":"object","properties":{"items":{"type":"array","items":{"type":"object","properties":{"title":{"type":"string"},"tags":{"type":"array","items":{"type":"string"}}}}}}}`)}}},
				},
			},
			{
				ID: "fixpages", Name: "Fixture Pages", Publisher: "Fixture Inc", PublisherKind: catalog.PublisherCertified,
				Tier: catalog.TierPremium, Host: "pages.fixture.example",
				Operations: []*catalog.Operation{
					{ID: "ListPages", Name: "List pages", Kind: catalog.KindAction, Method: "GET", Path: "/pages"},
				},
			},
		},
	}
	c.Reindex()
	return c
}
