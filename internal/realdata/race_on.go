//go:build race

package realdata

// raceBuild: this test binary runs under the race detector.
const raceBuild = true
