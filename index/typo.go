package index

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	bindex "github.com/blevesearch/bleve_index_api"
)

// Typos are looked up in a small dictionary of the index's name and
// alias terms held in memory (about 20,000 words for the union of both
// samples), with a bounded edit distance: a bleve fuzzy query builds a
// Levenshtein automaton per word, which cost ~0.7 MB and most of the
// time of a two-typo query. The dictionary is read from the index once,
// at the first typo, and also gives the "did you mean" suggestions.

// maxTypoTerms caps the near spellings of one word.
const maxTypoTerms = 16

// Field bits of a dictionary term.
const (
	inName uint8 = 1 << iota
	inAlias
)

// typoDict is the sorted name and alias terms with their document
// frequencies.
type typoDict struct {
	terms  []string
	freq   []uint32
	fields []uint8
}

// loadTypoDict reads the dictionary of the name and alias fields.
func loadTypoDict(r bindex.IndexReader) (*typoDict, error) {
	d := &typoDict{}
	idx := map[string]int{}
	for _, f := range []struct {
		name string
		bit  uint8
	}{{fName, inName}, {fAlias, inAlias}} {
		dict, err := r.FieldDict(f.name)
		if err != nil {
			return nil, err
		}
		for {
			e, err := dict.Next()
			if err != nil {
				_ = dict.Close()
				return nil, err
			}
			if e == nil {
				break
			}
			if utf8.RuneCountInString(e.Term) > maxWordLen {
				continue
			}
			if i, ok := idx[e.Term]; ok {
				d.freq[i] += uint32(e.Count)
				d.fields[i] |= f.bit
				continue
			}
			idx[e.Term] = len(d.terms)
			d.terms = append(d.terms, e.Term)
			d.freq = append(d.freq, uint32(e.Count))
			d.fields = append(d.fields, f.bit)
		}
		if err := dict.Close(); err != nil {
			return nil, err
		}
	}
	order := make([]int, len(d.terms))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return d.terms[order[a]] < d.terms[order[b]] })
	sorted := &typoDict{terms: make([]string, len(order)), freq: make([]uint32, len(order)), fields: make([]uint8, len(order))}
	for i, o := range order {
		sorted.terms[i], sorted.freq[i], sorted.fields[i] = d.terms[o], d.freq[o], d.fields[o]
	}
	return sorted, nil
}

// typoCand is a near spelling of a word.
type typoCand struct {
	term   string // the dictionary term (or its prefix, for a word being typed)
	dist   int
	freq   uint32
	fields uint8
}

// near lists the terms within maxDist edits of word (an insertion,
// deletion, substitution or transposition of adjacent letters is one
// edit) that start with its first letter, closest first, then most
// frequent, at most limit. With prefix, word is being typed: a term
// matches when one of its prefixes is near, and that prefix is returned.
func (d *typoDict) near(word string, maxDist int, prefix bool, limit int) []typoCand {
	var wbuf [maxWordLen]rune
	w := wbuf[:0]
	for _, r := range word {
		if len(w) == len(wbuf) {
			break
		}
		w = append(w, r)
	}
	if len(w) == 0 {
		return nil
	}
	_, size := utf8.DecodeRuneInString(word)
	first := word[:size]
	lo := sort.SearchStrings(d.terms, first)
	var out []typoCand
	var tbuf [maxWordLen]rune
	var last [maxWordLen + 1]int
	for i := lo; i < len(d.terms) && strings.HasPrefix(d.terms[i], first); i++ {
		term := d.terms[i]
		n := utf8.RuneCountInString(term)
		if !prefix && (n < len(w)-maxDist || n > len(w)+maxDist) || prefix && n < len(w)-maxDist {
			continue
		}
		t := tbuf[:0]
		for _, r := range term {
			t = append(t, r)
		}
		dist := editDistance(w, t, maxDist, prefix, &last)
		if dist > maxDist || dist == 0 {
			continue // too far, or the word as typed: not a typo
		}
		if !prefix {
			out = append(out, typoCand{term: term, dist: dist, freq: d.freq[i], fields: d.fields[i]})
			continue
		}
		// Every near prefix ("postbx" is near "postb", "postbo" and
		// "postbox"), for highlighting the longest.
		for j := max(1, len(w)-maxDist); j <= min(len(t), len(w)+maxDist); j++ {
			if last[j] <= maxDist {
				out = append(out, typoCand{term: string(t[:j]), dist: last[j], freq: d.freq[i], fields: d.fields[i]})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b typoCand) int {
		if a.dist != b.dist {
			return a.dist - b.dist
		}
		return int(b.freq) - int(a.freq)
	})
	// Several terms may share a near prefix: keep each once.
	kept := out[:0]
	for _, c := range out {
		if len(kept) == limit {
			break
		}
		if !slices.ContainsFunc(kept, func(k typoCand) bool { return k.term == c.term }) {
			kept = append(kept, c)
		}
	}
	return kept
}

// editDistance is the optimal string alignment distance between w and t
// or, with prefix, between w and the nearest prefix of t; last receives
// the distance from w to each prefix of t (up to len(w)+maxDist runes).
// It gives up with maxDist+1 as soon as every alignment costs more than
// maxDist.
func editDistance(w, t []rune, maxDist int, prefix bool, last *[maxWordLen + 1]int) int {
	cols := len(t)
	if prefix {
		cols = min(len(t), len(w)+maxDist, maxWordLen)
	}
	var rows [3][maxWordLen + 1]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= cols; j++ {
		prev[j] = j
	}
	for i := 1; i <= len(w); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= cols; j++ {
			cost := 1
			if w[i-1] == t[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && w[i-1] == t[j-2] && w[i-2] == t[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		if best > maxDist {
			return maxDist + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	copy(last[:cols+1], prev[:cols+1])
	if !prefix {
		return prev[cols]
	}
	dist := maxDist + 1
	for j := max(0, len(w)-maxDist); j <= cols; j++ {
		dist = min(dist, prev[j])
	}
	return dist
}

// maxSuggestions is how many "did you mean" queries a result offers.
const maxSuggestions = 3

// suggest offers queries for a text that found nothing: its words with
// each unknown one (of 3 letters or more) replaced by a near term of the
// dictionary (up to 2 edits; 1 below 5 letters), the closest and most
// frequent first. The first unknown word gives the alternatives; later
// ones take their best spelling, and words found with typos their
// closest spelling.
func suggest(d *typoDict, words []qword, unknown []string, alts map[string][]string) []string {
	best := map[string][]typoCand{}
	for _, u := range unknown {
		n := utf8.RuneCountInString(u)
		if n < 3 {
			continue
		}
		maxDist := 2
		if n < 5 {
			maxDist = 1
		}
		if cands := d.near(u, maxDist, false, maxSuggestions); len(cands) > 0 {
			best[u] = cands
		}
	}
	if len(best) == 0 {
		return nil
	}
	var out []string
	for alt := 0; alt < maxSuggestions; alt++ {
		var b strings.Builder
		varied := false
		for i, w := range words {
			if i > 0 {
				b.WriteByte(' ')
			}
			cands := best[w.whole]
			switch {
			case len(cands) == 0 && len(alts[w.whole]) > 0:
				b.WriteString(alts[w.whole][0]) // found with a typo: its spelling
			case len(cands) == 0:
				b.WriteString(w.whole)
			case !varied && alt < len(cands):
				b.WriteString(cands[alt].term)
				varied = true
			default:
				b.WriteString(cands[0].term)
			}
		}
		if !varied {
			break
		}
		if s := b.String(); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
