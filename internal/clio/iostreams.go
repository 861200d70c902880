package clio

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/connex-dev/connex/internal/safeterm"
)

// DefaultWidth is assumed for a terminal whose size cannot be read.
const DefaultWidth = 80

// IOStreams are a command's streams and what is known about the terminal.
type IOStreams struct {
	In io.Reader
	// Out is standard output: sanitised (safeterm.Writer) when it is a
	// terminal, the raw stream otherwise (pipes and files get exact bytes).
	Out io.Writer
	// ErrOut is standard error, raw: progress bars draw on it. Messages
	// with untrusted text go through safeterm before reaching it.
	ErrOut io.Writer

	outTTY, errTTY bool
	width          int
	color          bool
	sanitiser      *safeterm.Writer
}

// System returns the streams of a real process: whether out and errOut
// are terminals is asked of the operating system, once.
func System(in io.Reader, out, errOut io.Writer) *IOStreams {
	s := &IOStreams{In: in, Out: out, ErrOut: errOut}
	s.outTTY, s.width = fileTerminal(out)
	s.errTTY, _ = fileTerminal(errOut)
	s.color = s.outTTY && colorWanted(os.Getenv)
	if s.outTTY {
		s.sanitise()
	}
	return s
}

// Test returns streams over buffers; tty makes standard output behave as
// a terminal of the given width (sanitised, tables fitted).
func Test(tty bool, width int) (s *IOStreams, out, errOut *bytes.Buffer) {
	out, errOut = new(bytes.Buffer), new(bytes.Buffer)
	s = &IOStreams{In: bytes.NewReader(nil), Out: out, ErrOut: errOut, outTTY: tty}
	if tty {
		s.width = width
		if s.width <= 0 {
			s.width = DefaultWidth
		}
		s.sanitise()
	}
	return s, out, errOut
}

func (s *IOStreams) sanitise() {
	s.sanitiser = safeterm.NewWriter(s.Out)
	s.Out = &ttyWriter{Writer: s.sanitiser, width: s.width}
}

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.outTTY }

// IsStderrTTY reports whether standard error is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.errTTY }

// TerminalWidth is standard output's width in columns when it is a
// terminal, 0 when it is not (nothing is cut for pipes).
func (s *IOStreams) TerminalWidth() int {
	if !s.outTTY {
		return 0
	}
	return s.width
}

// ColorEnabled reports whether colour is wanted: standard output is a
// terminal, NO_COLOR is unset and TERM is not dumb (CLICOLOR_FORCE
// forces it). The sanitiser shows escape sequences, so colour must be
// added past it; no command colours its output today.
func (s *IOStreams) ColorEnabled() bool { return s.color }

// Flush writes what the terminal sanitiser held back (a rune split across
// writes); call it once the command is done.
func (s *IOStreams) Flush() error {
	if s.sanitiser == nil {
		return nil
	}
	return s.sanitiser.Flush()
}

func colorWanted(getenv func(string) string) bool {
	if getenv("CLICOLOR_FORCE") != "" && getenv("CLICOLOR_FORCE") != "0" {
		return true
	}
	return getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// ttyWriter is standard output on a terminal: sanitised, and it says so.
type ttyWriter struct {
	*safeterm.Writer
	width int
}

func (w *ttyWriter) isTerminal() bool   { return true }
func (w *ttyWriter) terminalWidth() int { return w.width }

type terminalWriter interface {
	isTerminal() bool
	terminalWidth() int
}

// fileTerminal reports whether w is a terminal, and its width.
func fileTerminal(w io.Writer) (bool, int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return false, 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width < 40 {
		width = DefaultWidth
	}
	return true, width
}

// IsTerminal reports whether w is a terminal: an IOStreams' Out on a
// terminal, or a terminal file (standard error, for progress bars).
func IsTerminal(w io.Writer) bool {
	if t, ok := w.(terminalWriter); ok {
		return t.isTerminal()
	}
	tty, _ := fileTerminal(w)
	return tty
}

// Width is w's width in columns when it is a terminal, else 0.
func Width(w io.Writer) int {
	if t, ok := w.(terminalWriter); ok {
		return t.terminalWidth()
	}
	_, width := fileTerminal(w)
	return width
}
