package index

import (
	"context"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// A query of several required words is a conjunction of one disjunction
// per word (the word in each field). bleve scores it by leapfrogging the
// words' matches: each step advances a word's disjunction and scores the
// document it lands on, so "create r" (2,400 and 3,700 matches, 274 in
// common) scored thousands of documents to keep 274. Instead, the
// documents holding every word are found first without scores (bleve
// then ANDs and ORs the postings' bitmaps), and the scored conjunction
// gets one more clause that only holds those documents: it leads the
// leapfrog, so only the matches are scored.
//
// The clause weighs 0 and scores 0, so every score is what it was to the
// last bit: the conjunction's query norm sums the clauses' weights and
// its score their scores, and adding 0 changes neither sum; bleve orders
// the clauses by their match counts with an insertion sort (stable) for
// up to 12 clauses, and the candidates, fewest, come first, so the words
// keep their order.

// maxCandidateClauses: with more clauses bleve's sort is not stable, and
// the sums could be taken in another order.
const maxCandidateClauses = 12

// scored is the query to score: restricted to the documents that match
// it, found without scores, when it is a conjunction of several words
// (of at most maxCandidateClauses-1); else the query itself.
func (c *compiled) scored(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping) (query.Query, error) {
	if len(c.must) < 2 || len(c.must)+1 > maxCandidateClauses {
		return c.q, nil
	}
	nums, err := matchNums(ctx, r, m, c.q)
	if err != nil {
		return nil, err
	}
	if len(nums) == 0 {
		return query.NewMatchNoneQuery(), nil
	}
	must := make([]query.Query, 0, len(c.must)+1)
	must = append(must, &candidateQuery{nums: nums})
	must = append(must, c.must...)
	if len(c.should) == 0 {
		return query.NewConjunctionQuery(must), nil
	}
	return query.NewBooleanQuery(must, c.should, nil), nil
}

// matchNums lists the internal numbers of the documents matching q, in
// order, without scoring.
func matchNums(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, q query.Query) ([]uint64, error) {
	s, err := q.Searcher(ctx, r, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer s.Close()
	sctx := &search.SearchContext{
		DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0),
		IndexReader:       r,
	}
	var nums []uint64
	for n := 0; ; n++ {
		if n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if dm == nil {
			return nums, nil
		}
		nums = append(nums, dm.IndexInternalID.Value())
		sctx.DocumentMatchPool.Put(dm)
	}
}

// candidateQuery matches the listed documents (internal numbers, in
// order) with weight and score 0.
type candidateQuery struct{ nums []uint64 }

func (q *candidateQuery) Searcher(context.Context, bindex.IndexReader, mapping.IndexMapping, search.SearcherOptions) (search.Searcher, error) {
	return &candidateSearcher{nums: q.nums}, nil
}

type candidateSearcher struct {
	nums []uint64
	next int
}

func (s *candidateSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.next >= len(s.nums) {
		return nil, nil
	}
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = bindex.NewIndexInternalID(dm.IndexInternalID, s.nums[s.next])
	dm.Score = 0
	s.next++
	return dm, nil
}

func (s *candidateSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	target := id.Value()
	i, _ := slices.BinarySearch(s.nums[s.next:], target)
	s.next += i
	return s.Next(ctx)
}

func (s *candidateSearcher) Close() error               { return nil }
func (s *candidateSearcher) Weight() float64            { return 0 }
func (s *candidateSearcher) SetQueryNorm(float64)       {}
func (s *candidateSearcher) Count() uint64              { return uint64(len(s.nums)) }
func (s *candidateSearcher) Min() int                   { return 0 }
func (s *candidateSearcher) Size() int                  { return 64 + 8*cap(s.nums) }
func (s *candidateSearcher) DocumentMatchPoolSize() int { return 1 }
