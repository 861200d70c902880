package tui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	usecase "github.com/connex-dev/connex/internal/app"
	"github.com/connex-dev/connex/internal/realdata"
)

// TestFlowRealIndexSample drives the TUI over the real bleve index of the
// sample catalogue: type, open, go back.
func TestFlowRealIndexSample(t *testing.T) {
	t.Parallel()
	cat := catalog.Sample()
	ix, err := index.NewMemory(cat)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	opts := testOptions(cat, nil)
	opts.Searcher = ix
	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(80, 24))
	tm.Type("forecast")
	waitScreen(t, tm, "Get forecast")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitScreen(t, tm, "Operation ID: GetForecast", "/weather/forecast/{city}")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	if len(final.stack) != 1 || len(final.search.hits) == 0 || final.search.hits[0].OperationID != "GetForecast" {
		t.Fatalf("final: depth %d hits %v", len(final.stack), final.search.hits)
	}
}

// TestRealCatalogueScreens opens every connector of the real catalogue and
// one operation of each at 80x24: nothing panics and no raw control
// character reaches the screen.
func TestRealCatalogueScreens(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("imports the full real catalogue")
	}
	cat := realdata.Catalog(t)
	m := New(Options{Catalog: cat, Searcher: index.NewScanSearcher(cat), Now: func() time.Time { return fixedNow }})
	send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	for _, conn := range cat.Connectors {
		m.stack = m.stack[:1]
		m.push(newConnectorPage(m.env(), conn))
		checkInert(t, conn.ID, m.View())
		for i, op := range conn.Operations {
			if i%10 != 0 {
				continue
			}
			p := newOperationPage(m.env(), conn, op)
			p.eachTree(func(n *schemaNode) { n.setAll(true) })
			p.rebuild()
			m.push(p)
			checkInert(t, conn.ID+"/"+op.ID, m.View())
			m.back()
		}
	}
}

func checkInert(t *testing.T, name, v string) {
	t.Helper()
	rest := sgr.ReplaceAllString(v, "")
	if i := strings.IndexAny(rest, "\x1b\r\x07\x00"); i >= 0 {
		t.Fatalf("%s: raw control character %q on screen", name, rest[i])
	}
}

// realSetup imports the union of both shared samples once (the catalogue
// issue 11's floors are measured on) and builds its on-disk index.
var realSetup = struct {
	once sync.Once
	dir  string
	cat  *catalog.Catalog
	err  error
}{}

func realDataDir(b *testing.B) (string, *catalog.Catalog) {
	b.Helper()
	realdata.Dir(b) // skips when absent
	realSetup.once.Do(func() {
		cat := realdata.Union(b)
		dir, err := os.MkdirTemp("", "connex-tui-bench-")
		if err != nil {
			realSetup.err = err
			return
		}
		// As an import leaves the data folder: snapshot, index and the
		// stamp that pairs them.
		realSetup.err = usecase.New(dir).SaveCatalog(context.Background(), cat)
		realSetup.dir, realSetup.cat = dir, cat
	})
	if realSetup.err != nil {
		b.Fatal(realSetup.err)
	}
	return realSetup.dir, realSetup.cat
}

// BenchmarkFirstFrameModel is the TUI's own share of the first frame:
// New and the first View, before any catalogue is loaded (the catalogue
// loads in a command after it).
func BenchmarkFirstFrameModel(b *testing.B) {
	opts := Options{LoadCatalog: func(context.Context) (*catalog.Catalog, Searcher, error) { return nil, nil, nil }}
	for b.Loop() {
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		_ = m.View()
	}
}

// BenchmarkCatalogueLoad is what the load command does with the full real
// catalogue: read the snapshot and open the index.
func BenchmarkCatalogueLoad(b *testing.B) {
	dir, _ := realDataDir(b)
	for b.Loop() {
		cat, err := catalog.Load(filepath.Join(dir, catalog.SnapshotFile))
		if err != nil {
			b.Fatal(err)
		}
		ix, err := index.Open(filepath.Join(dir, "index"))
		if err != nil {
			b.Fatal(err)
		}
		_ = cat
		ix.Close()
	}
}

