package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/connex-dev/connex/catalog"
)

// Field boosts: names over summaries over descriptions. The *_ng fields
// (a prefix of the word being typed) score below a whole-word match, so a
// finished word ranks its exact matches first; fuzzy matches score lower
// still.
const (
	boostName        = 3.0
	boostOperation   = 2.5
	boostConnector   = 2.0
	boostDescription = 0.6
	boostPublisher   = 0.8
	boostCategories  = 0.8
	boostNameNg      = 2.0
)

// Query bounds: longer input is cut, not refused.
const (
	maxWords   = 12
	maxWordLen = 64
	// Fuzziness by word length (in runes): none below fuzzyMin, 1 up to
	// fuzzy2Min, then 2. Typos are only looked for in the name fields,
	// whose dictionaries are small, and only when the word matches
	// nothing as typed.
	fuzzyMin = 4
	// minDescWord: shorter words are looked for in names only.
	minDescWord = 4
	// minOpPrefix: shorter prefixes are not expanded in operation ids.
	minOpPrefix = 4
	fuzzy2Min   = 7
	fuzzyPrefix = 1
	// maxFuzzyTerms caps the candidate terms of one fuzzy word per field.
	maxFuzzyTerms = 64
)

// Score factors applied after bleve's score, by document.
const (
	factorConnector  = 3.0
	factorImportant  = 1.1
	factorDeprecated = 0.5
	factorInternal   = 0.6
)

// textField is one searched field: its name, boost, and the field name
// reported in Hit.Matches.
type textField struct {
	name    string
	boost   float64
	display string
	prose   bool // free text, where short words are noise
}

var exactFields = []textField{
	{fName, boostName, fName, false},
	{fOperation, boostOperation, fOperation, false},
	{fConnector, boostConnector, fConnector, false},
	{fDescription, boostDescription, fDescription, true},
	{fPublisher, boostPublisher, fPublisher, true},
	{fCategories, boostCategories, fCategories, true},
}

var prefixFields = []textField{
	{fNameNg, boostNameNg, fName, false},
}

// stopWords are optional in a query of several words: "create a record"
// also finds "Create record".
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "to": true, "in": true, "for": true,
	"on": true, "by": true, "with": true, "and": true, "or": true, "from": true, "is": true,
}

// qword is one word of the query text.
type qword struct {
	whole    string   // lower case
	parts    []string // camelCase parts, lower case (nil: none)
	prefix   bool     // the word being typed: also matched as a prefix
	optional bool
}

// parseQuery splits the query text into words with the index's tokenizer.
// The last word is a prefix unless the text ends with a separator (the
// user has finished typing it).
func parseQuery(text string) []qword {
	toks := newTokenizer().Tokenize([]byte(text))
	var words []qword
	for i, t := range toks {
		if len(words) == maxWords {
			break
		}
		w := string(t.Term)
		if len(w) > maxWordLen {
			w = truncRunes(w, maxWordLen)
		}
		whole, parts := wordForms(w)
		words = append(words, qword{
			whole:  whole,
			parts:  parts,
			prefix: i == len(toks)-1 && t.End == len(text),
		})
	}
	if len(words) > 1 {
		nonStop := 0
		for _, w := range words {
			if !stopWords[w.whole] {
				nonStop++
			}
		}
		if nonStop > 0 {
			for i := range words {
				// A stop word being typed may be the start of
				// another word ("an" -> "analytics"): keep it.
				words[i].optional = stopWords[words[i].whole] && !words[i].prefix
			}
		}
	}
	return words
}

func truncRunes(s string, maxBytes int) string {
	for maxBytes > 0 && !utf8.RuneStart(s[maxBytes]) {
		maxBytes--
	}
	return s[:maxBytes]
}

// matchPair is a term looked up in a field, kept for highlighting.
type matchPair struct {
	term    string // looked up in field
	field   string
	display string // field name reported in Hit.Matches
	show    string // term reported, when not term (a typed prefix)
}

// compiled is a query ready to run.
type compiled struct {
	q     query.Query
	pairs []matchPair
	// opPrefixes are typed prefixes expanded in operation ids; their
	// highlight comes from the id itself, not from one lookup per term.
	opPrefixes []string
}

