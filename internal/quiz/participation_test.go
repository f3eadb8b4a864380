package quiz

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/workcal"
)

// A worked example. 2026-03-01 is a Sunday, so its ISO week starts on
// Monday 2026-02-23 and the next on 2026-03-02. A contest's days:
//
//	community  day    attempts  first  running
//	东湖       03-01  1         1      0        A's first attempt
//	东湖       03-02  2         1      1        B's first (still running), A's second
//	西湖       03-03  1         0      0        A's third, in another community
//	西湖       02-28  1         1      0        before the period (03-01 … 03-08)
//	西湖       03-10  1         1      0        after it
//
// By day: 东湖 03-01 {1 attempt, 1 participant, 1 finished}, 03-02 {2, 1,
// 1}; 西湖 03-03 {1, 0, 1}; every other day 0. Totals: 东湖 {3, 2, 2},
// 西湖 {1, 0, 1} (A counts where A first played), all {4, 2, 3}.
// By week: 02-23 {1, 1, 1}, 03-02 {3, 1, 2}. By month: one bucket, {4, 2, 3}.
func TestParticipationCountsTheWorkedExample(t *testing.T) {
	days := []participationDay{
		{Community: "东湖", Day: 20260301, Attempts: 1, First: 1},
		{Community: "东湖", Day: 20260302, Attempts: 2, First: 1, Running: 1},
		{Community: "西湖", Day: 20260303, Attempts: 1},
		{Community: "西湖", Day: 20260228, Attempts: 1, First: 1},
		{Community: "西湖", Day: 20260310, Attempts: 1, First: 1},
	}
	from, to := workcal.NewDate(2026, 3, 1), workcal.NewDate(2026, 3, 8)
	want := func(what string, got, want partCount) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %+v, want %+v", what, got, want)
		}
	}

	byDay := countParticipation(days, from, to, byDay)
	if len(byDay.Starts) != 8 || byDay.Starts[0] != from || byDay.Starts[7] != to {
		t.Fatalf("day starts %v", byDay.Starts)
	}
	if len(byDay.Communities) != 2 || byDay.Communities[0].Community != "东湖" || byDay.Communities[1].Community != "西湖" {
		t.Fatalf("communities %+v", byDay.Communities)
	}
	east, west := byDay.Communities[0], byDay.Communities[1]
	want("东湖 total", east.Total, partCount{3, 2, 2})
	want("东湖 03-01", east.Buckets[0], partCount{1, 1, 1})
	want("东湖 03-02", east.Buckets[1], partCount{2, 1, 1})
	want("东湖 03-03", east.Buckets[2], partCount{})
	want("西湖 total", west.Total, partCount{1, 0, 1})
	want("西湖 03-03", west.Buckets[2], partCount{1, 0, 1})
	want("all total", byDay.All.Total, partCount{4, 2, 3})
	for i := 3; i < 8; i++ {
		want("all "+byDay.Starts[i].String(), byDay.All.Buckets[i], partCount{})
	}

	weeks := countParticipation(days, from, to, byWeek)
	if len(weeks.Starts) != 2 || weeks.Starts[0] != workcal.NewDate(2026, 2, 23) || weeks.Starts[1] != workcal.NewDate(2026, 3, 2) {
		t.Fatalf("week starts %v", weeks.Starts)
	}
	want("all week 02-23", weeks.All.Buckets[0], partCount{1, 1, 1})
	want("all week 03-02", weeks.All.Buckets[1], partCount{3, 1, 2})

	months := countParticipation(days, from, to, byMonth)
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

// StartAttempt counts each attempt on its day in the server's zone: 23:30
// and 00:10 in Asia/Shanghai (UTC+8) are two days, though in UTC both are
// 03-01. The kept days equal a rebuild from the attempts.
func TestParticipationDaysFollowTheZoneAndMatchARebuild(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.SQLite(t)
	clk := &fakeClock{t: time.Date(2026, 3, 1, 23, 30, 0, 0, loc)}
	svc, err := New(rpc.Deps{DB: db, Now: clk.Now, Location: loc}, WithShuffler(noShuffle))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, svc: svc, clock: clk, bank: svc.bank, contests: svc.contests, play: svc.play}
	qs := f.addQuestions(t, handFile)
	s := settings(qs[0].ID)
	s.StartTime, s.EndTime, s.AttemptsAllowed = clk.Now().Add(-time.Hour), clk.Now().Add(72*time.Hour), 3
	c := f.publish(t, s)
	f.mustStart(t, c.ID, person("A", "东湖"))
	clk.Set(time.Date(2026, 3, 2, 0, 10, 0, 0, loc))
	f.mustStart(t, c.ID, person("B", "东湖"))
	f.mustStart(t, c.ID, person("A", "东湖"))
	f.mustStart(t, c.ID, person("A", "西湖"))

	ctx := context.Background()
	kept, err := participationDays{}.read(ctx, db.R, c.ID, workcal.NewDate(2026, 1, 1), workcal.NewDate(2026, 12, 31))
	if err != nil {
		t.Fatal(err)
	}
	want := []participationDay{
		{Community: "东湖", Day: 20260301, Attempts: 1, First: 1},
		{Community: "东湖", Day: 20260302, Attempts: 2, First: 1},
		{Community: "西湖", Day: 20260302, Attempts: 1, First: 0},
	}
	if !slices.Equal(kept, want) {
		t.Errorf("kept days %+v, want %+v", kept, want)
	}
	rebuilt, err := participationDays{}.rebuild(ctx, db.R, c.ID, loc)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(rebuilt, func(a, b participationDay) int {
		return cmp.Or(cmp.Compare(a.Community, b.Community), cmp.Compare(a.Day, b.Day))
	})
	if !slices.Equal(rebuilt, kept) {
		t.Errorf("rebuilt %+v, kept %+v", rebuilt, kept)
	}

	// RebuildParticipation puts drifted days back as the attempts say.
	if _, err := db.W.ExecContext(ctx, `UPDATE quiz_participation SET attempts = attempts + 5`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.ExecContext(ctx, `INSERT INTO quiz_participation (contest_id, community, day, attempts, first_attempts) VALUES (?, '南湖', 20260303, 9, 9)`, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := RebuildParticipation(ctx, db, loc); err != nil {
		t.Fatal(err)
	}
	again, err := participationDays{}.read(ctx, db.R, c.ID, workcal.NewDate(2026, 1, 1), workcal.NewDate(2026, 12, 31))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again, want) {
		t.Errorf("after RebuildParticipation %+v, want %+v", again, want)
	}
}
