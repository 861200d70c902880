package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/adrg/xdg"
	"github.com/zalando/go-keyring"
)

// callEnv is an isolated connex home: data, config and cache folders in
// temporary directories, the keyring in memory, an echo server.
type callEnv struct {
	t       *testing.T
	dataDir string
	dirs    []string
	srv     *httptest.Server
	mu      sync.Mutex
	hits    int
	last    *http.Request
}

func newCallEnv(t *testing.T) *callEnv {
	t.Helper()
	keyring.MockInit()
	e := &callEnv{t: t, dataDir: t.TempDir()}
	cfg, cache, data, home := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("XDG_DATA_HOME", data)
	t.Setenv("HOME", home)
	t.Setenv(EnvDataDir, "")
	xdg.Reload()
	t.Cleanup(xdg.Reload)
	e.dirs = []string{e.dataDir, cfg, cache, data, home}
	// The echo server answers with everything it received, credentials
	// included, as a careless or hostile server would.
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e.mu.Lock()
		e.hits++
		e.last = r.Clone(r.Context())
		e.mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "/missing") || strings.HasSuffix(r.URL.Path, "/orders/404") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(404)
			fmt.Fprint(w, `{"error":"no such thing"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo-Auth", r.Header.Get("Authorization")+r.Header.Get("X-Api-Key"))
		json.NewEncoder(w).Encode(map[string]any{
			"method": r.Method, "url": r.URL.String(), "headers": r.Header, "body": string(body),
		})
	}))
	t.Cleanup(e.srv.Close)
	return e
}

// run runs connex with the test's data folder.
func (e *callEnv) run(stdin string, args ...string) (code int, stdout, stderr string) {
	e.t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"--data-dir", e.dataDir}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func (e *callEnv) mustRun(stdin string, args ...string) string {
	e.t.Helper()
	code, out, errs := e.run(stdin, args...)
	if code != 0 {
		e.t.Fatalf("connex %v: exit %d\nstdout: %s\nstderr: %s", args, code, out, errs)
	}
	return out
}

func (e *callEnv) hitCount() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.hits
}

// TestCanarySecretNeverWritten stores a canary secret through the keyring,
// then makes calls (a server echoes the credentials back), dry runs, curl
// exports, history listings and a replay, and checks that the canary is in
// no file under the data, config and cache folders, nor in any output.
func TestCanarySecretNeverWritten(t *testing.T) {
	const canary = "CANARY-7f3a9c-SECRET"
	e := newCallEnv(t)
	basicB64 := base64.StdEncoding.EncodeToString([]byte("ann:" + canary))
	var outputs []string
	keep := func(s ...string) { outputs = append(outputs, s...) }

	keep(e.mustRun(canary+"\n", "auth", "set", "sampletasks", "--secret-stdin"))
	keep(e.mustRun(canary, "auth", "set", "sampleweather", "--secret-stdin"))
	keep(e.mustRun("ann:"+canary+"\n", "auth", "set", "sampleorders", "--type", "basic", "--secret-stdin"))
	t.Setenv("CONNEX_TEST_TOKEN", canary)
	keep(e.mustRun("", "auth", "set", "sampleorders", "--profile", "tok", "--type", "bearer", "--token-env", "CONNEX_TEST_TOKEN"))
	keep(e.mustRun("", "auth", "list"), e.mustRun("", "auth", "list", "--json"))

	base := []string{"--base-url", e.srv.URL}
	calls := [][]string{
		{"call", "sampletasks/ListTasks", "-p", "status=all"},
		{"call", "sampletasks/CreateTaskV2", "--yes", "--json"},
		{"call", "sampleweather/GetCurrentWeather", "-p", "city=Oslo", "--json"},
		{"call", "sampleweather/GetCurrentWeather", "-p", "city=Oslo", "-i"},
		{"call", "sampleorders/GetOrder", "-p", "orderId=7"},
		{"call", "sampleorders/GetOrder", "-p", "orderId=8", "--auth", "tok", "--json"},
		{"call", "sampleorders/CreateOrder", "--yes", "--body", `{"customerId":"` + canary + `","lines":[]}`},
	}
	for _, args := range calls {
		code, out, errs := e.run("", append(args, base...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		keep(out, errs)
	}
	if got := e.hitCount(); got != len(calls) {
		t.Fatalf("server saw %d calls, want %d", got, len(calls))
	}
	// The secret did reach the server.
	if got := e.last.Header.Get("Authorization"); got != "Basic "+basicB64 {
		t.Fatalf("server got Authorization %q, want the basic credentials", got)
	}
	for _, args := range [][]string{
		{"call", "sampletasks/CreateTaskV2", "--dry-run"},
		{"call", "sampleweather/GetCurrentWeather", "-p", "city=Oslo", "--dry-run", "--json"},
		{"call", "sampleorders/GetOrder", "-p", "orderId=1", "--curl"},
		{"call", "sampleweather/GetCurrentWeather", "-p", "city=Oslo", "--curl"},
	} {
		keep(e.mustRun("", append(args, base...)...))
	}
	keep(e.mustRun("", "history"), e.mustRun("", "history", "--json"))
	code, out, errs := e.run("", "history", "replay", "5")
	if code != 0 {
		t.Fatalf("replay: exit %d: %s", code, errs)
	}
	keep(out, errs)
	if e.hitCount() != len(calls)+1 {
		t.Fatalf("replay did not send")
	}
	if got := e.last.Header.Get("Authorization"); got != "Basic "+basicB64 {
		t.Fatalf("replay sent Authorization %q, want the current secret", got)
	}
	// The body the user typed is theirs; it is not a secret store, but a
	// canary there is scrubbed too because it equals a known secret.

	for i, s := range outputs {
		if strings.Contains(s, canary) || strings.Contains(s, basicB64) {
			t.Errorf("output %d shows the secret:\n%s", i, s)
		}
	}
	files := 0
	for _, dir := range e.dirs {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			files++
			b, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("read %s: %v", path, err)
				return nil
			}
			if bytes.Contains(b, []byte(canary)) || bytes.Contains(b, []byte(basicB64)) {
				t.Errorf("%s holds the secret", path)
			}
			return nil
		})
	}
	hist, err := os.ReadFile(filepath.Join(e.dataDir, "history.jsonl"))
	if err != nil || bytes.Count(hist, []byte("\n")) != len(calls)+1 {
		t.Fatalf("history has %d lines (err %v), want %d", bytes.Count(hist, []byte("\n")), err, len(calls)+1)
	}
	if files < 3 {
		t.Fatalf("walked %d files; the test is not looking where connex writes", files)
	}
}

// callSecret sets up an API-key profile for sampleweather.
func callSecret(t *testing.T, e *callEnv) {
	t.Helper()
	e.mustRun("key-123456\n", "auth", "set", "sampleweather", "--secret-stdin")
}

func TestCallDryRunOutput(t *testing.T) {
	e := newCallEnv(t)
	callSecret(t, e)
	out := e.mustRun("", "call", "sampleweather/GetCurrentWeather", "-p", "city=Oslo", "--dry-run", "--base-url", "http://127.0.0.1:9")
	want := "GET http://127.0.0.1:9/weather/current?city=Oslo&appid=****\nAccept: application/json\nUser-Agent: connex\n"
	if out != want {
		t.Errorf("dry run =\n%s\nwant\n%s", out, want)
	}
	out = e.mustRun("", "call", "sampleweather/GetCurrentWeather", "-p", "city=Oslo", "--dry-run", "--json", "--base-url", "http://127.0.0.1:9")
	wantJSON := `{
  "request": {
    "method": "GET",
    "url": "http://127.0.0.1:9/weather/current?city=Oslo&appid=****",
    "headers": {
      "Accept": "application/json",
      "User-Agent": "connex"
    }
  }
}
`
	if out != wantJSON {
		t.Errorf("dry run --json =\n%s\nwant\n%s", out, wantJSON)
	}
	if e.hitCount() != 0 {
		t.Errorf("a dry run sent %d requests", e.hitCount())
	}
}

func TestCallCurlOutput(t *testing.T) {
	e := newCallEnv(t)
	callSecret(t, e)
	out := e.mustRun("", "call", "sampleweather/GetCurrentWeather", "-p", "city=Oslo", "--curl", "--base-url", "http://127.0.0.1:9")
	want := "# export CONNEX_SECRET=... (the secret) first\n" +
		"curl 'http://127.0.0.1:9/weather/current?city=Oslo&appid='\"${CONNEX_SECRET}\" \\\n" +
		"  -H 'Accept: application/json' \\\n  -H 'User-Agent: connex'\n"
	if out != want {
		t.Errorf("curl =\n%s\nwant\n%s", out, want)
	}
}

func TestCallJSONOutput(t *testing.T) {
	e := newCallEnv(t)
	callSecret(t, e)
	out := e.mustRun("", "call", "sampleweather/GetCurrentWeather", "-p", "city=Oslo", "--json", "--base-url", e.srv.URL)
	var got struct {
		Request struct {
			Method  string            `json:"method"`
			URL     string            `json:"url"`
			Headers map[string]string `json:"headers"`
		} `json:"request"`
		Response struct {
			Status     int               `json:"status"`
			Headers    map[string]string `json:"headers"`
			Body       map[string]any    `json:"body"`
			DurationMS *float64          `json:"duration_ms"`
		} `json:"response"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Request.Method != "GET" || got.Request.URL != e.srv.URL+"/weather/current?city=Oslo&appid=****" {
		t.Errorf("request = %+v", got.Request)
	}
	if got.Response.Status != 200 || got.Response.DurationMS == nil || got.Response.Headers["Content-Type"] != "application/json" {
		t.Errorf("response = %+v", got.Response)
	}
	// The server echoed the URL with the key: scrubbed.
	if got.Response.Body["url"] != "/weather/current?city=Oslo&appid=****" {
		t.Errorf("echoed url = %v, want the key scrubbed", got.Response.Body["url"])
	}
}

