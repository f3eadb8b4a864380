package supervision_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/civindex/supervision"
	"github.com/wenming/wenming/internal/testserver"
)

const seed = "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a"

// A draw is committed (frame, allocation and the seed's hash published, the
// seed kept back), revealed (a wrong seed is refused and changes nothing)
// and re-derived by anyone from the exported document; the round's scope
// is the sample.
func TestDrawIsCommittedRevealedAndReDerivable(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		admin := s.Ctx(auth.Admin)
		req := &civindexv1.CommitDrawRequest{
			Name: "二〇二六年一季度抽查", Strata: civindexv1.DrawStrata_DRAW_STRATA_CATEGORY,
			Allocation: &civindexv1.DrawAllocation{Total: 3}, Commitment: commitmentOf(seed), RequestId: "commit-1",
		}
		c, err := w.sup.CommitDraw(admin, req)
		if err != nil {
			t.Fatal(err)
		}
		d := c.GetDraw()
		// Six sites: street 4, station 1, service_hall 1; n = 3 gives quotas
		// 2, 0.5, 0.5: floors 2, 0, 0, remainders 0, 3, 3 (n·N_h mod N);
		// categories are stored as STREET, STATION, SERVICE_HALL;
		// the tie goes to the smaller name, SERVICE_HALL.
		if d.GetState() != civindexv1.DrawState_DRAW_STATE_COMMITTED || len(d.GetFrame()) != 6 || d.GetSeed() != "" || len(d.GetSample()) != 0 {
			t.Fatalf("committed draw: %v", d)
		}
		if got := supervision.SHA256Hex([]byte(d.GetStatement())); got != d.GetFrameSha256() {
			t.Errorf("frame_sha256 %s is not the statement's %s", d.GetFrameSha256(), got)
		}
		again, err := w.sup.CommitDraw(admin, req)
		if err != nil || again.GetDraw().GetId() != d.GetId() {
			t.Fatalf("retried commit: %v, %v", again, err)
		}

		plan := &civindexv1.DrawRound{Name: "抽查一", FrameworkId: w.framework, FrameworkVersion: 1, StartTime: ts(2026, 3, 1), EndTime: ts(2026, 3, 31)}
		wrong := strings.Replace(seed, "8f", "8e", 1)
		_, err = w.sup.RevealDraw(admin, &civindexv1.RevealDrawRequest{Id: d.GetId(), Seed: wrong, Round: plan})
		testserver.WantReason(t, err, codes.FailedPrecondition, apierr.DrawSeedMismatch)
		if got, _ := w.sup.GetDraw(s.Ctx(auth.Analyst), &civindexv1.GetDrawRequest{Id: d.GetId()}); got.GetDraw().GetState() != civindexv1.DrawState_DRAW_STATE_COMMITTED {
			t.Fatalf("a refused reveal changed the draw: %v", got)
		}

		r, err := w.sup.RevealDraw(admin, &civindexv1.RevealDrawRequest{Id: d.GetId(), Seed: seed, Round: plan, RequestId: "reveal-1"})
		if err != nil {
			t.Fatal(err)
		}
		drawn := r.GetDraw()
		if drawn.GetState() != civindexv1.DrawState_DRAW_STATE_DRAWN || len(drawn.GetSample()) != 3 || drawn.GetRoundId() == "" {
			t.Fatalf("revealed draw: %v", drawn)
		}
		strata := map[string]int{}
		for _, id := range drawn.GetSample() {
			for _, f := range drawn.GetFrame() {
				if f.GetSiteId() == id {
					strata[f.GetStratum()]++
				}
			}
		}
		if strata["STREET"] != 2 || strata["SERVICE_HALL"] != 1 || strata["STATION"] != 0 {
			t.Errorf("sample by stratum %v, want STREET 2, SERVICE_HALL 1", strata)
		}
		round, err := w.rounds.GetRound(s.Ctx(auth.Analyst), &civindexv1.GetRoundRequest{Id: drawn.GetRoundId()})
		if err != nil {
			t.Fatal(err)
		}
		if round.GetRound().GetKind() != civindexv1.RoundKind_ROUND_KIND_SPOT_CHECK ||
			!slices.Equal(slices.Sorted(slices.Values(round.GetRound().GetSiteIds())), drawn.GetSample()) {
			t.Errorf("round %v, want a spot check over the sample %v", round.GetRound(), drawn.GetSample())
		}
		// A retry with the same request id returns the first answer and
		// creates no second round.
		if again, err := w.sup.RevealDraw(admin, &civindexv1.RevealDrawRequest{Id: d.GetId(), Seed: seed, Round: plan, RequestId: "reveal-1"}); err != nil ||
			again.GetDraw().GetRoundId() != drawn.GetRoundId() {
			t.Errorf("retried reveal: %v, %v", again, err)
		}
		if rs, err := w.rounds.ListRounds(s.Ctx(auth.Analyst), &civindexv1.ListRoundsRequest{}); err != nil || len(rs.GetRounds()) != 1 {
			t.Errorf("rounds after retries: %v, %v", rs, err)
		}
		// The same seed again returns the draw; another (right-length) seed
		// is refused.
		if again, err := w.sup.RevealDraw(admin, &civindexv1.RevealDrawRequest{Id: d.GetId(), Seed: seed, Round: plan}); err != nil || again.GetDraw().GetRoundId() != drawn.GetRoundId() {
			t.Errorf("reveal again: %v, %v", again, err)
		}
		_, err = w.sup.RevealDraw(admin, &civindexv1.RevealDrawRequest{Id: d.GetId(), Seed: wrong, Round: plan})
		testserver.WantReason(t, err, codes.FailedPrecondition, apierr.DrawStateForbids)

		exp, err := w.sup.ExportDraw(s.Ctx(auth.Analyst), &civindexv1.ExportDrawRequest{Id: d.GetId()})
		if err != nil {
			t.Fatal(err)
		}
		var doc supervision.DrawDocument
		if err := json.Unmarshal([]byte(exp.GetJson()), &doc); err != nil {
			t.Fatal(err)
		}
		if v := supervision.VerifyDocument(doc); !v.OK {
			t.Fatalf("the exported draw does not verify: %+v", v)
		}
		changed := doc
		changed.Statement = strings.Replace(doc.Statement, "\tSTATION\n", "\tSTREET\n", 1)
		if v := supervision.VerifyDocument(changed); v.OK {
			t.Error("a changed frame verified")
		}
		changed = doc
		changed.Seed = wrong
		if v := supervision.VerifyDocument(changed); v.OK {
			t.Error("a changed seed verified")
		}
	})
}

