// Package schema reads the JSON schemas of connector definitions (swagger
// 2.0 style, with $refs into the connector's definitions), and turns them
// into what the rest of connex needs: a resolved tree for display, sample
// values for request skeletons and mock answers, and validation of request
// bodies.
//
// Typical use:
//
//	s, err := schema.Parse(op.Body)           // nil, nil when there is none
//	s = schema.Resolve(s, conn.Definitions, 0) // 0: DefaultMaxDepth
//	body := schema.Sample(s, schema.SampleOptions{RequiredOnly: true, Request: true})
//	problems := schema.Validate(s, decodedJSON)
//
// Definitions are untrusted: every function here is bounded in depth and
// size and never panics on malformed input. Numbers are kept as json.Number
// so that integers survive exactly.
package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/connex-dev/connex/internal/jsonx"
)

// Limits on untrusted input.
const (
	// MaxBytes is the largest schema text Parse reads.
	MaxBytes = 16 << 20
	// MaxJSONDepth is the deepest JSON nesting Parse accepts.
	MaxJSONDepth = 512
	// MaxSchemaDepth is how deep Parse builds the schema tree; deeper
	// schemas are cut and marked Truncated.
	MaxSchemaDepth = 64
)

// Sentinel errors.
var (
	// ErrInvalid: malformed JSON, or a top level that is not an object.
	ErrInvalid = errors.New("invalid schema")
	// ErrTooLarge: the schema text is over MaxBytes.
	ErrTooLarge = errors.New("schema too large")
	// ErrTooDeep: the JSON nests deeper than MaxJSONDepth.
	ErrTooDeep = errors.New("schema nested too deeply")
)

// Schema is one node of a JSON schema. Fields hold what the definition says;
// the zero value is a schema that accepts anything.
type Schema struct {
	// Type is lower-cased: string, integer, number, boolean, array, object,
	// file, null, or whatever else the definition says; "" when absent.
	Type string `json:"type,omitempty"`
	// Types is the list when "type" is one (["string","null"]), each
	// lower-cased, in the definition's order; nil for a single type. Type
	// keeps the first non-null entry.
	Types       []string `json:"types,omitempty"`
	Format      string   `json:"format,omitempty"`
	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	// Summary is x-ms-summary, the name makers see.
	Summary string `json:"summary,omitempty"`
	// Visibility is x-ms-visibility (important, advanced, internal).
	Visibility string `json:"visibility,omitempty"`
	// Ref is the $ref as written. Resolve keeps it on the inlined node so
	// a viewer can show the definition's name (see RefName).
	Ref string `json:"ref,omitempty"`

	Properties map[string]*Schema `json:"properties,omitempty"`
	// Order lists the keys of Properties in definition order.
	Order []string `json:"order,omitempty"`
	Items *Schema  `json:"items,omitempty"`
	// AdditionalProperties is the schema of extra keys, when one is given.
	AdditionalProperties *Schema `json:"additional_properties,omitempty"`
	// AllOf parts; Resolve merges them into the node and clears this.
	AllOf    []*Schema `json:"all_of,omitempty"`
	Required []string  `json:"required,omitempty"`
	Enum     []any     `json:"enum,omitempty"`
	Default  any       `json:"default,omitempty"`
	Example  any       `json:"example,omitempty"`

	ReadOnly bool `json:"read_only,omitempty"`
	// Nullable is x-nullable, or a type list that includes "null".
	Nullable bool `json:"nullable,omitempty"`
	// Dynamic is true for x-ms-dynamic-schema / x-ms-dynamic-properties:
	// the real shape is only known at run time.
	Dynamic bool `json:"dynamic,omitempty"`

	// Cycle marks a $ref already being expanded on the path from the root:
	// the node keeps the target's type and texts but no children.
	Cycle bool `json:"cycle,omitempty"`
	// Missing marks a $ref whose target is absent (or not a local
	// definition, or unreadable).
	Missing bool `json:"missing,omitempty"`
	// Truncated marks a node cut by a depth or size limit.
	Truncated bool `json:"truncated,omitempty"`
}

// Parse reads one schema. Empty input or JSON null gives (nil, nil): no
// schema. Fields of the wrong JSON type are ignored rather than rejected,
// because real definitions are sloppy; only malformed JSON, a non-object
// top level, or input beyond the limits is an error.
func Parse(raw json.RawMessage) (*Schema, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if len(raw) > MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(raw), MaxBytes)
	}
	v, err := decodeOrdered(raw)
	if err != nil {
		return nil, err
	}
	switch t := v.(type) {
	case *object:
		return build(t, 0), nil
	case bool:
		// JSON Schema's boolean form: true accepts anything.
		return &Schema{}, nil
	default:
		return nil, fmt.Errorf("%w: expected a JSON object, got %s", ErrInvalid, jsonKind(v))
	}
}

// MustParse is Parse for literals in tests and code; it panics on error.
func MustParse(raw string) *Schema {
	s, err := Parse(json.RawMessage(raw))
	if err != nil {
		panic(err)
	}
	return s
}

// RefName returns the definition name of a local "#/definitions/NAME" ref,
// unescaped, and whether the ref has that form.
func RefName(ref string) (string, bool) {
	const prefix = "#/definitions/"
	if !strings.HasPrefix(ref, prefix) {
		return "", false
	}
	name := ref[len(prefix):]
	if name == "" || strings.Contains(name, "/") {
		return "", false
	}
	// JSON pointer escapes, then the URI escapes some tools write.
	name = strings.ReplaceAll(strings.ReplaceAll(name, "~1", "/"), "~0", "~")
	if strings.Contains(name, "%") {
		if u, err := unescapePercent(name); err == nil {
			name = u
		}
	}
	return name, true
}

