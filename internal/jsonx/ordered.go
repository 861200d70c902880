package jsonx

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrTooDeep is returned by DecodeOrdered for nesting beyond its limit.
var ErrTooDeep = errors.New("JSON nested too deeply")

// Object is a JSON object that remembers its key order. A key given twice
// keeps its first position and its last value, as encoding/json decodes it.
type Object struct {
	Keys []string
	Vals map[string]any
}

// DecodeOrdered decodes one strict JSON value keeping object key order (as
// *Object), with numbers as json.Number, refusing nesting deeper than
// maxDepth (ErrTooDeep) and trailing data. It accepts exactly what
// encoding/json accepts (schema's FuzzDecodeMatchesEncodingJSON checks it);
// every other error wraps ErrSyntax. It is written by hand because
// json.Decoder.Token, the standard way to keep key order, made parsing the
// definitions several times slower than the rest of a call.
func DecodeOrdered(raw []byte, maxDepth int) (any, error) {
	p := &jsonParser{data: raw, maxDepth: maxDepth}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.data) {
		return nil, p.fail("data after the value")
	}
	return v, nil
}

type jsonParser struct {
	data     []byte
	pos      int
	maxDepth int
}

func (p *jsonParser) fail(what string) error {
	return fmt.Errorf("%w: %s at byte %d", ErrSyntax, what, p.pos)
}

func (p *jsonParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (any, error) {
	p.space()
	if p.pos >= len(p.data) {
		return nil, p.fail("unexpected end of JSON")
	}
	switch c := p.data[p.pos]; {
	case c == '{' || c == '[':
		if depth >= p.maxDepth {
			return nil, fmt.Errorf("%w: more than %d levels", ErrTooDeep, p.maxDepth)
		}
		if c == '{' {
			return p.object(depth)
		}
		return p.array(depth)
	case c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	}
	return nil, p.fail(fmt.Sprintf("invalid character %q", p.data[p.pos]))
}

func (p *jsonParser) literal(word string) error {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return p.fail("invalid literal")
	}
	p.pos += len(word)
	return nil
}

func (p *jsonParser) object(depth int) (any, error) {
	o := &Object{Vals: map[string]any{}}
	err := p.members('}', "an object", func() error {
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return p.fail("expected a string key")
		}
		k, err := p.str()
		if err != nil {
			return err
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return p.fail("expected ':'")
		}
		p.pos++
		v, err := p.value(depth + 1)
		if err != nil {
			return err
		}
		if _, dup := o.Vals[k]; !dup {
			o.Keys = append(o.Keys, k)
		}
		o.Vals[k] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

func (p *jsonParser) array(depth int) (any, error) {
	arr := []any{}
	err := p.members(']', "an array", func() error {
		v, err := p.value(depth + 1)
		if err != nil {
			return err
		}
		arr = append(arr, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return arr, nil
}

// members reads an object's or array's members, from its opening bracket
// to end (its closing one), calling member for each: the empty case, the
// commas and the end of the data are checked here once for both.
func (p *jsonParser) members(end byte, what string, member func() error) error {
	p.pos++ // the opening bracket
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == end {
		p.pos++
		return nil
	}
	for {
		if err := member(); err != nil {
			return err
		}
		p.space()
		if p.pos >= len(p.data) {
			return p.fail("unexpected end of JSON in " + what)
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case end:
			p.pos++
			return nil
		default:
			return p.fail("expected ',' or '" + string(end) + "'")
		}
	}
}

func (p *jsonParser) number() (any, error) {
	start := p.pos
	end, problem := scanNumber(p.data, start)
	p.pos = end
	if problem != "" {
		return nil, p.fail("invalid number")
	}
	return json.Number(p.data[start:end]), nil
}

// str reads a string at p.pos (the opening quote). Invalid UTF-8 and lone
// surrogates become U+FFFD, as encoding/json does.
func (p *jsonParser) str() (string, error) {
	p.pos++ // "
	d := p.data
	start := p.pos
	i := start
	ascii := true
	for i < len(d) {
		c := d[i]
		if c == '"' {
			if ascii || utf8.Valid(d[start:i]) {
				p.pos = i + 1
				return string(d[start:i]), nil
			}
			break
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			p.pos = i
			return "", p.fail("control character in a string")
		}
		if c >= 0x80 {
			ascii = false
		}
		i++
	}
	// Slow path: escapes or invalid UTF-8.
	buf := make([]byte, 0, i-start+16)
	buf = append(buf, d[start:i]...)
	if !utf8.Valid(buf) {
		buf = []byte(string([]rune(string(buf))))
	}
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return string(buf), nil
		case c < 0x20:
			p.pos = i
			return "", p.fail("control character in a string")
		case c == '\\':
			i++
			if i >= len(d) {
				p.pos = i
				return "", p.fail("unexpected end of JSON in a string")
			}
			switch d[i] {
			case '"', '\\', '/':
				buf = append(buf, d[i])
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := hex4(d, i+1)
				if !ok {
					p.pos = i
					return "", p.fail("invalid \\u escape")
				}
				i += 4
				if utf16.IsSurrogate(r) {
					// A pair makes one rune; anything else is U+FFFD.
					if r2, ok := hex4(d, i+3); ok && i+2 < len(d) && d[i+1] == '\\' && d[i+2] == 'u' {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							buf = utf8.AppendRune(buf, dec)
							i += 6
							break
						}
					}
					r = utf8.RuneError
				}
				buf = utf8.AppendRune(buf, r)
			default:
				p.pos = i
				return "", p.fail("invalid escape")
			}
			i++
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			i++
		default:
			r, size := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && size == 1 {
				buf = utf8.AppendRune(buf, utf8.RuneError)
			} else {
				buf = append(buf, d[i:i+size]...)
			}
			i += size
		}
	}
	p.pos = i
	return "", p.fail("unexpected end of JSON in a string")
}

func hex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var r rune
	for _, c := range d[i : i+4] {
		v, ok := unhex(c)
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	return r, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
