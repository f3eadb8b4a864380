package store

import (
	"context"
	"fmt"
	"path"
	"time"

	"github.com/pressly/goose/v3"
)

// Migration is one embedded schema migration and whether this database
// has it.
type Migration struct {
	Version int64
	Name    string // the file name, e.g. 00201_feedback.sql
	Applied bool
	// AppliedAt is when it was applied (zero when pending).
	AppliedAt time.Time
	// Took is how long applying it took; set only by MigrateReport.
	Took time.Duration
}

// MigrateReport is Migrate returning what it applied, oldest first (none
// when the schema was already current), so an operator sees what changed.
func (db *DB) MigrateReport(ctx context.Context) ([]Migration, error) {
	p, err := db.provider()
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	out := make([]Migration, 0, len(res))
	for _, r := range res {
		out = append(out, Migration{Version: r.Source.Version, Name: path.Base(r.Source.Path),
			Applied: true, AppliedAt: time.Now(), Took: r.Duration})
	}
	return out, nil
}

// Migrations lists every embedded migration in version order with its
// state in this database.
func (db *DB) Migrations(ctx context.Context) ([]Migration, error) {
	p, err := db.provider()
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migration status: %w", err)
	}
	out := make([]Migration, 0, len(st))
	for _, s := range st {
		out = append(out, Migration{Version: s.Source.Version, Name: path.Base(s.Source.Path),
			Applied: s.State == goose.StateApplied, AppliedAt: s.AppliedAt})
	}
	return out, nil
}

// Tables lists the database's own tables (not goose's version table nor
// SQLite's internal ones), sorted: what tests and the crash harness count
// rows of.
func Tables(ctx context.Context, db *DB) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if db.Dialect == Postgres {
		q = `SELECT table_name FROM information_schema.tables
		     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	var names []string
	if err := db.R.SelectContext(ctx, &names, q); err != nil {
		return nil, fmt.Errorf("store: list tables: %w", err)
	}
	out := names[:0]
	for _, n := range names {
		if n != "goose_db_version" {
			out = append(out, n)
		}
	}
	return out, nil
}
