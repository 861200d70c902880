package clio

import (
	"bytes"
	"encoding/json"
	"io"
	"unicode/utf8"

	"github.com/connex-dev/connex/internal/safeterm"
)

// WriteJSON writes v as indented JSON followed by a newline: the --json
// output of every command. Controls and bidi overrides in strings are
// escaped (EscapeJSON), HTML characters are not.
func WriteJSON(w io.Writer, v any) error {
	b, err := marshalIndent(v)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func marshalIndent(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return EscapeJSON(buf.Bytes()), nil
}

// EscapeJSON rewrites every rune of encoded JSON that safeterm.Unsafe
// names (DEL, C1 controls such as U+009B, bidi overrides such as U+202E)
// as a \uXXXX escape. encoding/json already escapes C0 controls but
// passes these through. JSON's structure is ASCII, so such a rune can
// only be inside a string, where the escape means the same text.
func EscapeJSON(b []byte) []byte {
	i := 0
	for i < len(b) {
		c := b[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if c == 0x7f || (r != utf8.RuneError && safeterm.Unsafe(r) && r >= 0x20) {
			break
		}
		i += size
	}
	if i == len(b) {
		return b
	}
	out := make([]byte, 0, len(b)+12)
	out = append(out, b[:i]...)
	const hex = "0123456789abcdef"
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if r >= 0x20 && safeterm.Unsafe(r) {
			out = append(out, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}
