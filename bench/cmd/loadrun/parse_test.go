package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestParseGHZDropsCallsCutAtTheEndOfTheWindow(t *testing.T) {
	t.Parallel()
	raw := []byte(`{"count": 1010, "total": 2000000000, "rps": 505,
		"statusCodeDistribution": {"OK": 1000, "Unavailable": 10},
		"errorDistribution": {"rpc error: code = Unavailable desc = error reading from server: read tcp: use of closed network connection": 10},
		"latencyDistribution": [{"percentage": 50, "latency": 3000000}, {"percentage": 99, "latency": 9000000}]}`)
	m, wall, err := parseGHZ(raw, 50)
	if err != nil {
		t.Fatal(err)
	}
	if m.Count != 1000 || m.Errors != 0 || m.RPS != 500 || wall != 2*time.Second {
		t.Errorf("count %d errors %d rps %v wall %v, want 1000, 0, 500, 2s", m.Count, m.Errors, m.RPS, wall)
	}
	if m.P50 != 3*time.Millisecond || m.P99 != 9*time.Millisecond {
		t.Errorf("p50 %v p99 %v, want 3ms 9ms", m.P50, m.P99)
	}
}

func TestParseGHZKeepsServerErrorsAndCutsAtMostOnePerWorker(t *testing.T) {
	t.Parallel()
	raw := []byte(`{"count": 100, "total": 1000000000, "rps": 100,
		"statusCodeDistribution": {"OK": 80, "Unavailable": 15, "PermissionDenied": 5},
		"errorDistribution": {"use of closed network connection": 15, "rpc error: code = PermissionDenied": 5}}`)
	m, _, err := parseGHZ(raw, 10)
	if err != nil {
		t.Fatal(err)
	}
	if m.Count != 90 || m.Errors != 10 {
		t.Errorf("count %d errors %d, want 90 and 10 (5 denied + 5 cut beyond one per worker)", m.Count, m.Errors)
	}
}

func TestParseGHZFailsWhenEveryCallFailed(t *testing.T) {
	t.Parallel()
	raw := []byte(`{"count": 5, "total": 1000000000, "statusCodeDistribution": {"Unauthenticated": 5},
		"errorDistribution": {"rpc error: code = Unauthenticated": 5}}`)
	if _, _, err := parseGHZ(raw, 1); err == nil {
		t.Error("want an error when no call succeeded")
	}
}

func TestMedianTakesEachColumnOnItsOwn(t *testing.T) {
	t.Parallel()
	r := &row{Reps: []measurement{
		{RPS: 300, P50: 9 * time.Millisecond, Errors: 0},
		{RPS: 100, P50: 1 * time.Millisecond, Errors: 7},
		{RPS: 200, P50: 5 * time.Millisecond, Errors: 1},
	}}
	r.median()
	if r.RPS != 200 || r.P50 != 5*time.Millisecond || r.Errors != 1 {
		t.Errorf("rps %v p50 %v errors %d, want 200, 5ms, 1", r.RPS, r.P50, r.Errors)
	}
}

func TestPercentileIsNearestRank(t *testing.T) {
	t.Parallel()
	var lat []time.Duration
	for i := 1; i <= 100; i++ {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}} {
		if got := percentile(lat, tc.p); got != tc.want {
			t.Errorf("percentile(%v) = %v, want %v", tc.p, got, tc.want)
		}
	}
	if percentile(nil, 0.5) != 0 {
		t.Error("percentile of nothing should be 0")
	}
}

func TestNotAvailableNamesMissingRPCs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want string
	}{
		{status.Error(codes.Unimplemented, "unknown service wenming.civindex.v1.IndexService"), "not available: unknown service"},
		{errors.New("ghz --insecure --call x.Y/Z: exit status 1\nSymbol not found: x.Y.Z"), "not available: Symbol not found: x.Y.Z"},
		{errors.New("create department: rpc error: code = Internal desc = boom"), "failed: create department"},
	} {
		if got := notAvailable(tc.err); !strings.HasPrefix(got, tc.want) {
			t.Errorf("notAvailable(%q) = %q, want prefix %q", tc.err, got, tc.want)
		}
	}
}
