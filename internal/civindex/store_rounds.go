package civindex

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/wenming/wenming/internal/store"
)

type roundRow struct {
	ID               string `db:"id"`
	Name             string `db:"name"`
	Kind             string `db:"kind"`
	State            string `db:"state"`
	FrameworkID      string `db:"framework_id"`
	FrameworkVersion int    `db:"framework_version"`
	StartTime        int64  `db:"start_time"`
	EndTime          int64  `db:"end_time"`
	CreateTime       int64  `db:"create_time"`
	UpdateTime       int64  `db:"update_time"`
	SiteCount        int    `db:"site_count"`
}

func (r roundRow) round() Round {
	return Round{
		ID: r.ID, State: r.State,
		RoundSpec: RoundSpec{
			Name: r.Name, Kind: r.Kind, FrameworkID: r.FrameworkID, FrameworkVersion: r.FrameworkVersion,
			Start: store.FromMicros(r.StartTime), End: store.FromMicros(r.EndTime),
		},
		CreateTime: store.FromMicros(r.CreateTime), UpdateTime: store.FromMicros(r.UpdateTime),
		SiteCount: r.SiteCount,
	}
}

const selectRound = `SELECT id, name, kind, state, framework_id, framework_version, start_time, end_time,
       create_time, update_time, site_count FROM civ_rounds`

// getRoundHead returns a round without its site ids.
func getRoundHead(ctx context.Context, db store.Queryer, id string) (Round, error) {
	var r roundRow
	err := db.GetContext(ctx, &r, db.Rebind(selectRound+` WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Round{}, errNotFound
	}
	if err != nil {
		return Round{}, fmt.Errorf("civindex: get round: %w", err)
	}
	return r.round(), nil
}

// getRound returns a round with its site ids, sorted.
func getRound(ctx context.Context, db store.Queryer, id string) (Round, error) {
	out, err := getRoundHead(ctx, db, id)
	if err != nil {
		return Round{}, err
	}
	if err := db.SelectContext(ctx, &out.SiteIDs, db.Rebind(
		`SELECT site_id FROM civ_round_sites WHERE round_id = ? ORDER BY site_id`), id); err != nil {
		return Round{}, fmt.Errorf("civindex: get round sites: %w", err)
	}
	return out, nil
}

// roundFilter narrows a round list.
type roundFilter struct {
	FrameworkID, State, Kind string
}

func listRounds(ctx context.Context, db store.Queryer, f roundFilter, after string, limit int) ([]Round, error) {
	q := selectRound + ` WHERE 1 = 1`
	var args []any
	if f.FrameworkID != "" {
		q += ` AND framework_id = ?`
		args = append(args, f.FrameworkID)
	}
	if f.State != "" {
		q += ` AND state = ?`
		args = append(args, f.State)
	}
	if f.Kind != "" {
		q += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	q, args = store.PageDesc(q, args, "id", after, limit)
	out, err := store.SelectAll(ctx, db, func(r roundRow) (Round, error) { return r.round(), nil }, q, args...)
	if err != nil {
		return nil, fmt.Errorf("civindex: list rounds: %w", err)
	}
	return out, nil
}

func insertRound(ctx context.Context, tx *store.Tx, r Round) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO civ_rounds (id, name, kind, state, framework_id, framework_version, start_time, end_time,
		     create_time, update_time, site_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		r.ID, r.Name, r.Kind, r.State, r.FrameworkID, r.FrameworkVersion, store.Micros(r.Start), store.Micros(r.End),
		store.Micros(r.CreateTime), store.Micros(r.UpdateTime), len(r.SiteIDs))
	if err != nil {
		return fmt.Errorf("civindex: insert round: %w", err)
	}
	rows := make([][]any, len(r.SiteIDs))
	for i, s := range r.SiteIDs {
		rows[i] = []any{r.ID, s}
	}
	if err := store.InsertRows(ctx, tx, "civ_round_sites", []string{"round_id", "site_id"}, rows); err != nil {
		return fmt.Errorf("civindex: insert round sites: %w", err)
	}
	return nil
}

func setRoundState(ctx context.Context, tx *store.Tx, r Round) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE civ_rounds SET state = ?, update_time = ? WHERE id = ?`),
		r.State, store.Micros(r.UpdateTime), r.ID)
	if err != nil {
		return fmt.Errorf("civindex: set round state: %w", err)
	}
	return nil
}

// lockRoundSite reports whether a site is in a round's scope and, on
// PostgreSQL, locks that membership row until tx ends. Every write that
// recomputes a site's stored score takes this lock first, so two
// concurrent inspections of one site cannot each store a score computed
// without the other. SQLite needs no lock: it has one writer at a time.
func lockRoundSite(ctx context.Context, tx *store.Tx, roundID, siteID string) (bool, error) {
	var id string
	err := tx.GetContext(ctx, &id, tx.Rebind(
		`SELECT site_id FROM civ_round_sites WHERE round_id = ? AND site_id = ?`+forUpdate(tx)), roundID, siteID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("civindex: site in round: %w", err)
	}
	return true, nil
}

// shareRound takes a shared lock on a round row on PostgreSQL until tx
// ends, so a round cannot be closed between an inspection's check that it
// is open and the inspection's commit; inspections do not block each other.
func shareRound(ctx context.Context, tx *store.Tx, roundID string) error {
	if tx.DriverName() != "pgx" {
		return nil
	}
	var id string
	err := tx.GetContext(ctx, &id, tx.Rebind(`SELECT id FROM civ_rounds WHERE id = ? FOR SHARE`), roundID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("civindex: lock round: %w", err)
	}
	return nil
}

// forUpdate is the row-lock suffix of a SELECT on PostgreSQL, and nothing
// on SQLite, whose write transactions already exclude each other.
func forUpdate(tx *store.Tx) string {
	if tx.DriverName() == "pgx" {
		return " FOR UPDATE"
	}
	return ""
}
