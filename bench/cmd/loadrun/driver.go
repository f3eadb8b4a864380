package main

import (
	"context"
	"slices"
	"sync"
	"time"
)

// closedLoop runs workers goroutines that each call op back to back for d
// (the next call starts when the previous one returns, like ghz -c) and
// summarises the calls: ops per second, latency percentiles, errors.
// Calls still running at the end are waited for and counted.
func closedLoop(ctx context.Context, workers int, d time.Duration, op func(ctx context.Context, worker, n int) error) measurement {
	type tally struct {
		lat    []time.Duration
		errors int64
	}
	tallies := make([]tally, workers)
	stop := time.Now().Add(d)
	begin := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := &tallies[w]
			for n := 0; time.Now().Before(stop) && ctx.Err() == nil; n++ {
				t0 := time.Now()
				err := op(ctx, w, n)
				t.lat = append(t.lat, time.Since(t0))
				if err != nil {
					t.errors++
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(begin)
	var all []time.Duration
	m := measurement{}
	for _, t := range tallies {
		all = append(all, t.lat...)
		m.Errors += t.errors
	}
	slices.Sort(all)
	m.Count = int64(len(all))
	m.RPS = float64(m.Count) / elapsed.Seconds()
	m.P50, m.P95, m.P99 = percentile(all, 0.50), percentile(all, 0.95), percentile(all, 0.99)
	return m
}
