package feedback_test

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/testserver"
)

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

func TestTargetsHaveShortReadableCodesThatOpenTheirForm(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := newWorld(t, s)
		got, err := w.targets.GetTarget(s.Ctx(auth.Admin), &feedbackv1.GetTargetRequest{Id: w.staff})
		if err != nil {
			t.Fatal(err)
		}
		code := got.GetTarget().GetPublicCode()
		if len(code) != 8 || strings.Trim(code, crockford) != "" {
			t.Fatalf("public code %q is not 8 characters of Crockford base32", code)
		}
		seen := map[string]bool{}
		for _, id := range []string{w.canteen, w.w1, w.w2, w.staff, w.meeting, w.w3} {
			tg, err := w.targets.GetTarget(s.Ctx(auth.Admin), &feedbackv1.GetTargetRequest{Id: id})
			if err != nil {
				t.Fatal(err)
			}
			if c := tg.GetTarget().GetPublicCode(); seen[c] {
				t.Errorf("code %q given twice", c)
			} else {
				seen[c] = true
			}
		}
		// Anyone may open the form by code, typed in lower case with O
		// for 0 and l for 1.
		typed := strings.NewReplacer("0", "o", "1", "l").Replace(strings.ToLower(code))
		form, err := w.ratings.GetRatingForm(s.Ctx(""), &feedbackv1.GetRatingFormRequest{TargetCode: typed})
		if err != nil {
			t.Fatalf("form by code %q: %v", typed, err)
		}
		if form.GetTargetId() != w.staff || form.GetTargetCode() != code ||
			strings.Join(form.GetTargetPath(), "›") != "机关食堂›一楼打饭窗口›王师傅" ||
			form.GetTargetKind() != feedbackv1.TargetKind_TARGET_KIND_STAFF || form.GetMaxContactLength() != feedback.MaxContactLen {
			t.Errorf("form by code: %+v", form)
		}

		before := rowCounts(t, s.DB)
		_, err = w.ratings.GetRatingForm(s.Ctx(""), &feedbackv1.GetRatingFormRequest{TargetCode: "ZZZZZZZZ"})
		testserver.WantCode(t, err, codes.NotFound)
		_, err = w.ratings.GetRatingForm(s.Ctx(""), &feedbackv1.GetRatingFormRequest{TargetCode: "AB%CD"})
		wantInvalid(t, err, "target_code")
		_, err = w.ratings.GetRatingForm(s.Ctx(""), &feedbackv1.GetRatingFormRequest{TargetCode: code, TargetId: w.staff})
		wantInvalid(t, err, "target_code")
		_, err = w.ratings.GetRatingForm(s.Ctx(""), &feedbackv1.GetRatingFormRequest{})
		wantInvalid(t, err, "target_id")
		if after := rowCounts(t, s.DB); !equalCounts(before, after) {
			t.Errorf("reads wrote rows: %v → %v", before, after)
		}
	})
}

