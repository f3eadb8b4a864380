package workcal

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestIsWorkingDay(t *testing.T) {
	t.Parallel()
	c := testCalendar(t)
	tests := []struct {
		name string
		d    Date
		want bool
	}{
		{"plain Thursday", Date{2026, 10, 8}, true},
		{"plain Saturday", Date{2026, 3, 14}, false},
		{"plain Sunday", Date{2026, 10, 11}, false},
		{"holiday on a Thursday", Date{2026, 10, 1}, false},
		{"holiday on a Saturday", Date{2026, 10, 3}, false},
		{"make-up Saturday", Date{2026, 10, 10}, true},
		{"make-up Sunday", Date{2026, 9, 20}, true},
		{"unconfigured year, weekday", Date{2027, 1, 1}, true}, // a Friday; 元旦 unknown
		{"unconfigured year, Saturday", Date{2025, 10, 4}, false},
		{"unnormalised literal", Date{2026, 9, 31}, false}, // = 2026-10-01
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := c.IsWorkingDay(tt.d); got != tt.want {
				t.Errorf("IsWorkingDay(%v) = %v, want %v", tt.d, got, tt.want)
			}
		})
	}
	if name, ok := c.Holiday(Date{2026, 10, 5}); !ok || name != "国庆节" {
		t.Errorf("Holiday(2026-10-05) = %q, %v", name, ok)
	}
	if _, ok := c.Holiday(Date{2026, 10, 10}); ok {
		t.Error("a make-up workday is not a holiday")
	}
	if got := c.Years(); !slices.Equal(got, []int{2026}) {
		t.Errorf("Years() = %v", got)
	}
}

