package feedback

import (
	"math"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/workcal"
)

const tol = 1e-9

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

// aggOf builds the aggregate of the given levels.
func aggOf(levels ...int) Agg {
	var a Agg
	for _, l := range levels {
		a.N++
		a.Total += int64(l)
		a.Counts[l-1]++
	}
	return a
}

func TestSummarizeMatchesHandComputation(t *testing.T) {
	t.Parallel()
	// Levels 5 5 4 4 4 3 2 1: n = 8, Σ = 28, mean = 28/8 = 3.5.
	// Distribution (1..5) = 1 1 1 3 2. Satisfied (4–5) = 3+2 = 5 → 5/8 = 0.625.
	// Bad (1–2) = 1+1 = 2 → 2/8 = 0.25.
	// attitude: 5 and 4 → 9/2 = 4.5; efficiency: 2, 3, 3 → 8/3.
	s := summarizeRatings(aggOf(5, 5, 4, 4, 4, 3, 2, 1), []DimAgg{
		{Key: "efficiency", N: 3, Total: 8}, {Key: "attitude", N: 2, Total: 9}, {Key: "unused", N: 0},
	})
	if s.Count != 8 || s.Distribution != [5]int64{1, 1, 1, 3, 2} {
		t.Fatalf("count %d, distribution %v", s.Count, s.Distribution)
	}
	near(t, "mean", s.Mean, 3.5)
	near(t, "satisfaction", s.SatisfactionRate, 0.625)
	near(t, "bad", s.BadRate, 0.25)
	if len(s.Dimensions) != 2 || s.Dimensions[0].Key != "attitude" || s.Dimensions[1].Key != "efficiency" {
		t.Fatalf("dimensions = %+v, want attitude then efficiency, no empty one", s.Dimensions)
	}
	near(t, "attitude", s.Dimensions[0].Mean, 4.5)
	near(t, "efficiency", s.Dimensions[1].Mean, 8.0/3)
}

func TestSummarizeEmptyIsZeroNotNaN(t *testing.T) {
	t.Parallel()
	s := summarizeRatings(Agg{}, nil)
	if s.Mean != 0 || s.SatisfactionRate != 0 || s.BadRate != 0 || s.Count != 0 {
		t.Fatalf("empty summary = %+v", s)
	}
}

