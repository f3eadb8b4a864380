package survey_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/server"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/survey"
	"github.com/wenming/wenming/internal/testserver"
)

// rpcCase is one RPC with the roles (besides admin) that may call it, and
// whether anonymous callers may.
type rpcCase struct {
	method string
	roles  []auth.Role
	public bool
	call   func(ctx context.Context, w *world) error
}

var (
	readers   = []auth.Role{auth.Inspector, auth.Kiosk, auth.Analyst}
	analyst   = []auth.Role{auth.Analyst}
	followers = []auth.Role{auth.Inspector, auth.Analyst}
	answerers = []auth.Role{auth.Kiosk, auth.Inspector}
)

// rpcCases calls every survey method. Writes by a permitted role may still
// fail validation; only the access decision is checked.
func rpcCases(camp *surveyv1.Campaign) []rpcCase {
	e := func(_ any, err error) error { return err }
	csv := surveyv1.ExportFormat_EXPORT_FORMAT_CSV
	return []rpcCase{
		{surveyv1.QuestionnaireService_CreateQuestionnaire_FullMethodName, nil, false, func(ctx context.Context, w *world) error {
			return e(w.q.CreateQuestionnaire(ctx, &surveyv1.CreateQuestionnaireRequest{}))
		}},
		{surveyv1.QuestionnaireService_ImportQuestionnaire_FullMethodName, nil, false, func(ctx context.Context, w *world) error {
			return e(w.q.ImportQuestionnaire(ctx, &surveyv1.ImportQuestionnaireRequest{}))
		}},
		{surveyv1.QuestionnaireService_UpdateQuestionnaire_FullMethodName, nil, false, func(ctx context.Context, w *world) error {
			return e(w.q.UpdateQuestionnaire(ctx, &surveyv1.UpdateQuestionnaireRequest{}))
		}},
		{surveyv1.QuestionnaireService_ValidateQuestionnaire_FullMethodName, nil, false, func(ctx context.Context, w *world) error {
			return e(w.q.ValidateQuestionnaire(ctx, &surveyv1.ValidateQuestionnaireRequest{Id: w.qid}))
		}},
		{surveyv1.QuestionnaireService_PublishQuestionnaire_FullMethodName, nil, false, func(ctx context.Context, w *world) error {
			return e(w.q.PublishQuestionnaire(ctx, &surveyv1.PublishQuestionnaireRequest{}))
		}},
		{surveyv1.QuestionnaireService_NewQuestionnaireVersion_FullMethodName, nil, false, func(ctx context.Context, w *world) error {
			return e(w.q.NewQuestionnaireVersion(ctx, &surveyv1.NewQuestionnaireVersionRequest{}))
		}},
		{surveyv1.QuestionnaireService_GetQuestionnaire_FullMethodName, readers, false, func(ctx context.Context, w *world) error {
			return e(w.q.GetQuestionnaire(ctx, &surveyv1.GetQuestionnaireRequest{Id: w.qid}))
		}},
		{surveyv1.QuestionnaireService_ListQuestionnaires_FullMethodName, readers, false, func(ctx context.Context, w *world) error {
			return e(w.q.ListQuestionnaires(ctx, &surveyv1.ListQuestionnairesRequest{}))
		}},
		{surveyv1.CampaignService_CreateCampaign_FullMethodName, nil, false, func(ctx context.Context, w *world) error {
			return e(w.c.CreateCampaign(ctx, &surveyv1.CreateCampaignRequest{}))
		}},
		{surveyv1.CampaignService_GetCampaign_FullMethodName, readers, false, func(ctx context.Context, w *world) error {
			return e(w.c.GetCampaign(ctx, &surveyv1.GetCampaignRequest{Id: camp.GetId()}))
		}},
		{surveyv1.CampaignService_ListCampaigns_FullMethodName, readers, false, func(ctx context.Context, w *world) error {
			return e(w.c.ListCampaigns(ctx, &surveyv1.ListCampaignsRequest{}))
		}},
		{surveyv1.CampaignService_GetCampaignForm_FullMethodName, readers, true, func(ctx context.Context, w *world) error {
			return e(w.c.GetCampaignForm(ctx, &surveyv1.GetCampaignFormRequest{Code: camp.GetCode()}))
		}},
		{surveyv1.CampaignService_GetQuotaProgress_FullMethodName, followers, false, func(ctx context.Context, w *world) error {
			return e(w.c.GetQuotaProgress(ctx, &surveyv1.GetQuotaProgressRequest{CampaignId: camp.GetId()}))
		}},
		{surveyv1.ResponseService_SubmitResponse_FullMethodName, answerers, true, func(ctx context.Context, w *world) error {
			return e(w.r.SubmitResponse(ctx, &surveyv1.SubmitResponseRequest{CampaignId: camp.GetId()}))
		}},
		{surveyv1.ResponseService_ListResponses_FullMethodName, analyst, false, func(ctx context.Context, w *world) error {
			return e(w.r.ListResponses(ctx, &surveyv1.ListResponsesRequest{CampaignId: camp.GetId()}))
		}},
		{surveyv1.ResultService_GetResults_FullMethodName, analyst, false, func(ctx context.Context, w *world) error {
			return e(w.results.GetResults(ctx, &surveyv1.GetResultsRequest{CampaignId: camp.GetId()}))
		}},
		{surveyv1.ResultService_ExportResponses_FullMethodName, analyst, false, func(ctx context.Context, w *world) error {
			return e(w.results.ExportResponses(ctx, &surveyv1.ExportResponsesRequest{CampaignId: camp.GetId(), Format: csv}))
		}},
		{surveyv1.ResultService_ExportResults_FullMethodName, analyst, false, func(ctx context.Context, w *world) error {
			return e(w.results.ExportResults(ctx, &surveyv1.ExportResultsRequest{CampaignId: camp.GetId(), Format: csv}))
		}},
	}
}

