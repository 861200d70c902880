package replica

import (
	"encoding/json"
	"sort"
	"strings"
)

// schemaDoc resolves local $refs ("#/definitions/Name") of one connector.
// Schemas are decoded lazily and defensively: definitions are untrusted,
// so every type assertion is checked and recursion is bounded.
type schemaDoc struct {
	defs    map[string]json.RawMessage
	decoded map[string]map[string]any
}

const maxSchemaDepth = 3

func newSchemaDoc(defs map[string]json.RawMessage) *schemaDoc {
	return &schemaDoc{defs: defs, decoded: map[string]map[string]any{}}
}

func decodeSchema(raw json.RawMessage) map[string]any {
	if len(raw) == 0 {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}

// def returns the named definition, or nil.
func (d *schemaDoc) def(name string) map[string]any {
	if m, ok := d.decoded[name]; ok {
		return m
	}
	m := decodeSchema(d.defs[name])
	d.decoded[name] = m
	return m
}

// refName returns the definition a schema points to ("" when none or
// when the definition does not exist: some real $refs dangle).
func (d *schemaDoc) refName(s map[string]any) string {
	ref, _ := s["$ref"].(string)
	name, ok := strings.CutPrefix(ref, "#/definitions/")
	if !ok || name == "" {
		return ""
	}
	if name, err := unescapePointer(name); err == nil && d.def(name) != nil {
		return name
	}
	return ""
}

func unescapePointer(s string) (string, error) {
	s = strings.ReplaceAll(s, "~1", "/")
	return strings.ReplaceAll(s, "~0", "~"), nil
}

// resolve follows a $ref chain to the schema it names.
func (d *schemaDoc) resolve(s map[string]any) map[string]any {
	for i := 0; i < 8 && s != nil; i++ {
		name := d.refName(s)
		if name == "" {
			return s
		}
		s = d.def(name)
	}
	return s
}

func isDynamic(s map[string]any) bool {
	for _, k := range []string{"x-ms-dynamic-schema", "x-ms-dynamic-properties"} {
		if _, ok := s[k]; ok {
			return true
		}
	}
	return false
}

// typeName is how the site names a schema's type: a definition's name,
// "array of X", a string format such as "date-time" or "email", else the
// JSON type.
func (d *schemaDoc) typeName(s map[string]any, depth int) string {
	if s == nil {
		return "object"
	}
	if isDynamic(s) {
		return "dynamic"
	}
	if name := d.refName(s); name != "" {
		return name
	}
	typ, _ := s["type"].(string)
	format, _ := s["format"].(string)
	switch typ {
	case "array":
		items, _ := s["items"].(map[string]any)
		if depth >= maxSchemaDepth {
			return "array"
		}
		return "array of " + d.typeName(items, depth+1)
	case "string":
		return stringFormat(format)
	case "number":
		if format == "float" || format == "double" {
			return format
		}
		return "number"
	case "integer", "boolean", "file", "object":
		return typ
	case "":
		return "object"
	}
	return oneLine(typ)
}

func stringFormat(format string) string {
	switch format {
	case "date-time", "date", "email", "byte", "binary", "html", "uri", "uuid":
		return format
	}
	return "string"
}

// displayField is one row of a flattened object schema.
type displayField struct {
	name, key, typ, desc string
	required             bool
}

// fields flattens an object schema into rows: each property, and the
// properties of nested objects with a dotted path, up to maxSchemaDepth.
// Internal properties are hidden as the site hides them.
func (d *schemaDoc) fields(s map[string]any) []displayField {
	var out []displayField
	d.walk(d.resolve(s), "", 0, &out)
	return out
}

func (d *schemaDoc) walk(s map[string]any, prefix string, depth int, out *[]displayField) {
	props, _ := s["properties"].(map[string]any)
	if len(props) == 0 || depth >= maxSchemaDepth || len(*out) > 200 {
		return
	}
	required := map[string]bool{}
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			if name, ok := r.(string); ok {
				required[name] = true
			}
		}
	}
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	// JSON objects decode without order; the site keeps the swagger order,
	// which encoding/json cannot give back, so sort for determinism.
	sort.Strings(keys)
	for _, k := range keys {
		p, _ := props[k].(map[string]any)
		if p == nil {
			continue
		}
		if v, _ := p["x-ms-visibility"].(string); v == "internal" {
			continue
		}
		key := oneLine(k)
		if key == "" {
			continue
		}
		path := key
		if prefix != "" {
			path = prefix + "." + key
		}
		name, _ := p["x-ms-summary"].(string)
		name = oneLine(name)
		if name == "" {
			name = key
		}
		desc, _ := p["description"].(string)
		resolved := d.resolve(p)
		typ := d.typeName(p, 0)
		nestedProps, _ := resolved["properties"].(map[string]any)
		if len(nestedProps) > 0 && d.refName(p) == "" && depth+1 < maxSchemaDepth {
			d.walk(resolved, path, depth+1, out)
			continue
		}
		*out = append(*out, displayField{name: name, key: path, typ: typ, desc: oneLine(desc), required: required[k]})
		if len(*out) > 200 {
			return
		}
	}
}
