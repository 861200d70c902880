// Package site reads the connector reference site's pages
// (learn.microsoft.com/<locale>/connectors/): the list page
// (ParseListPage) and a connector page, as HTML (ParseConnectorPage) or as
// the site's Markdown export (ParseExport), into the catalogue model. It
// does no I/O: package crawl fetches the pages.
//
// # How pages are read
//
// A page is flattened into a sequence of blocks (headings, paragraphs,
// tables, definition lists, lists) in document order, whatever wrappers
// hold them, and sections are ranges between headings found by id or by
// heading text. The layout varies (the 2025 chrome wraps the content in
// two blocks beside an aside and "In this article"; tables lose or gain a
// header row in the Markdown export), and ranges between headings survive
// that where selectors tied to wrappers do not. The Markdown export is
// rendered with goldmark (CommonMark + GFM tables) and read by the same
// walk, so both forms fill one model through one code path.
//
// Hostile pages are normal: a page over MaxPageBytes or nested deeper than
// MaxDepth is rejected before it is parsed, problems are reported (capped
// per page) rather than fatal, and text is kept as found: it is sanitised
// where it is displayed.
package site
