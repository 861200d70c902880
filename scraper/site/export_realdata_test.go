package site_test

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/scraper/site"
)

// exportCounts is what a page's Markdown export holds, counted from its
// lines alone (no Markdown parser): the parser must find exactly this.
type exportCounts struct {
	ops         []string          // "action:Id" / "trigger:Id", page order
	params      map[string]int    // per operation id
	auth        []string          // "Name=AuthID" (AuthID empty for the default)
	throttling  int               // rows of the Throttling Limits table
	knownIssues int               // rows of known-issue tables + items of known-issue lists
	definitions int               // ### headings under Definitions
	deprecated  map[string]bool   // operation ids whose heading carries [DEPRECATED]
	sections    []string          // free h2 sections and their h3s, "2:Title"
	elsewhere   map[string]string // operation id -> connector id its replacement is in
}

var structural = map[string]bool{"Actions": true, "Triggers": true, "Definitions": true, "Creating a connection": true, "Throttling Limits": true}

func countExport(t *testing.T, data []byte) exportCounts {
	t.Helper()
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	lines := strings.Split(text, "\n")
	// Skip the front matter.
	if len(lines) > 0 && lines[0] == "---" {
		for i := 1; i < len(lines); i++ {
			if lines[i] == "---" {
				lines = lines[i+1:]
				break
			}
		}
	}
	c := exportCounts{params: map[string]int{}, deprecated: map[string]bool{}, elsewhere: map[string]string{}}
	h2, h3 := "", ""
	var opID string
	inParams, inTable, tableCounted := false, false, false
	tableRows := 0
	authIdx := -1
	flushTable := func() {
		if !inTable {
			return
		}
		inTable = false
		rows := tableRows - 2 // header and separator
		switch {
		case inParams && opID != "":
			c.params[opID] += rows
		case h2 == "Throttling Limits" && !tableCounted && h3 == "":
			c.throttling += rows
			tableCounted = true
		}
	}
	var tableHeader string
	inCode := false
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inCode = !inCode
			continue
		}
		if inCode {
			continue
		}
		if strings.HasPrefix(line, "|") {
			if !inTable {
				inTable, tableRows, tableHeader = true, 0, line
			}
			tableRows++
			if tableRows > 2 && strings.Contains(strings.ToLower(h2), "known issue") && strings.HasPrefix(strings.ToLower(tableHeader), "| short description") {
				c.knownIssues++
			}
			continue
		}
		flushTable()
		switch {
		case strings.HasPrefix(line, "## "):
			h2, h3, opID, inParams, tableCounted = strings.TrimSpace(line[3:]), "", "", false, false
			if !structural[h2] {
				c.sections = append(c.sections, "2:"+plain(h2))
			}
		case strings.HasPrefix(line, "### "):
			h3, opID, inParams = strings.TrimSpace(line[4:]), "", false
			if h2 != "" && !structural[h2] {
				c.sections = append(c.sections, "3:"+plain(h3))
			}
			if h2 == "Creating a connection" {
				c.auth = append(c.auth, h3+"=")
				authIdx = len(c.auth) - 1
			}
			if h2 == "Definitions" {
				c.definitions++
			}
		case strings.HasPrefix(line, "#### "):
			inParams = strings.TrimSpace(line[5:]) == "Parameters"
		case line == "- Operation ID:" && (h2 == "Actions" || h2 == "Triggers") && h3 != "":
			id := unescape(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(lines[i+1]), "- ")))
			opID = id
			kind := "action"
			if h2 == "Triggers" {
				kind = "trigger"
			}
			c.ops = append(c.ops, kind+":"+id)
			if strings.HasSuffix(h3, "[DEPRECATED]") {
				c.deprecated[id] = true
			}
		case opID != "" && c.deprecated[opID] && strings.HasPrefix(line, "This action has been deprecated. Please use [") && c.elsewhere[opID] == "":
			if _, rest, ok := strings.Cut(line, "](/en-us/connectors/"); ok {
				if other, _, ok := strings.Cut(rest, "/#"); ok {
					c.elsewhere[opID] = strings.ToLower(other)
				}
			}
		case strings.HasPrefix(line, "Auth ID: ") && h2 == "Creating a connection" && authIdx >= 0:
			c.auth[authIdx] += strings.TrimSpace(line[len("Auth ID: "):])
		case (strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* ") || orderedItem(line)) && strings.Contains(strings.ToLower(h2), "known issue"):
			c.knownIssues++
		}
	}
	flushTable()
	return c
}

