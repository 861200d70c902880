// Package catalog holds the connector catalogue: the domain model shared by
// every other package, its on-disk snapshot, the merge of several sources
// into one connector per real connector, and the change report between two
// catalogues. It imports nothing of ours.
//
// # Identity
//
// A connector's identity is the reference site's id (the list's Name, the
// page address learn.microsoft.com/en-us/connectors/<id>/), which is also
// the Power Platform API's name without "shared_". A record that arrives
// from a source is matched to a connector already in the catalogue by, in
// this order:
//
//  1. id (case-insensitive);
//  2. alias: the connector's aliases (earlier ids), its definitions folder
//     and shared_<id>, in either direction;
//  3. folded display name (FoldTitle: case, spaces and punctuation
//     ignored; "(Preview)" and "[DEPRECATED]" dropped); then the same name
//     with a trailing "(Independent Publisher)" folded away, but only when
//     the record without the suffix is an independent publisher's (so
//     "Holopin" and "Holopin (Independent Publisher)", both on the list,
//     stay two connectors);
//  4. the definition's host and basePath.
//
// Steps 3 and 4 need a unique candidate, and never join two records whose
// ids both come from the site or the API (those ids are the identity), two
// records of the same kind of source, or a custom connector (PublisherKind
// custom: the custom-connectors samples) with one that is not. A name
// joins a site or API connector only when the id the name gives and the
// connector's id do not differ by a mere ending ("Snowflake" is not
// snowflakepa's name to join by, nor "Muhimbi PDF" muhimbi's: each may be
// a sibling listed connector's, which a later source can bring; the
// endings "ip" and "v2" are the site's own). Display names a connector
// had are kept as aliases even when they fold alike, and an id given to a
// record moved aside is one no record of the merge brings: so which
// connector a definitions folder joins is the same in every order of the
// sources. Custom connectors:
// custom-connectors/Office365Groups is not office365groups, and when both
// exist the custom one is "<id>-custom". The merged connector takes the id
// of its highest-ranked source (site, then API, then definitions); the id
// it had before becomes an alias. Catalog.Connector finds a connector by
// id, alias, folder name or shared_<id>.
//
// # Field precedence
//
// Each field is decided from the sources recorded in Connector.Sources,
// never from the order of arrival: the value comes from the highest-ranked
// source that has one (same kind of source: the newer read wins). So a
// merge is commutative and idempotent, and importing the definitions, the
// API sample and a refresh of the site in any order gives the same
// catalogue, byte for byte.
//
//	field (Sources key)                         first       then        then        then
//	------------------------------------------  ----------  ----------  ----------  ----------
//	id                                          site        list        api         definition
//	name, description, docs_url, icon_url,      site        list        api         definition
//	  preview, deprecated, products,
//	  regions_note, categories, website,
//	  privacy_policy, contact, page_revision,
//	  sections, throttling, limits,
//	  known_issues
//	tier, publisher, publisher_kind,            api         site        list        definition
//	  capabilities
//	endpoint (host, base_path, schemes,         api         definition  site        list
//	  via_connection), version, definitions,
//	  auth_types
//	brand_color, folder                         definition  api         site        list
//	aliases                                     union of every source
//	operations                                  union of every source, by id: never lost
//	  operation text (name, description,        site        api         definition
//	    replaced_by, anchor)
//	  operation definition (method, path,       api         definition  site
//	    parameters, body, responses, ...)
//	  operation deprecated / preview / dynamic  true when any source says so
//
// "site" is a crawl of the reference site (its pages, with the list
// page's word on each); "list" is the site's connector list imported from
// a file (the list page's content as data: id, display name, icon,
// Premium, Preview and products, nothing else). The list states preview
// and deprecated (false too) as the site does; its Premium flag gives the
// tier only where no API reply or page read gives one (the API reply is
// the platform's own licence class). Its ids are the site's: a list
// record is matched to the API's shared_<id> and to a page by id, and a
// definitions folder joins it by name as it would join a page. A newer
// read of the list that no longer has a connector known from the list
// alone removes it (MergeSummary.Unlisted); one that other sources
// describe stays.
//
// The built-in sample ranks just after definition. A newer read of one
// kind of source (a refresh, a re-import) replaces what the older read of
// that kind said: a field or an operation only it gave and it no longer
// gives is dropped; an operation another source still describes stays.
//
// A per-field record (Sources["tier"] = {kind: "api"}) says which source a
// value came from; the per-kind records (Sources["api"], Sources["site"],
// Sources["definition"]) say where each source was read. An operation's
// From lists the kinds that describe it. The auth types of the winning
// source keep the site's applicability and shareability (the site alone
// gives them).
//
// Trust: a merge by name lets a source claim a connector. Catalog.Merge
// returns a MergeSummary naming every connector whose host or scheme
// changed, and Diff reports them; stored credentials are bound to the host
// they were saved for (package secrets), so a merge never changes where a
// secret is sent.
package catalog
