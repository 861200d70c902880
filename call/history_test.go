package call

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestHistoryRedactsAndNumbers(t *testing.T) {
	dir := t.TempDir()
	h := OpenHistory(dir)
	conn, op := sampleOp(t, "sampleweather", "GetCurrentWeather")
	req, err := Build(conn, op, Input{Params: map[string]string{"city": "Oslo"}, Auth: &Credentials{Type: AuthAPIKey, Secret: "secret-KEY-1"}, BaseURL: "http://127.0.0.1:9"})
	if err != nil {
		t.Fatal(err)
	}
	resp := &Response{Status: 200, Body: []byte(`{"echo":"secret-KEY-1"}`), Size: 24, Duration: 1500 * time.Microsecond}
	at := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	e := h.NewEntry(req, resp, nil, CallRecord{Time: at, Params: map[string]string{"city": "Oslo"}, Auth: "default"})
	if err := h.Append(e); err != nil {
		t.Fatal(err)
	}
	// A torn line (a crash mid-write) keeps its number but is skipped.
	f, _ := os.OpenFile(h.Path(), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("{\"time\":\n")
	f.Close()
	e2 := h.NewEntry(req, nil, errors.New("dial tcp: refused for secret-KEY-1"), CallRecord{Time: at})
	if err := h.Append(e2); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(h.Path())
	if strings.Contains(string(raw), "secret-KEY-1") {
		t.Fatalf("history holds the secret:\n%s", raw)
	}
	st, _ := os.Stat(h.Path())
	if st.Mode().Perm() != 0o600 {
		t.Errorf("history mode %v, want 0600", st.Mode().Perm())
	}
	all, err := h.List()
	if err != nil || len(all) != 2 {
		t.Fatalf("list: %d entries, %v", len(all), err)
	}
	got := all[0]
	if got.N != 1 || got.URL != "http://127.0.0.1:9/weather/current?city=Oslo&appid=****" || got.Status != 200 ||
		got.DurationMS != 1.5 || got.ResponseBody != `{"echo":"****"}` || got.Auth != "default" || got.Params["city"] != "Oslo" {
		t.Errorf("entry 1 = %+v", got)
	}
	if all[1].N != 3 || all[1].Error != "dial tcp: refused for ****" {
		t.Errorf("entry 3 = %+v", all[1])
	}
	if _, err := h.Get(2); !errors.Is(err, ErrNoEntry) {
		t.Errorf("get torn line: %v", err)
	}
}

func TestHistoryClipsBodies(t *testing.T) {
	h := OpenHistory(t.TempDir())
	conn, op := sampleOp(t, "sampleorders", "CreateOrder")
	big := []byte(`{"customerId":"` + strings.Repeat("x", 70<<10) + `","lines":[]}`)
	req, err := Build(conn, op, Input{Body: big})
	if err != nil {
		t.Fatal(err)
	}
	resp := &Response{Status: 201, Body: big, Size: int64(len(big)), Truncated: false}
	e := h.NewEntry(req, resp, nil, CallRecord{Body: big})
	if len(e.RequestBody) != DefaultHistoryBodyLimit || !e.RequestBodyTruncated || !e.ResponseBodyTruncated || e.Body != "" || !e.BodyOmitted {
		t.Errorf("request body %d bytes (cut %v), response cut %v, replay body %d bytes (omitted %v)",
			len(e.RequestBody), e.RequestBodyTruncated, e.ResponseBodyTruncated, len(e.Body), e.BodyOmitted)
	}
	if e.RequestSize != len(big) {
		t.Errorf("request size %d, want %d", e.RequestSize, len(big))
	}
}
