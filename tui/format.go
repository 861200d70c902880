package tui

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
)

// truncate cuts plain text to w cells with an ellipsis.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// pad truncates or pads plain text to exactly w cells.
func pad(s string, w int) string {
	s = truncate(s, w)
	if n := ansi.StringWidth(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// wrapText word-wraps plain text to w cells, keeping its line breaks.
func wrapText(s string, w int) []string {
	if w < 10 {
		w = 10
	}
	s = strings.TrimRight(s, "\n ")
	if s == "" {
		return nil
	}
	return strings.Split(ansi.Wrap(s, w, ""), "\n")
}

func commas(n int) string {
	s := fmt.Sprint(n)
	if n < 1000 {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// age says how long ago t was, in words.
func age(t, now time.Time) string {
	d := now.Sub(t)
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit + " ago"
		}
		return fmt.Sprintf("%d %ss ago", n, unit)
	}
	switch {
	case t.IsZero():
		return "at an unknown time"
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour")
	case d < 60*24*time.Hour:
		return plural(int(d/(24*time.Hour)), "day")
	case d < 2*365*24*time.Hour:
		return plural(int(d/(30*24*time.Hour)), "month")
	}
	return plural(int(d/(365*24*time.Hour)), "year")
}

// sourceLine describes where the catalogue came from and how old it is:
// every source, newest first ("imported 5 minutes ago from
// powerplatformconnectors.tar.gz and powerplatform-apis.tar.gz; refreshed
// 2 days ago from learn.microsoft.com"). Imports of definitions and of API
// replies are one kind of event for the user.
func sourceLine(cat *catView, now time.Time) string {
	if cat.Sample {
		return "built-in sample catalogue: import or refresh for the real one"
	}
	type event struct {
		verb string
		at   time.Time
		refs []string
	}
	var imported, refreshed event
	imported.verb, refreshed.verb = "imported", "refreshed"
	for _, o := range cat.Origins {
		e, ref := &imported, filepath.Base(o.Ref)
		switch o.Kind {
		case catalog.SourceSite:
			e, ref = &refreshed, siteName(o.Ref)
		case catalog.SourceDefinition, catalog.SourceAPI, catalog.SourceList:
			if ref == "." || ref == "/" || ref == "" {
				ref = o.Kind + "s"
			}
		default:
			continue
		}
		if o.At.After(e.at) {
			e.at = o.At
		}
		if !slices.Contains(e.refs, ref) {
			e.refs = append(e.refs, ref)
		}
	}
	events := []event{imported, refreshed}
	if refreshed.at.After(imported.at) {
		events[0], events[1] = refreshed, imported
	}
	var parts []string
	for _, e := range events {
		if len(e.refs) == 0 {
			continue
		}
		from := strings.Join(e.refs, ", ")
		if n := len(e.refs); n > 1 {
			from = strings.Join(e.refs[:n-1], ", ") + " and " + e.refs[n-1]
		}
		parts = append(parts, e.verb+" "+age(e.at, now)+" from "+from)
	}
	if len(parts) == 0 {
		return "catalogue updated " + age(cat.UpdatedAt, now)
	}
	return strings.Join(parts, "; ")
}

// highlight styles the parts of plain text s that the hit's matched terms
// cover (as the index finds them: word and camelCase-part prefixes), the
// rest with base.
func highlight(s string, terms []string, base, match lipgloss.Style) string {
	spans := index.HighlightSpans(s, terms)
	if len(spans) == 0 {
		return base.Render(s)
	}
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		if sp[0] < at || sp[1] > len(s) || sp[0] >= sp[1] {
			continue
		}
		if sp[0] > at {
			b.WriteString(base.Render(s[at:sp[0]]))
		}
		b.WriteString(match.Render(s[sp[0]:sp[1]]))
		at = sp[1]
	}
	if at < len(s) {
		b.WriteString(base.Render(s[at:]))
	}
	return b.String()
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return commas(n) + " " + unit + "s"
}

// siteName names the site a catalogue was crawled from: its host, or "a
// local replica at 127.0.0.1:PORT" for a loopback address (a replica is
// not the reference site).
func siteName(ref string) string {
	u, err := url.Parse(ref)
	if err != nil || u.Host == "" {
		return "the reference site"
	}
	host := u.Hostname()
	if host == "localhost" {
		return "a local replica at " + u.Host
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return "a local replica at " + u.Host
	}
	return u.Host
}

// catalogueSite is the site of the catalogue's latest crawl, "" when it
// was never crawled.
func catalogueSite(cat *catView) string {
	var latest *catalog.Source
	for i := range cat.Origins {
		o := &cat.Origins[i]
		if o.Kind == catalog.SourceSite && (latest == nil || o.At.After(latest.At)) {
			latest = o
		}
	}
	if latest == nil {
		return ""
	}
	return latest.Ref
}
