package feedback

import (
	"slices"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/workcal"
)

func TestAllowedActionsFollowStateRoleAndDepartment(t *testing.T) {
	officer := auth.Principal{KeyID: "k1", Role: auth.Officer, Scope: "canteen"}
	other := auth.Principal{KeyID: "k2", Role: auth.Officer, Scope: "garage"}
	analyst := auth.Principal{KeyID: "k3", Role: auth.Analyst}
	admin := auth.Principal{KeyID: "k4", Role: auth.Admin}
	now := time.Date(2026, 10, 9, 4, 0, 0, 0, time.UTC)
	c := func(st CaseState, handover string) Case {
		return Case{ID: "c", DepartmentID: "canteen", State: st, HandoverTo: handover, DueTime: now.Add(48 * time.Hour)}
	}
	for _, tc := range []struct {
		name string
		p    auth.Principal
		c    Case
		want []Action
	}{
		{"officer, open", officer, c(Open, ""), []Action{ActAcknowledge, ActRectify, ActHandOver, ActAppeal}},
		{"officer, acknowledged", officer, c(Acknowledged, ""), []Action{ActRectify, ActClose, ActHandOver, ActAppeal}},
		{"officer, rectified", officer, c(Rectified, ""), []Action{ActClose, ActHandOver, ActAppeal}},
		{"officer, closed", officer, c(Closed, ""), []Action{ActReopen}},
		{"officer, appealed", officer, c(Appealed, ""), nil},
		{"officer, handover pending", officer, c(Acknowledged, "garage"), []Action{ActRectify}},
		{"receiving officer", other, c(Acknowledged, "garage"), []Action{ActAcceptHandover, ActDeclineHandover}},
		{"analyst", analyst, c(Open, ""), nil},
		{"admin, appealed", admin, c(Appealed, ""), []Action{ActAcceptAppeal, ActRejectAppeal}},
	} {
		if got := AllowedActions(tc.p, tc.c, now); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// The example of workcal.DueAt: opened Wed 2026-09-30 10:00 with 5 working
// days is due 2026-10-14 00:00 +08:00 (the National Day week skipped, Sat
// Oct 10 a make-up working day).
func TestWorkingDaysLeftOnTheHolidayCalendar(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := workcal.Embedded(loc)
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{cal: cal}
	due := cal.DueAt(time.Date(2026, 9, 30, 10, 0, 0, 0, loc), 5)
	if !due.Equal(time.Date(2026, 10, 14, 0, 0, 0, 0, loc)) {
		t.Fatalf("due %v", due)
	}
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, loc) }
	for _, tc := range []struct {
		now   time.Time
		state CaseState
		want  int
	}{
		{at(10, 1, 9), Open, 5},           // Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13
		{at(10, 9, 12), Open, 3},          // Sat 10 (make-up), Mon 12, Tue 13
		{at(10, 13, 15), Acknowledged, 0}, // due by the end of today
		{at(10, 15, 9), Rectified, -2},    // Wed 14 and Thu 15 since the deadline
		{at(10, 15, 9), Closed, 0},        // no longer worked
	} {
		c := Case{State: tc.state, DueTime: due}
		if got := s.WorkingDaysLeft(c, tc.now); got != tc.want {
			t.Errorf("at %v (%s): %d, want %d", tc.now, tc.state, got, tc.want)
		}
	}
}
