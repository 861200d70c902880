package defs

import (
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
)

// FuzzParseSwagger: the converter never panics on a document the tolerant
// reader accepts (odd types, dangling refs, cycles), and a failure always
// names its file.
func FuzzParseSwagger(f *testing.F) {
	for _, s := range []string{
		`{"swagger":"2.0","info":{"title":"T"},"paths":{"/a":{"get":{"operationId":"A","parameters":[{"$ref":"#/parameters/P"}],"responses":{"200":{"$ref":"#/responses/R"}}}}},"parameters":{"P":{"$ref":"#/parameters/P"}},"responses":{"R":{"schema":{"$ref":"#/definitions/D"}}},"definitions":{"D":{"$ref":"#/definitions/D"}}}`,
		`{"info":{"title":1,"version":{}},"paths":{"/a":{"post":{"x-ms-trigger":"single","parameters":[{"in":"body","schema":{"$ref":"#/definitions/S"}}]},"x-ms-notification-content":{}}},"definitions":{"S":{"properties":{"u":{"x-ms-notification-url":true,"$ref":"#/definitions/S"}}}}}`,
		`{"info":{"title":"T"},"paths":{"/a":{"get":[],"put":"x","delete":{"parameters":{},"responses":[]}}},"securityDefinitions":{"k":{"type":"apiKey"},"o":[]}}`,
		`{"info":{"title":"T"},"paths":{"/a":{"get":{"operationId":"A","description":"use A instead","deprecated":"true"},"put":{"operationId":"A","description":"Replaced by /a."}}}}`,
		`{"info":{"title":"T"},"paths":{},"x-ms-connector-metadata":[1,{"propertyName":"Categories","propertyValue":";;a;"}]}`,
		`[]`, `"x"`, `{"$ref":"#/x~1y/%zz"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		p := parseSwagger("c/F/apiDefinition.swagger.json", in)
		if p.err != nil {
			if p.err.Path == "" || p.err.Error == "" {
				t.Fatalf("failure without path or message: %+v", p.err)
			}
			return
		}
		if p.conn == nil {
			t.Fatal("no connector and no error")
		}
		seen := map[string]bool{}
		for _, op := range p.conn.Operations {
			if op.ID == "" || seen[op.ID] {
				t.Fatalf("empty or duplicate operation id %q", op.ID)
			}
			seen[op.ID] = true
			if op.Method != strings.ToUpper(op.Method) {
				t.Fatalf("method %q", op.Method)
			}
		}
	})
}

func TestLinkReplacements(t *testing.T) {
	mk := func(id, name, method, path, desc string, deprecated bool) *catalog.Operation {
		return &catalog.Operation{ID: id, Name: name, Method: method, Path: path, Description: desc, Deprecated: deprecated}
	}
	ops := []*catalog.Operation{
		mk("SendV2", "Send an email (V2)", "POST", "/v2/mail", "", false),
		mk("Send", "Send an email [DEPRECATED]", "POST", "/mail", "This action has been deprecated. Please use Send an email (V2) instead.", true),
		mk("ListOld", "List", "GET", "/alerts", "Deprecated, use /v2/alerts instead. Lists alerts.", false),
		mk("ListV2", "List (V2)", "GET", "/v2/alerts", "", false),
		mk("Advice", "Type text", "POST", "/type", "To type a password, use Send an email (V2) instead.", false),
		mk("Unknown", "Old", "GET", "/old", "Deprecated: use the Frobnicate action instead.", true),
		mk("ById", "Old by id", "GET", "/old2", "Deprecated. Replaced by SendV2.", true),
	}
	linkReplacements(ops)
	want := map[string]string{"Send": "SendV2", "ListOld": "ListV2", "Advice": "", "Unknown": "", "ById": "SendV2", "SendV2": "", "ListV2": ""}
	for _, op := range ops {
		if op.ReplacedBy != want[op.ID] {
			t.Errorf("%s: ReplacedBy = %q, want %q", op.ID, op.ReplacedBy, want[op.ID])
		}
	}
}

func TestReadmeDescription(t *testing.T) {
	md := "<!-- generated -->\n# Title\n\n[![Build](https://x/badge.svg)](https://x)\n\n## Publisher: Someone\n\n" +
		"The **Frobnicator** connects to [Frob](https://frob.example.com) and\n`frobs` things.\n\nSecond paragraph.\n"
	if got, want := readmeDescription(md), "The Frobnicator connects to Frob and frobs things."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := readmeDescription("# Only a title\n"); got != "" {
		t.Errorf("got %q", got)
	}
}
