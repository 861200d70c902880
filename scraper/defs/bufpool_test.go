package defs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/scraper/defs"
)

// TestReusedBuffersAreNotKept: file and cleaned-text buffers are reused
// from one file to the next, so nothing imported may point into them. The
// import is run with every buffer given back overwritten (0xAA) and
// dropped, then with buffers reused: both must give the same catalogue,
// warnings and failures, byte for byte, which fails when any kept text or
// schema is a slice of a buffer given back.
// Not parallel: SetPoisonFreed is the package's state.
func TestReusedBuffersAreNotKept(t *testing.T) {
	checkBuffersNotKept(t, fixtures, fixtureTarball(t))
}

// TestReusedBuffersAreNotKeptRealData is the same on both real archives
// (every defect of the real files goes through the pooled buffers); it
// runs in the full-data pass, not under -race (two imports of both
// samples took 53 s there).
func TestReusedBuffersAreNotKeptRealData(t *testing.T) {
	dir := realdata.Dir(t)
	checkBuffersNotKept(t, filepath.Join(dir, "powerplatformconnectors.tar.gz"), filepath.Join(dir, "powerplatform-apis.tar.gz"))
}

func checkBuffersNotKept(t *testing.T, sources ...string) {
	t.Helper()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	run := func() []byte {
		res, err := defs.Import(context.Background(), sources, defs.ImportOptions{Workers: 2, Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	restore := defs.SetPoisonFreed()
	poisoned := run()
	restore()
	// Raw schemas are marshalled as they are, texts with invalid UTF-8
	// replaced: a run of either is poison (never valid UTF-8 text).
	if bytes.Contains(poisoned, bytes.Repeat([]byte{0xAA}, 8)) || bytes.Contains(poisoned, []byte(strings.Repeat(`\ufffd`, 8))) {
		t.Error("the import keeps text from a buffer it gave back (overwritten with 0xAA)")
	}
	reused := run()
	if !bytes.Equal(poisoned, reused) {
		i := 0
		for i < min(len(poisoned), len(reused)) && poisoned[i] == reused[i] {
			i++
		}
		t.Errorf("imports differ when buffers are reused, from byte %d:\npoisoned: %.200s\n  reused: %.200s", i, poisoned[i:], reused[i:])
	}
}

// fixtureTarball is the fixture tree as a .tar.gz: archives are read into
// pooled buffers.
func fixtureTarball(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "fixtures.tar.gz")
	if err := os.WriteFile(path, writeTarGz(t, fixtures, "powerplatformconnectors", nil), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
