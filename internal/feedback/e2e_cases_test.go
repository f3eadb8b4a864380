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

func TestCaseWorkflowWithHandoverAndAppeal(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := newWorld(t, s)
		canteen, meeting := testserver.KeyCtx(w.canteenOfficer), testserver.KeyCtx(w.meetingOfficer)
		r, err := w.ratings.SubmitRating(context.Background(), &feedbackv1.SubmitRatingRequest{TargetId: w.w1, Level: 1, Comment: "会场空调坏了"})
		if err != nil {
			t.Fatal(err)
		}
		id := r.GetCaseId()
		state := func(c *feedbackv1.Case, err error, want feedbackv1.CaseState) *feedbackv1.Case {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			if c.GetState() != want {
				t.Fatalf("state %s, want %s", c.GetState(), want)
			}
			return c
		}

		// Closing straight away is refused: the rater must be contacted first.
		_, err = w.cases.CloseCase(canteen, &feedbackv1.CloseCaseRequest{Id: id, Verdict: feedbackv1.Verdict_VERDICT_SATISFIED})
		testserver.WantCode(t, err, codes.FailedPrecondition)

		a, err := w.cases.AcknowledgeCase(canteen, &feedbackv1.AcknowledgeCaseRequest{Id: id, Note: "已电话联系评价人"})
		state(a.GetCase(), err, feedbackv1.CaseState_CASE_STATE_ACKNOWLEDGED)

		// The complaint is about the meeting rooms: hand over. The canteen
		// keeps the case until meeting services accept.
		h, err := w.cases.HandOverCase(canteen, &feedbackv1.HandOverCaseRequest{Id: id, DepartmentId: w.meeting, Note: "属会议服务"})
		c := state(h.GetCase(), err, feedbackv1.CaseState_CASE_STATE_ACKNOWLEDGED)
		if c.GetDepartmentId() != w.canteen || c.GetHandoverDepartmentId() != w.meeting {
			t.Fatalf("after hand-over request: owner %s, pending %s", c.GetDepartmentId(), c.GetHandoverDepartmentId())
		}
		// Meeting services can see the offered case but not work it yet.
		if _, err := w.cases.GetCase(meeting, &feedbackv1.GetCaseRequest{Id: id}); err != nil {
			t.Fatalf("receiving department cannot see the offered case: %v", err)
		}
		_, err = w.cases.RectifyCase(meeting, &feedbackv1.RectifyCaseRequest{Id: id, Note: "x"})
		testserver.WantCode(t, err, codes.PermissionDenied)
		// Only the receiving side answers a handover.
		_, err = w.cases.AnswerHandover(canteen, &feedbackv1.AnswerHandoverRequest{Id: id, Accept: true})
		testserver.WantCode(t, err, codes.PermissionDenied)
		ans, err := w.cases.AnswerHandover(meeting, &feedbackv1.AnswerHandoverRequest{Id: id, Accept: true, Note: "接收"})
		c = state(ans.GetCase(), err, feedbackv1.CaseState_CASE_STATE_ACKNOWLEDGED)
		if c.GetDepartmentId() != w.meeting || c.GetHandoverDepartmentId() != "" {
			t.Fatalf("after acceptance: owner %s, pending %s", c.GetDepartmentId(), c.GetHandoverDepartmentId())
		}
		// The canteen no longer sees it.
		_, err = w.cases.GetCase(canteen, &feedbackv1.GetCaseRequest{Id: id})
		testserver.WantCode(t, err, codes.NotFound)

		rc, err := w.cases.RectifyCase(meeting, &feedbackv1.RectifyCaseRequest{Id: id, Note: "空调已维修"})
		state(rc.GetCase(), err, feedbackv1.CaseState_CASE_STATE_RECTIFIED)
		cl, err := w.cases.CloseCase(meeting, &feedbackv1.CloseCaseRequest{Id: id, Verdict: feedbackv1.Verdict_VERDICT_NOT_SATISFIED})
		c = state(cl.GetCase(), err, feedbackv1.CaseState_CASE_STATE_CLOSED)
		if c.GetVerdict() != feedbackv1.Verdict_VERDICT_NOT_SATISFIED || c.GetCloseTime() == nil {
			t.Fatalf("closed case %v", c)
		}
		ro, err := w.cases.ReopenCase(meeting, &feedbackv1.ReopenCaseRequest{Id: id, Note: "回访不满意，重新处理"})
		state(ro.GetCase(), err, feedbackv1.CaseState_CASE_STATE_OPEN)

		// Appeal: officers file, only admins decide.
		ap, err := w.cases.AppealCase(meeting, &feedbackv1.AppealCaseRequest{Id: id, Evidence: "监控显示当日会场无人使用"})
		state(ap.GetCase(), err, feedbackv1.CaseState_CASE_STATE_APPEALED)
		_, err = w.cases.DecideAppeal(meeting, &feedbackv1.DecideAppealRequest{Id: id, Accept: true})
		testserver.WantCode(t, err, codes.PermissionDenied)
		d, err := w.cases.DecideAppeal(s.Ctx(auth.Admin), &feedbackv1.DecideAppealRequest{Id: id, Accept: true, Note: "恶意评价属实"})
		state(d.GetCase(), err, feedbackv1.CaseState_CASE_STATE_APPEAL_ACCEPTED)

		// Every transition is on record with its actor.
		g, err := w.cases.GetCase(s.Ctx(auth.Admin), &feedbackv1.GetCaseRequest{Id: id})
		if err != nil {
			t.Fatal(err)
		}
		wantActions := []string{"OPEN", "ACKNOWLEDGE", "HAND_OVER", "ACCEPT_HANDOVER", "RECTIFY", "CLOSE", "REOPEN", "APPEAL", "ACCEPT_APPEAL"}
		ev := g.GetCase().GetEvents()
		if len(ev) != len(wantActions) {
			t.Fatalf("%d events, want %d: %v", len(ev), len(wantActions), ev)
		}
		for i, e := range ev {
			if e.GetAction() != wantActions[i] || e.GetTime() == nil {
				t.Errorf("event %d = %s, want %s", i, e.GetAction(), wantActions[i])
			}
			if i > 0 && e.GetActorName() == "" {
				t.Errorf("event %s has no actor", e.GetAction())
			}
		}
		if ev[8].GetActorName() != "test-admin" || ev[1].GetActorName() != "test-officer" || ev[1].GetNote() != "已电话联系评价人" {
			t.Errorf("actors/notes: %v", ev)
		}

		// The accepted appeal leaves the rating out of statistics.
		today := r.GetCreateTime().AsTime().In(shanghai).Format("2006-01-02")
		st, err := w.stats.GetTargetStats(s.Ctx(auth.Analyst), &feedbackv1.GetTargetStatsRequest{TargetId: w.canteen, StartDate: today, EndDate: today})
		if err != nil || st.GetSummary().GetCount() != 0 {
			t.Fatalf("stats after accepted appeal: %v, %v", st, err)
		}

		// The report counts the accepted appeal apart.
		rep, err := w.cases.GetAccountabilityReport(s.Ctx(auth.Analyst), &feedbackv1.GetAccountabilityReportRequest{StartDate: today, EndDate: today})
		if err != nil || len(rep.GetDepartments()) != 1 || rep.GetDepartments()[0].GetAppealsAccepted() != 1 ||
			rep.GetDepartments()[0].GetOpened() != 0 || rep.GetDepartments()[0].GetDepartmentName() != "会议服务" {
			t.Fatalf("report %v, %v", rep, err)
		}
	})
}

