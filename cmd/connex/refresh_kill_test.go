package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	"github.com/connex-dev/connex/internal/realdata"
)

// TestRefreshHelperProcess is not a test: TestRefreshSurvivesKill9 runs
// the test binary as connex through it, to kill it with SIGKILL.
func TestRefreshHelperProcess(t *testing.T) {
	if os.Getenv("CONNEX_REFRESH_HELPER") != "1" {
		t.Skip("helper process of TestRefreshSurvivesKill9")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(run(args, strings.NewReader(""), os.Stdout, os.Stderr))
}

// TestRefreshSurvivesKill9 kills refreshes with SIGKILL at random points
// (during the crawl, and at its end while the catalogue is saved): connex
// then reads either the old catalogue or the new one, never a mix, its
// index agrees with it, and the next refresh completes the work.
func TestRefreshSurvivesKill9(t *testing.T) {
	if raceBuild && os.Getenv(realdata.EnvRace) != "1" {
		// Nine child processes under the race detector take 90 s and
		// test crash consistency, not data races: make test runs this
		// in its pass without -race.
		t.Skip("skipped under -race: `make test` runs it without -race ($" + realdata.EnvRace + "=1 runs it here)")
	}
	t.Parallel()
	if testing.Short() {
		t.Skip("spawns processes")
	}
	const n = 120
	srv, base := refreshReplica(t, n)
	dir := t.TempDir()
	if code, _, errOut := connex(t, dir, "refresh", "--base-url", base, "--delay", "0", "--json"); code != 0 {
		t.Fatalf("first refresh: %s", errOut)
	}
	// The site changes: every display name. A mix of old and new
	// catalogues would show some renamed connectors and not others.
	renamed := refreshEntries(n)
	for i := range renamed {
		renamed[i].DisplayName = "Renamed " + renamed[i].DisplayName
	}
	srv.SetEntries(renamed)

	rng := rand.New(rand.NewPCG(7, 9))
	kills, resumedTotal := 0, 0
	for round := 0; round < 9; round++ {
		// Lines: two start events, one per page (resumed ones too), then
		// "done" while the catalogue is saved, then the report.
		after := 1 + rng.IntN(n+2)
		switch round % 3 {
		case 1:
			after = n + 2 + rng.IntN(2) // the "done" event: the save is under way
		case 2:
			after = 1 << 30 // no kill: the new catalogue goes in
		}
		completed, resumed, err := refreshKillAfter(t, dir, base, after)
		if err != nil {
			t.Fatal(err)
		}
		if !completed {
			kills++
		}
		resumedTotal += resumed
		cat, err := catalog.Load(filepath.Join(dir, catalog.SnapshotFile))
		if err != nil {
			t.Fatalf("round %d (killed after %d lines): catalogue unreadable: %v", round, after, err)
		}
		renamedCount := 0
		for _, c := range cat.Connectors {
			if strings.HasPrefix(c.Name, "Renamed ") {
				renamedCount++
			}
		}
		if len(cat.Connectors) != n || (renamedCount != 0 && renamedCount != n) {
			t.Fatalf("round %d (killed after %d lines): %d connectors, %d renamed: a mix", round, after, len(cat.Connectors), renamedCount)
		}
		if completed {
			t.Logf("round %d: ran to the end (%d pages resumed); %d of %d connectors renamed", round, resumed, renamedCount, n)
		} else {
			t.Logf("round %d: killed after %d lines; %d of %d connectors renamed", round, after, renamedCount, n)
		}
		ix, err := index.OpenOrBuild(context.Background(), filepath.Join(dir, "index"), cat)
		if err != nil {
			t.Fatalf("round %d: index: %v", round, err)
		}
		st := cat.Stats()
		if got := ix.DocCount(); got != st.Connectors+st.Operations {
			t.Errorf("round %d: index holds %d documents, catalogue %d connectors + %d operations", round, got, st.Connectors, st.Operations)
		}
		ix.Close()
		// The site always differs from the saved catalogue, so that every
		// round has a new catalogue to write.
		if renamedCount == n {
			srv.SetEntries(refreshEntries(n))
		} else {
			srv.SetEntries(renamed)
		}
	}
	if resumedTotal == 0 {
		t.Error("no refresh resumed the pages of a killed one")
	}
	if kills < 5 {
		t.Fatalf("%d refreshes killed, want at least 5", kills)
	}
	// A last refresh completes whatever was left.
	code, out, errOut := connex(t, dir, "refresh", "--base-url", base, "--delay", "0", "--json")
	if code != 0 {
		t.Fatalf("final refresh exit %d: %s", code, errOut)
	}
	_, rep := refreshLines(t, out)
	if rep.Failed != 0 || rep.Pages != n {
		t.Errorf("final report %+v", rep)
	}
	t.Logf("%d of 9 refreshes killed", kills)
}

// refreshKillAfter runs a refresh in a child process and kills it with
// SIGKILL after it printed after lines. It reports whether the refresh
// ended by itself first, and then how many pages it resumed.
func refreshKillAfter(t *testing.T, dir, base string, after int) (completed bool, resumed int, err error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestRefreshHelperProcess$", "--",
		"--data-dir", dir, "refresh", "--base-url", base, "--delay", "0", "--json")
	cmd.Env = append(os.Environ(), "CONNEX_REFRESH_HELPER=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return false, 0, err
	}
	if err := cmd.Start(); err != nil {
		return false, 0, err
	}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var out strings.Builder
	lines := 0
	for sc.Scan() {
		out.Write(sc.Bytes())
		out.WriteByte('\n')
		if lines++; lines == after {
			if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
				return false, 0, fmt.Errorf("kill: %w", err)
			}
			break
		}
	}
	for sc.Scan() {
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) && !ee.Exited() {
		return false, 0, nil // killed
	}
	if err != nil {
		return true, 0, fmt.Errorf("refresh ended by itself with %v", err)
	}
	_, rep := refreshLines(t, out.String())
	return true, rep.Resumed, nil
}
