package safeterm

import "testing"

func TestText(t *testing.T) {
	cases := []struct{ name, in, text, line string }{
		{"plain", "Send an email (V2)", "Send an email (V2)", "Send an email (V2)"},
		{"clear screen", "a\x1b[2Jb", "a\u241b[2Jb", "a\u241b[2Jb"},
		{"osc52", "\x1b]52;c;ZXZpbA==\x07", "\u241b]52;c;ZXZpbA==\u2407", "\u241b]52;c;ZXZpbA==\u2407"},
		{"osc8", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "\u241b]8;;http://x\u241b\\link\u241b]8;;\u241b\\", "\u241b]8;;http://x\u241b\\link\u241b]8;;\u241b\\"},
		{"bare cr", "safe\rEVIL", "safe\u240dEVIL", "safe\u240dEVIL"},
		{"crlf", "one\r\ntwo", "one\ntwo", "one two"},
		{"newline tab", "a\n\tb", "a\n\tb", "a  b"},
		{"c1 csi", "a\u009b2Jb", `a\u009b2Jb`, `a\u009b2Jb`},
		{"bidi", "abc\u202edef", `abc\u202edef`, `abc\u202edef`},
		{"bad utf8", "a\xffb", "a\uFFFDb", "a\uFFFDb"},
		{"del", "a\x7fb", "a\u2421b", "a\u2421b"},
		{"unicode kept", "Café – naïve 日本", "Café – naïve 日本", "Café – naïve 日本"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Text(c.in); got != c.text {
				t.Errorf("Text(%q) = %q, want %q", c.in, got, c.text)
			}
			if got := Line(c.in); got != c.line {
				t.Errorf("Line(%q) = %q, want %q", c.in, got, c.line)
			}
		})
	}
}
