package supervision_test

import (
	"math"
	"testing"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
	"google.golang.org/grpc/codes"
)

// U1 scores its four sites full marks in its January self-check; the
// February spot check finds one of the two items failing at each (A1 at
// street1 and street2, B1 at street3 and station1). Site scores: d = 50 at
// every site, mean 50, s = 0: [50, 50], significant and inflated. D1
// (A1): d = 100, 100, 0, 0: mean 50, s = 57.735, s/√4 = 28.868,
// t(0.975, 3) = 3.18245, half-width 91.869: [−41.869, 141.869], not significant; D2 the same.
// U2's sites had no self-check and are not listed.
func TestSelfCheckInflationPerUnitAndDimension(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		u1 := []string{"street1", "street2", "street3", "station1"}
		self := w.round(t, civindexv1.RoundKind_ROUND_KIND_SELF_CHECK, 1, u1...)
		for _, site := range u1 {
			w.inspect(t, self, site, true, true)
		}
		spot := w.round(t, civindexv1.RoundKind_ROUND_KIND_SPOT_CHECK, 2, append(u1, "hall1")...)
		w.inspect(t, spot, "street1", false, true)
		w.inspect(t, spot, "street2", false, true)
		w.inspect(t, spot, "street3", true, false)
		w.inspect(t, spot, "station1", true, false)
		w.inspect(t, spot, "hall1", true, true)
		got, err := w.sup.GetSelfCheckInflation(s.Ctx(auth.Analyst), &civindexv1.GetSelfCheckInflationRequest{
			StartTime: ts(2026, 1, 1), EndTime: ts(2026, 4, 1)})
		if err != nil {
			t.Fatal(err)
		}
		rows := got.GetInflation()
		if len(rows) != 3 {
			t.Fatalf("rows %v", rows)
		}
		all, d1 := rows[0], rows[1]
		if all.GetUnit() != "U1" || all.GetDimensionId() != "" || all.GetN() != 4 || all.GetMeanDifference() != 50 ||
			all.GetCi().GetLow() != 50 || !all.GetSignificant() || !all.GetInflated() || all.GetSelfMean() != 100 || all.GetInspectedMean() != 50 {
			t.Errorf("site score row %v", all)
		}
		if d1.GetDimensionId() != "D1" || d1.GetDimensionName() != "公共秩序" || d1.GetN() != 4 || d1.GetMeanDifference() != 50 ||
			math.Abs(d1.GetCi().GetLow()-(-41.8693)) > 1e-3 || math.Abs(d1.GetCi().GetHigh()-141.8693) > 1e-3 || d1.GetSignificant() {
			t.Errorf("D1 row %v", d1)
		}
		// A period without the self-check compares nothing.
		none, err := w.sup.GetSelfCheckInflation(s.Ctx(auth.Analyst), &civindexv1.GetSelfCheckInflationRequest{
			StartTime: ts(2026, 2, 1), EndTime: ts(2026, 4, 1)})
		if err != nil || len(none.GetInflation()) != 0 {
			t.Errorf("without the self-check: %v, %v", none, err)
		}
		_, err = w.sup.GetSelfCheckInflation(s.Ctx(auth.Analyst), &civindexv1.GetSelfCheckInflationRequest{StartTime: ts(2026, 4, 1), EndTime: ts(2026, 1, 1)})
		testserver.Mentions(t, testserver.BadFields(t, err, codes.InvalidArgument), "end_time", "after start_time")
	})
}
