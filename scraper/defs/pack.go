package defs

import (
	"encoding/json"
	"unsafe"

	"github.com/connex-dev/connex/catalog"
)

// packRaw copies every raw JSON value a connector keeps (its definitions,
// and each operation's body, parameter and response schemas and
// capabilities) out of the document's parse buffer into one arena of its
// own, each distinct value once. Before, those values were slices of the
// whole cleaned swagger text, which kept every file's full text alive
// (about 150 MB for the two shared samples) for what is mostly a fraction
// of it; a schema repeated across operations ({"type":"string"}, a $ref to
// the same definition) is now stored once.
//
// The arena is sized before anything is copied, so it is allocated once
// and never moved; each value is capped at its own length, so an append
// to one can never write over the next.
func packRaw(conn *catalog.Connector) {
	var fields []*json.RawMessage
	// Map values are not addressable: pack copies, store them back after.
	names := make([]string, 0, len(conn.Definitions))
	defs := make([]json.RawMessage, 0, len(conn.Definitions))
	for name, v := range conn.Definitions {
		names, defs = append(names, name), append(defs, v)
	}
	for i := range defs {
		fields = appendRaw(fields, &defs[i])
	}
	for _, op := range conn.Operations {
		fields = appendRaw(fields, &op.Body, &op.Capabilities)
		for i := range op.Parameters {
			fields = appendRaw(fields, &op.Parameters[i].Schema)
		}
		for i := range op.Responses {
			fields = appendRaw(fields, &op.Responses[i].Schema)
		}
	}
	if len(fields) == 0 {
		return
	}
	// Distinct values, keyed by their text in the parse buffer: that
	// buffer is not written to while packRaw runs, and the map does not
	// outlive it, so the keys need no copy.
	offsets := make(map[string]int, len(fields))
	size := 0
	for _, f := range fields {
		k := unsafe.String(unsafe.SliceData(*f), len(*f))
		if _, ok := offsets[k]; !ok {
			offsets[k] = size
			size += len(k)
		}
	}
	arena := make([]byte, size)
	for k, off := range offsets {
		copy(arena[off:], k)
	}
	for _, f := range fields {
		off := offsets[unsafe.String(unsafe.SliceData(*f), len(*f))]
		end := off + len(*f)
		*f = json.RawMessage(arena[off:end:end])
	}
	for i, name := range names {
		conn.Definitions[name] = defs[i]
	}
}

func appendRaw(fields []*json.RawMessage, raws ...*json.RawMessage) []*json.RawMessage {
	for _, r := range raws {
		if len(*r) > 0 {
			fields = append(fields, r)
		}
	}
	return fields
}
