package site

import (
	"fmt"
	"net/url"
	"strings"
)

// ListEntry is one connector of the reference site's list page.
type ListEntry struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	URL     string `json:"url"` // the connector page, absolute
	IconURL string `json:"icon_url,omitempty"`
	Premium bool   `json:"premium,omitempty"`
	Preview bool   `json:"preview,omitempty"`
	// Deprecated is set when the name ends in a deprecation marker
	// (" [DEPRECATED]"), which is then removed from Name.
	Deprecated bool     `json:"deprecated,omitempty"`
	MCP        bool     `json:"mcp,omitempty"` // an MCP server, known only by its name
	Products   []string `json:"products,omitempty"`
	Publisher  string   `json:"publisher,omitempty"` // "By: X" when the list shows it
}

// ParseProblem is something unexpected on a page: the parsers report it
// and go on with what they could read.
type ParseProblem struct {
	URL  string `json:"url"`
	What string `json:"what"`
}

func (p ParseProblem) String() string { return p.URL + ": " + p.What }

// problems collects problems for one page.
type problems struct {
	url  string
	list []ParseProblem
}

func (p *problems) add(format string, args ...any) {
	// A hostile page could produce one problem per element; a page's worth
	// is plenty to diagnose it.
	const max = 200
	if len(p.list) == max {
		p.list = append(p.list, ParseProblem{URL: p.url, What: "more problems not reported"})
	}
	if len(p.list) > max {
		return
	}
	p.list = append(p.list, ParseProblem{URL: p.url, What: fmt.Sprintf(format, args...)})
}

// OperationAnchor is the id the site gives an operation's heading: the
// name lower-cased with spaces replaced by "-", every other character kept
// ("Create contact (V2)" -> "create-contact-(v2)").
func OperationAnchor(name string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), " ", "-")
}

// fragment returns the decoded fragment of href ("#create-contact-%28v2%29"
// -> "create-contact-(v2)") and whether href points into the page at
// pagePath (a bare fragment, or a link to the same path).
func fragment(href string, page *url.URL) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil || u.Fragment == "" {
		return "", false
	}
	if u.Path != "" && page != nil {
		target := page.ResolveReference(u)
		if strings.TrimSuffix(target.Path, "/") != strings.TrimSuffix(page.Path, "/") {
			return "", false
		}
	}
	return strings.ToLower(u.Fragment), true
}

// stripMarkers removes the deprecation and preview markers from the
// end of an operation name (" [DEPRECATED]", " (deprecated)",
// " (preview)", in any case and order) and reports which were there.
func stripMarkers(name string) (bare string, deprecated, preview bool) {
	bare = strings.TrimSpace(name)
	for {
		var d, p bool
		bare, d = trimSuffix(bare, "[deprecated]")
		if !d {
			bare, d = trimSuffix(bare, "(deprecated)")
		}
		bare, p = trimSuffix(bare, "(preview)")
		deprecated, preview = deprecated || d, preview || p
		if (!d && !p) || bare == "" {
			break
		}
	}
	if bare == "" {
		return strings.TrimSpace(name), deprecated, preview
	}
	return bare, deprecated, preview
}

// lastSegment returns the last non-empty path segment of u.
func lastSegment(u *url.URL) string {
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	return parts[len(parts)-1]
}
