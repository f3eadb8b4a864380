package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestUnavailableTellsOutagesFromOtherFailures(t *testing.T) {
	t.Parallel()
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"connection refused", fmt.Errorf("store: connect: %w", refused), OutageRefused},
		{"connection reset", fmt.Errorf("query: %w", reset), OutageLost},
		{"EOF mid-reply", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), OutageLost},
		{"driver conn closed", fmt.Errorf("x: %w", pgconn.ErrConnClosed), OutageLost},
		{"PostgreSQL starting up", &pgconn.PgError{Code: "57P03"}, OutageRefused},
		{"PostgreSQL shut down by the admin", &pgconn.PgError{Code: "57P01"}, OutageRefused},
		{"connection failure", &pgconn.PgError{Code: "08006"}, OutageLost},
		{"unique violation", &pgconn.PgError{Code: "23505"}, ""},
		{"serialization failure", &pgconn.PgError{Code: "40001"}, ""},
		{"the call's deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), ""},
		{"canceled", context.Canceled, ""},
		{"anything else", errors.New("pq: relation \"x\" does not exist"), ""},
		{"nil", nil, ""},
	} {
		kind, ok := Unavailable(c.err)
		if kind != c.want || ok != (c.want != "") {
			t.Errorf("%s: Unavailable(%v) = %q, %v; want %q", c.name, c.err, kind, ok, c.want)
		}
	}
}

// A real SQLite storage failure: the database file replaced by a
// directory cannot be opened.
func TestUnavailableKnowsSQLiteStorageFailures(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := Open(context.Background(), "sqlite:"+dir) // a directory, not a file
	if err == nil {
		t.Fatal("opened a directory as a database")
	}
	if kind, ok := Unavailable(err); !ok || kind != OutageStorage {
		t.Errorf("Unavailable(%v) = %q, %v; want %q", err, kind, ok, OutageStorage)
	}
}
