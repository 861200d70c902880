//go:build windows

package atomicfile

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

// rename retries for a short while when the target is held open by
// another process: on Windows a virus scanner or the search indexer often
// opens a freshly written file for a moment, and MoveFileEx then fails
// with a sharing violation or access denied although nothing is wrong.
func rename(from, to string) error {
	var err error
	delay := 5 * time.Millisecond
	for attempt := 0; attempt < 8; attempt++ {
		if err = os.Rename(from, to); err == nil || !transient(err) {
			return err
		}
		time.Sleep(delay)
		delay *= 2
	}
	return err
}

func transient(err error) bool {
	return errors.Is(err, windows.ERROR_SHARING_VIOLATION) ||
		errors.Is(err, windows.ERROR_ACCESS_DENIED) ||
		errors.Is(err, windows.ERROR_LOCK_VIOLATION)
}

// syncDir does nothing on Windows: folders cannot be opened for syncing
// there, and NTFS journals the rename itself.
func syncDir(string) {}