// compile builds the bleve query for the words. It looks at the term
// dictionaries to decide per word whether typo tolerance is needed.
func compile(ctx context.Context, r bindex.IndexReader, words []qword) (*compiled, error) {
	c := &compiled{}
	var must, should []query.Query
	for _, w := range words {
		wq, err := c.word(ctx, r, w)
		if err != nil {
			return nil, err
		}
		if w.optional {
			should = append(should, wq)
		} else {
			must = append(must, wq)
		}
	}
	switch {
	case len(must) == 1 && len(should) == 0:
		c.q = must[0]
	case len(should) == 0:
		c.q = query.NewConjunctionQuery(must)
	default:
		c.q = query.NewBooleanQuery(must, should, nil)
	}
	return c, nil
}

func termQuery(term string, f textField) query.Query {
	tq := query.NewTermQuery(term)
	tq.SetField(f.name)
	tq.SetBoost(f.boost)
	return tq
}

// word builds the query of one word: the word in any text field, or as a
// prefix in a name field when it is being typed, or its camelCase parts
// all together, or a near spelling in a name field.
func (c *compiled) word(ctx context.Context, r bindex.IndexReader, w qword) (query.Query, error) {
	var clauses []query.Query
	found := false
	add := func(term string, f textField) error {
		n, err := docFreq(ctx, r, term, f.name)
		if err != nil {
			return err
		}
		if n > 0 {
			found = true
			clauses = append(clauses, termQuery(term, f))
			c.pairs = append(c.pairs, matchPair{term: term, field: f.name, display: f.display})
		}
		return nil
	}
	runes := utf8.RuneCountInString(w.whole)
	for _, f := range exactFields {
		if runes < minDescWord && f.prose {
			// "a", "s", "get": in descriptions they match half the
			// catalogue and rank nothing.
			continue
		}
		if err := add(w.whole, f); err != nil {
			return nil, err
		}
	}
	if w.prefix {
		expand := func(f textField) error {
			terms, err := prefixTerms(r, f.name, w.whole)
			if err != nil {
				return err
			}
			var group []query.Query
			for _, t := range terms {
				if t == w.whole {
					continue // already an exact clause
				}
				tq := query.NewTermQuery(t)
				tq.SetField(f.name)
				tq.SetBoost(f.boost * 0.5)
				group = append(group, tq)
				c.pairs = append(c.pairs, matchPair{term: t, field: f.name, display: f.display, show: w.whole})
			}
			// One clause for the whole group: bleve scales a
			// disjunction's score by the share of clauses matched,
			// so 60 expansions as separate clauses would crush the
			// exact matches' scores.
			if g := oneOf(group); g != nil {
				clauses = append(clauses, g)
				found = true
			}
			return nil
		}
		var err error
		if runes <= maxPrefixLen {
			err = add(w.whole, prefixFields[0])
		} else {
			// Rare: a prefix longer than the indexed n-grams; so
			// long a prefix expands to very few terms.
			err = expand(exactFields[0])
		}
		if err != nil {
			return nil, err
		}
		if runes >= minOpPrefix {
			// Operation ids have no n-grams (they would double the
			// build); a prefix of 4+ letters expands to few ids.
			n := len(c.pairs)
			if err := expand(exactFields[1]); err != nil {
				return nil, err
			}
			c.pairs = c.pairs[:n]
			c.opPrefixes = append(c.opPrefixes, w.whole)
		}
	}
	if !found && len(w.parts) > 1 {
		// "EmailSend", "send_email": every part somewhere, in any
		// order. When each part exists, the word needs no typo search.
		var conj []query.Query
		allParts := true
		npairs := len(c.pairs)
		for i, p := range w.parts {
			var alts []query.Query
			last := w.prefix && i == len(w.parts)-1
			fields := exactFields
			if last && utf8.RuneCountInString(p) <= maxPrefixLen {
				fields = append(slices.Clone(exactFields), prefixFields...)
			}
			for _, f := range fields {
				n, err := docFreq(ctx, r, p, f.name)
				if err != nil {
					return nil, err
				}
				if n == 0 {
					continue
				}
				alts = append(alts, termQuery(p, f))
				c.pairs = append(c.pairs, matchPair{term: p, field: f.name, display: f.display})
			}
			if len(alts) == 0 {
				allParts = false
				break
			}
			conj = append(conj, query.NewDisjunctionQuery(alts))
		}
		if allParts {
			clauses = append(clauses, query.NewConjunctionQuery(conj))
			found = true
		} else {
			c.pairs = c.pairs[:npairs]
		}
	}
	if !found {
		if runes >= fuzzyMin {
			fz := 1
			if runes >= fuzzy2Min {
				fz = 2
			}
			// One field per word: building the Levenshtein automaton
			// is most of a fuzzy lookup's cost. "name" holds connector
			// names (on connector documents) and operation summaries;
			// its n-grams also hold their prefixes, for the word being
			// typed ("mialj" -> "mailj").
			f := exactFields[0]
			if w.prefix {
				f = prefixFields[0]
			}
			cands, err := fuzzyTerms(r, f.name, w.whole, fz)
			if err != nil {
				return nil, err
			}
			var group []query.Query
			for _, cand := range cands {
				tq := query.NewTermQuery(cand.term)
				tq.SetField(f.name)
				// Each edit costs: a near spelling ranks below the
				// exact one.
				tq.SetBoost(f.boost * 0.8 / float64(1+cand.dist))
				group = append(group, tq)
				c.pairs = append(c.pairs, matchPair{term: cand.term, field: f.name, display: f.display})
			}
			if g := oneOf(group); g != nil {
				clauses = append(clauses, g)
			}
		}
	}
	if len(clauses) == 0 {
		return query.NewMatchNoneQuery(), nil
	}
	if len(clauses) == 1 {
		return clauses[0], nil
	}
	return query.NewDisjunctionQuery(clauses), nil
}

