package workcal

import (
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the host's zoneinfo
)

func mustShanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at returns a wall-clock time in Shanghai.
func at(t *testing.T, y int, m time.Month, d, hh, mm int) time.Time {
	t.Helper()
	return time.Date(y, m, d, hh, mm, 0, 0, mustShanghai(t))
}

// testCalendar is a hand-written subset of China's 2026 schedule, so these
// tests do not depend on the embedded file.
func testCalendar(t *testing.T) *Calendar {
	t.Helper()
	c, err := New(mustShanghai(t), Year{
		Year: 2026,
		Holidays: []Holiday{
			{Name: "春节", From: Date{2026, 2, 15}, To: Date{2026, 2, 23}},
			{Name: "清明节", From: Date{2026, 4, 4}, To: Date{2026, 4, 6}},
			{Name: "中秋节", From: Date{2026, 9, 25}, To: Date{2026, 9, 27}},
			{Name: "国庆节", From: Date{2026, 10, 1}, To: Date{2026, 10, 7}},
		},
		Workdays: []Date{{2026, 2, 14}, {2026, 2, 28}, {2026, 9, 20}, {2026, 10, 10}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
