package defs

// Following $refs inside a swagger document: resolving, checking, and the
// x-ms-* markers found through them.

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/connex-dev/connex/internal/jsonx"
)

// checkRefs reports every $ref whose target does not exist.
func (cv *converter) checkRefs() {
	for _, ref := range jsonx.Refs(cv.raw) {
		if _, ok := cv.resolve(ref); !ok {
			if strings.HasPrefix(ref, "#") {
				cv.warn("$ref %q points to nothing", ref)
			} else {
				cv.warn("$ref %q is external; only refs inside the file (#/...) are followed", ref)
			}
		}
	}
}

// resolve finds a local $ref's target.
func (cv *converter) resolve(ref string) (json.RawMessage, bool) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, false
	}
	segs := strings.Split(ref[2:], "/")
	for i := range segs {
		segs[i] = jsonx.PointerUnescape(segs[i])
	}
	var m map[string]json.RawMessage
	switch segs[0] {
	case "definitions":
		m = cv.doc.Definitions
	case "parameters":
		m = cv.doc.Parameters
	case "responses":
		m = cv.doc.Responses
	default:
		return jsonx.Pointer(cv.raw, segs)
	}
	if len(segs) < 2 {
		return nil, false
	}
	v, ok := m[segs[1]]
	if !ok {
		return nil, false
	}
	return jsonx.Pointer(v, segs[2:])
}

// follow resolves a chain of $ref objects (a parameter that is a ref to a
// ref...), stopping at cycles.
func (cv *converter) follow(raw json.RawMessage) (json.RawMessage, bool) {
	for range maxRefDepth {
		ref := jsonx.Text(jsonx.Get(raw, "$ref"))
		if ref == "" {
			return raw, true
		}
		next, ok := cv.resolve(ref)
		if !ok {
			return nil, false
		}
		raw = next
	}
	return nil, false
}

var dynamicPrefix = []byte(`"x-ms-dynamic-`)

// hasDynamic looks for x-ms-dynamic-values, -schema or -properties
// keys in one pass.
func hasDynamic(raw []byte) bool {
	for i := 0; ; {
		k := bytes.Index(raw[i:], dynamicPrefix)
		if k < 0 {
			return false
		}
		i += k + len(dynamicPrefix)
		rest := raw[i:]
		for _, suffix := range []string{`values"`, `schema"`, `properties"`} {
			if len(rest) >= len(suffix) && string(rest[:len(suffix)]) == suffix {
				return true
			}
		}
	}
}

var notifURL = []byte(`"x-ms-notification-url"`)

// hasNotifURL reports whether raw, or a definition it refers to (at any
// depth), marks a property as the webhook's callback URL.
func (cv *converter) hasNotifURL(raw []byte) bool {
	if bytes.Contains(raw, notifURL) {
		return true
	}
	for _, ref := range jsonx.Refs(raw) {
		name, ok := strings.CutPrefix(ref, "#/definitions/")
		if !ok {
			continue
		}
		name = jsonx.PointerUnescape(strings.SplitN(name, "/", 2)[0])
		if cv.defNotif(name) {
			return true
		}
	}
	return false
}

func (cv *converter) defNotif(name string) bool {
	if cv.notif == nil {
		cv.notif = map[string]uint8{}
	}
	switch cv.notif[name] {
	case 1, 2:
		return false
	case 3:
		return true
	}
	def, ok := cv.doc.Definitions[name]
	if !ok {
		cv.notif[name] = 2
		return false
	}
	cv.notif[name] = 1
	yes := cv.hasNotifURL(def)
	cv.notif[name] = 2
	if yes {
		cv.notif[name] = 3
	}
	return yes
}

// schemaType names a schema's type, following $refs into the definitions
// (with a depth bound against cycles): "object" when none is given.
func (cv *converter) schemaType(raw json.RawMessage) string {
	for range maxRefDepth {
		if !jsonx.IsObject(raw) {
			return "object"
		}
		var ref, typ string
		var items json.RawMessage
		jsonx.Each(raw, func(key []byte, mVal json.RawMessage) {
			switch string(key) {
			case "$ref":
				ref = jsonx.Text(mVal)
			case "type":
				typ = jsonx.Text(mVal)
			case "items":
				items = mVal
			}
		})
		if ref != "" {
			next, ok := cv.resolve(ref)
			if !ok {
				return "object"
			}
			raw = next
			continue
		}
		if typ == "" {
			return "object"
		}
		if typ == "array" && jsonx.IsObject(items) {
			if it := jsonx.Text(jsonx.Get(items, "type")); it != "" && it != "array" {
				return "array of " + it
			}
			if jsonx.Text(jsonx.Get(items, "$ref")) != "" {
				return "array of object"
			}
		}
		return typ
	}
	return "object"
}
