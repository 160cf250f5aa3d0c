package main

import (
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	sorted := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, tt := range []struct {
		q    float64
		want int
	}{{0, 1}, {0.5, 5}, {0.95, 10}, {0.9, 9}, {1, 10}} {
		if got := quantile(sorted, tt.q); got != tt.want {
			t.Errorf("quantile(1..10, %v) = %d, want %d", tt.q, got, tt.want)
		}
	}
	if got := quantile([]int{7}, 0.95); got != 7 {
		t.Errorf("quantile of one value = %d", got)
	}
}

func TestClientMedian(t *testing.T) {
	s := &subject{samples: []sample{
		{wall: 30 * time.Millisecond, fake: 10 * time.Millisecond},
		{wall: 25 * time.Millisecond, fake: 2 * time.Millisecond},
		{wall: 12 * time.Millisecond},
	}}
	if got := clientMedian(s); got != 20*time.Millisecond {
		t.Errorf("clientMedian = %v, want 20ms", got)
	}
}

func TestLookedUp(t *testing.T) {
	log := "2026/11/27 00:33:31 custom-opencti: DEBUG: started\n" +
		"2026/11/27 00:33:31 custom-opencti: INFO: looked up 3 observables: 5 events alert_id=1 requests=1\n"
	if got, want := lookedUp(log), "looked up 3 observables: 5 events"; got != want {
		t.Errorf("lookedUp = %q, want %q", got, want)
	}
	if got := lookedUp(""); got != "lookup not logged" {
		t.Errorf("lookedUp of an empty log = %q", got)
	}
}
