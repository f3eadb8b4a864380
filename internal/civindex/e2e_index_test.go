package civindex_test

import (
	"context"
	"math"
	"net/http"
	"strings"
	"testing"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
	"google.golang.org/grpc/codes"
)

// Hand computation for round 1 (max points A1 10, A2 20, B1 10, B2 10, B3 5):
//
//	S1 visit 1: A1 met 10 · A2 45/50 → 18 · B1 5 violations → 10−15 floored 0 · B2 良 8 · B3 n/a
//	S1 visit 2: A1 not 0  · A2 40/50 → 16 · B1 1 violation → 7           · B2 优 10 · B3 met 5
//	  averages per item: A1 5, A2 17, B1 3.5, B2 9, B3 5 (only visit 2 applied)
//	  S1 = 39.5 / 55 × 100 = 71.818181…; D1 = 22/30 = 73.33…; D2 = 17.5/25 = 70
//	S2: A1 met 10 · A2 n/a · B1 0 violations 10 · B2 中 6 · B3 omitted (optional)
//	  S2 = 26 / 30 × 100 = 86.666…; D1 = 10/10 = 100; D2 = 16/20 = 80
//	S3: A1 not 0 · A2 30/50 → 12 · B1 2 violations → 4 · B2 差 2 · B3 not 0
//	  S3 = 18 / 55 × 100 = 32.7272…; D1 = 12/30 = 40; D2 = 6/25 = 24
//
//	index = (71.8182 + 86.6667 + 32.7273) / 3 = 63.737373…, n = 3
//	s = 27.862863260376, t(0.975, 2) = 4.302652729749
//	CI = 63.7374 ∓ 4.3027 × 27.8629 / √3 = [−5.477815645, 132.952563120]
//	weighted (station ×2): (71.8182 + 2 × 86.6667 + 32.7273) / 4 = 69.469696…
const (
	s1Score = 39.5 / 55 * 100
	s2Score = 26.0 / 30 * 100
	s3Score = 18.0 / 55 * 100
)

