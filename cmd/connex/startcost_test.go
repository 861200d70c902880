package main

import (
	"bytes"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// maxOwnInitBytes bounds what one connex package may allocate at package
// initialisation. Every process pays every linked package's init before
// main runs, `connex --version` included (issue 11: <= 10 ms of CPU); a
// regexp.MustCompile, a goldmark.New or a table built in a package-level
// var costs from 2 KB to 200 KB there. Build such things at first use
// (internal/lazyre, sync.OnceValue). The small maps and slices connex
// packages declare stay well under this.
const maxOwnInitBytes = 8 << 10

// initCost is one package's line of GODEBUG=inittrace=1.
type initCost struct {
	pkg           string
	bytes, allocs int
}

// parseInitTrace reads the runtime's init trace lines ("init PKG @T ms,
// C ms clock, B bytes, A allocs"); other lines are ignored.
func parseInitTrace(trace string) []initCost {
	var out []initCost
	for _, line := range strings.Split(trace, "\n") {
		f := strings.Fields(strings.ReplaceAll(line, ",", ""))
		// init PKG @T ms C ms clock B bytes A allocs
		if len(f) != 11 || f[0] != "init" || f[8] != "bytes" || f[10] != "allocs" {
			continue
		}
		b, err1 := strconv.Atoi(f[7])
		a, err2 := strconv.Atoi(f[9])
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, initCost{pkg: f[1], bytes: b, allocs: a})
	}
	return out
}

// heavyOwnInits lists connex's own packages whose init allocates more
// than maxOwnInitBytes; the test binary's main and the development
// packages the shipped binary does not link (shippedForbidden) are not
// counted.
func heavyOwnInits(costs []initCost) []string {
	var bad []string
	for _, c := range costs {
		if strings.HasPrefix(c.pkg, "github.com/connex-dev/connex/") && c.bytes > maxOwnInitBytes &&
			len(shippedForbidden([]string{c.pkg})) == 0 {
			bad = append(bad, c.pkg+" ("+strconv.Itoa(c.bytes)+" bytes, "+strconv.Itoa(c.allocs)+" allocs)")
		}
	}
	return bad
}

// TestOwnPackagesInitLight runs this test binary again, with nothing to
// test, under GODEBUG=inittrace=1: it links every package the connex
// binary links (test files of other packages are not linked), so their
// inits are the shipped binary's.
func TestOwnPackagesInitLight(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	costs := parseInitTrace(stderr.String())
	// Without these the trace was not read: the test would pass on nothing.
	for _, want := range []string{"github.com/connex-dev/connex/catalog", "github.com/connex-dev/connex/platform", "github.com/connex-dev/connex/scraper/site"} {
		if !slices.ContainsFunc(costs, func(c initCost) bool { return c.pkg == want }) {
			t.Fatalf("no init line for %s in:\n%s", want, stderr.String())
		}
	}
	for _, bad := range heavyOwnInits(costs) {
		t.Errorf("package init allocates too much for a process start: %s", bad)
	}
}

func TestHeavyOwnInitsFindsEach(t *testing.T) {
	t.Parallel()
	trace := `init internal/bytealg @0.010 ms, 0 ms clock, 0 bytes, 0 allocs
init github.com/yuin/goldmark/extension @27 ms, 1.8 ms clock, 264240 bytes, 2049 allocs
init github.com/connex-dev/connex/platform @31 ms, 0.33 ms clock, 219112 bytes, 2858 allocs
init github.com/connex-dev/connex/catalog @12 ms, 0.10 ms clock, 6984 bytes, 116 allocs
init github.com/connex-dev/connex/scraper/site @29 ms, 0.059 ms clock, 20576 bytes, 85 allocs
init main @31 ms, 0.02 ms clock, 90000 bytes, 17 allocs
init github.com/connex-dev/connex/internal/replica @31 ms, 0.05 ms clock, 16280 bytes, 49 allocs
not a trace line
`
	costs := parseInitTrace(trace)
	if len(costs) != 7 || costs[2] != (initCost{"github.com/connex-dev/connex/platform", 219112, 2858}) {
		t.Fatalf("parsed %+v", costs)
	}
	got := heavyOwnInits(costs)
	want := []string{
		"github.com/connex-dev/connex/platform (219112 bytes, 2858 allocs)",
		"github.com/connex-dev/connex/scraper/site (20576 bytes, 85 allocs)",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
