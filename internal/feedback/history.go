package feedback

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// A history file is last year's ratings from the system wenming replaces,
// as CSV text (tabular.Decode turns XLSX and GBK into it). A header names
// the columns, in any order:
//
//		source_id,time,target,level,dimensions,tags,comment,channel
//		old-000001,2025-03-04 09:15,市政务服务局/综合受理窗口,5,attitude=5;efficiency=4,,很好,KIOSK
//
//	  - source_id (required): the row's id in the old system; a row whose id
//	    was imported before is skipped, so a file can be imported again.
//	  - time (required): RFC 3339, or a local date and time in the import's
//	    time zone (2025-03-04 09:15[:05], 2025/3/4 9:15, or a date alone
//	    for midnight); not in the future.
//	  - target (required): a target id, its public code (/f/{code}), or the
//	    path of names from the root department ("市政务服务局/综合受理窗口").
//	  - level (required): 1–5.
//	  - dimensions ("key=level;…"), tags (";"-separated), comment, channel
//	    (KIOSK, WEB or QR; default WEB): optional, checked as SubmitRating
//	    checks them, against the target's form.
var historyColumns = []string{"source_id", "time", "target", "level", "dimensions", "tags", "comment", "channel"}

// HistoryRow is one parsed row of a history file.
type HistoryRow struct {
	Line     int
	SourceID string
	Time     time.Time
	Target   string
	In       RatingInput
}

// maxHistoryRows bounds one file (about a year of a busy city's halls).
const maxHistoryRows = 2_000_000

// maxSourceIDLen bounds a source id.
const maxSourceIDLen = 128

// ParseHistory reads a history file, recording every problem in v (under
// "file", with its line) and returning the rows only when there is none.
// Times without a zone are read in loc.
func ParseHistory(r io.Reader, loc *time.Location, v *apierr.Violations) []HistoryRow {
	before := v.Len()
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		v.Add("file", "is empty; want a header line and one line per rating")
		return nil
	}
	if err != nil {
		v.Add("file", "is not CSV: %v", err)
		return nil
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		known := false
		for _, c := range historyColumns {
			known = known || c == h
		}
		if !known {
			v.Add("file", "line 1: unknown column %q; want %s", h, strings.Join(historyColumns, ", "))
			continue
		}
		col[h] = i
	}
	for _, c := range historyColumns[:4] {
		if _, ok := col[c]; !ok {
			v.Add("file", "line 1: the header has no %q column", c)
		}
	}
	if v.Len() > before {
		return nil
	}
	var out []HistoryRow
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			v.Add("file", "%v", err)
			break
		}
		line, _ := cr.FieldPos(0)
		if len(out) >= maxHistoryRows {
			v.Add("file", "has more than %d ratings; split it", maxHistoryRows)
			break
		}
		if v.Len()-before >= 100 {
			v.Add("file", "more problems after line %d are not listed", line)
			break
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row, lv := parseHistoryRow(get, loc)
		row.Line = line
		if first, ok := seen[row.SourceID]; ok && row.SourceID != "" {
			lv.Add("source_id", "%q is also on line %d", row.SourceID, first)
		}
		seen[row.SourceID] = line
		for _, msg := range lv.Lines() {
			v.Add("file", "line %d: %s", line, msg)
		}
		out = append(out, row)
	}
	if v.Len() > before {
		return nil
	}
	if len(out) == 0 {
		v.Add("file", "lists no ratings")
	}
	return out
}

