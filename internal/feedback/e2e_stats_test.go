package feedback_test

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

// scripted rates on chosen local days:
//
//	Mon 2026-03-02  w1: 5, 4   w2: 1
//	Tue 2026-03-03  w1: 3
//	Sun 2026-03-08  w2: 5
//	Mon 2026-03-09  w1: 2      w3: 4 (meeting services)
//	Wed 2026-04-01  w1: 5 (outside the period)
func scripted(t *testing.T, w *world) {
	t.Helper()
	var at time.Time
	svc := direct(t, w.Server, &at)
	day := func(d int, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, shanghai) }
	script(t, svc, &at, day(2, 9), w.w1, 5)
	script(t, svc, &at, day(2, 10), w.w1, 4)
	script(t, svc, &at, day(2, 23), w.w2, 1) // 23:00 local is still Monday
	script(t, svc, &at, day(3, 0), w.w1, 3)  // 00:00 local is Tuesday (Mon 16:00 UTC)
	script(t, svc, &at, day(8, 12), w.w2, 5)
	script(t, svc, &at, day(9, 8), w.w1, 2)
	script(t, svc, &at, day(9, 8), w.w3, 4)
	script(t, svc, &at, time.Date(2026, 4, 1, 9, 0, 0, 0, shanghai), w.w1, 5)
}

func TestStatisticsMatchHandComputation(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := newWorld(t, s)
		scripted(t, w)
		ctx := s.Ctx(auth.Analyst)

		// The canteen's subtree over Mar 2–9: levels 5 4 1 3 5 2.
		// n = 6, Σ = 20, mean = 20/6; distribution 1 1 1 1 2;
		// satisfied (4–5) = 3 → 3/6 = 0.5; bad (1–2) = 2 → 2/6.
		st, err := w.stats.GetTargetStats(ctx, &feedbackv1.GetTargetStatsRequest{
			TargetId: w.canteen, StartDate: "2026-03-02", EndDate: "2026-03-09"})
		if err != nil {
			t.Fatal(err)
		}
		sum := st.GetSummary()
		if sum.GetCount() != 6 || !equalInts(sum.GetDistribution(), []int64{1, 1, 1, 1, 2}) {
			t.Fatalf("summary %v", sum)
		}
		near(t, "mean", sum.GetMean(), 20.0/6)
		near(t, "satisfaction", sum.GetSatisfactionRate(), 0.5)
		near(t, "bad rate", sum.GetBadRate(), 2.0/6)

		// Window 1 alone on Monday: 5, 4 → mean 4.5, all satisfied.
		st, err = w.stats.GetTargetStats(ctx, &feedbackv1.GetTargetStatsRequest{
			TargetId: w.w1, StartDate: "2026-03-02", EndDate: "2026-03-02"})
		if err != nil || st.GetSummary().GetCount() != 2 || st.GetSummary().GetMean() != 4.5 || st.GetSummary().GetSatisfactionRate() != 1 {
			t.Fatalf("w1 on Monday: %v, %v", st, err)
		}

		// Weekly trend: week of Mar 2 holds 5 4 1 3 5 (Σ 18, mean 3.6);
		// week of Mar 9 holds 2.
		tr, err := w.stats.GetTrend(ctx, &feedbackv1.GetTrendRequest{TargetId: w.canteen, StartDate: "2026-03-02",
			EndDate: "2026-03-09", Granularity: feedbackv1.Granularity_GRANULARITY_WEEK})
		if err != nil {
			t.Fatal(err)
		}
		b := tr.GetBuckets()
		if len(b) != 2 || b[0].GetStartDate() != "2026-03-02" || b[0].GetSummary().GetCount() != 5 ||
			b[1].GetStartDate() != "2026-03-09" || b[1].GetSummary().GetCount() != 1 {
			t.Fatalf("weekly trend %v", tr)
		}
		near(t, "week 1 mean", b[0].GetSummary().GetMean(), 3.6)
		near(t, "week 1 bad rate", b[0].GetSummary().GetBadRate(), 0.2)

		// Daily, Mar 2–4: Monday 5 4 1 (mean 10/3), Tuesday 3, Wednesday none.
		tr, err = w.stats.GetTrend(ctx, &feedbackv1.GetTrendRequest{TargetId: w.canteen, StartDate: "2026-03-02",
			EndDate: "2026-03-04", Granularity: feedbackv1.Granularity_GRANULARITY_DAY})
		if err != nil {
			t.Fatal(err)
		}
		b = tr.GetBuckets()
		if len(b) != 3 || b[0].GetSummary().GetCount() != 3 || b[1].GetSummary().GetCount() != 1 || b[2].GetSummary().GetCount() != 0 {
			t.Fatalf("daily trend %v", tr)
		}
		near(t, "Monday mean", b[0].GetSummary().GetMean(), 10.0/3)

		// Monthly, Mar 1 – Apr 30: March 6+1 = 7 ratings, April 1.
		tr, err = w.stats.GetTrend(ctx, &feedbackv1.GetTrendRequest{TargetId: w.canteen, StartDate: "2026-03-01",
			EndDate: "2026-04-30", Granularity: feedbackv1.Granularity_GRANULARITY_MONTH})
		if err != nil || len(tr.GetBuckets()) != 2 || tr.GetBuckets()[0].GetSummary().GetCount() != 6 ||
			tr.GetBuckets()[1].GetSummary().GetCount() != 1 {
			t.Fatalf("monthly trend %v, %v", tr, err)
		}

		// Ranking of windows over Mar 2–9, prior weight 2, minimum 1:
		//   w1: 5 4 3 2 (n 4, Σ 14); w2: 1 5 (n 2, Σ 6); w3: 4 (n 1, Σ 4).
		//   Prior mean = 24/7. Each sum gains 2·24/7 = 48/7:
		//   w3: (48/7 + 28/7)/3 = 76/21 ≈ 3.619
		//   w1: (48/7 + 98/7)/6 = 146/42 ≈ 3.476
		//   w2: (48/7 + 42/7)/4 = 90/28 ≈ 3.214
		rk, err := w.stats.RankTargets(ctx, &feedbackv1.RankTargetsRequest{Kind: feedbackv1.TargetKind_TARGET_KIND_WINDOW,
			StartDate: "2026-03-02", EndDate: "2026-03-09", MinCount: 1, PriorWeight: proto.Float64(2)})
		if err != nil {
			t.Fatal(err)
		}
		near(t, "prior mean", rk.GetPriorMean(), 24.0/7)
		wantIDs := []string{w.w3, w.w1, w.w2}
		wantBayes := []float64{76.0 / 21, 146.0 / 42, 90.0 / 28}
		if len(rk.GetTargets()) != 3 {
			t.Fatalf("ranking %v", rk)
		}
		for i, r := range rk.GetTargets() {
			if r.GetTargetId() != wantIDs[i] || r.GetRank() != int32(i+1) {
				t.Errorf("rank %d is %s (%s)", i+1, r.GetTargetName(), r.GetTargetId())
			}
			near(t, "bayes of "+r.GetTargetName(), r.GetBayesianAverage(), wantBayes[i])
		}
		// The default minimum count (5) leaves every window out; the prior
		// weight defaults to 10.
		rk, err = w.stats.RankTargets(ctx, &feedbackv1.RankTargetsRequest{Kind: feedbackv1.TargetKind_TARGET_KIND_WINDOW,
			StartDate: "2026-03-02", EndDate: "2026-03-09"})
		if err != nil || len(rk.GetTargets()) != 0 || rk.GetMinCount() != 5 || rk.GetPriorWeight() != 10 {
			t.Fatalf("default ranking %v, %v", rk, err)
		}
		// Departments rank their whole subtree: canteen n 6, meeting n 1.
		rk, err = w.stats.RankTargets(ctx, &feedbackv1.RankTargetsRequest{Kind: feedbackv1.TargetKind_TARGET_KIND_DEPARTMENT,
			StartDate: "2026-03-02", EndDate: "2026-03-09", MinCount: 1})
		if err != nil || len(rk.GetTargets()) != 2 {
			t.Fatalf("department ranking %v, %v", rk, err)
		}

		// Over HTTP: int64 counts are JSON strings.
		resp := s.Do(t, auth.Analyst, http.MethodGet,
			"/v1/feedback/targets/"+w.canteen+"/stats?start_date=2026-03-02&end_date=2026-03-09", nil)
		if resp.Status != http.StatusOK || resp.JSON(t)["summary"].(map[string]any)["count"] != "6" {
			t.Fatalf("HTTP stats: %d %s", resp.Status, resp.Body)
		}
	})
}

