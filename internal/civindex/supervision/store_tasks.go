package supervision

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wenming/wenming/internal/store"
)

type taskRow struct {
	ID                  string        `db:"id"`
	RoundID             string        `db:"round_id"`
	SiteID              string        `db:"site_id"`
	Unit                string        `db:"unit"`
	ItemID              string        `db:"item_id"`
	DimensionID         string        `db:"dimension_id"`
	Points              float64       `db:"points"`
	MaxPoints           float64       `db:"max_points"`
	Threshold           float64       `db:"threshold"`
	State               string        `db:"state"`
	OpenTime            int64         `db:"open_time"`
	DueTime             int64         `db:"due_time"`
	ReportTime          sql.NullInt64 `db:"report_time"`
	ReportNote          string        `db:"report_note"`
	CloseTime           sql.NullInt64 `db:"close_time"`
	ClosingInspectionID string        `db:"closing_inspection_id"`
}

func (r taskRow) task() (Task, error) {
	t := Task{
		ID: r.ID, RoundID: r.RoundID, SiteID: r.SiteID, Unit: r.Unit, ItemID: r.ItemID, DimensionID: r.DimensionID,
		Points: r.Points, MaxPoints: r.MaxPoints, Threshold: r.Threshold, State: r.State,
		OpenTime: store.FromMicros(r.OpenTime), DueTime: store.FromMicros(r.DueTime), ReportNote: r.ReportNote,
		ClosingInspectionID: r.ClosingInspectionID,
	}
	if r.ReportTime.Valid {
		t.ReportTime = store.FromMicros(r.ReportTime.Int64)
	}
	if r.CloseTime.Valid {
		t.CloseTime = store.FromMicros(r.CloseTime.Int64)
	}
	return t, nil
}

const selectTask = `SELECT id, round_id, site_id, unit, item_id, dimension_id, points, max_points, threshold, state,
       open_time, due_time, report_time, report_note, close_time, closing_inspection_id FROM civ_rect_tasks`

// insertTasks stores new tasks; a shortfall that already has a task (a
// round closed again after a reopening, should that ever exist) keeps it.
func insertTasks(ctx context.Context, tx *store.Tx, tasks []Task, at time.Time) error {
	for _, t := range tasks {
		_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO civ_rect_tasks (id, round_id, site_id, unit, item_id,
			     dimension_id, points, max_points, threshold, state, open_time, due_time, report_note,
			     closing_inspection_id, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', ?)
			 ON CONFLICT (round_id, site_id, item_id) DO NOTHING`),
			t.ID, t.RoundID, t.SiteID, t.Unit, t.ItemID, t.DimensionID, t.Points, t.MaxPoints, t.Threshold, t.State,
			store.Micros(t.OpenTime), store.Micros(t.DueTime), store.Micros(at))
		if err != nil {
			return fmt.Errorf("supervision: insert task: %w", err)
		}
	}
	return nil
}

// pendingTasks are a site's tasks not closed, from rounds other than
// roundID, opened no later than before.
func pendingTasks(ctx context.Context, q store.Queryer, siteID, roundID string, before time.Time) ([]Task, error) {
	out, err := store.SelectAll(ctx, q, taskRow.task, selectTask+` WHERE site_id = ? AND state <> ? AND round_id <> ?
		 AND open_time <= ? ORDER BY id`, siteID, TaskClosed, roundID, store.Micros(before))
	if err != nil {
		return nil, fmt.Errorf("supervision: pending tasks: %w", err)
	}
	return out, nil
}

func closeTask(ctx context.Context, tx *store.Tx, id, inspectionID string, at time.Time) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE civ_rect_tasks SET state = ?, close_time = ?, closing_inspection_id = ?,
		     update_time = ? WHERE id = ?`), TaskClosed, store.Micros(at), inspectionID, store.Micros(at), id)
	if err != nil {
		return fmt.Errorf("supervision: close task: %w", err)
	}
	return nil
}

