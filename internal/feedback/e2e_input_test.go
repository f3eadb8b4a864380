package feedback_test

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

func TestBadInputOnEveryWriteIsInvalidArgumentAndWritesNothing(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := newWorld(t, s)
		r, err := w.ratings.SubmitRating(context.Background(), &feedbackv1.SubmitRatingRequest{TargetId: w.w1, Level: 1})
		if err != nil {
			t.Fatal(err)
		}
		caseID := r.GetCaseId()
		admin, officer := s.Ctx(auth.Admin), testserver.KeyCtx(w.canteenOfficer)
		anon := context.Background()
		long := strings.Repeat("长", 2001)
		for _, tc := range []struct {
			name   string
			call   func() error
			fields []string
		}{
			{"create target: nothing", func() error {
				_, err := w.targets.CreateTarget(admin, &feedbackv1.CreateTargetRequest{})
				return err
			}, []string{"kind", "name"}},
			{"create target: window without parent, bad form, long request id", func() error {
				_, err := w.targets.CreateTarget(admin, &feedbackv1.CreateTargetRequest{
					Kind: feedbackv1.TargetKind_TARGET_KIND_WINDOW, Name: "窗口", RequestId: strings.Repeat("x", 65),
					Form: &feedbackv1.RatingForm{Dimensions: []*feedbackv1.Dimension{{Key: "Bad Key", Label: "态度"}}}})
				return err
			}, []string{"parent_id", "form.dimensions[0].key", "request_id"}},
			{"create target: unknown parent", func() error {
				_, err := w.targets.CreateTarget(admin, &feedbackv1.CreateTargetRequest{
					Kind: feedbackv1.TargetKind_TARGET_KIND_WINDOW, Name: "窗口", ParentId: "no-such-target"})
				return err
			}, []string{"parent_id"}},
			{"create target: window under a window", func() error {
				_, err := w.targets.CreateTarget(admin, &feedbackv1.CreateTargetRequest{
					Kind: feedbackv1.TargetKind_TARGET_KIND_WINDOW, Name: "窗口", ParentId: w.w1})
				return err
			}, []string{"parent_id"}},
			{"update target", func() error {
				_, err := w.targets.UpdateTarget(admin, &feedbackv1.UpdateTargetRequest{Form: &feedbackv1.RatingForm{Tags: []string{"a", "a"}}})
				return err
			}, []string{"id", "name", "form.tags[1]"}},
			{"deactivate target", func() error {
				_, err := w.targets.DeactivateTarget(admin, &feedbackv1.DeactivateTargetRequest{})
				return err
			}, []string{"id"}},
			{"submit rating: nothing", func() error {
				_, err := w.ratings.SubmitRating(anon, &feedbackv1.SubmitRatingRequest{})
				return err
			}, []string{"target_id", "level"}},
			{"submit rating: out of range", func() error {
				_, err := w.ratings.SubmitRating(anon, &feedbackv1.SubmitRatingRequest{TargetId: w.w1, Level: 6,
					Dimensions: []*feedbackv1.DimensionLevel{{Key: "attitude", Level: 0}}, Comment: long,
					Channel: feedbackv1.Channel(99)})
				return err
			}, []string{"level", "dimensions[0].level", "comment", "channel"}},
			{"submit rating: not on the form", func() error {
				_, err := w.ratings.SubmitRating(anon, &feedbackv1.SubmitRatingRequest{TargetId: w.w1, Level: 4,
					Dimensions: []*feedbackv1.DimensionLevel{{Key: "taste", Level: 4}}, Tags: []string{"好吃"}})
				return err
			}, []string{"dimensions[0].key", "tags[0]"}},
			{"acknowledge", func() error {
				_, err := w.cases.AcknowledgeCase(officer, &feedbackv1.AcknowledgeCaseRequest{Id: caseID})
				return err
			}, []string{"note"}},
			{"rectify", func() error {
				_, err := w.cases.RectifyCase(officer, &feedbackv1.RectifyCaseRequest{Id: caseID, Note: long})
				return err
			}, []string{"note"}},
			{"close", func() error {
				_, err := w.cases.CloseCase(officer, &feedbackv1.CloseCaseRequest{Id: caseID})
				return err
			}, []string{"verdict"}},
			{"reopen", func() error {
				_, err := w.cases.ReopenCase(officer, &feedbackv1.ReopenCaseRequest{})
				return err
			}, []string{"id", "note"}},
			{"hand over: no department", func() error {
				_, err := w.cases.HandOverCase(officer, &feedbackv1.HandOverCaseRequest{Id: caseID})
				return err
			}, []string{"department_id"}},
			{"hand over: to a window", func() error {
				_, err := w.cases.HandOverCase(officer, &feedbackv1.HandOverCaseRequest{Id: caseID, DepartmentId: w.w3})
				return err
			}, []string{"department_id"}},
			{"hand over: to itself", func() error {
				_, err := w.cases.HandOverCase(officer, &feedbackv1.HandOverCaseRequest{Id: caseID, DepartmentId: w.canteen})
				return err
			}, []string{"department_id"}},
			{"answer handover", func() error {
				_, err := w.cases.AnswerHandover(officer, &feedbackv1.AnswerHandoverRequest{Note: long})
				return err
			}, []string{"id", "note"}},
			{"appeal", func() error {
				_, err := w.cases.AppealCase(officer, &feedbackv1.AppealCaseRequest{Id: caseID, Evidence: " "})
				return err
			}, []string{"evidence"}},
			{"decide appeal", func() error {
				_, err := w.cases.DecideAppeal(admin, &feedbackv1.DecideAppealRequest{})
				return err
			}, []string{"id"}},
			{"statistics: bad period", func() error {
				_, err := w.stats.GetTargetStats(s.Ctx(auth.Analyst), &feedbackv1.GetTargetStatsRequest{TargetId: w.w1, StartDate: "2026-03-09", EndDate: "2026-03-02"})
				return err
			}, []string{"end_date"}},
			{"trend: no granularity, bad date", func() error {
				_, err := w.stats.GetTrend(s.Ctx(auth.Analyst), &feedbackv1.GetTrendRequest{TargetId: w.w1, StartDate: "2026-02-30", EndDate: "2026-03-02"})
				return err
			}, []string{"start_date", "granularity"}},
			{"ranking: negative weight", func() error {
				w := -1.0
				_, err := clientsOf(s).stats.RankTargets(s.Ctx(auth.Analyst), &feedbackv1.RankTargetsRequest{StartDate: "2026-03-01", EndDate: "2026-03-02", PriorWeight: &w, MinCount: -1})
				return err
			}, []string{"kind", "prior_weight", "min_count"}},
		} {
			before := rowCounts(t, s.DB)
			err := tc.call()
			wantInvalid(t, err, tc.fields...)
			if t.Failed() {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if after := rowCounts(t, s.DB); !equalCounts(before, after) {
				t.Fatalf("%s wrote rows: %v → %v", tc.name, before, after)
			}
		}
	})
}

