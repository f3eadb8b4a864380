package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// pgbenchScript is one durable single-row INSERT per transaction, about the
// size of a rating row, into a table with a primary key and one secondary
// index like feedback_ratings.
const pgbenchScript = `\set level random(1, 5)
INSERT INTO bench_ratings (target_id, level, comment, create_time) VALUES ('t-1', :level, 'pgbench', now());
`

const pgbenchTable = `CREATE TABLE bench_ratings (
    id          BIGSERIAL PRIMARY KEY,
    target_id   TEXT NOT NULL,
    level       INTEGER NOT NULL,
    comment     TEXT NOT NULL,
    create_time TIMESTAMPTZ NOT NULL
);
CREATE INDEX bench_ratings_target ON bench_ratings (target_id, create_time)`

var (
	tpsRe    = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)
	failedRe = regexp.MustCompile(`number of failed transactions: ([0-9]+)`)
)

// runPgbench measures single-row INSERT transactions at cfg.concurrency
// clients in a scratch database, with the server's default
// synchronous_commit (on): the ceiling for one durable insert per request.
func runPgbench(ctx context.Context, cfg *config, tag string) (measurement, error) {
	dsn, drop, err := scratchPG(ctx, cfg.pgURL, "wenming_pgbench")
	if err != nil {
		return measurement{}, err
	}
	defer drop()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return measurement{}, err
	}
	_, err = db.ExecContext(ctx, pgbenchTable)
	db.Close()
	if err != nil {
		return measurement{}, err
	}
	dir := filepath.Join(cfg.work, "pgbench-"+tag)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return measurement{}, err
	}
	script := filepath.Join(dir, "insert.sql")
	if err := os.WriteFile(script, []byte(pgbenchScript), 0o600); err != nil {
		return measurement{}, err
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return measurement{}, err
	}
	secs := int(math.Ceil(cfg.duration.Seconds()))
	threads := min(cfg.concurrency, runtime.NumCPU())
	args := []string{"-n", "-c", strconv.Itoa(cfg.concurrency), "-j", strconv.Itoa(threads),
		"-T", strconv.Itoa(secs), "-f", script, "-l", "--log-prefix", filepath.Join(dir, "tx"),
		"-h", u.Hostname(), "-p", portOr(u.Port(), "5432"), "-U", u.User.Username(),
		strings.TrimPrefix(u.Path, "/")}
	out, cpu, err := outputCPU(ctx, dir, nil, "pgbench", args...)
	if err != nil {
		return measurement{}, err
	}
	m := measurement{GenCPU: cores(cpu, time.Duration(secs)*time.Second)}
	if g := tpsRe.FindSubmatch(out); g != nil {
		m.RPS, _ = strconv.ParseFloat(string(g[1]), 64)
	} else {
		return m, fmt.Errorf("pgbench: no tps in output:\n%s", tail(string(out), 1000))
	}
	if g := failedRe.FindSubmatch(out); g != nil {
		m.Errors, _ = strconv.ParseInt(string(g[1]), 10, 64)
	}
	lat, err := pgbenchLatencies(dir)
	if err != nil {
		return m, err
	}
	m.Count = int64(len(lat))
	m.P50, m.P95, m.P99 = percentile(lat, 0.50), percentile(lat, 0.95), percentile(lat, 0.99)
	if !cfg.keep {
		os.RemoveAll(dir)
	}
	return m, nil
}

func portOr(p, def string) string {
	if p == "" {
		return def
	}
	return p
}

// pgbenchLatencies reads the per-transaction logs (-l): the third field of
// each line is the transaction's latency in microseconds.
func pgbenchLatencies(dir string) ([]time.Duration, error) {
	files, err := filepath.Glob(filepath.Join(dir, "tx.*"))
	if err != nil {
		return nil, err
	}
	var lat []time.Duration
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 3 {
				continue
			}
			if us, err := strconv.ParseInt(fields[2], 10, 64); err == nil {
				lat = append(lat, time.Duration(us)*time.Microsecond)
			}
		}
		fh.Close()
	}
	slices.Sort(lat)
	return lat, nil
}

// percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
