//go:build unix

package defs_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/connex-dev/connex/scraper/defs"
)

// TestImportRefusesFIFO: opening a FIFO would block until a writer
// comes; it is refused from its mode, unopened.
func TestImportRefusesFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "source.tar.gz")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	res, err := defs.Import(context.Background(), []string{p}, opts())
	if !errors.Is(err, defs.ErrBadSource) || len(res.Failed) != 1 ||
		!strings.Contains(res.Failed[0].Error, "not a regular file or a directory (p---------)") {
		t.Errorf("err %v, failed %+v", err, res.Failed)
	}
}
