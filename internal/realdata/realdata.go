// Package realdata finds the real data beside the repository
// (../shared/data) for tests and benchmarks, and skips them with a clear
// message when it is absent, so a fresh clone still passes.
package realdata

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvDir overrides where the shared data folder is.
const EnvDir = "CONNEX_SHARED_DATA"

// EnvRace, set to 1, runs the full-data tests under the race detector too.
// By default they skip there: the race detector makes them 5-10 times
// slower (minutes each) and finds nothing the small tests of the same code
// miss; `make test` runs them in a second pass without -race.
const EnvRace = "CONNEX_REALDATA_RACE"

// Dir returns the shared data folder, or skips the test when it is absent
// (or when the test runs under -race without $CONNEX_REALDATA_RACE=1).
func Dir(tb testing.TB) string {
	tb.Helper()
	if raceBuild && os.Getenv(EnvRace) != "1" {
		tb.Skip("full-data test skipped under -race: `make test` runs it without -race ($" + EnvRace + "=1 runs it here)")
	}
	dir, ok := Find()
	if !ok {
		tb.Skip("real data not found: ../shared/data beside the repository (or $" + EnvDir + ") is absent; skipping the full-data test")
	}
	return dir
}

// Find looks for the shared data folder without a test.
func Find() (string, bool) {
	if d := os.Getenv(EnvDir); d != "" {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d, true
		}
		return "", false
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(filepath.Dir(dir), "shared", "data")
			if st, err := os.Stat(d); err == nil && st.IsDir() {
				return d, true
			}
			return "", false
		}
		if filepath.Dir(dir) == dir {
			return "", false
		}
	}
}

// Tarball is the path of the connector definitions archive.
func Tarball(tb testing.TB) string {
	return filepath.Join(Dir(tb), "powerplatformconnectors.tar.gz")
}

// ReferenceList is the path of the reference site's connector list.
func ReferenceList(tb testing.TB) string {
	return filepath.Join(Dir(tb), "connector-reference-list.json")
}
