package callform

import (
	"bytes"
	"encoding/json"
	"mime"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/connex-dev/connex/internal/safeterm"
)

// maxHighlight bounds the body size that gets syntax colours: beyond it
// tokenising costs more than it helps, and the plain text is still shown.
const maxHighlight = 128 << 10

// bodyLines turns a response body into display lines: JSON pretty-printed,
// every control character made visible (safeterm) BEFORE highlighting, so
// the only escapes a highlighter can add are its own colours. It returns
// the safe text too, for highlight.
func bodyLines(body []byte, contentType string) (safe string, plain []string) {
	text := prettyBody(body, contentType)
	safe = strings.TrimRight(safeterm.Text(text), "\n")
	if safe == "" {
		return "", nil
	}
	// Tabs would make widths unpredictable in the viewport.
	safe = strings.ReplaceAll(safe, "\t", "    ")
	return safe, strings.Split(safe, "\n")
}

// highlightMsg carries the coloured lines of one pager's body.
type highlightMsg struct {
	pager  int64
	styled []string
}

// Owner is the pager the colours are for.
func (m highlightMsg) Owner() int64 { return m.pager }

// highlightCmd colours a body in a command: chroma's regexp lexers take
// tens of milliseconds per 100 KiB, too long for Update. Nil when the
// body is too large to be worth it.
func highlightCmd(pagerID int64, safe, contentType string, lines int, dark bool) tea.Cmd {
	if safe == "" || len(safe) > maxHighlight {
		return nil
	}
	return func() tea.Msg {
		styled := highlight(safe, contentType, dark)
		// A lexer that ensures a final newline yields one more, empty line.
		for len(styled) > lines && strings.TrimSpace(ansi.Strip(styled[len(styled)-1])) == "" {
			styled = styled[:len(styled)-1]
		}
		if len(styled) != lines {
			return nil
		}
		return highlightMsg{pager: pagerID, styled: styled}
	}
}

// prettyBody indents JSON bodies; anything else is returned as text.
func prettyBody(body []byte, contentType string) string {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[' || isJSON(contentType)) {
		var buf bytes.Buffer
		if json.Indent(&buf, trimmed, "", "  ") == nil {
			return buf.String()
		}
	}
	return string(bytes.ToValidUTF8(body, []byte("\uFFFD")))
}

func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(ct)
	}
	return strings.HasSuffix(mt, "/json") || strings.HasSuffix(mt, "+json")
}

// lexerFor picks a lexer from the content type, then from the text.
func lexerFor(text, contentType string) chroma.Lexer {
	var l chroma.Lexer
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		if isJSON(mt) {
			l = lexers.Get("json")
		} else {
			l = lexers.MatchMimeType(mt)
		}
	}
	if l == nil {
		t := strings.TrimSpace(text)
		if strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
			l = lexers.Get("json")
		} else if strings.HasPrefix(t, "<") {
			l = lexers.Get("xml")
		}
	}
	if l == nil {
		return nil
	}
	return chroma.Coalesce(l)
}

// highlight colours text line by line with a 256-colour terminal formatter;
// nil when no lexer fits or anything fails.
func highlight(text, contentType string, dark bool) []string {
	l := lexerFor(text, contentType)
	if l == nil {
		return nil
	}
	it, err := l.Tokenise(nil, text)
	if err != nil {
		return nil
	}
	style := styles.Get("github")
	if dark {
		style = styles.Get("github-dark")
	}
	// One Format call: the formatter builds its colour table per call,
	// and it closes every colour before a newline, so each line of the
	// output stands alone.
	var buf bytes.Buffer
	if err := formatters.Get("terminal256").Format(&buf, style, it); err != nil {
		return nil
	}
	out := strings.Split(buf.String(), "\n")
	return out
}
