package index

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/lazyre"
)

// Ranking priors. bleve scores how well the words match (BM25 per field,
// with the field boosts of query.go); these factors then weigh what the
// data says about each document and how the query relates to its names.
// They were tuned with the relevance suite (suite_test.go: the shared
// relevance-queries.json and our own cases on the union of both
// samples), never by naming connectors.
const (
	// What a document is (static, from the table).
	factorConnector  = 1.5 // a connector over its operations, all else equal
	factorImportant  = 1.25
	factorAdvanced   = 0.8
	factorDeprecated = 0.5
	factorInternal   = 0.6
	factorSuperseded = 0.6 // an older version of a family
	factorMicrosoft  = 1.3 // publisher kinds: Microsoft's first
	factorCertified  = 1.05
	factorCustom     = 0.9
	// Standard tier: a connector every licence includes, which makers
	// reach for first (the tier is known from the Power Platform API
	// or the reference site; unknown counts as premium).
	factorStandard = 1.1
	// Per ln(1 + the connector's important operations, weighed by
	// markWeight) and per ln(1 + its deprecated operations, at most as
	// many as its visible ones): see prominence.
	factorProminence = 0.1
	factorHistory    = 0.1
	// How the query relates to the document's names (per query).
	// A connector the query names is lifted to the best hit's score
	// times this (and its static factor): liftExact when the query
	// holds its whole name or an id, else liftPartial plus liftPerShare
	// times the share of its name's words the query holds.
	liftExact    = 1.0
	liftPartial  = 0.45
	liftPerShare = 0.3
	// liftPhrase: an operation named exactly as the query scores at
	// least this share of the best bleve score kept (before priors).
	liftPhrase       = 0.8
	factorPhraseAll  = 2.5 // the operation's name is exactly the query
	factorPhraseHead = 2.0 // the operation's name starts with the query
	factorPhrase     = 1.6 // the query is a phrase inside the name
	factorPhraseConn = 1.3 // the rest of the query names the connector
	factorStrict     = 1.3 // exactly the query's words (its stop words too, when it has any)
)

// rerankPool is how many of the best hits by bleve's score and the
// static priors are weighed again with the phrase priors, which need the
// operation's name; lower hits rarely climb into the first page.
const rerankPool = 200

// dampen is applied to bleve's score: its square root, so that the
// priors weigh more against how many fields a word happens to repeat in
// (an operation id "CreateEvent" beside its name "Create event").
func dampen(score float64) float64 { return math.Sqrt(score) }

// staticFactor weighs what document ord is (computed once per table).
func (t *table) staticFactor(ord int32) float64 { return float64(t.static[ord]) }

// computeStatic fills the static factor of every entry, and the product
// sets found.
func (t *table) computeStatic() {
	prom, marks := t.prominence()
	t.static = make([]float32, len(t.entries))
	for i := range t.entries {
		e := &t.entries[i]
		t.static[i] = float32(t.computeFactor(e, prom[e.conn], marks[e.conn]))
		t.productSets[e.products] = true
	}
}

// opCounts are what a connector's operation documents say of it.
type opCounts struct {
	visible    int32 // neither internal nor deprecated
	deprecated int32
}

// prominence weighs each connector by how central it is to makers, from
// what its operations say: how many its publisher marks important (as
// far as the marks single some out: markWeight, also returned for each
// connector), and how many deprecated operations it keeps beside its
// visible ones (history).
//
// History is a proxy for how long and how widely a connector has been
// used: a publisher deprecates an operation it revised instead of
// removing it because flows still call it, so the connectors makers
// have built on for years carry their past versions (Office 365
// Outlook: 59 deprecated operations; SendGrid 3; SQL Server 9, the other
// databases none). The count is capped at the visible operations: a
// connector kept mostly for its past is not central (and its connector
// document is weighed down by its live share).
func (t *table) prominence() ([]float64, []float64) {
	counts := make([]opCounts, len(t.conns))
	for i := range t.entries {
		e := &t.entries[i]
		c := &counts[e.conn]
		switch {
		case e.kind == kindConnector:
		case e.flags&flagDeprecated != 0:
			c.deprecated++
		case e.flags&flagInternal == 0:
			c.visible++
		}
	}
	prom := make([]float64, len(t.conns))
	marks := make([]float64, len(t.conns))
	for i, c := range counts {
		important := float64(t.conns[i].important)
		history := float64(min(c.deprecated, c.visible))
		marks[i] = markWeight(c.visible, important)
		prom[i] = (1 + factorProminence*math.Log1p(important*marks[i])) *
			(1 + factorHistory*math.Log1p(history))
	}
	return prom, marks
}