func date(s string) workcal.Date {
	d, err := workcal.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestTrendBuckets(t *testing.T) {
	t.Parallel()
	days := map[int]Agg{
		20260227: aggOf(5, 4), // Fri
		20260301: aggOf(1),    // Sun
		20260302: aggOf(3),    // Mon
		20260308: aggOf(2, 2), // Sun
		20260309: aggOf(5),    // Mon
	}
	type want struct {
		start string
		n     int64
		mean  float64
	}
	for _, tc := range []struct {
		name     string
		from, to string
		g        Granularity
		want     []want
	}{
		// Days, empty ones included: Feb 27 (5,4 → 4.5), Feb 28 (none), Mar 1 (1).
		{"day", "2026-02-27", "2026-03-01", Daily, []want{{"2026-02-27", 2, 4.5}, {"2026-02-28", 0, 0}, {"2026-03-01", 1, 1}}},
		// ISO weeks start on Monday: Feb 23–Mar 1 holds 5,4,1 → 10/3;
		// Mar 2–8 holds 3,2,2 → 7/3; Mar 9–15 holds 5.
		{"week", "2026-02-27", "2026-03-10", Weekly, []want{{"2026-02-23", 3, 10.0 / 3}, {"2026-03-02", 3, 7.0 / 3}, {"2026-03-09", 1, 5}}},
		// Months: February (from the 27th) holds 5,4 → 4.5; March 1–9
		// holds 1,3,2,2,5 → 13/5 = 2.6.
		{"month", "2026-02-27", "2026-03-09", Monthly, []want{{"2026-02-01", 2, 4.5}, {"2026-03-01", 5, 2.6}}},
		// A period inside one week is one bucket.
		{"week inside", "2026-03-03", "2026-03-05", Weekly, []want{{"2026-03-02", 0, 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Trend(days, date(tc.from), date(tc.to), tc.g)
			if len(got) != len(tc.want) {
				t.Fatalf("%d buckets, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				if got[i].Start.String() != w.start || got[i].Summary.Count != w.n {
					t.Errorf("bucket %d = %s n=%d, want %s n=%d", i, got[i].Start, got[i].Summary.Count, w.start, w.n)
				}
				near(t, "mean of "+w.start, got[i].Summary.Mean, w.mean)
			}
		})
	}
}

func repeat(level, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = level
	}
	return out
}

// b300 is 300 ratings averaging 4.8: 240 fives and 60 fours (Σ = 1440).
func b300() Agg { return aggOf(append(repeat(5, 240), repeat(4, 60)...)...) }

func TestRankShrinksSmallSamples(t *testing.T) {
	t.Parallel()
	cands := []Candidate{
		{TargetID: "a", Name: "two fives", Agg: aggOf(5, 5)},              // n 2,   Σ 10
		{TargetID: "b", Name: "300 at 4.8", Agg: b300()},                  // n 300, Σ 1440
		{TargetID: "c", Name: "ten threes", Agg: aggOf(repeat(3, 10)...)}, // n 10, Σ 30
		{TargetID: "d", Name: "three twos", Agg: aggOf(2, 2, 2)},          // n 3,   Σ 6
	}
	// Prior mean over every rating: (10+1440+30+6)/(2+300+10+3) = 1486/315.
	// With weight 10, the prior adds 10·1486/315 = 14860/315 to each sum:
	//   b: (14860/315 + 1440)/310 = 468460/97650 ≈ 4.79734
	//   a: (14860/315 + 10)/12    = 18010/3780   ≈ 4.76455
	//   d: (14860/315 + 6)/13     = 16750/4095   ≈ 4.09035
	//   c: (14860/315 + 30)/20    = 24310/6300   ≈ 3.85873
	r := Rank(cands, 10, 2)
	near(t, "prior mean", r.PriorMean, 1486.0/315)
	want := []struct {
		id    string
		bayes float64
	}{{"b", 468460.0 / 97650}, {"a", 18010.0 / 3780}, {"d", 16750.0 / 4095}, {"c", 24310.0 / 6300}}
	if len(r.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(r.Rows), len(want))
	}
	for i, w := range want {
		if r.Rows[i].TargetID != w.id || r.Rows[i].Rank != i+1 {
			t.Errorf("rank %d = %s, want %s", i+1, r.Rows[i].TargetID, w.id)
		}
		near(t, "bayes of "+w.id, r.Rows[i].Bayesian, w.bayes)
	}
	near(t, "mean of a", r.Rows[1].Mean, 5)
	// Wilson lower bound of a's satisfaction, 2 of 2, z = 1.959964
	// (z² = 3.841459): centre = (1 + z²/4)/(1 + z²/2) = 1.960365/2.920729
	// = 0.671190; half = z/(1 + z²/2)·√(z²/16) = 0.671053·0.489991
	// = 0.328810; lower = 0.342380.
	if got := r.Rows[1].SatisfactionLow; math.Abs(got-0.342380) > 1e-5 {
		t.Errorf("Wilson lower bound of 2/2 = %.6f, want 0.342380", got)
	}
	near(t, "satisfaction of b", r.Rows[0].SatisfactionRate, 1)

	// A minimum count of 5 leaves a (2) and d (3) out of the rows, but their
	// ratings still shape the prior mean.
	r = Rank(cands, 10, 5)
	if len(r.Rows) != 2 || r.Rows[0].TargetID != "b" || r.Rows[1].TargetID != "c" {
		t.Fatalf("rows with min 5 = %+v", r.Rows)
	}
	near(t, "prior mean with min 5", r.PriorMean, 1486.0/315)

	// Weight 0 is the plain mean: the two fives win.
	r = Rank(cands, 0, 1)
	if r.Rows[0].TargetID != "a" {
		t.Fatalf("with weight 0, rank 1 = %s, want a", r.Rows[0].TargetID)
	}
}

func TestAccountabilities(t *testing.T) {
	t.Parallel()
	t0 := date("2026-03-02").In(shanghai)
	h := func(n float64) time.Time { return t0.Add(time.Duration(n * float64(time.Hour))) }
	due := h(24 * 7)
	cases := []Case{
		{DepartmentID: "d1", State: Closed, OpenTime: h(0), DueTime: due, CloseTime: h(10)},  // in time, 10 h
		{DepartmentID: "d1", State: Closed, OpenTime: h(0), DueTime: due, CloseTime: h(200)}, // late, 200 h
		{DepartmentID: "d1", State: Closed, OpenTime: h(0), DueTime: due, CloseTime: h(30)},  // in time, 30 h
		{DepartmentID: "d1", State: Acknowledged, OpenTime: h(0), DueTime: due},              // overdue now
		{DepartmentID: "d1", State: Appealed, OpenTime: h(0), DueTime: due},                  // waiting on admin
		{DepartmentID: "d1", State: AppealAccepted, OpenTime: h(0), DueTime: due},            // not counted
		{DepartmentID: "d2", State: Open, OpenTime: h(0), DueTime: h(24 * 30)},               // not yet due
	}
	now := h(24 * 10)
	got := Accountabilities(cases, map[string]string{"d1": "机关食堂", "d2": "会议服务"}, now)
	if len(got) != 2 {
		t.Fatalf("%d lines, want 2", len(got))
	}
	// Sorted by name: 会议服务 (U+4F1A) before 机关食堂 (U+673A).
	d2, d1 := got[0], got[1]
	// d1: opened 5 (the accepted appeal is not counted), closed 3, in time 2
	// (10 h and 30 h), overdue now 1, median of 10, 30, 200 hours = 30.
	if d1.Opened != 5 || d1.Closed != 3 || d1.ClosedInTime != 2 || d1.OverdueNow != 1 || d1.AppealsAccepted != 1 {
		t.Errorf("d1 = %+v", d1)
	}
	near(t, "d1 median hours", d1.MedianHoursToClose, 30)
	if d2.Opened != 1 || d2.OverdueNow != 0 || d2.MedianHoursToClose != 0 {
		t.Errorf("d2 = %+v", d2)
	}
}
