package index

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/connex-dev/connex/catalog"
)

// ScanSearcher searches a catalogue by scanning it, without an index: the
// fallback when the index cannot be opened or built, and a searcher for
// tests. It shares the index's query parsing, word matching (whole words,
// camelCase parts, the word being typed as a prefix), filters, facets and
// most-words fallback (the side table and the collector), so the two
// answer the same filters with the same counts: one conformance suite
// runs against both. It differs in ranking, kept simple and predictable:
// per word, 3 when the name starts with it, 2 when the name holds it, 1
// elsewhere; ties go to connectors, then by name. It has no typo
// tolerance and no suggestions.
type ScanSearcher struct {
	tab  *table
	docs []scanDoc
	rank []int32 // tie-break order of each entry
}

// scanDoc holds one document's lower-case name and its analysed terms,
// each group as " term term ... " so that a word is a substring search.
type scanDoc struct {
	lname, name, op, conn, prose string
}

// NewScanSearcher prepares cat for scanning; it analyses every document
// once.
func NewScanSearcher(cat *catalog.Catalog) *ScanSearcher {
	p := newPlan(cat)
	s := &ScanSearcher{tab: p.tab, docs: make([]scanDoc, len(p.docs))}
	terms := func(texts ...string) string {
		var b strings.Builder
		b.WriteByte(' ')
		for _, t := range texts {
			for _, term := range analyzeTerms(t) {
				b.WriteString(term)
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	for ord, d := range p.docs {
		s.docs[ord] = scanDoc{
			lname: strings.ToLower(d.Name),
			name:  terms(d.Name, d.Alias),
			op:    terms(d.Operation),
			conn:  terms(d.Connector),
			prose: proseTerms(append([]string{d.Description, d.Publisher}, d.Categories...)...),
		}
	}
	order := make([]int32, len(s.docs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		ea, eb := &s.tab.entries[a], &s.tab.entries[b]
		if ca, cb := ea.kind == kindConnector, eb.kind == kindConnector; ca != cb {
			if ca {
				return -1
			}
			return 1
		}
		if c := strings.Compare(s.docs[a].lname, s.docs[b].lname); c != 0 {
			return c
		}
		return strings.Compare(s.tab.docID(int(a)), s.tab.docID(int(b)))
	})
	s.rank = make([]int32, len(order))
	for r, ord := range order {
		s.rank[ord] = int32(r)
	}
	return s
}

// scanWord is a query word with its needles made once per search.
type scanWord struct {
	w      qword
	whole  string   // " word "
	prefix string   // " word"
	parts  []string // " part " each
	runes  int
}

func newScanWords(words []qword) []scanWord {
	out := make([]scanWord, len(words))
	for i, w := range words {
		sw := scanWord{w: w, whole: " " + w.whole + " ", prefix: " " + w.whole, runes: utf8.RuneCountInString(w.whole)}
		if len(w.parts) > 1 {
			for _, p := range w.parts {
				sw.parts = append(sw.parts, " "+p+" ")
			}
		}
		out[i] = sw
	}
	return out
}

// proseTerms is terms for free text, where the index matches whole
// words only: the words lower-cased, split at anything but a letter or
// digit (the index's tokenizer and camelCase parts cost ten times more
// on the catalogue's 3 MB of descriptions, for the same whole words).
func proseTerms(texts ...string) string {
	var b strings.Builder
	b.WriteByte(' ')
	for _, t := range texts {
		for _, w := range strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			b.WriteString(strings.ToLower(w))
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// score is how well the document matches the words (see ScanSearcher);
// ok is false when a required word is missing; matched counts the words
// found.
func (d *scanDoc) score(words []scanWord) (score float64, matched int, ok bool) {
	ok = true
	for i := range words {
		w := &words[i]
		switch {
		case strings.HasPrefix(d.lname, w.w.whole):
			score += 3
		case w.in(d.name, true):
			score += 2
		case d.elsewhere(w):
			score++
		default:
			if !w.w.optional {
				ok = false
			}
			continue
		}
		matched++
	}
	return score, matched, ok
}

// elsewhere reports whether the word is outside the name, as the index
// looks for it: in the operation id (as a prefix too, from minOpPrefix
// letters), in the connector's name, or in the prose fields (from
// minDescWord letters).
func (d *scanDoc) elsewhere(w *scanWord) bool {
	return w.in(d.op, w.runes >= minOpPrefix) || w.in(d.conn, false) ||
		w.runes >= minDescWord && w.in(d.prose, false)
}

// in reports whether the terms hold the word: whole, as a prefix when it
// is being typed (and prefixes count here), or all its camelCase parts.
func (w *scanWord) in(terms string, prefixes bool) bool {
	if w.w.prefix && prefixes {
		if strings.Contains(terms, w.prefix) {
			return true
		}
	} else if strings.Contains(terms, w.whole) {
		return true
	}
	if len(w.parts) == 0 {
		return false
	}
	for _, p := range w.parts {
		if !strings.Contains(terms, p) {
			return false
		}
	}
	return true
}

// Search runs q over the catalogue. It honours ctx and every filter of
// Query; Highlight reports the query words found in the name ("name") and
// elsewhere ("description"). Like Index.Search, it falls back to most of
// the words when every word finds little (Result.Partial).
func (s *ScanSearcher) Search(ctx context.Context, q Query) (*Result, error) {
	start := time.Now()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := compileFilters(s.tab, q)
	if err != nil {
		return nil, err
	}
	words := parseQuery(q.Text)
	sws := newScanWords(words)
	col := newCollector(s.tab, f, q)
	col.rank = s.rank
	col.pin = s.tab.resolve(q.Text)
	all := col
	partial := false
	for pass := 0; pass < 2; pass++ {
		need := requiredMatches(words, pass == 1)
		for ord := range s.docs {
			if ord%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			if len(words) == 0 {
				col.add(int32(ord), 0)
				continue
			}
			sc, matched, ok := s.docs[ord].score(sws)
			if pass == 1 {
				ok = matched >= need
				sc *= float64(matched) / float64(len(words))
			}
			if ok {
				col.add(int32(ord), sc)
			}
		}
		if col.pin >= 0 && !col.pinSeen {
			col.add(col.pin, 0)
		}
		if pass == 1 || col.pin >= 0 || !needsFallback(words, col.total) {
			break
		}
		col = newCollector(s.tab, f, q)
		col.rank = s.rank
	}
	if col != all {
		if col.total > all.total {
			partial = true
		} else {
			col = all
		}
	}
	res, top := s.tab.result(col, q)
	res.Partial = partial
	if q.Highlight {
		for i := range res.Hits {
			h := &res.Hits[i]
			d := &s.docs[top[i].ord]
			for i := range sws {
				w := &sws[i]
				switch {
				case strings.HasPrefix(d.lname, w.w.whole) || w.in(d.name, true):
					addMatch(h, fName, w.w.whole)
				case d.elsewhere(w):
					addMatch(h, fDescription, w.w.whole)
				}
			}
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

// requiredMatches is how many words a document must hold: every word
// that is not optional, or in the fallback most of them (more than half,
// at least one).
func requiredMatches(words []qword, fallback bool) int {
	n := 0
	for _, w := range words {
		if !w.optional {
			n++
		}
	}
	if fallback {
		return max(1, n/2+n%2)
	}
	return n
}
