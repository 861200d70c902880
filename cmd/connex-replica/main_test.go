package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/connex-dev/connex/internal/replica"
)

func TestFlags(t *testing.T) {
	rates, err := parseFaults("429=0.02,500-permanent=0.5,slow=0", replica.Fault{RetryAfter: 3, Times: 1, Delay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	want := []replica.RateFault{
		{Fault: replica.Fault{Kind: replica.Fault429, RetryAfter: 3, Times: 1, Delay: time.Millisecond}, Rate: 0.02},
		{Fault: replica.Fault{Kind: replica.Fault500, RetryAfter: 3, Times: 0, Delay: time.Millisecond}, Rate: 0.5},
		{Fault: replica.Fault{Kind: replica.FaultSlow, RetryAfter: 3, Times: 1, Delay: time.Millisecond}, Rate: 0},
	}
	if len(rates) != len(want) {
		t.Fatalf("rates %+v", rates)
	}
	for i := range want {
		if rates[i] != want[i] {
			t.Errorf("rate %d: %+v, want %+v", i, rates[i], want[i])
		}
	}
	for _, bad := range []string{"429", "429=2", "teapot=0.1"} {
		if _, err := parseFaults(bad, replica.Fault{}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	rb, err := parseRobots("disallow:/a/,/b/")
	if err != nil || rb.Mode != replica.RobotsDisallow || len(rb.Disallow) != 2 {
		t.Errorf("robots %+v %v", rb, err)
	}
	if _, err := parseRobots("maybe"); err == nil {
		t.Error("bad robots accepted")
	}
}

// TestRunServesAndStops starts the command on a fixture list with no
// data, reads its list page and an export it serves, and stops it.
func TestRunServesAndStops(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "list.json")
	if err := os.WriteFile(list, []byte(`{"data":[{"DisplayName":"Zephyr Mail","Name":"zephyrmail","Power Automate":true,"Premium":true}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	exports := filepath.Join(dir, "exports")
	if err := os.MkdirAll(exports, 0o755); err != nil {
		t.Fatal(err)
	}
	md := "---\ntitle: Zephyr Mail - Connectors | Microsoft Learn\n---\n\n# Zephyr Mail\n"
	if err := os.WriteFile(filepath.Join(exports, "zephyrmail.md"), []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut bytes.Buffer
	done := make(chan int)
	bases := make(chan string, 1)
	go func() {
		done <- run(ctx, []string{"--list", list, "--definitions", "none", "--apis", "none", "--exports", exports, "--json"}, &out, &errOut,
			func(base string) { bases <- base })
	}()
	var base string
	select {
	case base = <-bases:
	case code := <-done:
		t.Fatalf("exited %d: %s", code, errOut.String())
	}
	resp, err := http.Get(base + "zephyrmail/?accept=text/markdown")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != md {
		t.Errorf("export %q", body)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d: %s", code, errOut.String())
	}
	var got output
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || got.Connectors != 1 || got.FromExports != 1 || got.FromAPIs != 0 {
		t.Errorf("output %s (%v)", out.String(), err)
	}
}
