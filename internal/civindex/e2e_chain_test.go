package civindex_test

import (
	"context"
	"strings"
	"testing"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/civindex"
	"github.com/wenming/wenming/internal/testserver"
)

// The round's inspections and amendments form a hash chain whose head is
// in the round index and the export; editing a stored revision or
// inspection row behind the server's back is found at that record, and
// so is a revision slipped in without a link.
func TestChainHeadIsPublishedAndADirectSQLEditIsCaught(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		ctx := context.Background()
		w := setUp(t, s)
		round := w.openRound(t, "链", 1)
		first := w.submit(t, round, w.s1, good()...)
		second := w.submit(t, round, w.s2, good()...)
		if _, err := w.ins.AmendInspection(s.Ctx(auth.Inspector), &civindexv1.AmendInspectionRequest{
			Id: first.GetId(), Reason: "更正", Results: []*civindexv1.ItemResult{met("A1", false), rate("A2", 45, 50), violations("B1", 0), level("B2", "优")},
		}); err != nil {
			t.Fatal(err)
		}
		idx, err := w.index.GetRoundIndex(s.Ctx(auth.Analyst), &civindexv1.GetRoundIndexRequest{RoundId: round})
		if err != nil {
			t.Fatal(err)
		}
		if idx.GetChainLength() != 3 || len(idx.GetChainHead()) != 64 || idx.GetChainHead() == civindex.GenesisHash {
			t.Fatalf("chain head %q length %d, want 3 links", idx.GetChainHead(), idx.GetChainLength())
		}
		exp, err := w.index.ExportIndex(s.Ctx(auth.Analyst), &civindexv1.ExportIndexRequest{RoundId: round})
		if err != nil {
			t.Fatal(err)
		}
		if exp.GetChainHead() != idx.GetChainHead() || exp.GetChainLength() != 3 {
			t.Errorf("export chain head %q/%d, want the report's %q/3", exp.GetChainHead(), exp.GetChainLength(), idx.GetChainHead())
		}
		sup := civindexv1.NewSupervisionServiceClient(s.Conn)
		ok, err := sup.VerifyChain(s.Ctx(auth.Analyst), &civindexv1.VerifyChainRequest{RoundId: round})
		if err != nil {
			t.Fatal(err)
		}
		if !ok.GetOk() || ok.GetHead() != idx.GetChainHead() || ok.GetLinks() != 3 {
			t.Fatalf("untouched chain: %v", ok)
		}

		// An edit of the second link's revision, as someone with database
		// access might make it.
		if _, err := s.DB.W.ExecContext(ctx, s.DB.W.Rebind(
			`UPDATE civ_inspection_revisions SET notes = ? WHERE inspection_id = ? AND revision = 1`), "改过", second.GetId()); err != nil {
			t.Fatal(err)
		}
		bad, err := sup.VerifyChain(s.Ctx(auth.Analyst), &civindexv1.VerifyChainRequest{RoundId: round})
		if err != nil {
			t.Fatal(err)
		}
		if bad.GetOk() || bad.GetSeq() != 2 || bad.GetInspectionId() != second.GetId() || bad.GetRevision() != 1 {
			t.Fatalf("after editing link 2: %v", bad)
		}
		// Put it back: the chain verifies again; then move the first
		// inspection to another site: caught at link 1.
		if _, err := s.DB.W.ExecContext(ctx, s.DB.W.Rebind(
			`UPDATE civ_inspection_revisions SET notes = '' WHERE inspection_id = ? AND revision = 1`), second.GetId()); err != nil {
			t.Fatal(err)
		}
		if c, err := civindex.VerifyChain(ctx, s.DB.R, round); err != nil || !c.OK {
			t.Fatalf("restored chain: %+v, %v", c, err)
		}
		if _, err := s.DB.W.ExecContext(ctx, s.DB.W.Rebind(`UPDATE civ_inspections SET site_id = ? WHERE id = ?`), w.s3, first.GetId()); err != nil {
			t.Fatal(err)
		}
		c, err := civindex.VerifyChain(ctx, s.DB.R, round)
		if err != nil {
			t.Fatal(err)
		}
		if c.OK || c.Seq != 1 || c.InspectionID != first.GetId() {
			t.Fatalf("after moving inspection 1: %+v", c)
		}
		if _, err := s.DB.W.ExecContext(ctx, s.DB.W.Rebind(`UPDATE civ_inspections SET site_id = ? WHERE id = ?`), w.s1, first.GetId()); err != nil {
			t.Fatal(err)
		}
		// A revision added by hand, without a link.
		if _, err := s.DB.W.ExecContext(ctx, s.DB.W.Rebind(`INSERT INTO civ_inspection_revisions (inspection_id, revision, results,
			 notes, evidence, reason, author, author_key_id, visit_score, create_time)
			 SELECT inspection_id, 3, results, notes, evidence, '伪造', author, author_key_id, visit_score, create_time + 1
			 FROM civ_inspection_revisions WHERE inspection_id = ? AND revision = 2`), first.GetId()); err != nil {
			t.Fatal(err)
		}
		c, err = civindex.VerifyChain(ctx, s.DB.R, round)
		if err != nil {
			t.Fatal(err)
		}
		if c.OK || c.InspectionID != first.GetId() || c.Revision != 3 || !strings.Contains(c.Problem, "not in the chain") {
			t.Fatalf("after adding a revision by hand: %+v", c)
		}
	})
}
