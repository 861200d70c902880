// Package jsonx holds connex's JSON scanners, in one place:
//
//   - Repair and Compact (this file) read the almost-JSON found in
//     hand-edited connector definitions and return strict JSON;
//   - Each, Members, Elems, Get, Text... (scan.go) walk strict JSON in
//     place, without decoding it, keeping document order;
//   - DecodeOrdered (ordered.go) decodes strict JSON into values whose
//     objects keep their key order.
//
// Repair turns almost-JSON into strict JSON that encoding/json accepts,
// recovering only defects whose fix is unambiguous: a byte order mark,
// comments, trailing commas, Latin-1 bytes, raw control characters inside
// strings, Unicode spaces between tokens and a missing comma between two
// object members. Anything else (unbalanced brackets, a stray '}' closing
// the document early, truncation) is a *SyntaxError with a line and column,
// because guessing there would produce a wrong document rather than none.
//
// No library did all of this: tailscale/hujson handles comments and
// trailing commas only, and locating errors needs the original text.
package jsonx

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// MaxDepth bounds nesting so hostile input cannot exhaust the stack.
const MaxDepth = 1000

// ErrSyntax is wrapped by every *SyntaxError, for errors.Is.
var ErrSyntax = errors.New("invalid JSON")

// SyntaxError locates what could not be recovered. Line and Column are
// 1-based; Column counts characters (not bytes), as an editor shows them,
// in the text after Latin-1 bytes were converted.
type SyntaxError struct {
	Line, Column int
	Offset       int // byte offset in the repaired-so-far input
	Msg          string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Unwrap makes errors.Is(err, ErrSyntax) true.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// Fix is a set of recovered defects.
type Fix uint16

// Recovered defects.
const (
	FixBOM Fix = 1 << iota
	FixComment
	FixTrailingComma
	FixLatin1
	FixControlInString
	FixUnicodeSpace
	FixMissingComma
)

var fixNames = []string{"byte order mark", "comments", "trailing commas", "Latin-1 bytes", "raw control characters in strings", "Unicode spaces", "missing commas"}

// Strings names the fixes, for warnings.
func (f Fix) Strings() []string {
	var out []string
	for i, n := range fixNames {
		if f&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// Repair returns strict JSON for data and the defects it recovered. When
// nothing needed fixing, the result shares data's memory. The repaired text
// keeps the original's lines, so offsets in later decoding errors still
// point near the defect.
func Repair(data []byte) ([]byte, Fix, error) { return repair(nil, data, false) }

// Compact is Repair that also drops the whitespace between tokens: the
// definitions are kept as raw JSON, and compact text halves their size and
// the time encoding/json spends scanning them. The result never shares
// data's memory.
func Compact(data []byte) ([]byte, Fix, error) { return repair(nil, data, true) }

// CompactInto is Compact writing into buf's memory when it is large
// enough (len(data)+16 bytes of capacity), so a caller that parses many
// files can reuse one buffer instead of allocating one per file. The
// result shares buf's memory then: it is valid until buf is reused.
func CompactInto(buf, data []byte) ([]byte, Fix, error) { return repair(buf, data, true) }

func repair(buf, data []byte, compact bool) ([]byte, Fix, error) {
	var fixes Fix
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		data = data[3:]
		fixes |= FixBOM
	}
	if !utf8.Valid(data) {
		data = latin1ToUTF8(data)
		fixes |= FixLatin1
	}
	p := &parser{in: data, compact: compact}
	if cap(buf) >= len(data)+16 {
		p.out = buf[:0]
	} else {
		p.out = make([]byte, 0, len(data)+16)
	}
	p.ws()
	if p.pos >= len(p.in) {
		return nil, fixes, p.errAt(p.pos, "the file is empty")
	}
	if err := p.value(0); err != nil {
		return nil, fixes | p.fixes, err
	}
	end := p.pos
	p.ws()
	if p.pos < len(p.in) {
		l, c := p.lineCol(end - 1)
		return nil, fixes | p.fixes, p.errAt(p.pos, fmt.Sprintf("unexpected %s after the end of the document; the %s at line %d, column %d closed it (a stray '}' or ']' closes a document early)", p.describe(p.pos), p.describe(end-1), l, c))
	}
	fixes |= p.fixes
	if !compact && fixes&^(FixBOM|FixLatin1) == 0 {
		return data, fixes, nil
	}
	return p.out, fixes, nil
}

// latin1ToUTF8 keeps valid UTF-8 sequences and reads every other byte as
// Windows-1252 (a superset of Latin-1's printable range), so a file mixing
// both encodings keeps its UTF-8 text intact.
func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			out = utf8.AppendRune(out, cp1252(b[0]))
			b = b[1:]
			continue
		}
		out = append(out, b[:n]...)
		b = b[n:]
	}
	return out
}

var cp1252High = [32]rune{
	0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
	0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
}

func cp1252(c byte) rune {
	if c >= 0x80 && c < 0xA0 {
		return cp1252High[c-0x80]
	}
	return rune(c)
}