// markWeight says how much a publisher's "important" marks on a
// connector tell (0 or 1), from its visible operations and how many are
// marked. A mark singles an operation out from the others: when every
// visible operation is marked, nothing is singled out, and the marks
// count for nothing. Some publishers mark all of their 8, 17 or 174
// operations, which then outranked the connectors makers use most
// ("send email" gave SendGrid's before Office 365 Outlook's, "excel add
// row" two such connectors' operations before Excel Online's, "http
// request" a connector's whose 18 operations are all marked). One
// unmarked operation is enough for the marks to count: SQL Server and
// Dataverse mark all but one of the few operations they show (most of
// theirs are internal). A connector of one or two operations keeps its
// marks: there is little to single out there. The weight applies to the
// connector's prominence and to the factor of each marked operation.
func markWeight(visible int32, important float64) float64 {
	if important > float64(visible) || important == float64(visible) && visible > 2 {
		return 0
	}
	return 1
}

// anyHasProducts reports whether some document is in every product of
// the mask.
func (t *table) anyHasProducts(mask uint8) bool {
	for set, ok := range t.productSets {
		if ok && uint8(set)&mask == mask {
			return true
		}
	}
	return false
}

// computeFactor weighs what the document is; prom is its connector's
// prominence and marks the weight of its publisher's important marks
// (see prominence).
func (t *table) computeFactor(e *entry, prom, marks float64) float64 {
	f := 1.0
	ci := &t.conns[e.conn]
	if e.kind == kindConnector {
		f *= factorConnector
		// Mostly deprecated connectors are the old ones.
		f *= 0.7 + 0.3*float64(ci.live)/100
	}
	// How central the connector (and so its operations) is to makers.
	f *= prom
	if e.flags&flagImportant != 0 {
		f *= 1 + (factorImportant-1)*marks
	}
	if e.flags&flagAdvanced != 0 {
		f *= factorAdvanced
	}
	if e.flags&flagDeprecated != 0 {
		f *= factorDeprecated
	}
	if e.flags&flagInternal != 0 {
		f *= factorInternal
	}
	if e.flags&flagSuperseded != 0 {
		f *= factorSuperseded
	}
	if e.tier == tierStandard {
		f *= factorStandard
	}
	switch e.pub {
	case pubMicrosoft:
		f *= factorMicrosoft
	case pubCertified:
		f *= factorCertified
	case pubCustom:
		f *= factorCustom
	}
	return f
}

// isVersionWord reports a version word of a name ("v2", "v3.1") or a
// noise word that says nothing of what an operation does.
func isVersionWord(w string) bool {
	if w == "deprecated" || w == "preview" {
		return true
	}
	if len(w) < 2 || w[0] != 'v' {
		return false
	}
	_, ok := parseVersion(w[1:])
	return ok
}

