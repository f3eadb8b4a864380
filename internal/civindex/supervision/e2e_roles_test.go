package supervision_test

import (
	"context"
	"slices"
	"testing"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/civindex/supervision"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
)

type rpcCase struct {
	method string
	roles  []auth.Role
	call   func(ctx context.Context, w *world) error
}

const svcPrefix = "/wenming.civindex.v1.SupervisionService/"

// rpcCases calls every SupervisionService method. A permitted call may
// still fail on its input; only the access decision is checked.
func rpcCases(draw, round, task string) []rpcCase {
	e := func(_ any, err error) error { return err }
	analyst := []auth.Role{auth.Analyst}
	return []rpcCase{
		{"CommitDraw", nil, func(ctx context.Context, w *world) error {
			return e(w.sup.CommitDraw(ctx, &civindexv1.CommitDrawRequest{}))
		}},
		{"RevealDraw", nil, func(ctx context.Context, w *world) error {
			return e(w.sup.RevealDraw(ctx, &civindexv1.RevealDrawRequest{Id: draw}))
		}},
		{"GetDraw", analyst, func(ctx context.Context, w *world) error {
			return e(w.sup.GetDraw(ctx, &civindexv1.GetDrawRequest{Id: draw}))
		}},
		{"ListDraws", analyst, func(ctx context.Context, w *world) error {
			return e(w.sup.ListDraws(ctx, &civindexv1.ListDrawsRequest{}))
		}},
		{"ExportDraw", analyst, func(ctx context.Context, w *world) error {
			return e(w.sup.ExportDraw(ctx, &civindexv1.ExportDrawRequest{Id: draw}))
		}},
		{"VerifyChain", analyst, func(ctx context.Context, w *world) error {
			return e(w.sup.VerifyChain(ctx, &civindexv1.VerifyChainRequest{RoundId: round}))
		}},
		{"SetUnit", nil, func(ctx context.Context, w *world) error {
			return e(w.sup.SetUnit(ctx, &civindexv1.SetUnitRequest{}))
		}},
		{"ListUnits", []auth.Role{auth.Analyst, auth.Officer}, func(ctx context.Context, w *world) error {
			return e(w.sup.ListUnits(ctx, &civindexv1.ListUnitsRequest{}))
		}},
		{"ListRectificationTasks", []auth.Role{auth.Analyst, auth.Officer, auth.Inspector}, func(ctx context.Context, w *world) error {
			return e(w.sup.ListRectificationTasks(ctx, &civindexv1.ListRectificationTasksRequest{}))
		}},
		{"ReportRectified", []auth.Role{auth.Officer}, func(ctx context.Context, w *world) error {
			return e(w.sup.ReportRectified(ctx, &civindexv1.ReportRectifiedRequest{Id: task}))
		}},
		{"GetRectificationSummary", []auth.Role{auth.Analyst, auth.Officer}, func(ctx context.Context, w *world) error {
			return e(w.sup.GetRectificationSummary(ctx, &civindexv1.GetRectificationSummaryRequest{}))
		}},
		{"CreateScorecard", nil, func(ctx context.Context, w *world) error {
			return e(w.sup.CreateScorecard(ctx, &civindexv1.CreateScorecardRequest{}))
		}},
		{"PublishScorecard", nil, func(ctx context.Context, w *world) error {
			return e(w.sup.PublishScorecard(ctx, &civindexv1.PublishScorecardRequest{}))
		}},
		{"ListScorecards", []auth.Role{auth.Analyst, auth.Officer}, func(ctx context.Context, w *world) error {
			return e(w.sup.ListScorecards(ctx, &civindexv1.ListScorecardsRequest{}))
		}},
		{"GetAssessment", []auth.Role{auth.Analyst, auth.Officer}, func(ctx context.Context, w *world) error {
			return e(w.sup.GetAssessment(ctx, &civindexv1.GetAssessmentRequest{Year: 2026}))
		}},
		{"GetSelfCheckInflation", analyst, func(ctx context.Context, w *world) error {
			return e(w.sup.GetSelfCheckInflation(ctx, &civindexv1.GetSelfCheckInflationRequest{StartTime: ts(2026, 1, 1), EndTime: ts(2027, 1, 1)}))
		}},
		{"ExportAssessment", []auth.Role{auth.Analyst, auth.Officer}, func(ctx context.Context, w *world) error {
			return e(w.sup.ExportAssessment(ctx, &civindexv1.ExportAssessmentRequest{Year: 2026, Format: civindexv1.ExportFormat_EXPORT_FORMAT_CSV}))
		}},
	}
}

// The cases above are every SupervisionService method, so a new RPC cannot
// go without a role test (civindex's own role test covers its services).
func TestRoleCasesCoverEveryMethod(t *testing.T) {
	t.Parallel()
	svc, err := supervision.New(rpc.Deps{DB: storetest.SQLite(t)})
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, c := range rpcCases("", "", "") {
		covered[svcPrefix+c.method] = true
	}
	testserver.WantRulesCovered(t, svc.Services(), svcPrefix, covered)
}

func TestEveryMethodHasTheRoleBoundaryOfDesign(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		d, err := w.sup.CommitDraw(s.Ctx(auth.Admin), &civindexv1.CommitDrawRequest{Name: "权限", Strata: civindexv1.DrawStrata_DRAW_STRATA_UNIT,
			Allocation: &civindexv1.DrawAllocation{Total: 1}, Commitment: commitmentOf(seed)})
		if err != nil {
			t.Fatal(err)
		}
		round := w.round(t, civindexv1.RoundKind_ROUND_KIND_OFFICIAL, 1, "street1")
		w.inspect(t, round, "street1", false, true)
		w.closeRound(t, round)
		tasks, err := w.sup.ListRectificationTasks(s.Ctx(auth.Admin), &civindexv1.ListRectificationTasksRequest{})
		if err != nil || len(tasks.GetTasks()) != 1 {
			t.Fatalf("tasks: %v, %v", tasks, err)
		}
		// The officer key of the role matrix acts for U1.
		dept := department(t, s, "一号单位")
		if _, err := w.sup.SetUnit(s.Ctx(auth.Admin), &civindexv1.SetUnitRequest{Unit: &civindexv1.Unit{Name: "U1", DepartmentId: dept}}); err != nil {
			t.Fatal(err)
		}
		keys := map[auth.Role]string{}
		for r, k := range s.Keys {
			keys[r] = k
		}
		keys[auth.Officer] = s.NewKey(t, auth.Officer, dept)
		for _, role := range testserver.Roles {
			ctx := testserver.KeyCtx(keys[role])
			for _, c := range rpcCases(d.GetDraw().GetId(), round, tasks.GetTasks()[0].GetId()) {
				testserver.WantAccess(t, c.method, role, role == auth.Admin || slices.Contains(c.roles, role), c.call(ctx, w))
			}
		}
	})
}
