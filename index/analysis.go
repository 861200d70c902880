package index

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names of our analysis components in bleve's registry and in the mapping.
const (
	// CamelFilterName is the token filter that splits camelCase words and
	// letter/digit boundaries while keeping the whole word.
	CamelFilterName = "connex_camel"
	// PartsFilterName is CamelFilterName without the joined runs of
	// parts: the whole word and its parts only, for the prefix fields.
	PartsFilterName    = "connex_camel_parts"
	textAnalyzerName   = "connex_text"
	prefixAnalyzerName = "connex_prefix"
	// EdgeFilterName emits the prefixes of each token, 1 to maxPrefixLen
	// runes, sharing the token's bytes (bleve's edge_ngram filter copies
	// every n-gram, which dominated the build).
	EdgeFilterName   = "connex_edge"
	uniqueFilterName = "connex_unique"
)

// maxPrefixLen is the longest word prefix indexed in the *_ng fields. A
// longer prefix typed by the user falls back to a prefix query, which is
// cheap at that length because few terms share it.
const maxPrefixLen = 20

// Bounds that keep hostile input (a 100 KB "word" in a description) from
// exploding into thousands of tokens.
const (
	maxParts      = 16 // more parts than this: keep the whole word only
	maxComboParts = 4  // longest run of adjacent parts joined into one token
)

func init() {
	if err := registry.RegisterTokenFilter(CamelFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return camelFilter{combos: maxComboParts}, nil
	}); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenFilter(EdgeFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return edgeFilter{}, nil
	}); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenFilter(PartsFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return camelFilter{combos: 1}, nil
	}); err != nil {
		panic(err)
	}
}

// camelFilter emits, for each token, the token itself followed by its
// camelCase / digit / punctuation parts and every run of up to
// maxComboParts adjacent parts joined together, all at the token's
// position. So "SendEmailV2" gives SendEmailV2, Send, SendEmail,
// SendEmailV, Email, EmailV, EmailV2, V, V2, 2 (lower-cased by the next
// filter): "send email", "sendemail", "emailv2" and "SendEmailV2" all find
// it, and "send_email" is found by "sendemail".
type camelFilter struct {
	combos int // longest run of parts joined (1: parts only)
}

func (cf camelFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(in)*2)
	for _, tok := range in {
		out = append(out, tok)
		parts := splitParts(tok.Term)
		if len(parts) == 0 {
			continue
		}
		first := len(out) - 1
		forEachCombo(tok.Term, parts, cf.combos, func(start, end int, term []byte) {
			for _, t := range out[first:] {
				if bytes.Equal(t.Term, term) {
					return
				}
			}
			out = append(out, &analysis.Token{
				Term:     term,
				Start:    tok.Start + start,
				End:      tok.Start + end,
				Position: tok.Position,
				Type:     tok.Type,
			})
		})
	}
	return out
}

// span is a byte range of a word.
type span struct{ start, end int }

// splitParts returns the parts of a word: runs of letters or digits split
// at lower->Upper, UPPER->Upper-lower ("HTTPRequest" -> HTTP, Request) and
// letter<->digit boundaries, with any other rune as a separator. It returns
// nil when the word is a single part with no separator (nothing to add) or
// has more than maxParts parts.
func splitParts(word []byte) []span {
	const (
		clsSep = iota
		clsLower
		clsUpper
		clsDigit
	)
	class := func(r rune) int {
		switch {
		case unicode.IsUpper(r):
			return clsUpper
		case unicode.IsLetter(r) || unicode.IsMark(r):
			return clsLower
		case unicode.IsDigit(r):
			return clsDigit
		}
		return clsSep
	}
	var parts []span
	start := -1
	prevCls, prevStart := clsSep, 0
	hadSep := false
	for i := 0; i < len(word); {
		r, size := utf8.DecodeRune(word[i:])
		c := class(r)
		if c == clsSep {
			hadSep = true
			if start >= 0 {
				parts = append(parts, span{start, i})
				start = -1
			}
		} else if start < 0 {
			start = i
		} else {
			boundary := false
			switch {
			case prevCls == clsLower && c == clsUpper:
				boundary = true
			case (prevCls == clsDigit) != (c == clsDigit):
				boundary = true
			case prevCls == clsUpper && c == clsLower && prevStart > start:
				// "HTTPRequest": the R starts the new part.
				parts = append(parts, span{start, prevStart})
				start = prevStart
			}
			if boundary {
				parts = append(parts, span{start, i})
				start = i
			}
		}
		prevCls, prevStart = c, i
		i += size
		if len(parts) > maxParts {
			return nil
		}
	}
	if start >= 0 {
		parts = append(parts, span{start, len(word)})
	}
	if len(parts) > maxParts || (len(parts) <= 1 && !hadSep) {
		return nil
	}
	return parts
}

// forEachCombo calls fn with every run of 1..combos adjacent parts of
// word, joined without separators, in order of start then length.
func forEachCombo(word []byte, parts []span, combos int, fn func(start, end int, term []byte)) {
	for i := range parts {
		var joined []byte
		for j := i; j < len(parts) && j < i+combos; j++ {
			joined = append(joined, word[parts[j].start:parts[j].end]...)
			term := make([]byte, len(joined))
			copy(term, joined)
			fn(parts[i].start, parts[j].end, term)
		}
	}
}

// wordForms returns the lower-cased forms of one query word the way the
// text analyzer indexes them: the whole word first, then its parts and
// joined runs of parts (nil parts when it has none).
func wordForms(word string) (whole string, parts []string) {
	whole = strings.ToLower(word)
	b := []byte(word)
	sp := splitParts(b)
	for _, p := range sp {
		parts = append(parts, strings.ToLower(string(b[p.start:p.end])))
	}
	return whole, parts
}

// analyzeTerms runs the text analysis of one value outside bleve, for
// tests and for the query side: the whole lower-cased token stream.
func analyzeTerms(text string) []string {
	toks := camelFilter{combos: maxComboParts}.Filter(newTokenizer().Tokenize([]byte(text)))
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, string(bytes.ToLower(t.Term)))
	}
	return out
}

func newTokenizer() analysis.Tokenizer { return unicodetok.NewUnicodeTokenizer() }

// edgeFilter replaces each token by its prefixes of 1..maxPrefixLen runes.
// The prefixes share the token's bytes: no filter after it may change
// terms in place.
type edgeFilter struct{}

func (edgeFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	n := 0
	for _, tok := range in {
		n += min(utf8.RuneCount(tok.Term), maxPrefixLen)
	}
	slab := make([]analysis.Token, n)
	out := make(analysis.TokenStream, 0, n)
	for _, tok := range in {
		count := 0
		for i := range tok.Term {
			if i == 0 {
				continue
			}
			if !utf8.RuneStart(tok.Term[i]) {
				continue
			}
			if count == maxPrefixLen {
				break
			}
			out = appendPrefix(out, slab, tok, i)
			count++
		}
		if count < maxPrefixLen && len(tok.Term) > 0 {
			out = appendPrefix(out, slab, tok, len(tok.Term))
		}
	}
	return out
}

func appendPrefix(out analysis.TokenStream, slab []analysis.Token, tok *analysis.Token, end int) analysis.TokenStream {
	t := &slab[len(out)]
	*t = analysis.Token{Term: tok.Term[:end:end], Start: tok.Start, End: tok.End, Position: tok.Position, Type: tok.Type}
	return append(out, t)
}
