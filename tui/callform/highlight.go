package callform

import (
	"bytes"
	"encoding/json"
	"mime"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

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

// highlightCmd colours a body in a command, off the UI loop. Nil when
// the body is too large to be worth it.
func highlightCmd(pagerID int64, safe, contentType string, lines int, pal palette) tea.Cmd {
	if safe == "" || len(safe) > maxHighlight {
		return nil
	}
	return func() tea.Msg {
		styled := highlight(safe, contentType, pal)
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

// highlight colours text line by line, by content type, then by its
// first character; nil when neither JSON nor XML fits.
func highlight(text, contentType string, pal palette) []string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(contentType)
	}
	t := strings.TrimSpace(text)
	switch {
	case isJSON(mt), strings.HasPrefix(t, "{"), strings.HasPrefix(t, "["):
		return colourJSON(text, pal)
	case strings.Contains(mt, "xml"), strings.HasPrefix(t, "<"):
		return colourXML(text, pal)
	}
	return nil
}
