// Command bareshow is the floor a `connex show CONNECTOR/OP --json`
// process is measured against: it opens the same snapshot, decodes the one
// connector and prints the operation as JSON, nothing else.
//
//	bareshow SNAPSHOT CONNECTOR OPERATION
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/connex-dev/connex/catalog"
)

func main() {
	s, err := catalog.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	conn, ok, err := s.ConnectorByID(os.Args[2])
	if !ok {
		fmt.Fprintln(os.Stderr, "no connector", os.Args[2], err)
		os.Exit(1)
	}
	op := conn.Operation(os.Args[3])
	if op == nil {
		fmt.Fprintln(os.Stderr, "no operation", os.Args[3])
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.Encode(op)
}
