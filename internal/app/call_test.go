package app

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/secrets"
)

func sampleOp(t *testing.T, connID, opID string) (*catalog.Connector, *catalog.Operation) {
	t.Helper()
	conn, ok := catalog.Sample().Connector(connID)
	if !ok {
		t.Fatalf("no sample connector %s", connID)
	}
	op := conn.Operation(opID)
	if op == nil {
		t.Fatalf("no operation %s/%s", connID, opID)
	}
	return conn, op
}

// A sample connector's call goes to its in-process mock, with the
// profile's secret read only when sending, and is recorded without it.
func TestCallSessionSampleToMock(t *testing.T) {
	t.Parallel()
	conn, op := sampleOp(t, "sampletasks", "ListTasks")
	if !IsSample(conn) {
		t.Fatal("sampletasks is not a sample")
	}
	hist := call.OpenHistory(t.TempDir())
	const secret = "canary-SECRET-4711"
	var stages []CallStage
	var mocks atomic.Int32
	s := &CallSession{
		Connector: conn, Operation: op,
		Input:   call.Input{Params: map[string]string{}},
		Profile: &secrets.Profile{Connector: conn.ID, Name: "work", Type: call.AuthBearer},
		Secret:  func(context.Context, secrets.Profile) (string, error) { return secret, nil },
		Mock:    true,
		StartMock: func(ctx context.Context, c *catalog.Connector) (string, func(), error) {
			mocks.Add(1)
			return StartMock(ctx, c)
		},
		History: hist,
	}
	res, err := s.Run(context.Background(), func(st CallStage) { stages = append(stages, st) })
	if err != nil {
		t.Fatal(err)
	}
	if res.Err != nil || res.Response == nil || res.Response.Status != http.StatusOK {
		t.Fatalf("response %+v, err %v", res.Response, res.Err)
	}
	if !strings.HasPrefix(res.Request.URL.String(), "http://127.0.0.1:") {
		t.Errorf("sent to %s, want the loopback mock", res.Request.URL)
	}
	want := []CallStage{CallSecret, CallMock, CallBuild, CallSend, CallHistory}
	if len(stages) != len(want) {
		t.Fatalf("stages %v, want %v", stages, want)
	}
	for i := range want {
		if stages[i] != want[i] {
			t.Fatalf("stages %v, want %v", stages, want)
		}
	}
	if mocks.Load() != 1 || res.HistoryErr != nil {
		t.Fatalf("mocks %d, history %v", mocks.Load(), res.HistoryErr)
	}
	entries, err := hist.List()
	if err != nil || len(entries) != 1 {
		t.Fatalf("history: %d entries, %v", len(entries), err)
	}
	e := entries[0]
	if !e.Mock || e.BaseURL != "" || e.Auth != "work" || e.Status != http.StatusOK {
		t.Errorf("history entry %+v", e)
	}
	for k, v := range e.Headers {
		if strings.Contains(v, secret) {
			t.Errorf("history header %s holds the secret", k)
		}
	}
}

// A dry run reads no secret, starts no mock and sends nothing; the
// request carries placeholders.
func TestCallSessionDryRun(t *testing.T) {
	t.Parallel()
	conn, op := sampleOp(t, "sampletasks", "ListTasks")
	s := &CallSession{
		Connector: conn, Operation: op,
		Input:   call.Input{Params: map[string]string{}},
		Profile: &secrets.Profile{Connector: conn.ID, Name: "default", Type: call.AuthBearer},
		Secret:  func(context.Context, secrets.Profile) (string, error) { return "", errors.New("secret read") },
		Mock:    true,
		DryRun:  true,
		StartMock: func(context.Context, *catalog.Connector) (string, func(), error) {
			return "", nil, errors.New("mock started")
		},
		Do: func(context.Context, *call.Request) (*call.Response, error) { return nil, errors.New("sent") },
	}
	res, err := s.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Response != nil || !strings.HasPrefix(res.Request.URL.String(), CallMockPlaceholder) {
		t.Fatalf("dry run: %+v", res)
	}
	if got := res.Request.Header.Get("Authorization"); got != "Bearer "+CallPlaceholderSecret {
		t.Errorf("Authorization %q", got)
	}
}

// A refused confirmation sends and records nothing.
func TestCallSessionConfirmRefused(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	conn, op := sampleOp(t, "sampletasks", "ListTasks")
	hist := call.OpenHistory(t.TempDir())
	refused := errors.New("not sent")
	s := &CallSession{
		Connector: conn, Operation: op,
		Input:   call.Input{Params: map[string]string{}},
		BaseURL: srv.URL,
		Confirm: func(*call.Request) error { return refused },
		History: hist,
	}
	if _, err := s.Run(context.Background(), nil); !errors.Is(err, refused) {
		t.Fatalf("err %v", err)
	}
	if entries, _ := hist.List(); hits.Load() != 0 || len(entries) != 0 {
		t.Fatalf("%d requests, %d history entries after a refusal", hits.Load(), len(entries))
	}
}
