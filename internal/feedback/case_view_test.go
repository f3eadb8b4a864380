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
	c := func(st caseState, handover string) Case {
		return Case{ID: "c", DepartmentID: "canteen", State: st, HandoverTo: handover, DueTime: now.Add(48 * time.Hour)}
	}
	for _, tc := range []struct {
		name string
		p    auth.Principal
		c    Case
		want []action
	}{
		{"officer, open", officer, c(open, ""), []action{ActAcknowledge, ActRectify, actHandOver, actAppeal}},
		{"officer, acknowledged", officer, c(acknowledged, ""), []action{ActRectify, ActClose, actHandOver, actAppeal}},
		{"officer, rectified", officer, c(rectified, ""), []action{ActClose, actHandOver, actAppeal}},
		{"officer, closed", officer, c(closed, ""), []action{actReopen}},
		{"officer, appealed", officer, c(appealed, ""), nil},
		{"officer, handover pending", officer, c(acknowledged, "garage"), []action{ActRectify}},
		{"receiving officer", other, c(acknowledged, "garage"), []action{actAcceptHandover, actDeclineHandover}},
		{"analyst", analyst, c(open, ""), nil},
		{"admin, appealed", admin, c(appealed, ""), []action{actAcceptAppeal, actRejectAppeal}},
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
		state caseState
		want  int
	}{
		{at(10, 1, 9), open, 5},           // Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13
		{at(10, 9, 12), open, 3},          // Sat 10 (make-up), Mon 12, Tue 13
		{at(10, 13, 15), acknowledged, 0}, // due by the end of today
		{at(10, 15, 9), rectified, -2},    // Wed 14 and Thu 15 since the deadline
		{at(10, 15, 9), closed, 0},        // no longer worked
	} {
		c := Case{State: tc.state, DueTime: due}
		if got := s.WorkingDaysLeft(c, tc.now); got != tc.want {
			t.Errorf("at %v (%s): %d, want %d", tc.now, tc.state, got, tc.want)
		}
	}
}
