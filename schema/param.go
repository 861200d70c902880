package schema

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/connex-dev/connex/catalog"
)

// ErrBadValue is wrapped by CheckParam's errors.
var ErrBadValue = errors.New("bad parameter value")

// ParamError is a parameter value that does not fit its declaration. Its
// message is relative to the parameter ("must be an integer, got \"abc\"")
// so callers can prefix it with the parameter's name and place.
type ParamError struct {
	Kind ProblemKind // ProblemType or ProblemEnum
	Msg  string
}

func (e *ParamError) Error() string { return e.Msg }
func (e *ParamError) Unwrap() error { return ErrBadValue }

// ParamType splits a catalogue parameter type into its base type (string,
// integer, number, boolean, array, object, file, ...) and, for arrays, the
// item type ("array of integer" -> "array", "integer").
func ParamType(p *catalog.Parameter) (base, item string) {
	t := strings.ToLower(strings.TrimSpace(p.Type))
	if rest, ok := strings.CutPrefix(t, "array"); ok {
		item = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "of"))
		if item == "" {
			if s, err := Parse(p.Schema); err == nil && s != nil {
				item = s.Type
			}
		}
		if item == "" {
			item = "string"
		}
		return "array", item
	}
	return t, ""
}

// ParamDefault returns the parameter's default as a wire value (the
// catalogue keeps it as JSON text: `"open"` -> open, 20 -> 20).
func ParamDefault(p *catalog.Parameter) (string, bool) {
	d := strings.TrimSpace(p.Default)
	if d == "" || d == "null" {
		return "", false
	}
	var s string
	if err := json.Unmarshal([]byte(d), &s); err == nil {
		return s, true
	}
	return d, true
}

// ParamSample returns a value for a non-body parameter that CheckParam
// accepts: its default, else its first enum value, else a typed sample
// ("string" or a sample by format, 0, false).
func ParamSample(p *catalog.Parameter) string {
	if d, ok := ParamDefault(p); ok && CheckParam(p, d) == nil {
		return d
	}
	for _, e := range p.Enum {
		if CheckParam(p, e) == nil {
			return e
		}
	}
	base, item := ParamType(p)
	if base == "array" {
		base = item
	}
	switch base {
	case "integer", "number":
		return "0"
	case "boolean":
		return "false"
	}
	return StringSample(p.Format)
}

// CheckParam checks one wire value of a path, query, header or form
// parameter against its declared type and enum: integers, numbers,
// booleans ("true"/"false"), and each comma-separated item of an array.
// Strings and formats are not checked. A nil error means the value fits.
func CheckParam(p *catalog.Parameter, value string) error {
	base, item := ParamType(p)
	if base != "array" {
		return checkScalar(base, p.Enum, value)
	}
	for _, part := range strings.Split(value, ",") {
		if err := checkScalar(item, p.Enum, part); err != nil {
			return err
		}
	}
	return nil
}

func checkScalar(typ string, enum []string, v string) error {
	switch typ {
	case "integer":
		if !isIntegerText(v) {
			return &ParamError{Kind: ProblemType, Msg: "must be an integer, got " + quoteShort(v)}
		}
	case "number":
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		ok := (err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)) || errors.Is(err, strconv.ErrRange)
		if !ok {
			return &ParamError{Kind: ProblemType, Msg: "must be a number, got " + quoteShort(v)}
		}
	case "boolean":
		if !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false") {
			return &ParamError{Kind: ProblemType, Msg: "must be true or false, got " + quoteShort(v)}
		}
	}
	if len(enum) > 0 {
		for _, e := range enum {
			if v == e {
				return nil
			}
		}
		list := make([]any, len(enum))
		for i, e := range enum {
			list[i] = e
		}
		return &ParamError{Kind: ProblemEnum, Msg: "must be one of " + FormatEnum(list) + "; got " + quoteShort(v)}
	}
	return nil
}

// isIntegerText accepts an optional sign and digits, of any length.
func isIntegerText(v string) bool {
	v = strings.TrimSpace(v)
	if v != "" && (v[0] == '-' || v[0] == '+') {
		v = v[1:]
	}
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

func quoteShort(v string) string { return shortJSON(v) }
