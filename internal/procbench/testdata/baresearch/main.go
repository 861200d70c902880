// Command baresearch is the floor a `connex search --json` process is
// measured against: it opens the same search index read-only and runs the
// same query, nothing else (no command line parsing, no catalogue).
//
//	baresearch INDEX_DIR QUERY LIMIT
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"github.com/connex-dev/connex/index"
)

func main() {
	limit, _ := strconv.Atoi(os.Args[3])
	ix, err := index.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), index.Query{Text: os.Args[2], Limit: limit, Deprecated: index.DeprecatedExclude})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(res.Hits)
}
