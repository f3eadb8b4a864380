package workcal

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Year is the published schedule for one calendar year. Every date in it,
// holiday ranges included, must lie inside Year: a break that spans New
// Year's Day is split, each part listed under its own year, so that no two
// years can disagree about a date.
type Year struct {
	Year     int       `yaml:"year"`
	Holidays []Holiday `yaml:"holidays"`
	// Workdays are make-up working days (调休上班): weekend dates worked in
	// exchange for a longer holiday.
	Workdays []Date `yaml:"workdays"`
}

// Holiday is a named public-holiday break, From and To inclusive, as the
// official notice states it (国庆节 2026-10-01 to 2026-10-07). Weekend days
// inside the range are simply days off either way.
type Holiday struct {
	Name string `yaml:"name"`
	From Date   `yaml:"from"`
	To   Date   `yaml:"to"`
}

// Calendar answers which dates are working days in one time zone and counts
// working-day deadlines. It is immutable after New, so one value may be
// shared by every goroutine.
type Calendar struct {
	loc      *time.Location
	holidays map[Date]string // date → holiday name
	workdays map[Date]struct{}
	years    []int // configured years, ascending
}

// New builds a calendar for loc from the given years. It checks every entry
// and reports all problems at once (errors.Join), each naming its year and
// entry: an impossible or missing date, From after To, a date outside its
// year, overlapping holidays, a date that is both holiday and workday, a
// workday that is not a Saturday or Sunday (it would change nothing, so it is
// almost certainly a typo), and a year given twice.
//
// Years not given fall back to plain weekends: Monday–Friday work,
// Saturday–Sunday off. Years lets a caller warn when a date it cares about is
// not covered.
func New(loc *time.Location, years ...Year) (*Calendar, error) {
	return build(loc, years, nil)
}

// build is New with an origin per year (a file name) prefixed to its errors.
func build(loc *time.Location, years []Year, origin []string) (*Calendar, error) {
	if loc == nil {
		return nil, errors.New("workcal: nil time zone")
	}
	c := &Calendar{
		loc:      loc,
		holidays: make(map[Date]string),
		workdays: make(map[Date]struct{}),
	}
	var errs []error
	seen := make(map[int]string) // year → where it was defined
	for i, y := range years {
		where := ""
		if origin != nil {
			where = origin[i]
		}
		if prev, dup := seen[y.Year]; dup {
			if where == "" {
				errs = append(errs, fmt.Errorf("workcal: year %d is given twice", y.Year))
			} else {
				errs = append(errs, fmt.Errorf("workcal: %s: year %d is already defined in %s", where, y.Year, prev))
			}
			continue
		}
		seen[y.Year] = where
		prefix := "workcal: "
		if where != "" {
			prefix += where + ": "
		}
		for _, err := range c.addYear(y) {
			errs = append(errs, fmt.Errorf("%syear %d: %w", prefix, y.Year, err))
		}
		c.years = append(c.years, y.Year)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.Sort(c.years)
	return c, nil
}

// addYear records y's dates in c and returns every problem found.
func (c *Calendar) addYear(y Year) []error {
	var errs []error
	if y.Year < 1 || y.Year > 9999 {
		return []error{errors.New("year must be between 1 and 9999")}
	}
	inYear := func(d Date) bool { return d.Year == y.Year }
	for _, h := range y.Holidays {
		what := fmt.Sprintf("holiday %q (%s to %s)", h.Name, h.From, h.To)
		switch {
		case h.Name == "":
			errs = append(errs, fmt.Errorf("%s: name is missing", what))
			continue
		case h.From.IsZero() || h.To.IsZero():
			errs = append(errs, fmt.Errorf("%s: from and to are both required", what))
			continue
		case !h.From.IsValid() || !h.To.IsValid():
			errs = append(errs, fmt.Errorf("%s: no such date", what))
			continue
		case h.From.After(h.To):
			errs = append(errs, fmt.Errorf("%s: from is after to", what))
			continue
		case !inYear(h.From) || !inYear(h.To):
			errs = append(errs, fmt.Errorf("%s: lies outside %d; list each year's days under that year", what, y.Year))
			continue
		}
		// The range is inside one year, so this loop is short.
		for d := h.From; !d.After(h.To); d = d.AddDays(1) {
			if other, ok := c.holidays[d]; ok {
				errs = append(errs, fmt.Errorf("%s: %s is already part of holiday %q", what, d, other))
				continue
			}
			c.holidays[d] = h.Name
		}
	}
	for _, d := range y.Workdays {
		what := fmt.Sprintf("workday %s", d)
		switch {
		case d.IsZero() || !d.IsValid():
			errs = append(errs, fmt.Errorf("%s: no such date", what))
			continue
		case !inYear(d):
			errs = append(errs, fmt.Errorf("%s: lies outside %d", what, y.Year))
			continue
		}
		if name, ok := c.holidays[d]; ok {
			errs = append(errs, fmt.Errorf("%s: is also part of holiday %q", what, name))
			continue
		}
		if _, ok := c.workdays[d]; ok {
			errs = append(errs, fmt.Errorf("%s: is listed twice", what))
			continue
		}
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			errs = append(errs, fmt.Errorf("%s: is a %s, already a working day; make-up workdays fall on a weekend", what, wd))
			continue
		}
		c.workdays[d] = struct{}{}
	}
	return errs
}

