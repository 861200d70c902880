package schema

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// SampleOptions tune Sample.
type SampleOptions struct {
	// RequiredOnly keeps only required properties: a skeleton for a
	// request body with the fields a user must fill in.
	RequiredOnly bool
	// Request leaves out readOnly properties, which servers set.
	Request bool
	// MaxDepth bounds nesting (<= 0: 8): deeper arrays are left empty
	// and deeper objects hold only their required properties.
	MaxDepth int
	// MaxNodes bounds the number of values produced (<= 0: 2000).
	MaxNodes int
}

// Sample values for strings by format, and for other types.
const (
	SampleString   = "string"
	SampleDateTime = "2026-01-01T00:00:00Z"
	SampleDate     = "2026-01-01"
	SampleTime     = "12:00:00"
	SampleEmail    = "user@example.com"
	SampleURI      = "https://example.com"
	SampleUUID     = "00000000-0000-4000-8000-000000000000"
	SampleByte     = "c3RyaW5n" // base64 of "string"
)

// Sample returns a value that fits s, for request skeletons and mock
// answers: the schema's example, else its default, else its first enum
// value, else a typed sample ("string", 0, false, dates, emails, URIs,
// UUIDs by format). Examples and defaults that do not fit the schema are
// skipped. Objects hold their properties (only the required ones with
// RequiredOnly), arrays one item. Numbers are json.Number; objects are
// map[string]any. The result is a fresh value the caller may change.
//
// Sample(nil) is nil. Resolve s first: an unresolved $ref samples as {}.
func Sample(s *Schema, opts SampleOptions) any {
	if s == nil {
		return nil
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = 8
	}
	if opts.MaxNodes <= 0 {
		opts.MaxNodes = 2000
	}
	sp := &sampler{opts: opts, budget: opts.MaxNodes}
	return sp.sample(s, 0)
}

type sampler struct {
	opts   SampleOptions
	budget int
}

func (sp *sampler) sample(s *Schema, depth int) any {
	sp.budget--
	typ := s.EffectiveType()
	if typ == "" && s.Format != "" {
		typ = "string"
	}
	for _, c := range [...]any{s.Example, s.Default} {
		if c != nil && fits(s, c) {
			return clone(c, 0)
		}
	}
	for _, e := range s.Enum {
		if c := coerce(typ, e); fits(s, c) {
			return clone(c, 0)
		}
	}
	switch typ {
	case "object", "":
		m := map[string]any{}
		// Past MaxDepth only required properties are filled in, so the
		// sample stays valid; past four times that, nothing.
		requiredOnly := sp.opts.RequiredOnly || depth >= sp.opts.MaxDepth
		if depth >= 4*sp.opts.MaxDepth {
			return m
		}
		for _, name := range s.Order {
			p := s.Properties[name]
			if p == nil || (requiredOnly && !s.IsRequired(name)) || (sp.opts.Request && p.ReadOnly) {
				continue
			}
			if sp.budget <= 0 {
				break
			}
			m[name] = sp.sample(p, depth+1)
		}
		if !sp.opts.RequiredOnly && len(s.Properties) == 0 && s.AdditionalProperties != nil && sp.budget > 0 {
			m["key"] = sp.sample(s.AdditionalProperties, depth+1)
		}
		return m
	case "array":
		if s.Items == nil || depth >= sp.opts.MaxDepth || sp.budget <= 0 {
			return []any{}
		}
		return []any{sp.sample(s.Items, depth+1)}
	case "integer", "number":
		return json.Number("0")
	case "boolean":
		return false
	case "null":
		return nil
	}
	return StringSample(s.Format)
}

// StringSample is the sample string for a format.
func StringSample(format string) string {
	switch strings.ToLower(format) {
	case "date-time", "datetime":
		return SampleDateTime
	case "date":
		return SampleDate
	case "time":
		return SampleTime
	case "email":
		return SampleEmail
	case "uri", "url", "uri-reference", "iri":
		return SampleURI
	case "uuid", "guid":
		return SampleUUID
	case "byte", "base64":
		return SampleByte
	case "hostname":
		return "example.com"
	case "ipv4":
		return "192.0.2.1"
	case "ipv6":
		return "2001:db8::1"
	}
	return SampleString
}

// fits reports whether v is valid for s, so an example or default that
// contradicts its own schema is not offered as a sample.
func fits(s *Schema, v any) bool {
	return len(validate(s, v, 1)) == 0
}

// coerce turns an enum value written as a string ("1", "true") into the
// declared type, as definitions often quote them.
func coerce(typ string, v any) any {
	str, ok := v.(string)
	if !ok {
		return v
	}
	switch typ {
	case "integer":
		if _, err := strconv.ParseInt(str, 10, 64); err == nil {
			return json.Number(str)
		}
	case "number":
		if f, err := strconv.ParseFloat(str, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return json.Number(str)
		}
	case "boolean":
		if b, err := strconv.ParseBool(str); err == nil {
			return b
		}
	}
	return v
}

// clone deep-copies decoded JSON so samples never share the schema's
// example maps with the caller.
func clone(v any, depth int) any {
	if depth > MaxJSONDepth {
		return nil
	}
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = clone(x, depth+1)
		}
		return m
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = clone(x, depth+1)
		}
		return out
	}
	return v
}

func isIntegral(num string) bool {
	if !strings.ContainsAny(num, ".eE") {
		_, err := strconv.ParseInt(num, 10, 64)
		if err == nil {
			return true
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	return err == nil && isIntegralFloat(f)
}

func isIntegralFloat(f float64) bool {
	return !math.IsInf(f, 0) && !math.IsNaN(f) && f == math.Trunc(f)
}

func toFloat(v any) float64 {
	switch t := v.(type) {
	case float64:
		return t
	case float32:
		return float64(t)
	}
	return math.NaN()
}
