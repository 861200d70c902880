// Package procbench holds whole-process benchmarks of connex: each builds
// the binary once, runs it as a script would (search, show, call,
// --version) against a data folder with the real definitions imported,
// and runs next to it, round by round, the bare process it is compared
// with (a program that only opens the same index and runs the same query;
// one that only opens the same snapshot and prints the same operation;
// curl; a Go program that only prints a line). They report the median CPU
// time, the 95th percentile of wall time and the peak resident memory of
// each. The package has no code of its own: run it with `make bench` or
//
//	go test -run '^$' -bench . -benchtime 5x ./internal/procbench
//
// CONNEX_BENCH_BIN runs an already built connex instead (to measure
// another version: its own import fills the data folder).
package procbench
