//go:build !unix

package defs_test

import "time"

func processCPU() time.Duration { return 0 }

// peakRSS is not measured here.
func peakRSS() (int64, bool) { return 0, false }
