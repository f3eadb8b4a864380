// Package storetest gives tests a fresh, migrated database on every backend
// wenming supports: SQLite always, PostgreSQL when WENMING_TEST_POSTGRES_URL
// is set. Under CI (CI=true) a missing or unreachable PostgreSQL fails the
// test instead of quietly testing less.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/store"
)

// PostgresURLEnv names the variable holding the PostgreSQL test server URL.
const PostgresURLEnv = "WENMING_TEST_POSTGRES_URL"

// Each runs fn as a subtest per backend, each with its own empty, migrated
// database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, SQLite(t))
	})
	if base := postgresURL(t); base != "" {
		t.Run("postgres", func(t *testing.T) {
			t.Parallel()
			fn(t, Postgres(t, base))
		})
	}
}

// SQLite opens a migrated database in a temporary directory.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	return open(t, "sqlite:"+filepath.Join(t.TempDir(), "test.db"))
}

// Default is SQLite; it exists so end-to-end tests read as "a database".
func Default(t testing.TB) *store.DB { return SQLite(t) }

// PostgresDSN returns a DSN for a new empty schema on the test server, or ""
// (skipping nothing) when no server is configured outside CI. The schema is
// dropped when the test ends.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := postgresURL(t)
	if base == "" {
		return ""
	}
	return freshSchema(t, base)
}

// Postgres opens a migrated database in a new schema on the server at base.
func Postgres(t testing.TB, base string) *store.DB {
	t.Helper()
	return open(t, freshSchema(t, base))
}

func postgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(PostgresURLEnv)
	if u == "" && os.Getenv("CI") == "true" {
		t.Fatalf("CI=true but %s is not set: the store suite must also run on PostgreSQL", PostgresURLEnv)
	}
	return u
}

func freshSchema(t testing.TB, base string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := store.Open(ctx, base)
	if err != nil {
		t.Fatalf("PostgreSQL at %s is unreachable: %v", PostgresURLEnv, err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "wm_test_" + hex.EncodeToString(b)
	if _, err := admin.W.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		db, err := store.Open(ctx, base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer db.Close()
		if _, err := db.W.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresURLEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", dsn, err)
	}
	return db
}
