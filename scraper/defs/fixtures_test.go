package defs_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestMain lays out the fixture tree testdata/defs from testdata/defs.txtar
// (see the archive's comment) before any test runs.
func TestMain(m *testing.M) {
	if err := extractFixtures("testdata/defs.txtar", "testdata/defs"); err != nil {
		fmt.Fprintln(os.Stderr, "scraper tests:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func extractFixtures(archive, dir string) error {
	ar, err := txtar.ParseFile(archive)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for _, f := range ar.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
