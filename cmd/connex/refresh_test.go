package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gofrs/flock"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/replica"
	"github.com/connex-dev/connex/scraper/crawl"
)

// refreshEntries invents n list entries (generated pages).
func refreshEntries(n int) []replica.ListEntry {
	out := make([]replica.ListEntry, n)
	for i := range out {
		out[i] = replica.ListEntry{DisplayName: fmt.Sprintf("Invented Connector %03d", i), Name: fmt.Sprintf("invented%03d", i),
			PowerAutomate: true, PowerApps: i%2 == 0, LogicApps: true, Premium: i%3 == 0, Preview: i%5 == 0}
	}
	return out
}

func refreshReplica(t *testing.T, n int) (*replica.Server, string) {
	t.Helper()
	srv, err := replica.New(replica.Options{Entries: refreshEntries(n), Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, base
}

// refreshLines parses JSON lines output: the events, then the report.
func refreshLines(t *testing.T, out string) ([]crawl.Event, refreshReport) {
	t.Helper()
	var events []crawl.Event
	var rep refreshReport
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var probe struct{ Type string }
		if err := json.Unmarshal(line, &probe); err != nil {
			t.Fatalf("not a JSON line: %q: %v", line, err)
		}
		if probe.Type == "report" {
			if err := json.Unmarshal(line, &rep); err != nil {
				t.Fatal(err)
			}
			continue
		}
		var e crawl.Event
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	if rep.Type != "report" {
		t.Fatalf("no report line in:\n%s", out)
	}
	return events, rep
}

func TestRefreshFromReplicaTwice(t *testing.T) {
	t.Parallel()
	_, base := refreshReplica(t, 60)
	dir := t.TempDir()
	code, out, errOut := connex(t, dir, "refresh", "--base-url", base, "--delay", "0", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	events, rep := refreshLines(t, out)
	if rep.Outcome != "updated" || rep.Fetched != 60 || rep.Pages != 60 || rep.Failed != 0 || rep.Catalog == nil || rep.Catalog.Connectors != 60 {
		t.Fatalf("report %+v", rep)
	}
	pages := 0
	for _, e := range events {
		if e.Type == "page" {
			pages++
		}
	}
	if pages != 60 {
		t.Errorf("%d page events", pages)
	}
	if rep.Changes == nil || rep.Changes.Added != 60 || rep.ChangeReport == "" {
		t.Errorf("changes %+v report %q", rep.Changes, rep.ChangeReport)
	}
	snap := filepath.Join(dir, catalog.SnapshotFile)
	before, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut = connex(t, dir, "refresh", "--base-url", base, "--delay", "0", "--json")
	if code != 0 {
		t.Fatalf("second run exit %d: %s", code, errOut)
	}
	_, rep = refreshLines(t, out)
	if rep.Outcome != "unchanged" || rep.Unchanged != 60 || rep.Fetched != 0 || rep.Cached != 0 {
		t.Fatalf("second report %+v", rep)
	}
	after, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("snapshot bytes changed on a run where nothing changed")
	}
	code, out, _ = connex(t, dir, "stats", "--json")
	var st catalog.Stats
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st.Connectors != 60 {
		t.Errorf("stats after refresh: %d %s", code, out)
	}
}

func TestRefreshPartialFailures(t *testing.T) {
	t.Parallel()
	srv, base := refreshReplica(t, 150)
	srv.SetRates(replica.RateFault{Fault: replica.Fault{Kind: replica.Fault500}, Rate: 0.02})
	faulted := srv.Faulted(replica.Fault500)
	if len(faulted) == 0 || len(faulted) > 15 {
		t.Fatalf("%d faulted pages", len(faulted))
	}
	dir := t.TempDir()
	code, out, errOut := connex(t, dir, "refresh", "--base-url", base, "--delay", "0", "--json", "--backoff", "1ms")
	if code != 2 {
		t.Fatalf("exit %d, want 2: %s", code, errOut)
	}
	_, rep := refreshLines(t, out)
	for _, p := range rep.FailedPages {
		if p.Status != 500 || p.Attempts != 3 {
			t.Errorf("%+v", p)
		}
	}
	var want []string
	for _, p := range faulted {
		want = append(want, strings.TrimSuffix(base, "/en-us/connectors/")+p)
	}
	var got []string
	for _, p := range rep.FailedPages {
		got = append(got, p.URL)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("failed pages %v, want %v", got, want)
	}
	if rep.Outcome != "updated" || rep.Failed != len(faulted) || rep.Catalog.Connectors != 150 {
		t.Errorf("report %+v", rep)
	}
	if !strings.Contains(errOut, fmt.Sprintf("%d of 150 pages failed", len(faulted))) {
		t.Errorf("stderr %q", errOut)
	}
}

func TestRefreshTooManyFailuresKeepsCatalogue(t *testing.T) {
	t.Parallel()
	srv, base := refreshReplica(t, 40)
	dir := t.TempDir()
	if code, _, errOut := connex(t, dir, "refresh", "--base-url", base, "--delay", "0", "--json"); code != 0 {
		t.Fatalf("first run: %s", errOut)
	}
	snap := filepath.Join(dir, catalog.SnapshotFile)
	before, _ := os.ReadFile(snap)
	srv.SetRates(replica.RateFault{Fault: replica.Fault{Kind: replica.Fault500}, Rate: 0.3})
	code, out, errOut := connex(t, dir, "refresh", "--base-url", base, "--delay", "0", "--json", "--backoff", "1ms")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	_, rep := refreshLines(t, out)
	if rep.Outcome != "kept" || rep.Failed != len(srv.Faulted(replica.Fault500)) {
		t.Errorf("report %+v", rep)
	}
	if !strings.Contains(errOut, "the catalogue is kept as it was") {
		t.Errorf("stderr %q", errOut)
	}
	after, _ := os.ReadFile(snap)
	if !bytes.Equal(before, after) {
		t.Error("catalogue changed")
	}
}

func TestRefreshAlreadyRunning(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	lock := flock.New(filepath.Join(dir, "writer.lock"))
	if ok, err := lock.TryLock(); !ok || err != nil {
		t.Fatalf("lock: %v %v", ok, err)
	}
	defer lock.Unlock()
	code, _, errOut := connex(t, dir, "refresh", "--base-url", "http://127.0.0.1:1/en-us/connectors/")
	if code != 1 || !strings.Contains(errOut, "already running") {
		t.Fatalf("exit %d: %q", code, errOut)
	}
}

func TestRefreshRobotsUnavailable(t *testing.T) {
	t.Parallel()
	srv, base := refreshReplica(t, 5)
	srv.SetRobots(replica.Robots{Mode: replica.RobotsError})
	dir := t.TempDir()
	code, out, errOut := connex(t, dir, "refresh", "--base-url", base, "--json")
	if code != 1 || !strings.Contains(errOut, "robots.txt") || !strings.Contains(errOut, "nothing was crawled") {
		t.Fatalf("exit %d: %q", code, errOut)
	}
	_, rep := refreshLines(t, out)
	if rep.Outcome != "failed" || srv.TotalRequests() != 1 {
		t.Errorf("report %+v, %d requests", rep, srv.TotalRequests())
	}
	if _, err := os.Stat(filepath.Join(dir, catalog.SnapshotFile)); err == nil {
		t.Error("a catalogue was written")
	}
}

func TestRefreshHumanSummary(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	refreshPrint(&b, &refreshReport{
		Outcome: "updated", BaseURL: "https://learn.microsoft.com/en-us/connectors/", Pages: 1466,
		Counts: crawl.Counts{Fetched: 20, Unchanged: 1444, Failed: 2}, Requests: 1470, Seconds: 754.2,
		Catalog: &catalog.Stats{Connectors: 1466, Operations: 15022},
		Changes: &catalog.ChangeSummary{Added: 3, Removed: 1, Changed: 5},
		FailedPages: []crawl.PageResult{
			{URL: "https://learn.microsoft.com/en-us/connectors/sendgrid/", Outcome: "failed", Status: 500, Attempts: 3, Error: "HTTP 500 Internal Server Error"},
			{URL: "https://learn.microsoft.com/en-us/connectors/evil\x1b[31m/", Outcome: "failed", Status: 404, Attempts: 1, Error: "HTTP 404 Not Found"},
		},
	})
	want := `Catalogue updated from https://learn.microsoft.com/en-us/connectors/
  1466 pages: 20 fetched, 1444 unchanged, 0 from cache, 2 failed
  1470 requests in 12m34s
  catalogue: 1466 connectors, 15022 operations
  changes: 3 added, 1 removed, 5 changed (see connex changes)
Failed pages:
  https://learn.microsoft.com/en-us/connectors/sendgrid/  HTTP 500 Internal Ser…
  https://learn.microsoft.com/en-us/connectors/evil␛[31m/  HTTP 404 Not Found (…
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}
