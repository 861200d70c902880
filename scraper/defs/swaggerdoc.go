package defs

// Decoding a swagger document's top level into doc.

import (
	"encoding/json"

	"github.com/connex-dev/connex/internal/jsonx"
)

// methods are the swagger 2.0 operation keys of a path item, in the
// order used when a path item lists none twice.
var methods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true}

// maxRefDepth bounds every chain of $refs followed, so a cycle (or a
// very long chain) ends instead of looping.
const maxRefDepth = 32

// doc holds the parts of a swagger document the import reads. It is
// filled member by member with jsonx.Each and friends rather than by
// encoding/json: the text is already valid (the tolerant reader made it
// so), and encoding/json would validate and re-scan every nested object
// once per level, which was most of the import's time.
type doc struct {
	Title, Description, Version string
	ContactName, ContactURL     string
	ContactEmail                string
	Host, BasePath              string
	Schemes, Consumes, Produces []string
	Paths                       json.RawMessage
	Definitions                 map[string]json.RawMessage
	Parameters                  map[string]json.RawMessage
	Responses                   map[string]json.RawMessage
	SecurityDefinitions         json.RawMessage
	Metadata                    json.RawMessage
	Status                      string
}

func objectMap(raw json.RawMessage) map[string]json.RawMessage {
	ms := jsonx.Members(raw)
	if ms == nil {
		return nil
	}
	m := make(map[string]json.RawMessage, len(ms))
	for _, x := range ms {
		m[x.Key] = x.Value
	}
	return m
}

// decodeMembers routes each member of the object raw to the destination
// of its key: a *string gets the member's text (any scalar), a *bool
// its truth (true, "true", 1), a *[]string its texts (or its one text),
// a *json.RawMessage the raw value, a *map[string]json.RawMessage its
// members by key. Other members are skipped.
func decodeMembers(raw json.RawMessage, dst map[string]any) {
	jsonx.Each(raw, func(key []byte, v json.RawMessage) {
		switch p := dst[string(key)].(type) {
		case *string:
			*p = jsonx.Text(v)
		case *bool:
			*p = jsonx.Bool(v)
		case *[]string:
			*p = jsonx.Texts(v)
		case *json.RawMessage:
			*p = v
		case *map[string]json.RawMessage:
			*p = objectMap(v)
		}
	})
}

func decodeDoc(raw []byte) (*doc, bool) {
	if !jsonx.IsObject(raw) {
		return nil, false
	}
	d := &doc{}
	var info, annotation json.RawMessage
	decodeMembers(raw, map[string]any{
		"info": &info, "host": &d.Host, "basePath": &d.BasePath,
		"schemes": &d.Schemes, "consumes": &d.Consumes, "produces": &d.Produces,
		"paths": &d.Paths, "definitions": &d.Definitions, "parameters": &d.Parameters,
		"responses": &d.Responses, "securityDefinitions": &d.SecurityDefinitions,
		"x-ms-connector-metadata": &d.Metadata, "x-ms-api-annotation": &annotation,
	})
	var contact json.RawMessage
	decodeMembers(info, map[string]any{"title": &d.Title, "description": &d.Description, "version": &d.Version, "contact": &contact})
	decodeMembers(contact, map[string]any{"name": &d.ContactName, "url": &d.ContactURL, "email": &d.ContactEmail})
	decodeMembers(annotation, map[string]any{"status": &d.Status})
	return d, true
}
