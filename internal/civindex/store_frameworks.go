package civindex

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/wenming/wenming/internal/store"
)

// errNotFound is returned by the SQL helpers when no row matches.
var errNotFound = errors.New("civindex: not found")

type frameworkRow struct {
	ID          string        `db:"id"`
	Version     int           `db:"version"`
	State       string        `db:"state"`
	Content     string        `db:"content"`
	CreateTime  int64         `db:"create_time"`
	UpdateTime  int64         `db:"update_time"`
	PublishTime sql.NullInt64 `db:"publish_time"`
}

func (r frameworkRow) framework() (Framework, error) {
	f := Framework{
		ID: r.ID, Version: r.Version, State: frameworkState(r.State),
		CreateTime: store.FromMicros(r.CreateTime), UpdateTime: store.FromMicros(r.UpdateTime),
	}
	if r.PublishTime.Valid {
		f.PublishTime = store.FromMicros(r.PublishTime.Int64)
	}
	if err := json.Unmarshal([]byte(r.Content), &f.Content); err != nil {
		return Framework{}, fmt.Errorf("civindex: framework %s v%d content: %w", r.ID, r.Version, err)
	}
	return f, nil
}

const selectFramework = `SELECT id, version, state, content, create_time, update_time, publish_time FROM civ_frameworks`

// getFramework returns the given version, or the newest when version is 0.
func getFramework(ctx context.Context, db store.Queryer, id string, version int) (Framework, error) {
	var r frameworkRow
	var err error
	if version == 0 {
		err = db.GetContext(ctx, &r, db.Rebind(selectFramework+` WHERE id = ? ORDER BY version DESC LIMIT 1`), id)
	} else {
		err = db.GetContext(ctx, &r, db.Rebind(selectFramework+` WHERE id = ? AND version = ?`), id, version)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return Framework{}, errNotFound
	}
	if err != nil {
		return Framework{}, fmt.Errorf("civindex: get framework: %w", err)
	}
	return r.framework()
}

// listFrameworks returns the newest version of each framework, by id
// descending, after the given id.
func listFrameworks(ctx context.Context, db store.Queryer, after string, limit int) ([]Framework, error) {
	q := selectFramework + ` f WHERE version = (SELECT MAX(version) FROM civ_frameworks g WHERE g.id = f.id)`
	q, args := store.PageDesc(q, nil, "id", after, limit)
	out, err := store.SelectAll(ctx, db, frameworkRow.framework, q, args...)
	if err != nil {
		return nil, fmt.Errorf("civindex: list frameworks: %w", err)
	}
	return out, nil
}

func insertFramework(ctx context.Context, tx *store.Tx, f Framework) error {
	content, err := json.Marshal(f.Content)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO civ_frameworks (id, version, state, name, content, create_time, update_time, publish_time)
		 VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`),
		f.ID, f.Version, string(f.State), f.Name, string(content), store.Micros(f.CreateTime), store.Micros(f.UpdateTime))
	if err != nil {
		return fmt.Errorf("civindex: insert framework: %w", err)
	}
	return nil
}

// updateDraft rewrites a draft version; a published one is never touched.
func updateDraft(ctx context.Context, tx *store.Tx, f Framework) error {
	content, err := json.Marshal(f.Content)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(
		`UPDATE civ_frameworks SET name = ?, content = ?, update_time = ?
		 WHERE id = ? AND version = ? AND state = ?`),
		f.Name, string(content), store.Micros(f.UpdateTime), f.ID, f.Version, string(draft))
	if err != nil {
		return fmt.Errorf("civindex: update framework: %w", err)
	}
	return nil
}

func markPublished(ctx context.Context, tx *store.Tx, f Framework) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`UPDATE civ_frameworks SET state = ?, update_time = ?, publish_time = ?
		 WHERE id = ? AND version = ? AND state = ?`),
		string(published), store.Micros(f.UpdateTime), store.Micros(f.PublishTime), f.ID, f.Version, string(draft))
	if err != nil {
		return fmt.Errorf("civindex: publish framework: %w", err)
	}
	return nil
}

// frameworkWithContent returns the oldest stored version whose name and
// content are exactly c (the natural key a re-import matches on).
func frameworkWithContent(ctx context.Context, db store.Queryer, c Content) (Framework, error) {
	content, err := json.Marshal(c)
	if err != nil {
		return Framework{}, err
	}
	var r frameworkRow
	err = db.GetContext(ctx, &r, db.Rebind(selectFramework+` WHERE name = ? AND content = ? ORDER BY id, version LIMIT 1`),
		c.Name, string(content))
	if errors.Is(err, sql.ErrNoRows) {
		return Framework{}, errNotFound
	}
	if err != nil {
		return Framework{}, fmt.Errorf("civindex: find framework: %w", err)
	}
	return r.framework()
}
