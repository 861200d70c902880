package replica

import (
	"encoding/json"
	"math/rand/v2"
	"strings"

	"github.com/connex-dev/connex/catalog"
)

// Word pools for generated pages. Invented and deliberately bland: the
// generated pages only need the structure of real ones.
var (
	genNouns = []string{"record", "item", "file", "message", "contact", "ticket", "task",
		"invoice", "event", "user", "document", "order", "project", "comment", "note", "report"}
	genVerbs = []struct{ name, id string }{
		{"Create", "Create"}, {"Get", "Get"}, {"List", "List"}, {"Update", "Update"},
		{"Delete", "Delete"}, {"Send", "Send"}, {"Search", "Search"}, {"Archive", "Archive"},
		{"Upload", "Upload"}, {"Download", "Download"},
	}
	genParams = []catalog.Parameter{
		{Name: "Record ID", Key: "recordId", Type: "string", Description: "The unique identifier of the record."},
		{Name: "Top count", Key: "$top", Type: "integer", Description: "Maximum number of entries to return."},
		{Name: "Filter query", Key: "$filter", Type: "string", Description: "An OData filter query to restrict the entries returned."},
		{Name: "Include deleted", Key: "includeDeleted", Type: "boolean", Description: "Whether deleted entries are included."},
		{Name: "Start time", Key: "startTime", Type: "date-time", Description: "Only entries changed after this time."},
		{Name: "Tags", Key: "tags", Type: "array of string", Description: "Tags to attach."},
		{Name: "File content", Key: "body", Type: "binary", Description: "The content of the file."},
		{Name: "Email", Key: "email", Type: "email", Description: "The email address."},
		{Name: "Amount", Key: "amount", Type: "number", Description: "The amount, in the account's currency."},
		{Name: "Fields", Key: "fields", Type: "dynamic", Description: "The fields of the item."},
		{Name: "Folder", Key: "folderPath", Type: "string", Description: "The folder path."},
		{Name: "Notify owner", Key: "notify", Type: "boolean", Description: "Send a notification to the owner."},
	}
	genAuth = []catalog.AuthType{
		{Name: "API Key", ID: "apiKeyAuth", Description: "Use an API key from your account settings.", Parameters: []catalog.ConnectionParam{
			{Name: "API Key", Type: "securestring", Description: "The API key of your account.", Required: true}}},
		{Name: "OAuth connection", ID: "oauthAuth", Description: "Sign in with your account.", Shareable: "Not shareable"},
		{Name: "Basic authentication", ID: "basicAuth", Description: "Use a user name and a password.", Parameters: []catalog.ConnectionParam{
			{Name: "Username", Type: "string", Description: "The user name.", Required: true},
			{Name: "Password", Type: "securestring", Description: "The password.", Required: true}}},
		{Name: "Client Certificate Auth", ID: "certOauth", Description: "Provide Microsoft Entra ID credentials using PFX certificate and password.", Parameters: []catalog.ConnectionParam{
			{Name: "Client ID", Type: "string", Required: true},
			{Name: "Client certificate secret", Type: "clientCertificate", Description: "The client certificate secret allowed by this application.", Required: true},
			{Name: "Tenant", Type: "string", Required: true}}},
		{Name: "Logic Apps Managed Identity", ID: "managedIdentityAuth", Description: "Create a connection using a Logic Apps managed identity.", Applicable: "LOGICAPPS only", Parameters: []catalog.ConnectionParam{
			{Name: "LogicApps Managed Identity", Type: "managedIdentity", Description: "Sign in with a Logic Apps managed identity.", Required: true}}},
		{Name: "On-premises data gateway", ID: "gatewayAuth", Description: "Connect through an on-premises data gateway.", Shareable: "Not shareable", Parameters: []catalog.ConnectionParam{
			{Name: "Server", Type: "string", Description: "The server name.", Required: true},
			{Name: "Gateway", Type: "gatewaySetting", Description: "On-premises data gateway.", Required: true}}},
	}
	genCategories = []string{"AI", "Business Management", "Collaboration", "Communication", "Content and Files",
		"Data", "IT Operations", "Marketing", "Productivity", "Sales and CRM", "Security", "Website"}
	genPublishers = []string{"Microsoft", "Contoso Ltd", "Fabrikam Inc", "Northwind Traders", "Adventure Works", "Independent Publisher"}
)

