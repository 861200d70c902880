package jsonx

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Member is one member of a JSON object, in document order.
type Member struct {
	Key   string
	Value json.RawMessage
}

// Members lists an object's members in document order (Go maps lose
// it, and operations should keep the order their authors gave them).
// raw must be valid JSON (the tolerant reader's output); anything that is
// not an object gives nil. Duplicate keys keep the last value at the
// position of the first, as encoding/json would decode them.
func Members(raw []byte) []Member {
	i := SkipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil
	}
	i++
	var out []Member
	var seen map[string]int
	for {
		i = SkipSpace(raw, i)
		if i >= len(raw) || raw[i] != '"' {
			return out
		}
		end := SkipString(raw, i)
		key := Unquote(raw[i:end])
		i = SkipSpace(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return out
		}
		i = SkipSpace(raw, i+1)
		vend := SkipValue(raw, i)
		val := json.RawMessage(raw[i:vend])
		dup := -1
		if seen != nil {
			if k, ok := seen[key]; ok {
				dup = k
			}
		} else {
			for k := range out {
				if out[k].Key == key {
					dup = k
					break
				}
			}
			// Past a few members a map is cheaper than scanning.
			if len(out) == 16 {
				seen = make(map[string]int, 32)
				for k, m := range out {
					seen[m.Key] = k
				}
			}
		}
		if dup >= 0 {
			out[dup].Value = val
		} else {
			if seen != nil {
				seen[key] = len(out)
			}
			out = append(out, Member{Key: key, Value: val})
		}
		i = SkipSpace(raw, vend)
		if i >= len(raw) || raw[i] != ',' {
			return out
		}
		i++
	}
}

// Each calls fn for each member of an object in document order,
// without allocating: key is only valid during the call (switch on
// string(key) does not copy). Duplicate keys are all visited, so a
// decoder that assigns fields keeps the last value, as encoding/json does.
func Each(raw []byte, fn func(key []byte, val json.RawMessage)) {
	i := SkipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return
	}
	i++
	for {
		i = SkipSpace(raw, i)
		if i >= len(raw) || raw[i] != '"' {
			return
		}
		end := SkipString(raw, i)
		key := raw[i+1 : max(i+1, end-1)]
		if bytes.IndexByte(key, '\\') >= 0 {
			key = []byte(Unquote(raw[i:end]))
		}
		i = SkipSpace(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return
		}
		i = SkipSpace(raw, i+1)
		vend := SkipValue(raw, i)
		fn(key, json.RawMessage(raw[i:vend]))
		i = SkipSpace(raw, vend)
		if i >= len(raw) || raw[i] != ',' {
			return
		}
		i++
	}
}

// SkipSpace returns the index of the first non-whitespace byte at or
// after i.
func SkipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// SkipString returns the index just past the string starting at i.
func SkipString(b []byte, i int) int {
	i++
	for {
		k := bytes.IndexByte(b[i:], '"')
		if k < 0 {
			return len(b)
		}
		i += k
		// The quote ends the string unless an odd run of backslashes
		// escapes it.
		n := 0
		for j := i - 1; j >= 0 && b[j] == '\\'; j-- {
			n++
		}
		i++
		if n%2 == 0 {
			return i
		}
	}
}

// SkipValue returns the index just past the value starting at i.
func SkipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return SkipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = SkipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(b)
	default:
		for i < len(b) && !(b[i] == ',' || b[i] == '}' || b[i] == ']' || b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
			i++
		}
		return i
	}
}

func Unquote(q []byte) string {
	if bytes.IndexByte(q, '\\') < 0 && len(q) >= 2 {
		return string(q[1 : len(q)-1])
	}
	var s string
	if err := json.Unmarshal(q, &s); err != nil {
		return strings.Trim(string(q), `"`)
	}
	return s
}

// Refs lists the distinct "$ref" targets in raw, in order of first use.
func Refs(raw []byte) []string {
	var out []string
	var seen map[string]bool
	needle := []byte(`"$ref"`)
	for i := 0; ; {
		k := bytes.Index(raw[i:], needle)
		if k < 0 {
			return out
		}
		at := i + k
		i = at + len(needle)
		if at > 0 && raw[at-1] == '\\' {
			continue // inside a string, not a key
		}
		j := SkipSpace(raw, i)
		if j >= len(raw) || raw[j] != ':' {
			continue
		}
		j = SkipSpace(raw, j+1)
		if j >= len(raw) || raw[j] != '"' {
			continue
		}
		end := SkipString(raw, j)
		ref := Unquote(raw[j:end])
		i = end
		if seen == nil {
			seen = make(map[string]bool)
		}
		if !seen[ref] {
			seen[ref] = true
			out = append(out, ref)
		}
	}
}