func TestExportsForAnalysts(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := newWorld(t, s)
		scripted(t, w)
		resp := s.Do(t, auth.Analyst, http.MethodGet, "/v1/feedback/exports/ratings?start_date=2026-03-02&end_date=2026-03-09", nil)
		if resp.Status != http.StatusOK {
			t.Fatalf("export: %d %s", resp.Status, resp.Body)
		}
		body := resp.JSON(t)
		csv := body["csv"].(string)
		lines := strings.Split(strings.TrimSpace(csv), "\n")
		if body["rows"] != "7" || len(lines) != 8 || !strings.HasPrefix(lines[0], "rating_id,create_time,day,") ||
			!strings.Contains(csv, "非常不满意") {
			t.Fatalf("ratings CSV (%v rows):\n%s", body["rows"], csv)
		}
		cases, err := w.cases.ExportCases(s.Ctx(auth.Analyst), &feedbackv1.ExportCasesRequest{StartDate: "2026-03-01", EndDate: "2026-03-31"})
		if err != nil || cases.GetRows() != 2 || !strings.HasPrefix(cases.GetCsv(), "case_id,") {
			t.Fatalf("cases CSV %v, %v", cases, err)
		}
		// Kiosks and officers do not export ratings.
		if resp := s.Do(t, auth.Kiosk, http.MethodGet, "/v1/feedback/exports/ratings?start_date=2026-03-02&end_date=2026-03-09", nil); resp.Status != http.StatusForbidden {
			t.Fatalf("kiosk export: %d", resp.Status)
		}
	})
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
