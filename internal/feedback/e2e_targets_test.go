package feedback_test

import (
	"context"
	"net/http"
	"testing"

	"google.golang.org/grpc/codes"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

func TestTargetsAdministration(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := newWorld(t, s)
		admin, analyst := s.Ctx(auth.Admin), s.Ctx(auth.Analyst)

		// A retried create returns the first target.
		req := &feedbackv1.CreateTargetRequest{Kind: feedbackv1.TargetKind_TARGET_KIND_SERVICE_ITEM, Name: "工作餐预订",
			ParentId: w.canteen, RequestId: "import-42"}
		a, err := w.targets.CreateTarget(admin, req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := w.targets.CreateTarget(admin, req)
		if err != nil || b.GetTarget().GetId() != a.GetTarget().GetId() {
			t.Fatalf("retried create: %v, %v", b, err)
		}
		if a.GetTarget().GetDepartmentId() != w.canteen {
			t.Errorf("service item owned by %s, want the canteen", a.GetTarget().GetDepartmentId())
		}

		// A form of its own changes what the window's raters may send.
		up, err := w.targets.UpdateTarget(admin, &feedbackv1.UpdateTargetRequest{Id: w.w2, Name: "二楼面食窗口（新）",
			Form: &feedbackv1.RatingForm{Dimensions: []*feedbackv1.Dimension{{Key: "taste", Label: "饭菜口味"}}, Tags: []string{"面条劲道"}}})
		if err != nil || up.GetTarget().GetName() != "二楼面食窗口（新）" {
			t.Fatalf("update: %v, %v", up, err)
		}
		form, err := w.ratings.GetRatingForm(context.Background(), &feedbackv1.GetRatingFormRequest{TargetId: w.w2})
		if err != nil || len(form.GetForm().GetDimensions()) != 1 || form.GetForm().GetTags()[0] != "面条劲道" {
			t.Fatalf("form after update: %v, %v", form, err)
		}
		if _, err := w.ratings.SubmitRating(context.Background(), &feedbackv1.SubmitRatingRequest{TargetId: w.w2, Level: 5,
			Dimensions: []*feedbackv1.DimensionLevel{{Key: "taste", Level: 5}}, Tags: []string{"面条劲道"}}); err != nil {
			t.Fatal(err)
		}
		_, err = w.ratings.SubmitRating(context.Background(), &feedbackv1.SubmitRatingRequest{TargetId: w.w2, Level: 5,
			Dimensions: []*feedbackv1.DimensionLevel{{Key: "attitude", Level: 5}}})
		wantInvalid(t, err, "dimensions[0].key")

		// Lists filter by kind, parent and department, and page.
		list, err := w.targets.ListTargets(analyst, &feedbackv1.ListTargetsRequest{Kind: feedbackv1.TargetKind_TARGET_KIND_WINDOW})
		if err != nil || len(list.GetTargets()) != 3 {
			t.Fatalf("windows: %v, %v", list, err)
		}
		list, err = w.targets.ListTargets(analyst, &feedbackv1.ListTargetsRequest{DepartmentId: w.canteen, PageSize: 2})
		if err != nil || len(list.GetTargets()) != 2 || list.GetNextPageToken() == "" {
			t.Fatalf("canteen page 1: %v, %v", list, err)
		}
		rest, err := w.targets.ListTargets(analyst, &feedbackv1.ListTargetsRequest{DepartmentId: w.canteen, PageSize: 2, PageToken: list.GetNextPageToken()})
		if err != nil || len(rest.GetTargets()) != 2 || rest.GetNextPageToken() == "" {
			t.Fatalf("canteen page 2: %v, %v", rest, err)
		}
		// Five in all: canteen, w1, w2, staff, service item.
		last, err := w.targets.ListTargets(analyst, &feedbackv1.ListTargetsRequest{DepartmentId: w.canteen, PageSize: 2, PageToken: rest.GetNextPageToken()})
		if err != nil || len(last.GetTargets()) != 1 || last.GetNextPageToken() != "" {
			t.Fatalf("canteen page 3: %v, %v", last, err)
		}
		kids, err := w.targets.ListTargets(analyst, &feedbackv1.ListTargetsRequest{ParentId: w.w1})
		if err != nil || len(kids.GetTargets()) != 1 || kids.GetTargets()[0].GetId() != w.staff {
			t.Fatalf("children of w1: %v, %v", kids, err)
		}

		// Deactivation reaches the subtree; lists hide it unless asked.
		if _, err := w.targets.DeactivateTarget(admin, &feedbackv1.DeactivateTargetRequest{Id: w.canteen}); err != nil {
			t.Fatal(err)
		}
		list, err = w.targets.ListTargets(analyst, &feedbackv1.ListTargetsRequest{DepartmentId: w.canteen})
		if err != nil || len(list.GetTargets()) != 0 {
			t.Fatalf("after deactivation: %v, %v", list, err)
		}
		list, err = w.targets.ListTargets(analyst, &feedbackv1.ListTargetsRequest{DepartmentId: w.canteen, IncludeInactive: true})
		if err != nil || len(list.GetTargets()) != 5 {
			t.Fatalf("with inactive: %v, %v", list, err)
		}
		_, err = w.ratings.GetRatingForm(context.Background(), &feedbackv1.GetRatingFormRequest{TargetId: w.staff})
		testserver.WantCode(t, err, codes.FailedPrecondition)
		_, err = w.targets.GetTarget(analyst, &feedbackv1.GetTargetRequest{Id: "nope"})
		testserver.WantCode(t, err, codes.NotFound)

		// Over HTTP with the admin key.
		resp := s.Do(t, auth.Admin, http.MethodPost, "/v1/feedback/targets",
			map[string]any{"kind": "TARGET_KIND_DEPARTMENT", "name": "接待服务"})
		if resp.Status != http.StatusOK {
			t.Fatalf("HTTP create: %d %s", resp.Status, resp.Body)
		}
		if resp := s.Do(t, auth.Analyst, http.MethodPost, "/v1/feedback/targets",
			map[string]any{"kind": "TARGET_KIND_DEPARTMENT", "name": "x"}); resp.Status != http.StatusForbidden {
			t.Fatalf("analyst create over HTTP: %d", resp.Status)
		}
	})
}