func TestIndexMatchesHandComputation(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		r1 := w.openRound(t, "2026 春季抽查", 1)
		w.submit(t, r1, w.s1, met("A1", true), rate("A2", 45, 50), violations("B1", 5), level("B2", "良"), na("B3", "无公厕"))
		w.submit(t, r1, w.s1, met("A1", false), rate("A2", 40, 50), violations("B1", 1), level("B2", "优"), met("B3", true))
		w.submit(t, r1, w.s2, met("A1", true), na("A2", "无信号灯路口"), violations("B1", 0), level("B2", "中"))
		s3ins := w.submit(t, r1, w.s3, met("A1", false), rate("A2", 30, 50), violations("B1", 2), level("B2", "差"), met("B3", false))

		ctx := s.Ctx(auth.Analyst)
		site, err := w.index.GetSiteScore(ctx, &civindexv1.GetSiteScoreRequest{RoundId: r1, SiteId: w.s1})
		if err != nil {
			t.Fatal(err)
		}
		sc := site.GetScore()
		approx(t, "S1 score", sc.GetScore(), s1Score)
		approx(t, "S1 points", sc.GetPoints(), 39.5)
		approx(t, "S1 max", sc.GetMaxPoints(), 55)
		if sc.GetVisits() != 2 {
			t.Errorf("S1 visits = %d, want 2", sc.GetVisits())
		}
		approx(t, "S1 D1", sc.GetDimensions()[0].GetScore(), 22.0/30*100)
		approx(t, "S1 D2", sc.GetDimensions()[1].GetScore(), 70)
		wantItems := map[string]float64{"A1": 5, "A2": 17, "B1": 3.5, "B2": 9, "B3": 5}
		for _, it := range sc.GetItems() {
			approx(t, "S1 item "+it.GetItemId(), it.GetPoints(), wantItems[it.GetItemId()])
		}

		s2, err := w.index.GetSiteScore(ctx, &civindexv1.GetSiteScoreRequest{RoundId: r1, SiteId: w.s2})
		if err != nil {
			t.Fatal(err)
		}
		approx(t, "S2 score", s2.GetScore().GetScore(), s2Score)
		approx(t, "S2 max (A2 and B3 left out)", s2.GetScore().GetMaxPoints(), 30)
		approx(t, "S2 D1", s2.GetScore().GetDimensions()[0].GetScore(), 100)

		idx, err := w.index.GetRoundIndex(ctx, &civindexv1.GetRoundIndexRequest{RoundId: r1})
		if err != nil {
			t.Fatal(err)
		}
		ri := idx.GetIndex()
		approx(t, "index", ri.GetIndex(), (s1Score+s2Score+s3Score)/3)
		approx(t, "CI low", ri.GetCi().GetLow(), -5.477815645069562)
		approx(t, "CI high", ri.GetCi().GetHigh(), 132.95256311981703)
		if ri.GetN() != 3 || ri.GetSitesInScope() != 3 {
			t.Errorf("n = %d of %d, want 3 of 3", ri.GetN(), ri.GetSitesInScope())
		}
		// D1 over sites: (73.33 + 100 + 40) / 3; D2: (70 + 80 + 24) / 3 = 58
		approx(t, "round D1", ri.GetDimensions()[0].GetScore(), (22.0/30*100+100+40)/3)
		approx(t, "round D2", ri.GetDimensions()[1].GetScore(), 58)

		weighted, err := w.index.GetRoundIndex(ctx, &civindexv1.GetRoundIndexRequest{RoundId: r1, Weights: []*civindexv1.CategoryWeight{
			{Category: civindexv1.SiteCategory_SITE_CATEGORY_STATION, Weight: 2},
		}})
		if err != nil {
			t.Fatal(err)
		}
		approx(t, "weighted index", weighted.GetIndex().GetIndex(), (s1Score+2*s2Score+s3Score)/4)
		if weighted.GetIndex().GetCi() != nil {
			t.Error("a weighted index should carry no (unweighted) interval")
		}
		// Over HTTP the weights go in a POST body.
		wj := call(t, s, auth.Analyst, http.MethodPost, "/v1/rounds/"+r1+"/index:weighted", map[string]any{
			"weights": []any{map[string]any{"category": "SITE_CATEGORY_STATION", "weight": 2}},
		}, http.StatusOK)
		approx(t, "weighted index over HTTP", wj["index"].(map[string]any)["index"].(float64), (s1Score+2*s2Score+s3Score)/4)

		ranking, err := w.index.ListSiteRanking(ctx, &civindexv1.ListSiteRankingRequest{RoundId: r1})
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, r := range ranking.GetSites() {
			order = append(order, r.GetScore().GetSiteId())
		}
		if strings.Join(order, ",") != strings.Join([]string{w.s2, w.s1, w.s3}, ",") {
			t.Errorf("site ranking = %v, want S2, S1, S3", order)
		}
		u1, err := w.index.ListSiteRanking(ctx, &civindexv1.ListSiteRankingRequest{RoundId: r1, Unit: "U1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(u1.GetSites()) != 2 || u1.GetSites()[1].GetScore().GetSiteId() != w.s1 || u1.GetSites()[1].GetRank() != 2 {
			t.Errorf("U1 ranking = %v", u1.GetSites())
		}
		_, err = w.index.ListSiteRanking(ctx, &civindexv1.ListSiteRankingRequest{RoundId: r1, Category: 99})
		testserver.Mentions(t, testserver.BadFields(t, err, codes.InvalidArgument), "category", "unknown category")
		units, err := w.index.ListUnitRanking(ctx, &civindexv1.ListUnitRankingRequest{RoundId: r1})
		if err != nil {
			t.Fatal(err)
		}
		// U1 = (71.8182 + 86.6667) / 2 = 79.2424…; U2 = S3 alone.
		if len(units.GetUnits()) != 2 || units.GetUnits()[0].GetUnit() != "U1" {
			t.Fatalf("unit ranking = %v", units.GetUnits())
		}
		approx(t, "U1", units.GetUnits()[0].GetScore(), (s1Score+s2Score)/2)
		approx(t, "U2", units.GetUnits()[1].GetScore(), s3Score)

		// Round shortfalls under 0.6 of max, each item averaged over the
		// sites where it applied:
		//   A1 (5 + 10 + 0)/3 = 5 of 10      → lost 5
		//   A2 (17 + 12)/2 = 14.5 of 20 = .725 → no shortfall
		//   B1 (3.5 + 10 + 4)/3 = 5.833 of 10 → lost 4.1667
		//   B2 (9 + 6 + 2)/3 = 5.667 of 10    → lost 4.3333
		//   B3 (5 + 0)/2 = 2.5 of 5 (S2 omitted it) → lost 2.5
		wantShortfalls(t, w, ctx, &civindexv1.ListShortfallsRequest{RoundId: r1},
			[]string{"A1", "B2", "B1", "B3"}, []float64{5, 10 - 17.0/3, 10 - 17.5/3, 2.5})
		// S3 alone: A1 lost 10, B2 8, B1 6, B3 5; A2 12/20 is exactly 0.6,
		// which is not under the threshold.
		wantShortfalls(t, w, ctx, &civindexv1.ListShortfallsRequest{RoundId: r1, SiteId: w.s3},
			[]string{"A1", "B2", "B1", "B3"}, []float64{10, 8, 6, 5})
		// Unit U1 with threshold 0.9: A1 (5+10)/2 = 7.5 lost 2.5; B1
		// (3.5+10)/2 = 6.75 lost 3.25; B2 (9+6)/2 = 7.5 lost 2.5; A2 17/20 = .85
		// lost 3; B3 5/5 none.
		wantShortfalls(t, w, ctx, &civindexv1.ListShortfallsRequest{RoundId: r1, Unit: "U1", Threshold: 0.9},
			[]string{"B1", "A2", "A1", "B2"}, []float64{3.25, 3, 2.5, 2.5})

		// Amending S3 (B2 差 → 良) adds revision 2: S3 = 24/55 = 43.6363…
		amended, err := w.ins.AmendInspection(s.Ctx(auth.Inspector), &civindexv1.AmendInspectionRequest{
			Id: s3ins.GetId(), Reason: "复核照片后更正整洁程度",
			Results: []*civindexv1.ItemResult{met("A1", false), rate("A2", 30, 50), violations("B1", 2), level("B2", "良"), met("B3", false)},
		})
		if err != nil {
			t.Fatal(err)
		}
		if amended.GetInspection().GetCurrentRevision() != 2 {
			t.Fatalf("current revision = %d, want 2", amended.GetInspection().GetCurrentRevision())
		}
		got, err := w.ins.GetInspection(ctx, &civindexv1.GetInspectionRequest{Id: s3ins.GetId()})
		if err != nil {
			t.Fatal(err)
		}
		revs := got.GetInspection().GetRevisions()
		if len(revs) != 2 || revs[0].GetResults()[3].GetLevel() != "差" || revs[1].GetResults()[3].GetLevel() != "良" {
			t.Fatalf("revisions = %v", revs)
		}
		if revs[0].GetAuthor() == "" || revs[0].GetCreateTime() == nil || revs[1].GetReason() != "复核照片后更正整洁程度" {
			t.Errorf("revisions lack who, when or why: %v", revs)
		}
		approx(t, "revision 1 visit score", revs[0].GetVisitScore(), s3Score)
		approx(t, "revision 2 visit score", revs[1].GetVisitScore(), 24.0/55*100)
		s3, err := w.index.GetSiteScore(ctx, &civindexv1.GetSiteScoreRequest{RoundId: r1, SiteId: w.s3})
		if err != nil {
			t.Fatal(err)
		}
		approx(t, "S3 after amendment", s3.GetScore().GetScore(), 24.0/55*100)
		if s3.GetScore().GetVisits() != 1 {
			t.Errorf("an amendment is not another visit: visits = %d", s3.GetScore().GetVisits())
		}

		checkTrend(t, w, ctx, r1)
	})
}

