package replica

import (
	"bytes"
	"strings"

	"github.com/connex-dev/connex/catalog"
)

// The renderer writes HTML by hand (not html/template) for speed: every
// piece of untrusted text goes through esc, every URL through safeURL,
// and attributes are always double-quoted.

type writer struct{ bytes.Buffer }

func (w *writer) s(parts ...string) {
	for _, p := range parts {
		w.WriteString(p)
	}
}

// text writes escaped text.
func (w *writer) text(s string) { w.WriteString(esc(s)) }

// el writes <tag>escaped text</tag>.
func (w *writer) el(tag, text string) { w.s("<", tag, ">", esc(text), "</", tag, ">") }

// link writes an <a> when the URL is safe, else the text alone.
func (w *writer) link(href, text string) {
	if href = safeURL(href); href == "" {
		w.text(text)
		return
	}
	w.s(`<a href="`, esc(href), `" data-linktype="external">`, esc(text), `</a>`)
}

// head opens a page in the 2025 Learn chrome: a header with breadcrumbs,
// then <main> whose first content block holds the title (h1, written by
// the caller), an "In this article" outline and a hidden notice. body
// opens the second content block; foot closes it, adds the "Feedback"
// section and an <aside>. A parser must read the connector from the two
// content blocks only. markdownURL, when set, is announced in the head as
// the live site does.
func (w *writer) head(title, canonical, markdownURL string) {
	w.s(`<!DOCTYPE html>
<html class="layout layout-holy-grail" lang="en-us" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>`, esc(title), `</title>
<link rel="canonical" href="`, esc(canonical), `">
<meta name="ms.topic" content="generated-reference">
<meta name="page_type" content="powerconnector">
`)
	if markdownURL != "" {
		w.s(`<meta name="markdown_url" content="`, esc(markdownURL), `">`, "\n")
	}
	w.s(`</head>
<body lang="en-us" dir="ltr">
<div class="header-holder has-default-focus"><a href="#main" class="skip-to-main-link">Skip to main content</a>
<nav aria-label="Breadcrumb"><ol class="breadcrumbs"><li><a href="/en-us/">Learn</a></li><li><a href="/en-us/power-platform/">Power Platform</a></li><li><a href="/en-us/connectors/">Connectors</a></li></ol></nav></div>
<div class="mainContainer uhf-container has-default-focus">
<main id="main" class="" role="main" data-bi-name="content" lang="en-us" dir="ltr">
<div class="content">
`)
}

// body closes the title block and opens the content block.
func (w *writer) body() {
	w.s(`</div>
<nav id="center-doc-outline" class="doc-outline" aria-label="In this article" data-bi-name="intopic toc"><h2 id="in-this-article" class="title">In this article</h2><ol><li><a href="#main">Top</a></li></ol></nav>
<div class="alert is-hidden" hidden data-alert-type="moved"><p>This page has moved. Go to the new page.</p></div>
<div aria-hidden="true" class="visually-hidden"><h2>Notice</h2><p>Your browser is not supported.</p></div>
<div class="content">
`)
}

func (w *writer) foot() {
	w.s(`</div>
<section id="site-user-feedback-footer" class="feedback-section" data-bi-name="site-feedback-section"><h2 id="feedback" class="title">Feedback</h2><p>Was this page helpful?</p><p><a href="https://aka.ms/feedback">Provide product feedback</a></p></section>
</main>
<aside id="ms--additional-resources" class="display-none-print" role="complementary" aria-label="Additional resources"><h2 id="ms--additional-resources-heading">Additional resources</h2><ul><li><a href="/en-us/training/">Training</a></li></ul></aside>
</div>
<footer data-bi-name="footer" id="footer-holder"><a href="/en-us/previous-versions/">Previous Versions</a> <a href="https://learn.microsoft.com/en-us/legal/termsofuse">Terms of Use</a></footer>
</body>
</html>
`)
}

// listBadges are the list page's badge images, in page order.
var listBadges = []struct{ alt, file string }{
	{"Logic Apps", "logicapps"}, {"Power Automate", "powerautomate"}, {"Power Apps", "powerapps"},
	{"Premium", "premium"}, {"Preview", "preview"},
}

