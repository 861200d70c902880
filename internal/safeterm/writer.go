package safeterm

import (
	"io"
	"unicode/utf8"
)

// Unsafe reports whether r must never reach a terminal raw: C0 controls
// (tab and newline included: callers decide about those), DEL, C1
// controls (U+0080-U+009F: U+009B is a one-byte CSI on some terminals)
// and bidirectional overrides.
func Unsafe(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidiControl(r)
}

// Writer passes everything written to it through Text before it reaches
// the terminal, so a stream (not only a string) is safe to print. Escape
// sequences, bare carriage returns, C1 controls and bidi overrides become
// visible; newlines and tabs pass. A rune or CRLF split across two Write
// calls is held until the next call; call Flush at the end.
type Writer struct {
	w       io.Writer
	pending []byte
}

// NewWriter returns a sanitising Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write sanitises p and writes it. It reports len(p) on success, as
// callers count their own bytes, not the visible symbols.
func (sw *Writer) Write(p []byte) (int, error) {
	buf := append(sw.pending, p...)
	cut := len(buf)
	// Hold an incomplete UTF-8 sequence at the end (at most 3 bytes).
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-utf8.UTFMax; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				cut = i
			}
			break
		}
	}
	// Hold a trailing CR: with the next byte it may be a CRLF.
	if cut > 0 && cut == len(buf) && buf[cut-1] == '\r' {
		cut--
	}
	sw.pending = append([]byte(nil), buf[cut:]...)
	if cut == 0 {
		return len(p), nil
	}
	if _, err := io.WriteString(sw.w, Text(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what Write held back (an incomplete rune becomes U+FFFD,
// a lone CR becomes visible).
func (sw *Writer) Flush() error {
	if len(sw.pending) == 0 {
		return nil
	}
	s := Text(string(sw.pending))
	sw.pending = nil
	_, err := io.WriteString(sw.w, s)
	return err
}

// Underlying is the writer sanitised text goes to.
func (sw *Writer) Underlying() io.Writer { return sw.w }
