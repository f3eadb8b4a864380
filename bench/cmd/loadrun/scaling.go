package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/wenming/wenming/bench/internal/datagen"
	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/store"
)

// ratingDays is the span the generated ratings cover; the statistics read
// asks for all of it.
const ratingDays = 365

// scaleResult is one read at one data size.
type scaleResult struct {
	read, backend, size, data string
	p50, p90                  time.Duration
	err                       error
}

// runScaling generates the analytic data sets of issue 6 at each size on a
// fresh wenming per backend and size, then times each read RPC with
// sequential calls (one client, so the figure is the work of one request,
// not queueing) and prints the ratio of the largest size to the smallest.
func runScaling(ctx context.Context, cfg *config, bins binaries) error {
	var results []scaleResult
	for _, b := range cfg.backends {
		for _, size := range cfg.scaleSizes {
			scale, err := parseScale(size)
			if err != nil {
				return err
			}
			rs, err := scaleOnce(ctx, cfg, bins, b, size, scale)
			if err != nil {
				return fmt.Errorf("%s at %s: %w", b, size, err)
			}
			results = append(results, rs...)
		}
	}
	printScaling(cfg, results)
	return nil
}

func parseScale(s string) (float64, error) {
	switch s {
	case "full":
		return 1, nil
	case "tenth":
		return 0.1, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 || f > 1 {
		return 0, fmt.Errorf("-scale-sizes: want tenth, full or a number in (0, 1], not %q", s)
	}
	return f, nil
}

func scaleOnce(ctx context.Context, cfg *config, bins binaries, backend, size string, scale float64) ([]scaleResult, error) {
	s, err := startWenming(ctx, cfg, bins, backend)
	if err != nil {
		return nil, err
	}
	defer s.close()
	db, err := store.Open(ctx, s.dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	admin := s.as(ctx, "admin")
	loc, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Now()
	want := func(d string) bool { return slices.Contains(cfg.scaleOnlyDs, d) }
	var out []scaleResult
	timeRead := func(read, data string, call func(ctx context.Context) error) {
		p50, p90, err := timeCalls(ctx, cfg.scaleIters, call)
		out = append(out, scaleResult{read: read, backend: backend, size: size, data: data, p50: p50, p90: p90, err: err})
		if err != nil {
			logf("  %s: %v", read, err)
		}
	}

	if want("feedback") {
		n := int(datagen.FullRatings * scale)
		t0 := time.Now()
		fx, err := datagen.CreateFeedbackTargets(admin, s.conn, 20)
		if err == nil {
			err = datagen.BulkRatings(ctx, db, fx, n, ratingDays, now, loc)
		}
		logf("%s %s: %d ratings written in %s", backend, size, n, time.Since(t0).Round(time.Millisecond))
		from := now.In(loc).AddDate(0, 0, -(ratingDays - 1)).Format("2006-01-02")
		to := now.In(loc).Format("2006-01-02")
		data := fmt.Sprintf("%d ratings, 20 windows, %d days", n, ratingDays)
		if err != nil {
			out = append(out, scaleResult{read: "feedback-stats", backend: backend, size: size, data: data, err: err})
		} else {
			_ = datagen.Analyze(ctx, db)
			c := feedbackv1.NewFeedbackStatsServiceClient(s.conn)
			timeRead("feedback-stats", data, func(ctx context.Context) error {
				r, err := c.GetTargetStats(s.as(ctx, "analyst"), &feedbackv1.GetTargetStatsRequest{TargetId: fx.DepartmentID, StartDate: from, EndDate: to})
				if err == nil && r.GetSummary().GetCount() != int64(n) {
					return fmt.Errorf("GetTargetStats counted %d ratings, generated %d", r.GetSummary().GetCount(), n)
				}
				return err
			})
		}
	}

	if want("quiz") {
		n := int(datagen.FullAttempts * scale)
		t0 := time.Now()
		c, err := datagen.CreateContest(admin, s.conn, 10)
		if err == nil {
			err = datagen.BulkAttempts(ctx, db, c, n, cfg.scaleAttQ)
		}
		logf("%s %s: %d attempts written in %s", backend, size, n, time.Since(t0).Round(time.Millisecond))
		data := fmt.Sprintf("%d attempts/participants", n)
		if err != nil {
			out = append(out, scaleResult{read: "leaderboard", backend: backend, size: size, data: data, err: err})
		} else {
			_ = datagen.Analyze(ctx, db)
			pc := quizv1.NewPlayServiceClient(s.conn)
			timeRead("leaderboard", data, func(ctx context.Context) error {
				r, err := pc.GetLeaderboard(s.as(ctx, "analyst"), &quizv1.GetLeaderboardRequest{ContestId: c.ID, PageSize: 20})
				if err == nil && (len(r.GetEntries()) != 20 || int(r.GetTotalSize()) != n) {
					return fmt.Errorf("GetLeaderboard returned %d entries of %d, want 20 of %d", len(r.GetEntries()), r.GetTotalSize(), n)
				}
				return err
			})
			timeRead("leaderboard-community", data, func(ctx context.Context) error {
				_, err := pc.GetLeaderboard(s.as(ctx, "analyst"), &quizv1.GetLeaderboardRequest{ContestId: c.ID, Community: c.Communities[0], PageSize: 20})
				return err
			})
		}
	}

	if want("civindex") {
		sites := max(1, int(datagen.FullSites*scale))
		t0 := time.Now()
		d, err := datagen.CreateIndexData(admin, s.conn, datagen.FullItems, sites, datagen.FullRounds)
		if err == nil {
			err = datagen.SubmitInspections(admin, s.conn, d, 4)
		}
		logf("%s %s: %d sites × %d items × %d rounds inspected in %s", backend, size, sites, datagen.FullItems,
			datagen.FullRounds, time.Since(t0).Round(time.Millisecond))
		data := fmt.Sprintf("%d sites × %d items × %d rounds", sites, datagen.FullItems, datagen.FullRounds)
		if err != nil {
			out = append(out, scaleResult{read: "round-index", backend: backend, size: size, data: data, err: err})
		} else {
			_ = datagen.Analyze(ctx, db)
			ic := civindexv1.NewIndexServiceClient(s.conn)
			last := d.RoundIDs[len(d.RoundIDs)-1]
			timeRead("round-index", data, func(ctx context.Context) error {
				r, err := ic.GetRoundIndex(s.as(ctx, "analyst"), &civindexv1.GetRoundIndexRequest{RoundId: last})
				if err == nil && int(r.GetIndex().GetN()) != sites {
					return fmt.Errorf("GetRoundIndex scored %d sites, want %d", r.GetIndex().GetN(), sites)
				}
				return err
			})
			timeRead("index-trend", data, func(ctx context.Context) error {
				_, err := ic.GetTrend(s.as(ctx, "analyst"), &civindexv1.GetTrendRequest{FrameworkId: d.FrameworkID})
				return err
			})
		}
	}
	return out, nil
}

// timeCalls makes 3 warm-up calls, then iters sequential calls, and returns
// the median and 90th percentile latency.
func timeCalls(ctx context.Context, iters int, call func(ctx context.Context) error) (time.Duration, time.Duration, error) {
	for range 3 {
		if err := call(ctx); err != nil {
			return 0, 0, err
		}
	}
	lat := make([]time.Duration, 0, iters)
	for range iters {
		t0 := time.Now()
		if err := call(ctx); err != nil {
			return 0, 0, err
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	return percentile(lat, 0.5), percentile(lat, 0.9), nil
}

func printScaling(cfg *config, rs []scaleResult) {
	w := os.Stdout
	fmt.Fprintf(w, "\nwenming analytic reads by data size, %s, %d sequential calls each (median, p90)\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), cfg.scaleIters)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "read\tbackend\tsize\tdata\tp50\tp90\tratio to smallest\ttarget ≤ 2")
	for i, r := range rs {
		if r.err != nil {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t-\t-\t-\t%s\n", r.read, r.backend, r.size, r.data, notAvailable(r.err))
			continue
		}
		ratio, verdict := "-", ""
		for _, base := range rs[:i] {
			if base.read == r.read && base.backend == r.backend && base.err == nil && base.p50 > 0 {
				x := float64(r.p50) / float64(base.p50)
				ratio = fmt.Sprintf("%.2f× (vs %s)", x, base.size)
				verdict = "met"
				if x > 2 {
					verdict = "NOT met"
				}
				break
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.read, r.backend, r.size, r.data, fmtDur(r.p50), fmtDur(r.p90), ratio, verdict)
	}
	tw.Flush()
}
