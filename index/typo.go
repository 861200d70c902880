package index

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	bindex "github.com/blevesearch/bleve_index_api"
)

// Typos are looked up in a small dictionary of the index's name and
// alias terms held in memory (about 11,000 words for the union of both
// samples), with a bounded edit distance: a bleve fuzzy query builds a
// Levenshtein automaton per word, which cost ~0.7 MB and most of the
// time of a two-typo query. The dictionary is written into the side
// table at build (reading it from bleve's term dictionaries took tens of
// milliseconds), decoded at the first typo, and also gives the "did you
// mean" suggestions.

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

// recordTypoDict reads the dictionary from the built index into the
// table, encoded: count, then per term its text, frequency and fields.
func (t *table) recordTypoDict(adv bindex.Index) error {
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	d, err := loadTypoDict(r)
	if err != nil {
		return err
	}
	var b []byte
	b = binary.AppendUvarint(b, uint64(len(d.terms)))
	for i, term := range d.terms {
		b = binary.AppendUvarint(b, uint64(len(term)))
		b = append(b, term...)
		b = binary.AppendUvarint(b, uint64(d.freq[i]))
		b = append(b, d.fields[i])
	}
	t.typoRaw = string(b)
	return nil
}

// decodeTypoDict decodes recordTypoDict's encoding; the terms are
// substrings of raw.
func decodeTypoDict(raw string) (*typoDict, error) {
	pos := 0
	uv := func() (uint64, bool) {
		v, n := binary.Uvarint([]byte(raw[pos:min(len(raw), pos+binary.MaxVarintLen64)]))
		if n <= 0 {
			return 0, false
		}
		pos += n
		return v, true
	}
	count, ok := uv()
	if !ok || count > maxDocs {
		return nil, fmt.Errorf("typo dictionary: %w", errCorruptTable)
	}
	d := &typoDict{terms: make([]string, 0, count), freq: make([]uint32, 0, count), fields: make([]uint8, 0, count)}
	for range count {
		l, ok := uv()
		if !ok || l > uint64(len(raw)-pos) {
			return nil, fmt.Errorf("typo dictionary: %w", errCorruptTable)
		}
		term := raw[pos : pos+int(l)]
		pos += int(l)
		f, ok := uv()
		if !ok || pos >= len(raw) {
			return nil, fmt.Errorf("typo dictionary: %w", errCorruptTable)
		}
		d.terms = append(d.terms, term)
		d.freq = append(d.freq, uint32(f))
		d.fields = append(d.fields, raw[pos])
		pos++
	}
	if pos != len(raw) || !slices.IsSorted(d.terms) {
		return nil, fmt.Errorf("typo dictionary: %w", errCorruptTable)
	}
	return d, nil
}

// typoCand is a near spelling of a word.
type typoCand struct {
	term   string // the dictionary term (or its prefix, for a word being typed)
	dist   int
	freq   uint32
	fields uint8
}

// maxTypoRows bounds the rows of the distance table: a word of at most
// maxWordLen bytes against term prefixes up to 2 bytes longer.
const maxTypoRows = maxWordLen + 3

// near lists the terms within maxDist edits of word (an insertion,
// deletion, substitution or transposition of adjacent bytes is one edit;
// a non-ASCII letter may count as two) that start with its first letter,
// closest first, then most frequent, at most limit. With prefix, word is
// being typed: a term matches when one of its prefixes is near, and the
// near prefixes are returned.
//
// The terms are sorted, so consecutive terms share prefixes: the table
// of distances (a row per byte of the term, a column per byte of the
// word) is kept between terms and only the rows past the shared prefix
// are computed; a row whose every cell is over maxDist rules out every
// term starting with that prefix. A word costs a few microseconds per
// thousand terms of its letter.
func (d *typoDict) near(word string, maxDist int, prefix bool, limit int) []typoCand {
	if len(word) > maxWordLen {
		word = word[:maxWordLen]
	}
	n := len(word)
	if n == 0 {
		return nil
	}
	_, size := utf8.DecodeRuneInString(word)
	first := word[:size]
	maxDist = min(maxDist, 2)
	maxLen := n + maxDist // longest term (or prefix of one) worth a look
	var rows [maxTypoRows][maxWordLen + 1]uint8
	for j := 0; j <= n; j++ {
		rows[0][j] = uint8(j)
	}
	var out []typoCand
	prev, valid, dead := "", 0, -1
	for i := sort.SearchStrings(d.terms, first); i < len(d.terms) && strings.HasPrefix(d.terms[i], first); i++ {
		term := d.terms[i]
		if len(term) < n-maxDist || !prefix && len(term) > maxLen {
			continue
		}
		p := 0
		for p < len(prev) && p < len(term) && prev[p] == term[p] {
			p++
		}
		if dead >= 0 && p >= dead {
			continue // shares a prefix already too far from the word
		}
		dead = -1
		last := min(len(term), maxLen)
		k := min(p, valid) + 1
		for ; k <= last; k++ {
			row, up := &rows[k], &rows[k-1]
			row[0] = uint8(k)
			best := row[0]
			for j := 1; j <= n; j++ {
				cost := uint8(1)
				if term[k-1] == word[j-1] {
					cost = 0
				}
				v := min(up[j]+1, row[j-1]+1, up[j-1]+cost)
				if k > 1 && j > 1 && term[k-1] == word[j-2] && term[k-2] == word[j-1] {
					v = min(v, rows[k-2][j-2]+1)
				}
				row[j] = v
				best = min(best, v)
			}
			if int(best) > maxDist {
				dead = k
				k++
				break
			}
		}
		valid = k - 1
		prev = term
		if !prefix {
			if valid >= len(term) && dead < 0 {
				if dist := int(rows[len(term)][n]); dist <= maxDist && dist > 0 {
					out = append(out, typoCand{term: term, dist: dist, freq: d.freq[i], fields: d.fields[i]})
				}
			}
			continue
		}
		// Every near prefix ("postbx" is near "postb", "postbo" and
		// "postbox"), for highlighting the longest; the word as typed
		// is no typo.
		exact := false
		for j := max(1, n-maxDist); j <= valid && j <= maxLen; j++ {
			exact = exact || j == n && rows[j][n] == 0
		}
		if exact {
			continue
		}
		for j := max(1, n-maxDist); j <= valid && j <= maxLen; j++ {
			if dist := int(rows[j][n]); dist <= maxDist && utf8.RuneStart(byteAt(term, j)) {
				out = append(out, typoCand{term: term[:j], dist: dist, freq: d.freq[i], fields: d.fields[i]})
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

// byteAt is s[i], or a rune start past the end.
func byteAt(s string, i int) byte {
	if i >= len(s) {
		return 0
	}
	return s[i]
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
