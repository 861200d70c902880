package index

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// HighlightSpans returns the byte ranges [start, end) of text to highlight
// for the matched terms of a hit (Hit.Matches[field]): every place where a
// term starts at a word or camelCase part of text, compared without case.
// Ranges are sorted and do not overlap. It never panics on any input.
func HighlightSpans(text string, terms []string) [][2]int {
	if text == "" || len(terms) == 0 {
		return nil
	}
	var starts []int
	for _, t := range newTokenizer().Tokenize([]byte(text)) {
		starts = append(starts, t.Start)
		for _, p := range splitParts(t.Term) {
			starts = append(starts, t.Start+p.start)
		}
	}
	slices.Sort(starts)
	starts = slices.Compact(starts)
	var spans [][2]int
	for _, s := range starts {
		best := -1
		for _, term := range terms {
			if end, ok := foldPrefix(text[s:], term); ok && s+end > best {
				best = s + end
			}
		}
		if best > s {
			spans = append(spans, [2]int{s, best})
		}
	}
	// Merge overlapping ranges.
	out := spans[:0]
	for _, sp := range spans {
		if n := len(out); n > 0 && sp[0] <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], sp[1])
			continue
		}
		out = append(out, sp)
	}
	return out
}

// foldPrefix reports whether text starts with term ignoring case, and the
// byte length of the matching part of text.
func foldPrefix(text, term string) (int, bool) {
	i := 0
	for _, tr := range term {
		if i >= len(text) {
			return 0, false
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.ToLower(r) != unicode.ToLower(tr) {
			return 0, false
		}
		i += size
	}
	return i, term != ""
}
