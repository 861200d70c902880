package lazyre

import (
	"slices"
	"sync"
	"testing"
)

func TestNotCompiledUntilUsed(t *testing.T) {
	// An invalid pattern panics at the first use, not at New: proof that
	// New compiled nothing.
	r := New(`(`)
	if r.String() != `(` {
		t.Fatalf("String() = %q", r.String())
	}
	defer func() {
		if recover() == nil {
			t.Fatal("the first use of an invalid pattern did not panic")
		}
	}()
	r.MatchString("x")
}

func TestMethodsAsRegexp(t *testing.T) {
	r := New(`(\w+)-(\d+)`)
	if !r.MatchString("abc-12") || r.MatchString("abc") {
		t.Fatal("MatchString")
	}
	if got := r.FindStringSubmatch("x abc-12 y"); !slices.Equal(got, []string{"abc-12", "abc", "12"}) {
		t.Fatalf("FindStringSubmatch = %q", got)
	}
	if got := r.FindAllStringSubmatchIndex("a-1 b-2", -1); len(got) != 2 || !slices.Equal(got[1], []int{4, 7, 4, 5, 6, 7}) {
		t.Fatalf("FindAllStringSubmatchIndex = %v", got)
	}
	if got := r.ReplaceAllString("a-1 b-2", "$2$1"); got != "1a 2b" {
		t.Fatalf("ReplaceAllString = %q", got)
	}
	if r.Regexp() != r.Regexp() {
		t.Fatal("compiled twice")
	}
}

func TestConcurrentFirstUse(t *testing.T) {
	r := New(`^a+$`)
	var wg sync.WaitGroup
	got := make([]bool, 8)
	for i := range got {
		wg.Add(1)
		go func() { defer wg.Done(); got[i] = r.MatchString("aaa") }()
	}
	wg.Wait()
	if slices.Contains(got, false) {
		t.Fatalf("got %v", got)
	}
}
