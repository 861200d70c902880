package callform

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/connex-dev/connex/tui/styles"
)

// Response bodies are coloured by a small tokenizer on encoding/json's
// Decoder.Token and encoding/xml's RawToken, not by chroma: chroma
// registers every lexer and style at package init, about 15-50 ms on each
// start of connex (GODEBUG=inittrace=1), for a colouring only a test
// call's response uses. Measured on a shared 2-core machine: the package
// inits of `connex --version` summed 50-110 ms with chroma (its lexers
// and styles 30-80 ms of that), 8 ms without; BenchmarkBodyLines on
// 16 KiB of JSON (indent, sanitise, colour) took 182 ms per body with
// chroma's JSON lexer, 4.7 ms with this tokenizer.

// painter colours text with one style. The escapes are taken once from a
// rendered marker, so colouring a token is two string appends.
type painter struct{ pre, post string }

func newPainter(st lipgloss.Style) painter {
	const marker = "\x00"
	out := st.Render(marker)
	i := strings.Index(out, marker)
	if i < 0 {
		return painter{}
	}
	return painter{pre: out[:i], post: out[i+len(marker):]}
}

// paint colours s line by line, so every line stands alone.
func (p painter) paint(b *strings.Builder, s string) {
	if p.pre == "" {
		b.WriteString(s)
		return
	}
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		if line != "" {
			b.WriteString(p.pre + line + p.post)
		}
	}
}

type palette struct {
	key, str, num, lit, punct, tag, attr, comment painter
}

func newPalette(st styles.Styles) palette {
	return palette{
		key: newPainter(st.CodeKey), str: newPainter(st.CodeString), num: newPainter(st.CodeNumber),
		lit: newPainter(st.CodeLiteral), punct: newPainter(st.Muted), tag: newPainter(st.CodeTag),
		attr: newPainter(st.CodeKey), comment: newPainter(st.Muted),
	}
}

// colourJSON colours JSON text (already indented and made safe); nil when
// it does not parse as one JSON value.
func colourJSON(text string, pal palette) []string {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var b strings.Builder
	// stack: for each open object or array, whether a key comes next.
	type frame struct{ object, wantKey bool }
	var stack []frame
	// gap copies what lies between tokens: spaces and , or :.
	gap := func(from, to int) {
		for _, r := range text[from:to] {
			if r == ',' || r == ':' {
				pal.punct.paint(&b, string(r))
			} else {
				b.WriteRune(r)
			}
		}
	}
	at, ok := tokenSpans(text, dec.Token, dec.InputOffset, func(tok json.Token, from, end int) {
		// The token is the end of the span after its leading gap.
		start := from
		for start < end && strings.ContainsRune(" \t\r\n,:", rune(text[start])) {
			start++
		}
		gap(from, start)
		raw := text[start:end]
		switch t := tok.(type) {
		case json.Delim:
			pal.punct.paint(&b, raw)
			switch t {
			case '{':
				stack = append(stack, frame{object: true, wantKey: true})
			case '[':
				stack = append(stack, frame{})
			default:
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
				// A closed container was a value: a key comes next.
				if n := len(stack); n > 0 && stack[n-1].object {
					stack[n-1].wantKey = true
				}
			}
			return
		case string:
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
				pal.key.paint(&b, raw)
				stack[n-1].wantKey = false
				return
			}
			pal.str.paint(&b, raw)
		case json.Number:
			pal.num.paint(&b, raw)
		default: // true, false, null
			pal.lit.paint(&b, raw)
		}
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	})
	if !ok || strings.TrimSpace(text[at:]) != "" {
		return nil
	}
	gap(at, len(text))
	return strings.Split(b.String(), "\n")
}

// colourXML colours XML text: tags and their attributes, comments; nil
// when it does not tokenize.
func colourXML(text string, pal palette) []string {
	dec := xml.NewDecoder(strings.NewReader(text))
	dec.Strict = false
	var b strings.Builder
	at, ok := tokenSpans(text, dec.RawToken, dec.InputOffset, func(tok xml.Token, from, end int) {
		raw := text[from:end]
		switch tok.(type) {
		case xml.StartElement, xml.EndElement, xml.ProcInst, xml.Directive:
			paintTag(&b, raw, pal)
		case xml.Comment:
			pal.comment.paint(&b, raw)
		default:
			b.WriteString(raw)
		}
	})
	if !ok {
		return nil
	}
	b.WriteString(text[at:])
	return strings.Split(b.String(), "\n")
}

// tokenSpans walks a decoder's tokens (next) with the text each one ends
// (offset is where the decoder stands): f gets each token and the span of
// text from the end of the one before to its end. It returns where the
// last span ended; ok is false when the decoder failed or its offsets left
// the text, and the text is then shown uncoloured.
func tokenSpans[T any](text string, next func() (T, error), offset func() int64, f func(tok T, from, end int)) (at int, ok bool) {
	for {
		tok, err := next()
		if errors.Is(err, io.EOF) {
			return at, true
		}
		if err != nil {
			return at, false
		}
		end := int(offset())
		if end > len(text) || end < at {
			return at, false
		}
		f(tok, at, end)
		at = end
	}
}

// paintTag colours a tag: attribute names and quoted values apart.
func paintTag(b *strings.Builder, raw string, pal palette) {
	var word bytes.Buffer
	flush := func(p painter) {
		if word.Len() > 0 {
			p.paint(b, word.String())
			word.Reset()
		}
	}
	quote := byte(0)
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case quote != 0:
			word.WriteByte(c)
			if c == quote {
				flush(pal.str)
				quote = 0
			}
		case c == '"' || c == '\'':
			flush(pal.tag)
			quote = c
			word.WriteByte(c)
		case c == '=':
			flush(pal.attr)
			pal.punct.paint(b, "=")
		case c == ' ' || c == '\n' || c == '\t':
			flush(pal.tag)
			b.WriteByte(c)
		default:
			word.WriteByte(c)
		}
	}
	flush(pal.tag)
}