func TestListCasesFiltersAndReport(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := newWorld(t, s)
		scripted(t, w) // two bad reviews in March 2026, long overdue by now
		canteen := testserver.KeyCtx(w.canteenOfficer)
		if _, err := w.ratings.SubmitRating(context.Background(), &feedbackv1.SubmitRatingRequest{TargetId: w.w3, Level: 2}); err != nil {
			t.Fatal(err)
		}
		all, err := w.cases.ListCases(s.Ctx(auth.Analyst), &feedbackv1.ListCasesRequest{})
		if err != nil || len(all.GetCases()) != 3 {
			t.Fatalf("analyst lists %v, %v", all, err)
		}
		mine, err := w.cases.ListCases(canteen, &feedbackv1.ListCasesRequest{DepartmentId: w.meeting})
		if err != nil || len(mine.GetCases()) != 0 {
			t.Fatalf("canteen officer asking for meeting cases got %v, %v", mine, err)
		}
		mine, err = w.cases.ListCases(canteen, &feedbackv1.ListCasesRequest{OverdueOnly: true})
		if err != nil || len(mine.GetCases()) != 2 || !mine.GetCases()[0].GetOverdue() {
			t.Fatalf("canteen overdue cases %v, %v", mine, err)
		}
		page, err := w.cases.ListCases(s.Ctx(auth.Admin), &feedbackv1.ListCasesRequest{PageSize: 2})
		if err != nil || len(page.GetCases()) != 2 || page.GetNextPageToken() == "" {
			t.Fatalf("first page %v, %v", page, err)
		}
		next, err := w.cases.ListCases(s.Ctx(auth.Admin), &feedbackv1.ListCasesRequest{PageSize: 2, PageToken: page.GetNextPageToken()})
		if err != nil || len(next.GetCases()) != 1 || next.GetNextPageToken() != "" {
			t.Fatalf("second page %v, %v", next, err)
		}
		st, err := w.cases.ListCases(s.Ctx(auth.Admin), &feedbackv1.ListCasesRequest{State: feedbackv1.CaseState_CASE_STATE_CLOSED})
		if err != nil || len(st.GetCases()) != 0 {
			t.Fatalf("closed cases %v, %v", st, err)
		}

		// March report for the canteen: 2 opened, none closed, both overdue now.
		rep, err := w.cases.GetAccountabilityReport(canteen, &feedbackv1.GetAccountabilityReportRequest{StartDate: "2026-03-01", EndDate: "2026-03-31"})
		if err != nil || len(rep.GetDepartments()) != 1 {
			t.Fatalf("report %v, %v", rep, err)
		}
		if d := rep.GetDepartments()[0]; d.GetOpened() != 2 || d.GetOverdueNow() != 2 || d.GetClosedInTime() != 0 {
			t.Fatalf("canteen line %v", d)
		}
		// An officer may not ask for another department's report.
		_, err = w.cases.GetAccountabilityReport(canteen, &feedbackv1.GetAccountabilityReportRequest{
			StartDate: "2026-03-01", EndDate: "2026-03-31", DepartmentId: w.meeting})
		testserver.WantCode(t, err, codes.PermissionDenied)

		resp := s.Do(t, auth.Analyst, http.MethodGet, "/v1/feedback/cases?overdue_only=true", nil)
		if resp.Status != http.StatusOK || len(resp.JSON(t)["cases"].([]any)) != 2 {
			t.Fatalf("HTTP overdue list: %d %s", resp.Status, resp.Body)
		}
	})
}
