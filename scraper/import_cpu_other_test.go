//go:build !unix

package scraper_test

import "time"

func processCPU() time.Duration { return 0 }