func TestCallExitCodes(t *testing.T) {
	e := newCallEnv(t)
	base := []string{"--base-url", e.srv.URL}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
		stdout string
		sends  bool
	}{
		{"ok", []string{"call", "sampletasks/GetTask", "-p", "taskId=1"}, 0, "200 OK", `"method":"GET"`, true},
		{"server 404", []string{"call", "sampleorders/GetOrder", "-p", "orderId=404"}, 1, "connex: the server answered 404 Not Found", `{"error":"no such thing"}`, true},
		{"unknown connector", []string{"call", "nosuch/Op"}, 1, `no connector "nosuch"`, "", false},
		{"unknown operation", []string{"call", "sampletasks/Nope"}, 1, `has no operation "Nope"`, "", false},
		{"no operation", []string{"call", "sampletasks"}, 1, "name an operation", "", false},
		{"invalid parameters", []string{"call", "sampleorders/GetOrder", "-p", "orderId=abc"}, 1,
			"connex: sampleorders/GetOrder: nothing was sent:\n  parameter \"orderId\" (path): \"abc\" is not an integer\n", "", false},
		{"missing required", []string{"call", "sampleweather/GetCurrentWeather"}, 1, `parameter "city" (query): is required`, "", false},
		{"POST without --yes on a pipe", []string{"call", "sampleorders/DeleteOrder", "-p", "orderId=1"}, 1,
			"refusing to send DELETE " + e.srv.URL + "/shop/orders/1 without confirmation: standard input is not a terminal; pass --yes", "", false},
		{"unknown auth profile", []string{"call", "sampletasks/GetTask", "-p", "taskId=1", "--auth", "nope"}, 1, `auth profile "nope" of sampletasks: no such auth profile`, "", false},
		{"bad -p", []string{"call", "sampletasks/GetTask", "-p", "taskId"}, 1, `-p "taskId": want NAME=VALUE`, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.hitCount()
			code, out, errs := e.run("", append(tt.args, base...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstderr: %s", code, tt.code, errs)
			}
			if !strings.Contains(errs, tt.stderr) {
				t.Errorf("stderr = %q, want it to contain %q", errs, tt.stderr)
			}
			if !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout = %q, want it to contain %q", out, tt.stdout)
			}
			if sent := e.hitCount() > before; sent != tt.sends {
				t.Errorf("sent = %v, want %v", sent, tt.sends)
			}
		})
	}
}

