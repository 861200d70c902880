package mock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/mock"
	"github.com/connex-dev/connex/schema"
)

// roundTripStats counts what the mock made of engine-built requests.
type roundTripStats struct {
	total, accepted, notBuilt, overSocket int
	fiveXX                                []string
	rejects                               []string // "connector/operation: reason"
	reasons                               map[string]int
}

// roundTrip builds, with the call engine, a request for every operation
// that is not internal (sample values for required parameters, the body
// skeleton), and sends it to a mock of its connector. Connectors whose
// index is a multiple of socketEvery go over a real socket; the others
// straight to the handler. Two workers share the connectors.
func roundTrip(tb testing.TB, conns []*catalog.Connector, socketEvery int) roundTripStats {
	tb.Helper()
	st := roundTripStats{reasons: map[string]int{}}
	client := &http.Client{Transport: &http.Transport{Proxy: nil}}
	defer client.CloseIdleConnections()
	var mu sync.Mutex
	next := make(chan int)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				one := roundTripConnector(tb, client, conns[i], socketEvery > 0 && i%socketEvery == 0)
				mu.Lock()
				st.add(one)
				mu.Unlock()
			}
		}()
	}
	for i := range conns {
		next <- i
	}
	close(next)
	wg.Wait()
	sort.Strings(st.rejects)
	sort.Strings(st.fiveXX)
	return st
}

func (st *roundTripStats) add(o roundTripStats) {
	st.total += o.total
	st.accepted += o.accepted
	st.notBuilt += o.notBuilt
	st.overSocket += o.overSocket
	st.fiveXX = append(st.fiveXX, o.fiveXX...)
	st.rejects = append(st.rejects, o.rejects...)
	for k, n := range o.reasons {
		st.reasons[k] += n
	}
}

func roundTripConnector(tb testing.TB, client *http.Client, conn *catalog.Connector, socket bool) roundTripStats {
	st := roundTripStats{reasons: map[string]int{}}
	reject := func(op *catalog.Operation, reason string) {
		st.rejects = append(st.rejects, conn.ID+"/"+op.ID+": "+reason)
		st.reasons[reasonClass(reason)]++
	}
	h := mock.New(conn, mock.Options{})
	base := "http://mock.test"
	var srv *mock.Server
	if socket {
		var err error
		if srv, err = mock.Start(conn, mock.Options{}); err != nil {
			tb.Error(err)
			return st
		}
		defer func() {
			if err := srv.Close(); err != nil {
				tb.Errorf("close mock of %s: %v", conn.ID, err)
			}
		}()
		base = srv.URL
	}
	for _, op := range conn.Operations {
		if op.Visibility == catalog.VisibilityInternal {
			continue
		}
		st.total++
		req, err := call.Build(conn, op, call.Input{Params: call.SampleParams(op), BaseURL: base})
		if err != nil {
			st.notBuilt++
			reject(op, "engine: "+err.Error())
			continue
		}
		var status int
		var body string
		if srv != nil {
			hr, err := req.HTTPRequest(context.Background())
			if err != nil {
				tb.Errorf("%s/%s: %v", conn.ID, op.ID, err)
				continue
			}
			resp, err := client.Do(hr)
			if err != nil {
				tb.Errorf("%s/%s: %v", conn.ID, op.ID, err)
				continue
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			status, body = resp.StatusCode, string(b)
			st.overSocket++
		} else {
			hr := httptest.NewRequest(req.Method, req.URL.String(), bytes.NewReader(req.Body))
			hr.Header = req.Header.Clone()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, hr)
			status, body = rec.Code, rec.Body.String()
		}
		switch {
		case status >= 500:
			st.fiveXX = append(st.fiveXX, fmt.Sprintf("%s/%s: %d %s", conn.ID, op.ID, status, body))
		case status >= 200 && status < 300:
			st.accepted++
		default:
			reject(op, fmt.Sprintf("%d %s", status, strings.TrimSpace(body)))
		}
	}
	return st
}

