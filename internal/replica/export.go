package replica

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"

	"github.com/connex-dev/connex/catalog"
)

// LoadExports reads the site's Markdown exports from dir: one <id>.md per
// connector page (README.md is not one). The bytes are served as they
// are.
func LoadExports(dir string) (map[string][]byte, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, f := range files {
		id := strings.TrimSuffix(filepath.Base(f), ".md")
		if strings.EqualFold(id, "readme") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out[id] = data
	}
	return out, nil
}

// fromExport is the page of a connector whose export the site published:
// served as it is, and shown as HTML rendered from it. What a crawler
// must read back is counted from its lines (not with the parser under
// test): the operations of its Actions and Triggers sections, each an
// "### Name" heading followed by "- Operation ID:" and the id on the next
// line.
func fromExport(md []byte) *pageData {
	c := &catalog.Connector{}
	lines := strings.Split(strings.ReplaceAll(string(md), "\r\n", "\n"), "\n")
	h2, h3 := "", ""
	inCode := false
	for i, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inCode = !inCode
		}
		switch {
		case inCode:
		case strings.HasPrefix(line, "## "):
			h2, h3 = strings.TrimSpace(line[3:]), ""
		case strings.HasPrefix(line, "### "):
			h3 = strings.TrimSpace(line[4:])
		case line == "- Operation ID:" && (h2 == "Actions" || h2 == "Triggers") && h3 != "" && i+1 < len(lines):
			id := unescapeMarkdown(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(lines[i+1]), "- ")))
			kind := catalog.KindAction
			if h2 == "Triggers" {
				kind = catalog.KindTrigger
			}
			name, dep, prev := stripMarkers(unescapeMarkdown(h3))
			c.Operations = append(c.Operations, &catalog.Operation{ID: id, Name: name, Kind: kind, Deprecated: dep, Preview: prev})
		}
	}
	return &pageData{conn: c, export: md}
}

// unescapeMarkdown drops the backslash before ASCII punctuation.
func unescapeMarkdown(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough),
	goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
)

// exportQuery is the query of a page's Markdown export, as the live site
// announces it.
const exportQuery = "accept=text/markdown"

// renderExportPage writes the HTML page of a connector with an export:
// the export's body rendered to HTML inside the 2025 chrome, with the
// export announced in the head.
func (s *site) renderExportPage(p *page, origin string) []byte {
	d := p.data
	c := d.conn
	body := d.export
	// Drop the front matter: the HTML page carries it in its head.
	norm := bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))
	if bytes.HasPrefix(norm, []byte("---\n")) {
		if end := bytes.Index(norm[4:], []byte("\n---\n")); end >= 0 {
			norm = norm[4+end+5:]
		}
	}
	var html bytes.Buffer
	if err := markdown.Convert(norm, &html); err != nil {
		html.Reset()
	}
	var w writer
	w.Grow(html.Len() + 4096)
	// The live site announces an absolute URL on its own host; the
	// replica's host is wherever it listens, so the path stands for it.
	w.head(d.title+" - Connectors | Microsoft Learn", origin+c.DocsURL, c.DocsURL+"?"+exportQuery)
	w.s(`<div class="metadata"><ul><li>Article</li></ul></div>`, "\n")
	w.body()
	w.Write(html.Bytes())
	w.foot()
	return w.Bytes()
}

// exportTitle is the display name in an export's front matter title
// ("Windows 365 - Connectors | Microsoft Learn"), else def.
func exportTitle(md []byte, def string) string {
	for _, line := range strings.Split(strings.ReplaceAll(string(md), "\r\n", "\n"), "\n") {
		if rest, ok := strings.CutPrefix(line, "title:"); ok {
			t := strings.TrimSpace(rest)
			if i := strings.Index(t, " - Connectors"); i > 0 {
				t = t[:i]
			}
			if t = oneLine(t); t != "" {
				return t
			}
		}
		if line == "---" && def == "" {
			break
		}
	}
	return def
}
