package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/jmoiron/sqlx"
	"go.opentelemetry.io/otel/attribute"
	otelcodes "go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Dialect names the SQL flavour of a database.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// system is the dialect's OpenTelemetry db.system.name.
func (d Dialect) system() string {
	if d == Postgres {
		return "postgresql"
	}
	return string(d)
}

// DB is an open wenming database. Writes go through W; reads that need not
// see an open transaction may use R. On PostgreSQL both are the same pool.
// On SQLite, W has exactly one connection so writers queue in Go instead of
// failing with SQLITE_BUSY, and R is a pool of read-only connections that WAL
// lets run beside the writer.
type DB struct {
	W       *sqlx.DB
	R       *sqlx.DB
	Dialect Dialect
	// DSN is the location it was opened with, without any password.
	DSN string
	// path is the SQLite file's absolute path ("" on PostgreSQL).
	path string

	// NoGroupCommit makes batchers (NewBatcher) run every job in its own
	// transaction; the load harness sets it to measure what group commit
	// buys. Set it before creating any batcher.
	NoGroupCommit bool
	// Log receives the store's own messages (slog.Default when nil).
	Log *slog.Logger
	// Tracer, when set, puts a span around every WithTx transaction
	// (server.New sets it when traces are exported).
	Tracer trace.Tracer

	closeMu sync.Mutex
	closers []func()
}

// Open connects to the database named by dsn: "sqlite:PATH" (or a bare path
// ending in .db) or "postgres://…". It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	var (
		db  *DB
		err error
	)
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		db, err = openPostgres(dsn)
	case strings.HasPrefix(dsn, "sqlite:"):
		db, err = openSQLite(strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasSuffix(dsn, ".db"):
		db, err = openSQLite(dsn)
	default:
		return nil, fmt.Errorf("store: unsupported database %q: want sqlite:PATH or postgres://…", dsn)
	}
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.W.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", db.DSN, err)
	}
	return db, nil
}

func openPostgres(dsn string) (*DB, error) {
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	raw.SetMaxOpenConns(32)
	raw.SetMaxIdleConns(32)
	raw.SetConnMaxIdleTime(5 * time.Minute)
	x := sqlx.NewDb(raw, "pgx")
	return &DB{W: x, R: x, Dialect: Postgres, DSN: redact(dsn)}, nil
}

// sqlitePragmas are applied to every SQLite connection: WAL so readers do not
// block the writer, a busy timeout as a second line of defence, foreign keys
// on, and FULL sync so an acknowledged write survives a power cut.
const sqlitePragmas = "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"

func openSQLite(path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("store: sqlite path is empty")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: sqlite path: %w", err)
	}
	// _txlock=immediate makes BEGIN take the write lock up front, so a
	// transaction never fails halfway when it upgrades from read to write.
	wraw, err := sql.Open(stmtCacheDriver, "file:"+abs+"?"+sqlitePragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	wraw.SetMaxOpenConns(1)
	wraw.SetMaxIdleConns(1)
	wraw.SetConnMaxLifetime(0)
	rraw, err := sql.Open("sqlite", "file:"+abs+"?"+sqlitePragmas+"&mode=ro")
	if err != nil {
		wraw.Close()
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	rraw.SetMaxOpenConns(8)
	rraw.SetMaxIdleConns(8)
	return &DB{
		W:       sqlx.NewDb(wraw, "sqlite"),
		R:       sqlx.NewDb(rraw, "sqlite"),
		Dialect: SQLite,
		DSN:     "sqlite:" + path,
		path:    abs,
	}, nil
}

// Close stops group commit and closes both pools.
func (db *DB) Close() error {
	db.closeMu.Lock()
	closers := db.closers
	db.closers = nil
	db.closeMu.Unlock()
	for _, c := range closers {
		c()
	}
	err := db.W.Close()
	if db.R != db.W {
		err = errors.Join(err, db.R.Close())
	}
	return err
}

func (db *DB) log() *slog.Logger {
	if db.Log != nil {
		return db.Log
	}
	return slog.Default()
}

// onClose registers f to run first when db closes (a batcher's worker).
func (db *DB) onClose(f func()) {
	db.closeMu.Lock()
	defer db.closeMu.Unlock()
	db.closers = append(db.closers, f)
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.R.PingContext(ctx) }

// Tx is a transaction handed to WithTx callbacks.
type Tx = sqlx.Tx

// Queryer is what read helpers accept: the pool or a transaction.
type Queryer interface {
	sqlx.QueryerContext
	sqlx.ExecerContext
	Rebind(string) string
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
}

// WithTx runs fn in a write transaction, committing if it returns nil and
// rolling back otherwise (also on panic, which is re-raised).
func (db *DB) WithTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	if db.Tracer != nil {
		var span trace.Span
		ctx, span = db.Tracer.Start(ctx, "db.transaction", trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(attribute.String("db.system.name", db.Dialect.system())))
		defer func() {
			if err != nil {
				span.RecordError(err)
				span.SetStatus(otelcodes.Error, "rolled back")
			}
			span.End()
		}()
	}
	tx, err := db.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// IsUniqueViolation reports whether err is a unique or primary-key
// constraint failure on either dialect.
func IsUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		c := sqErr.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsConflict reports whether err is PostgreSQL refusing a transaction
// because of a concurrent one (serialization failure 40001, deadlock
// 40P01): the request did nothing and may be retried as it is.
func IsConflict(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01")
}

// Micros converts t to the stored representation.
func Micros(t time.Time) int64 { return t.UTC().UnixMicro() }

// Stamp is t as the store keeps it: UTC, whole microseconds. Domains read
// their clock through it so a time written and read back compares equal.
func Stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// FromMicros converts a stored instant back to a UTC time.
func FromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}
