package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// OpenWait is Open for a server starting beside its database: while the
// database is out of reach (Unavailable, or a connection attempt that
// hangs) it tries again with a backoff from 250 ms doubling to 5 s, until
// wait has passed since the first try; then it gives up with the last
// error. Anything else (a wrong password, a missing database, a SQLite
// file that cannot be opened) fails at once, since waiting will not fix
// it; so does a SQLite DSN, which has no server to wait for.
func OpenWait(ctx context.Context, dsn string, wait time.Duration, log *slog.Logger) (*DB, error) {
	if log == nil {
		log = slog.Default()
	}
	start := time.Now()
	backoff := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		db, err := Open(ctx, dsn)
		if err == nil {
			if attempt > 1 {
				log.Info("the database answers", "after", time.Since(start).Round(time.Millisecond).String(), "attempts", attempt)
			}
			return db, nil
		}
		if ctx.Err() != nil || !postgresDSN(dsn) || !waitable(err) {
			return nil, err
		}
		left := wait - time.Since(start)
		if left <= 0 {
			return nil, fmt.Errorf("%w (gave up after --db-wait %s)", err, wait)
		}
		pause := min(backoff, left)
		log.Warn("waiting for the database", "attempt", attempt, "retry_in", pause.String(), "gives_up_in", left.Round(time.Second).String(), "error", err)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(pause):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// waitable is an error of a database that may answer later: out of reach,
// or a connection attempt that ran out of time.
func waitable(err error) bool {
	if _, ok := Unavailable(err); ok {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded)
}

func postgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}
