package schema

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Field is one property of a resolved schema, flattened to a path from the
// root: what `connex show` lists as an operation's body fields, so a user
// (or a script) sees To, Subject and Body instead of a definition's name.
type Field struct {
	// Path joins property names with dots; an array's items add "[]":
	// "To", "Attachments[].Name".
	Path string `json:"path"`
	// Name is the name makers see (x-ms-summary, else the title).
	Name string `json:"name,omitempty"`
	// Type is Schema.TypeName: "string (email)", "array of Attachment",
	// a definition's name for an object that has one, "any".
	Type string `json:"type"`
	// Required is the parent object's required list naming this field.
	Required    bool   `json:"required"`
	Description string `json:"description,omitempty"`
	// Visibility is x-ms-visibility: important, advanced or internal.
	Visibility string `json:"visibility,omitempty"`
	// ReadOnly fields come back in responses and are not sent.
	ReadOnly bool `json:"read_only,omitempty"`
	// Enum lists the allowed values, as text.
	Enum []string `json:"enum,omitempty"`
}

// Field limits: a definition is untrusted, and a listing is for reading.
const (
	// FieldsMaxDepth bounds how many objects deep Fields descends.
	FieldsMaxDepth = 4
	// FieldsMax bounds how many fields Fields returns.
	FieldsMax = 200
)

// Fields flattens the properties of a resolved schema (see Resolve), in
// definition order, depth first: each object's properties, then an array
// property's item properties under "name[]". It descends at most maxDepth
// objects (<= 0: FieldsMaxDepth) and returns at most max fields (<= 0:
// FieldsMax); more says whether anything was left out. A schema that is
// not an object (or an array of objects) has no fields.
func Fields(s *Schema, maxDepth, max int) (fields []Field, more bool) {
	if maxDepth <= 0 {
		maxDepth = FieldsMaxDepth
	}
	if max <= 0 {
		max = FieldsMax
	}
	w := fieldWalk{maxDepth: maxDepth, max: max}
	w.object(objectOf(s), "", 0)
	return w.out, w.more
}

type fieldWalk struct {
	maxDepth, max int
	out           []Field
	more          bool
}

// objectOf is s, or the items of an array s: the node whose properties are
// listed.
func objectOf(s *Schema) *Schema {
	for i := 0; s != nil && s.EffectiveType() == "array" && i < 8; i++ {
		s = s.Items
	}
	return s
}

func (w *fieldWalk) object(s *Schema, prefix string, depth int) {
	if s == nil || len(s.Properties) == 0 {
		return
	}
	if depth >= w.maxDepth {
		w.more = true
		return
	}
	for _, key := range propertyOrder(s) {
		p := s.Properties[key]
		if p == nil {
			continue
		}
		if len(w.out) >= w.max {
			w.more = true
			return
		}
		path := key
		if prefix != "" {
			path = prefix + "." + key
		}
		f := Field{
			Path:        path,
			Name:        cmp.Or(p.Summary, p.Title),
			Type:        p.TypeName(),
			Required:    slices.Contains(s.Required, key),
			Description: p.Description,
			Visibility:  p.Visibility,
			ReadOnly:    p.ReadOnly,
		}
		for _, e := range p.Enum {
			f.Enum = append(f.Enum, EnumText(e))
		}
		w.out = append(w.out, f)
		child := p
		if p.EffectiveType() == "array" {
			child = objectOf(p)
			path += "[]"
		}
		w.object(child, path, depth+1)
	}
}

// propertyOrder is Order when it names every property (as Parse builds
// it), else Order followed by the keys it misses, sorted, so the listing
// is stable whatever built the schema.
func propertyOrder(s *Schema) []string {
	if len(s.Order) == len(s.Properties) {
		return s.Order
	}
	keys := append([]string(nil), s.Order...)
	var rest []string
	for k := range s.Properties {
		if !slices.Contains(s.Order, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(keys, rest...)
}

// EnumText is one enum value (or default, or example) as text: a string
// as it is, anything else as JSON writes it (null, true, 12, {"a":1}).
func EnumText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return jsonText(v)
}

// jsonText is v as JSON on one line, through an encoder rather than
// json.Marshal so that <, > and & stay as written.
func jsonText(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
