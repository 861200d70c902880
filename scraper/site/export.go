package site

import (
	"bytes"
	"io"
	"net/url"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/limitio"
)

// maxMarkdownNesting caps the container prefix (">", list indentation) of
// one Markdown line: real exports nest two or three levels; a hostile one
// could nest thousands, which the CommonMark parser and renderer would
// follow recursively.
const maxMarkdownNesting = 128

// markdown is the CommonMark parser with the GFM tables the exports use
// (and strikethrough, which marks a deprecated operation's old text).
// Raw HTML is passed through (the exports put <br> in table cells): the
// result is only read by this package, never shown by a browser. It is
// built at the first export read, not at package init, which every connex
// process (--version included) would pay.
var markdown = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough),
		goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
	)
})

// FrontMatter is what the export's YAML front matter says of the page.
type FrontMatter struct {
	Title        string
	CanonicalURL string
	UpdatedAt    string
	GitCommitID  string
}

// ParseExport reads the site's Markdown export of a connector page (the
// document a page's <meta name="markdown_url"> points to): YAML front
// matter, then the page body as CommonMark with GFM tables, LF or CRLF
// line endings. pageURL is the HTML page's address (links resolve
// against it, and the connector id is its last segment). The result has
// the same shape as ParseConnectorPage's; PageRevision is the front
// matter's git_commit_id, else its updated_at.
func ParseExport(r io.Reader, pageURL *url.URL) (*catalog.Connector, []ParseProblem) {
	probs := &problems{url: pageURL.String()}
	data, over, err := limitio.ReadAll(r, MaxPageBytes)
	if err != nil {
		probs.add("page rejected: read export: %v", err)
		return nil, probs.list
	}
	if over {
		probs.add("page rejected: %v", ErrPageTooLarge)
		return nil, probs.list
	}
	data = normalizeNewlines(data)
	fm, body := splitFrontMatter(data)
	if d := markdownNesting(body); d > maxMarkdownNesting {
		probs.add("page rejected: %v (%d levels of Markdown nesting, limit %d)", ErrPageTooDeep, d, maxMarkdownNesting)
		return nil, probs.list
	}
	var out bytes.Buffer
	out.WriteString("<!DOCTYPE html><html><head></head><body><main>")
	if err := markdown().Convert(body, &out); err != nil {
		probs.add("page rejected: render Markdown: %v", err)
		return nil, probs.list
	}
	out.WriteString("</main></body></html>")
	doc, err := loadHTML(&out)
	if err != nil {
		probs.add("page rejected: %v", err)
		return nil, probs.list
	}
	c := parseDoc(doc, pageURL, probs)
	if fm.GitCommitID != "" {
		c.PageRevision = fm.GitCommitID
	} else {
		c.PageRevision = fm.UpdatedAt
	}
	if c.Name == c.ID && fm.Title != "" {
		// No h1: the title reads "<Name> - Connectors | Microsoft Learn".
		name := fm.Title
		if i := strings.Index(name, " - Connectors"); i >= 0 {
			name = name[:i]
		}
		c.Name, c.Deprecated, c.Preview = stripMarkers(name)
	}
	return c, probs.list
}

// ParseFrontMatter reads the scalar keys of an export's front matter.
func ParseFrontMatter(data []byte) FrontMatter {
	fm, _ := splitFrontMatter(normalizeNewlines(data))
	return fm
}

func normalizeNewlines(data []byte) []byte {
	if !bytes.Contains(data, []byte{'\r'}) {
		return data
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
}

// splitFrontMatter separates a leading "---" ... "---" block and reads
// its top-level "key: value" lines (the only ones the parser needs; lists
// and nested keys are skipped), returning the body after it.
func splitFrontMatter(data []byte) (FrontMatter, []byte) {
	var fm FrontMatter
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !bytes.HasPrefix(data, []byte("---\n")) {
		return fm, data
	}
	rest := data[4:]
	end := bytes.Index(rest, []byte("\n---\n"))
	var head []byte
	switch {
	case end >= 0:
		head, data = rest[:end], rest[end+5:]
	case bytes.HasSuffix(rest, []byte("\n---")):
		head, data = rest[:len(rest)-4], nil
	default:
		return fm, data // not closed: not front matter
	}
	for _, line := range strings.Split(string(head), "\n") {
		if line == "" || line[0] == ' ' || line[0] == '-' || line[0] == '#' {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
			val = val[1 : len(val)-1]
		}
		switch strings.TrimSpace(key) {
		case "title":
			fm.Title = val
		case "canonicalUrl":
			fm.CanonicalURL = val
		case "updated_at":
			fm.UpdatedAt = val
		case "git_commit_id":
			fm.GitCommitID = val
		}
	}
	return fm, data
}

// markdownNesting returns the deepest container prefix of any line:
// block quote markers, list markers and indentation, counted in
// characters.
func markdownNesting(body []byte) int {
	deepest := 0
	for len(body) > 0 {
		line := body
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		n := 0
		for n < len(line) {
			switch line[n] {
			case ' ', '\t', '>', '-', '*', '+':
				n++
				continue
			}
			break
		}
		if n > deepest {
			deepest = n
		}
	}
	return deepest
}

// MarkdownURL returns the Markdown export a page announces in its head
// (<meta name="markdown_url" content="...">), resolved against the page's
// address. Only the head is read; a page without one gives false.
func MarkdownURL(page []byte, pageURL *url.URL) (*url.URL, bool) {
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil, false
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Body || a == atom.Main {
				return nil, false
			}
			if a != atom.Meta || !hasAttr {
				continue
			}
			var metaName, content string
			for {
				k, v, more := z.TagAttr()
				switch strings.ToLower(string(k)) {
				case "name":
					metaName = strings.ToLower(strings.TrimSpace(string(v)))
				case "content":
					content = strings.TrimSpace(string(v))
				}
				if !more {
					break
				}
			}
			if metaName != "markdown_url" || content == "" {
				continue
			}
			u, err := url.Parse(content)
			if err != nil {
				return nil, false
			}
			u = pageURL.ResolveReference(u)
			if u.Scheme != "http" && u.Scheme != "https" {
				return nil, false
			}
			return u, true
		case html.EndTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.Head {
				return nil, false
			}
		}
	}
}
