package workcal

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"
)

// dateLayout is the only textual form a Date has, in YAML, logs and errors,
// so an operator can copy a date from an error straight into a file.
const dateLayout = "2006-01-02"

// Date is a civil date with no time of day and no time zone. Working days are
// a property of dates, not instants; keeping them apart from time.Time stops a
// UTC instant from silently landing on the wrong local day.
//
// Build one with NewDate, DateOf or ParseDate. A literal such as
// Date{2026, 2, 30} is not normalised; New rejects it and IsValid reports it.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d, normalising out-of-range values the way
// time.Date does (month 13 is January of the next year, day 0 the last day
// of the previous month).
func NewDate(y int, m time.Month, d int) Date {
	return dateOfUTC(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location. Convert first
// (t.In(loc)) to ask which day it is somewhere else.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses "YYYY-MM-DD" with a four-digit year and two-digit month
// and day, rejecting dates that do not exist such as 2026-02-30.
func ParseDate(s string) (Date, error) {
	d, err := parseDate(s)
	if err != nil {
		return Date{}, fmt.Errorf("workcal: %w", err)
	}
	return d, nil
}

func parseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", s)
	}
	return dateOfUTC(t), nil
}

func dateOfUTC(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date, which is what a missing YAML
// field decodes to.
func (d Date) IsZero() bool { return d == Date{} }

// IsValid reports whether d names a day that exists.
func (d Date) IsValid() bool {
	return d.Month >= 1 && d.Month <= 12 && NewDate(d.Year, d.Month, d.Day) == d
}

// utcNoon is the arithmetic form of d: UTC has no DST, so adding days to it
// can never skip or repeat a date.
func (d Date) utcNoon() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
}

// AddDays returns the date n days after d (before d if n is negative).
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utcNoon().Weekday() }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// In returns the instant d begins in loc (local midnight, or the first
// instant of the day where a DST change skips midnight).
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// MarshalText implements encoding.TextMarshaler (JSON, YAML, flags).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// UnmarshalYAML accepts a plain scalar YYYY-MM-DD. YAML would otherwise read
// an unquoted date as a timestamp; taking the node's text avoids any time
// zone creeping in, and the error carries the line number.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a date YYYY-MM-DD", n.Line)
	}
	p, err := parseDate(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = p
	return nil
}
