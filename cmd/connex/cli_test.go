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
	"github.com/connex-dev/connex/internal/realdata"
)

// connex runs the CLI in-process against dataDir and returns its outputs.
func connex(t *testing.T, dataDir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(append([]string{"--data-dir", dataDir}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestStatsOnSampleCatalogue(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, out, errOut := connex(t, dir, "stats", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := `{
  "connectors": 3,
  "operations": 12,
  "actions": 10,
  "triggers": 2,
  "parameters": 14,
  "by_tier": {
    "standard": 2,
    "premium": 1,
    "unknown": 0
  },
  "by_publisher_kind": {
    "microsoft": 0,
    "certified": 1,
    "independent": 2,
    "custom": 0,
    "unknown": 0
  },
  "by_product": {
    "logic_apps": 3,
    "power_automate": 3,
    "power_apps": 3,
    "copilot_studio": 3,
    "none": 0
  },
  "preview": 1,
  "deprecated": 0,
  "by_source": {
    "site": 0,
    "list": 0,
    "api": 0,
    "definition": 0,
    "sample": 3
  }
}
`
	if out != want {
		t.Fatalf("stats --json:\n%s\nwant:\n%s", out, want)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("stats wrote into the data folder: %v", entries)
	}
}

func TestShowSampleOperation(t *testing.T) {
	t.Parallel()
	code, out, errOut := connex(t, t.TempDir(), "show", "sampleweather/GetCurrentWeather")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Get current weather\n═══════════════════\n",
		"Operation ID:  GetCurrentWeather\n",
		"Request:       GET /weather/current\n",
		"City  city  query yes string City name, e.g. Lisbon\n",
		"Units units query     string Default: \"metric\". One of: metric, imperial.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("show output lacks %q:\n%s", want, out)
		}
	}
	for i, line := range strings.Split(out, "\n") {
		if w := len([]rune(line)); w > 80 {
			t.Errorf("line %d is %d columns wide: %q", i+1, w, line)
		}
	}
}

// TestShowBodyFields: an operation's body is listed field by field, its
// definitions inlined, in the page and in --json (with the tier).
func TestShowBodyFields(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, out, errOut := connex(t, dir, "show", "sampletasks/CreateTaskV2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := "Request body\n────────────\nTask\nid: string\n    Task id\ntitle: string, required\n    What to do\n" +
		"done: boolean\n    Whether the task is finished\ndue: string (date-time)\n    When the task is due\n" +
		"owner: string (email)\n    Who owns the task\ntags: array of string\n\nResponses\n"
	if !strings.Contains(out, want) {
		t.Errorf("show lacks the body fields %q:\n%s", want, out)
	}
	code, out, errOut = connex(t, dir, "show", "sampletasks/CreateTaskV2", "--json", "tier,body_fields", "--jq", `.tier, ([.body_fields[] | .path + ":" + .type + ":" + (.required|tostring)] | join(","))`)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "standard\nid:string:false,title:string:true,done:boolean:false,due:string (date-time):false,owner:string (email):false,tags:array of string:false\n"; out != want {
		t.Errorf("--json tier,body_fields = %q, want %q", out, want)
	}
}

func TestShowUnknown(t *testing.T) {
	t.Parallel()
	code, _, errOut := connex(t, t.TempDir(), "show", "nosuchconnector")
	if code != 3 || !strings.Contains(errOut, `no connector "nosuchconnector"`) {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = connex(t, t.TempDir(), "show", "sampletasks/Nope")
	if code != 3 || !strings.Contains(errOut, `connector "sampletasks" has no operation "Nope"`) {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestNewerSnapshotIsRefusedUntouched(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, catalog.SnapshotFile)
	future := append([]byte("CONNEX\x00\x01"), 0, 0, 0, 99)
	future = append(future, []byte("from the future")...)
	os.WriteFile(path, future, 0o644)
	code, _, errOut := connex(t, dir, "stats")
	if code != 1 || !strings.Contains(errOut, "newer connex") {
		t.Fatalf("stats: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = connex(t, dir, "import", filepath.Join(dir, "missing"))
	if code != 1 {
		t.Fatalf("import over a newer snapshot: exit %d, stderr %q", code, errOut)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, future) {
		t.Fatal("the newer snapshot was modified")
	}
}

func TestImportFailureKeepsCatalogue(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, catalog.SnapshotFile)
	if err := catalog.Save(path, catalog.Sample()); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	empty := t.TempDir()
	code, _, errOut := connex(t, dir, "import", "--json", empty)
	if code != 1 {
		t.Fatalf("import of an empty folder: exit %d, want 1; stderr %q", code, errOut)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("a failed import changed the catalogue")
	}
}

// TestImportFullData imports the real definitions, then searches, shows
// and counts them through the CLI, as a script would.
func TestImportFullData(t *testing.T) {
	t.Parallel()
	tarball := realdata.Tarball(t)
	dir := t.TempDir()
	code, out, errOut := connex(t, dir, "import", "--json", tarball)
	var res struct {
		Connectors int `json:"connectors"`
		Operations int `json:"operations"`
		Failed     []struct {
			Path   string `json:"path"`
			Error  string `json:"error"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"failed"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("import --json: %v\n%s\nstderr: %s", err, out, errOut)
	}
	if code != 0 {
		t.Fatalf("import exit %d, want 0 (4 of 942 files fail: under 1%%); stderr %s", code, errOut)
	}
	// The importer's own tests check these counts against an independent
	// count of the archive; here the CLI must report them faithfully.
	if res.Connectors != 938 || res.Operations != 14440 || len(res.Failed) != 4 {
		t.Fatalf("imported %d connectors, %d operations, %d failed; want 938, 14440, 4", res.Connectors, res.Operations, len(res.Failed))
	}
	wantFailed := []string{
		"certified-connectors/CognitiveServicesTextAnalytics/apiDefinition.swagger.json:276:6",
		"independent-publisher-connectors/GIPHY/apiDefinition.swagger.json:865:1",
		"independent-publisher-connectors/Icon Horse/apiDefinition.swagger.json:56:11",
		"independent-publisher-connectors/StabilityAI/apiDefinition.swagger.json:16:3",
	}
	for i, f := range res.Failed {
		if got := fmt.Sprintf("%s:%d:%d", f.Path, f.Line, f.Column); got != wantFailed[i] || f.Error == "" {
			t.Errorf("failure %d: %s (%s), want %s", i, got, f.Error, wantFailed[i])
		}
	}

	// Importing the same source again changes nothing but times.
	snap := filepath.Join(dir, catalog.SnapshotFile)
	first, _ := catalog.Load(snap)
	code, out, errOut = connex(t, dir, "import", "--strict", tarball)
	if code != 2 {
		t.Fatalf("re-import --strict exit %d, want 2: %s", code, errOut)
	}
	if !strings.Contains(out, "Imported 938 connectors, 14440 operations (13790 actions, 650 triggers) from 942 definition files.\n") ||
		!strings.Contains(errOut, "4 files could not be read:\n  certified-connectors/CognitiveServicesTextAnalytics/apiDefinition.swagger.json:276:6\n") {
		t.Errorf("human summary:\n%s\nstderr:\n%s", out, errOut)
	}
	second, _ := catalog.Load(snap)
	if first.Stats() != second.Stats() {
		t.Fatalf("re-import changed the counts: %+v -> %+v", first.Stats(), second.Stats())
	}

	code, out, errOut = connex(t, dir, "stats", "--json")
	if code != 0 {
		t.Fatalf("stats exit %d: %s", code, errOut)
	}
	var stats catalog.Stats
	json.Unmarshal([]byte(out), &stats)
	if stats.Operations != 14440 || stats.Connectors != 938 || stats.Triggers != 650 || stats.Parameters != 34022 {
		t.Fatalf("stats %+v after importing %d connectors", stats, res.Connectors)
	}
}