func TestDueAt(t *testing.T) {
	t.Parallel()
	c := testCalendar(t)
	tests := []struct {
		name   string
		opened time.Time
		n      int
		want   time.Time
	}{
		// Fri 03-13 opened; Sat 14, Sun 15 skipped; Mon 16 = 1, Tue 17 = 2,
		// Wed 18 = 3; due when Thu 19 begins.
		{"across a weekend", at(t, 2026, 3, 13, 15, 0), 3, at(t, 2026, 3, 19, 0, 0)},
		// Mon 03-16 opened; Tue 17 = 1, Wed 18 = 2.
		{"plain weekdays", at(t, 2026, 3, 16, 9, 0), 2, at(t, 2026, 3, 19, 0, 0)},
		// Thu 04-02 opened; Fri 03 = 1; Sat 4 – Mon 6 清明节; Tue 07 = 2.
		{"across a holiday", at(t, 2026, 4, 2, 10, 0), 2, at(t, 2026, 4, 8, 0, 0)},
		// Thu 02-12 opened; Fri 13 = 1; Sat 14 is a make-up workday = 2.
		{"make-up Saturday counts", at(t, 2026, 2, 12, 10, 0), 2, at(t, 2026, 2, 15, 0, 0)},
		// Fri 02-13 opened; Sat 14 (make-up) = 1; 15–23 春节; Tue 24 = 2,
		// Wed 25 = 3.
		{"make-up Saturday then 春节", at(t, 2026, 2, 13, 10, 0), 3, at(t, 2026, 2, 26, 0, 0)},
		// Fri 09-18 opened; Sat 19 off; Sun 20 make-up = 1.
		{"make-up Sunday counts", at(t, 2026, 9, 18, 16, 0), 1, at(t, 2026, 9, 21, 0, 0)},
		// Sat 10-03 (国庆节) opened; 4–7 holiday; Thu 08 = 1.
		{"opened on a holiday", at(t, 2026, 10, 3, 11, 0), 1, at(t, 2026, 10, 9, 0, 0)},
		// Sun 03-15 opened; Mon 16 = 1.
		{"opened on a weekend", at(t, 2026, 3, 15, 20, 0), 1, at(t, 2026, 3, 17, 0, 0)},
		// Sat 10-10 (make-up) opened: the opening day never counts; Sun 11
		// off; Mon 12 = 1.
		{"opened on a make-up workday", at(t, 2026, 10, 10, 9, 0), 1, at(t, 2026, 10, 13, 0, 0)},
		// 2026-03-12 16:30 UTC is Fri 03-13 00:30 in Shanghai. Counting from
		// the UTC date (Thu) would make Fri 13 day 1 and give Sat 14 00:00;
		// from the local date (Fri), Mon 16 = 1.
		{"after local midnight, UTC still the previous day", time.Date(2026, 3, 12, 16, 30, 0, 0, time.UTC), 1, at(t, 2026, 3, 17, 0, 0)},
		// 2026-03-13 15:59 UTC is Fri 23:59 in Shanghai: still Friday.
		{"last minute of the local day, given in UTC", time.Date(2026, 3, 13, 15, 59, 0, 0, time.UTC), 1, at(t, 2026, 3, 17, 0, 0)},
		// n = 0: the end of the opening day, working or not.
		{"n=0 on a weekday", at(t, 2026, 3, 13, 15, 0), 0, at(t, 2026, 3, 14, 0, 0)},
		{"n=0 on a holiday", at(t, 2026, 10, 3, 11, 0), 0, at(t, 2026, 10, 4, 0, 0)},
		{"negative n", at(t, 2026, 3, 13, 15, 0), -2, at(t, 2026, 3, 14, 0, 0)},
		// Wed 09-30 opened; 10-01..07 国庆节; Thu 08 = 1, Fri 09 = 2, Sat 10
		// (make-up) = 3, Sun 11 off, Mon 12 = 4, Tue 13 = 5.
		{"across 国庆节 with a make-up day", at(t, 2026, 9, 30, 10, 0), 5, at(t, 2026, 10, 14, 0, 0)},
		// 2025 is not configured: Wed 2025-10-01 is an ordinary weekday, so
		// Thu 02 = 1.
		{"year not configured", at(t, 2025, 10, 1, 10, 0), 1, at(t, 2025, 10, 3, 0, 0)},
		// Thu 2026-12-31 opened; Fri 2027-01-01 is a plain weekday in the
		// unconfigured 2027 = 1.
		{"into a year not configured", at(t, 2026, 12, 31, 10, 0), 1, at(t, 2027, 1, 2, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := c.DueAt(tt.opened, tt.n)
			if !got.Equal(tt.want) {
				t.Errorf("DueAt(%v, %d) = %v, want %v", tt.opened, tt.n, got, tt.want)
			}
			if got.Location() != c.Location() {
				t.Errorf("DueAt returned a time in %v, want %v", got.Location(), c.Location())
			}
		})
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	t.Parallel()
	c := testCalendar(t)
	tests := []struct {
		name string
		a, b time.Time
		want int
	}{
		{"same instant", at(t, 2026, 3, 13, 10, 0), at(t, 2026, 3, 13, 10, 0), 0},
		{"same date, later time", at(t, 2026, 3, 13, 8, 0), at(t, 2026, 3, 13, 23, 0), 0},
		{"b before a", at(t, 2026, 3, 20, 10, 0), at(t, 2026, 3, 13, 10, 0), 0},
		// Fri → Mon: Sat, Sun off; Mon counts.
		{"over a weekend", at(t, 2026, 3, 13, 10, 0), at(t, 2026, 3, 16, 9, 0), 1},
		// Wed 09-30 → Tue 10-13: Oct 8, 9, 10 (make-up), 12, 13.
		{"over 国庆节", at(t, 2026, 9, 30, 10, 0), at(t, 2026, 10, 13, 18, 0), 5},
		// Sep 30 → Oct 31: Oct 8, 9, 10, then four Mon–Fri weeks
		// (12–16, 19–23, 26–30) = 3 + 15.
		{"all of October", at(t, 2026, 9, 30, 10, 0), at(t, 2026, 10, 31, 10, 0), 18},
		// Thu 23:00 → Fri 00:30 Shanghai (both still Thursday in UTC): Fri
		// counts.
		{"local midnight, not UTC", time.Date(2026, 3, 12, 15, 0, 0, 0, time.UTC), time.Date(2026, 3, 12, 16, 30, 0, 0, time.UTC), 1},
		// Opened 09-30 with 5 days (due 10-14 00:00); now Fri 10-16: 5 + Oct
		// 14, 15, 16 = 8 elapsed, i.e. 3 working days overdue.
		{"overdue case", at(t, 2026, 9, 30, 10, 0), at(t, 2026, 10, 16, 15, 0), 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := c.WorkingDaysBetween(tt.a, tt.b); got != tt.want {
				t.Errorf("WorkingDaysBetween(%v, %v) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// TestDueAtAgreesWithWorkingDaysBetween checks, for every opening day of
// 2026 and n up to 30, that the last instant before the deadline is exactly n
// working days after opening and falls on a working day.
func TestDueAtAgreesWithWorkingDaysBetween(t *testing.T) {
	t.Parallel()
	c := testCalendar(t)
	for d := (Date{2026, 1, 1}); d.Year == 2026; d = d.AddDays(1) {
		opened := d.In(c.Location()).Add(13 * time.Hour)
		for n := 1; n <= 30; n++ {
			last := c.DueAt(opened, n).Add(-time.Nanosecond)
			if got := c.WorkingDaysBetween(opened, last); got != n {
				t.Fatalf("opened %v, n=%d: %d working days before the deadline", opened, n, got)
			}
			if !c.IsWorkingDay(DateOf(last)) {
				t.Fatalf("opened %v, n=%d: deadline day %v is not a working day", opened, n, DateOf(last))
			}
		}
	}
}

func TestNewRejectsBadEntriesNamingThem(t *testing.T) {
	t.Parallel()
	d := func(y int, m time.Month, day int) Date { return Date{y, m, day} }
	tests := []struct {
		name  string
		years []Year
		want  []string // substrings, all required
	}{
		{
			"holiday outside its year",
			[]Year{{Year: 2026, Holidays: []Holiday{{Name: "元旦", From: d(2025, 12, 31), To: d(2026, 1, 1)}}}},
			[]string{`year 2026: holiday "元旦" (2025-12-31 to 2026-01-01): lies outside 2026`},
		},
		{
			"from after to",
			[]Year{{Year: 2026, Holidays: []Holiday{{Name: "国庆节", From: d(2026, 10, 7), To: d(2026, 10, 1)}}}},
			[]string{`year 2026: holiday "国庆节" (2026-10-07 to 2026-10-01): from is after to`},
		},
		{
			"date both holiday and workday",
			[]Year{{Year: 2026, Holidays: []Holiday{{Name: "国庆节", From: d(2026, 10, 1), To: d(2026, 10, 7)}}, Workdays: []Date{d(2026, 10, 3)}}},
			[]string{`year 2026: workday 2026-10-03: is also part of holiday "国庆节"`},
		},
		{
			"duplicate years",
			[]Year{{Year: 2026}, {Year: 2027}, {Year: 2026}},
			[]string{"year 2026 is given twice"},
		},
		{
			"overlapping holidays",
			[]Year{{Year: 2026, Holidays: []Holiday{
				{Name: "中秋节", From: d(2026, 9, 25), To: d(2026, 10, 1)},
				{Name: "国庆节", From: d(2026, 10, 1), To: d(2026, 10, 7)},
			}}},
			[]string{`holiday "国庆节" (2026-10-01 to 2026-10-07): 2026-10-01 is already part of holiday "中秋节"`},
		},
		{
			"missing name and missing date",
			[]Year{{Year: 2026, Holidays: []Holiday{
				{From: d(2026, 5, 1), To: d(2026, 5, 5)},
				{Name: "劳动节", From: d(2026, 5, 1)},
			}}},
			[]string{`holiday "" (2026-05-01 to 2026-05-05): name is missing`, `holiday "劳动节" (2026-05-01 to 0000-00-00): from and to are both required`},
		},
		{
			"impossible date",
			[]Year{{Year: 2026, Holidays: []Holiday{{Name: "春节", From: d(2026, 2, 15), To: d(2026, 2, 30)}}}},
			[]string{`holiday "春节" (2026-02-15 to 2026-02-30): no such date`},
		},
		{
			"workday problems",
			[]Year{{Year: 2026, Workdays: []Date{d(2026, 9, 22), d(2026, 10, 10), d(2026, 10, 10), d(2027, 1, 2)}}},
			[]string{
				"workday 2026-09-22: is a Tuesday, already a working day",
				"workday 2026-10-10: is listed twice",
				"workday 2027-01-02: lies outside 2026",
			},
		},
		{
			"year out of range",
			[]Year{{Year: 0}},
			[]string{"year 0: year must be between 1 and 9999"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(mustShanghai(t), tt.years...)
			if err == nil {
				t.Fatalf("New = %v, want an error", c)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestNewWithoutYearsIsPlainWeekends(t *testing.T) {
	t.Parallel()
	c, err := New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	// Wed 2026-09-30 → Oct 1, 2 (Thu, Fri) → due Sat 10-03 00:00 UTC.
	if got, want := c.DueAt(time.Date(2026, 9, 30, 10, 0, 0, 0, time.UTC), 2), time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("DueAt = %v, want %v", got, want)
	}
	if _, err := New(nil); err == nil {
		t.Error("New(nil) succeeded")
	}
}
