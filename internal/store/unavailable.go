package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Outage kinds, as Unavailable names them. The server logs one line per
// kind per interval, so they are few and coarse.
const (
	OutageRefused = "database refuses connections" // nothing listens, or PostgreSQL is starting or stopping
	OutageLost    = "database connection lost"     // reset, closed or cut mid-call
	OutageTimeout = "database timed out"           // a connection or read timed out inside the driver
	OutageStorage = "database storage failing"     // SQLite: disk I/O error, disk full, file gone, locked too long
)

// Unavailable classifies err as the database being out of reach and says
// how ("" and false for anything else). It is the one place the drivers'
// errors are judged: the server's error mapper turns such an error into
// UNAVAILABLE, and the readiness probe and `serve --db-wait` retry on it.
//
// A deadline of the call's own context is not an outage here: the mapper
// answers DEADLINE_EXCEEDED for it. Refusals of a server that answers
// (a wrong password, a missing database) are not outages either: waiting
// will not fix them.
func Unavailable(err error) (kind string, ok bool) {
	if err == nil {
		return "", false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case strings.HasPrefix(pgErr.Code, "08"): // connection exception
			return OutageLost, true
		case pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03": // admin/crash shutdown, cannot connect now
			return OutageRefused, true
		case pgErr.Code == "53300": // too many connections
			return OutageRefused, true
		}
		return "", false
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() & 0xff { // the primary code of an extended one
		case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return OutageStorage, true
		}
		return "", false
	}
	if isCtxErr(err) {
		return "", false
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return OutageRefused, true
	case pgconn.Timeout(err):
		return OutageTimeout, true
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, pgconn.ErrConnClosed):
		return OutageLost, true
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return OutageRefused, true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		if netErr.Timeout() {
			return OutageTimeout, true
		}
		return OutageLost, true
	}
	return "", false
}

// isCtxErr reports whether err came from the caller's context ending,
// which the caller's deadline explains better than an outage would.
func isCtxErr(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}
