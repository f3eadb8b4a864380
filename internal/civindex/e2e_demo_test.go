package civindex_test

import (
	"context"
	"testing"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/demo"
	"github.com/wenming/wenming/internal/testserver"
)

func TestDemoDataLoadsTwoScoredRounds(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		if err := demo.LoadCivIndex(context.Background(), s.DB); err != nil {
			t.Fatal(err)
		}
		// Loading again is a no-op.
		if err := demo.LoadCivIndex(context.Background(), s.DB); err != nil {
			t.Fatal(err)
		}
		ctx := s.Ctx(auth.Analyst)
		fws, err := civindexv1.NewFrameworkServiceClient(s.Conn).ListFrameworks(ctx, &civindexv1.ListFrameworksRequest{})
		if err != nil || len(fws.GetFrameworks()) != 1 {
			t.Fatalf("frameworks: %v %v", fws, err)
		}
		fw := fws.GetFrameworks()[0]
		methods := map[civindexv1.ScoringMethod]int{}
		items := 0
		for _, d := range fw.GetDimensions() {
			for _, ind := range d.GetIndicators() {
				for _, it := range ind.GetItems() {
					methods[it.GetMethod()]++
					items++
				}
			}
		}
		if len(fw.GetDimensions()) != 4 || items < 20 || len(methods) != 4 {
			t.Errorf("demo framework: %d dimensions, %d items, methods %v", len(fw.GetDimensions()), items, methods)
		}
		trend, err := civindexv1.NewIndexServiceClient(s.Conn).GetTrend(ctx, &civindexv1.GetTrendRequest{FrameworkId: fw.GetId(),
			Kind: civindexv1.RoundKind_ROUND_KIND_OFFICIAL})
		if err != nil {
			t.Fatal(err)
		}
		if len(trend.GetPoints()) != 2 || len(trend.GetChanges()) != 1 {
			t.Fatalf("trend: %v", trend)
		}
		for _, p := range trend.GetPoints() {
			if p.GetIndex().GetN() != 12 || p.GetIndex().GetIndex() <= 0 || p.GetIndex().GetIndex() > 100 {
				t.Errorf("round %s: n = %d, index = %v", p.GetIndex().GetRoundName(), p.GetIndex().GetN(), p.GetIndex().GetIndex())
			}
		}
		t.Logf("demo rounds: %.2f → %.2f (p = %.4f)", trend.GetPoints()[0].GetIndex().GetIndex(),
			trend.GetPoints()[1].GetIndex().GetIndex(), trend.GetChanges()[0].GetP())
	})
}
