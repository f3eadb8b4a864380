package scoring

import (
	"math"
	"testing"
)

const eps = 1e-9

func near(a, b float64) bool { return math.Abs(a-b) <= eps }

// score runs one observation through Item.Score, so the site example below
// exercises the item methods and the aggregation together.
func score(t *testing.T, dim string, it Item, o Observation) ItemScore {
	t.Helper()
	p, ok, err := it.Score(o)
	if err != nil {
		t.Fatalf("item %s: %v", it.ID, err)
	}
	return ItemScore{ItemID: it.ID, DimensionID: dim, MaxPoints: it.MaxPoints, Points: p, Applicable: ok}
}

// exampleSite is a residential community visited twice in one round, with
// two dimensions:
//
//	env 环境卫生
//	  e1 BINARY    max 10          visit 1 met → 10     visit 2 not met → 0
//	  e2 DEDUCTION max 10, 2/viol  visit 1 3 viol → 4   visit 2 7 viol → 10−14 = −4 → 0
//	  e3 RATE      max 20, min 10  visit 1 47/50 → 18.8 visit 2 NA (road works)
//	svc 窗口服务
//	  s1 GRADED    max 10          visit 1 较好 0.8 → 8 visit 2 一般 0.5 → 5
//	  s2 BINARY    max 5           NA in both visits (no service window)
func exampleSite(t *testing.T) [][]ItemScore {
	e1 := Item{ID: "e1", MaxPoints: 10, Method: Binary}
	e2 := Item{ID: "e2", MaxPoints: 10, Method: Deduction, PointsPerViolation: 2}
	e3 := Item{ID: "e3", MaxPoints: 20, Method: Rate, MinObserved: 10}
	s1 := Item{ID: "s1", MaxPoints: 10, Method: Graded, Levels: grades}
	s2 := Item{ID: "s2", MaxPoints: 5, Method: Binary}
	na := func(why string) Observation { return Observation{NotApplicable: true, NAReason: why} }
	return [][]ItemScore{
		{ // visit 1, listed out of ID order on purpose
			score(t, "svc", s2, na("无服务窗口")),
			score(t, "env", e1, Observation{Met: true}),
			score(t, "env", e2, Observation{Violations: 3}),
			score(t, "env", e3, Observation{Compliant: 47, Observed: 50}),
			score(t, "svc", s1, Observation{Level: "较好"}),
		},
		{ // visit 2
			score(t, "env", e1, Observation{Met: false}),
			score(t, "env", e2, Observation{Violations: 7}),
			score(t, "env", e3, na("路口施工封闭")),
			score(t, "svc", s1, Observation{Level: "一般"}),
			score(t, "svc", s2, na("无服务窗口")),
		},
	}
}

func TestScoreSiteAveragesPerItemOverApplicableVisits(t *testing.T) {
	t.Parallel()
	got := ScoreSite(exampleSite(t))

	// Item averages over the visits where each item was applicable:
	//   e1 (10+0)/2 = 5      e2 (4+0)/2 = 2      e3 18.8/1 = 18.8 (not 18.8/2 = 9.4)
	//   s1 (8+5)/2 = 6.5     s2 no applicable visit: counts nowhere
	wantItems := []ItemAverage{
		{ItemID: "e1", DimensionID: "env", MaxPoints: 10, Points: 5, Visits: 2},
		{ItemID: "e2", DimensionID: "env", MaxPoints: 10, Points: 2, Visits: 2},
		{ItemID: "e3", DimensionID: "env", MaxPoints: 20, Points: 18.8, Visits: 1},
		{ItemID: "s1", DimensionID: "svc", MaxPoints: 10, Points: 6.5, Visits: 2},
		{ItemID: "s2", DimensionID: "svc", MaxPoints: 5, Points: 0, Visits: 0},
	}
	if len(got.Items) != len(wantItems) {
		t.Fatalf("Items = %+v, want %+v", got.Items, wantItems)
	}
	for i, w := range wantItems {
		g := got.Items[i]
		if g.ItemID != w.ItemID || g.DimensionID != w.DimensionID || g.MaxPoints != w.MaxPoints ||
			g.Visits != w.Visits || !near(g.Points, w.Points) {
			t.Errorf("Items[%d] = %+v, want %+v", i, g, w)
		}
	}

	// env: points 5 + 2 + 18.8 = 25.8, max 10 + 10 + 20 = 40, score 25.8/40×100 = 64.5
	// svc: points 6.5, max 10 (s2 left out), score 65
	// site: points 25.8 + 6.5 = 32.3, max 50, score 32.3/50×100 = 64.6
	//       (counting s2 would give 32.3/55×100 ≈ 58.73)
	wantDims := map[string]DimScore{
		"env": {Score: 64.5, Points: 25.8, Max: 40},
		"svc": {Score: 65, Points: 6.5, Max: 10},
	}
	if len(got.Dimensions) != len(wantDims) {
		t.Fatalf("Dimensions = %+v, want %+v", got.Dimensions, wantDims)
	}
	for id, w := range wantDims {
		g, ok := got.Dimensions[id]
		if !ok || !near(g.Score, w.Score) || !near(g.Points, w.Points) || !near(g.Max, w.Max) {
			t.Errorf("Dimensions[%s] = %+v, want %+v", id, g, w)
		}
	}
	if !near(got.Score, 64.6) || !near(got.Points, 32.3) || !near(got.Max, 50) {
		t.Errorf("site = score %v points %v max %v, want 64.6, 32.3, 50", got.Score, got.Points, got.Max)
	}
}

