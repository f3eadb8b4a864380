package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
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

// probeJob is a row for batch_probe; fail makes the probe's apply refuse
// it, panic makes apply panic, dup makes it write a duplicate key.
type probeJob struct {
	id               string
	fail, panic, dup bool
}

// applyProbes checks every job, then inserts the good ones in one
// statement, as a real apply does.
func applyProbes(ctx context.Context, tx *Tx, jobs []probeJob) ([]error, error) {
	errs := make([]error, len(jobs))
	var rows [][]any
	for i, j := range jobs {
		switch {
		case j.fail:
			errs[i] = errors.New("rule broken")
			continue
		case j.panic:
			panic("apply panicked on " + j.id)
		case j.dup:
			rows = append(rows, []any{j.id})
		}
		rows = append(rows, []any{j.id})
	}
	return errs, InsertRows(ctx, tx, "batch_probe", []string{"id"}, rows)
}

func TestGroupCommitSharesCommitsAndIsolatesFailures(t *testing.T) {
	t.Parallel()
	for _, db := range testDBs(t) {
		t.Run(string(db.Dialect), func(t *testing.T) {
			batchDB(t, db)
			b := NewBatcher(db, "probe", 128, applyProbes)
			ctx := context.Background()
			const n = 200
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					// 7 is refused by apply; 8 panics and 9 breaks the
					// transaction, so their batches are retried job by job.
					errs[i] = b.Do(ctx, probeJob{id: fmt.Sprint("r", i), fail: i == 7, panic: i == 8, dup: i == 9})
				}()
			}
			wg.Wait()
			for i, err := range errs {
				failed := i == 7 || i == 8 || i == 9
				if failed != (err != nil) {
					t.Errorf("job %d: err = %v", i, err)
				}
			}
			if got := probeCount(t, db); got != n-3 {
				t.Errorf("%d rows committed, want %d (the failed jobs left out, the rest kept)", got, n-3)
			}
			commits, items := b.Counts()
			if items != n-3 || commits >= items {
				t.Errorf("%d jobs in %d commits: no commit was shared", items, commits)
			}
			t.Logf("%d jobs, %d commits", items, commits)
		})
	}
}

