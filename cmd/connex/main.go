// Command connex is a terminal explorer for the Power Platform connector
// catalogue. main stays thin: parse, wire, run, exit code.
package main

import (
	"fmt"
	"os"

	usecase "github.com/connex-dev/connex/internal/app"
)

func main() {
	// Libraries that log (bleve's scorch, on a corrupt segment) speak
	// through connex's messages, not raw on stderr.
	usecase.RouteLibraryLog(func(msg string) { fmt.Fprintln(os.Stderr, "connex: "+msg) })
	tuneGC = true
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