func TestBadDrawRequestsNameTheFieldAndWriteNothing(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		admin := s.Ctx(auth.Admin)
		_, err := w.sup.CommitDraw(admin, &civindexv1.CommitDrawRequest{Commitment: "abc", Allocation: &civindexv1.DrawAllocation{Total: -1}})
		got := testserver.BadFields(t, err, codes.InvalidArgument)
		testserver.Mentions(t, got, "name", "required")
		testserver.Mentions(t, got, "strata", "required")
		testserver.Mentions(t, got, "commitment", "64 hex digits")
		testserver.Mentions(t, got, "allocation.total", "negative")
		_, err = w.sup.CommitDraw(admin, &civindexv1.CommitDrawRequest{
			Name: "x", Strata: civindexv1.DrawStrata_DRAW_STRATA_UNIT, Commitment: commitmentOf(seed),
			Allocation: &civindexv1.DrawAllocation{Sizes: map[string]int32{"U1": 5, "U9": 1}},
		})
		got = testserver.BadFields(t, err, codes.InvalidArgument)
		if !strings.Contains(got["allocation.sizes"], "U1") && !strings.Contains(got["allocation.sizes"], "U9") {
			t.Errorf("allocation.sizes: %v", got)
		}
		_, err = w.sup.CommitDraw(admin, &civindexv1.CommitDrawRequest{
			Name: "x", Strata: civindexv1.DrawStrata_DRAW_STRATA_UNIT, Commitment: commitmentOf(seed),
			Allocation: &civindexv1.DrawAllocation{Total: 7},
		})
		testserver.Mentions(t, testserver.BadFields(t, err, codes.InvalidArgument), "allocation.total", "only 6 sites")
		_, err = w.sup.CommitDraw(admin, &civindexv1.CommitDrawRequest{
			Name: "x", Strata: civindexv1.DrawStrata_DRAW_STRATA_UNIT, Commitment: commitmentOf(seed),
			Allocation: &civindexv1.DrawAllocation{Total: 1}, SiteIds: []string{"no-such-site"},
		})
		testserver.Mentions(t, testserver.BadFields(t, err, codes.InvalidArgument), "site_ids", "does not exist")
		list, err := w.sup.ListDraws(s.Ctx(auth.Analyst), &civindexv1.ListDrawsRequest{})
		if err != nil || len(list.GetDraws()) != 0 {
			t.Fatalf("refused commits stored draws: %v, %v", list, err)
		}
		// A request id reused for another commit is refused.
		ok := &civindexv1.CommitDrawRequest{Name: "x", Strata: civindexv1.DrawStrata_DRAW_STRATA_UNIT,
			Commitment: commitmentOf(seed), Allocation: &civindexv1.DrawAllocation{Total: 1}, RequestId: "same"}
		if _, err := w.sup.CommitDraw(admin, ok); err != nil {
			t.Fatal(err)
		}
		ok.Name = "y"
		if _, err := w.sup.CommitDraw(admin, ok); err == nil {
			t.Error("a reused request id with another payload was accepted")
		}
		c, _ := w.sup.ListDraws(s.Ctx(auth.Analyst), &civindexv1.ListDrawsRequest{})
		if len(c.GetDraws()) != 1 {
			t.Fatalf("%d draws, want 1", len(c.GetDraws()))
		}
		_, err = w.sup.RevealDraw(admin, &civindexv1.RevealDrawRequest{Id: c.GetDraws()[0].GetId(), Seed: "zz"})
		got = testserver.BadFields(t, err, codes.InvalidArgument)
		testserver.Mentions(t, got, "seed", "hex digits")
		testserver.Mentions(t, got, "round.name", "required")
		testserver.Mentions(t, got, "round.start_time", "required")
	})
}
