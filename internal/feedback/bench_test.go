package feedback

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

// benchService builds a year of feedback for 5 departments × 20 windows ×
// 10 staff: about 1.1 million ratings, held as the daily and monthly
// aggregate rows the statistics read (written directly; Submit would take
// minutes).
// WENMING_BENCH_POSTGRES=1 runs it on the PostgreSQL test server instead.
func benchService(b *testing.B) (*Service, []Target, Period) {
	b.Helper()
	ctx := context.Background()
	var db *store.DB
	if dsn := storetest.PostgresDSN(b); dsn != "" && os.Getenv("WENMING_BENCH_POSTGRES") != "" {
		var err error
		if db, err = store.Open(ctx, dsn); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
	} else {
		db = storetest.SQLite(b)
	}
	s, err := New(rpc.Deps{DB: db, Location: shanghai})
	if err != nil {
		b.Fatal(err)
	}
	var depts, staff []Target
	rng := rand.New(rand.NewPCG(1, 2))
	err = db.WithTx(ctx, func(tx *store.Tx) error {
		for d := range 5 {
			dept, err := s.CreateTarget(ctx, tx, TargetInput{Kind: Department, Name: fmt.Sprintf("部门%d", d)})
			if err != nil {
				return err
			}
			depts = append(depts, dept)
			for w := range 20 {
				win, err := s.CreateTarget(ctx, tx, TargetInput{Kind: window, Name: fmt.Sprintf("窗口%d", w), ParentID: dept.ID})
				if err != nil {
					return err
				}
				for p := range 10 {
					st, err := s.CreateTarget(ctx, tx, TargetInput{Kind: Staff, Name: fmt.Sprintf("员工%d", p), ParentID: win.ID})
					if err != nil {
						return err
					}
					staff = append(staff, st)
				}
			}
		}
		first := time.Date(2026, 1, 1, 12, 0, 0, 0, shanghai)
		for _, st := range staff {
			for day := range 365 {
				var c [5]int
				n, total := 0, 0
				for range 2 + rng.IntN(3) {
					l := 1 + rng.IntN(5)
					c[l-1]++
					n++
					total += l
				}
				if _, err := tx.ExecContext(ctx, tx.Rebind(
					`INSERT INTO feedback_daily (target_id, day, n, total, c1, c2, c3, c4, c5) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
					st.ID, dayKey(first.AddDate(0, 0, day), shanghai), n, total, c[0], c[1], c[2], c[3], c[4]); err != nil {
					return err
				}
			}
		}
		// The monthly roll-up, as Submit would have kept it.
		_, err := tx.ExecContext(ctx, `INSERT INTO feedback_monthly
			SELECT target_id, day / 100, SUM(n), SUM(total), SUM(c1), SUM(c2), SUM(c3), SUM(c4), SUM(c5)
			FROM feedback_daily GROUP BY target_id, day / 100`)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return s, depts, Period{From: date("2026-01-01"), To: date("2026-12-31")}
}

func BenchmarkStatisticsOverAMillionRatings(b *testing.B) {
	s, depts, year := benchService(b)
	ctx := context.Background()
	b.Run("department year", func(b *testing.B) {
		for b.Loop() {
			if _, sum, err := s.TargetStats(ctx, depts[0].ID, year); err != nil || sum.Count == 0 {
				b.Fatal(err)
			}
		}
	})
	b.Run("department monthly trend", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.TargetTrend(ctx, depts[0].ID, year, Monthly); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("department weekly trend", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.TargetTrend(ctx, depts[0].ID, year, weekly); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("department, mid-month to mid-month", func(b *testing.B) {
		p := Period{From: date("2026-01-15"), To: date("2026-12-14")}
		for b.Loop() {
			if _, _, err := s.TargetStats(ctx, depts[0].ID, p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("rank 100 windows", func(b *testing.B) {
		for b.Loop() {
			if r, err := s.RankTargets(ctx, window, "", year, 10, 5); err != nil || len(r.Rows) != 100 {
				b.Fatal(err)
			}
		}
	})
}