func TestGroupCommitDropsJobsWhoseCallerLeft(t *testing.T) {
	t.Parallel()
	db := testDBs(t)[0]
	batchDB(t, db)
	b := NewBatcher(db, "probe", 8, applyProbes)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.Do(ctx, probeJob{id: "gone"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if probeCount(t, db) != 0 {
		t.Error("a job whose caller had left was written")
	}
}

func TestGroupCommitCanBeSwitchedOff(t *testing.T) {
	t.Parallel()
	db := testDBs(t)[0]
	batchDB(t, db)
	db.NoGroupCommit = true
	b := NewBatcher(db, "probe", 128, applyProbes)
	if b.queue != nil {
		t.Error("NoGroupCommit still started the worker")
	}
	ctx := context.Background()
	if err := b.Do(ctx, probeJob{id: "solo"}); err != nil {
		t.Fatal(err)
	}
	if err := b.Do(ctx, probeJob{id: "refused", fail: true}); err == nil {
		t.Error("a refused job succeeded")
	}
	if probeCount(t, db) != 1 {
		t.Error("want exactly the one good row")
	}
}

func TestInsertRowsChunks(t *testing.T) {
	t.Parallel()
	for _, db := range testDBs(t) {
		t.Run(string(db.Dialect), func(t *testing.T) {
			batchDB(t, db)
			// Two full statements of 64 rows and one of 7.
			var rows [][]any
			for i := range 135 {
				rows = append(rows, []any{fmt.Sprint("k", i)})
			}
			if err := InsertRows(context.Background(), db.W, "batch_probe", []string{"id"}, rows); err != nil {
				t.Fatal(err)
			}
			if got := probeCount(t, db); got != 135 {
				t.Errorf("%d rows, want 135", got)
			}
		})
	}
}

func TestExecAllRunsEveryStatement(t *testing.T) {
	t.Parallel()
	for _, db := range testDBs(t) {
		t.Run(string(db.Dialect), func(t *testing.T) {
			batchDB(t, db)
			ctx := context.Background()
			if _, err := db.W.Exec(`CREATE TABLE batch_sums (k TEXT PRIMARY KEY, n INTEGER NOT NULL)`); err != nil {
				t.Fatal(err)
			}
			upsert := func(k string, n int) Stmt {
				return Stmt{SQL: `INSERT INTO batch_sums (k, n) VALUES (?, ?)
				    ON CONFLICT (k) DO UPDATE SET n = batch_sums.n + excluded.n`, Args: []any{k, n}}
			}
			// One three-row INSERT and two upserts.
			stmts := append(InsertStmts("batch_probe", []string{"id"}, [][]any{{"a"}, {"b"}, {"c"}}),
				upsert("x", 2), upsert("y", 5))
			if len(stmts) != 3 {
				t.Fatalf("%d statements, want 3", len(stmts))
			}
			for range 2 {
				err := db.WithTx(ctx, func(tx *Tx) error { return ExecAll(ctx, tx, stmts[1:]) })
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := db.WithTx(ctx, func(tx *Tx) error { return ExecAll(ctx, tx, stmts) }); err != nil {
				t.Fatal(err)
			}
			var sums []string
			if err := db.W.Select(&sums, `SELECT k || '=' || CAST(n AS TEXT) FROM batch_sums ORDER BY k`); err != nil {
				t.Fatal(err)
			}
			// Three runs of the upserts: x = 3 × 2, y = 3 × 5.
			if got := strings.Join(sums, " "); got != "x=6 y=15" || probeCount(t, db) != 3 {
				t.Errorf("sums %q and %d rows, want x=6 y=15 and 3", got, probeCount(t, db))
			}
			// One failing statement fails them all.
			err := db.WithTx(ctx, func(tx *Tx) error {
				return ExecAll(ctx, tx, []Stmt{upsert("z", 1), stmts[0]}) // a, b, c again
			})
			if !IsUniqueViolation(err) {
				t.Fatalf("duplicate rows: err = %v", err)
			}
			var z int
			if err := db.W.Get(&z, `SELECT COUNT(*) FROM batch_sums WHERE k = 'z'`); err != nil || z != 0 {
				t.Errorf("the statement beside a failed one was kept (%d, %v)", z, err)
			}
		})
	}
}

func TestGroupCommitRollsBackABatchThatWroteNothing(t *testing.T) {
	t.Parallel()
	db := testDBs(t)[0]
	batchDB(t, db)
	b := NewBatcher(db, "probe", 8, applyProbes)
	if err := b.Do(context.Background(), probeJob{id: "no", fail: true}); err == nil {
		t.Fatal("a refused job succeeded")
	}
	if commits, items := b.Counts(); commits != 0 || items != 0 {
		t.Errorf("%d commits, %d jobs counted for a batch of one refused job, want none", commits, items)
	}
	if err := b.Do(context.Background(), probeJob{id: "yes"}); err != nil {
		t.Fatal(err)
	}
	if commits, items := b.Counts(); commits != 1 || items != 1 || probeCount(t, db) != 1 {
		t.Errorf("after one good job: %d commits, %d jobs, %d rows", commits, items, probeCount(t, db))
	}
}

func TestGroupCommitRefusesJobsOnceClosed(t *testing.T) {
	t.Parallel()
	db := testDBs(t)[0]
	batchDB(t, db)
	b := NewBatcher(db, "probe", 8, applyProbes)
	if err := b.Do(context.Background(), probeJob{id: "before"}); err != nil {
		t.Fatal(err)
	}
	b.close()
	if err := b.Do(context.Background(), probeJob{id: "after"}); !errors.Is(err, ErrClosed) {
		t.Errorf("Do after close = %v, want ErrClosed", err)
	}
	b.close() // closing twice is harmless
	if probeCount(t, db) != 1 {
		t.Error("want only the job done before closing")
	}
}
