package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"
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

// More copies of one request than the pool has connections, whose work
// needs a second connection while it runs: the copies that wait for the
// first do not hold connections, so the first can finish and every copy
// gets its answer (with waiting copies holding connections, the first
// would starve until the deadline).
func TestOnceWithMoreCopiesThanConnections(t *testing.T) {
	t.Parallel()
	for _, db := range testDBs(t) {
		t.Run(string(db.Dialect), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			batchDB(t, db)
			const copies = 80 // the PostgreSQL pool holds 32
			c := probeCall("crowd", "x")
			answers := make([]string, copies)
			errs := make([]error, copies)
			var runs atomic.Int32
			var wg sync.WaitGroup
			for i := range copies {
				wg.Add(1)
				go func() {
					defer wg.Done()
					resp, err := Once(ctx, db, c, func(tx *Tx) (*wrapperspb.StringValue, error) {
						run := runs.Add(1)
						var n int
						if err := db.R.GetContext(ctx, &n, `SELECT 1`); err != nil {
							return nil, err
						}
						if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO batch_probe (id) VALUES (?)`), fmt.Sprint("crowd-", run)); err != nil {
							return nil, err
						}
						return wrapperspb.String(fmt.Sprint("run ", run)), nil
					})
					answers[i], errs[i] = resp.GetValue(), err
				}()
			}
			wg.Wait()
			for i := range copies {
				if errs[i] != nil || answers[i] != "run 1" {
					t.Errorf("copy %d: %q, %v; want \"run 1\"", i, answers[i], errs[i])
				}
			}
			if n := runs.Load(); n != 1 {
				t.Errorf("the work ran %d times, want once", n)
			}
		})
	}
}
