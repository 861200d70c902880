//go:build race

package replica

// raceEnabled: under the race detector, full-data tests read back a
// sample of pages (parsing 37 MB of HTML is ten times slower there).
const raceEnabled = true
