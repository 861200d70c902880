package site

import (
	"net/url"
	"strings"
	"testing"
)

// TestPageChromeIgnored: the 2025 chrome around the content (outline,
// hidden notices, feedback, aside) is not read; a connector's own heading
// whose id happens to hold a chrome word is.
func TestPageChromeIgnored(t *testing.T) {
	page := `<html><head><title>Zephyr - Connectors | Microsoft Learn</title></head><body>
<main id="main"><div class="content"><h1>Zephyr</h1></div>
<nav id="center-doc-outline" class="doc-outline"><h2 id="in-this-article">In this article</h2></nav>
<div class="outline"><div class="doc-outline"><h2>In this article</h2><ol><li>Top</li></ol></div></div>
<div class="alert is-hidden"><p>This page has moved.</p></div>
<div hidden><p>Hidden notice.</p></div>
<div aria-hidden="true"><h2>Notice</h2><p>Old browser.</p></div>
<div class="content"><p>Zephyr sends messages.</p>
<h2 id="faq">FAQ</h2><p>Ask us.</p>
<h2 id="actions">Actions</h2>
<h3 id="open-a-ticket-(feedback)">Open a ticket (feedback)</h3><div><dl><dt>Operation ID:</dt><dd>OpenFeedback</dd></dl></div>
</div>
<section id="site-user-feedback-footer" class="feedback-section"><h2 id="feedback">Feedback</h2><p>Was this page helpful?</p></section>
<aside><h2>Additional resources</h2></aside>
</main></body></html>`
	u, _ := url.Parse("https://learn.microsoft.com/en-us/connectors/zephyr/")
	c, _ := ParseConnectorPage(strings.NewReader(page), u)
	if c == nil {
		t.Fatal("rejected")
	}
	if c.Description != "Zephyr sends messages." {
		t.Errorf("description %q", c.Description)
	}
	if len(c.Sections) != 1 || c.Sections[0].Title != "FAQ" || c.Sections[0].Body != "Ask us." {
		t.Errorf("sections %+v", c.Sections)
	}
	if len(c.Operations) != 1 || c.Operations[0].ID != "OpenFeedback" {
		t.Errorf("operations %+v", c.Operations)
	}
}
