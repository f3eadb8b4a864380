package civindex_test

import (
	"context"
	"slices"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

// rpcCase is one RPC with the roles (besides admin) that may call it.
type rpcCase struct {
	name  string
	roles []auth.Role
	call  func(ctx context.Context, w *world) error
}

var (
	readers = []auth.Role{auth.Inspector, auth.Analyst}
	writers = []auth.Role{auth.Inspector}
	analyst = []auth.Role{auth.Analyst}
)

// rpcCases calls every civindex method with ids from w. Writes by a
// permitted role may still fail validation; only the access decision is
// checked.
func rpcCases(round, site, framework, inspection string) []rpcCase {
	e := func(_ any, err error) error { return err }
	return []rpcCase{
		{"CreateFramework", nil, func(ctx context.Context, w *world) error {
			return e(w.frameworks.CreateFramework(ctx, &civindexv1.CreateFrameworkRequest{}))
		}},
		{"UpdateFramework", nil, func(ctx context.Context, w *world) error {
			return e(w.frameworks.UpdateFramework(ctx, &civindexv1.UpdateFrameworkRequest{Id: framework}))
		}},
		{"ValidateFramework", nil, func(ctx context.Context, w *world) error {
			return e(w.frameworks.ValidateFramework(ctx, &civindexv1.ValidateFrameworkRequest{Id: framework}))
		}},
		{"PublishFramework", nil, func(ctx context.Context, w *world) error {
			return e(w.frameworks.PublishFramework(ctx, &civindexv1.PublishFrameworkRequest{}))
		}},
		{"NewFrameworkVersion", nil, func(ctx context.Context, w *world) error {
			return e(w.frameworks.NewFrameworkVersion(ctx, &civindexv1.NewFrameworkVersionRequest{}))
		}},
		{"GetFramework", readers, func(ctx context.Context, w *world) error {
			return e(w.frameworks.GetFramework(ctx, &civindexv1.GetFrameworkRequest{Id: framework}))
		}},
		{"ListFrameworks", readers, func(ctx context.Context, w *world) error {
			return e(w.frameworks.ListFrameworks(ctx, &civindexv1.ListFrameworksRequest{}))
		}},
		{"CreateSite", nil, func(ctx context.Context, w *world) error {
			return e(w.sites.CreateSite(ctx, &civindexv1.CreateSiteRequest{}))
		}},
		{"UpdateSite", nil, func(ctx context.Context, w *world) error {
			return e(w.sites.UpdateSite(ctx, &civindexv1.UpdateSiteRequest{Id: site}))
		}},
		{"DeleteSite", nil, func(ctx context.Context, w *world) error {
			return e(w.sites.DeleteSite(ctx, &civindexv1.DeleteSiteRequest{}))
		}},
		{"ImportSites", nil, func(ctx context.Context, w *world) error {
			return e(w.sites.ImportSites(ctx, &civindexv1.ImportSitesRequest{}))
		}},
		{"GetSite", readers, func(ctx context.Context, w *world) error {
			return e(w.sites.GetSite(ctx, &civindexv1.GetSiteRequest{Id: site}))
		}},
		{"ListSites", readers, func(ctx context.Context, w *world) error {
			return e(w.sites.ListSites(ctx, &civindexv1.ListSitesRequest{}))
		}},
		{"CreateRound", nil, func(ctx context.Context, w *world) error {
			return e(w.rounds.CreateRound(ctx, &civindexv1.CreateRoundRequest{}))
		}},
		{"OpenRound", nil, func(ctx context.Context, w *world) error {
			return e(w.rounds.OpenRound(ctx, &civindexv1.OpenRoundRequest{Id: round}))
		}},
		{"CloseRound", nil, func(ctx context.Context, w *world) error {
			return e(w.rounds.CloseRound(ctx, &civindexv1.CloseRoundRequest{}))
		}},
		{"GetRound", readers, func(ctx context.Context, w *world) error {
			return e(w.rounds.GetRound(ctx, &civindexv1.GetRoundRequest{Id: round}))
		}},
		{"ListRounds", readers, func(ctx context.Context, w *world) error {
			return e(w.rounds.ListRounds(ctx, &civindexv1.ListRoundsRequest{}))
		}},
		{"SubmitInspection", writers, func(ctx context.Context, w *world) error {
			return e(w.ins.SubmitInspection(ctx, &civindexv1.SubmitInspectionRequest{RoundId: round, SiteId: site}))
		}},
		{"AmendInspection", writers, func(ctx context.Context, w *world) error {
			return e(w.ins.AmendInspection(ctx, &civindexv1.AmendInspectionRequest{Id: inspection}))
		}},
		{"GetInspection", readers, func(ctx context.Context, w *world) error {
			return e(w.ins.GetInspection(ctx, &civindexv1.GetInspectionRequest{Id: inspection}))
		}},
		{"ListInspections", readers, func(ctx context.Context, w *world) error {
			return e(w.ins.ListInspections(ctx, &civindexv1.ListInspectionsRequest{RoundId: round}))
		}},
		{"GetSiteScore", analyst, func(ctx context.Context, w *world) error {
			return e(w.index.GetSiteScore(ctx, &civindexv1.GetSiteScoreRequest{RoundId: round, SiteId: site}))
		}},
		{"GetRoundIndex", analyst, func(ctx context.Context, w *world) error {
			return e(w.index.GetRoundIndex(ctx, &civindexv1.GetRoundIndexRequest{RoundId: round}))
		}},
		{"ListSiteRanking", analyst, func(ctx context.Context, w *world) error {
			return e(w.index.ListSiteRanking(ctx, &civindexv1.ListSiteRankingRequest{RoundId: round}))
		}},
		{"ListUnitRanking", analyst, func(ctx context.Context, w *world) error {
			return e(w.index.ListUnitRanking(ctx, &civindexv1.ListUnitRankingRequest{RoundId: round}))
		}},
		{"GetTrend", analyst, func(ctx context.Context, w *world) error {
			return e(w.index.GetTrend(ctx, &civindexv1.GetTrendRequest{FrameworkId: framework}))
		}},
		{"ListShortfalls", analyst, func(ctx context.Context, w *world) error {
			return e(w.index.ListShortfalls(ctx, &civindexv1.ListShortfallsRequest{RoundId: round, SiteId: site}))
		}},
		{"ExportIndex", analyst, func(ctx context.Context, w *world) error {
			return e(w.index.ExportIndex(ctx, &civindexv1.ExportIndexRequest{RoundId: round}))
		}},
	}
}

func TestEveryMethodHasTheRoleBoundaryOfDesign(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		round := w.openRound(t, "权限", 1)
		ins := w.submit(t, round, w.s1, good()...)
		cases := rpcCases(round, w.s1, w.framework, ins.GetId())
		for _, role := range testserver.Roles {
			ctx := testserver.KeyCtx(s.Keys[role])
			for _, c := range cases {
				testserver.WantAccess(t, c.name, role, role == auth.Admin || slices.Contains(c.roles, role), c.call(ctx, w))
			}
		}
	})
}

// An analyst reads every civindex resource and result without error and
// can write nothing.
func TestAnalystReadsEverythingAndWritesNothing(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		round := w.openRound(t, "只读", 1)
		ins := w.submit(t, round, w.s1, good()...)
		ctx := s.Ctx(auth.Analyst)
		for _, c := range rpcCases(round, w.s1, w.framework, ins.GetId()) {
			err := c.call(ctx, w)
			if slices.Contains(c.roles, auth.Analyst) && err != nil {
				t.Errorf("analyst %s: %v", c.name, err)
			}
			if !slices.Contains(c.roles, auth.Analyst) && status.Code(err) != codes.PermissionDenied {
				t.Errorf("analyst %s: %v, want PERMISSION_DENIED", c.name, err)
			}
		}
	})
}
