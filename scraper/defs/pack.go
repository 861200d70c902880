package defs

import (
	"encoding/json"
	"sync"
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
// to one can never write over the next. Values tab already holds (from
// another connector of the same import) are shared instead of copied.
func packRaw(conn *catalog.Connector, tab *rawTable) {
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
	// Distinct values and their packed copy, keyed by their text in the
	// parse buffer: that buffer is not written to while packRaw runs, and
	// the map does not outlive it, so the keys need no copy. Values that
	// another connector of the import already holds are shared.
	packed := make(map[string]json.RawMessage, len(fields))
	for _, f := range fields {
		packed[rawKey(*f)] = nil
	}
	tab.share(packed)
	size := 0
	for k, v := range packed {
		if v == nil {
			size += len(k)
		}
	}
	arena := make([]byte, size)
	var fresh []json.RawMessage
	off := 0
	for _, f := range fields {
		k := rawKey(*f)
		if packed[k] != nil {
			continue
		}
		end := off + len(k)
		copy(arena[off:], k)
		packed[k] = json.RawMessage(arena[off:end:end])
		fresh = append(fresh, packed[k])
		off = end
	}
	tab.keep(fresh)
	for _, f := range fields {
		*f = packed[rawKey(*f)]
	}
	for i, name := range names {
		conn.Definitions[name] = defs[i]
	}
}

// rawKey is a raw value's text, without a copy.
func rawKey(r json.RawMessage) string { return unsafe.String(unsafe.SliceData(r), len(r)) }

// rawTable shares raw values across the connectors of one import: the two
// public samples hold most connectors twice (a definition and an API
// reply's swagger), and a third of their schema bytes are the same
// values (13 of 39 MB), all alive until the two are merged. A nil table
// shares nothing.
type rawTable struct {
	mu sync.Mutex
	// m's keys and values are the packed copies (never written).
	m map[string]json.RawMessage
}

// share sets each value of packed that the table already holds.
func (t *rawTable) share(packed map[string]json.RawMessage) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for k := range packed {
		if v, ok := t.m[k]; ok {
			packed[k] = v
		}
	}
}

// keep adds packed values for the connectors parsed after.
func (t *rawTable) keep(values []json.RawMessage) {
	if t == nil || len(values) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = make(map[string]json.RawMessage, 1<<14)
	}
	for _, v := range values {
		if k := rawKey(v); t.m[k] == nil {
			t.m[k] = v
		}
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
