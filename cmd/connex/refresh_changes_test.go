package main

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/internal/replica"
)

// TestRefreshChangeReportBetweenRealLists crawls the replica serving the
// 2025-10 list, then the 2025-12 list, through `connex refresh`, and
// checks `connex changes --json` against the differences of the two list
// files themselves: 41 added, 2 removed, 12 changed.
func TestRefreshChangeReportBetweenRealLists(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("two full crawls")
	}
	dir := realdata.Dir(t)
	oldList, err := replica.LoadList(filepath.Join(dir, "connector-reference-list-2025-10.json"))
	if err != nil {
		t.Fatal(err)
	}
	newList, err := replica.LoadList(filepath.Join(dir, "connector-reference-list.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := replica.New(replica.Options{Entries: oldList, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	data := t.TempDir()
	args := []string{"refresh", "--base-url", base, "--delay", "0", "--concurrency", "4", "--json"}
	if code, _, errOut := connex(t, data, args...); code != 0 {
		t.Fatalf("first refresh: %s", errOut)
	}
	srv.SetEntries(newList)
	code, out, errOut := connex(t, data, args...)
	if code != 0 {
		t.Fatalf("second refresh: %s", errOut)
	}
	_, rep := refreshLines(t, out)
	t.Logf("second refresh: %d fetched, %d unchanged, %d requests, %.1f s", rep.Fetched, rep.Unchanged, rep.Requests, rep.Seconds)

	// What the two list files say, computed here.
	oldBy := map[string]replica.ListEntry{}
	for _, e := range oldList {
		oldBy[e.Name] = e
	}
	newBy := map[string]replica.ListEntry{}
	var wantAdded, wantRemoved, wantChanged []string
	for _, e := range newList {
		newBy[e.Name] = e
		o, ok := oldBy[e.Name]
		switch {
		case !ok:
			wantAdded = append(wantAdded, e.Name)
		case o.DisplayName != e.DisplayName || o.Premium != e.Premium || o.Preview != e.Preview ||
			o.LogicApps != e.LogicApps || o.PowerApps != e.PowerApps || o.PowerAutomate != e.PowerAutomate:
			wantChanged = append(wantChanged, e.Name)
		}
	}
	for _, e := range oldList {
		if _, ok := newBy[e.Name]; !ok {
			wantRemoved = append(wantRemoved, e.Name)
		}
	}
	sort.Strings(wantAdded)
	sort.Strings(wantRemoved)
	sort.Strings(wantChanged)
	if len(wantAdded) != 41 || len(wantRemoved) != 2 || len(wantChanged) != 12 {
		t.Fatalf("the list files differ by %d added, %d removed, %d changed; the data README says 41, 2, 12",
			len(wantAdded), len(wantRemoved), len(wantChanged))
	}

	code, out, errOut = connex(t, data, "changes", "--json")
	if code != 0 {
		t.Fatalf("changes: %s", errOut)
	}
	var got struct {
		Reports []*catalog.ChangeReport `json:"reports"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Reports) != 1 {
		t.Fatalf("changes --json: %v, %d reports", err, len(got.Reports))
	}
	r := got.Reports[0]
	ids := func(refs []catalog.ConnectorRef) []string {
		var out []string
		for _, c := range refs {
			out = append(out, c.ID)
		}
		return out
	}
	if a := ids(r.Added); !reflect.DeepEqual(a, wantAdded) {
		t.Errorf("added %v\nwant %v", a, wantAdded)
	}
	if rm := ids(r.Removed); !reflect.DeepEqual(rm, wantRemoved) {
		t.Errorf("removed %v, want %v", rm, wantRemoved)
	}
	var changed []string
	for _, ch := range r.Changed {
		changed = append(changed, ch.ID)
		if len(ch.Fields) != 1 || len(ch.OperationsAdded)+len(ch.OperationsRemoved)+len(ch.OperationsDeprecated)+len(ch.Parameters) != 0 {
			t.Errorf("%s: %+v, want one field change", ch.ID, ch)
		}
	}
	if !reflect.DeepEqual(changed, wantChanged) {
		t.Errorf("changed %v\nwant %v", changed, wantChanged)
	}
	if s := r.Summary; s.Added != 41 || s.Removed != 2 || s.Changed != 12 {
		t.Errorf("summary %+v", s)
	}
}
