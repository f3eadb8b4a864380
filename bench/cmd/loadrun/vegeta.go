package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// vegetaTarget is one line of vegeta's JSON target format.
type vegetaTarget struct {
	Method string      `json:"method"`
	URL    string      `json:"url"`
	Body   []byte      `json:"body,omitempty"` // base64 in JSON, as vegeta wants
	Header http.Header `json:"header,omitempty"`
}

// vegetaReport is the part of `vegeta report -type=json` the harness reads.
type vegetaReport struct {
	Latencies struct {
		P50 time.Duration `json:"50th"`
		P95 time.Duration `json:"95th"`
		P99 time.Duration `json:"99th"`
	} `json:"latencies"`
	Duration    time.Duration  `json:"duration"`
	Wait        time.Duration  `json:"wait"`
	Requests    int64          `json:"requests"`
	Success     float64        `json:"success"`
	StatusCodes map[string]int `json:"status_codes"`
	Errors      []string       `json:"errors"`
}

// runVegeta sends the same request with cfg.concurrency closed-loop workers
// (-rate=0: each worker sends its next request when the previous answer
// arrives, like ghz -c) for the configured duration.
func runVegeta(ctx context.Context, cfg *config, bins binaries, tag string, t vegetaTarget) (measurement, error) {
	targets := filepath.Join(cfg.work, "vegeta-"+tag+".targets")
	results := filepath.Join(cfg.work, "vegeta-"+tag+".bin")
	line, err := json.Marshal(t)
	if err != nil {
		return measurement{}, err
	}
	if err := os.WriteFile(targets, append(line, '\n'), 0o600); err != nil {
		return measurement{}, err
	}
	c := strconv.Itoa(cfg.concurrency)
	_, cpu, err := outputCPU(ctx, cfg.work, nil, bins.vegeta, "attack", "-format=json", "-targets="+targets,
		"-rate=0", "-workers="+c, "-max-workers="+c, "-duration="+cfg.duration.String(),
		"-timeout=20s", "-output="+results)
	if err != nil {
		return measurement{}, err
	}
	raw, err := output(ctx, cfg.work, nil, bins.vegeta, "report", "-type=json", results)
	if err != nil {
		return measurement{}, err
	}
	if !cfg.keep {
		os.Remove(results)
	}
	var r vegetaReport
	if err := json.Unmarshal(raw, &r); err != nil {
		return measurement{}, fmt.Errorf("vegeta report: %w", err)
	}
	// Like ghz: every completed request over the wall time of the attack.
	m := measurement{Count: r.Requests, P50: r.Latencies.P50, P95: r.Latencies.P95, P99: r.Latencies.P99}
	if span := r.Duration + r.Wait; span > 0 {
		m.RPS = float64(r.Requests) / span.Seconds()
		m.GenCPU = cores(cpu, span)
	}
	m.Errors = r.Requests - int64(r.Success*float64(r.Requests)+0.5)
	if m.Count > 0 && m.Errors == m.Count {
		return m, fmt.Errorf("every request failed: status %v, errors %v", r.StatusCodes, first(r.Errors, 3))
	}
	return m, nil
}

func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
