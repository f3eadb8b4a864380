package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wenming/wenming/internal/demo"
	"github.com/wenming/wenming/internal/store"
)

// openMigrated opens the database at dsn and migrates it; it is closed
// when the test ends.
func openMigrated(t *testing.T, dsn string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// civIndexDemo makes demo.db in dir holding the civility index demo and
// returns its DSN and the id of its first round.
func civIndexDemo(t *testing.T, dir string) (dsn, round string) {
	t.Helper()
	dsn = "sqlite:" + filepath.Join(dir, "demo.db")
	db := openMigrated(t, dsn)
	if err := demo.LoadCivIndex(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	if err := db.R.Get(&round, `SELECT id FROM civ_rounds ORDER BY start_time LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	return dsn, round
}