// oneOf is a disjunction of qs, or qs[0] alone, or nil.
func oneOf(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// docFreq is the number of documents with term in field.
func docFreq(ctx context.Context, r bindex.IndexReader, term, field string) (uint64, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0, err
	}
	n := tfr.Count()
	return n, tfr.Close()
}

// prefixTerms lists up to maxFuzzyTerms terms of field starting with
// prefix.
func prefixTerms(r bindex.IndexReader, field, prefix string) ([]string, error) {
	dict, err := r.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return nil, err
	}
	defer dict.Close()
	var out []string
	for len(out) < maxFuzzyTerms {
		e, err := dict.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		out = append(out, e.Term)
	}
	return out, nil
}

type fuzzyCand struct {
	term string
	dist int
}

// fuzzyTerms lists the terms of field within fz edits of term (sharing its
// first rune), closest first, at most maxFuzzyTerms.
func fuzzyTerms(r bindex.IndexReader, field, term string, fz int) ([]fuzzyCand, error) {
	fr, ok := r.(bindex.IndexReaderFuzzy)
	if !ok {
		return nil, nil
	}
	prefix := ""
	if _, size := utf8.DecodeRuneInString(term); size > 0 && fuzzyPrefix > 0 {
		prefix = term[:size]
	}
	dict, err := fr.FieldDictFuzzy(field, term, fz, prefix)
	if err != nil {
		return nil, err
	}
	defer dict.Close()
	var out []fuzzyCand
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		out = append(out, fuzzyCand{term: e.Term, dist: int(e.EditDistance)})
	}
	slices.SortStableFunc(out, func(a, b fuzzyCand) int { return a.dist - b.dist })
	if len(out) > maxFuzzyTerms {
		out = out[:maxFuzzyTerms]
	}
	return out, nil
}

// Filter bits: which filter a document fails. A facet's counts ignore the
// facet's own filter (see Result.Facets).
const (
	failKind uint8 = 1 << iota
	failTier
	failProduct
	failPublisher
	failPreview
	failDeprecated
)

// filters is a Query's filters, compiled against the table.
type filters struct {
	kinds         uint8 // bit per kind code; 0: any
	tier          uint8 // tier code + 1; 0: any
	products      uint8
	pubKinds      uint8 // bit per publisher kind code
	pubConns      []bool
	pubActive     bool
	pubFacetOwned bool // the publisher filter is a publisher kind only
	preview       int8 // -1 any, 0 no, 1 yes
	deprecated    DeprecatedMode
	internal      bool
	connector     int64 // -1 any, -2 unknown connector (nothing)
}

