package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportConnectorList: the import says it read a connector list and
// how many entries, a newer list's import names what it removed and
// records a change report, and a file that is not a list is refused.
func TestImportConnectorList(t *testing.T) {
	t.Parallel()
	dir, dataDir := t.TempDir(), t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	older := write("older.json", `{"data":[{"Name":"quuxly","DisplayName":"Quuxly","Premium":true,"Power Automate":true},
		{"Name":"retired","DisplayName":"Retired (Preview)","Logic Apps":true}]}`)
	newer := write("saved-list", `{"data":[{"Name":"quuxly","DisplayName":"Quuxly","Premium":true,"Power Automate":true,"Power Apps":true},
		{"Name":"zorbit","DisplayName":"Zorbit","Preview":true},{"Name":"bad/id"}]}`)

	code, out, errOut := connex(t, dataDir, "import", older)
	if want := "Imported 2 connectors, 0 operations (0 actions, 0 triggers) from the connector list " + older + " (2 entries).\n" +
		"The catalogue now has 2 connectors and 0 operations.\n"; code != 0 || out != want {
		t.Fatalf("exit %d\nstdout %q\nwant   %q\nstderr %s", code, out, want, errOut)
	}

	code, out, errOut = connex(t, dataDir, "import", "--json", newer)
	var got struct {
		Connectors int
		Warnings   []struct{ Path, Error string }
		Lists      []struct {
			Path    string
			Entries int
		}
		Merge   struct{ Unlisted []string }
		Changes struct {
			Added, Removed, Changed int
		}
		ChangeReport string `json:"change_report"`
		Catalog      struct {
			Connectors int
			ByProduct  map[string]int `json:"by_product"`
		}
	}
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
		t.Fatalf("exit %d, %v\n%s\n%s", code, err, out, errOut)
	}
	if got.Connectors != 2 || len(got.Lists) != 1 || got.Lists[0].Path != newer || got.Lists[0].Entries != 2 ||
		len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0].Error, `"bad/id" is not a connector id`) ||
		strings.Join(got.Merge.Unlisted, ",") != "retired" || got.Changes.Added != 1 || got.Changes.Removed != 1 || got.Changes.Changed != 1 ||
		got.ChangeReport == "" || got.Catalog.Connectors != 2 || got.Catalog.ByProduct["power_apps"] != 1 || got.Catalog.ByProduct["power_automate"] != 1 {
		t.Fatalf("import --json:\n%s", out)
	}

	code, out, _ = connex(t, dataDir, "changes")
	if code != 0 || !strings.HasPrefix(out, "Import of ") || !strings.Contains(out, ": 1 added, 1 removed, 1 changed\n") ||
		!strings.Contains(out, "zorbit") || !strings.Contains(out, "retired") {
		t.Fatalf("changes (exit %d):\n%s", code, out)
	}

	// Importing the same list again: nothing removed, no report.
	code, out, _ = connex(t, dataDir, "import", newer)
	if code != 0 || strings.Contains(out, "removed") || strings.Contains(out, "Changes:") {
		t.Fatalf("again (exit %d):\n%s", code, out)
	}

	for name, body := range map[string]string{
		"data-not-array.json": `{"data":"x"}`,
		"empty-list.json":     `{"data":[]}`,
	} {
		code, out, errOut := connex(t, dataDir, "import", write(name, body))
		if code != 1 || !strings.Contains(errOut, name) {
			t.Errorf("%s: exit %d\nstdout %s\nstderr %s", name, code, out, errOut)
		}
	}
}
