package store

import (
	"bufio"
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"testing/fstest"

	"github.com/pressly/goose/v3"
)

// migrations holds one SQL file per migration for both dialects
// (migrations/README.md): the lines they share, and the lines only one
// dialect runs between "-- +wenming sqlite" or "-- +wenming postgres" and
// "-- +wenming end".
//
//go:embed migrations/*.sql
var migrations embed.FS

// dialectMarker starts and ends the lines of a migration one dialect runs.
const dialectMarker = "-- +wenming "

// dialectSQL returns the migration text d runs: every shared line and the
// lines marked for d, in order.
func dialectSQL(src string, d Dialect) (string, error) {
	var out strings.Builder
	only := "" // the dialect of the block being read; "" outside a block
	sc := bufio.NewScanner(strings.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), dialectMarker); ok {
			switch rest = strings.TrimSpace(rest); {
			case rest == "end" && only != "":
				only = ""
			case (rest == string(SQLite) || rest == string(Postgres)) && rest != only:
				only = rest
			default:
				return "", fmt.Errorf("line %d: %q: want %ssqlite, %spostgres or %send after a block",
					n, line, dialectMarker, dialectMarker, dialectMarker)
			}
			continue
		}
		if only == "" || only == string(d) {
			out.WriteString(line)
			out.WriteByte('\n')
		}
	}
	if only != "" {
		return "", fmt.Errorf("the %s block is not closed with %send", only, dialectMarker)
	}
	return out.String(), sc.Err()
}

// dialectMigrations is the migration tree d runs, as goose reads it.
func dialectMigrations(d Dialect) (fs.FS, error) {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	out := fstest.MapFS{}
	for _, f := range files {
		src, err := fs.ReadFile(migrations, f)
		if err != nil {
			return nil, err
		}
		text, err := dialectSQL(string(src), d)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out[path.Base(f)] = &fstest.MapFile{Data: []byte(text), Mode: 0o444}
	}
	return out, nil
}

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := dialectMigrations(db.Dialect)
	if err != nil {
		return nil, err
	}
	d := goose.DialectSQLite3
	if db.Dialect == Postgres {
		d = goose.DialectPostgres
	}
	// Migrations are numbered by area (see doc.go), so a database that has
	// a later area's migrations must still accept an earlier area's new ones.
	opts := []goose.ProviderOption{goose.WithAllowOutofOrder(true)}
	if db.Dialect == Postgres {
		opts = append(opts, goose.WithSessionLocker(pgMigrationLock{}))
	}
	return goose.NewProvider(d, db.W.DB, sub, opts...)
}

// pgMigrationLock makes replicas that start together on one PostgreSQL
// database migrate one after another: the first holds a session-level
// advisory lock for the whole run, the others wait for it (a blocking
// pg_advisory_lock, not goose's default of polling every 5 s) and then find
// nothing left to do. The key is per schema, so databases that share a
// server but live in different schemas (the test suite's) do not wait for
// each other. A replica that dies mid-migration loses its session and with
// it the lock.
type pgMigrationLock struct{}

const pgMigrationLockKey = `hashtextextended('wenming migrate ' || current_schema(), 0)`

func (pgMigrationLock) SessionLock(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(`+pgMigrationLockKey+`)`); err != nil {
		return fmt.Errorf("store: take the migration lock: %w", err)
	}
	return nil
}

func (pgMigrationLock) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock(`+pgMigrationLockKey+`)`); err != nil {
		return fmt.Errorf("store: release the migration lock: %w", err)
	}
	return nil
}

// Migrate brings the schema up to the newest embedded version. Several
// processes may call it at once on one database: on PostgreSQL they take
// turns under an advisory lock, on SQLite under a lock on the database's
// directory (lockDir).
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if db.Dialect == SQLite {
		unlock, err := lockDir(ctx, filepath.Dir(db.path))
		if err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		defer unlock()
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// SchemaCurrent reports whether every embedded migration has been applied.
func (db *DB) SchemaCurrent(ctx context.Context) (bool, error) {
	p, err := db.provider()
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, err
	}
	return !pending, nil
}
