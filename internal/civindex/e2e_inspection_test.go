package civindex_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

func good() []*civindexv1.ItemResult {
	return []*civindexv1.ItemResult{met("A1", true), rate("A2", 45, 50), violations("B1", 0), level("B2", "优")}
}

func TestBadInspectionIsRefusedNamingTheItemAndWritesNothing(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		round := w.openRound(t, "校验", 1)
		with := func(i int, r *civindexv1.ItemResult) []*civindexv1.ItemResult {
			rs := good()
			rs[i] = r
			return rs
		}
		tests := []struct {
			name        string
			site        string
			results     []*civindexv1.ItemResult
			evidence    []*civindexv1.Evidence
			field, text string
		}{
			{"rate with more compliant than observed", w.s1, with(1, rate("A2", 51, 50)),
				nil, "results[1].compliant", `item "A2" (行人遵守信号灯): 51 compliant is more than the 50 observed`},
			{"level the item does not have", w.s1, with(3, level("B2", "极好")),
				nil, "results[3].level", `item "B2" (整洁程度): unknown level "极好"`},
			{"missing required item", w.s1, good()[1:],
				nil, "results", `required item "A1" (行人走斑马线) has no result`},
			{"item not in the framework", w.s1, append(good(), met("Z9", true)),
				nil, "results[4].item_id", `item "Z9" is not in framework`},
			{"not applicable without a reason", w.s1, with(0, &civindexv1.ItemResult{ItemId: "A1", NotApplicable: true}),
				nil, "results[0].na_reason", `item "A1"`},
			{"evidence hash is not SHA-256", w.s1, good(),
				[]*civindexv1.Evidence{{Url: "https://img.example.cn/1.jpg", Sha256: "abc"}}, "evidence[0].sha256", "64 hex"},
			{"site outside the round", "no-such-site", good(),
				nil, "site_id", "not in the scope of round"},
		}
		for _, tt := range tests {
			_, err := w.ins.SubmitInspection(s.Ctx(auth.Inspector), &civindexv1.SubmitInspectionRequest{
				RoundId: round, SiteId: tt.site, Results: tt.results, Evidence: tt.evidence, RequestId: "bad-" + tt.name,
			})
			testserver.Mentions(t, testserver.BadFields(t, err, codes.InvalidArgument), tt.field, tt.text)
		}

		// The same bad input over HTTP is a 400 with the field named.
		r := s.Do(t, auth.Inspector, http.MethodPost, "/v1/rounds/"+round+"/inspections", map[string]any{
			"site_id": w.s1, "results": []any{
				map[string]any{"item_id": "A1", "met": true}, map[string]any{"item_id": "A2", "compliant": 60, "observed": 50},
				map[string]any{"item_id": "B1"}, map[string]any{"item_id": "B2", "level": "优"},
			}})
		if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "results[1].compliant") {
			t.Errorf("HTTP: %d %s", r.Status, r.Body)
		}

		list, err := w.ins.ListInspections(s.Ctx(auth.Analyst), &civindexv1.ListInspectionsRequest{RoundId: round})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.GetInspections()) != 0 {
			t.Errorf("refused inspections were written: %v", list.GetInspections())
		}
		_, err = w.index.GetSiteScore(s.Ctx(auth.Analyst), &civindexv1.GetSiteScoreRequest{RoundId: round, SiteId: w.s1})
		testserver.WantCode(t, err, codes.NotFound)
		var n int
		if err := s.DB.R.Get(&n, `SELECT COUNT(*) FROM civ_item_results`); err != nil || n != 0 {
			t.Errorf("item results written: %d (%v)", n, err)
		}

		// A bad amendment leaves the inspection at its first revision.
		ins := w.submit(t, round, w.s1, good()...)
		_, err = w.ins.AmendInspection(s.Ctx(auth.Inspector), &civindexv1.AmendInspectionRequest{
			Id: ins.GetId(), Reason: "更正", Results: with(1, rate("A2", 5, 5)),
		})
		testserver.Mentions(t, testserver.BadFields(t, err, codes.InvalidArgument), "results[1].observed", `item "A2"`)
		_, err = w.ins.AmendInspection(s.Ctx(auth.Inspector), &civindexv1.AmendInspectionRequest{Id: ins.GetId(), Results: good()})
		testserver.Mentions(t, testserver.BadFields(t, err, codes.InvalidArgument), "reason", "required")
		got, err := w.ins.GetInspection(s.Ctx(auth.Analyst), &civindexv1.GetInspectionRequest{Id: ins.GetId()})
		if err != nil {
			t.Fatal(err)
		}
		if got.GetInspection().GetCurrentRevision() != 1 || len(got.GetInspection().GetRevisions()) != 1 {
			t.Errorf("refused amendment changed the inspection: %v", got.GetInspection())
		}
	})
}

