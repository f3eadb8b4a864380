package feedback

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/tabular"
)

// maxExportRows bounds an export over the API; the CLI has no limit.
const maxExportRows = 20000

var ratingHeader = []string{"rating_id", "create_time", "day", "target_id", "target_name", "department_id",
	"level", "level_label", "dimensions", "tags", "comment", "channel", "has_contact", "excluded"}

// ExportRatings writes the ratings of period p (of targetID's subtree when
// set) to w (CSV or XLSX, which defuses formula-like text), oldest first,
// without contacts; the caller closes w. limit 0 means no limit; it
// reports the rows written and whether the limit cut the export short.
func (s *Service) ExportRatings(ctx context.Context, w tabular.Writer, p Period, targetID string, limit int) (int, bool, error) {
	q := `SELECT r.id, r.target_id, r.department_id, r.level, r.dimensions, r.tags, r.comment, r.channel,
	             r.contact, r.day, r.excluded, r.create_time, t.name
	      FROM feedback_ratings r JOIN feedback_targets t ON t.id = r.target_id
	      WHERE r.day >= ? AND r.day <= ?`
	args := []any{dateKey(p.From), dateKey(p.To)}
	if targetID != "" {
		t, err := s.GetTarget(ctx, s.db.R, targetID)
		if err != nil {
			return 0, false, err
		}
		q += ` AND t.path LIKE ?`
		args = append(args, t.Path+"%")
	}
	q += ` ORDER BY r.create_time, r.id`
	if err := w.Write(strs(ratingHeader)...); err != nil {
		return 0, false, err
	}
	n, truncated, err := scanLimited(ctx, s.db.R, q, args, limit, func(rows *sql.Rows) error {
		var r ratingRow
		var name string
		if err := rows.Scan(&r.ID, &r.TargetID, &r.DepartmentID, &r.Level, &r.Dimensions, &r.Tags, &r.Comment,
			&r.Channel, &r.Contact, &r.Day, &r.Excluded, &r.CreateTime, &name); err != nil {
			return err
		}
		rt, err := r.rating()
		if err != nil {
			return err
		}
		var dims []string
		for _, d := range rt.Dimensions {
			dims = append(dims, fmt.Sprintf("%s=%d", d.Key, d.Level))
		}
		return w.Write(
			rt.ID, rt.CreateTime.In(s.loc).Format(time.RFC3339), fmt.Sprint(rt.Day), rt.TargetID, name,
			rt.DepartmentID, rt.Level, levelLabels[rt.Level-1], strings.Join(dims, ";"),
			strings.Join(rt.Tags, ";"), rt.Comment, string(rt.Channel),
			len(rt.Contact) > 0, rt.Excluded,
		)
	})
	return n, truncated, err
}

func strs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// scanLimited runs q and calls each for up to limit rows (all when 0),
// reporting how many it saw and whether more were left.
func scanLimited(ctx context.Context, db store.Queryer, q string, args []any, limit int, each func(*sql.Rows) error) (int, bool, error) {
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit+1)
	}
	rows, err := db.QueryContext(ctx, db.Rebind(q), args...)
	if err != nil {
		return 0, false, fmt.Errorf("feedback: export: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if limit > 0 && n == limit {
			return n, true, nil
		}
		if err := each(rows); err != nil {
			return n, false, fmt.Errorf("feedback: export: %w", err)
		}
		n++
	}
	return n, false, rows.Err()
}

var caseHeader = []string{"case_id", "rating_id", "target_id", "target_name", "department_id", "state", "level",
	"comment", "open_time", "due_time", "close_time", "verdict", "overdue", "handover_department_id"}

// ExportCases writes the cases opened in period p (of dept when set) to w,
// newest first, without contacts; the caller closes w.
func (s *Service) ExportCases(ctx context.Context, w tabular.Writer, p Period, dept string, limit int) (int, bool, error) {
	from, to := p.Bounds(s.loc)
	fetch := limit
	if limit > 0 {
		fetch = limit + 1
	}
	cases, err := listCases(ctx, s.db.R, caseFilter{DepartmentID: dept, OpenFrom: store.Micros(from), OpenTo: store.Micros(to)}, "", fetch)
	if err != nil {
		return 0, false, err
	}
	truncated := limit > 0 && len(cases) > limit
	if truncated {
		cases = cases[:limit]
	}
	if err := w.Write(strs(caseHeader)...); err != nil {
		return 0, false, err
	}
	now := s.now()
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(s.loc).Format(time.RFC3339)
	}
	for _, c := range cases {
		if err := w.Write(
			c.ID, c.RatingID, c.TargetID, c.TargetName, c.DepartmentID, string(c.State),
			c.Rating.Level, c.Rating.Comment, stamp(c.OpenTime), stamp(c.DueTime),
			stamp(c.CloseTime), string(c.Verdict), c.Overdue(now), c.HandoverTo,
		); err != nil {
			return 0, false, err
		}
	}
	return len(cases), truncated, nil
}