func parseHistoryRow(get func(string) string, loc *time.Location) (HistoryRow, apierr.Violations) {
	var lv apierr.Violations
	row := HistoryRow{SourceID: get("source_id"), Target: get("target")}
	lv.RequiredText("source_id", row.SourceID, maxSourceIDLen)
	lv.RequiredText("target", row.Target, 400)
	if t, ok := parseHistoryTime(get("time"), loc); ok {
		row.Time = t
	} else {
		lv.Add("time", "%q is not a time; want 2025-03-04 09:15[:05], 2025/3/4 9:15, 2025-03-04 or RFC 3339", get("time"))
	}
	in := RatingInput{TargetID: "-", Comment: get("comment"), Channel: Channel(strings.ToUpper(get("channel")))}
	if l, err := strconv.Atoi(get("level")); err == nil {
		in.Level = l
	} else {
		lv.Add("level", "%q is not a number 1 to 5", get("level"))
		in.Level = 1 // reported; keep Validate quiet
	}
	if s := get("dimensions"); s != "" {
		for _, part := range strings.Split(s, ";") {
			k, l, ok := strings.Cut(strings.TrimSpace(part), "=")
			n, err := strconv.Atoi(strings.TrimSpace(l))
			if !ok || err != nil {
				lv.Add("dimensions", "%q is not key=level", part)
				continue
			}
			in.Dimensions = append(in.Dimensions, DimLevel{Key: k, Level: n})
		}
	}
	if s := get("tags"); s != "" {
		in.Tags = strings.Split(s, ";")
	}
	in.Normalize()
	in.Validate(&lv)
	row.In = in
	return row, lv
}

var historyLayouts = []string{
	"2006-1-2 15:04:05", "2006-1-2 15:04", "2006/1/2 15:04:05", "2006/1/2 15:04",
	"2006-1-2T15:04:05", "2006-1-2T15:04", "2006-1-2", "2006/1/2",
}

