package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"

	"modernc.org/sqlite"
)

// stmtCacheDriver is modernc's SQLite driver with a per-connection cache of
// prepared statements for Exec. The write paths run the same few INSERT and
// UPSERT texts over and over, and SQLite re-parsing each one was about a
// quarter of a rating's CPU (docs/performance.md). Queries are not cached:
// a cached statement must not be re-run while rows from it are still open.
// PostgreSQL needs no such thing: pgx caches prepared statements itself.
const stmtCacheDriver = "sqlite-stmtcache"

// maxCachedStmts bounds the cache per connection; past it, statements are
// executed without caching.
const maxCachedStmts = 256

func init() {
	sql.Register(stmtCacheDriver, cachingDriver{&sqlite.Driver{}})
}

type cachingDriver struct{ next driver.Driver }

func (d cachingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.next.Open(name)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: c, stmts: map[string]driver.Stmt{}}, nil
}

// cachingConn is used by one goroutine at a time (database/sql guarantees
// it), so its map needs no lock.
type cachingConn struct {
	driver.Conn
	stmts map[string]driver.Stmt
}

var errNotSupported = errors.New("store: sqlite driver lacks a needed interface")

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, ok := c.stmts[query]
	if !ok {
		if len(c.stmts) >= maxCachedStmts {
			if ex, ok := c.Conn.(driver.ExecerContext); ok {
				return ex.ExecContext(ctx, query, args)
			}
			return nil, driver.ErrSkip
		}
		var err error
		if s, err = c.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		c.stmts[query] = s
	}
	ex, ok := s.(driver.StmtExecContext)
	if !ok {
		return nil, errNotSupported
	}
	return ex.ExecContext(ctx, args)
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Prepare(query)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if q, ok := c.Conn.(driver.QueryerContext); ok {
		return q.QueryContext(ctx, query, args)
	}
	return nil, driver.ErrSkip
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return nil, errNotSupported
}

func (c *cachingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *cachingConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *cachingConn) Close() error {
	var err error
	for q, s := range c.stmts {
		err = errors.Join(err, s.Close())
		delete(c.stmts, q)
	}
	return errors.Join(err, c.Conn.Close())
}
