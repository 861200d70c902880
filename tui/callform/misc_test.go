package callform

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
)

func TestNoColorTurnsHighlightingOff(t *testing.T) {
	t.Parallel()
	fd := &fakeDo{body: `{"a":1}`}
	noColor := func(k string) (string, bool) {
		if k == "NO_COLOR" {
			return "1", true
		}
		return "", false
	}
	opts := testOptions(t, "sampleweather", "GetCurrentWeather", fd)
	opts.LookupEnv = noColor
	m := newTestForm(t, opts, 80, 24)
	typeText(m, "x")
	press(m, "ctrl+s")
	if m.resp == nil || m.resp.styled != nil || len(m.resp.plain) != 3 {
		t.Fatalf("highlighted under NO_COLOR: %v", m.resp)
	}
	opts = testOptions(t, "sampleweather", "GetCurrentWeather", fd)
	opts.LookupEnv = func(string) (string, bool) { return "", false }
	m = newTestForm(t, opts, 80, 24)
	typeText(m, "x")
	press(m, "ctrl+s")
	if m.resp.styled == nil {
		t.Fatal("no highlighting without NO_COLOR")
	}
	opts = testOptions(t, "sampleweather", "GetCurrentWeather", fd)
	opts.NoColor = true
	m = newTestForm(t, opts, 80, 24)
	typeText(m, "x")
	press(m, "ctrl+s")
	if m.resp.styled != nil {
		t.Fatal("highlighted with Options.NoColor")
	}
}

func TestTruncationNotice(t *testing.T) {
	t.Parallel()
	opts := testOptions(t, "sampleweather", "GetCurrentWeather", &fakeDo{})
	big := strings.Repeat("x", 100)
	opts.Do = func(_ context.Context, req *call.Request) (*call.Response, error) {
		return &call.Response{Status: 200, StatusText: "200 OK", Headers: http.Header{"Content-Type": {"text/plain"}},
			Body: []byte(big), Size: 5 << 20, Truncated: true, Duration: 2 * time.Second, URL: req.MaskedURL(),
			Notices: []string{"the response body was cut at 5 MiB (the server sent more)"}}, nil
	}
	m := newTestForm(t, opts, 80, 24)
	typeText(m, "x")
	press(m, "ctrl+s")
	got := screen(m)
	for _, w := range []string{"200 OK · 2.00 s · 5 MiB", "! the response body was cut at 5 MiB (the server sent more)"} {
		if !strings.Contains(got, w) {
			t.Fatalf("%q missing:\n%s", w, got)
		}
	}
}

func TestNoOperation(t *testing.T) {
	t.Parallel()
	m := New(Options{})
	send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	press(m, "ctrl+s", "tab", "right", "ctrl+p", "esc", "ctrl+y")
	if m.state != stateForm || !strings.Contains(screen(m), "no operation to call") {
		t.Fatalf("state %v:\n%s", m.state, screen(m))
	}
}

// TestEditorRoundTrip edits the body with an external editor (a script
// standing for $EDITOR). The command and its completion are run directly:
// tea.ExecProcess itself needs a terminal to hand over.
func TestEditorRoundTrip(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("shell script editor")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "ed.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '{\"title\":\"from the editor\"}' > \"$1\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	fd := &fakeDo{}
	opts := testOptions(t, "sampletasks", "CreateTaskV2", fd)
	opts.Editor = script
	m := newTestForm(t, opts, 120, 40)
	press(m, "tab") // the body
	cmd, done := m.editorCommand()
	if cmd == nil {
		t.Fatalf("no editor command:\n%s", screen(m))
	}
	send(m, done(cmd.Run()))
	if !strings.Contains(screen(m), "body updated from the editor") {
		t.Fatalf("no notice after the editor:\n%s", screen(m))
	}
	if got := m.body.Value(); got != `{"title":"from the editor"}` {
		t.Fatalf("body %q", got)
	}
	left, _ := filepath.Glob(filepath.Join(os.TempDir(), "connex-body-*.json"))
	for _, f := range left {
		b, _ := os.ReadFile(f)
		if string(b) == `{"title":"from the editor"}` {
			t.Fatalf("temp file left behind: %s", f)
		}
	}
}

func TestIsSample(t *testing.T) {
	t.Parallel()
	cat := catalog.Sample()
	n := 0
	for _, c := range cat.Connectors {
		if IsSample(c) {
			n++
		}
	}
	if n != 3 || IsSample(&catalog.Connector{Host: "api.example.com"}) || IsSample(nil) {
		t.Fatalf("%d samples", n)
	}
}

// TestHeaderJoinsBasePath: a connector whose base path is "/" shows
// "GET /current", not "//current" (the header joined the
// two as strings).
func TestHeaderJoinsBasePath(t *testing.T) {
	t.Parallel()
	opts := testOptions(t, "sampleweather", "GetCurrentWeather", &fakeDo{})
	conn := *opts.Connector
	conn.BasePath = "/"
	opts.Connector = &conn
	view := ansi.Strip(newTestForm(t, opts, 100, 30).View())
	if !strings.Contains(view, "GET /current ") || strings.Contains(view, "//current") {
		t.Errorf("header:\n%s", view)
	}
}
