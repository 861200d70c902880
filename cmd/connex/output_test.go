package main

import (
	"fmt"
	"strings"
	"testing"
)

func TestPrintCapped(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n, max int
		want   string
	}{
		{0, 2, ""},
		{2, 2, "0\n1\n"},
		{5, 2, "0\n1\n  ... and 3 more\n"},
	} {
		var b strings.Builder
		printCapped(&b, c.n, c.max, "  ... and %d more\n", func(i int) { fmt.Fprintln(&b, i) })
		if b.String() != c.want {
			t.Errorf("printCapped(%d of %d) = %q, want %q", c.max, c.n, b.String(), c.want)
		}
	}
}
