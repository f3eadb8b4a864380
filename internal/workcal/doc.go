// Package workcal is the working-day calendar behind feedback case deadlines
// (差评 cases must be answered within N working days). It knows weekends,
// public holidays and make-up working days (调休), configured per year, and
// turns "within n working days of this instant" into a deadline instant.
//
// # Rules
//
// A date is a working day if it is listed as a make-up workday; otherwise not
// if it falls in a listed holiday; otherwise Monday–Friday are working days
// and Saturday–Sunday are not. Years that are not configured get only the
// weekday rule: the calendar does not guess holidays it was not told about, so
// operators must add each year's schedule (Calendar.Years says which are
// present).
//
// Instants become dates in the calendar's time zone (normally
// Asia/Shanghai), never in UTC: a review submitted at 00:30 Beijing time on a
// Friday belongs to Friday although it is still Thursday in UTC.
//
// Deadlines are exclusive end-of-day instants; see Calendar.DueAt.
//
// # File format
//
// A calendar file is YAML with one top-level key, years, holding one or more
// years. Dates are written YYYY-MM-DD. Holiday ranges are inclusive and are
// copied from the official notice as given; workdays are the weekend dates
// worked instead. For example:
//
//	years:
//	  - year: 2026
//	    holidays:
//	      - {name: 国庆节, from: 2026-10-01, to: 2026-10-07}
//	      - {name: 中秋节, from: 2026-09-25, to: 2026-09-27}
//	    workdays: [2026-09-20, 2026-10-10]
//
// Every date of a year's entry must lie in that year; a break that crosses
// New Year's Day is split into two holidays, one under each year (a year may
// be listed with only that fragment). Unknown keys, a file with no years, a
// year given twice (in one file or across files), From after To, impossible
// dates, overlapping holidays, a date that is both holiday and workday, and a
// workday that is not a Saturday or Sunday are all errors, reported together
// and naming the entry.
//
// China's schedule is embedded for the years published so far
// (calendars/cn-YYYY.yaml); load it with Embedded, or load operator files
// with LoadFiles.
package workcal
