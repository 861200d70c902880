package main

import (
	"os"
	"runtime/debug"
	"slices"

	"github.com/spf13/cobra"
)

// shortCommands print a few records and exit: a search decodes its hits,
// show one connector, call one request and its reply. Their whole process
// allocates 10-30 MB, and every collection in it is pure cost: with the
// default GOGC the collector took a fifth of a search's CPU on the union
// of the shared samples (44 ms against 35 ms with GOGC=off, median of 60
// runs). Long or large commands (the explorer, import, refresh, export,
// stats, audit) keep the default pacing: their live heaps are large.
var shortCommands = []string{"search", "show", "call", "exit-codes"}

// shortHeapLimit bounds a short command's memory with the collector off:
// past it the collector runs again (a reply or a record far larger than
// usual), so memory stays bounded whatever the input.
const shortHeapLimit = 128 << 20

// tuneGC is set by main only: tests run commands in one long process,
// which needs the collector.
var tuneGC bool

// tuneCollector turns the collector off, up to shortHeapLimit, when args
// run one of root's short commands or ask for --version or --help. It
// never overrides a GOGC or GOMEMLIMIT the user set.
func tuneCollector(root *cobra.Command, args []string) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" || !isShort(root, args) {
		return
	}
	debug.SetMemoryLimit(shortHeapLimit)
	debug.SetGCPercent(-1)
}

// isShort says whether args run one of root's short commands (or ask the
// root for its version or help: with no command, connex opens the
// explorer).
func isShort(root *cobra.Command, args []string) bool {
	cmd, _, err := root.Find(args)
	if err != nil {
		return false
	}
	if cmd.Parent() != nil {
		return slices.Contains(shortCommands, cmd.Name())
	}
	return slices.ContainsFunc(args, func(a string) bool {
		return a == "--version" || a == "-v" || a == "--help" || a == "-h"
	})
}
