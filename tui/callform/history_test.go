package callform

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
)

// seedHistory writes three calls: a mock GET, a POST with a body, and a
// failed call.
func seedHistory(t *testing.T) *call.History {
	t.Helper()
	hist := call.OpenHistory(t.TempDir())
	cat := catalog.Sample()
	add := func(connID, opID string, params map[string]string, body []byte, auth *call.Credentials, base string, resp *call.Response, callErr error, at time.Time, mock bool, profile string) {
		conn, _ := cat.Connector(connID)
		op := conn.Operation(opID)
		req, err := call.Build(conn, op, call.Input{Params: params, Body: body, Auth: auth, BaseURL: base})
		if err != nil {
			t.Fatal(err)
		}
		hb := base
		if mock {
			hb = ""
		}
		e := hist.NewEntry(req, resp, callErr, call.CallRecord{Time: at, Params: params, Body: body, Auth: profile, BaseURL: hb, Mock: mock})
		if err := hist.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	ok := func(status int, body string) *call.Response {
		return &call.Response{Status: status, StatusText: fmt.Sprint(status), Headers: http.Header{}, Body: []byte(body), Size: int64(len(body)), Duration: 42 * time.Millisecond}
	}
	add("sampleweather", "GetCurrentWeather", map[string]string{"city": "Lisbon"}, nil,
		&call.Credentials{Type: call.AuthAPIKey, Secret: "s3cr3t-canary-value"}, "http://127.0.0.1:40001",
		ok(200, `{"city":"Lisbon","temperature":21.5,"conditions":"clear"}`), nil, fixedNow.Add(-2*time.Hour), true, "work")
	add("sampletasks", "CreateTaskV2", nil, []byte(`{"title":"Water the plants"}`), nil, "http://127.0.0.1:40002",
		ok(201, `{"id":"t-7","title":"Water the plants"}`), nil, fixedNow.Add(-time.Hour), true, "")
	add("sampleorders", "GetOrder", map[string]string{"orderId": "1001"}, nil, nil, "https://shop.example.test",
		nil, fmt.Errorf("dial tcp: lookup shop.example.test: no such host"), fixedNow, false, "")
	return hist
}

func newTestHistory(t *testing.T, hist *call.History, fd *fakeDo, w, h int) *HistoryModel {
	t.Helper()
	form := testOptions(t, "sampleweather", "GetCurrentWeather", fd)
	form.Connector, form.Operation = nil, nil
	hm := NewHistory(HistoryOptions{History: hist, Lookup: LookupIn(catalog.Sample()), Form: form, Location: time.UTC})
	settle(hm, hm.Init())
	send(hm, windowSize(w, h))
	return hm
}

func TestGoldenHistory(t *testing.T) {
	t.Parallel()
	for _, sz := range goldenSizes {
		hist := seedHistory(t)
		name := fmt.Sprintf("history_%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			hm := newTestHistory(t, hist, &fakeDo{}, sz[0], sz[1])
			checkGolden(t, name, screen(hm))
		})
		name = fmt.Sprintf("history_detail_%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			hm := newTestHistory(t, hist, &fakeDo{}, sz[0], sz[1])
			press(hm, "down", "enter") // the POST
			checkGolden(t, name, screen(hm))
		})
	}
}

func TestHistoryReplay(t *testing.T) {
	t.Parallel()
	hist := seedHistory(t)
	fd := &fakeDo{body: `{"city":"Lisbon","temperature":19}`}
	hm := newTestHistory(t, hist, fd, 100, 30)
	press(hm, "G") // the oldest: the weather call with profile "work"
	press(hm, "r")
	if hm.state != histReplay || len(fd.reqs) != 1 {
		t.Fatalf("state %v, %d requests", hm.state, len(fd.reqs))
	}
	r := fd.reqs[0]
	// Rebuilt with the current secret of the profile, to a new mock.
	if got := r.URL.String(); got != "http://127.0.0.1:9/weather/current?city=Lisbon&appid=s3cr3t-canary-value" {
		t.Fatalf("replayed %s", got)
	}
	if !strings.Contains(screen(hm), "200 OK") || !strings.Contains(screen(hm), `"temperature": 19`) {
		t.Fatalf("no response:\n%s", screen(hm))
	}
	// The history gained the replay (the fake history is the same file).
	press(hm, "esc", "esc")
	if hm.state != histList || len(hm.entries) != 4 {
		t.Fatalf("back in list: state %v, %d entries", hm.state, len(hm.entries))
	}
	if !strings.Contains(screen(hm), "#4") {
		t.Fatalf("new entry not listed:\n%s", screen(hm))
	}

	// A POST replay to a real service asks first.
	hm.opts.Lookup = LookupIn(catalog.Sample())
	fd.reqs = nil
	hist2 := call.OpenHistory(t.TempDir())
	conn, _ := catalog.Sample().Connector("sampletasks")
	op := conn.Operation("CreateTaskV2")
	req, err := call.Build(conn, op, call.Input{Body: []byte(`{"title":"x"}`), BaseURL: "http://127.0.0.1:40003"})
	if err != nil {
		t.Fatal(err)
	}
	if err := hist2.Append(hist2.NewEntry(req, nil, nil, call.CallRecord{Time: fixedNow, Body: []byte(`{"title":"x"}`), BaseURL: "http://127.0.0.1:40003"})); err != nil {
		t.Fatal(err)
	}
	hm = newTestHistory(t, hist2, fd, 100, 30)
	press(hm, "r")
	if hm.state != histReplay || hm.form.state != stateConfirm || len(fd.reqs) != 0 {
		t.Fatalf("POST replay: state %v form %v, %d sent", hm.state, hm.form.state, len(fd.reqs))
	}
	press(hm, "y")
	if len(fd.reqs) != 1 || string(fd.reqs[0].Body) != `{"title":"x"}` || fd.reqs[0].URL.String() != "http://127.0.0.1:40003/tasks/v1/tasks" {
		t.Fatalf("sent %d: %v", len(fd.reqs), fd.reqs)
	}
}

func TestHistoryReplayMissingProfile(t *testing.T) {
	t.Parallel()
	hist := seedHistory(t)
	fd := &fakeDo{}
	form := testOptions(t, "sampleweather", "GetCurrentWeather", fd)
	form.Profiles = nil
	form.Secret = func(context.Context, secretsProfile) (string, error) { return "", nil }
	hm := NewHistory(HistoryOptions{History: hist, Lookup: LookupIn(catalog.Sample()), Form: form, Location: time.UTC})
	settle(hm, hm.Init())
	send(hm, windowSize(100, 30))
	press(hm, "G", "r")
	// Without its profiles list the form cannot resolve "work": it sends
	// nothing and says so.
	if len(fd.reqs) != 0 {
		t.Fatalf("sent %d requests without the profile", len(fd.reqs))
	}
	if !strings.Contains(screen(hm), `auth profile "work" is not available here: nothing was sent`) {
		t.Fatalf("no notice:\n%s", screen(hm))
	}
}
