package catalog

import (
	"sort"
	"strings"
	"unicode"
)

// ipSuffix ends the display name of most independent publishers'
// connectors; definitions folders and titles often lack it.
const ipSuffix = "(independent publisher)"

// APIPrefix starts a connector's name in the Power Platform API
// (shared_office365 is office365).
const APIPrefix = "shared_"

// FoldTitle folds a display name for matching records of one connector
// from different sources: lower-case letters and digits only, without a
// trailing "(Preview)", "[DEPRECATED]" or "(deprecated)". A trailing
// "(Independent Publisher)" is kept (as "independentpublisher"): see
// FoldTitleBase.
func FoldTitle(name string) string {
	return foldAlnum(trimTitleMarkers(name))
}

// FoldTitleBase is FoldTitle without a trailing "(Independent Publisher)".
func FoldTitleBase(name string) string {
	base, _ := cutIPSuffix(trimTitleMarkers(name))
	return foldAlnum(base)
}

// HasIPSuffix reports whether a display name ends in "(Independent
// Publisher)" (before any "(Preview)" or "[DEPRECATED]" marker).
func HasIPSuffix(name string) bool {
	_, ok := cutIPSuffix(trimTitleMarkers(name))
	return ok
}

func trimTitleMarkers(name string) string {
	name = strings.TrimSpace(name)
	for changed := true; changed; {
		changed = false
		lower := strings.ToLower(name)
		for _, suffix := range []string{"(preview)", "[deprecated]", "(deprecated)", "[preview]"} {
			if strings.HasSuffix(lower, suffix) {
				name = strings.TrimSpace(name[:len(name)-len(suffix)])
				changed = true
				break
			}
		}
	}
	return name
}

func cutIPSuffix(name string) (string, bool) {
	if strings.HasSuffix(strings.ToLower(name), ipSuffix) {
		return strings.TrimSpace(name[:len(name)-len(ipSuffix)]), true
	}
	return name, false
}

