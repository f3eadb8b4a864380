package store

import (
	"bufio"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
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
	return goose.NewProvider(d, db.W.DB, sub, goose.WithAllowOutofOrder(true))
}

// Migrate brings the schema up to the newest embedded version.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
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
