package feedback

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

func TestSplitPeriod(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		from, to  string
		days      [][2]int
		months    [2]int
		hasMonths bool
	}{
		{"2026-03-01", "2026-03-31", nil, [2]int{202603, 202603}, true},
		{"2026-02-27", "2026-04-02", [][2]int{{20260227, 20260228}, {20260401, 20260402}}, [2]int{202603, 202603}, true},
		{"2026-03-03", "2026-03-20", [][2]int{{20260303, 20260320}}, [2]int{}, false},
		{"2026-03-02", "2026-04-30", [][2]int{{20260302, 20260331}}, [2]int{202604, 202604}, true},
		{"2025-12-15", "2026-02-28", [][2]int{{20251215, 20251231}}, [2]int{202601, 202602}, true},
		{"2026-01-31", "2026-02-01", [][2]int{{20260131, 20260201}}, [2]int{}, false},
	} {
		got := splitPeriod(Period{From: date(tc.from), To: date(tc.to)}, true)
		if !slices.Equal(got.days, tc.days) || got.months != tc.months || got.hasMonths != tc.hasMonths {
			t.Errorf("%s..%s = %+v, want days %v months %v", tc.from, tc.to, got, tc.days, tc.months)
		}
	}
	if sp := splitPeriod(Period{From: date("2026-03-01"), To: date("2026-03-31")}, false); sp.hasMonths {
		t.Error("months=false must read days only")
	}
}

// TestMonthlyRollupAgreesWithDays rates on random days across four months,
// excludes some ratings by appeal, and checks that every period gives the
// same numbers read through the monthly roll-up as read day by day.
func TestMonthlyRollupAgreesWithDays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clk := newTestService(t, db, nil)
		tr := makeTree(t, s)
		rng := rand.New(rand.NewPCG(7, 7))
		leaves := []Target{tr.window, tr.staff, tr.meeting}
		var cases []*Case
		for range 150 {
			clk.t = time.Date(2026, 2, 1, 9, 0, 0, 0, shanghai).AddDate(0, 0, rng.IntN(120)).Add(time.Duration(rng.IntN(14)) * time.Hour)
			in := RatingInput{TargetID: leaves[rng.IntN(len(leaves))].ID, Level: 1 + rng.IntN(5),
				Dimensions: []DimLevel{{Key: "attitude", Level: 1 + rng.IntN(5)}}}
			if out := rate(t, s, in); out.Case != nil {
				cases = append(cases, out.Case)
			}
		}
		admin := auth.Principal{Role: auth.Admin, KeyID: "a"}
		for _, c := range cases[:len(cases)/2] {
			if _, err := s.Transition(ctx, admin, c.ID, Step{Action: actAppeal, Evidence: "x"}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Transition(ctx, admin, c.ID, Step{Action: actAcceptAppeal}); err != nil {
				t.Fatal(err)
			}
		}
		ids, err := subtreeIDs(ctx, db.R, "/")
		if err != nil {
			t.Fatal(err)
		}
		total := func(m map[int]agg) agg {
			var a agg
			for _, x := range m {
				a.Add(x)
			}
			return a
		}
		for i := range 40 {
			from := date("2026-01-20").AddDays(rng.IntN(100))
			p := Period{From: from, To: from.AddDays(rng.IntN(90))}
			if i == 0 {
				p = Period{From: date("2026-01-01"), To: date("2026-06-30")} // everything, whole months only
			}
			viaMonths, err := periodDays(ctx, db.R, ids, p, true)
			if err != nil {
				t.Fatal(err)
			}
			byDay, err := periodDays(ctx, db.R, ids, p, false)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := total(viaMonths), total(byDay); a != b {
				t.Fatalf("%v..%v: via months %+v, by day %+v", p.From, p.To, a, b)
			}
			mt, dt := trend(viaMonths, p.From, p.To, Monthly), trend(byDay, p.From, p.To, Monthly)
			for j := range mt {
				if mt[j].Summary.Distribution != dt[j].Summary.Distribution {
					t.Fatalf("%v..%v month %s differs", p.From, p.To, mt[j].Start)
				}
			}
			dims, err := periodDims(ctx, db.R, ids, p)
			if err != nil {
				t.Fatal(err)
			}
			var dayDims = map[string]*dimAgg{}
			if err := sumDims(ctx, db.R, daily, ids, dateKey(p.From), dateKey(p.To), dayDims); err != nil {
				t.Fatal(err)
			}
			for _, d := range dims {
				if w := dayDims[d.Key]; w == nil || *w != d {
					t.Fatalf("%v..%v dimension %+v, by day %+v", p.From, p.To, d, w)
				}
			}
		}
	})
}

