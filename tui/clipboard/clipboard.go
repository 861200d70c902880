// Package clipboard copies text for the explorer: the system clipboard
// when there is one, else an OSC 52 sequence written to the terminal
// (which works over SSH).
//
// Under tmux the sequence is sent plain: tmux forwards an application's
// OSC 52 to the outer terminal (and keeps it as a paste buffer) when its
// set-clipboard option is "on". Its default, "external", drops
// applications' copies, and so does "off" (checked in tmux 3.x: a copy
// made buffer0 with "on", nothing with "external"). The DCS-wrapped
// passthrough form is dropped by tmux unless allow-passthrough is on, so
// it is not used there; it is kept for GNU screen, which forwards nothing
// else. When tmux says its option is not "on", the copy cannot happen and
// Copy says so instead of claiming it.
package clipboard

import (
	"errors"
	"io"
	"strings"

	"github.com/aymanbagabas/go-osc52/v2"
)

// ErrTmuxClipboardOff is returned when tmux would drop the sequence.
var ErrTmuxClipboardOff = errors.New("tmux drops copies from applications unless its set-clipboard option is on: run `tmux set -g set-clipboard on`")

// Copier copies text. Its fields are the outside world, so tests give
// fakes.
type Copier struct {
	// System writes to the system clipboard; nil or an error falls back
	// to OSC 52.
	System func(string) error
	// Terminal receives the OSC 52 sequence (the TUI's output).
	Terminal io.Writer
	// Getenv reads TMUX, STY and TERM.
	Getenv func(string) string
	// TmuxClipboard returns tmux's set-clipboard option ("on",
	// "external", "off"); nil or an error: assume it forwards.
	TmuxClipboard func() (string, error)
}

// Copy copies text; an error means it surely did not happen.
func (c Copier) Copy(text string) error {
	if c.System != nil && c.System(text) == nil {
		return nil
	}
	if c.Terminal == nil {
		return errors.New("no clipboard and no terminal to send it to")
	}
	if c.inTmux() && c.TmuxClipboard != nil {
		if v, err := c.TmuxClipboard(); err == nil && strings.TrimSpace(v) != "on" {
			return ErrTmuxClipboardOff
		}
	}
	_, err := io.WriteString(c.Terminal, c.Sequence(text))
	return err
}

func (c Copier) getenv(k string) string {
	if c.Getenv == nil {
		return ""
	}
	return c.Getenv(k)
}

func (c Copier) inTmux() bool { return c.getenv("TMUX") != "" }

// Sequence is the exact OSC 52 text written for this terminal: plain
// everywhere (tmux included), wrapped in a DCS passthrough under GNU
// screen only.
func (c Copier) Sequence(text string) string {
	seq := osc52.New(text)
	if !c.inTmux() && (c.getenv("STY") != "" || strings.HasPrefix(c.getenv("TERM"), "screen")) {
		seq = seq.Screen()
	}
	return seq.String()
}
