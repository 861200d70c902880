//go:build unix

package catalog

import (
	"os"
	"syscall"
)

// readSnapshot maps the snapshot into memory read-only instead of copying
// it: a load then touches only the pages it decodes (schemas stay on disk
// until read), which is most of what makes it fast. The mapping is never
// unmapped because the catalogue's strings point into it; snapshots are
// replaced by rename, never rewritten in place, so the mapped file never
// changes under us.
func readSnapshot(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if size == 0 || size != int64(int(size)) {
		return os.ReadFile(path)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return os.ReadFile(path)
	}
	return data, nil
}
