package callform

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/connex-dev/connex/catalog"
)

// hostileBody holds a screen clear, an OSC 52 clipboard write, a bare CR
// and a C1 control, in a JSON body and in a header.
const hostileBody = "{\"note\":\"clear\x1b[2J here\",\"clip\":\"\x1b]52;c;cm0gLXJmIC8=\x07\",\"cr\":\"over\rwrite\",\"c1\":\"\u009b31m\"}"

var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// TestHostileResponseIsInert renders a response full of terminal escapes,
// in colour, and checks that the only escapes left are colours, and that
// the hostile ones show as visible symbols.
func TestHostileResponseIsInert(t *testing.T) {
	// Not parallel: it sets the global colour profile.
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	fd := &fakeDo{body: hostileBody, headers: http.Header{
		"Content-Type": {"application/json"},
		"X-Evil":       {"a\x1b]8;;https://evil.invalid\x1b\\link\x1b]8;;\x1b\\"},
	}}
	// Raw control characters make the JSON invalid, so it is not
	// re-indented, but the JSON lexer still colours it.
	for _, bodyIsJSON := range []bool{true, false} {
		if !bodyIsJSON {
			// Invalid JSON: shown as plain text, still inert.
			fd.body = "not json \x1b[2J\x1b]52;c;eA==\x07 bare\rCR"
			fd.headers.Set("Content-Type", "text/plain")
		}
		m := newTestForm(t, testOptions(t, "sampleweather", "GetCurrentWeather", fd), 120, 40)
		typeText(m, "Lisbon")
		press(m, "ctrl+s", "h")
		v := m.View()
		if bodyIsJSON && !strings.Contains(v, "\x1b[38;5;") {
			t.Fatalf("no syntax colours in:\n%q", v)
		}
		rest := sgr.ReplaceAllString(v, "")
		if i := strings.IndexAny(rest, "\x1b\r\x07"); i >= 0 {
			t.Fatalf("raw control character %q at %d in:\n%q", rest[i], i, rest)
		}
		if strings.ContainsRune(rest, 0x9b) {
			t.Fatal("C1 control left")
		}
		plain := screen(m)
		wants := []string{"␛[2J", "␛]52;c;", "␍", "X-Evil: a␛]8;;https://evil.invalid␛\\link"}
		for _, w := range wants {
			if !strings.Contains(plain, w) {
				t.Fatalf("%q not shown as visible text in:\n%s", w, plain)
			}
		}
		// Search over sanitised text finds the visible symbol.
		press(m, "/")
		typeText(m, "␛")
		press(m, "enter")
		if m.resp.searchStatus() == `no match for "␛"` {
			t.Fatalf("search did not find the escape symbol")
		}
	}
}

// TestRawEscapesInJSONStrings: JSON with raw control characters inside
// strings is invalid, so it is shown as text, made visible.
func TestRawEscapesInJSONStrings(t *testing.T) {
	t.Parallel()
	fd := &fakeDo{body: hostileBody}
	m := newTestForm(t, testOptions(t, "sampleweather", "GetCurrentWeather", fd), 120, 40)
	typeText(m, "Lisbon")
	press(m, "ctrl+s")
	plain := screen(m)
	for _, w := range []string{`"note":"clear␛[2J here"`, `"clip":"␛]52;c;cm0gLXJmIC8=␇"`, `"cr":"over␍write"`, `\u009b31m`} {
		if !strings.Contains(plain, w) {
			t.Fatalf("%q not visible in:\n%s", w, plain)
		}
	}
}

// TestHostileDefinitionIsInert: names, descriptions, enums and defaults
// from a definition reach the form's screen only as visible text.
func TestHostileDefinitionIsInert(t *testing.T) {
	// Not parallel: it sets the global colour profile.
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	opts := testOptions(t, "sampleweather", "GetCurrentWeather", &fakeDo{})
	conn, op := *opts.Connector, *opts.Operation
	conn.Name = "Evil\x1b[2J Weather"
	op.Name = "Get\x1b]0;pwned\x07 weather"
	op.Parameters = append([]catalog.Parameter(nil), op.Parameters...)
	op.Parameters[0].Name = "City\r"
	op.Parameters[0].Description = "clip \x1b]52;c;cm0gLXJmIC8=\x07 here"
	op.Parameters[1].Enum = []string{"metric", "a\x1b[31mb"}
	op.Parameters[1].Default = `"x\u001b[2Jy"` // decodes to a real ESC
	opts.Connector, opts.Operation = &conn, &op
	m := newTestForm(t, opts, 120, 40)
	press(m, "down", "right", "right")
	for _, v := range []string{m.View(), func() string { press(m, "ctrl+p"); return m.View() }()} {
		rest := sgr.ReplaceAllString(v, "")
		if i := strings.IndexAny(rest, "\x1b\r\x07"); i >= 0 {
			t.Fatalf("raw control character %q at %d in:\n%q", rest[i], i, rest)
		}
	}
	press(m, "esc")
	plain := screen(m)
	for _, w := range []string{"Evil␛[2J Weather", "Get␛]0;pwned␇ weather", "City␍", "clip ␛]52;c;cm0gLXJmIC8=␇ here", "[a␛[31mb]", "server default: x␛[2Jy"} {
		if !strings.Contains(plain, w) {
			t.Fatalf("%q not visible in:\n%s", w, plain)
		}
	}
}