// TestParseEveryRealExport reads every real Markdown export of the
// reference site and checks, per page, exact counts derived from the file
// by the line counter above.
func TestParseEveryRealExport(t *testing.T) {
	dir := filepath.Join(realdata.Dir(t), "learn-markdown")
	files, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	for _, f := range files {
		if filepath.Base(f) != "README.md" {
			pages = append(pages, f)
		}
	}
	if len(pages) != 39 {
		t.Fatalf("%d exports in %s, want 39", len(pages), dir)
	}
	totalOps := 0
	for _, path := range pages {
		id := strings.TrimSuffix(filepath.Base(path), ".md")
		t.Run(id, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := countExport(t, data)
			u, _ := url.Parse("https://learn.microsoft.com/en-us/connectors/" + id + "/")
			c, probs := site.ParseExport(bytes.NewReader(data), u)
			if c == nil {
				t.Fatalf("rejected: %v", probs)
			}
			var ops []string
			elsewhere := map[string]string{}
			params := map[string]int{}
			deprecated := map[string]bool{}
			for _, op := range c.Operations {
				ops = append(ops, string(op.Kind)+":"+op.ID)
				params[op.ID] = len(op.Parameters)
				if op.Deprecated {
					deprecated[op.ID] = true
				}
				if op.ReplacedByConnector != "" {
					elsewhere[op.ID] = op.ReplacedByConnector
					if op.ReplacedBy == "" {
						t.Errorf("operation %s: replacement in %s without a name", op.ID, op.ReplacedByConnector)
					}
				}
			}
			if !reflect.DeepEqual(ops, want.ops) {
				t.Errorf("operations:\n got %d %v\nwant %d %v", len(ops), ops, len(want.ops), want.ops)
			}
			for opID, n := range want.params {
				if params[opID] != n {
					t.Errorf("operation %s: %d parameters, want %d", opID, params[opID], n)
				}
			}
			for opID := range want.deprecated {
				if !deprecated[opID] {
					t.Errorf("operation %s not deprecated", opID)
				}
			}
			var auth []string
			for _, a := range c.AuthTypes {
				auth = append(auth, a.Name+"="+a.ID)
			}
			if !reflect.DeepEqual(auth, want.auth) {
				t.Errorf("auth types:\n got %q\nwant %q", auth, want.auth)
			}
			for opID, other := range want.elsewhere {
				if other == id {
					delete(want.elsewhere, opID)
				}
			}
			if !reflect.DeepEqual(elsewhere, want.elsewhere) {
				t.Errorf("replacements in other connectors:\n got %v\nwant %v", elsewhere, want.elsewhere)
			}
			var secs []string
			for _, sec := range c.Sections {
				secs = append(secs, fmt.Sprint(sec.Level)+":"+sec.Title)
			}
			if !reflect.DeepEqual(secs, want.sections) {
				t.Errorf("sections:\n got %q\nwant %q", secs, want.sections)
			}
			if len(c.Throttling) != want.throttling {
				t.Errorf("%d throttling rows, want %d", len(c.Throttling), want.throttling)
			}
			if len(c.KnownIssues) != want.knownIssues {
				t.Errorf("%d known issues, want %d", len(c.KnownIssues), want.knownIssues)
			}
			if len(c.Definitions) != want.definitions {
				t.Errorf("%d definitions, want %d", len(c.Definitions), want.definitions)
			}
			fm := site.ParseFrontMatter(data)
			if wantRev := fm.GitCommitID; wantRev == "" && c.PageRevision != fm.UpdatedAt || wantRev != "" && c.PageRevision != wantRev {
				t.Errorf("page revision %q (front matter %+v)", c.PageRevision, fm)
			}
			if c.Name == "" || c.Name == c.ID && !strings.HasPrefix(fm.Title, c.ID) {
				t.Errorf("name %q", c.Name)
			}
			if len(c.Products) == 0 {
				t.Error("no products")
			}
			totalOps += len(ops)
		})
	}
	t.Logf("%d operations in %d exports", totalOps, len(pages))
	_ = sort.Strings
	_ = catalog.KindAction
}

// unescape drops Markdown's backslash before ASCII punctuation ("\\_").
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// orderedItem reports a line that starts an ordered list item ("1. ").
func orderedItem(line string) bool {
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	return i > 0 && strings.HasPrefix(line[i:], ". ")
}

// plain is a heading's text: links reduced to their text, escapes dropped.
func plain(s string) string {
	for {
		i := strings.Index(s, "](")
		j := strings.LastIndex(s[:max(i, 0)], "[")
		k := strings.Index(s[max(i, 0):], ")")
		if i < 0 || j < 0 || k < 0 {
			return unescape(s)
		}
		s = s[:j] + s[j+1:i] + s[i+k+1:]
	}
}
