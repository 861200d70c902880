package procbench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connex-dev/connex/internal/realdata"
)

// rounds is how many runs of each process one benchmark iteration makes,
// interleaved so that a change in the machine's load hits both sides.
const rounds = 10

// The operation shown, and the one called: a GET with query parameters and
// an API key (left out: no auth profile). In the union its definition is
// the Power Platform API's, under /{connectionId}, so the call names a
// connection id (the loopback server answers whatever the path).
const (
	showConnector = "resend"
	showOperation = "EmailPost"
	callConnector = "abstractexchangerate"
	callOperation = "Convert"
	searchQuery   = "send email"
)

var (
	setupOnce sync.Once
	setupErr  error
	env       struct {
		dir, connex, bareSearch, bareShow, bareStart, data string
	}
)

func TestMain(m *testing.M) {
	code := m.Run()
	if env.dir != "" {
		os.RemoveAll(env.dir)
	}
	os.Exit(code)
}

// prepare builds the binaries and imports the union of both samples (the
// catalogue issue 11's floors are measured on) once for every benchmark of
// the run.
func prepare(b *testing.B) {
	b.Helper()
	tarball := realdata.Tarball(b) // skips when the shared data is absent
	apis := filepath.Join(realdata.Dir(b), "powerplatform-apis.tar.gz")
	setupOnce.Do(func() { setupErr = build(tarball, apis) })
	if setupErr != nil {
		b.Fatal(setupErr)
	}
}

func build(tarballs ...string) error {
	dir, err := os.MkdirTemp("", "connex-procbench-")
	if err != nil {
		return err
	}
	env.dir = dir
	env.data = filepath.Join(dir, "data")
	env.connex = os.Getenv("CONNEX_BENCH_BIN")
	var targets [][2]string
	if env.connex == "" {
		env.connex = filepath.Join(dir, "connex")
		targets = append(targets, [2]string{env.connex, "github.com/connex-dev/connex/cmd/connex"})
	}
	env.bareSearch = filepath.Join(dir, "baresearch")
	env.bareShow = filepath.Join(dir, "bareshow")
	env.bareStart = filepath.Join(dir, "barestart")
	targets = append(targets, [2]string{env.bareSearch, "./testdata/baresearch"}, [2]string{env.bareShow, "./testdata/bareshow"},
		[2]string{env.bareStart, "./testdata/barestart"})
	for _, t := range targets {
		// The same flags as `make build`, so the binary is the shipped one.
		if out, err := exec.Command("go", "build", "-ldflags", "-s -w", "-o", t[0], t[1]).CombinedOutput(); err != nil {
			return fmt.Errorf("build %s: %v\n%s", t[1], err, out)
		}
	}
	if out, err := connexCmd(append([]string{"import"}, tarballs...)...).CombinedOutput(); err != nil {
		// A few definitions of the sample are broken on purpose: the
		// import saves the rest and says so; only a missing catalogue is
		// fatal.
		if _, serr := os.Stat(filepath.Join(env.data, "catalog.snap")); serr != nil {
			return fmt.Errorf("import: %v\n%s", err, out)
		}
	}
	// One search first (the import stamped the index, so it checks
	// nothing, but it reads the files into the page cache); what is
	// measured is every search after it.
	if out, err := connexCmd("search", "--json", searchQuery).CombinedOutput(); err != nil {
		return fmt.Errorf("first search: %v\n%s", err, out)
	}
	return nil
}

func connexCmd(args ...string) *exec.Cmd {
	cmd := exec.Command(env.connex, append([]string{"--data-dir", env.data}, args...)...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	return cmd
}

// run is one ended process's figures.
type run struct {
	wall, cpu time.Duration
	rss       int64
}

func measure(b *testing.B, cmd *exec.Cmd) run {
	b.Helper()
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		b.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, stderr.String())
	}
	ps := cmd.ProcessState
	return run{wall: wall, cpu: ps.UserTime() + ps.SystemTime(), rss: maxRSS(ps)}
}

