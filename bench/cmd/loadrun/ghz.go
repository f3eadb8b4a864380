package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// measurement is one run of one scenario.
type measurement struct {
	RPS    float64       // completed requests (or rows, or games) per second, errors included
	P50    time.Duration // median latency of one request (or transaction, or game)
	P95    time.Duration
	P99    time.Duration
	Count  int64
	Errors int64
	// GenCPU and SrvCPU are the cores the load generator and the server
	// under test kept busy on average (CPU seconds / wall seconds); 0 when
	// not known. On a 2-core machine their sum near 2 means the run was
	// CPU-bound and the generator's share is capacity the server lacked.
	GenCPU float64
	SrvCPU float64
	DBCPU  float64 // PostgreSQL's processes, on that backend
}

// cores is CPU time spread over a wall-clock span, in cores.
func cores(cpu, wall time.Duration) float64 {
	if wall <= 0 {
		return 0
	}
	return cpu.Seconds() / wall.Seconds()
}

// ghzReport is the part of ghz's -O json output the harness reads.
type ghzReport struct {
	Count          int64          `json:"count"`
	Total          time.Duration  `json:"total"`
	Rps            float64        `json:"rps"`
	ErrorDist      map[string]int `json:"errorDistribution"`
	StatusCodeDist map[string]int `json:"statusCodeDistribution"`
	Latency        []struct {
		Percentage int           `json:"percentage"`
		Latency    time.Duration `json:"latency"`
	} `json:"latencyDistribution"`
}

// ghzCall describes one ghz run: a unary method called with the same
// request (a JSON template ghz renders per call) under a key.
type ghzCall struct {
	addr   string
	method string // package.Service/Method
	data   string // JSON, may use ghz template functions
	key    string // API key, "" for none
}

// runGHZ drives call for the configured duration and concurrency. ghz finds
// the method through server reflection, exactly as grpcurl does.
func runGHZ(ctx context.Context, cfg *config, bins binaries, tag string, call ghzCall) (measurement, error) {
	out := filepath.Join(cfg.work, "ghz-"+tag+".json")
	args := []string{
		"--insecure", "--call", call.method, "-d", call.data,
		"-c", strconv.Itoa(cfg.concurrency), "-z", cfg.duration.String(),
		"--connections", strconv.Itoa(cfg.connections),
		"--timeout", "20s", "-O", "json", "-o", out,
	}
	if call.key != "" {
		args = append(args, "--metadata", fmt.Sprintf(`{"authorization":"Bearer %s"}`, call.key))
	}
	args = append(args, call.addr)
	_, cpu, err := outputCPU(ctx, cfg.work, nil, bins.ghz, args...)
	if err != nil {
		return measurement{}, err
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		return measurement{}, err
	}
	if !cfg.keep {
		os.Remove(out) // ghz keeps every request's detail; these files get large
	}
	m, wall, err := parseGHZ(raw, cfg.concurrency)
	m.GenCPU = cores(cpu, wall)
	return m, err
}

// parseGHZ reads ghz's -O json report of a run with c workers; it also
// returns the run's wall time.
func parseGHZ(raw []byte, c int) (measurement, time.Duration, error) {
	var r ghzReport
	if err := json.Unmarshal(raw, &r); err != nil {
		return measurement{}, 0, fmt.Errorf("ghz output: %w", err)
	}
	m := measurement{RPS: r.Rps, Count: r.Count}
	for code, n := range r.StatusCodeDist {
		if code != "OK" {
			m.Errors += int64(n)
		}
	}
	// When -z runs out ghz closes its connections under the calls still in
	// flight (at most one per worker); they fail with "use of closed network
	// connection" or "context canceled". They are the cut of the window,
	// not the server's errors, so they leave the count and the rate.
	var cut int64
	for msg, n := range r.ErrorDist {
		if strings.Contains(msg, "use of closed network connection") || strings.Contains(msg, "context canceled") ||
			strings.Contains(msg, "the client connection is closing") {
			cut += int64(n)
		}
	}
	cut = min(cut, int64(c))
	m.Errors -= cut
	m.Count -= cut
	if r.Total > 0 {
		m.RPS = float64(m.Count) / r.Total.Seconds()
	}
	for _, l := range r.Latency {
		switch l.Percentage {
		case 50:
			m.P50 = l.Latency
		case 95:
			m.P95 = l.Latency
		case 99:
			m.P99 = l.Latency
		}
	}
	if m.Count > 0 && m.Errors == m.Count {
		return m, r.Total, fmt.Errorf("every call failed: %v", r.ErrorDist)
	}
	return m, r.Total, nil
}
