package quiz

import (
	"testing"
	"time"

	"github.com/wenming/wenming/internal/workcal"
)

// A worked example in Asia/Shanghai (UTC+8). 2026-03-01 is a Sunday, so
// its ISO week starts on Monday 2026-02-23 and the next on 2026-03-02.
//
//	#  who  community  local start        state        counted?
//	1  A    东湖       03-01 23:30        FINISHED     yes (in UTC it is 03-01 15:30)
//	2  B    东湖       03-02 00:10        IN_PROGRESS  yes (in UTC still 03-01: the zone decides the day)
//	3  A    东湖       03-02 09:00        FINISHED     yes
//	4  A    西湖       03-03 10:00        EXPIRED      yes (expired is finished)
//	5  C    西湖       02-28 12:00        FINISHED     no: before the period
//	6  D    西湖       03-10 08:00        FINISHED     no: after the period (03-01 … 03-08)
//
// By day: 东湖 03-01 {1 attempt, 1 person, 1 finished}, 03-02 {2, 2, 1};
// 西湖 03-03 {1, 1, 1}; every other day 0. Totals: 东湖 {3 attempts, 2
// people (A, B), 2 finished}, 西湖 {1, 1, 1}, all {4, 2, 3} — A played
// in both communities and counts once in all.
// By week: starts 02-23 and 03-02; all 02-23 {1, 1, 1}, 03-02 {3, 2, 2}.
// By month: one bucket 03-01 with all {4, 2, 3}.
func TestParticipationCountsTheWorkedExample(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	at := func(month time.Month, day, hour, min int) int64 {
		return time.Date(2026, month, day, hour, min, 0, 0, loc).UnixMicro()
	}
	rows := []participationRow{
		{"东湖", "A", at(3, 1, 23, 30), "FINISHED"},
		{"东湖", "B", at(3, 2, 0, 10), "IN_PROGRESS"},
		{"东湖", "A", at(3, 2, 9, 0), "FINISHED"},
		{"西湖", "A", at(3, 3, 10, 0), "EXPIRED"},
		{"西湖", "C", at(2, 28, 12, 0), "FINISHED"},
		{"西湖", "D", at(3, 10, 8, 0), "FINISHED"},
	}
	from, to := workcal.NewDate(2026, 3, 1), workcal.NewDate(2026, 3, 8)

	days := countParticipation(rows, from, to, byDay, loc)
	if len(days.Starts) != 8 || days.Starts[0] != from || days.Starts[7] != to {
		t.Fatalf("day starts %v", days.Starts)
	}
	if len(days.Communities) != 2 || days.Communities[0].Community != "东湖" || days.Communities[1].Community != "西湖" {
		t.Fatalf("communities %+v", days.Communities)
	}
	east, west := days.Communities[0], days.Communities[1]
	want := func(what string, got, want partCount) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %+v, want %+v", what, got, want)
		}
	}
	want("东湖 total", east.Total, partCount{3, 2, 2})
	want("东湖 03-01", east.Buckets[0], partCount{1, 1, 1})
	want("东湖 03-02", east.Buckets[1], partCount{2, 2, 1})
	want("东湖 03-03", east.Buckets[2], partCount{})
	want("西湖 total", west.Total, partCount{1, 1, 1})
	want("西湖 03-03", west.Buckets[2], partCount{1, 1, 1})
	want("all total", days.All.Total, partCount{4, 2, 3})
	want("all 03-02", days.All.Buckets[1], partCount{2, 2, 1})
	for i := 3; i < 8; i++ {
		want("all "+days.Starts[i].String(), days.All.Buckets[i], partCount{})
	}

	weeks := countParticipation(rows, from, to, byWeek, loc)
	if len(weeks.Starts) != 2 || weeks.Starts[0] != workcal.NewDate(2026, 2, 23) || weeks.Starts[1] != workcal.NewDate(2026, 3, 2) {
		t.Fatalf("week starts %v", weeks.Starts)
	}
	want("all week 02-23", weeks.All.Buckets[0], partCount{1, 1, 1})
	want("all week 03-02", weeks.All.Buckets[1], partCount{3, 2, 2})
	want("东湖 week 03-02", weeks.Communities[0].Buckets[1], partCount{2, 2, 1})

	months := countParticipation(rows, from, to, byMonth, loc)
	if len(months.Starts) != 1 || months.Starts[0] != from {
		t.Fatalf("month starts %v", months.Starts)
	}
	want("all March", months.All.Buckets[0], partCount{4, 2, 3})
}

func TestBucketStartsCoverThePeriod(t *testing.T) {
	from, to := workcal.NewDate(2026, 1, 31), workcal.NewDate(2026, 3, 1)
	got := bucketStarts(from, to, byMonth)
	if len(got) != 3 || got[0] != workcal.NewDate(2026, 1, 1) || got[2] != workcal.NewDate(2026, 3, 1) {
		t.Errorf("months %v", got)
	}
	if n := len(bucketStarts(from, to, byDay)); n != 30 {
		t.Errorf("%d days from 01-31 to 03-01, want 30", n)
	}
}
