package main

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// TestShippedBinaryLinksNoDevelopmentCode keeps test and development code
// out of the binary users install: the testing package (which registers
// its flags in every binary that links it), the site replica and the
// real-data finder. Tests may import them; test files are not in -deps.
func TestShippedBinaryLinksNoDevelopmentCode(t *testing.T) {
	t.Parallel()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH: cannot list the binary's dependencies")
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list -deps: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps listed %d packages: %q", len(deps), deps)
	}
	for _, bad := range shippedForbidden(deps) {
		t.Errorf("the shipped binary links %s", bad)
	}
}

// shippedForbidden returns the packages of deps the shipped binary must not
// link.
func shippedForbidden(deps []string) []string {
	var bad []string
	for _, p := range deps {
		switch {
		case p == "testing", strings.HasPrefix(p, "testing/"),
			p == "github.com/connex-dev/connex/internal/replica",
			p == "github.com/connex-dev/connex/internal/realdata",
			strings.HasPrefix(p, "github.com/connex-dev/connex/cmd/connex-replica"):
			bad = append(bad, p)
		}
	}
	return bad
}

func TestShippedForbiddenFindsEach(t *testing.T) {
	t.Parallel()
	deps := []string{"fmt", "testing", "testing/iotest", "github.com/connex-dev/connex/internal/replica",
		"github.com/connex-dev/connex/internal/realdata", "github.com/connex-dev/connex/index"}
	got := shippedForbidden(deps)
	want := []string{"testing", "testing/iotest", "github.com/connex-dev/connex/internal/replica", "github.com/connex-dev/connex/internal/realdata"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got %q, want %q", got, want)
	}
}
