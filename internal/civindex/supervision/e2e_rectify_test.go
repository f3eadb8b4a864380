package supervision_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

// department creates a feedback department and returns its id.
func department(t *testing.T, s *testserver.Server, name string) string {
	t.Helper()
	r := s.Do(t, auth.Admin, http.MethodPost, "/v1/feedback/targets", map[string]any{"kind": "TARGET_KIND_DEPARTMENT", "name": name})
	if r.Status != http.StatusOK {
		t.Fatalf("create department: %d %s", r.Status, r.Body)
	}
	return r.JSON(t)["target"].(map[string]any)["id"].(string)
}

// A shortfall of an official round becomes a task of the site's unit, due
// in 10 working days. The unit's report schedules the re-inspection but
// does not close it, nor does a self-check; a later spot check that passes
// the item does. Overdue tasks and completion rates are counted per unit.
func TestRectificationClosesOnlyOnAPassingReinspection(t *testing.T) {
	t.Parallel()
	clock := &testserver.Clock{}
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		admin := s.Ctx(auth.Admin)
		dept := department(t, s, "一号单位")
		if _, err := w.sup.SetUnit(admin, &civindexv1.SetUnitRequest{Unit: &civindexv1.Unit{Name: "U1", DepartmentId: dept}}); err != nil {
			t.Fatal(err)
		}
		officer := testserver.KeyCtx(s.NewKey(t, auth.Officer, dept))
		otherOfficer := testserver.KeyCtx(s.NewKey(t, auth.Officer, department(t, s, "无单位部门")))

		official := w.round(t, civindexv1.RoundKind_ROUND_KIND_OFFICIAL, 1, "street1", "street4")
		w.inspect(t, official, "street1", false, true) // A1 fails at a U1 site
		w.inspect(t, official, "street4", true, false) // B1 fails at a U2 site
		w.closeRound(t, official)

		all, err := w.sup.ListRectificationTasks(s.Ctx(auth.Analyst), &civindexv1.ListRectificationTasksRequest{})
		if err != nil || len(all.GetTasks()) != 2 {
			t.Fatalf("tasks after closing: %v, %v", all, err)
		}
		mine, err := w.sup.ListRectificationTasks(officer, &civindexv1.ListRectificationTasksRequest{})
		if err != nil || len(mine.GetTasks()) != 1 {
			t.Fatalf("officer's tasks: %v, %v", mine, err)
		}
		task := mine.GetTasks()[0]
		if task.GetUnit() != "U1" || task.GetItemId() != "A1" || task.GetSiteId() != w.site["street1"] ||
			task.GetState() != civindexv1.RectificationState_RECTIFICATION_STATE_OPEN || task.GetPoints() != 0 || task.GetMaxPoints() != 10 {
			t.Fatalf("task %v", task)
		}
		// The officer, who may not list sites or frameworks, reads the
		// names with the task.
		if task.GetSiteName() != "street1" || task.GetItemName() != "行人走斑马线" || task.GetDimensionName() != "公共秩序" {
			t.Errorf("task names %q %q %q", task.GetSiteName(), task.GetItemName(), task.GetDimensionName())
		}
		// Due in 10 working days on the feedback calendar, at the start of
		// the day after the tenth (in Asia/Shanghai).
		open, due := task.GetOpenTime().AsTime(), task.GetDueTime().AsTime()
		if days := due.Sub(open); days < 14*24*time.Hour-24*time.Hour || days > 30*24*time.Hour {
			t.Errorf("due %v after opening %v", due, open)
		}
		_, err = w.sup.ListRectificationTasks(otherOfficer, &civindexv1.ListRectificationTasksRequest{})
		testserver.WantReason(t, err, codes.PermissionDenied, apierr.UnitNotRegistered)
		_, err = w.sup.ListRectificationTasks(officer, &civindexv1.ListRectificationTasksRequest{Unit: "U2"})
		testserver.WantReason(t, err, codes.PermissionDenied, apierr.OutOfScope)
		if got, err := w.sup.ListRectificationTasks(s.Ctx(auth.Inspector), &civindexv1.ListRectificationTasksRequest{}); err != nil || len(got.GetTasks()) != 0 {
			t.Fatalf("inspector before any report: %v, %v", got, err)
		}
		// Another unit's task is not found for this officer.
		var u2 string
		for _, x := range all.GetTasks() {
			if x.GetUnit() == "U2" {
				u2 = x.GetId()
			}
		}
		_, err = w.sup.ReportRectified(officer, &civindexv1.ReportRectifiedRequest{Id: u2})
		testserver.WantReason(t, err, codes.NotFound, apierr.ResourceNotFound)

		rep := &civindexv1.ReportRectifiedRequest{Id: task.GetId(), Note: "已重新施划斑马线", RequestId: "rep-1"}
		r, err := w.sup.ReportRectified(officer, rep)
		if err != nil || r.GetTask().GetState() != civindexv1.RectificationState_RECTIFICATION_STATE_REPORTED {
			t.Fatalf("report: %v, %v", r, err)
		}
		if again, err := w.sup.ReportRectified(officer, rep); err != nil || !again.GetTask().GetReportTime().AsTime().Equal(r.GetTask().GetReportTime().AsTime()) {
			t.Errorf("retried report: %v, %v", again, err)
		}
		_, err = w.sup.ReportRectified(officer, &civindexv1.ReportRectifiedRequest{Id: "", Note: strings.Repeat("字", 600)})
		got := testserver.BadFields(t, err, codes.InvalidArgument)
		testserver.Mentions(t, got, "id", "required")
		testserver.Mentions(t, got, "note", "500")
		insp, err := w.sup.ListRectificationTasks(s.Ctx(auth.Inspector), &civindexv1.ListRectificationTasksRequest{})
		if err != nil || len(insp.GetTasks()) != 1 || insp.GetTasks()[0].GetId() != task.GetId() {
			t.Fatalf("inspector's re-inspection list: %v, %v", insp, err)
		}

		// The unit's own self-check passing the item does not close it.
		self := w.round(t, civindexv1.RoundKind_ROUND_KIND_SELF_CHECK, 2, "street1")
		w.inspect(t, self, "street1", true, true)
		// Past due: overdue, and counted so.
		clock.Advance(40 * 24 * time.Hour)
		od, err := w.sup.ListRectificationTasks(officer, &civindexv1.ListRectificationTasksRequest{OverdueOnly: true})
		if err != nil || len(od.GetTasks()) != 1 || !od.GetTasks()[0].GetOverdue() ||
			od.GetTasks()[0].GetState() != civindexv1.RectificationState_RECTIFICATION_STATE_REPORTED {
			t.Fatalf("overdue list: %v, %v", od, err)
		}
		// A spot check that fails the item again leaves it; one that passes
		// it closes it.
		spot := w.round(t, civindexv1.RoundKind_ROUND_KIND_SPOT_CHECK, 3, "street1", "street2")
		w.inspect(t, spot, "street1", false, true)
		w.inspect(t, spot, "street2", true, true)
		if got, _ := w.sup.ListRectificationTasks(officer, &civindexv1.ListRectificationTasksRequest{}); got.GetTasks()[0].GetState() == civindexv1.RectificationState_RECTIFICATION_STATE_CLOSED {
			t.Fatal("a failing re-inspection closed the task")
		}
		pass := w.inspect(t, spot, "street1", true, true)
		closed, err := w.sup.ListRectificationTasks(officer, &civindexv1.ListRectificationTasksRequest{})
		if err != nil {
			t.Fatal(err)
		}
		c := closed.GetTasks()[0]
		if c.GetState() != civindexv1.RectificationState_RECTIFICATION_STATE_CLOSED || c.GetClosingInspectionId() != pass.GetId() || c.GetOverdue() {
			t.Fatalf("after a passing re-inspection: %v", c)
		}
		_, err = w.sup.ReportRectified(officer, &civindexv1.ReportRectifiedRequest{Id: task.GetId()})
		testserver.WantReason(t, err, codes.FailedPrecondition, apierr.RectificationStateForbids)

		sum, err := w.sup.GetRectificationSummary(s.Ctx(auth.Analyst), &civindexv1.GetRectificationSummaryRequest{})
		if err != nil || len(sum.GetUnits()) != 2 {
			t.Fatalf("summary: %v, %v", sum, err)
		}
		u1, u2s := sum.GetUnits()[0], sum.GetUnits()[1]
		// U1: 1 task, closed late (not in time), none overdue now; U2: 1
		// open task, overdue.
		if u1.GetUnit() != "U1" || u1.GetTotal() != 1 || u1.GetClosed() != 1 || u1.GetClosedInTime() != 0 || u1.GetOverdue() != 0 ||
			u1.GetCompletionRate() != 1 || u1.GetInTimeRate() != 0 {
			t.Errorf("U1 summary %v", u1)
		}
		if u2s.GetUnit() != "U2" || u2s.GetTotal() != 1 || u2s.GetOpen() != 1 || u2s.GetOverdue() != 1 || u2s.GetCompletionRate() != 0 {
			t.Errorf("U2 summary %v", u2s)
		}
		own, err := w.sup.GetRectificationSummary(officer, &civindexv1.GetRectificationSummaryRequest{})
		if err != nil || len(own.GetUnits()) != 1 || own.GetUnits()[0].GetUnit() != "U1" {
			t.Errorf("officer's summary: %v, %v", own, err)
		}
	}, testserver.WithClock(clock.Now))
}

func TestSetUnitRefusesBadInputByField(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		_, err := w.sup.SetUnit(s.Ctx(auth.Admin), &civindexv1.SetUnitRequest{Unit: &civindexv1.Unit{
			DepartmentId: "no-such", Communities: []string{""}, QuizTarget: -1,
		}})
		got := testserver.BadFields(t, err, codes.InvalidArgument)
		testserver.Mentions(t, got, "unit.name", "required")
		testserver.Mentions(t, got, "unit.communities[0]", "empty")
		testserver.Mentions(t, got, "unit.quiz_target", "negative")
		_, err = w.sup.SetUnit(s.Ctx(auth.Admin), &civindexv1.SetUnitRequest{Unit: &civindexv1.Unit{Name: "U1", DepartmentId: "no-such"}})
		testserver.Mentions(t, testserver.BadFields(t, err, codes.InvalidArgument), "unit.department_id", "no feedback department")
		if l, err := w.sup.ListUnits(s.Ctx(auth.Analyst), &civindexv1.ListUnitsRequest{}); err != nil || len(l.GetUnits()) != 0 {
			t.Fatalf("units after refusals: %v, %v", l, err)
		}
	})
}