func (s *site) renderList(origin string) []byte {
	var w writer
	w.Grow(len(s.entries) * 700)
	w.head("List of all Power Platform connectors | Microsoft Learn", origin+s.base+"connector-reference/", "")
	w.s(`<h1 id="list-of-all-power-platform-connectors">List of all Power Platform connectors</h1>
`)
	w.body()
	w.s(`<p>The connectors of Azure Logic Apps, Power Automate and Power Apps, in alphabetical order. Select a connector to see its reference page.</p>
<h2 id="list-of-connectors">List of Connectors</h2>
`)
	const perTable = 100 // cells; the page has several sibling tables
	for start := 0; start < len(s.entries); start += perTable {
		end := min(start+perTable, len(s.entries))
		w.s("<table>\n")
		for i := start; i < end; i += 4 {
			w.s("<tr>\n")
			for j := i; j < i+4; j++ {
				if j >= end {
					w.s(`<td width="25%"></td>`, "\n")
					continue
				}
				s.listCell(&w, s.entries[j])
			}
			w.s("</tr>\n")
		}
		w.s("</table>\n")
	}
	w.foot()
	return w.Bytes()
}

func (s *site) listCell(w *writer, e ListEntry) {
	icon := safeURL(e.Icon)
	if icon == "" {
		icon = "https://connectoricons-prod.azureedge.net/default/icon.png"
	}
	href := s.base + e.Name + "/"
	if s.relLink {
		href = "../" + e.Name + "/"
	}
	w.s(`<td width="25%"><img src="`, esc(icon), `" alt="" title="`, esc(e.DisplayName), `" data-linktype="external" role="presentation"><br>`)
	w.s(`<a href="`, esc(href), `" data-linktype="absolute-path">`, esc(e.DisplayName), `</a><br>`)
	flags := []bool{e.LogicApps, e.PowerAutomate, e.PowerApps, e.Premium, e.Preview}
	for i, b := range listBadges {
		if flags[i] {
			w.s(`<img alt="`, b.alt, `" title="`, b.alt, `" src="media/index/`, b.file, `.png" data-linktype="relative-path">`)
		}
	}
	if p := s.pages[e.Name]; s.byLine && p != nil && p.data.conn.Publisher != "" {
		w.s("<br>By: ", esc(p.data.conn.Publisher))
	}
	w.s("</td>\n")
}

// renderPage writes a connector page. unusual renders the "unexpected
// layout" variant: sections renamed, merged or missing, columns renamed.
func (s *site) renderPage(p *page, origin string, unusual bool) []byte {
	d := p.data
	c := d.conn
	var w writer
	w.Grow(8192 + len(c.Operations)*1500)
	if d.export != nil {
		return s.renderExportPage(p, origin)
	}
	w.head(d.title+" - Connectors | Microsoft Learn", origin+c.DocsURL, "")
	h1 := d.title
	if c.Preview && !strings.HasSuffix(strings.ToLower(h1), "(preview)") {
		h1 += " (Preview)"
	}
	w.s(`<h1 id="`, esc(authAnchor(c.Name)), `">`, esc(h1), "</h1>\n")
	w.body()
	if c.IconURL != "" {
		w.s(`<p><img src="`, esc(c.IconURL), `" alt="" role="presentation" data-linktype="external"></p>`, "\n")
	}
	if c.Description != "" {
		w.el("p", c.Description)
		w.s("\n")
	}
	if !unusual {
		s.renderAvailability(&w, d)
	}
	renderContact(&w, c)
	renderMetadata(&w, c)
	renderKnownIssues(&w, d)
	if len(c.Limits) > 0 {
		w.s(`<h3 id="general-limits">General Limits</h3>`, "\n<table>\n<thead><tr><th>Name</th><th>Value</th></tr></thead>\n<tbody>\n")
		for _, l := range c.Limits {
			w.s("<tr><td>", esc(l.Name), "</td><td>", esc(l.Value), "</td></tr>\n")
		}
		w.s("</tbody>\n</table>\n")
	}
	renderAuth(&w, c)
	if len(c.Throttling) > 0 {
		w.s(`<h2 id="throttling-limits">Throttling Limits</h2>`, "\n<table>\n<thead><tr><th>Name</th><th>Calls</th><th>Renewal Period</th></tr></thead>\n<tbody>\n")
		for _, l := range c.Throttling {
			w.s("<tr><td>", esc(l.Name), "</td><td>", esc(l.Value), "</td><td>", esc(l.Renewal), "</td></tr>\n")
		}
		w.s("</tbody>\n</table>\n")
	}
	var actions, triggers []*catalog.Operation
	for _, op := range c.Operations {
		if op.Kind == catalog.KindTrigger {
			triggers = append(triggers, op)
		} else {
			actions = append(actions, op)
		}
	}
	if unusual {
		// One merged section under a heading the parser does not know.
		s.renderOperations(&w, d, `<h2 id="operations">Operations</h2>`, append(actions, triggers...), true)
	} else {
		s.renderOperations(&w, d, `<h2 id="actions">Actions</h2>`, actions, false)
		s.renderOperations(&w, d, `<h2 id="triggers">Triggers</h2>`, triggers, false)
		renderDefinitions(&w, d)
	}
	w.foot()
	return w.Bytes()
}

