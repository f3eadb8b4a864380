package feedback

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/wenming/wenming/internal/store"
)

// errNotFound is returned by the SQL helpers when no row matches.
var errNotFound = errors.New("feedback: not found")

type targetRow struct {
	ID           string         `db:"id"`
	Kind         string         `db:"kind"`
	Name         string         `db:"name"`
	ParentID     sql.NullString `db:"parent_id"`
	DepartmentID string         `db:"department_id"`
	Path         string         `db:"path"`
	Active       bool           `db:"active"`
	Form         string         `db:"form"`
	CreateTime   int64          `db:"create_time"`
	UpdateTime   int64          `db:"update_time"`
	PublicCode   sql.NullString `db:"public_code"`
}

func (r targetRow) target() (Target, error) {
	t := Target{
		ID: r.ID, Kind: Kind(r.Kind), Name: r.Name, ParentID: r.ParentID.String,
		DepartmentID: r.DepartmentID, Path: r.Path, Active: r.Active, PublicCode: r.PublicCode.String,
		CreateTime: store.FromMicros(r.CreateTime), UpdateTime: store.FromMicros(r.UpdateTime),
	}
	if r.Form != "" {
		if err := json.Unmarshal([]byte(r.Form), &t.Form); err != nil {
			return Target{}, fmt.Errorf("feedback: target %s form: %w", r.ID, err)
		}
	}
	return t, nil
}

const selectTarget = `SELECT id, kind, name, parent_id, department_id, path, active, form, create_time, update_time,
       public_code
FROM feedback_targets`

func getTarget(ctx context.Context, db store.Queryer, id string) (Target, error) {
	var r targetRow
	err := db.GetContext(ctx, &r, db.Rebind(selectTarget+` WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Target{}, errNotFound
	}
	if err != nil {
		return Target{}, fmt.Errorf("feedback: get target: %w", err)
	}
	return r.target()
}

// getTargets returns the targets with the given ids, by id.
func getTargets(ctx context.Context, db store.Queryer, ids []string) (map[string]Target, error) {
	out := map[string]Target{}
	if len(ids) == 0 {
		return out, nil
	}
	q, args, err := sqlx.In(selectTarget+` WHERE id IN (?)`, ids)
	if err != nil {
		return nil, err
	}
	ts, err := store.SelectAll(ctx, db, targetRow.target, q, args...)
	if err != nil {
		return nil, fmt.Errorf("feedback: get targets: %w", err)
	}
	for _, t := range ts {
		out[t.ID] = t
	}
	return out, nil
}

// TargetFilter narrows ListTargets.
type TargetFilter struct {
	Kind            Kind
	ParentID        string
	DepartmentID    string
	IncludeInactive bool
}

func listTargets(ctx context.Context, db store.Queryer, f TargetFilter, after string, limit int) ([]Target, error) {
	q := selectTarget + ` WHERE 1 = 1`
	var args []any
	if f.Kind != "" {
		q += ` AND kind = ?`
		args = append(args, string(f.Kind))
	}
	if f.ParentID != "" {
		q += ` AND parent_id = ?`
		args = append(args, f.ParentID)
	}
	if f.DepartmentID != "" {
		q += ` AND department_id = ?`
		args = append(args, f.DepartmentID)
	}
	if !f.IncludeInactive {
		q += ` AND active = TRUE`
	}
	q, args = store.PageAsc(q, args, "id", after, limit)
	out, err := store.SelectAll(ctx, db, targetRow.target, q, args...)
	if err != nil {
		return nil, fmt.Errorf("feedback: list targets: %w", err)
	}
	return out, nil
}

func encodeForm(f Form) (string, error) {
	if f.Empty() {
		return "", nil
	}
	b, err := json.Marshal(f)
	return string(b), err
}

func insertTarget(ctx context.Context, tx *store.Tx, t Target) error {
	form, err := encodeForm(t.Form)
	if err != nil {
		return err
	}
	var parent sql.NullString
	if t.ParentID != "" {
		parent = sql.NullString{String: t.ParentID, Valid: true}
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO feedback_targets (id, kind, name, parent_id, department_id, path, active, form, create_time, update_time,
		     public_code)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		t.ID, string(t.Kind), t.Name, parent, t.DepartmentID, t.Path, t.Active, form,
		store.Micros(t.CreateTime), store.Micros(t.UpdateTime), t.PublicCode)
	if err != nil {
		return fmt.Errorf("feedback: insert target: %w", err)
	}
	return nil
}

func updateTargetRow(ctx context.Context, tx *store.Tx, t Target) error {
	form, err := encodeForm(t.Form)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(
		`UPDATE feedback_targets SET name = ?, form = ?, update_time = ? WHERE id = ?`),
		t.Name, form, store.Micros(t.UpdateTime), t.ID)
	if err != nil {
		return fmt.Errorf("feedback: update target: %w", err)
	}
	return nil
}

// deactivateSubtree deactivates the target at path and everything under it.
func deactivateSubtree(ctx context.Context, tx *store.Tx, path string, at int64) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`UPDATE feedback_targets SET active = FALSE, update_time = ? WHERE path LIKE ? AND active = TRUE`),
		at, path+"%")
	if err != nil {
		return fmt.Errorf("feedback: deactivate targets: %w", err)
	}
	return nil
}
