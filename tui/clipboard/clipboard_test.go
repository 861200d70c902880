package clipboard

import (
	"bytes"
	"errors"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

var noSystem = func(string) error { return errors.New("no xclip") }

// The exact bytes: "hi" is aGk= in base64.
func TestSequenceBytes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"plain terminal", map[string]string{"TERM": "xterm-256color"}, "\x1b]52;c;aGk=\x07"},
		// tmux sets TERM=screen or tmux-256color: still plain OSC 52.
		{"tmux", map[string]string{"TMUX": "/tmp/tmux-1000/default,123,0", "TERM": "screen-256color"}, "\x1b]52;c;aGk=\x07"},
		{"screen", map[string]string{"STY": "123.pts-0.host", "TERM": "screen"}, "\x1bP\x1b]52;c;aGk=\x07\x1b\\"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			cp := Copier{System: noSystem, Terminal: &out, Getenv: env(c.env), TmuxClipboard: func() (string, error) { return "on\n", nil }}
			if err := cp.Copy("hi"); err != nil {
				t.Fatal(err)
			}
			if out.String() != c.want {
				t.Fatalf("wrote %q, want %q", out.String(), c.want)
			}
		})
	}
}

func TestSystemClipboardFirst(t *testing.T) {
	t.Parallel()
	var got string
	var out bytes.Buffer
	cp := Copier{System: func(s string) error { got = s; return nil }, Terminal: &out}
	if err := cp.Copy("x"); err != nil || got != "x" || out.Len() != 0 {
		t.Fatalf("err %v, system %q, terminal %q", err, got, out.String())
	}
}

// tmux with set-clipboard off or external (its default) drops an
// application's sequence: no claim of a copy.
func TestTmuxClipboardNotOn(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"off\n", "external\n"} {
		var out bytes.Buffer
		cp := Copier{System: noSystem, Terminal: &out, Getenv: env(map[string]string{"TMUX": "x"}),
			TmuxClipboard: func() (string, error) { return v, nil }}
		if err := cp.Copy("hi"); !errors.Is(err, ErrTmuxClipboardOff) {
			t.Fatalf("%q: err %v", v, err)
		}
		if out.Len() != 0 {
			t.Fatalf("%q: wrote %q although tmux drops it", v, out.String())
		}
	}
}