var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|\d+`)

// reasonClass folds names and numbers out of a reason, to count kinds.
func reasonClass(reason string) string {
	if i := strings.Index(reason, `"problems"`); i > 0 {
		reason = reason[:i]
	}
	return cutText(quoted.ReplaceAllString(reason, "_"), 120)
}

func cutText(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

func (st roundTripStats) log(tb testing.TB) {
	tb.Helper()
	tb.Logf("mock round trip: accepted %d of %d operations (%.2f%%); %d not built by the engine; %d over real sockets; %d answers 5xx",
		st.accepted, st.total, 100*float64(st.accepted)/float64(max(st.total, 1)), st.notBuilt, st.overSocket, len(st.fiveXX))
	type kv struct {
		k string
		n int
	}
	var kinds []kv
	for k, n := range st.reasons {
		kinds = append(kinds, kv{k, n})
	}
	sort.Slice(kinds, func(i, j int) bool {
		return kinds[i].n > kinds[j].n || kinds[i].n == kinds[j].n && kinds[i].k < kinds[j].k
	})
	for _, k := range kinds {
		tb.Logf("  %5d x %s", k.n, k.k)
	}
	for _, r := range st.rejects {
		tb.Logf("  rejected %s", cutText(r, 300))
	}
}

// TestRoundTripSamples: every sample operation built by the engine is
// accepted by the mock, half of them over real sockets.
func TestRoundTripSamples(t *testing.T) {
	st := roundTrip(t, catalog.Sample().Connectors, 2)
	st.log(t)
	if len(st.fiveXX) != 0 {
		t.Errorf("5xx answers: %q", st.fiveXX)
	}
	if st.total != 11 || st.accepted != 11 || st.overSocket != 6 {
		t.Errorf("accepted %d of %d (%d over sockets), want 11 of 11 (6)", st.accepted, st.total, st.overSocket)
	}
}

// TestRoundTripRealData is the round trip at scale, over every connector
// of ../shared/data: at least 95% accepted, never a 5xx.
func TestRoundTripRealData(t *testing.T) {
	start := time.Now()
	c := realdata.Catalog(t)
	imported := time.Now()
	st := roundTrip(t, c.Connectors, 25)
	t.Logf("import %v, round trip %v", imported.Sub(start).Round(time.Millisecond), time.Since(imported).Round(time.Millisecond))
	st.log(t)
	if len(st.fiveXX) != 0 {
		t.Errorf("%d answers 5xx, want none: %q", len(st.fiveXX), st.fiveXX[:min(len(st.fiveXX), 20)])
	}
	if st.total < 10000 {
		t.Errorf("only %d operations: is the import complete?", st.total)
	}
	if pct := 100 * float64(st.accepted) / float64(st.total); pct < 95 {
		t.Errorf("accepted %.2f%% (%d of %d), want at least 95%%", pct, st.accepted, st.total)
	}
}

// BenchmarkParseRealDefinitions parses every definition of the real
// catalogue (about 10,000 schemas, 9 MB).
func BenchmarkParseRealDefinitions(b *testing.B) {
	c := realdata.Catalog(b)
	var raws []json.RawMessage
	size := 0
	for _, conn := range c.Connectors {
		for _, raw := range conn.Definitions {
			raws = append(raws, raw)
			size += len(raw)
		}
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		for _, raw := range raws {
			if _, err := schema.Parse(raw); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRoundTripRealData times the whole round trip (engine build,
// mock check and answer) over every operation of the real catalogue.
func BenchmarkRoundTripRealData(b *testing.B) {
	c := realdata.Catalog(b)
	b.ResetTimer()
	var st roundTripStats
	for b.Loop() {
		st = roundTrip(b, c.Connectors, 0)
	}
	b.ReportMetric(float64(st.total)*float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}
