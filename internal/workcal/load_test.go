package workcal

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const sampleYAML = `
years:
  - year: 2026
    holidays:
      - {name: 国庆节, from: 2026-10-01, to: 2026-10-07}
    workdays: [2026-09-20, 2026-10-10]
  - year: 2027
    holidays:
      - name: 元旦
        from: 2027-01-01
        to: 2027-01-01
`

func TestLoadYAMLReadsSeveralYears(t *testing.T) {
	t.Parallel()
	c, err := LoadYAML(mustShanghai(t), strings.NewReader(sampleYAML))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Years(); !slices.Equal(got, []int{2026, 2027}) {
		t.Errorf("Years() = %v", got)
	}
	for d, want := range map[Date]bool{
		{2026, 10, 1}: false, {2026, 10, 10}: true, {2026, 9, 20}: true, {2027, 1, 1}: false,
	} {
		if got := c.IsWorkingDay(d); got != want {
			t.Errorf("IsWorkingDay(%v) = %v, want %v", d, got, want)
		}
	}
}

func TestLoadYAMLRejectsBadFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"empty", "", []string{"empty calendar file"}},
		{"no years", "years: []\n", []string{"no years"}},
		{"misspelt key", "years:\n  - year: 2026\n    workday: [2026-10-10]\n", []string{"line 3", "workday"}},
		{"impossible date", "years:\n  - year: 2026\n    workdays: [2026-02-30]\n", []string{"line 3", `"2026-02-30"`}},
		{"date that is not a scalar", "years:\n  - year: 2026\n    workdays: [[2026-10-10]]\n", []string{"line 3", "want a date"}},
		{"two documents", sampleYAML + "---\n" + sampleYAML, []string{"more than one YAML document"}},
		{
			"validation names the entry",
			"years:\n  - year: 2026\n    holidays:\n      - {name: 国庆节, from: 2026-10-07, to: 2026-10-01}\n",
			[]string{`year 2026: holiday "国庆节" (2026-10-07 to 2026-10-01): from is after to`},
		},
		{
			"holiday and workday on one date",
			"years:\n  - year: 2026\n    holidays:\n      - {name: 国庆节, from: 2026-10-01, to: 2026-10-07}\n    workdays: [2026-10-04]\n",
			[]string{`workday 2026-10-04: is also part of holiday "国庆节"`},
		},
		{"year twice", "years:\n  - year: 2026\n  - year: 2026\n", []string{"year 2026 is given twice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := LoadYAML(time.UTC, strings.NewReader(tt.yaml))
			if err == nil {
				t.Fatalf("LoadYAML = %v, want an error", c)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadFilesMergesYearsAndNamesTheFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := writeFile(t, dir, "a.yaml", "years:\n  - year: 2026\n    workdays: [2026-10-10]\n")
	b := writeFile(t, dir, "b.yaml", "years:\n  - year: 2027\n    holidays:\n      - {name: 元旦, from: 2027-01-01, to: 2027-01-01}\n")
	dup := writeFile(t, dir, "dup.yaml", "years:\n  - year: 2026\n")
	bad := writeFile(t, dir, "bad.yaml", "years:\n  - year: 2026\n    workdays: [2026-10-12]\n")
	garbled := writeFile(t, dir, "garbled.yaml", "years: {\n")

	c, err := LoadFiles(time.UTC, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Years(); !slices.Equal(got, []int{2026, 2027}) {
		t.Errorf("Years() = %v", got)
	}
	if !c.IsWorkingDay(Date{2026, 10, 10}) || c.IsWorkingDay(Date{2027, 1, 1}) {
		t.Error("a file's dates were not applied")
	}

	tests := []struct {
		name  string
		paths []string
		want  []string
	}{
		{"year in two files", []string{a, dup}, []string{dup + ": year 2026 is already defined in " + a}},
		{"validation error", []string{bad}, []string{bad + ": year 2026: workday 2026-10-12: is a Monday"}},
		{"YAML syntax error", []string{a, garbled}, []string{garbled + ": "}},
		{"missing file", []string{filepath.Join(dir, "nope.yaml")}, []string{"nope.yaml"}},
		{"no files", nil, []string{"no calendar files"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := LoadFiles(time.UTC, tt.paths...)
			if err == nil {
				t.Fatal("LoadFiles succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestEmbedded2026MatchesTheStateCouncilNotice(t *testing.T) {
	t.Parallel()
	c, err := Embedded(mustShanghai(t))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(c.Years(), 2026) {
		t.Fatalf("Years() = %v, want 2026 among them", c.Years())
	}
	holidays := map[string][2]Date{
		"元旦":  {{2026, 1, 1}, {2026, 1, 3}},
		"春节":  {{2026, 2, 15}, {2026, 2, 23}},
		"清明节": {{2026, 4, 4}, {2026, 4, 6}},
		"劳动节": {{2026, 5, 1}, {2026, 5, 5}},
		"端午节": {{2026, 6, 19}, {2026, 6, 21}},
		"中秋节": {{2026, 9, 25}, {2026, 9, 27}},
		"国庆节": {{2026, 10, 1}, {2026, 10, 7}},
	}
	for name, r := range holidays {
		for d := r[0]; !d.After(r[1]); d = d.AddDays(1) {
			if got, ok := c.Holiday(d); !ok || got != name || c.IsWorkingDay(d) {
				t.Errorf("%v: Holiday = %q, %v; want %s and not a working day", d, got, ok, name)
			}
		}
	}
	// Make-up workdays: Sun 01-04, Sat 02-14, Sat 02-28, Sat 05-09,
	// Sun 09-20, Sat 10-10.
	for _, d := range []Date{{2026, 1, 4}, {2026, 2, 14}, {2026, 2, 28}, {2026, 5, 9}, {2026, 9, 20}, {2026, 10, 10}} {
		if !c.IsWorkingDay(d) {
			t.Errorf("%v should be a make-up workday", d)
		}
	}

	// 2026 has 365 days from a Thursday: 52 weeks + one Thursday = 261
	// weekdays. Holidays falling on weekdays: 元旦 2 (Thu, Fri), 春节 6
	// (Feb 16–20, 23), 清明节 1 (Mon), 劳动节 3 (Fri, Mon, Tue), 端午节 1
	// (Fri), 中秋节 1 (Fri), 国庆节 5 (Thu, Fri, Mon–Wed) = 19. Plus 6
	// make-up days: 261 − 19 + 6 = 248.
	if got := c.WorkingDaysBetween(at(t, 2025, 12, 31, 12, 0), at(t, 2026, 12, 31, 12, 0)); got != 248 {
		t.Errorf("working days in 2026 = %d, want 248", got)
	}

	// Opened Wed 09-30 10:00: Oct 1–7 国庆节; Thu 08 = 1, Fri 09 = 2,
	// Sat 10 (make-up) = 3, Sun 11 off, Mon 12 = 4, Tue 13 = 5; due when
	// Wed 10-14 begins.
	if got, want := c.DueAt(at(t, 2026, 9, 30, 10, 0), 5), at(t, 2026, 10, 14, 0, 0); !got.Equal(want) {
		t.Errorf("DueAt = %v, want %v", got, want)
	}
	// Opened Thu 04-30 17:00 with 3 days: 劳动节 May 1–5; Wed 06 = 1,
	// Thu 07 = 2, Fri 08 = 3; due Sat 05-09 00:00 (itself a make-up day,
	// which does not matter: the deadline is the start of that day).
	if got, want := c.DueAt(at(t, 2026, 4, 30, 17, 0), 3), at(t, 2026, 5, 9, 0, 0); !got.Equal(want) {
		t.Errorf("DueAt = %v, want %v", got, want)
	}
}
