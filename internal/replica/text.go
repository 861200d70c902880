package replica

import (
	"html"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// oneLine makes untrusted text fit one table cell or heading the way a
// parser will read it back: control characters and invalid UTF-8 removed
// (an HTML parser would turn them into U+FFFD or drop them), runs of white
// space collapsed, ends trimmed. Every value the replica renders goes
// through it, so the expected catalogue holds exactly what a parser that
// collapses white space reads from the page.
func oneLine(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			continue
		case r == '\uFEFF' || (r >= 0xFDD0 && r <= 0xFDEF) || r&0xFFFE == 0xFFFE:
			// A byte order mark or a noncharacter: parsers differ on them.
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII with single inner spaces,
// the common case, so oneLine can skip the copy.
func isPlain(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
		if c == ' ' && s[i+1] == ' ' {
			return false
		}
	}
	return true
}

// opAnchor is the site's id rule for operation headings: the name lower
// cased, spaces replaced by '-', every other character kept.
func opAnchor(name string) string {
	return strings.ReplaceAll(strings.ToLower(name), " ", "-")
}

// authAnchor is the id rule for auth type headings: lower case, spaces to
// '-', punctuation dropped ("Access Key (Azure Government)" gives
// "access-key-azure-government").
func authAnchor(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == ' ' || r == '-':
			dash = true
		}
	}
	return b.String()
}

// uniqueAnchors makes ids unique within a page the way the docs build does
// for repeated headings: the second "x" becomes "x-1", the third "x-2".
type uniqueAnchors map[string]int

func (u uniqueAnchors) take(id string) string {
	n, seen := u[id]
	u[id] = n + 1
	if !seen {
		return id
	}
	for {
		cand := id + "-" + itoa(n)
		if _, dup := u[cand]; !dup {
			u[cand] = 1
			return cand
		}
		n++
		u[id] = n + 1
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}

// pctAnchor percent-encodes an anchor the way links in deprecation notes
// do (#send-email-%28v4%29): everything but unreserved characters.
func pctAnchor(a string) string {
	var b strings.Builder
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(a); i++ {
		c := a[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// esc escapes text for an HTML element body or a double-quoted attribute.
func esc(s string) string { return html.EscapeString(s) }

// safeURL keeps absolute http(s) URLs and site-relative paths; anything
// else (javascript:, data:, garbage) from untrusted input becomes "".
func safeURL(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return ""
		}
		return u.String()
	case "":
		if u.Host != "" || strings.HasPrefix(s, "//") {
			return ""
		}
		return u.String()
	}
	return ""
}

// stripMarkers removes the trailing markers the site appends to names and
// reports which were there. A parser does the same, so the expected
// catalogue holds the bare name plus the flags.
func stripMarkers(name string) (bare string, deprecated, preview bool) {
	bare = name
	for {
		lower := strings.ToLower(bare)
		switch {
		case strings.HasSuffix(lower, " [deprecated]"):
			bare, deprecated = strings.TrimSpace(bare[:len(bare)-len(" [deprecated]")]), true
		case strings.HasSuffix(lower, " (deprecated)"):
			bare, deprecated = strings.TrimSpace(bare[:len(bare)-len(" (deprecated)")]), true
		case strings.HasSuffix(lower, " (preview)"):
			bare, preview = strings.TrimSpace(bare[:len(bare)-len(" (preview)")]), true
		default:
			return bare, deprecated, preview
		}
	}
}
