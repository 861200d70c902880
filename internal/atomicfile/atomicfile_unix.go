//go:build unix

package atomicfile

import "os"

func rename(from, to string) error { return os.Rename(from, to) }

// syncDir makes the rename itself durable. It is best effort: the file's
// content is already safe, and some file systems refuse to sync a folder.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