func (s *site) renderAvailability(w *writer, d *pageData) {
	c := d.conn
	if len(c.Products) == 0 {
		return
	}
	w.s("<p>This connector is available in the following products and regions:</p>\n<table>\n<thead><tr><th>Service</th><th>Class</th><th>Regions</th></tr></thead>\n<tbody>\n")
	for _, p := range c.Products {
		class := "Standard"
		if p.Class == catalog.TierPremium {
			class = "Premium"
		}
		// The list says where a connector is, not in which regions: the
		// cell stays empty rather than claim any.
		w.s("<tr><td><strong>", esc(p.Name), "</strong></td><td>", class, "</td><td></td></tr>\n")
	}
	w.s("</tbody>\n</table>\n")
}

func renderContact(w *writer, c *catalog.Connector) {
	if c.Contact.IsZero() {
		return
	}
	w.s("<table>\n<thead><tr><th>Contact</th><th></th></tr></thead>\n<tbody>\n")
	if c.Contact.Name != "" {
		w.s("<tr><td>Name</td><td>", esc(c.Contact.Name), "</td></tr>\n")
	}
	if c.Contact.URL != "" {
		w.s("<tr><td>URL</td><td>")
		w.link(c.Contact.URL, c.Contact.URL)
		w.s("</td></tr>\n")
	}
	if c.Contact.Email != "" {
		w.s("<tr><td>Email</td><td>", esc(c.Contact.Email), "</td></tr>\n")
	}
	w.s("</tbody>\n</table>\n")
}

func renderMetadata(w *writer, c *catalog.Connector) {
	w.s("<table>\n<thead><tr><th>Connector Metadata</th><th></th></tr></thead>\n<tbody>\n")
	if c.Publisher != "" {
		w.s("<tr><td>Publisher</td><td>", esc(c.Publisher), "</td></tr>\n")
	}
	if c.Website != "" {
		w.s("<tr><td>Website</td><td>")
		w.link(c.Website, c.Website)
		w.s("</td></tr>\n")
	}
	if c.PrivacyPolicy != "" {
		w.s("<tr><td>Privacy policy</td><td>")
		w.link(c.PrivacyPolicy, c.PrivacyPolicy)
		w.s("</td></tr>\n")
	}
	if len(c.Categories) > 0 {
		w.s("<tr><td>Categories</td><td>", esc(strings.Join(c.Categories, ";")), "</td></tr>\n")
	}
	w.s("</tbody>\n</table>\n")
}

func renderKnownIssues(w *writer, d *pageData) {
	c := d.conn
	if len(c.KnownIssues) == 0 {
		return
	}
	w.s(`<h2 id="known-issues-and-limitations">Known issues and limitations</h2>`, "\n")
	w.s("<table>\n<thead><tr><th>Short description</th><th>Operations</th><th>Long description</th></tr></thead>\n<tbody>\n")
	for _, ki := range c.KnownIssues {
		w.s("<tr><td>", esc(ki.Summary), "</td><td>", esc(ki.Operations), "</td><td>", esc(ki.Description), "</td></tr>\n")
	}
	w.s("</tbody>\n</table>\n")
}

