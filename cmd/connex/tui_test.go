package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	usecase "github.com/connex-dev/connex/internal/app"
)

// tuiFixture writes one invented connector laid out like the
// PowerPlatformConnectors repository.
func tuiFixture(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "independent-publisher-connectors", "Contoso Notes")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	swagger := `{
  "swagger": "2.0",
  "info": {"title": "Contoso Notes", "description": "Invented: keep short notes.", "version": "1.0"},
  "host": "notes.contoso.invalid", "basePath": "/v1", "schemes": ["https"],
  "paths": {
    "/notes": {
      "get": {"operationId": "ListNotes", "summary": "List notes", "description": "Lists the notes.",
              "responses": {"200": {"description": "OK"}}},
      "post": {"operationId": "CreateNote", "summary": "Create a note",
               "parameters": [{"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Note"}}],
               "responses": {"201": {"description": "Created"}}}
    }
  },
  "definitions": {"Note": {"type": "object", "properties": {"text": {"type": "string"}}}}
}`
	if err := os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), []byte(swagger), 0o644); err != nil {
		t.Fatal(err)
	}
	props := `{"properties": {"publisher": "Contoso", "connectionParameters": {}}}`
	if err := os.WriteFile(filepath.Join(dir, "apiProperties.json"), []byte(props), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestTUILoadAndImport(t *testing.T) {
	t.Parallel()
	a := &app{dataDir: t.TempDir(), ctx: context.Background(), stdout: io.Discard, stderr: io.Discard}

	// A fresh data folder: the samples, searched in memory, nothing written.
	snap, s, err := tuiLoadSnapshot(a)
	if err != nil || !snap.Sample() {
		t.Fatalf("fresh load: sample=%v err=%v", snap != nil && snap.Sample(), err)
	}
	res, err := s.Search(context.Background(), index.Query{Text: "forecast"})
	if err != nil || res.Total == 0 {
		t.Fatalf("sample search: %v, %v", res, err)
	}
	if ents, _ := os.ReadDir(a.dataDir); len(ents) != 0 {
		t.Fatalf("loading the samples wrote %d entries in the data folder", len(ents))
	}

	// The in-TUI import saves the catalogue and its index.
	var calls int
	rep, err := tuiImport(a, context.Background(), tuiFixture(t), func(done, total int, msg string) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if rep.Connectors != 1 || rep.Failed != 0 {
		t.Fatalf("import report %+v", rep)
	}
	if calls == 0 {
		t.Fatal("no progress reported")
	}
	snap, s, err = tuiLoadSnapshot(a)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Sample() || snap.Len() != 1 {
		t.Fatalf("after import: sample=%v connectors=%d", snap.Sample(), snap.Len())
	}
	conn, err := snap.Connector(0)
	if err != nil || conn.Operation("CreateNote") == nil {
		t.Fatalf("CreateNote missing from %s", conn.ID)
	}
	res, err = s.Search(context.Background(), index.Query{Text: "create note"})
	if err != nil || len(res.Hits) == 0 || res.Hits[0].OperationID != "CreateNote" {
		t.Fatalf("search after import: %+v, %v", res, err)
	}
	if c, ok := s.(io.Closer); ok {
		c.Close()
	}
	if _, err := os.Stat(filepath.Join(a.dataDir, catalog.SnapshotFile)); err != nil {
		t.Fatal(err)
	}
}

func TestTUIImportBadPath(t *testing.T) {
	t.Parallel()
	a := &app{dataDir: t.TempDir(), ctx: context.Background(), stdout: io.Discard, stderr: io.Discard}
	_, err := tuiImport(a, context.Background(), filepath.Join(t.TempDir(), "nope"), func(int, int, string) {})
	if err == nil {
		t.Fatal("importing a missing path succeeded")
	}
	if _, statErr := os.Stat(filepath.Join(a.dataDir, catalog.SnapshotFile)); !os.IsNotExist(statErr) {
		t.Fatalf("a failed import wrote a catalogue (%v)", statErr)
	}
}

func TestTUIRefreshFromReplica(t *testing.T) {
	t.Parallel()
	_, base := refreshReplica(t, 20)
	a := &app{dataDir: t.TempDir(), ctx: context.Background(), stdout: io.Discard, stderr: io.Discard}
	var last [2]int
	calls := 0
	err := tuiRefresh(a, context.Background(), func(done, total int, msg string) {
		calls++
		last = [2]int{done, total}
	}, usecase.RefreshOptions{BaseURL: base, Delay: -1})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 || last != [2]int{20, 20} {
		t.Fatalf("progress: %d calls, last %v", calls, last)
	}
	cat, err := catalog.Load(filepath.Join(a.dataDir, catalog.SnapshotFile))
	if err != nil || len(cat.Connectors) != 20 {
		t.Fatalf("after refresh: %v, %v", cat, err)
	}

	// Cancelled before it starts: an error, and the catalogue unchanged.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := tuiRefresh(a, ctx, func(int, int, string) {}, usecase.RefreshOptions{BaseURL: base, Delay: -1}); err == nil {
		t.Fatal("a cancelled refresh reported success")
	}
}
