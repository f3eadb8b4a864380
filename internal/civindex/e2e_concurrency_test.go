package civindex_test

import (
	"sync"
	"testing"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

// Concurrent visits to one site must all count in its stored score, and
// concurrent amendments of one inspection must each add a revision.
func TestConcurrentWritesToOneSiteAllCount(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		round := w.openRound(t, "并发", 1)
		const n = 8
		var wg sync.WaitGroup
		errs := make(chan error, 2*n)
		for i := range n {
			wg.Go(func() {
				results := good()
				results[0] = met("A1", i%2 == 0)
				_, err := w.ins.SubmitInspection(s.Ctx(auth.Inspector), &civindexv1.SubmitInspectionRequest{
					RoundId: round, SiteId: w.s1, Results: results,
				})
				errs <- err
			})
		}
		wg.Wait()
		first := w.submit(t, round, w.s2, good()...)
		for range n {
			wg.Go(func() {
				_, err := w.ins.AmendInspection(s.Ctx(auth.Inspector), &civindexv1.AmendInspectionRequest{
					Id: first.GetId(), Reason: "并发更正", Results: good(),
				})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		sc, err := w.index.GetSiteScore(s.Ctx(auth.Analyst), &civindexv1.GetSiteScoreRequest{RoundId: round, SiteId: w.s1})
		if err != nil {
			t.Fatal(err)
		}
		// Half the visits met A1: its average is 5 of 10; the rest are full
		// except A2 at 45/50 → 18: (5 + 18 + 10 + 10) / 50 = 86.
		if sc.GetScore().GetVisits() != n {
			t.Errorf("stored score counts %d visits, want %d", sc.GetScore().GetVisits(), n)
		}
		approx(t, "S1 score", sc.GetScore().GetScore(), 86)
		got, err := w.ins.GetInspection(s.Ctx(auth.Analyst), &civindexv1.GetInspectionRequest{Id: first.GetId()})
		if err != nil {
			t.Fatal(err)
		}
		if got.GetInspection().GetCurrentRevision() != n+1 || len(got.GetInspection().GetRevisions()) != n+1 {
			t.Errorf("after %d amendments: revision %d, %d revisions", n, got.GetInspection().GetCurrentRevision(), len(got.GetInspection().GetRevisions()))
		}
	})
}