// realModel is the explorer over the real catalogue in memory and its
// on-disk index (closed when b ends), after its first search.
func realModel(b *testing.B, dir string, cat *catalog.Catalog) *Model {
	ix, err := index.Open(filepath.Join(dir, "index"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	m := New(Options{Catalog: cat, Searcher: ix})
	settle(m, m.Init())
	return m
}

// BenchmarkKeystroke types queries one key at a time over the full real
// catalogue and its on-disk index: each op is one keystroke's search and
// the render of its results, the work between a key and its frame.
func BenchmarkKeystroke(b *testing.B) {
	dir, cat := realDataDir(b)
	m := realModel(b, dir, cat)
	send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	queries := []string{"send an email with attachment", "create record", "sharepoint file", "get weather forecast", "translate text"}
	var typed, clears []time.Duration
	worst, worstWhat := time.Duration(0), ""
	n := 0
	b.ResetTimer()
	for b.Loop() {
		q := queries[(n/40)%len(queries)]
		i := n % 40
		n++
		start := time.Now()
		if i >= len(q) {
			if m.search.input.Value() == "" {
				continue
			}
			m.search.input.SetValue("")
			send(m, tea.KeyMsg{Type: tea.KeyCtrlU})
			_ = m.View()
			clears = append(clears, time.Since(start))
			continue
		}
		send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{rune(q[i])}})
		_ = m.View()
		d := time.Since(start)
		typed = append(typed, d)
		if d > worst {
			worst, worstWhat = d, fmt.Sprintf("%q", m.search.input.Value())
		}
	}
	ms := func(ds []time.Duration, q int) float64 {
		if len(ds) == 0 {
			return 0
		}
		slices.Sort(ds)
		return float64(ds[(len(ds)-1)*q/100].Microseconds()) / 1000
	}
	b.ReportMetric(ms(typed, 50), "key-p50-ms")
	b.ReportMetric(ms(typed, 95), "key-p95-ms")
	b.ReportMetric(ms(typed, 100), "key-max-ms")
	b.ReportMetric(ms(clears, 50), "clear-p50-ms")
	b.Logf("%d typed keys, slowest %v for %s; %d clears (match-all query with facets)", len(typed), worst, worstWhat, len(clears))
}

// BenchmarkProcess starts the real binary on a pseudo-terminal (script)
// with the union of both samples imported, and measures from exec to the
// first frame, to the first results on screen, and the idle RSS after
// that: of the first start on the data folder as the setup left it, and
// the median of all starts; then it types a query (searchQuery) and
// measures the idle RSS after its results (median): the rows and the
// preview of a typed search decode their connectors.
// TERM is tmux's, so no background-colour query is sent (script's pty has
// no terminal behind it to answer one); the times include starting
// script, sh and stty, so they are upper bounds.
func BenchmarkProcess(b *testing.B) {
	if _, err := exec.LookPath("script"); err != nil {
		b.Skip("needs script(1) for a pseudo-terminal")
	}
	dir, cat := realDataDir(b)
	bin := filepath.Join(b.TempDir(), "connex")
	build := exec.Command("go", "build", "-o", bin, "../cmd/connex")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	loaded := fmt.Sprintf("%s connectors", commas(len(cat.Connectors)))
	searched := searchedCount(b, dir, cat)
	var firsts, readys, bases, cpus []time.Duration
	var rss, rssSearch []float64
	for b.Loop() {
		bases = append(bases, baseline(b))
		r := runProcess(b, bin, dir, loaded, searched)
		firsts, readys, cpus = append(firsts, r.first), append(readys, r.ready), append(cpus, r.readyCPU)
		rss, rssSearch = append(rss, r.idleKB), append(rssSearch, r.searchKB)
	}
	ms := func(ds []time.Duration, q int) float64 {
		slices.Sort(ds)
		return float64(ds[(len(ds)-1)*q/100].Microseconds()) / 1000
	}
	b.ReportMetric(ms(firsts, 0), "first-frame-min-ms")
	b.ReportMetric(ms(firsts, 50), "first-frame-median-ms")
	b.ReportMetric(ms(bases, 50), "pty-baseline-median-ms")
	b.ReportMetric(ms(readys, 50), "results-median-ms")
	b.ReportMetric(ms(cpus, 50), "results-cpu-median-ms")
	b.ReportMetric(rss[0]/1024, "idle-rss-first-MB")
	slices.Sort(rss)
	b.ReportMetric(rss[(len(rss)-1)/2]/1024, "idle-rss-median-MB")
	slices.Sort(rssSearch)
	b.ReportMetric(rssSearch[(len(rssSearch)-1)/2]/1024, "idle-rss-search-median-MB")
}

// searchQuery is what BenchmarkProcess types once the first results show.
const searchQuery = "send email"

