package site

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/connex-dev/connex/catalog"
)

// schema is a JSON schema synthesised from what a reference page shows
// (a type name such as "array of FeedItem", a Name | Path | Type |
// Description table). It is written with its keys in a fixed order and its
// properties in page order, so a page always gives the same bytes.
type jsonSchema struct {
	ref     string // definition name
	typ     string
	format  string
	other   string // a type the page names that is neither a JSON type nor a definition
	items   *jsonSchema
	props   []prop
	desc    string
	summary string // the Name column: x-ms-summary, as in the definitions
}

type prop struct {
	name string
	s    *jsonSchema
}

var formats = map[string][2]string{
	"date-time": {"string", "date-time"}, "date": {"string", "date"}, "time": {"string", "time"},
	"email": {"string", "email"}, "uri": {"string", "uri"}, "uuid": {"string", "uuid"},
	"binary": {"string", "binary"}, "byte": {"string", "byte"}, "file": {"string", "binary"},
	"html": {"string", "html"}, "password": {"string", "password"},
	"int32": {"integer", "int32"}, "int64": {"integer", "int64"},
	"float": {"number", "float"}, "double": {"number", "double"},
}

// typeSchema turns a type as the site shows it into a schema; defs (by
// lower-cased name) turns definition names into $refs.
func typeSchema(t string, defs map[string]string) *jsonSchema {
	t = strings.TrimSpace(t)
	low := strings.ToLower(t)
	switch {
	case t == "":
		return &jsonSchema{}
	case strings.HasPrefix(low, "array of "):
		return &jsonSchema{typ: "array", items: typeSchema(t[len("array of "):], defs)}
	}
	// JSON types first: pages also list "object" and "string" as
	// definitions, and a $ref to those says less than the type itself.
	switch low {
	case "string", "integer", "number", "boolean", "object", "array":
		return &jsonSchema{typ: low}
	}
	if f, ok := formats[low]; ok {
		return &jsonSchema{typ: f[0], format: f[1]}
	}
	if name, ok := defs[low]; ok {
		return &jsonSchema{ref: name}
	}
	return &jsonSchema{other: t}
}

// schemaFromFields builds an object schema from a definition table;
// dotted paths become nested properties. A table of one row without a path
// describes the definition itself (a list of another definition).
func schemaFromFields(fields []catalog.Field, defs map[string]string) *jsonSchema {
	if len(fields) == 1 && fields[0].Path == "" {
		s := typeSchema(fields[0].Type, defs)
		s.summary, s.desc = fields[0].Name, fields[0].Description
		return s
	}
	root := &jsonSchema{typ: "object"}
	for _, f := range fields {
		path := f.Path
		if path == "" {
			path = f.Name
		}
		if path == "" {
			continue
		}
		segs := strings.Split(path, ".")
		cur := root
		leaf := path
		for i, seg := range segs[:len(segs)-1] {
			child := cur.prop(seg)
			if child == nil {
				child = &jsonSchema{typ: "object"}
				cur.props = append(cur.props, prop{name: seg, s: child})
			}
			if child.typ == "array" {
				if child.items == nil || (child.items.ref == "" && child.items.typ != "object") {
					child.items = &jsonSchema{typ: "object"}
				}
				child = child.items
			}
			if child.ref != "" || (child.typ != "object" && child.typ != "") {
				// Cannot descend into a $ref or a scalar: keep the rest of
				// the path as one key.
				leaf = strings.Join(segs[i:], ".")
				break
			}
			cur = child
			leaf = segs[len(segs)-1]
		}
		s := typeSchema(f.Type, defs)
		s.summary, s.desc = f.Name, f.Description
		if old := cur.prop(leaf); old != nil {
			old.ref, old.typ, old.format, old.other, old.summary, old.desc = s.ref, s.typ, s.format, s.other, s.summary, s.desc
			if s.items != nil {
				old.items = s.items
			}
			continue
		}
		cur.props = append(cur.props, prop{name: leaf, s: s})
	}
	return root
}

func (s *jsonSchema) prop(name string) *jsonSchema {
	for _, p := range s.props {
		if p.name == name {
			return p.s
		}
	}
	return nil
}

func (s *jsonSchema) json() json.RawMessage {
	var b bytes.Buffer
	s.write(&b)
	return json.RawMessage(b.Bytes())
}

func (s *jsonSchema) write(b *bytes.Buffer) {
	b.WriteByte('{')
	n := 0
	key := func(k string) {
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		jSONString(b, k)
		b.WriteByte(':')
	}
	str := func(k, v string) {
		if v != "" {
			key(k)
			jSONString(b, v)
		}
	}
	if s.ref != "" {
		str("$ref", "#/definitions/"+jSONPointerEscape(s.ref))
	}
	str("type", s.typ)
	str("format", s.format)
	if s.items != nil {
		key("items")
		s.items.write(b)
	}
	if len(s.props) > 0 {
		key("properties")
		b.WriteByte('{')
		for i, p := range s.props {
			if i > 0 {
				b.WriteByte(',')
			}
			jSONString(b, p.name)
			b.WriteByte(':')
			p.s.write(b)
		}
		b.WriteByte('}')
	}
	str("description", s.desc)
	str("x-ms-summary", s.summary)
	str("x-site-type", s.other)
	b.WriteByte('}')
}

func jSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Truncate(b.Len() - 1)
}

func jSONPointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
