package main

import (
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
