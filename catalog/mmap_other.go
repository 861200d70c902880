//go:build !unix

package catalog

import "os"

func readSnapshot(path string) ([]byte, error) { return os.ReadFile(path) }