// Scalar decodes a JSON scalar as text: strings unquoted, numbers and
// booleans as written; null and containers give "" (and ok false for
// containers).
func Scalar(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	switch raw[0] {
	case '"':
		return Unquote(raw), true
	case '{', '[':
		return "", false
	}
	return string(raw), true
}

// FlexString accepts any scalar where a string is expected (a version
// written as a number, a required flag written as a string).
type FlexString string

func (f *FlexString) UnmarshalJSON(b []byte) error {
	s, _ := Scalar(b)
	*f = FlexString(s)
	return nil
}

// FlexBool accepts true, "true", "True" and 1.
type FlexBool bool

func (f *FlexBool) UnmarshalJSON(b []byte) error {
	s, _ := Scalar(b)
	v, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(s)))
	*f = FlexBool(err == nil && v)
	return nil
}

// FlexStrings accepts a list of strings or one string.
type FlexStrings []string

func (f *FlexStrings) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		raw := Elems(b)
		out := make([]string, 0, len(raw))
		for _, r := range raw {
			if s, ok := Scalar(r); ok && s != "" {
				out = append(out, s)
			}
		}
		*f = out
		return nil
	}
	if s, ok := Scalar(b); ok && s != "" {
		*f = []string{s}
	}
	return nil
}

// PointerUnescape decodes one JSON pointer segment (RFC 6901), after
// percent-decoding (swagger tools write "#/definitions/My%20Type").
func PointerUnescape(seg string) string {
	if strings.IndexByte(seg, '%') >= 0 {
		if u, err := percentDecode(seg); err == nil {
			seg = u
		}
	}
	seg = strings.ReplaceAll(seg, "~1", "/")
	return strings.ReplaceAll(seg, "~0", "~")
}

func percentDecode(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", err
			}
			b.WriteByte(byte(v))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String(), nil
}

// Pointer follows the JSON pointer segments inside raw.
func Pointer(raw json.RawMessage, segs []string) (json.RawMessage, bool) {
	for _, seg := range segs {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			return nil, false
		}
		switch raw[0] {
		case '{':
			found := false
			for _, m := range Members(raw) {
				if m.Key == seg {
					raw, found = m.Value, true
					break
				}
			}
			if !found {
				return nil, false
			}
		case '[':
			n, err := strconv.Atoi(seg)
			if err != nil || n < 0 {
				return nil, false
			}
			var items []json.RawMessage
			if json.Unmarshal(raw, &items) != nil || n >= len(items) {
				return nil, false
			}
			raw = items[n]
		default:
			return nil, false
		}
	}
	return raw, true
}

// Elems lists an array's elements; anything else gives nil.
func Elems(raw []byte) []json.RawMessage {
	i := SkipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return nil
	}
	i++
	var out []json.RawMessage
	for {
		i = SkipSpace(raw, i)
		if i >= len(raw) || raw[i] == ']' {
			return out
		}
		end := SkipValue(raw, i)
		out = append(out, json.RawMessage(raw[i:end]))
		i = SkipSpace(raw, end)
		if i >= len(raw) || raw[i] != ',' {
			return out
		}
		i++
	}
}

// Text is a member's value as text: strings unquoted, other scalars
// as written, containers and null as "".
func Text(raw json.RawMessage) string {
	s, _ := Scalar(raw)
	return s
}

// Texts is a list of strings (or a single string) as a slice.
func Texts(raw json.RawMessage) []string {
	var f FlexStrings
	_ = f.UnmarshalJSON(raw)
	return []string(f)
}

func Bool(raw json.RawMessage) bool {
	var f FlexBool
	_ = f.UnmarshalJSON(raw)
	return bool(f)
}

// IsObject reports whether raw is a JSON object.
func IsObject(raw []byte) bool {
	i := SkipSpace(raw, 0)
	return i < len(raw) && raw[i] == '{'
}

// Get returns an object's member value, or nil.
func Get(raw []byte, key string) json.RawMessage {
	var v json.RawMessage
	Each(raw, func(k []byte, val json.RawMessage) {
		if string(k) == key {
			v = val
		}
	})
	return v
}

// Present reports whether a value is there and not null or false.
func Present(raw json.RawMessage) bool {
	s := string(bytes.TrimSpace(raw))
	return s != "" && s != "null" && s != "false"
}

// scanNumber reads a JSON number (RFC 8259: no leading zeros, digits after
// a '.', an exponent with digits) starting at b[i], for both of the
// package's parsers. It returns the offset just past the number; when the
// number is malformed, the offset of the fault and what is wrong there.
func scanNumber(b []byte, i int) (end int, problem string) {
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if digits() == 0 {
		return i, "malformed number"
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return i, "malformed number: no digits after '.'"
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return i, "malformed number: no digits in the exponent"
		}
	}
	return i, ""
}
