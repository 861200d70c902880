package platform_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connex-dev/connex/platform"
)

// The runtime URL is asked of the Power Apps API once a week, not at every
// call: its reply is the connector's whole definition.
func TestRuntimeURLIsKept(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Hour)
	dir := t.TempDir()
	client := func() *platform.Client { // a new process each time
		return platform.New(f.cred, platform.Options{
			Endpoints: platform.Endpoints{PowerApps: f.fake.URL, BAP: f.fake.URL, ARM: f.fake.URL},
			Now:       f.clock, CacheDir: dir,
		})
	}
	asked := func() int {
		n := 0
		for _, r := range f.fake.Requests() {
			if strings.HasSuffix(r.Path, "/apis/shared_sharepointonline") {
				n++
			}
		}
		return n
	}
	want := f.fake.URL + "/apim/sharepointonline"
	ctx := context.Background()
	for i, step := range []struct {
		advance time.Duration
		env     string
		asked   int
	}{
		{0, env, 1},                  // first: asked
		{0, env, 1},                  // kept
		{6 * 24 * time.Hour, env, 1}, // still within the week
		{2 * 24 * time.Hour, env, 2}, // over a week since it was learnt: asked again
		{0, env, 2},                  // and kept again
	} {
		f.advance(step.advance)
		got, err := client().RuntimeURL(ctx, step.env, "sharepointonline")
		if err != nil || got != want || asked() != step.asked {
			t.Fatalf("step %d: %q, %v, asked %d times; want %q, asked %d", i, got, err, asked(), want, step.asked)
		}
	}
	// A damaged file is a missed shortcut, not an error, and is rewritten.
	if err := os.WriteFile(filepath.Join(dir, "runtimes.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{3, 3} {
		if got, err := client().RuntimeURL(ctx, env, "sharepointonline"); err != nil || got != want || asked() != n {
			t.Fatalf("after damage: %q, %v, asked %d times, want %d", got, err, asked(), n)
		}
	}
	// Without a cache folder, every call asks.
	nocache := platform.New(f.cred, platform.Options{
		Endpoints: platform.Endpoints{PowerApps: f.fake.URL, BAP: f.fake.URL, ARM: f.fake.URL}, Now: f.clock})
	for _, n := range []int{4, 5} {
		if _, err := nocache.RuntimeURL(ctx, env, "sharepointonline"); err != nil || asked() != n {
			t.Fatalf("without a cache: %v, asked %d times, want %d", err, asked(), n)
		}
	}
}