func TestPublicCaseStatusShowsStageAndDatesOnly(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := newWorld(t, s)
		good, err := w.ratings.SubmitRating(s.Ctx(""), &feedbackv1.SubmitRatingRequest{TargetId: w.w1, Level: 4})
		if err != nil {
			t.Fatal(err)
		}
		if good.GetCaseCode() != "" {
			t.Errorf("a good review got a case number %q", good.GetCaseCode())
		}
		bad, err := w.ratings.SubmitRating(s.Ctx(""), &feedbackv1.SubmitRatingRequest{
			TargetId: w.w1, Level: 1, Comment: "等了一个小时", RequestId: "pub-1"})
		if err != nil {
			t.Fatal(err)
		}
		code := bad.GetCaseCode()
		if len(code) != 10 || strings.Trim(code, crockford) != "" {
			t.Fatalf("case code %q is not 10 characters of Crockford base32", code)
		}
		again, err := w.ratings.SubmitRating(s.Ctx(""), &feedbackv1.SubmitRatingRequest{
			TargetId: w.w1, Level: 1, Comment: "等了一个小时", RequestId: "pub-1"})
		if err != nil || again.GetCaseCode() != code {
			t.Fatalf("retry: %v, case code %q, want %q", err, again.GetCaseCode(), code)
		}

		st, err := w.cases.GetPublicCaseStatus(s.Ctx(""), &feedbackv1.GetPublicCaseStatusRequest{Code: strings.ToLower(code)})
		if err != nil {
			t.Fatal(err)
		}
		if st.GetStage() != feedbackv1.PublicCaseStage_PUBLIC_CASE_STAGE_RECEIVED || st.GetProgressTime() != nil ||
			st.GetDoneTime() != nil || st.GetOverdue() || !st.GetReceiveTime().AsTime().Before(st.GetDueTime().AsTime()) {
			t.Errorf("new case status: %+v", st)
		}

		// The officer acknowledges: the rater now sees 整改中 and when.
		ack, err := w.cases.AcknowledgeCase(testserver.KeyCtx(w.canteenOfficer),
			&feedbackv1.AcknowledgeCaseRequest{Id: bad.GetCaseId(), Note: "已电话联系"})
		if err != nil {
			t.Fatal(err)
		}
		st, err = w.cases.GetPublicCaseStatus(s.Ctx(""), &feedbackv1.GetPublicCaseStatusRequest{Code: code})
		if err != nil {
			t.Fatal(err)
		}
		evs := ack.GetCase().GetEvents()
		ackTime := evs[len(evs)-1].GetTime().AsTime()
		if st.GetStage() != feedbackv1.PublicCaseStage_PUBLIC_CASE_STAGE_IN_PROGRESS || st.GetProgressTime() == nil ||
			!st.GetProgressTime().AsTime().Equal(ackTime) {
			t.Errorf("acknowledged case status: %+v (acknowledged %v)", st, ackTime)
		}
		_, err = w.cases.CloseCase(testserver.KeyCtx(w.canteenOfficer), &feedbackv1.CloseCaseRequest{
			Id: bad.GetCaseId(), Verdict: feedbackv1.Verdict_VERDICT_SATISFIED, Note: "已改进"})
		if err != nil {
			t.Fatal(err)
		}
		st, err = w.cases.GetPublicCaseStatus(s.Ctx(""), &feedbackv1.GetPublicCaseStatusRequest{Code: code})
		if err != nil {
			t.Fatal(err)
		}
		if st.GetStage() != feedbackv1.PublicCaseStage_PUBLIC_CASE_STAGE_DONE || st.GetDoneTime() == nil || st.GetOverdue() {
			t.Errorf("closed case status: %+v", st)
		}

		_, err = w.cases.GetPublicCaseStatus(s.Ctx(""), &feedbackv1.GetPublicCaseStatusRequest{Code: "0000000000"})
		testserver.WantCode(t, err, codes.NotFound)
		_, err = w.cases.GetPublicCaseStatus(s.Ctx(""), &feedbackv1.GetPublicCaseStatusRequest{Code: ""})
		wantInvalid(t, err, "code")
		_, err = w.cases.GetPublicCaseStatus(s.Ctx(""), &feedbackv1.GetPublicCaseStatusRequest{Code: "<script>"})
		wantInvalid(t, err, "code")

		// Over HTTP too, with nothing but the stage and dates.
		r := s.DoKey(t, "", "GET", "/v1/feedback/public-cases/"+code, nil)
		if r.Status != 200 {
			t.Fatalf("HTTP %d %s", r.Status, r.Body)
		}
		for _, leak := range []string{"等了一个小时", w.canteen, w.w1, bad.GetCaseId(), bad.GetRatingId()} {
			if strings.Contains(string(r.Body), leak) {
				t.Errorf("public status leaks %q: %s", leak, r.Body)
			}
		}
	})
}

func TestPosterTargetsAreForAdminsOnly(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := newWorld(t, s)
		resp, err := w.targets.ListPosterTargets(s.Ctx(auth.Admin), &feedbackv1.ListPosterTargetsRequest{TargetId: w.canteen, Subtree: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range resp.GetTargets() {
			got = append(got, strings.Join(p.GetPathNames(), "›"))
			if p.GetTarget().GetPublicCode() == "" {
				t.Errorf("%s has no public code", p.GetTarget().GetName())
			}
		}
		want := "机关食堂|机关食堂›一楼打饭窗口|机关食堂›一楼打饭窗口›王师傅|机关食堂›二楼面食窗口"
		if strings.Join(got, "|") != want {
			t.Errorf("subtree posters %q, want %q", strings.Join(got, "|"), want)
		}
		one, err := w.targets.ListPosterTargets(s.Ctx(auth.Admin), &feedbackv1.ListPosterTargetsRequest{TargetId: w.staff})
		if err != nil || len(one.GetTargets()) != 1 || one.GetTargets()[0].GetTarget().GetId() != w.staff {
			t.Fatalf("one poster: %v %+v", err, one)
		}

		for role, want := range map[auth.Role]codes.Code{
			auth.Analyst: codes.PermissionDenied, auth.Officer: codes.PermissionDenied,
			auth.Kiosk: codes.PermissionDenied, auth.Inspector: codes.PermissionDenied, "": codes.Unauthenticated,
		} {
			_, err := w.targets.ListPosterTargets(s.Ctx(role), &feedbackv1.ListPosterTargetsRequest{TargetId: w.canteen})
			if got := status.Code(err); got != want {
				t.Errorf("%q: %v, want %s", role, err, want)
			}
		}
		_, err = w.targets.ListPosterTargets(s.Ctx(auth.Admin), &feedbackv1.ListPosterTargetsRequest{})
		wantInvalid(t, err, "target_id")
		_, err = w.targets.ListPosterTargets(s.Ctx(auth.Admin), &feedbackv1.ListPosterTargetsRequest{TargetId: "nope"})
		if apierr.ReasonOf(err) != apierr.ResourceNotFound {
			t.Errorf("posters of an unknown target: %v", err)
		}
		if _, err := w.targets.DeactivateTarget(s.Ctx(auth.Admin), &feedbackv1.DeactivateTargetRequest{Id: w.w2}); err != nil {
			t.Fatal(err)
		}
		_, err = w.targets.ListPosterTargets(s.Ctx(auth.Admin), &feedbackv1.ListPosterTargetsRequest{TargetId: w.w2})
		if apierr.ReasonOf(err) != apierr.TargetInactive {
			t.Errorf("posters of a deactivated target: %v", err)
		}
	})
}
