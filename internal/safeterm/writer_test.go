package safeterm

import (
	"bytes"
	"testing"
)

func TestWriterSplitWrites(t *testing.T) {
	cases := []struct {
		name   string
		chunks []string
		want   string
	}{
		{"esc", []string{"a\x1b[2J", "b"}, "a\u241b[2Jb"},
		{"crlf split", []string{"one\r", "\ntwo"}, "one\ntwo"},
		{"bare cr split", []string{"safe\r", "EVIL"}, "safe\u240dEVIL"},
		{"cr at end", []string{"x\r"}, "x\u240d"},
		{"rune split", []string{"caf\xc3", "\xa9"}, "café"},
		{"c1 split", []string{"a\xc2", "\x9b2J"}, `a\u009b2J`},
		{"bidi split", []string{"a\xe2\x80", "\xaeb"}, `a\u202eb`},
		{"truncated rune at end", []string{"a\xe2\x80"}, "a\uFFFD\uFFFD"},
		{"newline tab kept", []string{"a\n", "\tb"}, "a\n\tb"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriter(&buf)
			for _, ch := range c.chunks {
				n, err := w.Write([]byte(ch))
				if err != nil || n != len(ch) {
					t.Fatalf("Write(%q) = %d, %v", ch, n, err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != c.want {
				t.Errorf("wrote %q, want %q", got, c.want)
			}
		})
	}
}

func TestUnsafe(t *testing.T) {
	for _, r := range []rune{0, '\n', '\t', 0x1b, 0x7f, 0x80, 0x9b, 0x9f, 0x202e, 0x2066, 0x200f} {
		if !Unsafe(r) {
			t.Errorf("Unsafe(%U) = false", r)
		}
	}
	for _, r := range []rune{' ', 'a', 0xa0, 0xe9, 0x2028, 0x65e5} {
		if Unsafe(r) {
			t.Errorf("Unsafe(%U) = true", r)
		}
	}
}
