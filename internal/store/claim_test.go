package store

import (
	"context"
	"testing"
	"time"
)

// On PostgreSQL a transaction that claims a request id another open
// transaction has claimed waits until that one ends, and then sees what it
// remembered; claims of several ids (a group-commit batch) overlap without
// a deadlock because they are taken in one order.
func TestClaimCallsMakesASecondClaimWaitForTheFirst(t *testing.T) {
	t.Parallel()
	for _, db := range testDBs(t) {
		if db.Dialect != Postgres {
			continue // SQLite's one writer connection already runs them one at a time
		}
		ctx := context.Background()
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		a, b, c := probeCall("a", "x"), probeCall("b", "x"), probeCall("c", "x")
		hash, err := RequestHash(b.Request)
		if err != nil {
			t.Fatal(err)
		}
		tx1, err := db.W.BeginTxx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := ClaimCalls(ctx, db, tx1, b, a); err != nil {
			t.Fatal(err)
		}
		found := make(chan bool, 1)
		go func() {
			err := db.WithTx(ctx, func(tx *Tx) error {
				if err := ClaimCalls(ctx, db, tx, c, b); err != nil {
					return err
				}
				_, ok, err := LookupCall(ctx, tx, b, hash)
				found <- ok
				return err
			})
			if err != nil {
				t.Error(err)
				found <- false
			}
		}()
		// Wait until the second claim is queued behind the first.
		key := uint64(claimKey(b))
		for waiting := 0; waiting == 0; time.Sleep(10 * time.Millisecond) {
			if err := db.R.GetContext(ctx, &waiting, `SELECT COUNT(*) FROM pg_locks
				WHERE locktype = 'advisory' AND NOT granted AND classid::bigint = $1 AND objid::bigint = $2`,
				int64(key>>32), int64(key&0xffffffff)); err != nil {
				t.Fatal(err)
			}
		}
		if err := RememberCall(ctx, tx1, b, hash, b.Request); err != nil {
			t.Fatal(err)
		}
		if err := tx1.Commit(); err != nil {
			t.Fatal(err)
		}
		if !<-found {
			t.Error("the second claim of request id b did not see the answer the first remembered")
		}
	}
}
