package feedback

import (
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/wenming/wenming/internal/apierr"
)

func TestCaseTransitions(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		from  Case
		step  Step
		want  CaseState
		code  codes.Code
		check func(t *testing.T, c Case, e Event)
	}{
		{name: "acknowledge open", from: Case{State: Open}, step: Step{Action: ActAcknowledge, Note: "电话联系"}, want: Acknowledged},
		{name: "acknowledge twice", from: Case{State: Acknowledged}, step: Step{Action: ActAcknowledge}, code: codes.FailedPrecondition},
		{name: "rectify open", from: Case{State: Open}, step: Step{Action: ActRectify}, want: Rectified},
		{name: "rectify acknowledged", from: Case{State: Acknowledged}, step: Step{Action: ActRectify}, want: Rectified},
		{name: "rectify closed", from: Case{State: Closed}, step: Step{Action: ActRectify}, code: codes.FailedPrecondition},
		{name: "close open refused", from: Case{State: Open}, step: Step{Action: ActClose, Verdict: Satisfied}, code: codes.FailedPrecondition},
		{name: "close rectified", from: Case{State: Rectified}, step: Step{Action: ActClose, Verdict: Satisfied, Note: "回访"}, want: Closed,
			check: func(t *testing.T, c Case, e Event) {
				if c.Verdict != Satisfied || !c.CloseTime.Equal(now) || e.Note != "SATISFIED 回访" {
					t.Errorf("closed case %+v, event note %q", c, e.Note)
				}
			}},
		{name: "close with pending handover", from: Case{State: Rectified, HandoverTo: "d2"}, step: Step{Action: ActClose, Verdict: Satisfied}, code: codes.FailedPrecondition},
		{name: "reopen closed", from: Case{State: Closed, Verdict: NotSatisfied, CloseTime: now}, step: Step{Action: ActReopen}, want: Open,
			check: func(t *testing.T, c Case, _ Event) {
				if c.Verdict != "" || !c.CloseTime.IsZero() {
					t.Errorf("reopened case keeps verdict %q / close time %v", c.Verdict, c.CloseTime)
				}
			}},
		{name: "reopen open", from: Case{State: Open}, step: Step{Action: ActReopen}, code: codes.FailedPrecondition},
		{name: "hand over", from: Case{State: Open, DepartmentID: "d1"}, step: Step{Action: ActHandOver, Department: "d2"}, want: Open,
			check: func(t *testing.T, c Case, e Event) {
				if c.DepartmentID != "d1" || c.HandoverTo != "d2" || e.DepartmentID != "d2" {
					t.Errorf("owner must not change before acceptance: %+v", c)
				}
			}},
		{name: "hand over to itself", from: Case{State: Open, DepartmentID: "d1"}, step: Step{Action: ActHandOver, Department: "d1"}, code: codes.InvalidArgument},
		{name: "hand over twice", from: Case{State: Open, DepartmentID: "d1", HandoverTo: "d2"}, step: Step{Action: ActHandOver, Department: "d3"}, code: codes.FailedPrecondition},
		{name: "hand over closed", from: Case{State: Closed, DepartmentID: "d1"}, step: Step{Action: ActHandOver, Department: "d2"}, code: codes.FailedPrecondition},
		{name: "accept handover", from: Case{State: Acknowledged, DepartmentID: "d1", HandoverTo: "d2"}, step: Step{Action: ActAcceptHandover}, want: Acknowledged,
			check: func(t *testing.T, c Case, _ Event) {
				if c.DepartmentID != "d2" || c.HandoverTo != "" {
					t.Errorf("after acceptance %+v", c)
				}
			}},
		{name: "decline handover", from: Case{State: Open, DepartmentID: "d1", HandoverTo: "d2"}, step: Step{Action: ActDeclineHandover}, want: Open,
			check: func(t *testing.T, c Case, _ Event) {
				if c.DepartmentID != "d1" || c.HandoverTo != "" {
					t.Errorf("after decline %+v", c)
				}
			}},
		{name: "accept without handover", from: Case{State: Open}, step: Step{Action: ActAcceptHandover}, code: codes.FailedPrecondition},
		{name: "appeal", from: Case{State: Acknowledged}, step: Step{Action: ActAppeal, Evidence: "录像显示"}, want: Appealed,
			check: func(t *testing.T, c Case, _ Event) {
				if c.AppealFrom != Acknowledged || c.AppealEvidence != "录像显示" {
					t.Errorf("appealed case %+v", c)
				}
			}},
		{name: "appeal closed", from: Case{State: Closed}, step: Step{Action: ActAppeal, Evidence: "x"}, code: codes.FailedPrecondition},
		{name: "accept appeal", from: Case{State: Appealed, AppealFrom: Rectified}, step: Step{Action: ActAcceptAppeal}, want: AppealAccepted},
		{name: "reject appeal returns", from: Case{State: Appealed, AppealFrom: Rectified}, step: Step{Action: ActRejectAppeal}, want: Rectified},
		{name: "decide without appeal", from: Case{State: Open}, step: Step{Action: ActRejectAppeal}, code: codes.FailedPrecondition},
		{name: "nothing after accepted appeal", from: Case{State: AppealAccepted}, step: Step{Action: ActReopen}, code: codes.FailedPrecondition},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.from
			c.ID = "c1"
			ev, err := c.Apply(tc.step, now)
			if tc.code != codes.OK {
				wantCode(t, err, tc.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.State != tc.want || ev.From != tc.from.State || ev.To != tc.want || ev.Action != tc.step.Action || !ev.Time.Equal(now) {
				t.Fatalf("state %s, event %+v; want %s", c.State, ev, tc.want)
			}
			if tc.check != nil {
				tc.check(t, c, ev)
			}
		})
	}
}

func TestCaseOverdue(t *testing.T) {
	t.Parallel()
	due := time.Date(2026, 10, 14, 0, 0, 0, 0, shanghai)
	for _, tc := range []struct {
		state CaseState
		at    time.Time
		want  bool
	}{
		{Open, due.Add(-time.Second), false},
		{Open, due, true}, // the due time is exclusive
		{Rectified, due.Add(time.Hour), true},
		{Closed, due.Add(time.Hour), false},
		{Appealed, due.Add(time.Hour), false},
	} {
		if got := (Case{State: tc.state, DueTime: due}).Overdue(tc.at); got != tc.want {
			t.Errorf("%s at %v: overdue %v, want %v", tc.state, tc.at, got, tc.want)
		}
	}
}

func TestStepValidationNamesFields(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		step   Step
		fields []string
	}{
		{Step{Action: ActAcknowledge}, []string{"note"}},
		{Step{Action: ActRectify, Note: "  "}, []string{"note"}},
		{Step{Action: ActClose}, []string{"verdict"}},
		{Step{Action: ActHandOver}, []string{"department_id"}},
		{Step{Action: ActAppeal}, []string{"evidence"}},
	} {
		var v apierr.Violations
		tc.step.Validate(&v)
		wantInvalid(t, v.Err(), tc.fields...)
	}
}
