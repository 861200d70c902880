// Package site reads the connector reference site's pages
// (learn.microsoft.com/<locale>/connectors/): the list page
// (ParseListPage) and a connector page, as HTML (ParseConnectorPage) or as
// the site's Markdown export (ParseExport), into the catalogue model. It
// also reads the list page's content saved as data (ParseListFile: the
// {"data": [{"Name", "DisplayName", "Premium", ...}]} capture), into the
// same ListEntry as the page gives, and turns a list entry into a
// connector (Overlay, ListEntry.Connector) for the crawler and the
// importer alike. It does no I/O: package crawl fetches the pages, and
// package defs reads a list file among the sources it imports.
//
// # How pages are read
//
// A page is flattened into a sequence of blocks (headings, paragraphs,
// tables, definition lists, lists) in document order, whatever wrappers
// hold them, and sections are ranges between headings found by id or by
// heading text. The Markdown export is rendered with goldmark (CommonMark
// + GFM tables) and read by the same walk, so both forms fill one model
// through one code path.
//
// Why not goquery, which the design names: it was measured against the
// walk on the largest real export (office365, rendered; BenchmarkSections*
// in walk_bench_test.go, 2-core machine): goquery's h2 + NextUntil
// selection took 6-12 ms and 1,466 allocations per page, the walk 8-13 ms
// and 17,267 (it also collects every block's text). Speed is no reason
// either way. The walk stays because a section is a range between
// headings in document order: the 2025 chrome splits <main> into two
// content blocks beside an outline and hidden notices, the export turns
// tab groups into extra h1s, and sibling selectors (NextUntil) stop at any
// wrapper that splits a section, where the walk does not.
//
// Hostile pages are normal: a page over MaxPageBytes or nested deeper than
// MaxDepth is rejected before it is parsed, problems are reported (capped
// per page) rather than fatal, and text is kept as found: it is sanitised
// where it is displayed.
package site