func TestCallHistoryTableAndReplay(t *testing.T) {
	e := newCallEnv(t)
	e.mustRun("", "call", "sampletasks/GetTask", "-p", "taskId=t-1", "--base-url", e.srv.URL)
	e.mustRun("", "call", "sampleorders/CreateOrder", "--yes", "--base-url", e.srv.URL)
	out := e.mustRun("", "history")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "#  WHEN") {
		t.Fatalf("history table:\n%s", out)
	}
	for _, l := range lines {
		if len([]rune(l)) > 80 {
			t.Errorf("line wider than 80 columns: %q", l)
		}
	}
	if !strings.Contains(lines[1], "200     GET     sampletasks/GetTask") || !strings.Contains(lines[2], "200     POST    sampleorders/CreateOrder") {
		t.Errorf("history rows:\n%s", out)
	}
	var entries []map[string]any
	if err := json.Unmarshal([]byte(e.mustRun("", "history", "--json")), &entries); err != nil || len(entries) != 2 {
		t.Fatalf("history --json: %v %v", err, entries)
	}
	if entries[1]["request_body"] != "{\n  \"customerId\": \"c-7\",\n  \"lines\": [\n    {\n      \"quantity\": 2,\n      \"sku\": \"SKU-1\"\n    }\n  ]\n}" {
		t.Errorf("stored request body = %q", entries[1]["request_body"])
	}
	// Replaying a POST asks again.
	if code, _, errs := e.run("", "history", "replay", "2"); code != 1 || !strings.Contains(errs, "refusing to send POST") {
		t.Errorf("replay of a POST without --yes: exit %d %s", code, errs)
	}
	before := e.hitCount()
	e.mustRun("", "history", "replay", "1")
	if e.hitCount() != before+1 || e.last.URL.Path != "/tasks/v1/tasks/t-1" {
		t.Errorf("replay sent %s", e.last.URL.Path)
	}
	if code, _, errs := e.run("", "history", "replay", "9"); code != 1 || !strings.Contains(errs, "history entry 9: no such history entry") {
		t.Errorf("replay 9: exit %d %s", code, errs)
	}
}

