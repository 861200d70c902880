// Package replica is a local stand-in for the connector reference site
// (learn.microsoft.com/en-us/connectors/), for tests, benchmarks and
// offline crawling. It serves, on loopback only:
//
//   - /en-us/connectors/connector-reference/: the list page, every entry of
//     the reference list (connector-reference-list.json), following
//     ../shared/docs/learn-page-structure.md section A;
//   - /en-us/connectors/<id>/: a page per entry (section B); /<id> without
//     the slash redirects (301) to it;
//   - /robots.txt, configurable (allow all, Disallow paths, 404, 500).
//
// Pages are rendered from real data only, in this order of precedence:
//
//   - the site's own Markdown export (Options.Exports, the real exports of
//     ../shared/data/learn-markdown): served as it is at
//     "<page>?accept=text/markdown", and as an HTML page rendered from it
//     that announces it in its head (<meta name="markdown_url">), as every
//     live page does; an export whose id the list lacks is served too;
//   - the connector's Power Platform API reply (Options.APIs, imported
//     from apis/shared_<id>/{api.json,swagger.json}), matched by id;
//   - its definition (Options.Definitions), matched by id, else by
//     catalog.NormalizeName of the display name;
//   - nothing: a listed connector with no data gets its name and badges
//     (the availability table from the list's product flags, with no
//     region text) and no description, publisher, auth types, limits or
//     operations. The replica never invents content.
//
// SetEntries serves a new capture of the list at the same address:
// connectors still listed keep their content source (a renamed connector
// does not start or stop matching a definition by name), so pages change
// only where their entry changed and unchanged pages keep their ETag.
//
// Every HTML page has the 2025 Learn chrome: a header, <main> with two
// content blocks (the title, then the page), an "In this article"
// outline, hidden notices, a "Feedback" section and an <aside>. A parser
// must read the connector from the content blocks only.
//
// # What Rendered and Expected hold
//
// Rendered(id) is the catalogue entry a perfect parser reads back from the
// page, field by field; a crawler's round-trip test compares against it.
// For a page from an export it holds the list fields and the operations
// (id, name, kind, deprecated) counted from the export's lines, not read by
// the parser under test.
// All text is as the page shows it: control characters removed, runs of
// white space collapsed to one space, ends trimmed.
//
//   - ID; Name: the list's display name without trailing " [DEPRECATED]",
//     " (deprecated)", " (preview)" markers (the h1 shows the display name
//     as listed plus " (Preview)" for preview connectors); Deprecated when
//     a deprecation marker was there; Preview from the Preview badge or a
//     preview marker; Tier from the Premium badge (the availability table
//     says the same); IconURL.
//   - Products: the availability table rows in page order (Logic Apps,
//     Power Apps, Power Automate: the list's flags), Class from the Class
//     column (premium connectors are Standard in Logic Apps unless they are
//     in Logic Apps only), Regions empty (the list has no region data).
//   - Description, Publisher, Website, PrivacyPolicy, Categories, Contact.
//   - AuthTypes in page order: Name (h3 text), ID (the "Auth ID:" line,
//     empty when absent), Description, Applicable, Shareable ("Shareable" /
//     "Not shareable"), Parameters with Name = the Name column, Type,
//     Description, Required; DisplayName and the auth Type stay empty (not
//     on the page).
//   - Throttling (Name, Value = Calls, Renewal), Limits (General Limits:
//     Name, Value), KnownIssues (table rows: Summary, Operations,
//     Description; list items: Summary only).
//   - Operations (those not x-ms-visibility "internal", which the live
//     site does not show either) in page order, actions then triggers, each alphabetical:
//     ID (Operation ID), Name = the h3 text without the trailing
//     " [DEPRECATED]", " (deprecated)" and " (preview)" markers, Deprecated
//     and Preview set when a marker is there (or the source says so; the
//     marker is then rendered), Description, Kind, Anchor (the h3 id),
//     ReplacedBy (operation id the deprecation note links to), Parameters
//     (Name, Key, Required, Type, Description exactly as in the table).
//     Method, Path, schemas and responses are not on the page and stay
//     empty.
//   - DocsURL is the page's path ("/en-us/connectors/<id>/"); Sources holds
//     "site" and, for pages rendered from a definition, "definition".
//
// Rendering choices (documented because the real site makes them too):
// operations with x-ms-visibility "internal" are hidden, as are internal
// parameters and schema properties; an object body parameter is shown as
// one row per property (nested objects flattened with dotted keys, at most
// three levels); string formats show as the type (date-time, email, byte,
// binary...); a definition reference shows its name; arrays "array of X".
// Repeated headings get "-1", "-2" anchors; one block per operation id.
//
// Faults (429 with Retry-After, transient or permanent 500, slow, truncated
// body, unexpected layout, 404, an oversized or overly deep page) are set
// per path or for a seeded share of
// connector pages; Faulted lists the paths each applies to. Every page has
// an ETag (hash of the body) and a Last-Modified (Options.ModTime), and
// If-None-Match / If-Modified-Since give 304. Request counts per path,
// status counts and the highest number of requests in flight are kept for
// tests.
package replica
