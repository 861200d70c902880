package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	usecase "github.com/connex-dev/connex/internal/app"
)

// writeConnectors writes a PowerPlatformConnectors-like tree: good
// invented connectors, each with ListItems, and bad ones whose definition
// is not JSON.
func writeConnectors(t *testing.T, good, bad int) string {
	t.Helper()
	root := t.TempDir()
	write := func(name, swagger string) {
		dir := filepath.Join(root, "independent-publisher-connectors", name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), []byte(swagger), 0o644); err != nil {
			t.Fatal(err)
		}
		props := `{"properties": {"publisher": "Tester", "connectionParameters": {}}}`
		if err := os.WriteFile(filepath.Join(dir, "apiProperties.json"), []byte(props), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < good; i++ {
		write(fmt.Sprintf("Item Store %03d", i), fmt.Sprintf(`{"swagger": "2.0",
  "info": {"title": "Item Store %03d", "description": "Invented for a test.", "version": "1.0"},
  "host": "items%03d.example.invalid", "basePath": "/", "schemes": ["https"],
  "paths": {"/items": {"get": {"operationId": "ListItems", "summary": "List items", "responses": {"200": {"description": "OK"}}}}}}`, i, i))
	}
	for i := 0; i < bad; i++ {
		write(fmt.Sprintf("Broken %d", i), `{"swagger": "2.0", "info": {"title": "Broken"`)
	}
	return root
}

func connexWith(t *testing.T, ctx context.Context, setup func(*usecase.Data), dataDir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = runWith(ctx, setup, append([]string{"--data-dir", dataDir}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// Issue 15 item 6: Ctrl-C while the index is built, after the catalogue
// was saved: exit 2 and a message that says what was saved.
func TestImportInterruptedDuringIndexBuild(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	setup := func(d *usecase.Data) {
		d.BuildIndex = func(ctx context.Context, path string, c *catalog.Catalog) error {
			cancel() // Ctrl-C
			return index.Build(ctx, path, c)
		}
	}
	code, out, errOut := connexWith(t, ctx, setup, dir, "import", writeConnectors(t, 2, 0))
	if code != 2 {
		t.Fatalf("exit %d, want 2; stderr %q", code, errOut)
	}
	if want := "connex: interrupted: catalogue saved; the search index will be rebuilt on next use\n"; errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	if !strings.HasPrefix(out, "Imported 2 connectors, 2 operations") {
		t.Errorf("stdout %q", out)
	}
	// The next search rebuilds the index and finds the new connectors.
	code, out, errOut = connex(t, dir, "search", "--json", "item store 001")
	if code != 0 || !strings.Contains(out, `"connector": "itemstore001"`) {
		t.Fatalf("search after the interrupted import: exit %d\n%s\n%s", code, out, errOut)
	}
}

// Issue 15 item 7: a corrupt catalog.snap.
func TestCorruptSnapshot(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	snap := filepath.Join(dir, catalog.SnapshotFile)
	garbage := []byte("CONNEXSN\x00\x00\x00\x02 truncated by a full disk")
	if err := os.WriteFile(snap, garbage, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"search", "items"}, {"show", "itemstore000"}, {"stats"}} {
		code, _, errOut := connex(t, dir, args...)
		if code != 1 || !strings.Contains(errOut, "snapshot is corrupt") || !strings.Contains(errOut, "(run 'connex import SOURCE' to rebuild it") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	at := time.Date(2026, 12, 7, 9, 5, 3, 0, time.Local)
	setup := func(d *usecase.Data) { d.Now = func() time.Time { return at } }
	code, out, errOut := connexWith(t, context.Background(), setup, dir, "import", writeConnectors(t, 1, 0))
	backup := snap + ".corrupt-20261207-090503"
	if code != 0 || errOut != "connex: the saved catalogue was corrupt: moved to "+backup+"\n" || !strings.HasPrefix(out, "Imported 1 connectors") {
		t.Fatalf("import: exit %d\nstdout %q\nstderr %q", code, out, errOut)
	}
	if b, err := os.ReadFile(backup); err != nil || !bytes.Equal(b, garbage) {
		t.Fatalf("backup: %q, %v", b, err)
	}
	if code, out, errOut := connex(t, dir, "stats", "--json"); code != 0 || !strings.Contains(out, `"connectors": 1,`) {
		t.Fatalf("stats after import: %d %s %s", code, out, errOut)
	}
}

// Issue 13: at least 99% of the files imported is a success with a
// warning count; --strict keeps exit 2.
func TestImportToleratesOnePercent(t *testing.T) {
	t.Parallel()
	src := writeConnectors(t, 99, 1) // 1 of 100 files: 1%
	code, _, errOut := connex(t, t.TempDir(), "import", src)
	want := "warning: 1 of 100 definition files could not be read (1% or less; they are listed with --strict or --json); the rest was saved.\n"
	if code != 0 || errOut != want {
		t.Errorf("default: exit %d, stderr %q, want 0, %q", code, errOut, want)
	}
	code, _, errOut = connex(t, t.TempDir(), "import", "--strict", src)
	if code != 2 || !strings.Contains(errOut, "1 file could not be read:\n  independent-publisher-connectors/Broken 0/apiDefinition.swagger.json") {
		t.Errorf("--strict: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = connex(t, t.TempDir(), "import", writeConnectors(t, 98, 2)) // 2%
	if code != 2 || !strings.Contains(errOut, "2 files could not be read:") {
		t.Errorf("2%%: exit %d, stderr %q", code, errOut)
	}
}

// Issue 13: a refresh that gets no answer says so.
func TestRefreshUnreachable(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there any more
	code, _, errOut := connex(t, t.TempDir(), "refresh", "--base-url", "http://"+addr+"/en-us/connectors/", "--delay", "0", "--json")
	if code != 1 || !strings.HasPrefix(errOut, "connex: cannot reach 127.0.0.1: no network? (") ||
		strings.Contains(errOut, "stay away") || !strings.Contains(errOut, "(nothing was crawled; the catalogue is unchanged)") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestSuggestionsQuoteArguments(t *testing.T) {
	t.Parallel()
	code, _, errOut := connex(t, t.TempDir(), "show", "send mail")
	if want := `(try 'connex search "send mail"')`; code != 3 || !strings.Contains(errOut, want) {
		t.Fatalf("exit %d, stderr %q, want %s", code, errOut, want)
	}
	for in, want := range map[string]string{
		"sendgrid":       "sendgrid",
		"office365/Send": "office365/Send",
		"send mail":      `"send mail"`,
		"":               `""`,
		"it's $HOME":     `'it'\''s $HOME'`,
		"a\x1b[2Jb":      `"a␛[2Jb"`,
	} {
		if got := shellArg(in); got != want {
			t.Errorf("shellArg(%q) = %s, want %s", in, got, want)
		}
	}
}

// Issue 15 item 6 for refresh: interrupted while the index is built, the
// new catalogue is saved; the report says "updated", exit 2.
func TestRefreshInterruptedDuringIndexBuild(t *testing.T) {
	t.Parallel()
	_, base := refreshReplica(t, 5)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	setup := func(d *usecase.Data) {
		d.BuildIndex = func(ctx context.Context, path string, c *catalog.Catalog) error {
			cancel()
			return index.Build(ctx, path, c)
		}
	}
	dir := t.TempDir()
	code, out, errOut := connexWith(t, ctx, setup, dir, "refresh", "--base-url", base, "--delay", "0", "--json")
	_, rep := refreshLines(t, out)
	if code != 2 || rep.Outcome != usecase.RefreshUpdated || rep.ExitCode != 2 ||
		rep.Error != "interrupted: catalogue saved; the search index will be rebuilt on next use" {
		t.Fatalf("exit %d, report %+v, stderr %q", code, rep, errOut)
	}
	if c, err := catalog.Load(filepath.Join(dir, catalog.SnapshotFile)); err != nil || len(c.Connectors) != 5 {
		t.Fatalf("saved catalogue: %v, %v", c, err)
	}
}
