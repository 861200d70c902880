// Package atomicfile replaces a file atomically on every OS connex runs on.
//
// WriteFile writes a temporary file beside the target, flushes it to disk
// and renames it over the target, so a reader (or a crash) sees either the
// old content or the new one, never a mix. google/renameio does the same
// but is Unix-only; here os.Rename is enough everywhere because on Windows
// it is MoveFileEx with MOVEFILE_REPLACE_EXISTING, which replaces an
// existing file in one step.
package atomicfile

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile replaces path with data, atomically, leaving the file with
// mode perm (not reduced by the umask, as the files connex writes need an
// exact mode: 0600 for secrets, 0644 for the rest). The folder must
// exist. On failure the target is untouched and no temporary file is left.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return WriteParts(path, perm, data)
}

// WriteParts is WriteFile for content made of several buffers, written one
// after the other: a large file built in pieces need not be copied into
// one buffer first. Small parts are gathered into larger writes.
func WriteParts(path string, perm os.FileMode, parts ...[]byte) (err error) {
	dir := filepath.Dir(path)
	// The temporary file lives in the target's folder so that the rename
	// never crosses a file system (which would copy instead of rename).
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	w := bufio.NewWriterSize(f, 256<<10)
	for _, p := range parts {
		if _, err = w.Write(p); err != nil {
			return err
		}
	}
	if err = w.Flush(); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	// Without the sync a crash soon after the rename can leave an empty
	// file under the target's name on file systems that delay data writes.
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = rename(tmp, path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}
