package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// The batcher's own tests live in package store to see its counters; they
// use a table of their own so they need no domain schema.
func batchDB(t *testing.T, db *DB) {
	t.Helper()
	if _, err := db.W.Exec(`CREATE TABLE batch_probe (id TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
}

func probeCount(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	if err := db.W.Get(&n, `SELECT COUNT(*) FROM batch_probe`); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestGroupCommitSharesCommitsAndIsolatesFailures(t *testing.T) {
	t.Parallel()
	for _, db := range testDBs(t) {
		t.Run(string(db.Dialect), func(t *testing.T) {
			batchDB(t, db)
			ctx := context.Background()
			const n = 64
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = db.WithBatchedTx(ctx, func(tx *Tx) error {
						if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO batch_probe (id) VALUES (?)`), fmt.Sprint("r", i)); err != nil {
							return err
						}
						switch i {
						case 7:
							return errors.New("rule broken after the insert")
						case 8:
							panic("body panicked")
						case 9: // a duplicate key: a database error inside the shared transaction
							_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO batch_probe (id) VALUES (?)`), "r9")
							return err
						}
						return nil
					})
				}()
			}
			wg.Wait()
			for i, err := range errs {
				failed := i == 7 || i == 8 || i == 9
				if failed != (err != nil) {
					t.Errorf("call %d: err = %v", i, err)
				}
			}
			if got := probeCount(t, db); got != n-3 {
				t.Errorf("%d rows committed, want %d (the failed bodies undone, the rest kept)", got, n-3)
			}
			commits, items := db.batch.commits.Load(), db.batch.items.Load()
			if items != n || commits >= n {
				t.Errorf("%d bodies in %d commits: no commit was shared", items, commits)
			}
			t.Logf("%d bodies, %d commits", items, commits)
		})
	}
}

func TestGroupCommitCanBeSwitchedOff(t *testing.T) {
	t.Parallel()
	db := testDBs(t)[0]
	batchDB(t, db)
	db.NoGroupCommit = true
	if err := db.WithBatchedTx(context.Background(), func(tx *Tx) error {
		_, err := tx.Exec(`INSERT INTO batch_probe (id) VALUES ('solo')`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if db.batch != nil {
		t.Error("NoGroupCommit still started the batcher")
	}
	if probeCount(t, db) != 1 {
		t.Error("the write was lost")
	}
}