// TestRoleBoundaries calls every method as every kind of caller and checks
// that exactly the callers of the access table get past the guard.
func TestRoleBoundaries(t *testing.T) {
	s := testserver.Start(t, storetestDefault(t))
	w := newWorld(t, s)
	callers := map[string]context.Context{
		"anonymous": context.Background(),
		"admin":     s.Ctx(auth.Admin),
		"kiosk":     s.Ctx(auth.Kiosk),
		"inspector": s.Ctx(auth.Inspector),
		"officer":   testserver.KeyCtx(w.canteenOfficer),
		"analyst":   s.Ctx(auth.Analyst),
	}
	const (
		ts = "/wenming.feedback.v1.TargetService/"
		rs = "/wenming.feedback.v1.RatingService/"
		ss = "/wenming.feedback.v1.FeedbackStatsService/"
		cs = "/wenming.feedback.v1.CaseService/"
	)
	allowed := map[string][]string{
		ts + "CreateTarget": {}, ts + "UpdateTarget": {}, ts + "DeactivateTarget": {},
		ts + "GetTarget": {"officer", "analyst"}, ts + "ListTargets": {"officer", "analyst"},
		rs + "GetRatingForm": {"anonymous", "kiosk"}, rs + "SubmitRating": {"anonymous", "kiosk"},
		ss + "GetTargetStats": {"analyst"}, ss + "GetTrend": {"analyst"}, ss + "RankTargets": {"analyst"},
		ss + "ExportRatings": {"analyst"},
		cs + "ListCases":     {"officer", "analyst"}, cs + "GetCase": {"officer", "analyst"},
		cs + "GetAccountabilityReport": {"officer", "analyst"}, cs + "ExportCases": {"analyst"},
		cs + "AcknowledgeCase": {"officer"}, cs + "RectifyCase": {"officer"}, cs + "CloseCase": {"officer"},
		cs + "ReopenCase": {"officer"}, cs + "HandOverCase": {"officer"}, cs + "AnswerHandover": {"officer"},
		cs + "AppealCase": {"officer"}, cs + "DecideAppeal": {},
		ts + "ListPosterTargets":   {},
		cs + "GetPublicCaseStatus": {"anonymous", "kiosk", "inspector", "officer", "analyst"},
	}
	for _, sd := range []grpc.ServiceDesc{feedbackv1.TargetService_ServiceDesc, feedbackv1.RatingService_ServiceDesc,
		feedbackv1.FeedbackStatsService_ServiceDesc, feedbackv1.CaseService_ServiceDesc} {
		for _, m := range sd.Methods {
			if _, ok := allowed["/"+sd.ServiceName+"/"+m.MethodName]; !ok {
				t.Errorf("method %s/%s is missing from the role table", sd.ServiceName, m.MethodName)
			}
		}
	}
	for method, roles := range allowed {
		for who, ctx := range callers {
			// Empty requests: a permitted caller gets past the guard and is
			// stopped by validation, never by PERMISSION_DENIED/UNAUTHENTICATED.
			err := s.Conn.Invoke(ctx, method, &emptypb.Empty{}, &emptypb.Empty{})
			code := status.Code(err)
			denied := code == codes.PermissionDenied || code == codes.Unauthenticated
			want := who == "admin" || contains(roles, who)
			if want && denied {
				t.Errorf("%s %s: %v, want it let through", who, method, err)
			}
			if !want {
				wantDenied := codes.PermissionDenied
				if who == "anonymous" {
					wantDenied = codes.Unauthenticated
				}
				if code != wantDenied {
					t.Errorf("%s %s: %v, want %s", who, method, err, wantDenied)
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