func generatedDescription(e ListEntry, rng *rand.Rand) string {
	noun := genNouns[rng.IntN(len(genNouns))]
	return "The " + e.DisplayName + " connector lets you work with " + noun + "s and automate " + noun + " workflows."
}

func title(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// generated builds a plausible page for a connector without a definition.
// Every choice comes from rng, seeded by the connector id.
func generated(e ListEntry, rng *rand.Rand) *pageData {
	d := &pageData{schemas: newSchemaDoc(nil), returns: map[string]returnsView{}}
	c := &catalog.Connector{Description: generatedDescription(e, rng)}
	d.conn = c
	c.Publisher = genPublishers[rng.IntN(len(genPublishers))]
	slug := strings.ToLower(e.Name)
	if rng.IntN(4) != 0 {
		c.Website = "https://www.example.com/" + slug
		c.PrivacyPolicy = "https://www.example.com/" + slug + "/privacy"
	}
	if rng.IntN(2) == 0 {
		c.Contact = catalog.Contact{Name: c.Publisher, URL: "https://support.example.com/" + slug, Email: "support@example.com"}
	}
	for i, n := 0, rng.IntN(3); i < n; i++ {
		cat := genCategories[rng.IntN(len(genCategories))]
		if !containsString(c.Categories, cat) {
			c.Categories = append(c.Categories, cat)
		}
	}
	if rng.IntN(3) == 0 {
		d.requires = []string{"An account with the service and an API key with write access."}
	}

	// Auth: none on some pages (like RSS), one unnamed default, or several
	// named types each with an Auth ID.
	switch n := rng.IntN(10); {
	case n < 2:
	case n < 6:
		a := cloneAuth(genAuth[rng.IntN(len(genAuth))])
		a.Name, a.ID = "Default", ""
		if a.Description == "" || rng.IntN(2) == 0 {
			a.Description = "Parameters for creating connection."
		}
		c.AuthTypes = []catalog.AuthType{a}
	default:
		start := rng.IntN(len(genAuth))
		for i := 0; i < 2+rng.IntN(2); i++ {
			c.AuthTypes = append(c.AuthTypes, cloneAuth(genAuth[(start+i)%len(genAuth)]))
		}
	}
	for i := range c.AuthTypes {
		a := &c.AuthTypes[i]
		if a.Shareable == "" {
			a.Shareable = "Shareable"
		}
		if a.Applicable == "" {
			a.Applicable = "All regions"
		}
	}

	// Definitions for the nouns used, so Returns can link to them.
	defs := map[string]json.RawMessage{}
	nouns := map[string]bool{}
	usedIDs := map[string]bool{}
	addOp := func(op *catalog.Operation) bool {
		if usedIDs[op.ID] {
			return false
		}
		usedIDs[op.ID] = true
		c.Operations = append(c.Operations, op)
		return true
	}
	nActions := 1 + rng.IntN(10)
	for i := 0; i < nActions; i++ {
		v := genVerbs[rng.IntN(len(genVerbs))]
		noun := genNouns[rng.IntN(len(genNouns))]
		article := "a "
		if strings.ContainsAny(noun[:1], "aeiou") {
			article = "an "
		}
		name := v.name + " " + article + noun
		id := v.id + title(noun)
		if v.id == "List" || v.id == "Search" {
			name, id = v.name+" "+noun+"s", id+"s"
		}
		op := &catalog.Operation{ID: id, Name: name, Kind: catalog.KindAction,
			Description: v.name + " " + noun + " entries."}
		op.Parameters = genParameters(rng)
		if rng.IntN(8) == 0 {
			op.Preview = true
		}
		// Some actions have a newer version; the old one is deprecated and
		// its note links to the new one.
		if rng.IntN(6) == 0 {
			newer := *op
			newer.ID, newer.Name = id+"V2", name+" (V2)"
			newer.Parameters = append(append([]catalog.Parameter(nil), op.Parameters...), genParams[rng.IntN(len(genParams))])
			newer.Parameters = dedupeKeys(newer.Parameters)
			if addOp(&newer) {
				op.Deprecated, op.ReplacedBy = true, newer.ID
				d.returns[newer.ID] = genReturns(rng, noun, nouns)
			}
		}
		if addOp(op) {
			d.returns[op.ID] = genReturns(rng, noun, nouns)
		}
	}
	for i, n := 0, rng.IntN(4); i < n; i++ {
		noun := genNouns[rng.IntN(len(genNouns))]
		event := []string{"created", "updated", "deleted"}[rng.IntN(3)]
		op := &catalog.Operation{
			ID:          "On" + title(event) + title(noun),
			Name:        "When " + map[bool]string{true: "an ", false: "a "}[strings.ContainsAny(noun[:1], "aeiou")] + noun + " is " + event,
			Description: "Triggers a flow when " + noun + " entries are " + event + ".",
			Kind:        catalog.KindTrigger,
		}
		op.Parameters = genParameters(rng)
		if addOp(op) {
			d.returns[op.ID] = genReturns(rng, noun, nouns)
		}
	}
	for noun := range nouns {
		defs[title(noun)] = json.RawMessage(`{"type":"object","description":"A ` + noun + `.","properties":{` +
			`"id":{"type":"string","x-ms-summary":"ID","description":"The ` + noun + `'s id."},` +
			`"name":{"type":"string","x-ms-summary":"Name","description":"The ` + noun + `'s name."},` +
			`"created":{"type":"string","format":"date-time","x-ms-summary":"Created","description":"When it was created."},` +
			`"owner":{"type":"object","properties":{"email":{"type":"string","format":"email","x-ms-summary":"Owner email"}}}}}`)
	}
	if len(nouns) > 0 {
		defs["object"] = json.RawMessage(`{"type":"object"}`)
	}
	d.schemas = newSchemaDoc(defs)
	d.defs = d.definitions()
	return d
}

func genParameters(rng *rand.Rand) []catalog.Parameter {
	var out []catalog.Parameter
	for i, n := 0, rng.IntN(6); i < n; i++ {
		p := genParams[rng.IntN(len(genParams))]
		p.Required = rng.IntN(5) < 2
		out = append(out, p)
	}
	return dedupeKeys(out)
}

func dedupeKeys(in []catalog.Parameter) []catalog.Parameter {
	seen := map[string]bool{}
	out := in[:0]
	for _, p := range in {
		if !seen[p.Key] {
			seen[p.Key] = true
			out = append(out, p)
		}
	}
	return out
}

func genReturns(rng *rand.Rand, noun string, nouns map[string]bool) returnsView {
	switch rng.IntN(5) {
	case 0:
		return returnsView{}
	case 1:
		return returnsView{kind: returnsDynamic}
	case 2:
		return returnsView{kind: returnsTable, fields: []displayField{
			{name: "Count", key: "count", typ: "integer", desc: "Number of " + noun + "s."},
			{name: "Items", key: "body.items", typ: "array of object", desc: "The " + noun + "s."},
		}}
	case 3:
		nouns[noun] = true
		return returnsView{kind: returnsType, label: "response", typ: "array of " + title(noun)}
	default:
		nouns[noun] = true
		return returnsView{kind: returnsRef, desc: "The " + noun + ".", label: "Body", ref: title(noun)}
	}
}

func cloneAuth(a catalog.AuthType) catalog.AuthType {
	a.Parameters = append([]catalog.ConnectionParam(nil), a.Parameters...)
	return a
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