// side collects the runs of one process.
type side struct {
	name string
	runs []run
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func (s *side) report(b *testing.B) (cpuMedian, wallMedian float64) {
	cpu := make([]time.Duration, len(s.runs))
	wall := make([]time.Duration, len(s.runs))
	rss := make([]int64, len(s.runs))
	for i, r := range s.runs {
		cpu[i], wall[i], rss[i] = r.cpu, r.wall, r.rss
	}
	slices.Sort(cpu)
	slices.Sort(wall)
	slices.Sort(rss)
	cpuMedian, wallMedian = ms(cpu[len(cpu)/2]), ms(wall[len(wall)/2])
	b.ReportMetric(cpuMedian, s.name+"-cpu-ms")
	b.ReportMetric(wallMedian, s.name+"-wall-ms")
	b.ReportMetric(ms(wall[(len(wall)*95+99)/100-1]), s.name+"-wall-p95-ms")
	b.ReportMetric(float64(rss[len(rss)/2])/(1<<20), s.name+"-maxrss-MB")
	return cpuMedian, wallMedian
}

// compare runs a and b alternately, rounds times per iteration, after one
// unmeasured run of each (to fill the page cache), and reports both and
// the ratios of their median CPU and wall times (call's floor is on wall
// time, the others' on CPU).
func compare(b *testing.B, name, against string, cmdA, cmdB func() *exec.Cmd) {
	for _, mk := range []func() *exec.Cmd{cmdA, cmdB} {
		measure(b, mk())
	}
	sa, sb := &side{name: name}, &side{name: against}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for r := 0; r < rounds; r++ {
			sa.runs = append(sa.runs, measure(b, cmdA()))
			sb.runs = append(sb.runs, measure(b, cmdB()))
		}
	}
	b.StopTimer()
	ca, wa := sa.report(b)
	cb, wb := sb.report(b)
	if cb > 0 {
		b.ReportMetric(ca/cb, "cpu-ratio")
	}
	if wb > 0 {
		b.ReportMetric(wa/wb, "wall-ratio")
	}
}

// BenchmarkSearch: `connex search --json --limit 20 "send email"` against
// a process that opens the same index and runs the same query.
func BenchmarkSearch(b *testing.B) {
	prepare(b)
	// Both must find the same hits, or the comparison means nothing.
	got, err := connexCmd("search", "--json", "--limit", "20", searchQuery).Output()
	if err != nil {
		b.Fatal(err)
	}
	bare, err := exec.Command(env.bareSearch, filepath.Join(env.data, "index"), searchQuery, "20").Output()
	if err != nil {
		b.Fatal(err)
	}
	var cli struct {
		Hits []struct{ Connector, Operation string }
	}
	var raw []struct{ Connector, Operation string }
	if err := json.Unmarshal(got, &cli); err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal(bare, &raw); err != nil {
		b.Fatal(err)
	}
	if len(cli.Hits) == 0 || !slices.Equal(cli.Hits, raw) {
		b.Fatalf("connex found %v, the bare search %v", cli.Hits, raw)
	}
	compare(b, "connex", "bare",
		func() *exec.Cmd { return connexCmd("search", "--json", "--limit", "20", searchQuery) },
		func() *exec.Cmd {
			return exec.Command(env.bareSearch, filepath.Join(env.data, "index"), searchQuery, "20")
		})
}

// BenchmarkShow: `connex show CONNECTOR/OP --json` against a process that
// opens the same snapshot and prints the same operation.
func BenchmarkShow(b *testing.B) {
	prepare(b)
	if out, err := connexCmd("show", showConnector+"/"+showOperation, "--json").CombinedOutput(); err != nil {
		b.Skipf("%s/%s is not in this catalogue: %s", showConnector, showOperation, out)
	}
	compare(b, "connex", "bare",
		func() *exec.Cmd { return connexCmd("show", showConnector+"/"+showOperation, "--json") },
		func() *exec.Cmd {
			return exec.Command(env.bareShow, filepath.Join(env.data, "catalog.snap"), showConnector, showOperation)
		})
}

// BenchmarkVersion: `connex --version`, which should cost no more than
// starting the process, against a Go program that only prints a line.
func BenchmarkVersion(b *testing.B) {
	prepare(b)
	compare(b, "connex", "bare",
		func() *exec.Cmd { return connexCmd("--version") },
		func() *exec.Cmd { return exec.Command(env.bareStart) })
}

// BenchmarkCall: `connex call CONNECTOR/OP --base-url <loopback server>`
// against curl sending the same request to the same server.
func BenchmarkCall(b *testing.B) {
	prepare(b)
	curl, err := exec.LookPath("curl")
	if err != nil {
		b.Skip("curl is not installed")
	}
	var hits sync.Map
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Store(r.Header.Get("User-Agent"), r.URL.String())
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"base":"EUR","target":"USD","exchange_rate":1.08}`)
	}))
	defer srv.Close()
	args := []string{"call", callConnector + "/" + callOperation, "-p", "connectionId=c1", "-p", "base=EUR", "-p", "target=USD", "--base-url", srv.URL}
	// The request curl sends is the one connex says it would send.
	line, err := connexCmd(append(args, "--curl")...).Output()
	if err != nil {
		b.Skipf("%s/%s is not callable in this catalogue: %v", callConnector, callOperation, err)
	}
	const path = "/apim/" + callConnector + "/c1/v1/convert/?base=EUR&target=USD"
	url := srv.URL + path
	if !strings.Contains(string(line), "'"+url+"'") {
		b.Fatalf("connex --curl printed %s, want the URL %s", line, url)
	}
	compare(b, "connex", "curl",
		func() *exec.Cmd { return connexCmd(args...) },
		func() *exec.Cmd { return exec.Command(curl, "-sS", "-o", "/dev/null", "-H", "User-Agent: connex", url) })
	if v, ok := hits.Load("connex"); !ok || v != path {
		b.Fatalf("the server saw %v from connex", v)
	}
}
