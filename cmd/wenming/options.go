package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

// DBOption is the --db flag every command shares.
type DBOption struct {
	DB string `name:"db" env:"WENMING_DB" default:"sqlite:wenming.db" placeholder:"DSN" help:"Database: sqlite:PATH or postgres://user@host/db."`
}

// Validate refuses a DSN that names no database kind, so a bare file
// name is not taken for something it is not.
func (o DBOption) Validate() error { return checkDSN(o.DB) }

func checkDSN(dsn string) error {
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		if path == "" {
			return errors.New("--db: sqlite: needs a file path, e.g. sqlite:wenming.db")
		}
		return nil
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return nil
	}
	if strings.HasSuffix(dsn, ".db") || !strings.Contains(dsn, ":") {
		return fmt.Errorf("--db: %q names no database kind; did you mean sqlite:%s?", dsn, dsn)
	}
	return fmt.Errorf("--db: %q: want sqlite:PATH or postgres://user@host/db", dsn)
}

// TZOption is --timezone for commands that turn dates into instants.
type TZOption struct {
	Timezone string `env:"WENMING_TIMEZONE" default:"Asia/Shanghai" placeholder:"ZONE" help:"IANA time zone for day buckets, dates and deadlines."`
}

// Validate loads the zone (embedded tzdata, so any IANA name works on a
// machine without zoneinfo).
func (o TZOption) Validate() error {
	_, err := time.LoadLocation(o.Timezone)
	if err != nil {
		return fmt.Errorf("--timezone: %w", err)
	}
	return nil
}

func (o TZOption) location() *time.Location {
	loc, err := time.LoadLocation(o.Timezone)
	if err != nil { // Validate ran first
		panic(err)
	}
	return loc
}

// openExisting opens a database that `wenming migrate` or `wenming serve`
// has already set up. Every command but those two uses it: a typo in --db
// must not quietly create an empty database that keys or imports then go
// into and the server never sees.
func openExisting(ctx context.Context, dsn string) (*store.DB, error) {
	if err := sqliteExists(dsn); err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	ms, err := db.Migrations(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	pending := 0
	for _, m := range ms {
		if !m.Applied {
			pending++
		}
	}
	switch {
	case pending == len(ms):
		db.Close()
		return nil, fmt.Errorf("database %s has no wenming schema; run 'wenming migrate --db %s' first, or fix --db", db.DSN, db.DSN)
	case pending > 0:
		db.Close()
		return nil, fmt.Errorf("database %s lacks %d of %d migrations; run 'wenming migrate --db %s' first", db.DSN, pending, len(ms), db.DSN)
	}
	return db, nil
}

// sqliteExists refuses a sqlite: DSN whose file is missing, since opening
// it would create it.
func sqliteExists(dsn string) error {
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("database %s does not exist; create it with 'wenming migrate --db %s' (or start 'wenming serve'), or fix --db", dsn, dsn)
		}
	}
	return nil
}

// openService opens the existing database (openExisting) and builds one
// domain over it with build (the domain's New) from d; the caller closes
// the database.
func openService[S, O any](ctx context.Context, dsn string, d rpc.Deps, build func(rpc.Deps, ...O) (S, error)) (svc S, db *store.DB, err error) {
	if db, err = openExisting(ctx, dsn); err != nil {
		return svc, nil, err
	}
	d.DB = db
	if svc, err = build(d); err != nil {
		db.Close()
		return svc, nil, err
	}
	return svc, db, nil
}
