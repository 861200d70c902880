package httpx

import (
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"   ", 0, false},
		{"soon", 0, false},
		{"7", 7 * time.Second, true},
		{" 30 ", 30 * time.Second, true},
		{"-5", 0, true},
		{"99999999999", 1e6 * time.Second, true},
		{"Sun, 01 Mar 2026 12:01:30 GMT", 90 * time.Second, true},
		{"Sun, 01 Mar 2026 11:00:00 GMT", 0, true},
	} {
		got, ok := RetryAfter(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
