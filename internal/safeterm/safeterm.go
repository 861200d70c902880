// Package safeterm makes untrusted text (scraped pages, connector
// definitions, HTTP responses) safe to print on a terminal: control
// characters become visible symbols, so no escape sequence, bare carriage
// return or bidirectional override from the data can act on the terminal.
package safeterm

import (
	"strings"
	"unicode/utf8"
)

// Text keeps newlines and tabs and makes every other control character
// visible. Use it for multi-line blocks.
func Text(s string) string { return clean(s, true) }

// Line makes every control character visible and turns newlines and tabs
// into spaces. Use it for one-line cells.
func Line(s string) string { return clean(s, false) }

func clean(s string, multiline bool) string {
	if isSafe(s, multiline) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune('\uFFFD')
		case r == '\n' || r == '\t':
			if multiline {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				// CRLF: the LF alone ends the line (or, in a one-line
				// cell, becomes the space); a CR that moves nothing
				// need not be shown.
			} else {
				b.WriteRune('\u240D') // ␍
			}
		case r < 0x20:
			b.WriteRune(0x2400 + r) // control pictures: ␛ for ESC
		case r == 0x7f:
			b.WriteRune('\u2421') // ␡
		case r >= 0x80 && r < 0xa0, isBidiControl(r):
			b.WriteString(`\u`)
			const hex = "0123456789abcdef"
			b.WriteByte(hex[r>>12&0xf])
			b.WriteByte(hex[r>>8&0xf])
			b.WriteByte(hex[r>>4&0xf])
			b.WriteByte(hex[r&0xf])
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

func isSafe(s string, multiline bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			if multiline && (c == '\n' || c == '\t') {
				continue
			}
			return false
		}
		if c >= 0x80 {
			// Slow path only for the few multibyte runes that matter.
			r, size := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && size == 1) || (r >= 0x80 && r < 0xa0) || isBidiControl(r) {
				return false
			}
			i += size - 1
		}
	}
	return true
}

// isBidiControl reports the Unicode bidirectional formatting characters
// that can reorder what a terminal shows ("Trojan Source").
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}
