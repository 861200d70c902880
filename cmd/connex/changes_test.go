package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
)

func changesFixture(t *testing.T, dir string) {
	t.Helper()
	old := &catalog.Catalog{UpdatedAt: time.Date(2025, 10, 9, 0, 0, 0, 0, time.UTC), Connectors: []*catalog.Connector{
		{ID: "acmewidgets", Name: "Acme Widgets", Tier: catalog.TierStandard, Preview: true, Operations: []*catalog.Operation{
			{ID: "Send", Name: "Send", Kind: catalog.KindAction, Parameters: []catalog.Parameter{{Key: "to", Type: "string"}, {Key: "cc", Type: "string"}}},
			{ID: "Old", Name: "Old way", Kind: catalog.KindAction},
		}},
		{ID: "gone", Name: "Gone Connector", Tier: catalog.TierPremium},
	}}
	cur := &catalog.Catalog{UpdatedAt: time.Date(2025, 12, 10, 0, 0, 0, 0, time.UTC), Connectors: []*catalog.Connector{
		{ID: "acmewidgets", Name: "Acme Widgets \x1b[31mRed", Tier: catalog.TierPremium, Operations: []*catalog.Operation{
			{ID: "Send", Name: "Send", Kind: catalog.KindAction, Parameters: []catalog.Parameter{{Key: "to", Type: "array of string", Required: true}, {Key: "bcc", Type: "string"}}},
			{ID: "Old", Name: "Old way", Kind: catalog.KindAction, Deprecated: true},
			{ID: "OnNew", Name: "When a widget arrives with a very long name that does not fit in eighty columns at all", Kind: catalog.KindTrigger},
		}},
		{ID: "newone", Name: "New One", Tier: catalog.TierStandard, Preview: true},
	}}
	first := catalog.Diff(old, old, time.Date(2025, 11, 1, 9, 0, 0, 0, time.UTC))
	second := catalog.Diff(old, cur, time.Date(2025, 12, 10, 8, 30, 0, 0, time.UTC))
	for _, r := range []*catalog.ChangeReport{first, second} {
		if _, err := catalog.SaveReport(dir, r); err != nil {
			t.Fatal(err)
		}
	}
}

const changesWant = `Refresh of 2025-12-10 08:30 UTC: 1 added, 1 removed, 1 changed
  catalogue of 2025-10-09 -> 2025-12-10, 2 -> 2 connectors

Added (1)
  + newone                 New One  [standard, preview]

Removed (1)
  - gone                   Gone Connector

Changed (1)
  ~ acmewidgets            Acme Widgets ␛[31mRed
      name: Acme Widgets -> Acme Widgets ␛[31mRed
      tier: standard -> premium
      preview: true -> false
      + trigger OnNew (When a widget arrives with a very long name that does no…
      deprecated action Old (Old way)
      Send: parameter bcc added (string)
      Send: parameter to now required
      Send: parameter to type: string -> array of string
      Send: parameter cc removed
`

func TestChangesLatestReport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	changesFixture(t, dir)
	code, out, errOut := connex(t, dir, "changes")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != changesWant {
		t.Fatalf("changes output:\n%s\nwant:\n%s", out, changesWant)
	}
	for i, line := range strings.Split(out, "\n") {
		if w := len([]rune(line)); w > 80 {
			t.Errorf("line %d is %d columns wide", i+1, w)
		}
	}
}

func TestChangesSinceAndJSON(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	changesFixture(t, dir)
	code, out, errOut := connex(t, dir, "changes", "--since", "2025-10-01", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Reports []catalog.ChangeReport `json:"reports"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.Reports) != 2 || !got.Reports[0].Empty() || got.Reports[1].Summary.ParameterChanges != 4 {
		t.Fatalf("reports %+v", got.Reports)
	}
	_, out, _ = connex(t, dir, "changes", "--since", "2025-11-02T00:00:00Z", "--json")
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Reports) != 1 {
		t.Fatalf("since a time: %v %d", err, len(got.Reports))
	}
	code, out, _ = connex(t, dir, "changes", "--since", "2025-10-01")
	if code != 0 || !strings.HasPrefix(out, "Refresh of 2025-11-01 09:00 UTC: 0 added, 0 removed, 0 changed\n") || !strings.Contains(out, "  nothing changed\n\nRefresh of 2025-12-10") {
		t.Errorf("two reports:\n%s", out)
	}
	if code, _, errOut := connex(t, dir, "changes", "--since", "last tuesday"); code != 1 || !strings.Contains(errOut, "want a date") {
		t.Errorf("bad --since: %d %s", code, errOut)
	}
}

func TestChangesNoneAndCorrupt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, out, _ := connex(t, dir, "changes")
	if code != 0 || out != "No changes recorded yet: 'connex refresh' and 'connex import' record them.\n" {
		t.Errorf("no reports: %d %q", code, out)
	}
	code, out, _ = connex(t, dir, "changes", "--json")
	if code != 0 || out != "{\n  \"reports\": []\n}\n" {
		t.Errorf("no reports, JSON: %d %q", code, out)
	}
	changesFixture(t, dir)
	bad := filepath.Join(dir, catalog.ChangesDir, "2025-12-31T00-00-00Z.json")
	if err := os.WriteFile(bad, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := connex(t, dir, "changes")
	if code != 2 || !strings.Contains(errOut, bad) || out != changesWant {
		t.Errorf("corrupt report: exit %d, stderr %q", code, errOut)
	}
}

func TestChangesParseSince(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 12, 10, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"2025-12-01":           time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
		"2025-12-01T08:00:00Z": time.Date(2025, 12, 1, 8, 0, 0, 0, time.UTC),
		"7d":                   now.AddDate(0, 0, -7),
		"36h":                  now.Add(-36 * time.Hour),
	} {
		if got, err := changesParseSince(in, now); err != nil || !got.Equal(want) {
			t.Errorf("%s: %v %v, want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-3d", "tomorrow", "2025-13-01"} {
		if _, err := changesParseSince(bad, now); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