func TestOnlyOpenRoundsAcceptInspections(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		planned := call(t, s, auth.Admin, http.MethodPost, "/v1/rounds", map[string]any{
			"name": "未开始", "kind": "ROUND_KIND_SELF_CHECK", "framework_id": w.framework, "framework_version": 1,
			"start_time": "2026-01-01T00:00:00Z", "end_time": "2026-02-01T00:00:00Z", "site_ids": []string{w.s1},
		}, http.StatusOK)
		id := str(planned, "round", "id")
		_, err := w.ins.SubmitInspection(s.Ctx(auth.Inspector), &civindexv1.SubmitInspectionRequest{RoundId: id, SiteId: w.s1, Results: good()})
		testserver.WantCode(t, err, codes.FailedPrecondition)

		call(t, s, auth.Admin, http.MethodPost, "/v1/rounds/"+id+":open", map[string]any{}, http.StatusOK)
		ins := w.submit(t, id, w.s1, good()...)
		call(t, s, auth.Admin, http.MethodPost, "/v1/rounds/"+id+":close", map[string]any{}, http.StatusOK)
		_, err = w.ins.SubmitInspection(s.Ctx(auth.Inspector), &civindexv1.SubmitInspectionRequest{RoundId: id, SiteId: w.s1, Results: good()})
		testserver.WantCode(t, err, codes.FailedPrecondition)
		_, err = w.ins.AmendInspection(s.Ctx(auth.Inspector), &civindexv1.AmendInspectionRequest{Id: ins.GetId(), Reason: "迟到的更正", Results: good()})
		testserver.WantCode(t, err, codes.FailedPrecondition)
		// A closed round cannot reopen.
		r := s.Do(t, auth.Admin, http.MethodPost, "/v1/rounds/"+id+":open", map[string]any{})
		if r.Status != http.StatusBadRequest {
			t.Errorf("reopening a closed round: %d %s", r.Status, r.Body)
		}
		// A site in a round cannot be deleted.
		if r := s.Do(t, auth.Admin, http.MethodDelete, "/v1/sites/"+w.s1, nil); r.Status != http.StatusBadRequest {
			t.Errorf("deleting a site in a round: %d %s", r.Status, r.Body)
		}
	})
}

func TestRetriedRequestIDReturnsTheFirstInspection(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		round := w.openRound(t, "重试", 1)
		req := &civindexv1.SubmitInspectionRequest{RoundId: round, SiteId: w.s1, Results: good(), RequestId: "tablet-7-0001"}
		first, err := w.ins.SubmitInspection(s.Ctx(auth.Inspector), req)
		if err != nil {
			t.Fatal(err)
		}
		again, err := w.ins.SubmitInspection(s.Ctx(auth.Inspector), req)
		if err != nil {
			t.Fatal(err)
		}
		if again.GetInspection().GetId() != first.GetInspection().GetId() {
			t.Errorf("retry created %s, first was %s", again.GetInspection().GetId(), first.GetInspection().GetId())
		}
		req.Results = req.Results[:0:0]
		req.Results = append(req.Results, good()...)
		req.Results[0] = met("A1", false)
		_, err = w.ins.SubmitInspection(s.Ctx(auth.Inspector), req)
		testserver.WantCode(t, err, codes.FailedPrecondition)

		amend := &civindexv1.AmendInspectionRequest{Id: first.GetInspection().GetId(), Reason: "更正", Results: good(), RequestId: "tablet-7-0002"}
		for range 2 {
			if _, err := w.ins.AmendInspection(s.Ctx(auth.Inspector), amend); err != nil {
				t.Fatal(err)
			}
		}
		list, err := w.ins.ListInspections(s.Ctx(auth.Analyst), &civindexv1.ListInspectionsRequest{RoundId: round})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.GetInspections()) != 1 || list.GetInspections()[0].GetCurrentRevision() != 2 ||
			len(list.GetInspections()[0].GetRevisions()) != 1 || list.GetInspections()[0].GetRevisions()[0].GetReason() != "更正" {
			t.Errorf("after retries: %v", list.GetInspections())
		}
	})
}

func TestCreateRoundNamesEachUnknownSite(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		_, err := w.rounds.CreateRound(s.Ctx(auth.Admin), &civindexv1.CreateRoundRequest{
			Name: "缺点位", Kind: civindexv1.RoundKind_ROUND_KIND_SPOT_CHECK, FrameworkId: w.framework, FrameworkVersion: 1,
			StartTime: timestamppb.New(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
			EndTime:   timestamppb.New(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)),
			SiteIds:   []string{w.s1, "no-such-site", w.s2, "gone"},
		})
		testserver.WantCode(t, err, codes.InvalidArgument)
		got := testserver.BadFields(t, err, codes.InvalidArgument)["site_ids"]
		for _, want := range []string{`"no-such-site" (at 1) does not exist`, `"gone" (at 3) does not exist`} {
			if !strings.Contains(got, want) {
				t.Errorf("site_ids violation %q does not mention %q", got, want)
			}
		}
		if strings.Contains(got, w.s1) || strings.Contains(got, w.s2) {
			t.Errorf("site_ids violation %q names an existing site", got)
		}
	})
}