// searchedCount is the count line the explorer shows for searchQuery on
// the benchmark's data: the model over the same index answers it.
func searchedCount(b *testing.B, dir string, cat *catalog.Catalog) string {
	m := realModel(b, dir, cat)
	for _, r := range searchQuery {
		send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return fmt.Sprintf("%s results", commas(int(m.search.total)))
}

// baseline is the same measure for a program that prints at once: the
// cost of script, sh and stty alone.
func baseline(b *testing.B) time.Duration {
	cmd := exec.Command("script", "-qfec", "stty cols 120 rows 40; exec echo connex", "/dev/null")
	start := time.Now()
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	chunk := make([]byte, 4096)
	var d time.Duration
	for d == 0 {
		n, err := out.Read(chunk)
		buf.Write(chunk[:n])
		if bytes.Contains(buf.Bytes(), []byte("connex")) {
			d = time.Since(start)
		}
		if err != nil {
			break
		}
	}
	_ = cmd.Wait()
	return d
}

// processRun is what runProcess measured of one start.
type processRun struct {
	first, ready time.Duration // wall times from exec
	// readyCPU is the CPU time connex had used (all its threads) when
	// the first results showed: unlike wall times, the machine's load
	// does not add to it.
	readyCPU         time.Duration
	idleKB, searchKB float64 // idle RSS after the first results, after the typed search
}

func runProcess(b *testing.B, bin, dir, loaded, searched string) processRun {
	var first, ready time.Duration
	cmd := exec.Command("script", "-qfec", "stty cols 120 rows 40; exec "+bin+" --data-dir "+dir, "/dev/null")
	cmd.Env = append(os.Environ(), "TERM=tmux-256color")
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	defer stdin.Close()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	var buf bytes.Buffer
	chunk := make([]byte, 64<<10)
	deadline := time.Now().Add(60 * time.Second)
	for ready == 0 && time.Now().Before(deadline) {
		n, err := out.Read(chunk)
		buf.Write(chunk[:n])
		if first == 0 && bytes.Contains(buf.Bytes(), []byte("connex")) {
			first = time.Since(start)
		}
		if bytes.Contains(buf.Bytes(), []byte(loaded)) && bytes.Contains(buf.Bytes(), []byte(" results")) {
			ready = time.Since(start)
		}
		if err != nil {
			b.Fatalf("output ended: %v\n%q", err, buf.String())
		}
	}
	if ready == 0 {
		b.Fatalf("no results within 60s:\n%q", buf.String())
	}
	// The connex process is script's grandchild after exec.
	pid := findPid(bin)
	if pid == 0 {
		b.Fatal("connex process not found")
	}
	readyCPU := readCPU(pid)
	// Idle: the explorer gives the load's garbage back once idle.
	time.Sleep(3 * time.Second)
	rssKB := readRSS(pid)
	// A typed search, and the idle RSS after its results.
	buf.Reset()
	if _, err := stdin.Write([]byte(searchQuery)); err != nil {
		b.Fatal(err)
	}
	for !bytes.Contains(buf.Bytes(), []byte(searched)) {
		n, err := out.Read(chunk)
		buf.Write(chunk[:n])
		if err != nil || time.Now().After(deadline) {
			b.Fatalf("no %q after typing %q: %v\n%q", searched, searchQuery, err, buf.String())
		}
	}
	time.Sleep(3 * time.Second)
	searchKB := readRSS(pid)
	_ = syscallKill(pid)
	return processRun{first: first, ready: ready, readyCPU: readyCPU, idleKB: rssKB, searchKB: searchKB}
}

// readCPU sums the time on a CPU of every thread of pid (schedstat, in
// nanoseconds: the clock ticks of /proc/PID/stat are 10 ms).
func readCPU(pid int) time.Duration {
	tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	var sum time.Duration
	for _, t := range tasks {
		st, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/schedstat", pid, t.Name()))
		if err != nil {
			continue
		}
		if f := strings.Fields(string(st)); len(f) > 0 {
			ns, _ := strconv.ParseInt(f[0], 10, 64)
			sum += time.Duration(ns)
		}
	}
	return sum
}

func findPid(bin string) int {
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cl, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err == nil && strings.HasPrefix(string(cl), bin+"\x00") {
			return pid
		}
	}
	return 0
}

func readRSS(pid int) float64 {
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(st), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			if len(f) >= 2 {
				v, _ := strconv.ParseFloat(f[1], 64)
				return v
			}
		}
	}
	return 0
}

func syscallKill(pid int) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Kill()
}
