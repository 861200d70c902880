package scraper

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// defsMember is one member of a JSON object, in document order.
type defsMember struct {
	Key   string
	Value json.RawMessage
}

// defsMembers lists an object's members in document order (Go maps lose
// it, and operations should keep the order their authors gave them).
// raw must be valid JSON (the tolerant reader's output); anything that is
// not an object gives nil. Duplicate keys keep the last value at the
// position of the first, as encoding/json would decode them.
func defsMembers(raw []byte) []defsMember {
	i := defsSkipWS(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil
	}
	i++
	var out []defsMember
	var seen map[string]int
	for {
		i = defsSkipWS(raw, i)
		if i >= len(raw) || raw[i] != '"' {
			return out
		}
		end := defsSkipString(raw, i)
		key := defsUnquote(raw[i:end])
		i = defsSkipWS(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return out
		}
		i = defsSkipWS(raw, i+1)
		vend := defsSkipValue(raw, i)
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
			out = append(out, defsMember{Key: key, Value: val})
		}
		i = defsSkipWS(raw, vend)
		if i >= len(raw) || raw[i] != ',' {
			return out
		}
		i++
	}
}

// defsEach calls fn for each member of an object in document order,
// without allocating: key is only valid during the call (switch on
// string(key) does not copy). Duplicate keys are all visited, so a
// decoder that assigns fields keeps the last value, as encoding/json does.
func defsEach(raw []byte, fn func(key []byte, val json.RawMessage)) {
	i := defsSkipWS(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return
	}
	i++
	for {
		i = defsSkipWS(raw, i)
		if i >= len(raw) || raw[i] != '"' {
			return
		}
		end := defsSkipString(raw, i)
		key := raw[i+1 : max(i+1, end-1)]
		if bytes.IndexByte(key, '\\') >= 0 {
			key = []byte(defsUnquote(raw[i:end]))
		}
		i = defsSkipWS(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return
		}
		i = defsSkipWS(raw, i+1)
		vend := defsSkipValue(raw, i)
		fn(key, json.RawMessage(raw[i:vend]))
		i = defsSkipWS(raw, vend)
		if i >= len(raw) || raw[i] != ',' {
			return
		}
		i++
	}
}

func defsSkipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// defsSkipString returns the index just past the string starting at i.
func defsSkipString(b []byte, i int) int {
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

// defsSkipValue returns the index just past the value starting at i.
func defsSkipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return defsSkipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = defsSkipString(b, i)
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

func defsUnquote(q []byte) string {
	if bytes.IndexByte(q, '\\') < 0 && len(q) >= 2 {
		return string(q[1 : len(q)-1])
	}
	var s string
	if err := json.Unmarshal(q, &s); err != nil {
		return strings.Trim(string(q), `"`)
	}
	return s
}

// defsRefs lists the distinct "$ref" targets in raw, in order of first use.
func defsRefs(raw []byte) []string {
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
		j := defsSkipWS(raw, i)
		if j >= len(raw) || raw[j] != ':' {
			continue
		}
		j = defsSkipWS(raw, j+1)
		if j >= len(raw) || raw[j] != '"' {
			continue
		}
		end := defsSkipString(raw, j)
		ref := defsUnquote(raw[j:end])
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

// defsScalar decodes a JSON scalar as text: strings unquoted, numbers and
// booleans as written; null and containers give "" (and ok false for
// containers).
func defsScalar(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	switch raw[0] {
	case '"':
		return defsUnquote(raw), true
	case '{', '[':
		return "", false
	}
	return string(raw), true
}

// defsFlexString accepts any scalar where a string is expected (a version
// written as a number, a required flag written as a string).
type defsFlexString string

func (f *defsFlexString) UnmarshalJSON(b []byte) error {
	s, _ := defsScalar(b)
	*f = defsFlexString(s)
	return nil
}

// defsFlexBool accepts true, "true", "True" and 1.
type defsFlexBool bool

func (f *defsFlexBool) UnmarshalJSON(b []byte) error {
	s, _ := defsScalar(b)
	v, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(s)))
	*f = defsFlexBool(err == nil && v)
	return nil
}

// defsFlexStrings accepts a list of strings or one string.
type defsFlexStrings []string

func (f *defsFlexStrings) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		raw := defsElems(b)
		out := make([]string, 0, len(raw))
		for _, r := range raw {
			if s, ok := defsScalar(r); ok && s != "" {
				out = append(out, s)
			}
		}
		*f = out
		return nil
	}
	if s, ok := defsScalar(b); ok && s != "" {
		*f = []string{s}
	}
	return nil
}

// defsPointerUnescape decodes one JSON pointer segment (RFC 6901), after
// percent-decoding (swagger tools write "#/definitions/My%20Type").
func defsPointerUnescape(seg string) string {
	if strings.IndexByte(seg, '%') >= 0 {
		if u, err := defsPercentDecode(seg); err == nil {
			seg = u
		}
	}
	seg = strings.ReplaceAll(seg, "~1", "/")
	return strings.ReplaceAll(seg, "~0", "~")
}

func defsPercentDecode(s string) (string, error) {
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

// defsPointer follows the JSON pointer segments inside raw.
func defsPointer(raw json.RawMessage, segs []string) (json.RawMessage, bool) {
	for _, seg := range segs {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			return nil, false
		}
		switch raw[0] {
		case '{':
			found := false
			for _, m := range defsMembers(raw) {
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

// defsElems lists an array's elements; anything else gives nil.
func defsElems(raw []byte) []json.RawMessage {
	i := defsSkipWS(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return nil
	}
	i++
	var out []json.RawMessage
	for {
		i = defsSkipWS(raw, i)
		if i >= len(raw) || raw[i] == ']' {
			return out
		}
		end := defsSkipValue(raw, i)
		out = append(out, json.RawMessage(raw[i:end]))
		i = defsSkipWS(raw, end)
		if i >= len(raw) || raw[i] != ',' {
			return out
		}
		i++
	}
}

// defsText is a member's value as text: strings unquoted, other scalars
// as written, containers and null as "".
func defsText(raw json.RawMessage) string {
	s, _ := defsScalar(raw)
	return s
}

// defsTexts is a list of strings (or a single string) as a slice.
func defsTexts(raw json.RawMessage) []string {
	var f defsFlexStrings
	_ = f.UnmarshalJSON(raw)
	return []string(f)
}

func defsBool(raw json.RawMessage) bool {
	var f defsFlexBool
	_ = f.UnmarshalJSON(raw)
	return bool(f)
}

// defsIsObject reports whether raw is a JSON object.
func defsIsObject(raw []byte) bool {
	i := defsSkipWS(raw, 0)
	return i < len(raw) && raw[i] == '{'
}

// defsGet returns an object's member value, or nil.
func defsGet(raw []byte, key string) json.RawMessage {
	var v json.RawMessage
	defsEach(raw, func(k []byte, val json.RawMessage) {
		if string(k) == key {
			v = val
		}
	})
	return v
}

// defsPresent reports whether a value is there and not null or false.
func defsPresent(raw json.RawMessage) bool {
	s := string(bytes.TrimSpace(raw))
	return s != "" && s != "null" && s != "false"
}