type parser struct {
	in      []byte
	pos     int
	out     []byte
	fixes   Fix
	compact bool
}

func (p *parser) lineCol(off int) (int, int) {
	line, col := 1, 1
	if off > len(p.in) {
		off = len(p.in)
	}
	for i := 0; i < off; {
		c := p.in[i]
		if c == '\n' {
			line++
			col = 1
			i++
			continue
		}
		if c < utf8.RuneSelf {
			i++
		} else {
			_, n := utf8.DecodeRune(p.in[i:])
			i += n
		}
		col++
	}
	return line, col
}

func (p *parser) errAt(off int, msg string) *SyntaxError {
	l, c := p.lineCol(off)
	return &SyntaxError{Line: l, Column: c, Offset: off, Msg: msg}
}

func (p *parser) describe(off int) string {
	if off >= len(p.in) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(p.in[off:])
	if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
		return fmt.Sprintf("character U+%04X", r)
	}
	return fmt.Sprintf("%q", string(r))
}

// isUnicodeSpace lists the non-ASCII spaces seen between tokens in
// hand-edited files (em spaces, no-break spaces, zero-width spaces).
func isUnicodeSpace(r rune) bool {
	switch r {
	case 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF, 0x200B:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// ws skips whitespace and comments; ASCII whitespace is copied so that the
// repaired text keeps the original's lines.
func (p *parser) ws() error {
	for p.pos < len(p.in) {
		c := p.in[p.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if !p.compact {
				p.out = append(p.out, c)
			}
			p.pos++
		case c == '/' && p.pos+1 < len(p.in) && p.in[p.pos+1] == '/':
			p.fixes |= FixComment
			for p.pos < len(p.in) && p.in[p.pos] != '\n' {
				p.pos++
			}
		case c == '/' && p.pos+1 < len(p.in) && p.in[p.pos+1] == '*':
			start := p.pos
			p.fixes |= FixComment
			p.pos += 2
			for {
				if p.pos+1 >= len(p.in) {
					return p.errAt(start, "comment never closed (missing */)")
				}
				if p.in[p.pos] == '*' && p.in[p.pos+1] == '/' {
					p.pos += 2
					break
				}
				if p.in[p.pos] == '\n' && !p.compact {
					p.out = append(p.out, '\n')
				}
				p.pos++
			}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(p.in[p.pos:])
			if !isUnicodeSpace(r) {
				return nil
			}
			p.fixes |= FixUnicodeSpace
			if !p.compact {
				p.out = append(p.out, ' ')
			}
			p.pos += n
		default:
			return nil
		}
	}
	return nil
}

func (p *parser) value(depth int) error {
	if depth > MaxDepth {
		return p.errAt(p.pos, fmt.Sprintf("nesting deeper than %d levels", MaxDepth))
	}
	if p.pos >= len(p.in) {
		return p.errAt(p.pos, "unexpected end of file (the file may be truncated)")
	}
	switch c := p.in[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	default:
		return p.errAt(p.pos, fmt.Sprintf("expected a value, found %s", p.describe(p.pos)))
	}
}

func (p *parser) literal(word string) error {
	if len(p.in)-p.pos < len(word) || string(p.in[p.pos:p.pos+len(word)]) != word {
		return p.errAt(p.pos, fmt.Sprintf("expected a value, found %s", p.describe(p.pos)))
	}
	p.out = append(p.out, word...)
	p.pos += len(word)
	return nil
}

func (p *parser) number() error {
	end, problem := scanNumber(p.in, p.pos)
	if problem != "" {
		return p.errAt(end, problem)
	}
	p.out = append(p.out, p.in[p.pos:end]...)
	p.pos = end
	return nil
}

const hexDigits = "0123456789abcdef"

// strStop marks the bytes that end a run of ordinary string content.
var strStop = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// str copies a string, escaping raw control characters (tabs and line
// breaks typed inside a description are common).
func (p *parser) str() error {
	start := p.pos
	p.out = append(p.out, '"')
	i := p.pos + 1
	for {
		// Copy the run of ordinary bytes in one go.
		j := i
		for j < len(p.in) && !strStop[p.in[j]] {
			j++
		}
		p.out = append(p.out, p.in[i:j]...)
		i = j
		if i >= len(p.in) {
			return p.errAt(start, "string never closed (missing '\"'; the file may be truncated)")
		}
		switch c := p.in[i]; {
		case c == '"':
			p.out = append(p.out, '"')
			p.pos = i + 1
			return nil
		case c == '\\':
			if i+1 >= len(p.in) {
				return p.errAt(start, "string never closed (the file may be truncated)")
			}
			e := p.in[i+1]
			switch e {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.out = append(p.out, '\\', e)
				i += 2
			case 'u':
				if i+6 > len(p.in) || !isHex4(p.in[i+2:i+6]) {
					return p.errAt(i, "invalid \\u escape in string")
				}
				p.out = append(p.out, p.in[i:i+6]...)
				i += 6
			default:
				return p.errAt(i, fmt.Sprintf("invalid escape \\%c in string", e))
			}
		default: // raw control character
			p.fixes |= FixControlInString
			switch c {
			case '\t':
				p.out = append(p.out, '\\', 't')
			case '\n':
				p.out = append(p.out, '\\', 'n')
			case '\r':
				p.out = append(p.out, '\\', 'r')
			default:
				p.out = append(p.out, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			}
			i++
		}
	}
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func (p *parser) object(depth int) error {
	open := p.pos
	p.out = append(p.out, '{')
	p.pos++
	if err := p.ws(); err != nil {
		return err
	}
	if p.pos < len(p.in) && p.in[p.pos] == '}' {
		p.out = append(p.out, '}')
		p.pos++
		return nil
	}
	for {
		if p.pos >= len(p.in) {
			return p.unclosed(open, '{')
		}
		if p.in[p.pos] != '"' {
			return p.errAt(p.pos, fmt.Sprintf("expected a quoted member name, found %s", p.describe(p.pos)))
		}
		if err := p.str(); err != nil {
			return err
		}
		if err := p.ws(); err != nil {
			return err
		}
		if p.pos >= len(p.in) {
			return p.unclosed(open, '{')
		}
		if p.in[p.pos] != ':' {
			return p.errAt(p.pos, fmt.Sprintf("expected ':' after the member name, found %s", p.describe(p.pos)))
		}
		p.out = append(p.out, ':')
		p.pos++
		if err := p.ws(); err != nil {
			return err
		}
		if err := p.value(depth + 1); err != nil {
			return err
		}
		if err := p.ws(); err != nil {
			return err
		}
		if p.pos >= len(p.in) {
			return p.unclosed(open, '{')
		}
		switch p.in[p.pos] {
		case '}':
			p.out = append(p.out, '}')
			p.pos++
			return nil
		case ',':
			if closed, err := p.comma('}'); err != nil || closed {
				return err
			}
		case '"':
			// Only a name followed by ':' makes the missing comma certain.
			if !p.memberAhead() {
				return p.errAt(p.pos, "expected ',' or '}' after the member value, found a string")
			}
			p.fixes |= FixMissingComma
			p.out = append(p.out, ',')
		default:
			return p.errAt(p.pos, fmt.Sprintf("expected ',' or '}' after the member value, found %s", p.describe(p.pos)))
		}
	}
}

// memberAhead reports whether a member name and its ':' start at p.pos,
// reading ahead without consuming or copying anything.
func (p *parser) memberAhead() bool {
	i := p.pos + 1
	for i < len(p.in) {
		c := p.in[i]
		if c == '\\' {
			i += 2
			continue
		}
		if c == '"' {
			break
		}
		if c == '\n' {
			return false
		}
		i++
	}
	if i >= len(p.in) {
		return false
	}
	i++
	for i < len(p.in) && (p.in[i] == ' ' || p.in[i] == '\t' || p.in[i] == '\r' || p.in[i] == '\n') {
		i++
	}
	return i < len(p.in) && p.in[i] == ':'
}

func (p *parser) unclosed(open int, kind byte) error {
	l, c := p.lineCol(open)
	return p.errAt(p.pos, fmt.Sprintf("unexpected end of file: the '%c' opened at line %d, column %d is never closed (the file may be truncated)", kind, l, c))
}

func (p *parser) array(depth int) error {
	open := p.pos
	p.out = append(p.out, '[')
	p.pos++
	if err := p.ws(); err != nil {
		return err
	}
	if p.pos < len(p.in) && p.in[p.pos] == ']' {
		p.out = append(p.out, ']')
		p.pos++
		return nil
	}
	for {
		if p.pos >= len(p.in) {
			return p.unclosed(open, '[')
		}
		if err := p.value(depth + 1); err != nil {
			return err
		}
		if err := p.ws(); err != nil {
			return err
		}
		if p.pos >= len(p.in) {
			return p.unclosed(open, '[')
		}
		switch p.in[p.pos] {
		case ']':
			p.out = append(p.out, ']')
			p.pos++
			return nil
		case ',':
			if closed, err := p.comma(']'); err != nil || closed {
				return err
			}
		default:
			l, c := p.lineCol(open)
			return p.errAt(p.pos, fmt.Sprintf("expected ',' or ']' in the array opened at line %d, column %d, found %s", l, c, p.describe(p.pos)))
		}
	}
}

// comma copies a ',' between members or elements and the space after it.
// A trailing comma (close comes next) is dropped, the container closed,
// and closed reports it.
func (p *parser) comma(close byte) (closed bool, err error) {
	at := len(p.out)
	p.out = append(p.out, ',')
	p.pos++
	if err := p.ws(); err != nil {
		return false, err
	}
	if p.pos < len(p.in) && p.in[p.pos] == close {
		p.fixes |= FixTrailingComma
		p.out = append(p.out[:at], p.out[at+1:]...)
		p.out = append(p.out, close)
		p.pos++
		return true, nil
	}
	return false, nil
}