// Location returns the time zone in which instants are turned into dates.
func (c *Calendar) Location() *time.Location { return c.loc }

// Years returns the configured years in ascending order.
func (c *Calendar) Years() []int { return slices.Clone(c.years) }

// Holiday returns the name of the holiday d belongs to, if any.
func (c *Calendar) Holiday(d Date) (name string, ok bool) {
	name, ok = c.holidays[NewDate(d.Year, d.Month, d.Day)]
	return name, ok
}

// IsWorkingDay reports whether d is a working day: a listed make-up workday
// is; otherwise a holiday date is not; otherwise Monday–Friday are and
// Saturday–Sunday are not. The same weekday rule is all there is for years
// the calendar was not configured with.
func (c *Calendar) IsWorkingDay(d Date) bool {
	d = NewDate(d.Year, d.Month, d.Day)
	if _, ok := c.workdays[d]; ok {
		return true
	}
	if _, ok := c.holidays[d]; ok {
		return false
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// DueAt returns the deadline for something opened at opened that must be done
// "within n working days" (n个工作日内). The opening day never counts, even
// if it is a working day and the case came in at 08:00: counting starts on
// the local date after opened (in c's time zone, whatever zone opened is in),
// and the deadline is the instant the day after the n-th working day begins.
// The deadline is exclusive: work is late iff it is done at or after the
// returned time, so the whole n-th working day is still in time. For n <= 0
// the deadline is the end of the opening day.
//
// Example (Asia/Shanghai, 2026 calendar): opened Wed 2026-09-30 10:00 with
// n = 5. Oct 1–7 are 国庆节 and skipped; Thu Oct 8 is working day 1, Fri Oct 9
// is 2, Sat Oct 10 is a make-up workday and is 3, Sun Oct 11 is off, Mon Oct 12
// is 4, Tue Oct 13 is 5. The deadline is 2026-10-14 00:00 +08:00.
//
// The result is in c's location.
func (c *Calendar) DueAt(opened time.Time, n int) time.Time {
	d := DateOf(opened.In(c.loc))
	for counted := 0; counted < n; {
		d = d.AddDays(1)
		if c.IsWorkingDay(d) {
			counted++
		}
	}
	return d.AddDays(1).In(c.loc)
}

// WorkingDaysBetween returns how many working dates d satisfy
// date(a) < d <= date(b), dates taken in c's location; 0 if b is not on a
// later date than a. It counts the same way as DueAt, so a case opened at
// opened with n working days to answer is, at now,
// WorkingDaysBetween(opened, now) - n working days overdue when that is
// positive; a case whose deadline passed on a Saturday is late but not yet
// overdue by a working day.
func (c *Calendar) WorkingDaysBetween(a, b time.Time) int {
	from := DateOf(a.In(c.loc))
	to := DateOf(b.In(c.loc))
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}
