package index

import (
	"context"
	"math"
	"testing"
)

// Restricting a query of several words to its unscored matches keeps
// every match and every score to the last bit.
func TestCandidatesKeepScores(t *testing.T) {
	ix, err := NewMemory(testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	all := &filters{preview: -1, connector: -1, deprecated: DeprecatedInclude, internal: true}
	run := func(text string, candidates bool) (col *collector, n int) {
		t.Helper()
		r, err := ix.adv.Reader()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		words := parseQuery(text)
		comp, err := compile(ctx, r, words, ix.typos)
		if err != nil {
			t.Fatal(err)
		}
		q := comp.q
		if candidates {
			if q, err = comp.scored(ctx, r, ix.bi.Mapping()); err != nil {
				t.Fatal(err)
			}
			if q == comp.q {
				t.Fatalf("%q: candidates not used", text)
			}
			nums, err := matchNums(ctx, r, ix.bi.Mapping(), comp.q)
			if err != nil {
				t.Fatal(err)
			}
			n = len(nums)
		}
		col = newCollector(ix.tab, all, Query{Limit: 100})
		if err := ix.collect(ctx, r, q, col, newRankQuery(words)); err != nil {
			t.Fatal(err)
		}
		return col, n
	}
	for _, tt := range []struct {
		text string
		want int // documents holding every word
	}{
		{"send email", 2}, // SendEmailV2 and SendEmail (deprecated)
		{"send an e", 2},  // a stop word (optional) and a word being typed
		{"get items", 1},
		{"send message", 2}, // SendMessage, and SendEmailV2 by its description
		{"when a new", 1},
		{"acme mail send", 2},
		{"nothing matches", 0},
	} {
		plain, _ := run(tt.text, false)
		cand, n := run(tt.text, true)
		if n != tt.want || int(plain.total) != n || cand.total != plain.total {
			t.Errorf("%q: %d candidates, %d and %d matches, want %d", tt.text, n, plain.total, cand.total, tt.want)
		}
		a, b := plain.sorted(), cand.sorted()
		if len(a) != len(b) {
			t.Fatalf("%q: %d and %d hits", tt.text, len(a), len(b))
		}
		for i := range a {
			if a[i].ord != b[i].ord || math.Float64bits(a[i].score) != math.Float64bits(b[i].score) {
				t.Errorf("%q hit %d: %d %v, with candidates %d %v", tt.text, i, a[i].ord, a[i].score, b[i].ord, b[i].score)
			}
		}
	}
}
