package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

func printTable(w io.Writer, cfg *config, rows []*row) {
	host, _ := os.Hostname()
	fmt.Fprintf(w, "\nwenming load run %s on %s (%d CPUs, %s/%s), c=%d, %s per measurement, median of %d\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), host, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH,
		cfg.concurrency, cfg.duration, cfg.reps)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tbackend\trps\tunit\tp50\tp95\tp99\terrors\tratio\tvs\tgen cpu\tsrv cpu\tpg cpu\t")
	for _, r := range rows {
		name := r.Scenario
		if r.Baseline {
			name += " *"
		}
		if len(r.Reps) == 0 {
			fmt.Fprintf(tw, "%s\t%s\t-\t%s\t-\t-\t-\t-\t-\t%s\t\t\t\t\n", name, r.Backend, r.Unit, r.Note)
			continue
		}
		ratio := "-"
		if r.Ratio > 0 {
			ratio = fmt.Sprintf("%.2f", r.Ratio)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.0f\t%s/s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", name, r.Backend, r.RPS, r.Unit,
			fmtDur(r.P50), fmtDur(r.P95), fmtDur(r.P99), r.Errors, ratio, dash(r.RatioTo), fmtCores(r.GenCPU), fmtCores(r.SrvCPU), fmtCores(r.DBCPU))
	}
	tw.Flush()
	fmt.Fprintln(w, "\n* baseline measured in this run. errors: calls that did not return OK (median over repetitions).")
	fmt.Fprintln(w, "gen/srv/pg cpu: cores kept busy by the load generator, the server under test and PostgreSQL (CPU s / wall s).")
	for _, r := range rows {
		if len(r.Reps) > 0 && r.Note != "" {
			fmt.Fprintf(w, "note: %s %s: a repetition %s\n", r.Scenario, r.Backend, r.Note)
		}
	}
}

// printTargets lists the targets of issue 6 with the figure this run
// measured for each.
func printTargets(w io.Writer, rows []*row) {
	get := func(scenario, backend string) *row {
		for _, r := range rows {
			if r.Scenario == scenario && r.Backend == backend && len(r.Reps) > 0 {
				return r
			}
		}
		return nil
	}
	type target struct {
		what     string
		num, den *row
		need     float64
		note     string
	}
	targets := []target{
		{what: "SubmitRating gRPC on SQLite ≥ 0.5 × bare gRPC", num: get("rating-grpc", "sqlite"), den: get("bare-grpc", "-"), need: 0.5},
		{what: "SubmitRating HTTP ≥ 0.4 × SubmitRating gRPC (SQLite)", num: get("rating-http", "sqlite"), den: get("rating-grpc", "sqlite"), need: 0.4},
		{what: "group commit ≥ 5 × one tx per rating (SQLite FULL)", num: get("rating-grpc", "sqlite"), den: get("rating-grpc-1tx", "sqlite"), need: 5,
			note: "SubmitRating as served ÷ SubmitRating with --no-group-commit"},
		{what: "  same, against the raw SQLite one-tx-per-row baseline", num: get("rating-grpc", "sqlite"), den: get("sqlite-tx-per-row", "sqlite"), need: 5},
		{what: "SubmitRating on PostgreSQL ≥ 1 × pgbench INSERT TPS (stretch 2×)", num: get("rating-grpc", "postgres"), den: get("pgbench-insert", "postgres"), need: 1},
	}
	fmt.Fprintln(w, "\ntargets (issue 6, part 4):")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, t := range targets {
		if t.num == nil || t.den == nil || t.den.RPS == 0 {
			fmt.Fprintf(tw, "  %s\tnot measured in this run\t\n", t.what)
			continue
		}
		got := t.num.RPS / t.den.RPS
		verdict := "met"
		if got < t.need {
			verdict = "NOT met"
		}
		fmt.Fprintf(tw, "  %s\t%.2f× (%.0f / %.0f)\t%s\t%s\n", t.what, got, t.num.RPS, t.den.RPS, verdict, t.note)
	}
	fmt.Fprintf(tw, "  analytic reads ≤ 2 × their time at one tenth of the data\tsee: go run ./bench/cmd/loadrun -scaling\t\n")
	tw.Flush()
}

func fmtCores(c float64) string {
	if c <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", c)
}

// fmtDur prints a latency with three significant figures.
func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Millisecond:
		return fmt.Sprintf("%.0fµs", float64(d)/1e3)
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/1e6)
	case d < time.Second:
		return fmt.Sprintf("%.1fms", float64(d)/1e6)
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

func writeJSON(path string, cfg *config, rows []*row) error {
	out := struct {
		Time        time.Time `json:"time"`
		CPUs        int       `json:"cpus"`
		Concurrency int       `json:"concurrency"`
		Duration    string    `json:"duration"`
		Reps        int       `json:"reps"`
		Backends    string    `json:"backends"`
		Rows        []*row    `json:"rows"`
	}{time.Now().UTC(), runtime.NumCPU(), cfg.concurrency, cfg.duration.String(), cfg.reps, strings.Join(cfg.backends, ","), rows}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