func wantShortfalls(t *testing.T, w *world, ctx context.Context, req *civindexv1.ListShortfallsRequest, ids []string, lost []float64) {
	t.Helper()
	resp, err := w.index.ListShortfalls(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range resp.GetShortfalls() {
		got = append(got, s.GetItemId())
	}
	if strings.Join(got, ",") != strings.Join(ids, ",") {
		t.Fatalf("shortfalls = %v, want %v", got, ids)
	}
	for i, s := range resp.GetShortfalls() {
		approx(t, "lost on "+s.GetItemId(), s.GetLost(), lost[i])
	}
}

// checkTrend adds rounds 2 and 3 and checks the Welch tests:
//
//	round 1 (amended): 71.8182, 86.6667, 43.6364       mean 67.3737
//	round 2: S1 all met 55/55 = 100; S2 A2 48/50 → 19.2, 54.2/55 = 98.5455;
//	         S3 A2 45/50 → 18, B1 1 → 7, 50/55 = 90.9091  mean 96.4848
//	round 3: S1 A1 0, A2 25/50 → 10, B2 中 6 → 31/55 = 56.3636; S2 A2 20/50 → 8,
//	         29/55 = 52.7273; S3 A2 30/50 → 12, 33/55 = 60    mean 56.3636
//	1 → 2: s²/n = 159.2389 and 7.9486, t = 29.1111/√167.1874 = 2.25142,
//	       df = 2.19917, p = 0.1416 → not significant
//	2 → 3: s²/n = 7.9486 and 4.4077, t = −40.1212/√12.3563 = −11.41379,
//	       df = 3.69645, p = 0.000514 → significant
func checkTrend(t *testing.T, w *world, ctx context.Context, r1 string) {
	t.Helper()
	all := func(a1 bool, compliant int32, viol int32, lvl string) []*civindexv1.ItemResult {
		return []*civindexv1.ItemResult{met("A1", a1), rate("A2", compliant, 50), violations("B1", viol), level("B2", lvl), met("B3", true)}
	}
	r2 := w.openRound(t, "2026 夏季抽查", 4)
	w.submit(t, r2, w.s1, all(true, 50, 0, "优")...)
	w.submit(t, r2, w.s2, all(true, 48, 0, "优")...)
	w.submit(t, r2, w.s3, all(true, 45, 1, "优")...)
	r3 := w.openRound(t, "2026 秋季抽查", 7)
	w.submit(t, r3, w.s1, all(false, 25, 0, "中")...)
	w.submit(t, r3, w.s2, all(false, 20, 0, "中")...)
	w.submit(t, r3, w.s3, all(false, 30, 0, "中")...)

	trend, err := w.index.GetTrend(ctx, &civindexv1.GetTrendRequest{FrameworkId: w.framework})
	if err != nil {
		t.Fatal(err)
	}
	if len(trend.GetPoints()) != 3 || trend.GetPoints()[0].GetIndex().GetRoundId() != r1 {
		t.Fatalf("trend points = %v", trend.GetPoints())
	}
	approx(t, "round 2 index", trend.GetPoints()[1].GetIndex().GetIndex(), (100+54.2/55*100+50.0/55*100)/3)
	c := trend.GetChanges()
	if len(c) != 2 {
		t.Fatalf("changes = %v", c)
	}
	approx(t, "1→2 diff", c[0].GetDiff(), 29.11111111111113)
	approx(t, "1→2 t", c[0].GetT(), 2.251422340130151)
	approx(t, "1→2 df", c[0].GetDf(), 2.1991680035580004)
	if math.Abs(c[0].GetP()-0.14163306524184405) > 1e-6 || c[0].GetSignificant() {
		t.Errorf("1→2: p = %v significant = %v, want p ≈ 0.1416, not significant", c[0].GetP(), c[0].GetSignificant())
	}
	approx(t, "2→3 t", c[1].GetT(), -11.413793103448276)
	approx(t, "2→3 df", c[1].GetDf(), 3.696452136374683)
	if math.Abs(c[1].GetP()-0.000514203925543355) > 1e-6 || !c[1].GetSignificant() {
		t.Errorf("2→3: p = %v significant = %v, want p ≈ 0.000514, significant", c[1].GetP(), c[1].GetSignificant())
	}

	// The export is CSV over HTTP, best site first.
	exp := call(t, w.s, auth.Analyst, http.MethodGet, "/v1/rounds/"+r1+"/index:export", nil, http.StatusOK)
	lines := strings.Split(strings.TrimSpace(str(exp, "csv")), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "rank,site_id,site,category,unit,visits,score") ||
		!strings.HasPrefix(lines[1], "1,"+w.s2+",S2 火车站,STATION,U1,1,86.67") {
		t.Errorf("export =\n%s", str(exp, "csv"))
	}
}