func TestAuthCommands(t *testing.T) {
	e := newCallEnv(t)
	e.mustRun("k1\n", "auth", "set", "sampletasks", "--secret-stdin")
	e.mustRun("ann:pw\n", "auth", "set", "sampleorders", "--profile", "ci", "--secret-stdin")
	e.mustRun("", "auth", "set", "sampleweather", "--token-command", "echo tok")
	out := e.mustRun("", "auth", "list")
	want := "CONNECTOR      PROFILE  TYPE    SECRET FROM\n" +
		"sampleorders   ci       basic   keyring\n" +
		"sampletasks    default  apikey  keyring\n" +
		"sampleweather  default  apikey  command: echo tok\n"
	if out != want {
		t.Errorf("auth list =\n%s\nwant\n%s", out, want)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(e.mustRun("", "auth", "list", "--json")), &list); err != nil || len(list) != 3 {
		t.Fatalf("auth list --json: %v %v", err, list)
	}
	keys := make([]string, 0)
	for k := range list[0] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if strings.Join(keys, ",") != "bound_at,connector,host,profile,scheme,storage,type,updated_at" {
		t.Errorf("json fields = %v", keys)
	}
	// The command's token is used at call time.
	e.mustRun("", "call", "sampleweather/GetCurrentWeather", "-p", "city=Oslo", "--base-url", e.srv.URL)
	if got := e.last.URL.Query().Get("appid"); got != "tok" {
		t.Errorf("appid = %q, want the command's output", got)
	}
	e.mustRun("", "auth", "delete", "sampleorders", "--profile", "ci")
	if code, _, errs := e.run("", "auth", "delete", "sampleorders", "--profile", "ci"); code != 1 || !strings.Contains(errs, "no such auth profile") {
		t.Errorf("second delete: exit %d %s", code, errs)
	}
	if code, _, errs := e.run("pw-without-colon\n", "auth", "set", "sampleorders", "--secret-stdin"); code != 1 || !strings.Contains(errs, "user:password") {
		t.Errorf("basic without colon: exit %d %s", code, errs)
	}
	if code, _, errs := e.run("", "auth", "set", "sampletasks"); code != 1 || !strings.Contains(errs, "--secret-stdin") {
		t.Errorf("no secret on a pipe: exit %d %s", code, errs)
	}
}

