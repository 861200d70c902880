package defs

import (
	"encoding/json"
	"testing"
	"unsafe"
)

// packSwagger has whitespace and unkept members (summaries, paths) around
// every kept schema, and the same schema text in several places.
const packSwagger = `{
  "swagger": "2.0",
  "info": {"title": "Pack", "version": "1.0"},
  "paths": {
    "/send": {"post": {
      "operationId": "Send", "summary": "Send a message",
      "parameters": [{"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Message"}}],
      "responses": {"200": {"description": "ok", "schema": {"type": "string"}}},
      "x-ms-capabilities": {"chunkTransfer": true}
    }},
    "/reply": {"post": {
      "operationId": "Reply", "summary": "Reply to a message",
      "parameters": [{"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Message"}},
                     {"name": "ids", "in": "query", "type": "array", "items": {"type": "string"}}],
      "responses": {"200": {"description": "ok", "schema": {"type": "string"}}}
    }}
  },
  "definitions": {
    "Message": {"type": "object", "properties": {"to": {"type": "string"}}},
    "Id": {"type": "string"}
  }
}`

// TestPackRawCopiesOutOfTheText: every raw value a connector keeps lives
// in one arena holding each distinct value once, so the parsed text can
// be freed; equal values share their bytes.
func TestPackRawCopiesOutOfTheText(t *testing.T) {
	p := parseSwagger("pack/apiDefinition.swagger.json", []byte(packSwagger))
	if p.err != nil {
		t.Fatal(p.err)
	}
	c := p.conn
	var raws []json.RawMessage
	for _, d := range c.Definitions {
		raws = append(raws, d)
	}
	for _, op := range c.Operations {
		raws = append(raws, op.Body, op.Capabilities)
		for _, p := range op.Parameters {
			raws = append(raws, p.Schema)
		}
		for _, r := range op.Responses {
			raws = append(raws, r.Schema)
		}
	}
	distinct := map[string]bool{}
	size := 0
	lo, hi := uintptr(0), uintptr(0)
	for _, r := range raws {
		if len(r) == 0 {
			continue
		}
		if cap(r) != len(r) {
			t.Errorf("%s: capacity %d, want %d (an append must not reach the next value)", r, cap(r), len(r))
		}
		if !distinct[string(r)] {
			distinct[string(r)] = true
			size += len(r)
		}
		start := uintptr(unsafe.Pointer(unsafe.SliceData(r)))
		if lo == 0 || start < lo {
			lo = start
		}
		hi = max(hi, start+uintptr(len(r)))
	}
	// {"$ref":"#/definitions/Message"}, {"type":"string"} (response, items
	// and the Id definition), {"chunkTransfer":true} and Message.
	if len(distinct) != 4 {
		t.Errorf("%d distinct raw values, want 4: %v", len(distinct), distinct)
	}
	if span := int(hi - lo); span != size {
		t.Errorf("kept values span %d bytes, want %d: they are not one arena of distinct values (still slices of the parsed text?)", span, size)
	}
	send, reply := c.Operations[0], c.Operations[1]
	if unsafe.SliceData(send.Body) != unsafe.SliceData(reply.Body) || unsafe.SliceData(send.Body) != unsafe.SliceData(send.Parameters[0].Schema) {
		t.Error("equal body schemas do not share their bytes")
	}
	if got := string(c.Definitions["Message"]); got != `{"type":"object","properties":{"to":{"type":"string"}}}` {
		t.Errorf("Message = %s", got)
	}
}
