package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
	usecase "github.com/connex-dev/connex/internal/app"
)

// savedCatalogue writes the samples as if imported (not marked sample, so
// the index goes to disk) and returns the data folder.
func savedCatalogue(t *testing.T, edit func(c *catalog.Catalog)) string {
	t.Helper()
	dir := t.TempDir()
	c := catalog.Sample()
	c.Sample = false
	if edit != nil {
		edit(c)
	}
	if err := catalog.Save(filepath.Join(dir, catalog.SnapshotFile), c); err != nil {
		t.Fatal(err)
	}
	return dir
}

func searchIDs(t *testing.T, dir, query string) string {
	t.Helper()
	code, out, errOut := connex(t, dir, "search", "--json", query)
	if code != 0 {
		t.Fatalf("search %q: exit %d: %s", query, code, errOut)
	}
	var res searchOutput
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.Connector+"/"+h.Operation+" "+h.Name)
	}
	return strings.Join(ids, ", ")
}

// TestSearchDecodesOnlyItsHits: once the index has been checked against
// the snapshot, a search and a show read only the connectors they print,
// so a damaged record elsewhere does not stop them (a command that needs
// everything still reports it).
func TestSearchDecodesOnlyItsHits(t *testing.T) {
	dir := savedCatalogue(t, nil)
	first := searchIDs(t, dir, "task")
	if !strings.HasPrefix(first, "sampletasks/") {
		t.Fatalf("search task: %s", first)
	}
	stamp, err := os.ReadFile(filepath.Join(dir, usecase.IndexStampFile))
	if err != nil {
		t.Fatalf("no index stamp after a search: %v", err)
	}
	s, err := catalog.Open(filepath.Join(dir, catalog.SnapshotFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(stamp), hex8(s.Checksum())+" ") {
		t.Fatalf("stamp %q does not start with the snapshot checksum %s", stamp, hex8(s.Checksum()))
	}

	// Damage sampleweather's record (the last one, ids being sorted): its
	// id's length byte now claims 127 bytes.
	path := filepath.Join(dir, catalog.SnapshotFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.LastIndex(data, []byte("\x0dsampleweather"))
	data[at] = 0x7f
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, dir, "task"); got != first {
		t.Fatalf("search after damage elsewhere: %s, want %s", got, first)
	}
	if code, out, errOut := connex(t, dir, "show", "sampletasks/CreateTaskV2", "--json"); code != 0 || !strings.Contains(out, `"connector": "sampletasks"`) {
		t.Fatalf("show sampletasks: exit %d: %s", code, errOut)
	}
	if code, _, errOut := connex(t, dir, "show", "sampleweather"); code != 1 || !strings.Contains(errOut, "snapshot is corrupt") {
		t.Fatalf("show of the damaged connector: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := connex(t, dir, "stats"); code != 1 || !strings.Contains(errOut, "snapshot is corrupt") {
		t.Fatalf("stats on a damaged snapshot: exit %d, stderr %q", code, errOut)
	}
}

// TestSearchFollowsANewSnapshot: the stamp never lets an index built for
// another catalogue answer.
func TestSearchFollowsANewSnapshot(t *testing.T) {
	dir := savedCatalogue(t, nil)
	if got := searchIDs(t, dir, "zebra"); got != "" {
		t.Fatalf("search zebra before: %s", got)
	}
	renamed := savedCatalogue(t, func(c *catalog.Catalog) {
		conn, _ := c.Connector("sampletasks")
		conn.Operation("CreateTaskV2").Name = "Create a zebra"
	})
	// Replace the snapshot only: the index and the stamp are the old ones.
	data, err := os.ReadFile(filepath.Join(renamed, catalog.SnapshotFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, catalog.SnapshotFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, dir, "zebra"); got != "sampletasks/CreateTaskV2 Create a zebra" {
		t.Fatalf("search zebra after the new snapshot: %q", got)
	}

	// A stamp naming the right snapshot but another index is not trusted.
	s, err := catalog.Open(filepath.Join(dir, catalog.SnapshotFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, usecase.IndexStampFile), []byte(hex8(s.Checksum())+" 00000000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, dir, "zebra"); got != "sampletasks/CreateTaskV2 Create a zebra" {
		t.Fatalf("search zebra with a wrong stamp: %q", got)
	}
}

func hex8(v uint32) string { return fmt.Sprintf("%08x", v) }
