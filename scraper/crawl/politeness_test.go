package crawl

import (
	"testing"
	"time"
)

// TestDefaultPolitenessGaps measures the gaps between request starts as
// the server sees them (timestamps from the injected clock at arrival):
// with the default politeness every gap is at least DefaultDelay (1 s),
// plus the jitter's share; --delay (Options.Delay) moves the floor.
func TestDefaultPolitenessGaps(t *testing.T) {
	rands := []float64{0, 0.25, 0.5, 0.75, 0.999}
	for _, tc := range []struct {
		name  string
		delay time.Duration
		floor time.Duration
	}{
		{"default", 0, time.Second},
		{"delay2s", 2 * time.Second, 2 * time.Second},
		{"delay300ms", 300 * time.Millisecond, 300 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, 12)
			clock := newFakeClock()
			s.clock = clock
			opts := testOptions(t, s, clock, "")
			// One request at a time, so arrivals follow the clock; the
			// pacing is per host whatever the concurrency (slots are
			// reserved under the host's lock).
			opts.Concurrency = 1
			opts.Delay, opts.Jitter = tc.delay, 0 // 0: the defaults
			n := 0
			opts.Rand = func() float64 { r := rands[n%len(rands)]; n++; return r }
			runCrawl(t, opts, nil)
			s.mu.Lock()
			starts := append([]time.Time(nil), s.starts...)
			s.mu.Unlock()
			if len(starts) != 14 {
				t.Fatalf("%d requests, want 14 (robots, list, 12 pages)", len(starts))
			}
			jitter := tc.floor / 2
			for i := 1; i < len(starts); i++ {
				gap := starts[i].Sub(starts[i-1])
				want := tc.floor + time.Duration(rands[(i-1)%len(rands)]*float64(jitter))
				if gap < tc.floor || gap != want {
					t.Errorf("gap %d: %v, want %v (floor %v)", i, gap, want, tc.floor)
				}
			}
		})
	}
	if DefaultDelay < time.Second {
		t.Errorf("DefaultDelay %v: the default must keep at least 1 s between request starts", DefaultDelay)
	}
}