func foldAlnum(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SiteID is the id the reference site most likely gives a connector known
// only by its display name: the ASCII letters and digits of the name, at
// most 20 characters; an independent publisher's "X (Independent
// Publisher)" is "x" + "ip" when that fits in 20 characters. The site's
// own id, when a source brings it, always wins (the guess becomes an
// alias).
func SiteID(name string) string {
	base, ip := cutIPSuffix(trimTitleMarkers(name))
	id := NormalizeID(base)
	if ip && len(id) <= 18 {
		id += "ip"
	}
	return id
}

// isCustom reports a custom connector (the custom-connectors samples): its
// name may equal a Microsoft connector's without being it.
func (conn *Connector) isCustom() bool {
	if conn.PublisherKind == PublisherCustom {
		return true
	}
	src, ok := conn.Sources[SourceDefinition]
	return ok && strings.Contains(strings.ReplaceAll(src.Ref, `\`, "/"), "custom-connectors/")
}

// isIndependent reports an independent publisher's connector.
func (conn *Connector) isIndependent() bool {
	if conn.PublisherKind == PublisherIndependent {
		return true
	}
	src, ok := conn.Sources[SourceDefinition]
	return ok && strings.Contains(strings.ReplaceAll(src.Ref, `\`, "/"), "independent-publisher-connectors/")
}

// idAuthoritative reports whether the connector's id comes from the site
// or the API: then it is the connector's identity, and no name or host
// match may join it with another such connector.
func (conn *Connector) idAuthoritative() bool {
	k := conn.fieldKind(fieldID, rankID)
	return k == SourceSite || k == SourceAPI
}

// aliasKeys are the lower-case names that find the connector besides its
// id: aliases, folder, shared_<id>.
func (conn *Connector) aliasKeys() []string {
	keys := make([]string, 0, len(conn.Aliases)+2)
	add := func(s string) {
		if s = strings.ToLower(strings.TrimSpace(s)); s != "" {
			keys = append(keys, s)
		}
	}
	for _, a := range conn.Aliases {
		add(a)
	}
	add(conn.Folder)
	add(APIPrefix + conn.ID)
	return keys
}

// normAliases sorts and deduplicates aliases (case-insensitively, keeping
// the first spelling in sort order) and drops the id itself.
func normAliases(id string, aliases []string) []string {
	if len(aliases) == 0 {
		return nil
	}
	sorted := append([]string(nil), aliases...)
	sort.Strings(sorted)
	out := sorted[:0]
	seen := map[string]bool{strings.ToLower(id): true}
	for _, a := range sorted {
		a = strings.TrimSpace(a)
		k := strings.ToLower(a)
		if a == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// endpointKey is host+basePath, lower case, for matching definitions.
func (conn *Connector) endpointKey() string {
	h := strings.ToLower(strings.TrimSpace(conn.Host))
	if h == "" {
		return ""
	}
	return h + strings.ToLower(strings.TrimRight(conn.BasePath, "/"))
}

// identityIndex finds the connector an incoming record belongs to.
type identityIndex struct {
	byID       map[string]*Connector
	byAlias    map[string][]*Connector
	byTitle    map[string][]*Connector
	byBase     map[string][]*Connector
	byEndpoint map[string][]*Connector
}

func newIdentityIndex(conns []*Connector) *identityIndex {
	ix := &identityIndex{
		byID:       make(map[string]*Connector, len(conns)),
		byAlias:    map[string][]*Connector{},
		byTitle:    map[string][]*Connector{},
		byBase:     map[string][]*Connector{},
		byEndpoint: map[string][]*Connector{},
	}
	for _, c := range conns {
		ix.add(c)
	}
	return ix
}

func appendOnce(list []*Connector, c *Connector) []*Connector {
	for _, x := range list {
		if x == c {
			return list
		}
	}
	return append(list, c)
}

func (ix *identityIndex) add(c *Connector) {
	ix.byID[strings.ToLower(c.ID)] = c
	for _, k := range c.aliasKeys() {
		ix.byAlias[k] = appendOnce(ix.byAlias[k], c)
	}
	if t := FoldTitle(c.Name); t != "" {
		ix.byTitle[t] = appendOnce(ix.byTitle[t], c)
	}
	if t := FoldTitleBase(c.Name); t != "" {
		ix.byBase[t] = appendOnce(ix.byBase[t], c)
	}
	if e := c.endpointKey(); e != "" {
		ix.byEndpoint[e] = appendOnce(ix.byEndpoint[e], c)
	}
}

func (ix *identityIndex) remove(c *Connector) {
	if ix.byID[strings.ToLower(c.ID)] == c {
		delete(ix.byID, strings.ToLower(c.ID))
	}
	drop := func(m map[string][]*Connector, k string) {
		list := m[k]
		for i, x := range list {
			if x == c {
				m[k] = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(m[k]) == 0 {
			delete(m, k)
		}
	}
	for _, k := range c.aliasKeys() {
		drop(ix.byAlias, k)
	}
	drop(ix.byTitle, FoldTitle(c.Name))
	drop(ix.byBase, FoldTitleBase(c.Name))
	drop(ix.byEndpoint, c.endpointKey())
}

// Ways a record was matched (MergeSummary, ChangeReport).
const (
	MatchID       = "id"
	MatchAlias    = "alias"
	MatchName     = "name"
	MatchEndpoint = "endpoint"
)

// sameCustomness: a custom connector only ever joins a custom one.
func sameCustomness(a, b *Connector) bool { return a.isCustom() == b.isCustom() }

// kindsOverlap reports two records read from the same kind of source.
func kindsOverlap(a, b *Connector) bool {
	ka := a.kinds()
	for _, k := range b.kinds() {
		for _, x := range ka {
			if x == k {
				return true
			}
		}
	}
	return false
}

// looseOK says whether a name or host match may join a and b: at most one
// of them has an id from the site or the API, they come from different
// kinds of source, and both or neither are custom.
func looseOK(a, b *Connector) bool {
	return !(a.idAuthoritative() && b.idAuthoritative()) && !kindsOverlap(a, b) && sameCustomness(a, b)
}

// match finds the connector that in belongs to, and how it matched.
func (ix *identityIndex) match(in *Connector) (*Connector, string) {
	if c := ix.byID[strings.ToLower(in.ID)]; c != nil && sameCustomness(c, in) {
		return c, MatchID
	}
	keys := append([]string{strings.ToLower(in.ID)}, in.aliasKeys()...)
	if id, ok := strings.CutPrefix(strings.ToLower(in.ID), APIPrefix); ok {
		keys = append(keys, id)
	}
	for _, k := range keys {
		if c := ix.byID[k]; c != nil && sameCustomness(c, in) {
			return c, MatchAlias
		}
		if c := unique(ix.byAlias[k], func(c *Connector) bool { return sameCustomness(c, in) }); c != nil {
			return c, MatchAlias
		}
	}
	ok := func(c *Connector) bool { return looseOK(c, in) }
	if t := FoldTitle(in.Name); t != "" {
		if c := unique(ix.byTitle[t], ok); c != nil {
			return c, MatchName
		}
		if len(ix.byTitle[t]) == 0 {
			// The suffix folded away: only for an independent publisher's
			// record that lacks it, against one that has it (or the
			// other way round).
			inIP := HasIPSuffix(in.Name)
			if c := unique(ix.byBase[FoldTitleBase(in.Name)], func(c *Connector) bool {
				cIP := HasIPSuffix(c.Name)
				if cIP == inIP || !ok(c) {
					return false
				}
				if inIP {
					return c.isIndependent()
				}
				return in.isIndependent()
			}); c != nil {
				return c, MatchName
			}
		}
	}
	if e := in.endpointKey(); e != "" {
		if c := unique(ix.byEndpoint[e], ok); c != nil {
			return c, MatchEndpoint
		}
	}
	return nil, ""
}

// unique returns the only candidate that passes ok, or nil.
func unique(list []*Connector, ok func(*Connector) bool) *Connector {
	var found *Connector
	for _, c := range list {
		if !ok(c) {
			continue
		}
		if found != nil {
			return nil
		}
		found = c
	}
	return found
}
