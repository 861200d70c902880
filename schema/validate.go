package schema

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Validation limits.
const (
	// MaxProblems is the most problems Validate reports.
	MaxProblems = 50
	// maxValidateDepth bounds how deep Validate walks a value.
	maxValidateDepth = 64
)

// ProblemKind says what kind of rule a value broke: the kind of a Problem
// and of a ParamError.
type ProblemKind string

// Problem kinds.
const (
	ProblemRequired ProblemKind = "required"
	ProblemType     ProblemKind = "type"
	ProblemEnum     ProblemKind = "enum"
)

// Problem is one way a value does not fit its schema.
type Problem struct {
	// Path locates the offending value from the root: "" for the root
	// itself, "lines[0].sku", `meta["a.b"]`. For a missing property it is
	// the path the property would have.
	Path string `json:"path"`
	// Kind is ProblemRequired, ProblemType or ProblemEnum.
	Kind ProblemKind `json:"kind"`
	// Message says what is wrong, without the path: "missing required
	// property", "must be an integer, got string".
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// Validate checks a decoded JSON value (from encoding/json: map[string]any,
// []any, string, float64 or json.Number, bool, nil) against a resolved
// schema: declared types, required properties, enums, nested objects and
// array items, extra keys against additionalProperties. It is written for
// request bodies and is lenient where real definitions are unreliable:
// formats, lengths and ranges are not checked, undeclared extra properties
// are allowed, unknown types accept anything, and a required property that
// is readOnly may be left out. Below a node that Resolve did not expand
// (Cycle, Truncated, Missing) only the node's own type is checked. Problems come in a stable order, at most
// MaxProblems of them.
func Validate(s *Schema, v any) []Problem {
	return validate(s, v, MaxProblems)
}

func validate(s *Schema, v any, max int) []Problem {
	vd := &validator{max: max}
	vd.walk(s, v, "", 0)
	return vd.problems
}

type validator struct {
	max      int
	problems []Problem
}

func (vd *validator) add(path string, kind ProblemKind, msg string) {
	if len(vd.problems) < vd.max {
		vd.problems = append(vd.problems, Problem{Path: path, Kind: kind, Message: msg})
	}
}

func (vd *validator) full() bool { return len(vd.problems) >= vd.max }

func (vd *validator) walk(s *Schema, v any, path string, depth int) {
	if s == nil || depth > maxValidateDepth || vd.full() {
		return
	}
	if v == nil {
		if !s.Nullable && isCheckedType(s.Type) && s.Type != "null" {
			vd.add(path, ProblemType, "must be "+article(s.Type)+", got null")
		}
		return
	}
	if isCheckedType(s.Type) && !typeMatches(s.Type, v) {
		vd.add(path, ProblemType, "must be "+article(s.Type)+", got "+jsonKind(v))
		return
	}
	if len(s.Enum) > 0 && !inEnum(s.Enum, v) {
		vd.add(path, ProblemEnum, "must be one of "+FormatEnum(s.Enum)+"; got "+shortJSON(v))
		return
	}
	if s.Cycle || s.Truncated || s.Missing {
		// The node's children were not expanded: its required names
		// and properties cannot be checked.
		return
	}
	switch t := v.(type) {
	case map[string]any:
		for _, name := range s.Required {
			if _, ok := t[name]; ok {
				continue
			}
			if p := s.Properties[name]; p != nil && p.ReadOnly {
				continue
			}
			vd.add(JoinPath(path, name), ProblemRequired, "missing required property")
		}
		for _, name := range s.Order {
			if x, ok := t[name]; ok {
				vd.walk(s.Properties[name], x, JoinPath(path, name), depth+1)
			}
		}
		if s.AdditionalProperties != nil {
			extra := make([]string, 0, len(t))
			for k := range t {
				if _, declared := s.Properties[k]; !declared {
					extra = append(extra, k)
				}
			}
			sort.Strings(extra)
			for _, k := range extra {
				vd.walk(s.AdditionalProperties, t[k], JoinPath(path, k), depth+1)
			}
		}
	case []any:
		if s.Items == nil {
			return
		}
		for i, x := range t {
			if vd.full() {
				return
			}
			vd.walk(s.Items, x, path+"["+strconv.Itoa(i)+"]", depth+1)
		}
	}
}

// JoinPath appends a property name to a value path: "a.b", or `a["x.y"]`
// when the name is not a plain word.
func JoinPath(path, name string) string {
	plainName := name != ""
	for _, r := range name {
		if r == '.' || r == '[' || r == ']' || r == '"' || r == ' ' || r < 0x20 {
			plainName = false
			break
		}
	}
	switch {
	case !plainName:
		return path + "[" + strconv.Quote(name) + "]"
	case path == "":
		return name
	}
	return path + "." + name
}

func isCheckedType(t string) bool {
	switch t {
	case "string", "integer", "number", "boolean", "array", "object", "null":
		return true
	}
	return false
}

func typeMatches(t string, v any) bool {
	k := jsonKind(v)
	switch t {
	case "number":
		return k == "number" || k == "integer"
	case "integer":
		return k == "integer"
	}
	return k == t
}

func article(t string) string {
	switch t {
	case "integer", "object", "array":
		return "an " + t
	case "null":
		return "null"
	}
	return "a " + t
}

// inEnum compares leniently: scalars match when their JSON texts match or
// when one is the quoted form of the other ("1" and 1), since definitions
// quote enum values of numbers and booleans.
func inEnum(enum []any, v any) bool {
	vs := scalarText(v)
	for _, e := range enum {
		if vs != "" && vs == scalarText(e) {
			return true
		}
		if vs == "" && shortJSON(e) == shortJSON(v) {
			return true
		}
	}
	return false
}

// scalarText is the text of a scalar ("" for objects and arrays).
func scalarText(v any) string {
	switch t := v.(type) {
	case string:
		return "s:" + t
	case bool:
		return "s:" + strconv.FormatBool(t)
	case nil:
		return "s:null"
	case json.Number:
		return "s:" + normNumber(string(t))
	case float64:
		return "s:" + normNumber(strconv.FormatFloat(t, 'g', -1, 64))
	case int, int64, int32:
		return "s:" + fmt.Sprint(t)
	}
	return ""
}

func normNumber(s string) string {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return s
}

// FormatEnum lists enum values for a message: `"a", "b", 3` (at most 10,
// then "...").
func FormatEnum(enum []any) string {
	parts := make([]string, 0, 11)
	for i, e := range enum {
		if i == 10 {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, shortJSON(e))
	}
	return strings.Join(parts, ", ")
}

// shortJSON renders a value as JSON for a message, cut to 60 characters.
func shortJSON(v any) string {
	s := jsonText(v)
	if len(s) > 60 {
		cut := 57
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}