// aggregateTables dumps the four aggregate tables in a comparable form.
func aggregateTables(t *testing.T, db *store.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for table, q := range map[string]string{
		"daily":        `SELECT target_id || ' ' || CAST(day AS TEXT) || ' ' || CAST(n AS TEXT) || ' ' || CAST(total AS TEXT) || ' ' || CAST(c1 AS TEXT) || CAST(c5 AS TEXT) FROM feedback_daily WHERE n <> 0`,
		"daily dims":   `SELECT target_id || ' ' || CAST(day AS TEXT) || dimension || CAST(n AS TEXT) || ' ' || CAST(total AS TEXT) FROM feedback_daily_dims WHERE n <> 0`,
		"monthly":      `SELECT target_id || ' ' || CAST(month AS TEXT) || ' ' || CAST(n AS TEXT) || ' ' || CAST(total AS TEXT) || ' ' || CAST(c2 AS TEXT) FROM feedback_monthly WHERE n <> 0`,
		"monthly dims": `SELECT target_id || ' ' || CAST(month AS TEXT) || dimension || CAST(n AS TEXT) || ' ' || CAST(total AS TEXT) FROM feedback_monthly_dims WHERE n <> 0`,
	} {
		var rows []string
		if err := db.R.SelectContext(context.Background(), &rows, q); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		slices.Sort(rows)
		out[table] = rows
	}
	return out
}

func TestRebuildAggregatesMatchesWhatSubmitMaintains(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clk := newTestService(t, db, nil)
		tr := makeTree(t, s)
		rng := rand.New(rand.NewPCG(3, 9))
		for i := range 60 {
			clk.t = time.Date(2026, 3, 20, 9, 0, 0, 0, shanghai).AddDate(0, 0, rng.IntN(40))
			in := RatingInput{TargetID: []string{tr.window.ID, tr.staff.ID}[i%2], Level: 1 + rng.IntN(5),
				Dimensions: []DimLevel{{Key: "attitude", Level: 1 + rng.IntN(5)}, {Key: "outcome", Level: 1 + rng.IntN(5)}}}
			out := rate(t, s, in)
			if out.Case != nil && i%3 == 0 {
				admin := auth.Principal{Role: auth.Admin}
				if _, err := s.Transition(ctx, admin, out.Case.ID, Step{Action: actAppeal, Evidence: "x"}); err != nil {
					t.Fatal(err)
				}
				if _, err := s.Transition(ctx, admin, out.Case.ID, Step{Action: actAcceptAppeal}); err != nil {
					t.Fatal(err)
				}
			}
		}
		maintained := aggregateTables(t, db)
		if len(maintained["monthly"]) == 0 || len(maintained["daily dims"]) == 0 {
			t.Fatal("no aggregates to compare")
		}
		if err := RebuildAggregates(ctx, db); err != nil {
			t.Fatal(err)
		}
		rebuilt := aggregateTables(t, db)
		for table, rows := range maintained {
			if !slices.Equal(rows, rebuilt[table]) {
				t.Errorf("%s: maintained %v\nrebuilt %v", table, rows, rebuilt[table])
			}
		}
	})
}