func TestCallSampleGoesToMock(t *testing.T) {
	e := newCallEnv(t)
	code, out, errs := e.run("", "call", "sampletasks/ListTasks", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Request  struct{ URL string } `json:"request"`
		Response struct {
			Status  int               `json:"status"`
			Headers map[string]string `json:"headers"`
			Body    []map[string]any  `json:"body"`
		} `json:"response"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Response.Status != 200 || got.Response.Headers["X-Connex-Mock"] != "sampletasks" || len(got.Response.Body) == 0 {
		t.Errorf("mock answer = %+v", got.Response)
	}
	if !strings.HasPrefix(got.Request.URL, "http://127.0.0.1:") || !strings.HasSuffix(got.Request.URL, "/tasks/v1/tasks") {
		t.Errorf("url = %q", got.Request.URL)
	}
	// A POST to the mock needs no confirmation: nothing real can change.
	if code, _, errs := e.run("", "call", "sampleorders/CreateOrder"); code != 0 {
		t.Errorf("POST to the mock: exit %d: %s", code, errs)
	}
	// The mock checks parameters too, but the engine stops first.
	if code, _, errs := e.run("", "call", "sampleorders/GetOrder", "-p", "orderId=x"); code != 1 || !strings.Contains(errs, "nothing was sent") {
		t.Errorf("invalid: exit %d: %s", code, errs)
	}
	if code, _, errs := e.run("", "call", "sampleorders/GetOrder", "-p", "orderId=1", "--mock", "--base-url", e.srv.URL); code != 1 ||
		!strings.Contains(errs, "--mock and --base-url cannot be used together") || e.hitCount() != 0 {
		t.Errorf("--mock with --base-url: exit %d: %s", code, errs)
	}
	// Replays of mock calls start a new mock.
	e.mustRun("", "history", "replay", "1")
	entries := e.mustRun("", "history", "--json")
	if strings.Count(entries, `"mock": true`) != 3 {
		t.Errorf("history should mark 3 mock calls:\n%s", entries)
	}
}

func TestCallInsecureTLS(t *testing.T) {
	e := newCallEnv(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "secure hello") }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	code, _, errs := e.run("", "call", "sampletasks/GetTask", "-p", "taskId=1", "--base-url", srv.URL)
	if code != 1 || !strings.Contains(errs, "TLS certificate not trusted") || !strings.Contains(errs, "--insecure") {
		t.Errorf("self-signed without --insecure: exit %d: %s", code, errs)
	}
	code, out, errs := e.run("", "call", "sampletasks/GetTask", "-p", "taskId=1", "--base-url", srv.URL, "--insecure")
	if code != 0 || out != "secure hello" {
		t.Errorf("with --insecure: exit %d, stdout %q", code, out)
	}
	if !strings.Contains(errs, "WARNING: TLS certificate verification is OFF for this call (--insecure)") ||
		!strings.Contains(errs, "notice: TLS certificate verification was OFF for this call (--insecure)") {
		t.Errorf("stderr = %q, want the warning and the notice", errs)
	}
}

func TestCallSanitisesTerminalText(t *testing.T) {
	e := newCallEnv(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Go's client refuses control characters in headers; a bidi
		// override passes and could reorder what a terminal shows.
		w.Header().Set("X-Evil", "a\u202eb")
		w.WriteHeader(418)
		fmt.Fprint(w, "hi")
	}))
	t.Cleanup(srv.Close)
	code, out, errs := e.run("", "call", "sampletasks/GetTask", "-p", "taskId=1", "--base-url", srv.URL, "-i")
	if code != 1 || !strings.Contains(errs, "the server answered 418 I'm a teapot") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "X-Evil: a\\u202eb\n") || strings.ContainsRune(out, 0x202e) {
		t.Errorf("-i output = %q", out)
	}
}

// A body from standard input over the limit is refused, never sent cut
// short (it was read through a LimitReader and silently truncated).
func TestCallBodyOverLimitRefused(t *testing.T) {
	e := newCallEnv(t)
	before := e.hitCount()
	code, _, errs := e.run(strings.Repeat("a", maxCallInput+1), "call", "sampletasks/CreateTaskV2", "--body", "@-", "--yes", "--base-url", e.srv.URL)
	if code != 1 {
		t.Errorf("exit %d, want 1\nstderr: %s", code, errs)
	}
	if want := "--body @-: standard input is over 64 MiB; nothing was sent"; !strings.Contains(errs, want) {
		t.Errorf("stderr = %q, want it to contain %q", errs, want)
	}
	if e.hitCount() != before {
		t.Error("a request was sent")
	}
	path := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(path, []byte(strings.Repeat("a", maxCallInput+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs = e.run("", "call", "sampletasks/CreateTaskV2", "--body", "@"+path, "--yes", "--base-url", e.srv.URL)
	if want := "--body: " + path + " is over 64 MiB; nothing was sent"; code != 1 || !strings.Contains(errs, want) {
		t.Errorf("exit %d, stderr = %q, want 1 and %q", code, errs, want)
	}
}