// parseVersion reads "3", "3.1" or "3_1".
func parseVersion(s string) (float64, bool) {
	major, minor, ok := s, "", true
	if i := strings.IndexAny(s, "._"); i >= 0 {
		major, minor = s[:i], s[i+1:]
		ok = minor != ""
	}
	if !ok || major == "" || !allDigits(major) || !allDigits(minor) {
		return 0, false
	}
	v, err := strconv.ParseFloat(major, 64)
	if err != nil {
		return 0, false
	}
	if minor != "" {
		m, err := strconv.ParseFloat("0."+minor, 64)
		if err != nil {
			return 0, false
		}
		v += m
	}
	return v, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// nameWords splits a name into lower-case words at anything but a
// letter, a digit or a dot inside a word ("v3.1", "outlook.com" stay
// whole).
func nameWords(name string) []string {
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.'
	})
	out := words[:0]
	for _, w := range words {
		if w = strings.Trim(w, "."); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// rankWords is a name as the priors compare it: its words, lower case,
// without version and noise words, nor the words of drop (a publisher's
// name), nor stop words unless keepStop, space separated: "Send an email
// (V2)" -> "send an email" (keepStop) or "send email".
func rankWords(name, drop string, keepStop bool) string {
	var dropWords []string
	if drop != "" {
		dropWords = strings.Fields(rankWords(drop, "", false))
	}
	var b strings.Builder
	for _, w := range nameWords(name) {
		if stopWords[w] && !keepStop || isVersionWord(w) || containsWord(dropWords, w) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

func containsWord(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

// independentSuffix is how independent publishers' connectors name
// themselves; it is not part of what a user calls them.
var independentSuffix = lazyre.New(`(?i)\s*\(independent publisher\)\s*$`)

func newConnInfo(c *catalog.Connector) connInfo {
	ci := connInfo{id: c.ID, publisher: strings.ToLower(c.Publisher), live: 100}
	ids := append([]string{c.ID}, c.Aliases...)
	for i := range ids {
		ids[i] = strings.ToLower(ids[i])
	}
	ci.ids = strings.Join(ids, " ")
	name := independentSuffix.ReplaceAllString(c.Name, "")
	var names []string
	for _, text := range append([]string{name}, c.Aliases...) {
		if strings.HasPrefix(strings.ToLower(text), "shared_") {
			continue // the API name: kept whole below; "shared" names every connector
		}
		for _, t := range analyzeTerms(text) {
			if !containsWord(names, t) {
				names = append(names, t)
			}
		}
	}
	for _, id := range ids {
		// The API name is not among the names: hasWord matches a prefix
		// being typed at any word's start, and "shar" would name every
		// connector through its shared_<id>. naming finds it whole in ids.
		if !containsWord(names, id) && !strings.HasPrefix(id, "shared_") {
			names = append(names, id)
		}
	}
	ci.names = strings.Join(names, " ")
	ci.cover = rankWords(name, c.Publisher, false)
	if ci.cover == "" {
		ci.cover = rankWords(name, "", false)
	}
	ops, dep := 0, 0
	for _, op := range c.Operations {
		if op == nil {
			continue
		}
		ops++
		if op.Deprecated {
			dep++
		} else if op.Visibility == catalog.VisibilityImportant && ci.important < 255 {
			ci.important++
		}
	}
	if ops > 0 {
		ci.live = uint8((ops - dep) * 100 / ops)
	}
	return ci
}

// familyVersion splits an id into its family and version: "SendEmailV2"
// -> ("sendemail", 2), "CreateTask_V4" -> ("createtask", 4),
// "SentimentV3_1" -> ("sentiment", 3.1), "foo" -> ("foo", 1).
func familyVersion(id string) (string, float64) {
	i := strings.LastIndexAny(id, "vV")
	if i <= 0 {
		return strings.ToLower(id), 1
	}
	v, ok := parseVersion(id[i+1:])
	fam := strings.TrimSuffix(strings.TrimSuffix(id[:i], "_"), "-")
	if !ok || fam == "" {
		return strings.ToLower(id), 1
	}
	return strings.ToLower(fam), v
}

// supersededOperations marks the operations of c that have a newer
// version in their family that is neither deprecated nor internal.
func supersededOperations(c *catalog.Connector, out map[*catalog.Operation]bool) {
	newest := map[string]float64{}
	for _, op := range c.Operations {
		if op == nil || op.Deprecated || op.Visibility == catalog.VisibilityInternal {
			continue
		}
		fam, v := familyVersion(op.ID)
		newest[fam] = max(newest[fam], v)
	}
	for _, op := range c.Operations {
		if op == nil {
			continue
		}
		if fam, v := familyVersion(op.ID); v < newest[fam] {
			out[op] = true
		}
	}
}

// supersededConnectors marks connectors with a newer version: an id with
// a higher version and the same name but for version words
// ("powerappsnotification", "Power Apps Notification" beside
// "powerappsnotificationv2", "Power Apps Notification V2").
func supersededConnectors(conns []*catalog.Connector) map[*catalog.Connector]bool {
	family := func(c *catalog.Connector) (string, float64) {
		fam, v := familyVersion(c.ID)
		return fam + "|" + rankWords(c.Name, "", false), v
	}
	newest := map[string]float64{}
	for _, c := range conns {
		if c.Deprecated {
			continue
		}
		fam, v := family(c)
		newest[fam] = max(newest[fam], v)
	}
	out := map[*catalog.Connector]bool{}
	for _, c := range conns {
		if fam, v := family(c); v < newest[fam] {
			out[c] = true
		}
	}
	return out
}

// rankQuery is what the query-time priors need of the query.
type rankQuery struct {
	words []qword  // required words
	all   []string // every word, stop words too
	// phrase: the non-stop words in order; last is being typed when
	// prefix.
	phrase []string
	prefix bool
	// stops: the query holds a stop word ("send an email"), so that a
	// name with the very same words is meant more than one without.
	stops bool
	// alts are near spellings of words found only with typos: they
	// name connectors as the words would.
	alts map[string][]string
}

func newRankQuery(words []qword) *rankQuery {
	rq := &rankQuery{}
	for _, w := range words {
		if !w.optional {
			rq.words = append(rq.words, w)
		}
		if len(w.parts) > 1 && strings.ContainsAny(w.whole, "_-.") {
			// "send_email" is the phrase "send email".
			rq.phrase = append(rq.phrase, w.parts...)
			rq.all = append(rq.all, w.parts...)
			continue
		}
		if !stopWords[w.whole] || w.prefix {
			rq.phrase = append(rq.phrase, w.whole)
		} else {
			rq.stops = true
		}
		rq.all = append(rq.all, w.whole)
	}
	if n := len(words); n > 0 && words[n-1].prefix {
		rq.prefix = true
	}
	return rq
}

// rerank weighs the kept hits with the phrase priors. The name's words
// matter more than how often they repeat in other fields, so an
// operation whose name is the query (phraseLift and up) first has its
// bleve score raised to liftPhrase of the best one kept.
func (t *table) rerank(c *collector, rq *rankQuery) {
	type weighed struct{ base, phrase, static float64 }
	w := make([]weighed, len(c.heap))
	top := 0.0
	for i, s := range c.heap {
		e := &t.entries[s.ord]
		w[i] = weighed{phrase: 1, static: t.staticFactor(s.ord)}
		w[i].base = s.score / w[i].static
		if e.kind != kindConnector && s.ord != c.pin {
			w[i].phrase = rq.phraseWeight(t.opWords(int(s.ord)), &t.conns[e.conn])
			top = max(top, w[i].base)
		}
	}
	for i := range c.heap {
		if c.heap[i].ord == c.pin {
			continue
		}
		b := w[i].base
		if w[i].phrase >= factorPhraseAll {
			b = max(b, top*liftPhrase)
		}
		c.heap[i].score = b * w[i].static * w[i].phrase
	}
}

// eachWord calls fn with each space-separated word of s until it returns
// false.
func eachWord(s string, fn func(w string) bool) {
	for s != "" {
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			fn(s)
			return
		}
		if !fn(s[:i]) {
			return
		}
		s = s[i+1:]
	}
}

// hasWord reports whether the space-separated list holds w (or, when
// prefix, a word starting with w).
func hasWord(list, w string, prefix bool) bool {
	return hasWordEnding(list, w, prefix, "")
}

// hasPlural reports whether the space-separated list holds w with an s
// (without building that word: it runs for every hit kept).
func hasPlural(list, w string) bool {
	return w != "" && hasWordEnding(list, w, false, "s")
}

// hasWordEnding reports whether the list holds w followed by suffix as a
// word (or, when prefix, a word starting with w).
func hasWordEnding(list, w string, prefix bool, suffix string) bool {
	if strings.IndexByte(w, ' ') >= 0 {
		return false // no word of the list holds a space
	}
	if w == "" {
		// As the word walk: only an empty word of the list matches.
		found := false
		eachWord(list, func(x string) bool {
			found = x == "" || prefix
			return !found
		})
		return found
	}
	// Each place w occurs, when it starts a word (and, unless prefix,
	// ends one after suffix): cheaper than walking the words, which was
	// most of the time of naming on a query matching hundreds of
	// connectors.
	for at := 0; ; {
		i := strings.Index(list[at:], w)
		if i < 0 {
			return false
		}
		i += at
		end := i + len(w)
		if (i == 0 || list[i-1] == ' ') && (prefix ||
			strings.HasPrefix(list[end:], suffix) && (end+len(suffix) == len(list) || list[end+len(suffix)] == ' ')) {
			return true
		}
		at = i + 1
	}
}

// naming says how the query names a connector: every required word
// among its name's words or ids gives a lift (see collector.lift); the
// lift is full when the query also holds its whole name (publisher's
// words aside) or one of its ids, and otherwise grows with the share of
// the name's words the query holds. 0: not named.
func (rq *rankQuery) naming(ci *connInfo) float64 {
	if len(rq.words) == 0 {
		return 0
	}
	exactID := false
	for _, w := range rq.words {
		prefix := w.prefix && utf8.RuneCountInString(w.whole) >= 3
		// strings.Contains first: most connectors a word matches do
		// not have it in their names, and a search of the string is
		// cheaper than a walk over its words.
		if !(strings.Contains(ci.names, w.whole) && hasWord(ci.names, w.whole, prefix)) &&
			!slices.ContainsFunc(rq.alts[w.whole], func(a string) bool { return hasWord(ci.names, a, prefix) }) &&
			!hasWord(ci.ids, w.whole, false) {
			return 0
		}
		exactID = exactID || hasWord(ci.ids, w.whole, false)
	}
	if exactID {
		return liftExact
	}
	covered, words := 0, 0
	eachWord(ci.cover, func(c string) bool {
		words++
		for _, w := range rq.words {
			if w.whole == c || w.prefix && strings.HasPrefix(c, w.whole) ||
				slices.ContainsFunc(rq.alts[w.whole], func(a string) bool { return a == c || w.prefix && strings.HasPrefix(c, a) }) {
				covered++
				break
			}
		}
		return true
	})
	if words > 0 && covered == words {
		return liftExact
	}
	share := 0.0
	if words > 0 {
		share = float64(covered) / float64(words)
	}
	return liftPartial + liftPerShare*share
}

// phraseWeight weighs an operation document by how its name (rankWords
// with stop words, which the comparison skips but for factorStrict)
// relates to the query's words in order: the same words, the name's
// first words, or a run of words inside it. The words that name the
// operation's connector (or its plural) may be left out of the phrase
// ("planner create task" is "Create a task" in Planner).
func (rq *rankQuery) phraseWeight(words string, ci *connInfo) float64 {
	if len(rq.phrase) == 0 || words == "" {
		return 1
	}
	best := phraseFactor(words, rq.phrase, rq.prefix)
	if best == factorPhraseAll && (!rq.stops || sameWords(words, rq.all, rq.prefix)) {
		// The very words, stop words too: "send an email" is "Send an
		// email (V2)" more than "Send email". A query without stop
		// words prefers neither: "send email" is typed for both.
		best *= factorStrict
	}
	// The same without the words naming the connector.
	var rest []string
	for _, w := range rq.phrase {
		// The plural names the connector as the word does: "user
		// profile" is "Get user profile" of Office 365 Users.
		if !hasWord(ci.names, w, false) && !hasPlural(ci.names, w) {
			rest = append(rest, w)
		}
	}
	if len(rest) > 0 && len(rest) < len(rq.phrase) {
		lastIsPrefix := rq.prefix && rest[len(rest)-1] == rq.phrase[len(rq.phrase)-1]
		if f := phraseFactor(words, rest, lastIsPrefix) * factorPhraseConn; f > best && f > factorPhraseConn {
			best = f
		}
	}
	return best
}

// sameWords reports whether the name's words are exactly all.
func sameWords(words string, all []string, prefix bool) bool {
	i, ok := 0, true
	eachWord(words, func(w string) bool {
		switch {
		case i >= len(all):
			ok = false
		case i == len(all)-1 && prefix:
			ok = strings.HasPrefix(w, all[i])
		default:
			ok = w == all[i]
		}
		i++
		return ok
	})
	return ok && i == len(all)
}

// phraseFactor compares the words of a name with a phrase.
func phraseFactor(words string, phrase []string, prefix bool) float64 {
	match := func(i int, w string) bool {
		if i == len(phrase)-1 && prefix {
			return strings.HasPrefix(w, phrase[i])
		}
		return w == phrase[i]
	}
	// Count the name's words and find the phrase as a run.
	n, run, at := 0, 0, -1
	eachWord(words, func(w string) bool {
		if stopWords[w] {
			return true
		}
		if at < 0 {
			if match(run, w) {
				run++
				if run == len(phrase) {
					at = n - run + 1
				}
			} else {
				run = 0
				if match(0, w) {
					run = 1
					if run == len(phrase) {
						at = n
					}
				}
			}
		}
		n++
		return true
	})
	switch {
	case at < 0:
		return 1
	case at == 0 && n == len(phrase):
		return factorPhraseAll
	case at == 0:
		return factorPhraseHead
	}
	return factorPhrase
}