func renderAuth(w *writer, c *catalog.Connector) {
	if len(c.AuthTypes) == 0 {
		return
	}
	anchors := uniqueAnchors{}
	ids := make([]string, len(c.AuthTypes))
	for i, a := range c.AuthTypes {
		ids[i] = anchors.take(authAnchor(a.Name))
	}
	w.s(`<h2 id="creating-a-connection">Creating a connection</h2>`, "\n<p>The connector supports the following authentication types:</p>\n<table>\n<tbody>\n")
	for i, a := range c.AuthTypes {
		w.s(`<tr><td><a href="#`, esc(ids[i]), `">`, esc(a.Name), "</a></td><td>", esc(a.Description), "</td><td>", esc(a.Applicable), "</td><td>", esc(a.Shareable), "</td></tr>\n")
	}
	w.s("</tbody>\n</table>\n")
	for i, a := range c.AuthTypes {
		w.s(`<h3 id="`, esc(ids[i]), `">`, esc(a.Name), "</h3>\n")
		if a.ID != "" {
			w.el("p", "Auth ID: "+a.ID)
		}
		w.el("p", "Applicable: "+a.Applicable)
		w.el("p", a.Description)
		if strings.EqualFold(a.Shareable, "Shareable") {
			w.s("<p>This is shareable connection. People the app is shared with use this connection too.</p>\n")
		} else {
			w.s("<p>This is not shareable connection. People the app is shared with are asked to create their own connection.</p>\n")
		}
		if len(a.Parameters) == 0 {
			continue
		}
		w.s("<table>\n<thead><tr><th>Name</th><th>Type</th><th>Description</th><th>Required</th></tr></thead>\n<tbody>\n")
		for _, p := range a.Parameters {
			w.s("<tr><td>", esc(p.Name), "</td><td>", esc(p.Type), "</td><td>", esc(p.Description), "</td><td>", required(p.Required), "</td></tr>\n")
		}
		w.s("</tbody>\n</table>\n")
	}
}

func required(b bool) string {
	if b {
		return "True"
	}
	return ""
}

func (s *site) renderOperations(w *writer, d *pageData, heading string, ops []*catalog.Operation, unusual bool) {
	if len(ops) == 0 {
		return
	}
	byID := make(map[string]*catalog.Operation, len(d.conn.Operations))
	for _, op := range d.conn.Operations {
		byID[op.ID] = op
	}
	w.s(heading, "\n<table>\n<tbody>\n")
	for _, op := range ops {
		desc := op.Description
		if desc == "" {
			desc = op.Name
		}
		w.s(`<tr><td><a href="#`, esc(op.Anchor), `" data-linktype="self-bookmark">`, esc(operationDisplayName(op)), "</a></td><td>\n")
		s.renderOpDescription(w, d, op, byID, desc)
		w.s("</td></tr>\n")
	}
	w.s("</tbody>\n</table>\n")
	for _, op := range ops {
		w.s(`<h3 id="`, esc(op.Anchor), `">`, esc(operationDisplayName(op)), "</h3>\n")
		if unusual {
			w.el("p", "Operation ID: "+op.ID)
		} else {
			w.s(`<div class="heading-anchor-holder"><dl><dt>Operation ID:</dt><dd>`, esc(op.ID), "</dd></dl></div>\n")
		}
		if op.Description != "" || op.Deprecated {
			s.renderOpDescription(w, d, op, byID, op.Description)
		}
		renderParameters(w, op.Parameters, unusual)
		renderReturns(w, d, d.returns[op.ID])
	}
}

