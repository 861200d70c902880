// Command connex is a terminal explorer for the Power Platform connector
// catalogue. main stays thin: parse, wire, run, exit code.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