func compileFilters(t *table, q Query) (*filters, error) {
	f := &filters{preview: -1, connector: -1, internal: q.Internal}
	for _, k := range q.Kinds {
		found := false
		for code, name := range kindNames {
			if strings.EqualFold(strings.TrimSpace(k), name) {
				f.kinds |= 1 << code
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("kind %q: %w (want connector, action or trigger)", k, ErrInvalidQuery)
		}
	}
	switch strings.ToLower(strings.TrimSpace(q.Tier)) {
	case "":
	case string(catalog.TierStandard):
		f.tier = tierStandard + 1
	case string(catalog.TierPremium):
		f.tier = tierPremium + 1
	default:
		return nil, fmt.Errorf("tier %q: %w (want standard or premium)", q.Tier, ErrInvalidQuery)
	}
	for _, p := range q.Products {
		i := productIndex(p)
		if i < 0 {
			return nil, fmt.Errorf("product %q: %w (want one of %s)", p, ErrInvalidQuery, strings.Join(catalog.Products, ", "))
		}
		f.products |= 1 << i
	}
	if pub := strings.ToLower(strings.TrimSpace(q.Publisher)); pub != "" {
		f.pubActive = true
		words := strings.Fields(pub)
		isKind := false
		for code, name := range pubNames {
			if code > 0 && (pub == name || catalog.FoldName(pub) == catalog.FoldName(name+" publisher") || catalog.FoldName(pub) == catalog.FoldName(name+" partner")) {
				f.pubKinds |= 1 << code
				isKind = true
			}
		}
		f.pubConns = make([]bool, len(t.conns))
		nameHits := 0
		for i, c := range t.conns {
			if publisherMatches(c.publisher, words) {
				f.pubConns[i] = true
				nameHits++
			}
		}
		// "microsoft" is both a kind and a name: either matches. A kind
		// alone lets the publisher_kind facet show the other kinds.
		f.pubFacetOwned = isKind && nameHits == 0
	}
	if q.Preview != nil {
		f.preview = 0
		if *q.Preview {
			f.preview = 1
		}
	}
	switch q.Deprecated {
	case "", DeprecatedExclude:
		f.deprecated = DeprecatedExclude
	case DeprecatedInclude, DeprecatedOnly:
		f.deprecated = q.Deprecated
	default:
		return nil, fmt.Errorf("deprecated %q: %w (want exclude, include or only)", q.Deprecated, ErrInvalidQuery)
	}
	if id := strings.TrimSpace(q.Connector); id != "" {
		f.connector = -2
		for i, c := range t.conns {
			if c.id == id {
				f.connector = int64(i)
				break
			}
		}
		if f.connector == -2 {
			for i, c := range t.conns {
				if strings.EqualFold(c.id, id) {
					f.connector = int64(i)
					break
				}
			}
		}
	}
	return f, nil
}

// publisherMatches reports whether every query word starts a word of the
// publisher's name.
func publisherMatches(publisher string, words []string) bool {
	if publisher == "" {
		return false
	}
	pw := strings.FieldsFunc(publisher, func(r rune) bool { return !isWordRune(r) })
	for _, w := range words {
		ok := false
		for _, p := range pw {
			if strings.HasPrefix(p, w) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func isWordRune(r rune) bool {
	return r == '.' || r == '&' || r == '\'' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r > 127
}

// collector keeps the top hits and counts facets over the matches.
type collector struct {
	t      *table
	f      *filters
	k      int // offset + limit
	facets bool
	total  uint64
	heap   []scored

	kind       [3]int
	tier       [3]int
	product    [8]int
	pub        [5]int
	preview    [2]int
	deprecated [2]int
}

type scored struct {
	score float64
	ord   int32
}

// better orders hits: higher score, then the table's rank.
func better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.ord < b.ord
}

func (c *collector) add(ord int32, score float64) {
	e := &c.t.entries[ord]
	f := c.f
	if !f.internal && e.flags&flagInternal != 0 {
		return
	}
	if f.connector != -1 && (e.kind == kindConnector || int64(e.conn) != f.connector) {
		return
	}
	var fail uint8
	if f.kinds != 0 && f.kinds&(1<<e.kind) == 0 {
		fail |= failKind
	}
	if f.tier != 0 && e.tier+1 != f.tier {
		fail |= failTier
	}
	if e.products&f.products != f.products {
		fail |= failProduct
	}
	if f.pubActive && f.pubKinds&(1<<e.pub) == 0 && !f.pubConns[e.conn] {
		if !f.pubFacetOwned {
			return
		}
		fail |= failPublisher
	}
	dep := e.flags&flagDeprecated != 0
	switch f.deprecated {
	case DeprecatedExclude:
		if dep {
			fail |= failDeprecated
		}
	case DeprecatedOnly:
		if !dep {
			fail |= failDeprecated
		}
	}
	prev := e.flags&flagPreview != 0
	if f.preview >= 0 && prev != (f.preview == 1) {
		fail |= failPreview
	}
	if fail == 0 {
		c.total++
		c.push(scored{score, ord})
	}
	if !c.facets || fail&(fail-1) != 0 {
		return // fails two filters: counts in no facet
	}
	if fail == 0 || fail == failKind {
		c.kind[e.kind]++
	}
	if fail == 0 || fail == failTier {
		c.tier[e.tier]++
	}
	if fail == 0 {
		for i := range c.product {
			if e.products&(1<<i) != 0 {
				c.product[i]++
			}
		}
	}
	if fail == 0 || fail == failPublisher {
		c.pub[e.pub]++
	}
	if fail == 0 || fail == failPreview {
		c.preview[b2i(prev)]++
	}
	if fail == 0 || fail == failDeprecated {
		c.deprecated[b2i(dep)]++
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// push keeps the best k hits in a min-heap (worst at the root).
func (c *collector) push(s scored) {
	h := c.heap
	if len(h) < c.k {
		h = append(h, s)
		i := len(h) - 1
		for i > 0 {
			p := (i - 1) / 2
			if !better(h[p], h[i]) {
				break
			}
			h[p], h[i] = h[i], h[p]
			i = p
		}
		c.heap = h
		return
	}
	if c.k == 0 || !better(s, h[0]) {
		return
	}
	h[0] = s
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && better(h[m], h[l]) {
			m = l
		}
		if r < len(h) && better(h[m], h[r]) {
			m = r
		}
		if m == i {
			break
		}
		h[m], h[i] = h[i], h[m]
		i = m
	}
}

func (c *collector) sorted() []scored {
	out := slices.Clone(c.heap)
	slices.SortFunc(out, func(a, b scored) int {
		if better(a, b) {
			return -1
		}
		if better(b, a) {
			return 1
		}
		return 0
	})
	return out
}

func (c *collector) facetCounts() map[string][]FacetCount {
	out := make(map[string][]FacetCount, 6)
	kinds := make([]FacetCount, 0, 3)
	for code, n := range c.kind {
		kinds = append(kinds, FacetCount{Value: kindNames[code], Count: n})
	}
	out[FacetKind] = kinds
	tiers := []FacetCount{{Value: tierNames[tierStandard], Count: c.tier[tierStandard]}, {Value: tierNames[tierPremium], Count: c.tier[tierPremium]}}
	if c.tier[tierUnknown] > 0 {
		tiers = append(tiers, FacetCount{Value: tierNames[tierUnknown], Count: c.tier[tierUnknown]})
	}
	out[FacetTier] = tiers
	products := make([]FacetCount, 0, len(catalog.Products))
	for i, p := range catalog.Products {
		if i < len(c.product) {
			products = append(products, FacetCount{Value: p, Count: c.product[i]})
		}
	}
	out[FacetProduct] = products
	pubs := make([]FacetCount, 0, 5)
	for code := pubMicrosoft; code <= pubCustom; code++ {
		pubs = append(pubs, FacetCount{Value: pubNames[code], Count: c.pub[code]})
	}
	if c.pub[pubUnknown] > 0 {
		pubs = append(pubs, FacetCount{Value: pubNames[pubUnknown], Count: c.pub[pubUnknown]})
	}
	out[FacetPublisherKind] = pubs
	out[FacetPreview] = []FacetCount{{Value: "true", Count: c.preview[1]}, {Value: "false", Count: c.preview[0]}}
	out[FacetDeprecated] = []FacetCount{{Value: "true", Count: c.deprecated[1]}, {Value: "false", Count: c.deprecated[0]}}
	return out
}

// factor adjusts bleve's score by what the document is.
func factor(e *entry) float64 {
	f := 1.0
	if e.kind == kindConnector {
		f *= factorConnector
	}
	if e.flags&flagImportant != 0 {
		f *= factorImportant
	}
	if e.flags&flagDeprecated != 0 {
		f *= factorDeprecated
	}
	if e.flags&flagInternal != 0 {
		f *= factorInternal
	}
	return f
}

// unranked reports whether the query is a single letter being typed: it
// matches a third of the catalogue, and word scores say nothing about so
// short a prefix, so hits come in the table's order (connectors by name,
// then important operations) and scoring is skipped: it was most of the
// cost of the slowest class of queries.
func unranked(words []qword) bool {
	return len(words) == 1 && words[0].prefix && utf8.RuneCountInString(words[0].whole) == 1
}

// checkEvery is how many matches pass between looks at ctx.
const checkEvery = 1024

// Search runs a query. An empty text matches everything the filters let
// through, connectors first by name, then operations (important ones
// first). It honours ctx and is safe for concurrent use.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	start := time.Now()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := compileFilters(ix.tab, q)
	if err != nil {
		return nil, err
	}
	limit, offset := q.Limit, max(q.Offset, 0)
	if limit <= 0 {
		limit = 20
	}
	col := &collector{t: ix.tab, f: f, k: offset + limit, facets: q.Facets}
	if col.k < 0 || col.k > len(ix.tab.entries) {
		col.k = len(ix.tab.entries)
	}
	words := parseQuery(q.Text)
	var comp *compiled
	var r bindex.IndexReader
	if len(words) == 0 {
		for ord := range ix.tab.entries {
			if ord%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			col.add(int32(ord), 0)
		}
	} else {
		r, err = ix.adv.Reader()
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		defer r.Close()
		comp, err = compile(ctx, r, words)
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", q.Text, err)
		}
		if err := ix.collect(ctx, r, comp.q, col, unranked(words)); err != nil {
			return nil, err
		}
	}
	top := col.sorted()
	res := &Result{Query: q.Text, Total: col.total}
	if offset < len(top) {
		top = top[offset:]
	} else {
		top = nil
	}
	res.Hits = make([]Hit, len(top))
	for i, s := range top {
		e := &ix.tab.entries[s.ord]
		res.Hits[i] = Hit{
			Kind:        kindNames[e.kind],
			ConnectorID: ix.tab.conns[e.conn].id,
			OperationID: e.opID,
			Score:       s.score,
		}
	}
	if q.Facets {
		res.Facets = col.facetCounts()
	}
	if q.Highlight && comp != nil && len(top) > 0 {
		if err := ix.highlight(ctx, r, comp.pairs, top, res.Hits); err != nil {
			return nil, err
		}
		for i := range res.Hits {
			h := &res.Hits[i]
			for _, p := range comp.opPrefixes {
				if h.OperationID != "" && len(HighlightSpans(h.OperationID, []string{p})) > 0 {
					addMatch(h, fOperation, p)
				}
			}
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

// collect runs the query and feeds every match to the collector.
func (ix *Index) collect(ctx context.Context, r bindex.IndexReader, q query.Query, col *collector, noScore bool) error {
	opts := search.SearcherOptions{}
	if noScore {
		opts.Score = "none"
	}
	s, err := q.Searcher(ctx, r, ix.bi.Mapping(), opts)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	defer s.Close()
	sctx := &search.SearchContext{
		DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0),
		IndexReader:       r,
	}
	byNum := ix.tab.byNum
	for n := 0; ; n++ {
		if n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		if dm == nil {
			return nil
		}
		num := dm.IndexInternalID.Value()
		if num < uint64(len(byNum)) {
			if ord := byNum[num]; ord >= 0 {
				col.add(ord, dm.Score*factor(&ix.tab.entries[ord]))
			}
		}
		sctx.DocumentMatchPool.Put(dm)
	}
}

// highlight fills Matches of the hits: for every term the query looked
// up, the hits whose field holds it. It seeks each term's postings to the
// hits only, so it costs little whatever the number of matches.
func (ix *Index) highlight(ctx context.Context, r bindex.IndexReader, pairs []matchPair, top []scored, hits []Hit) error {
	type hitNum struct {
		num uint64
		i   int
	}
	order := make([]hitNum, len(top))
	for i, s := range top {
		order[i] = hitNum{ix.tab.nums[s.ord], i}
	}
	slices.SortFunc(order, func(a, b hitNum) int {
		switch {
		case a.num < b.num:
			return -1
		case a.num > b.num:
			return 1
		}
		return 0
	})
	var id bindex.IndexInternalID
	tfd := &bindex.TermFieldDoc{}
	for _, p := range pairs {
		tfr, err := r.TermFieldReader(ctx, []byte(p.term), p.field, false, false, false)
		if err != nil {
			return err
		}
		if tfr.Count() == 0 {
			_ = tfr.Close()
			continue
		}
		for _, o := range order {
			id = bindex.NewIndexInternalID(id, o.num)
			d, err := tfr.Advance(id, tfd)
			if err != nil {
				_ = tfr.Close()
				return err
			}
			if d == nil {
				break
			}
			if d.ID.Value() == o.num {
				show := p.term
				if p.show != "" {
					show = p.show
				}
				addMatch(&hits[o.i], p.display, show)
			}
		}
		if err := tfr.Close(); err != nil {
			return err
		}
	}
	return nil
}

func addMatch(h *Hit, field, term string) {
	if h.Matches == nil {
		h.Matches = make(map[string][]string, 2)
	}
	if !slices.Contains(h.Matches[field], term) {
		h.Matches[field] = append(h.Matches[field], term)
	}
}