// renderOpDescription writes an operation's description; a deprecated one
// first says what to use instead, with a percent-encoded link.
func (s *site) renderOpDescription(w *writer, d *pageData, op *catalog.Operation, byID map[string]*catalog.Operation, desc string) {
	if !op.Deprecated {
		if desc != "" {
			w.el("p", desc)
			w.s("\n")
		}
		return
	}
	what := "action"
	if op.Kind == catalog.KindTrigger {
		what = "trigger"
	}
	if repl := byID[op.ReplacedBy]; repl != nil {
		w.s("<p>This ", what, ` has been deprecated. Please use <a href="`, esc(d.conn.DocsURL+"#"+pctAnchor(repl.Anchor)), `" data-linktype="absolute-path">`, esc(operationDisplayName(repl)), "</a> instead.</p>\n")
	} else {
		w.s("<p>This ", what, " has been deprecated.</p>\n")
	}
	if desc != "" {
		w.s("<p><del>", esc(desc), "</del></p>\n")
	}
}

func renderParameters(w *writer, params []catalog.Parameter, unusual bool) {
	if len(params) == 0 {
		return
	}
	if unusual {
		w.s("<h4>Inputs</h4>\n<table>\n<thead><tr><th>Name</th><th>Parameter key</th><th>Mandatory</th><th>Default</th><th>Type</th><th>Description</th></tr></thead>\n<tbody>\n")
		for _, p := range params {
			w.s("<tr><td>", esc(p.Name), "</td><td>", esc(p.Key), "</td><td>", required(p.Required), "</td><td></td><td>", esc(p.Type), "</td><td>", esc(p.Description), "</td></tr>\n")
		}
		w.s("</tbody>\n</table>\n")
		return
	}
	w.s("<h4>Parameters</h4>\n<table>\n<thead><tr><th>Name</th><th>Key</th><th>Required</th><th>Type</th><th>Description</th></tr></thead>\n<tbody>\n")
	for _, p := range params {
		w.s("<tr><td>", esc(p.Name), "</td><td>", esc(p.Key), "</td><td>", required(p.Required), "</td><td>", esc(p.Type), "</td><td>", esc(p.Description), "</td></tr>\n")
	}
	w.s("</tbody>\n</table>\n")
}

func renderReturns(w *writer, d *pageData, rv returnsView) {
	if rv.kind == returnsNone {
		return
	}
	w.s("<h4>Returns</h4>\n")
	if rv.desc != "" {
		w.el("p", rv.desc)
		w.s("\n")
	}
	switch rv.kind {
	case returnsDynamic:
		w.s("<p>The outputs of this operation are dynamic.</p>\n")
	case returnsRef:
		w.s("<dl><dt>", esc(rv.label), "</dt><dd>")
		if a := d.defAnchor(rv.ref); a != "" {
			w.s(`<a href="#`, esc(a), `" data-linktype="self-bookmark">`, esc(rv.ref), "</a>")
		} else {
			w.text(rv.ref)
		}
		w.s("</dd></dl>\n")
	case returnsType:
		w.s("<dl><dt>", esc(rv.label), "</dt><dd>", esc(rv.typ), "</dd></dl>\n")
	case returnsTable:
		renderFields(w, rv.fields)
	}
}

func renderFields(w *writer, fields []displayField) {
	w.s("<table>\n<thead><tr><th>Name</th><th>Path</th><th>Type</th><th>Description</th></tr></thead>\n<tbody>\n")
	for _, f := range fields {
		w.s("<tr><td>", esc(f.name), "</td><td>", esc(f.key), "</td><td>", esc(f.typ), "</td><td>", esc(f.desc), "</td></tr>\n")
	}
	w.s("</tbody>\n</table>\n")
}

func renderDefinitions(w *writer, d *pageData) {
	if len(d.defs) == 0 {
		return
	}
	w.s(`<h2 id="definitions">Definitions</h2>`, "\n")
	for _, dv := range d.defs {
		w.s(`<h3 id="`, esc(dv.anchor), `">`, esc(dv.name), "</h3>\n")
		if dv.primitive != "" {
			w.s("<p>This is the type &#39;", esc(dv.primitive), "&#39;.</p>\n")
			continue
		}
		if dv.desc != "" {
			w.el("p", dv.desc)
			w.s("\n")
		}
		renderFields(w, dv.fields)
	}
}
