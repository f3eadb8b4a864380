package supervision

import (
	"math"
	"testing"
)

// Worked by hand (docs/supervision.md): unit U1's three sites scored 90,
// 85, 80 in its self-check and 80, 80, 72 by the spot check: d = 10, 5, 8,
// mean 7.6667, s = √(((2.3333)² + (−2.6667)² + 0.3333²)/2) = √6.3333 =
// 2.5166, s/√3 = 1.4530, t(0.975, 2) = 4.3027, half-width 6.2517:
// [1.4151, 13.9183] — above 0, so significant and inflated. On dimension
// D1 two sites give d = 10 and −5: mean 2.5, s = 10.6066, s/√2 = 7.5,
// t(0.975, 1) = 12.7062: [−92.797, 97.797], not significant. A site only
// one side scored is left out.
func TestInflationWorkedByHand(t *testing.T) {
	rows := ComputeInflation([]InflationInput{
		{SiteID: "a", Unit: "U1", Self: SiteScores{"": 90, "D1": 100}, Inspected: SiteScores{"": 80, "D1": 90}},
		{SiteID: "b", Unit: "U1", Self: SiteScores{"": 85, "D1": 70}, Inspected: SiteScores{"": 80, "D1": 75}},
		{SiteID: "c", Unit: "U1", Self: SiteScores{"": 80}, Inspected: SiteScores{"": 72, "D1": 50}},
	})
	if len(rows) != 2 || rows[0].DimensionID != "" || rows[1].DimensionID != "D1" {
		t.Fatalf("rows %+v", rows)
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-3 {
			t.Errorf("%s = %.6f, want %.4f", what, got, want)
		}
	}
	r := rows[0]
	near("mean", r.Mean, 7.6667)
	near("low", r.CI.Lo, 1.4151)
	near("high", r.CI.Hi, 13.9183)
	near("self mean", r.SelfMean, 85)
	near("inspected mean", r.InspectedMean, 77.3333)
	if r.N != 3 || !r.Significant || !r.Inflated {
		t.Errorf("site score row %+v", r)
	}
	d := rows[1]
	near("D1 mean", d.Mean, 2.5)
	near("D1 low", d.CI.Lo, -92.797)
	near("D1 high", d.CI.Hi, 97.797)
	if d.N != 2 || d.Significant || d.Inflated {
		t.Errorf("D1 row %+v", d)
	}
	// One site: no interval, never significant.
	one := ComputeInflation([]InflationInput{{SiteID: "a", Unit: "U", Self: SiteScores{"": 90}, Inspected: SiteScores{"": 10}}})
	if one[0].N != 1 || one[0].Significant {
		t.Errorf("one site %+v", one[0])
	}
}
