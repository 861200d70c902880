package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/connex-dev/connex/catalog"
)

// lockedBuffer is a bytes.Buffer safe for the mock's log goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// mockRun starts 'connex mock' in-process; the returned reader is its
// standard output, and stop cancels it and returns its exit code.
func mockRun(t *testing.T, args ...string) (out *bufio.Reader, errOut *lockedBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	errOut = &lockedBuffer{}
	a := &app{stdin: strings.NewReader(""), stdout: pw, stderr: errOut, ctx: ctx}
	root := newRootCmd(a)
	root.SetArgs(append([]string{"--data-dir", t.TempDir(), "mock"}, args...))
	done := make(chan int, 1)
	go func() {
		code := 0
		if err := root.ExecuteContext(ctx); err != nil {
			errOut.Write([]byte(err.Error()))
			code = 1
		}
		pw.Close()
		done <- code
	}()
	return bufio.NewReader(pr), errOut, func() int {
		cancel()
		_, _ = io.Copy(io.Discard, pr)
		return <-done
	}
}

func mockGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestMockCommandJSON(t *testing.T) {
	t.Parallel()
	out, errOut, stop := mockRun(t, "sampleweather", "--json")
	var info mockStart
	if err := json.NewDecoder(out).Decode(&info); err != nil {
		t.Fatalf("decode the start JSON: %v (stderr %s)", err, errOut)
	}
	if info.Connector != "sampleweather" || info.BaseURL != info.URL+"/weather" || len(info.Operations) != 3 || len(info.Examples) != 2 {
		t.Fatalf("start info %+v", info)
	}
	if status, body := mockGet(t, info.Examples[0].URL); status != 200 || !strings.Contains(body, `"city":"Lisbon"`) {
		t.Errorf("example %s: %d %s", info.Examples[0].URL, status, body)
	}
	if status, _ := mockGet(t, info.BaseURL+"/current?appid=SECRET"); status != 400 {
		t.Errorf("missing city: %d", status)
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(errOut.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		delete(m, "time")
		lines = append(lines, m)
	}
	b, _ := json.Marshal(lines)
	want := `[{"method":"GET","operation":"GetCurrentWeather","path":"/weather/current","status":200},` +
		`{"error":"missing required query parameter \"city\"","method":"GET","operation":"GetCurrentWeather","path":"/weather/current","status":400}]`
	if string(b) != want {
		t.Errorf("log\n got %s\nwant %s", b, want)
	}
	if strings.Contains(errOut.String(), "SECRET") {
		t.Error("the query string (which may hold an API key) was logged")
	}
}

func TestMockCommandBanner(t *testing.T) {
	t.Parallel()
	out, errOut, stop := mockRun(t, "sampletasks")
	var banner strings.Builder
	for {
		line, err := out.ReadString('\n')
		if err != nil {
			t.Fatalf("banner ended early: %v\n%s\nstderr %s", err, banner.String(), errOut)
		}
		banner.WriteString(line)
		if strings.HasPrefix(line, "Requests are logged below") {
			break
		}
	}
	port := regexp.MustCompile(`127\.0\.0\.1:\d+`)
	addr := port.FindString(banner.String())
	if status, _ := mockGet(t, "http://"+addr+"/tasks/v1/tasks/t-1"); status != 200 {
		t.Errorf("GET task: %d", status)
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	got := port.ReplaceAllString(banner.String(), "127.0.0.1:PORT")
	want := `Mock of Sample Tasks (sampletasks) listening on http://127.0.0.1:PORT
Base URL: http://127.0.0.1:PORT/tasks/v1
Credentials: not checked (--require-auth to practise them).

Try:
  # ListTasks
  curl 'http://127.0.0.1:PORT/tasks/v1/tasks'
  # GetTask
  curl 'http://127.0.0.1:PORT/tasks/v1/tasks/string'
  # CreateTaskV2
  curl -X POST 'http://127.0.0.1:PORT/tasks/v1/tasks' \
    -H 'Content-Type: application/json' \
    -d '{"title":"Write the report"}'
  # OnTaskDone
  curl 'http://127.0.0.1:PORT/tasks/v1/tasks/trigger/done'

Or: connex call sampletasks/OPERATION --base-url http://127.0.0.1:PORT
Requests are logged below. Press Ctrl-C to stop.
`
	if got != want {
		t.Errorf("banner\n got:\n%s\nwant:\n%s", got, want)
	}
	for i, line := range strings.Split(banner.String(), "\n") {
		if w := len([]rune(line)); w > 80 {
			t.Errorf("line %d is %d columns wide: %q", i+1, w, line)
		}
	}
	logLine := regexp.MustCompile(`^\d\d:\d\d:\d\d GET /tasks/v1/tasks/t-1 200 GetTask\n$`)
	if !logLine.MatchString(errOut.String()) {
		t.Errorf("log %q", errOut.String())
	}
}

func TestMockCommandRefusals(t *testing.T) {
	t.Parallel()
	code, _, errOut := connex(t, t.TempDir(), "mock", "sampletasks", "--addr", "0.0.0.0:0")
	if code != 1 || !strings.Contains(errOut, "refusing to serve on 0.0.0.0:0") || !strings.Contains(errOut, "--public") {
		t.Errorf("public address: exit %d, %q", code, errOut)
	}
	code, _, errOut = connex(t, t.TempDir(), "mock", "nosuch")
	if code != 1 || !strings.Contains(errOut, `no connector "nosuch"`) {
		t.Errorf("unknown connector: exit %d, %q", code, errOut)
	}
}

func TestMockCallHook(t *testing.T) {
	t.Parallel()
	conn, ok := catalog.Sample().Connector("sampleorders")
	if !ok {
		t.Fatal("no sampleorders")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url, stop, err := callStartMock(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := mockGet(t, url+"/shop/orders/7"); status != 200 {
		t.Errorf("GET order: %d", status)
	}
	stop()
	stop() // twice is harmless
	if _, err := http.Get(url + "/shop/orders/7"); err == nil {
		t.Error("the mock still answers after stop")
	}
}
