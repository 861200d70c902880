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
// (a page or its list) or the API: then it is the connector's identity,
// and no name or host match may join it with another such connector.
func (conn *Connector) idAuthoritative() bool {
	k := conn.fieldKind(fieldID, rankID)
	return siteKind(k) || k == SourceAPI
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

// normAliases sorts and deduplicates aliases and drops the id itself (a
// display name that only differs from the id by case is kept: it is a
// name another source gave).
func normAliases(id string, aliases []string) []string {
	if len(aliases) == 0 {
		return nil
	}
	sorted := append([]string(nil), aliases...)
	sort.Strings(sorted)
	out := sorted[:0]
	seen := map[string]bool{}
	for _, a := range sorted {
		a = strings.TrimSpace(a)
		if a == "" || seen[a] || a == strings.ToLower(a) && strings.EqualFold(a, id) {
			continue
		}
		seen[a] = true
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

// titleKeys are the display names a connector is known by: its name, its
// folder, and aliases that are names rather than ids (a name another
// source gave it). Ids are lower-case letters and digits; names are not.
func (conn *Connector) titleKeys() []string {
	out := []string{conn.Name}
	if conn.Folder != "" {
		out = append(out, conn.Folder)
	}
	for _, a := range conn.Aliases {
		if a != strings.ToLower(a) || strings.ContainsAny(a, " ()") {
			out = append(out, a)
		}
	}
	return out
}

// nameKeys are the lower-case alias keys that are names, not ids: the
// folder and name-like aliases.
func (conn *Connector) nameKeys() []string {
	var out []string
	for _, t := range conn.titleKeys()[1:] {
		out = append(out, strings.ToLower(strings.TrimSpace(t)))
	}
	return out
}

// idKeys are the lower-case ids a connector answers to: its id, its
// shared_<id>, and id-like aliases (former ids, shared_ names).
func (conn *Connector) idKeys() []string {
	id := strings.ToLower(conn.ID)
	out := []string{id, APIPrefix + id}
	if rest, ok := strings.CutPrefix(id, APIPrefix); ok {
		out = append(out, rest)
	}
	for _, a := range conn.Aliases {
		if a == strings.ToLower(a) && !strings.ContainsAny(a, " ()") {
			out = append(out, a)
			if rest, ok := strings.CutPrefix(a, APIPrefix); ok {
				out = append(out, rest)
			}
		}
	}
	return out
}

// identityIndex finds the connector an incoming record belongs to.
type identityIndex struct {
	byID       map[string]*Connector
	byIDKey    map[string][]*Connector // idKeys
	byNameKey  map[string][]*Connector // nameKeys (folders, names)
	byTitle    map[string][]*Connector // FoldTitle of titleKeys
	byBase     map[string][]*Connector // FoldTitleBase of titleKeys
	byEndpoint map[string][]*Connector
	// reserved are the ids of the records a merge is adding (freeID).
	reserved map[string]bool
	// batch holds the connectors that took in a record of the catalogue
	// being merged. A record never joins one of them: the records of one
	// source are distinct connectors (a definitions sample holds SchoolDigger
	// and SchoolDigger (Independent Publisher), two connectors), whether or
	// not the catalogue it is merged into already knew either.
	batch map[*Connector]bool
}

func newIdentityIndex(conns []*Connector) *identityIndex {
	ix := &identityIndex{
		byID:       make(map[string]*Connector, len(conns)),
		byIDKey:    map[string][]*Connector{},
		byNameKey:  map[string][]*Connector{},
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

// keysOf lists every (map, key) pair of the connector.
func (ix *identityIndex) each(c *Connector, f func(m map[string][]*Connector, k string)) {
	for _, k := range c.idKeys() {
		f(ix.byIDKey, k)
	}
	for _, k := range c.nameKeys() {
		f(ix.byNameKey, k)
	}
	for _, t := range c.titleKeys() {
		if k := FoldTitle(t); k != "" {
			f(ix.byTitle, k)
		}
		if k := FoldTitleBase(t); k != "" {
			f(ix.byBase, k)
		}
	}
	if e := c.endpointKey(); e != "" {
		f(ix.byEndpoint, e)
	}
}

func (ix *identityIndex) add(c *Connector) {
	ix.byID[strings.ToLower(c.ID)] = c
	ix.each(c, func(m map[string][]*Connector, k string) { m[k] = appendOnce(m[k], c) })
}

func (ix *identityIndex) remove(c *Connector) {
	if ix.byID[strings.ToLower(c.ID)] == c {
		delete(ix.byID, strings.ToLower(c.ID))
	}
	ix.each(c, func(m map[string][]*Connector, k string) {
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
	})
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

// titlesAgree reports two records one of whose display names (or
// folders) fold to the same title.
func titlesAgree(a, b *Connector) bool {
	for _, x := range a.titleKeys() {
		for _, y := range b.titleKeys() {
			if fx := FoldTitle(x); fx != "" && fx == FoldTitle(y) {
				return true
			}
		}
	}
	return false
}

// idMatchOK: the same id joins two records, except a derived id (from a
// definitions title) that only happens to equal another connector's real
// one: then a display name must agree too.
func idMatchOK(a, b *Connector) bool {
	if !sameCustomness(a, b) {
		return false
	}
	if a.idAuthoritative() == b.idAuthoritative() {
		return true
	}
	return titlesAgree(a, b)
}

// match finds the connector that in belongs to, and how it matched.
func (ix *identityIndex) match(in *Connector) (*Connector, string) {
	return ix.matchExcept(in, nil)
}

func (ix *identityIndex) matchExcept(in, self *Connector) (*Connector, string) {
	// When a merged connector looks for another one already here (self),
	// two records of one kind of source are never joined: within a source
	// they are distinct connectors.
	other := func(c *Connector) bool {
		return c != self && !ix.batch[c] && (self == nil || !kindsOverlap(c, in))
	}
	if c := ix.byID[strings.ToLower(in.ID)]; c != nil && other(c) && idMatchOK(c, in) {
		return c, MatchID
	}
	// Two ids from the site or the API are the identity: they never join
	// through aliases, names or hosts.
	weak := func(c *Connector) bool { return other(c) && !(c.idAuthoritative() && in.idAuthoritative()) }
	idOK := func(c *Connector) bool { return weak(c) && idMatchOK(c, in) }
	for _, k := range in.idKeys() {
		if c := unique(ix.byIDKey[k], idOK); c != nil {
			return c, MatchAlias
		}
	}
	nameOK := func(c *Connector) bool { return weak(c) && sameCustomness(c, in) }
	for _, k := range in.nameKeys() {
		if c := unique(ix.byNameKey[k], nameOK); c != nil {
			return c, MatchAlias
		}
	}
	ok := func(c *Connector) bool { return other(c) && looseOK(c, in) }
	for _, t := range in.titleKeys() {
		fold := FoldTitle(t)
		named := func(c *Connector) bool {
			return ok(c) && namesOwnID(c, fold, FoldTitle) && namesOwnID(in, fold, FoldTitle)
		}
		if c := unique(ix.byTitle[fold], named); c != nil {
			return c, MatchName
		}
	}
	// A definitions record named without the suffix "(Independent
	// Publisher)" (or with it) joins the one connector named the other
	// way. Only from the definitions side: see Catalog.Merge, which
	// matches definitions-only connectors again after each merge.
	if !in.idAuthoritative() {
		for _, t := range in.titleKeys() {
			inIP := HasIPSuffix(t)
			base := FoldTitleBase(t)
			if c := unique(ix.byBase[base], func(c *Connector) bool {
				return ok(c) && hasIPTitle(c) != inIP && namesOwnID(c, base, FoldTitleBase)
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

// namesOwnID reports whether a connector whose id comes from the site or
// the API may be joined by the matched title (fold is its folded form).
// It may not when the id the title would give (SiteID) and the
// connector's id differ only by an ending: "Snowflake" on snowflakepa,
// "Muhimbi PDF" on muhimbi. Such a name is, or may later turn out to be,
// the name of a sibling listed connector (the site's snowflakev2, its
// muhimbipdf), which another source can bring at any time: joining on it
// would make the catalogue depend on which source came first. The endings
// the site gives one connector are allowed: "ip" (independent publisher)
// and "v" + digits (a new version under the old name), and the name the
// site gives the connector is always its own (the site lists
// "Aquaforest PDF" as aquaforest): so a join the site would allow may wait
// for the site, but a join made before it is never one it contradicts.
// Ids unrelated to the name (iaconnectmsoffice, "IA-Connect Microsoft
// Office") are not judged. Records whose id is only derived always pass.
func namesOwnID(c *Connector, fold string, f func(string) string) bool {
	if !c.idAuthoritative() {
		return true
	}
	ids := c.idKeys()
	for _, t := range c.titleKeys() {
		if f(t) != fold {
			continue
		}
		if t == c.Name && siteKind(c.fieldKind("name", rankDocs)) {
			return true // the site's own name for its id (page or list)
		}
		guess := nameID(t)
		for _, id := range ids {
			if !strings.HasPrefix(id, APIPrefix) && !siblingID(guess, id) {
				return true
			}
		}
	}
	return false
}

// nameID is the id a display name gives, like SiteID but not cut to 20
// characters (the site does not always cut).
func nameID(name string) string {
	base, ip := cutIPSuffix(trimTitleMarkers(name))
	var b strings.Builder
	for _, r := range strings.ToLower(base) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	if ip {
		b.WriteString("ip")
	}
	return b.String()
}

// siblingID reports an id and the id a name gives that differ only by an
// ending that is not the site's way of naming one connector.
func siblingID(guess, id string) bool {
	if guess == "" || guess == id {
		return false
	}
	if !strings.HasPrefix(id, guess) && !strings.HasPrefix(guess, id) {
		return false
	}
	if len(id) >= 20 && strings.HasPrefix(guess, id) {
		return false // the name's id, cut to 20 characters
	}
	rest, ok := strings.CutPrefix(id, guess)
	if ok && (rest == "ip" || len(rest) > 1 && rest[0] == 'v' && isDigits(rest[1:])) {
		return false
	}
	// An independent publisher's name whose id lacks the "ip" ending
	// ("Deck of Cards (Independent Publisher)" is deckofcards): the id is
	// the connector's own, no sibling can hold it.
	if rest, ok := strings.CutPrefix(guess, id); ok && rest == "ip" {
		return false
	}
	return true
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func hasIPTitle(c *Connector) bool {
	for _, t := range c.titleKeys() {
		if HasIPSuffix(t) {
			return true
		}
	}
	return false
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
