// Package crawl reads the connector reference site politely and
// incrementally (Run): robots.txt, the list page, then every listed
// connector page, with a per-host request gap and in-flight cap,
// Retry-After and backoff, a conditional-GET cache (ETag /
// Last-Modified) and a progress file so an interrupted crawl resumes.
// Pages are parsed by package site; the crawled connectors are merged into
// the previous catalogue.
package crawl