// The cases above are every method the survey domain registers, so a new
// RPC cannot go without a role test.
func TestRoleCasesCoverEveryMethod(t *testing.T) {
	t.Parallel()
	svc, err := survey.New(rpc.Deps{DB: storetest.SQLite(t)})
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, c := range rpcCases(nil) {
		covered[c.method] = true
	}
	testserver.WantRulesCovered(t, svc.Services(), "", covered)
}

func TestEveryMethodHasTheRoleBoundaryOfDesign(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		camp := w.campaign(t, w.sexCampaign())
		for _, role := range testserver.Roles {
			ctx := testserver.KeyCtx(s.Keys[role])
			for _, c := range rpcCases(camp) {
				allowed := role == auth.Admin || slices.Contains(c.roles, role) || (role == "" && c.public)
				testserver.WantAccess(t, c.method, role, allowed, c.call(ctx, w))
			}
		}
	})
}

// An analyst reads every survey resource and result without error.
func TestAnalystReadsEverything(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		camp := w.campaign(t, w.sexCampaign())
		for _, c := range rpcCases(camp) {
			if slices.Contains(c.roles, auth.Analyst) {
				if err := c.call(s.Ctx(auth.Analyst), w); err != nil {
					t.Errorf("analyst %s: %v", c.method, err)
				}
			}
		}
	})
}

// Anonymous responses go through the server's anonymous limiter, as
// ratings do: the rule is Public, so the limiter sees them.
func TestAnonymousResponsesAreRateLimited(t *testing.T) {
	t.Parallel()
	db := storetest.Default(t)
	srv, err := server.New(server.Config{
		GRPCAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0", Migrate: true, DrainTimeout: 5 * time.Second,
		AnonRatePerMinute: 1, AnonBurst: 3, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, rpc.Deps{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	waitReady(t, "http://"+srv.HTTPAddr())
	conn, err := grpc.NewClient(srv.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := surveyv1.NewResponseServiceClient(conn)
	submit := func() codes.Code {
		_, err := client.SubmitResponse(context.Background(), &surveyv1.SubmitResponseRequest{Code: "nosuchcd"})
		return status.Code(err)
	}
	for i := range 3 { // the burst reaches the service, which answers NOT_FOUND
		if c := submit(); c != codes.NotFound {
			t.Fatalf("response %d: %s, want NOT_FOUND", i+1, c)
		}
	}
	if c := submit(); c != codes.ResourceExhausted {
		t.Fatalf("4th anonymous response: %s, want RESOURCE_EXHAUSTED", c)
	}
}

// waitReady polls /readyz until the schema is current, with a deadline.
func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not become ready")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