func reportTask(ctx context.Context, tx *store.Tx, t Task) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE civ_rect_tasks SET state = ?, report_time = ?, report_note = ?,
		     update_time = ? WHERE id = ?`), t.State, store.Micros(t.ReportTime), t.ReportNote, store.Micros(t.ReportTime), t.ID)
	if err != nil {
		return fmt.Errorf("supervision: report task: %w", err)
	}
	return nil
}

func getTask(ctx context.Context, q store.Queryer, id, suffix string) (Task, error) {
	var r taskRow
	err := q.GetContext(ctx, &r, q.Rebind(selectTask+` WHERE id = ?`+suffix), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Task{}, errNotFound
	}
	if err != nil {
		return Task{}, fmt.Errorf("supervision: get task: %w", err)
	}
	return r.task()
}

func listTasks(ctx context.Context, q store.Queryer, f TaskFilter, now time.Time, after string, limit int) ([]Task, error) {
	query, args := selectTask+` WHERE 1 = 1`, []any{}
	if f.Unit != "" {
		query += ` AND unit = ?`
		args = append(args, f.Unit)
	}
	if f.State != "" {
		query += ` AND state = ?`
		args = append(args, f.State)
	}
	if f.RoundID != "" {
		query += ` AND round_id = ?`
		args = append(args, f.RoundID)
	}
	if f.OverdueOnly {
		query += ` AND state <> ? AND due_time < ?`
		args = append(args, TaskClosed, store.Micros(now))
	}
	query, args = store.PageDesc(query, args, "id", after, limit)
	out, err := store.SelectAll(ctx, q, taskRow.task, query, args...)
	if err != nil {
		return nil, fmt.Errorf("supervision: list tasks: %w", err)
	}
	return out, nil
}

// taskSummary counts tasks per unit at now; from and to, when set, keep
// the tasks found by rounds that start in [from, to).
func taskSummary(ctx context.Context, q store.Queryer, unit string, now, from, to time.Time) ([]UnitTasks, error) {
	query := `SELECT unit, COUNT(*) AS total,
	       SUM(CASE WHEN state = 'OPEN' THEN 1 ELSE 0 END) AS open,
	       SUM(CASE WHEN state = 'REPORTED' THEN 1 ELSE 0 END) AS reported,
	       SUM(CASE WHEN state = 'CLOSED' THEN 1 ELSE 0 END) AS closed,
	       SUM(CASE WHEN state = 'CLOSED' AND close_time <= due_time THEN 1 ELSE 0 END) AS in_time,
	       SUM(CASE WHEN state <> 'CLOSED' AND due_time < ? THEN 1 ELSE 0 END) AS overdue
	  FROM civ_rect_tasks WHERE 1 = 1`
	args := []any{store.Micros(now)}
	if unit != "" {
		query += ` AND unit = ?`
		args = append(args, unit)
	}
	if !from.IsZero() {
		query += ` AND round_id IN (SELECT id FROM civ_rounds WHERE start_time >= ? AND start_time < ?)`
		args = append(args, store.Micros(from), store.Micros(to))
	}
	var rows []struct {
		Unit     string `db:"unit"`
		Total    int    `db:"total"`
		Open     int    `db:"open"`
		Reported int    `db:"reported"`
		Closed   int    `db:"closed"`
		InTime   int    `db:"in_time"`
		Overdue  int    `db:"overdue"`
	}
	if err := q.SelectContext(ctx, &rows, q.Rebind(query+` GROUP BY unit ORDER BY unit`), args...); err != nil {
		return nil, fmt.Errorf("supervision: task summary: %w", err)
	}
	out := make([]UnitTasks, len(rows))
	for i, r := range rows {
		out[i] = UnitTasks{Unit: r.Unit, Total: r.Total, Open: r.Open, Reported: r.Reported, Closed: r.Closed,
			ClosedInTime: r.InTime, Overdue: r.Overdue}
	}
	return out, nil
}
