package index

import (
	"context"
	"slices"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
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
	boostAlias       = 3.0
)

// Query bounds: longer input is cut, not refused.
const (
	maxWords   = 12
	maxWordLen = 64
	// Fuzziness by word length (in runes): none below fuzzyMin, 1 up to
	// fuzzy2Min, then 2. Typos are only looked for in the names and
	// aliases (the typo dictionary, typo.go), and only when the word
	// matches nothing as typed.
	fuzzyMin = 4
	// minDescWord: shorter words are looked for in names only.
	minDescWord = 4
	// minOpPrefix: shorter prefixes are not expanded in operation ids.
	minOpPrefix = 4
	fuzzy2Min   = 7
	// maxFuzzyTerms caps the terms a typed prefix expands to in operation ids
	// (in lexical order, so the shorter words of a stem first).
	maxFuzzyTerms = 32
)

// textField is one searched field: its name, boost, and the field name
// reported in Hit.Matches.
type textField struct {
	name    string
	boost   float64
	display string
	prose   bool // free text, where short words are noise
}

var (
	nameField = textField{fName, boostName, fName, false}
	opField   = textField{fOperation, boostOperation, fOperation, false}
)

var exactFields = []textField{
	nameField,
	{fAlias, boostAlias, fAlias, false},
	opField,
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
	// must and should are the queries of the required and optional
	// words, kept for the most-words fallback.
	must, should []query.Query
	typos        func() (*typoDict, error)
	// unknown are the required words that matched nothing, even with
	// typos, for the suggestions.
	unknown []string
	// alts are the near spellings of the words found only with typos,
	// by word, for the ranking priors.
	alts map[string][]string
}

// compile builds the bleve query for the words. It looks at the term
// dictionaries to decide per word whether typo tolerance is needed.
func compile(ctx context.Context, r bindex.IndexReader, words []qword, typos func() (*typoDict, error)) (*compiled, error) {
	c := &compiled{typos: typos}
	for _, w := range words {
		wq, err := c.word(ctx, r, w)
		if err != nil {
			return nil, err
		}
		if w.optional {
			c.should = append(c.should, wq)
		} else {
			c.must = append(c.must, wq)
		}
	}
	switch {
	case len(c.must) == 1 && len(c.should) == 0:
		c.q = c.must[0]
	case len(c.should) == 0:
		c.q = query.NewConjunctionQuery(c.must)
	default:
		c.q = query.NewBooleanQuery(c.must, c.should, nil)
	}
	return c, nil
}

// mostWords is the fallback query: documents holding most of the
// required words (see requiredMatches). A disjunction scores by the share
// of its clauses matched, so documents matching more words rank higher.
func (c *compiled) mostWords(words []qword) query.Query {
	d := query.NewDisjunctionQuery(c.must)
	d.SetMin(float64(requiredMatches(words, true)))
	if len(c.should) == 0 {
		return d
	}
	return query.NewBooleanQuery([]query.Query{d}, c.should, nil)
}

// fallbackBelow: a query of several words whose every-word matches are
// fewer than this also shows documents matching most of its words.
const fallbackBelow = 5

// needsFallback reports whether a query that found total hits with every
// word should fall back to most words.
func needsFallback(words []qword, total uint64) bool {
	return total < fallbackBelow && requiredMatches(words, false) >= 2
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
			err = expand(nameField)
		}
		if err != nil {
			return nil, err
		}
		if runes >= minOpPrefix {
			// Operation ids have no n-grams (they would double the
			// build); a prefix of 4+ letters expands to few ids. When
			// the prefix is itself a term of the ids ("create"), its
			// clause above already finds every id with that part, and
			// the expansion (createrecord, createitem...) only cost time.
			n := len(c.pairs)
			has, err := docFreq(ctx, r, w.whole, opField.name)
			if err != nil {
				return nil, err
			}
			if has == 0 {
				if err := expand(opField); err != nil {
					return nil, err
				}
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
	if !found && runes >= fuzzyMin {
		fz := 1
		if runes >= fuzzy2Min {
			fz = 2
		}
		dict, err := c.typos()
		if err != nil {
			return nil, err
		}
		// Near spellings from the dictionary of name and alias terms;
		// for the word being typed, near prefixes of them, looked up in
		// name_ng (which holds the prefixes of names and aliases).
		var group []query.Query
		for _, cand := range dict.near(w.whole, fz, w.prefix, maxTypoTerms) {
			// Each edit costs: a near spelling ranks below the exact
			// one.
			boost := 0.8 / float64(1+cand.dist)
			fields := []textField{nameField}
			switch {
			case w.prefix:
				if utf8.RuneCountInString(cand.term) > maxPrefixLen {
					continue
				}
				fields = prefixFields
			case cand.fields == inAlias:
				fields = exactFields[1:2]
			case cand.fields == inName|inAlias:
				fields = exactFields[:2]
			}
			for _, f := range fields {
				tq := query.NewTermQuery(cand.term)
				tq.SetField(f.name)
				tq.SetBoost(f.boost * boost)
				group = append(group, tq)
				c.pairs = append(c.pairs, matchPair{term: cand.term, field: f.name, display: f.display})
			}
			if c.alts == nil {
				c.alts = map[string][]string{}
			}
			c.alts[w.whole] = append(c.alts[w.whole], cand.term)
		}
		if g := oneOf(group); g != nil {
			clauses = append(clauses, g)
			found = true
		}
	}
	if !found && !w.optional {
		c.unknown = append(c.unknown, w.whole)
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