func TestScoreSiteSingleVisit(t *testing.T) {
	t.Parallel()
	// a 3 of 4, b 0 of 6, c 5 of 10 → 8 / 20 × 100 = 40
	got := ScoreSite([][]ItemScore{{
		{ItemID: "a", DimensionID: "d", MaxPoints: 4, Points: 3, Applicable: true},
		{ItemID: "b", DimensionID: "d", MaxPoints: 6, Points: 0, Applicable: true},
		{ItemID: "c", DimensionID: "d", MaxPoints: 10, Points: 5, Applicable: true},
	}})
	if !near(got.Score, 40) || !near(got.Dimensions["d"].Score, 40) {
		t.Errorf("ScoreSite = %+v, want site and dimension score 40", got)
	}
}

func TestScoreSiteNothingApplicableScoresZero(t *testing.T) {
	t.Parallel()
	for name, visits := range map[string][][]ItemScore{
		"no visits":   nil,
		"empty visit": {{}},
		"all NA": {
			{{ItemID: "a", DimensionID: "d", MaxPoints: 10, Applicable: false}},
			{{ItemID: "a", DimensionID: "d", MaxPoints: 10, Applicable: false}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := ScoreSite(visits)
			if got.Score != 0 || got.Points != 0 || got.Max != 0 {
				t.Errorf("site = %+v, want score 0 with max 0", got)
			}
			for id, d := range got.Dimensions {
				if d != (DimScore{}) {
					t.Errorf("Dimensions[%s] = %+v, want zero", id, d)
				}
			}
			if got.Dimensions == nil {
				t.Error("Dimensions is nil, want an empty map")
			}
		})
	}
}

func TestShortfallsRankByPointsLost(t *testing.T) {
	t.Parallel()
	site := ScoreSite(exampleSite(t))
	// Threshold 0.8 over the example's items:
	//   e1 5/10 = 0.50 → lost 5      e2 2/10 = 0.20 → lost 8
	//   e3 18.8/20 = 0.94 → above    s1 6.5/10 = 0.65 → lost 3.5
	//   s2 not applicable anywhere → skipped
	// Ordered by lost: e2 (8), e1 (5), s1 (3.5).
	got := Shortfalls(site.Items, 0.8)
	want := []Shortfall{
		{ItemID: "e2", DimensionID: "env", Points: 2, MaxPoints: 10, Lost: 8, Share: 0.2},
		{ItemID: "e1", DimensionID: "env", Points: 5, MaxPoints: 10, Lost: 5, Share: 0.5},
		{ItemID: "s1", DimensionID: "svc", Points: 6.5, MaxPoints: 10, Lost: 3.5, Share: 0.65},
	}
	checkShortfalls(t, got, want)
}