func parseHistoryTime(s string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	for _, l := range historyLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// HistoryOptions tune ImportHistory.
type HistoryOptions struct {
	// OpenCases opens a case for each imported bad review whose deadline,
	// counted from its own time, has not yet passed. Off by default: see
	// ImportHistory.
	OpenCases bool
	// Progress, when set, is told how many rows each batch handled.
	Progress func(n int)
}

// HistoryResult counts what ImportHistory did.
type HistoryResult struct {
	Added, Skipped, Cases int
}

// historyBatch is how many rows share one transaction: an import that
// stops half way keeps its finished batches, and a second run skips them.
const historyBatch = 500

// ImportHistory checks every row (target, form, time) and only then writes
// them, in batches: each rating is stored at its own time and counted in
// the daily and monthly aggregates of its local day like a live one, and
// rows whose source_id was imported before are skipped.
//
// Imported bad reviews open no case unless o.OpenCases is set, and then
// only while still within their deadline: the old system handled (or
// failed to handle) last year's, and a case opened today for a review
// whose deadline passed months ago would be overdue at once and charge a
// department in the accountability report for something wenming never
// gave it. Statistics (bad-review rate included) count every imported
// rating either way.
func (s *Service) ImportHistory(ctx context.Context, rows []HistoryRow, o HistoryOptions) (HistoryResult, error) {
	var res HistoryResult
	targets, err := s.targetResolver(ctx)
	if err != nil {
		return res, err
	}
	forms := map[string]Form{}
	var v apierr.Violations
	now := s.now()
	for i := range rows {
		r := &rows[i]
		t, msg := targets.resolve(r.Target)
		if msg != "" {
			v.Add("file", "line %d: target: %s", r.Line, msg)
			continue
		}
		f, ok := forms[t.ID]
		if !ok {
			if f, err = s.FormFor(ctx, s.db.R, t); err != nil {
				return res, err
			}
			forms[t.ID] = f
		}
		var lv apierr.Violations
		r.In.CheckForm(&lv, f)
		if r.Time.After(now) {
			lv.Add("time", "%s is in the future", r.Time.Format(time.RFC3339))
		}
		for _, m := range lv.Lines() {
			v.Add("file", "line %d: %s", r.Line, m)
		}
		r.In.TargetID = t.ID
		if v.Len() >= 100 {
			v.Add("file", "more problems after line %d are not listed", r.Line)
			break
		}
	}
	if err := v.Err(); err != nil {
		return res, err
	}
	for start := 0; start < len(rows); start += historyBatch {
		batch := rows[start:min(len(rows), start+historyBatch)]
		var b HistoryResult
		err := s.db.WithTx(ctx, func(tx *store.Tx) error {
			var err error
			b, err = s.importHistoryBatch(ctx, tx, batch, targets, o.OpenCases, now)
			return err
		})
		if err != nil {
			return res, err
		}
		res.Added += b.Added
		res.Skipped += b.Skipped
		res.Cases += b.Cases
		if o.Progress != nil {
			o.Progress(len(batch))
		}
	}
	return res, nil
}

func (s *Service) importHistoryBatch(ctx context.Context, tx *store.Tx, batch []HistoryRow, targets *targetResolver,
	openCases bool, now time.Time) (HistoryResult, error) {
	var res HistoryResult
	ids := make([]any, len(batch))
	for i, r := range batch {
		ids[i] = r.SourceID
	}
	// The placeholders are counted, not taken from the input.
	q := `SELECT source_id FROM feedback_rating_sources WHERE source_id IN (?` + strings.Repeat(", ?", len(ids)-1) + `)`
	var done []string
	if err := tx.SelectContext(ctx, &done, tx.Rebind(q), ids...); err != nil {
		return res, fmt.Errorf("feedback: import history: %w", err)
	}
	skip := map[string]bool{}
	for _, id := range done {
		skip[id] = true
	}
	var jobs []*ratingJob
	var sources [][]any
	for _, row := range batch {
		if skip[row.SourceID] {
			res.Skipped++
			continue
		}
		j, err := s.prepare(row.In)
		if err != nil {
			return res, err
		}
		t := targets.byID[row.In.TargetID]
		at := store.Stamp(row.Time)
		j.r.TargetID, j.r.DepartmentID = t.ID, t.DepartmentID
		j.r.CreateTime, j.r.Day = at, dayKey(at, s.loc)
		jobs = append(jobs, j)
		sources = append(sources, []any{row.SourceID, j.r.ID, store.Micros(now)})
	}
	if len(jobs) == 0 {
		return res, nil
	}
	rs, stmts := ratingInserts(jobs)
	stmts = append(stmts, store.InsertStmts("feedback_rating_sources", []string{"source_id", "rating_id", "import_time"}, sources)...)
	if err := (ratingTotals{}).add(ctx, tx, rs, stmts...); err != nil {
		return res, fmt.Errorf("feedback: import history: %w", err)
	}
	res.Added = len(jobs)
	if !openCases {
		return res, nil
	}
	for _, j := range jobs {
		if j.r.Level > badLevel || !s.cal.DueAt(j.r.CreateTime, s.dueDays).After(now) {
			continue
		}
		if _, err := s.openCase(ctx, tx, j.r, targets.byID[j.r.TargetID]); err != nil {
			return res, err
		}
		res.Cases++
	}
	return res, nil
}

// targetResolver finds a history row's target by id, public code or path
// of names.
type targetResolver struct {
	byID   map[string]Target
	byCode map[string]Target
	byPath map[string][]Target
}

func (s *Service) targetResolver(ctx context.Context) (*targetResolver, error) {
	tr := &targetResolver{byID: map[string]Target{}, byCode: map[string]Target{}, byPath: map[string][]Target{}}
	all, err := listTargets(ctx, s.db.R, TargetFilter{IncludeInactive: true}, "", 0)
	if err != nil {
		return nil, err
	}
	for _, t := range all {
		tr.byID[t.ID] = t
		if t.PublicCode != "" {
			tr.byCode[t.PublicCode] = t
		}
	}
	for _, t := range tr.byID {
		var names []string
		for _, id := range strings.Split(strings.Trim(t.Path, "/"), "/") {
			names = append(names, tr.byID[id].Name)
		}
		p := strings.Join(names, "/")
		tr.byPath[p] = append(tr.byPath[p], t)
	}
	return tr, nil
}

// resolve returns the target s names, or why it cannot.
func (tr *targetResolver) resolve(s string) (Target, string) {
	if t, ok := tr.byID[s]; ok {
		return t, ""
	}
	if t, ok := tr.byCode[s]; ok {
		return t, ""
	}
	p := strings.Trim(strings.ReplaceAll(s, " / ", "/"), "/")
	switch ts := tr.byPath[p]; len(ts) {
	case 1:
		return ts[0], ""
	case 0:
		return Target{}, fmt.Sprintf("%q is no target id, public code or path of names (like 市政务服务局/综合受理窗口)", s)
	default:
		return Target{}, fmt.Sprintf("the path %q names %d targets; use an id", s, len(ts))
	}
}