func unescapePercent(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", ErrInvalid
		}
		hi, ok1 := unhex(s[i+1])
		lo, ok2 := unhex(s[i+2])
		if !ok1 || !ok2 {
			return "", ErrInvalid
		}
		b.WriteByte(hi<<4 | lo)
		i += 2
	}
	return b.String(), nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// IsRequired reports whether the named property is required.
func (s *Schema) IsRequired(name string) bool {
	if s == nil {
		return false
	}
	for _, r := range s.Required {
		if r == name {
			return true
		}
	}
	return false
}

// EffectiveType is Type, or what the node's shape implies when the
// definition leaves the type out ("object" with properties, "array" with
// items).
func (s *Schema) EffectiveType() string {
	switch {
	case s == nil:
		return ""
	case s.Type != "":
		return s.Type
	case len(s.Properties) > 0 || s.AdditionalProperties != nil:
		return "object"
	case s.Items != nil:
		return "array"
	}
	return ""
}

// TypeName describes the type for people: "string", "string (date-time)",
// "array of integer", "object", "Task" for a ref to a definition, "any".
func (s *Schema) TypeName() string {
	return typeName(s, 0)
}

func typeName(s *Schema, depth int) string {
	if s == nil {
		return "any"
	}
	if depth > 8 {
		return "..."
	}
	t := s.EffectiveType()
	if name, ok := RefName(s.Ref); ok && (t == "" || t == "object") {
		return name
	}
	switch t {
	case "":
		return "any"
	case "array":
		return "array of " + typeName(s.Items, depth+1)
	}
	if s.Format != "" {
		return t + " (" + s.Format + ")"
	}
	return t
}

// object is a JSON object that remembers its key order.
type object = jsonx.Object

// plain turns ordered objects into map[string]any, for examples, defaults
// and enums.
func plain(v any) any {
	switch t := v.(type) {
	case *object:
		m := make(map[string]any, len(t.Vals))
		for k, x := range t.Vals {
			m[k] = plain(x)
		}
		return m
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = plain(x)
		}
		return out
	}
	return v
}

func build(o *object, depth int) *Schema {
	s := &Schema{}
	if depth > MaxSchemaDepth {
		s.Truncated = true
		return s
	}
	str := func(k string) string {
		v, _ := o.Vals[k].(string)
		return v
	}
	for _, k := range o.Keys {
		v := o.Vals[k]
		switch k {
		case "type":
			switch t := v.(type) {
			case string:
				s.Type = strings.ToLower(strings.TrimSpace(t))
			case []any:
				// A type list: the first non-null type; null makes it nullable.
				for _, x := range t {
					name, _ := x.(string)
					name = strings.ToLower(strings.TrimSpace(name))
					if name != "" {
						s.Types = append(s.Types, name)
					}
					if name == "null" {
						s.Nullable = true
					} else if name != "" && s.Type == "" {
						s.Type = name
					}
				}
			}
		case "format":
			s.Format = str(k)
		case "title":
			s.Title = str(k)
		case "description":
			s.Description = str(k)
		case "x-ms-summary":
			s.Summary = str(k)
		case "x-ms-visibility":
			s.Visibility = strings.ToLower(str(k))
		case "$ref":
			s.Ref = str(k)
		case "properties":
			props, ok := v.(*object)
			if !ok {
				continue
			}
			for _, name := range props.Keys {
				po, ok := props.Vals[name].(*object)
				if !ok {
					continue
				}
				if s.Properties == nil {
					s.Properties = make(map[string]*Schema, len(props.Keys))
				}
				s.Properties[name] = build(po, depth+1)
				s.Order = append(s.Order, name)
			}
		case "items":
			switch t := v.(type) {
			case *object:
				s.Items = build(t, depth+1)
			case []any:
				// Tuple form: the first item stands for all.
				for _, x := range t {
					if xo, ok := x.(*object); ok {
						s.Items = build(xo, depth+1)
						break
					}
				}
			}
		case "additionalProperties":
			if t, ok := v.(*object); ok {
				s.AdditionalProperties = build(t, depth+1)
			}
		case "allOf":
			arr, _ := v.([]any)
			for _, x := range arr {
				if xo, ok := x.(*object); ok {
					s.AllOf = append(s.AllOf, build(xo, depth+1))
				}
			}
		case "required":
			arr, _ := v.([]any)
			for _, x := range arr {
				if name, ok := x.(string); ok && !contains(s.Required, name) {
					s.Required = append(s.Required, name)
				}
			}
		case "enum":
			if arr, ok := v.([]any); ok {
				s.Enum = plain(arr).([]any)
			}
		case "default":
			s.Default = plain(v)
		case "example":
			s.Example = plain(v)
		case "readOnly":
			s.ReadOnly, _ = v.(bool)
		case "x-nullable":
			s.Nullable, _ = v.(bool)
		case "x-ms-dynamic-schema", "x-ms-dynamic-properties":
			s.Dynamic = true
		}
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// jsonKind names the JSON type of a decoded value.
func jsonKind(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if isIntegral(string(t)) {
			return "integer"
		}
		return "number"
	case float64, float32:
		if isIntegralFloat(toFloat(t)) {
			return "integer"
		}
		return "number"
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return "integer"
	case *object, map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return fmt.Sprintf("%T", v)
}