func TestShortfallsTiesAndBoundary(t *testing.T) {
	t.Parallel()
	items := []ItemAverage{
		{ItemID: "z", MaxPoints: 10, Points: 8, Visits: 1},  // 0.8 = threshold → not a shortfall
		{ItemID: "b", MaxPoints: 10, Points: 7, Visits: 1},  // 0.7, lost 3
		{ItemID: "a", MaxPoints: 5, Points: 2, Visits: 1},   // 0.4, lost 3: ties with b, a first
		{ItemID: "c", MaxPoints: 20, Points: 15, Visits: 1}, // 0.75, lost 5 → first
		{ItemID: "n", MaxPoints: 10, Points: 0, Visits: 0},  // never applicable → skipped
		{ItemID: "m", MaxPoints: 0, Points: 0, Visits: 1},   // no max → skipped
	}
	want := []Shortfall{
		{ItemID: "c", Points: 15, MaxPoints: 20, Lost: 5, Share: 0.75},
		{ItemID: "a", Points: 2, MaxPoints: 5, Lost: 3, Share: 0.4},
		{ItemID: "b", Points: 7, MaxPoints: 10, Lost: 3, Share: 0.7},
	}
	checkShortfalls(t, Shortfalls(items, 0.8), want)
	if got := Shortfalls(items, 0); len(got) != 0 {
		t.Errorf("threshold 0 = %+v, want none", got)
	}
}

func checkShortfalls(t *testing.T, got, want []Shortfall) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("Shortfalls = %+v, want %+v", got, want)
	}
	for i, w := range want {
		g := got[i]
		if g.ItemID != w.ItemID || g.DimensionID != w.DimensionID || !near(g.Points, w.Points) ||
			!near(g.MaxPoints, w.MaxPoints) || !near(g.Lost, w.Lost) || !near(g.Share, w.Share) {
			t.Errorf("Shortfalls[%d] = %+v, want %+v", i, g, w)
		}
	}
}

func TestWeightedMean(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		values  []float64
		weights []float64
		want    float64
	}{
		{"plain mean", []float64{60, 80, 100}, nil, 80},                       // 240/3
		{"weighted", []float64{60, 80, 100}, []float64{1, 1, 2}, 85},          // (60+80+200)/4 = 340/4
		{"zero weight drops a value", []float64{60, 90}, []float64{0, 3}, 90}, // 270/3
		{"fractional weights", []float64{70, 90}, []float64{0.25, 0.75}, 85},  // 17.5 + 67.5
		{"no values", nil, nil, 0},
		{"no values with weights", []float64{}, []float64{}, 0},
		{"all weights zero", []float64{60, 80}, []float64{0, 0}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := WeightedMean(tc.values, tc.weights); !near(got, tc.want) {
				t.Errorf("WeightedMean(%v, %v) = %v, want %v", tc.values, tc.weights, got, tc.want)
			}
		})
	}
}

func TestWeightedMeanPanicsOnBadWeights(t *testing.T) {
	t.Parallel()
	for name, weights := range map[string][]float64{
		"length mismatch": {1},
		"negative weight": {1, -1},
		"NaN weight":      {1, math.NaN()},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if recover() == nil {
					t.Errorf("WeightedMean with weights %v did not panic", weights)
				}
			}()
			WeightedMean([]float64{1, 2}, weights)
		})
	}
}

// Two sites with the same visits get bit-identical scores whatever order
// the results come in: the sum runs in item-id order. In another order
// 0.1 + 0.2 + 0.3 is 0.6 instead of 0.6000000000000001, and a tie would be
// ranked as two places.
func TestScoreSiteSumsInAFixedOrder(t *testing.T) {
	t.Parallel()
	item := func(id string, points float64) ItemScore {
		return ItemScore{ItemID: id, DimensionID: "D", MaxPoints: 1, Points: points, Applicable: true}
	}
	a, b, c := item("A", 0.1), item("B", 0.2), item("C", 0.3)
	pa, pb, pc := 0.1, 0.2, 0.3      // variables: constant arithmetic would be exact
	want := (pa + pb + pc) / 3 * 100 // A, then B, then C: 20.000000000000004
	for range 20 {                   // map order differs run to run
		for _, visit := range [][]ItemScore{{a, b, c}, {c, b, a}, {b, c, a}, {c, a, b}} {
			got := ScoreSite([][]ItemScore{visit})
			if got.Score != want || got.Dimensions["D"].Score != want {
				t.Fatalf("visit %v: score %v (dimension %v), want exactly %v", visit, got.Score, got.Dimensions["D"].Score, want)
			}
		}
	}
}
