package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

func countKeys(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.R.Get(&n, `SELECT COUNT(*) FROM api_keys`); err != nil {
		t.Fatal(err)
	}
	return n
}

func insertKey(ctx context.Context, tx *store.Tx, id string) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO api_keys (id, name, role, key_hash, key_prefix, create_time)
		VALUES (?, 'n', 'admin', ?, 'p', 0)`), id, []byte(id))
	return err
}

func TestWithTxRollsBackOnErrorAndPanic(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.WithTx(ctx, func(tx *store.Tx) error {
			if err := insertKey(ctx, tx, "a"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("WithTx = %v, want the callback's error", err)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Error("panic was swallowed")
				}
			}()
			_ = db.WithTx(ctx, func(tx *store.Tx) error {
				if err := insertKey(ctx, tx, "b"); err != nil {
					return err
				}
				panic("mid-transaction")
			})
		}()
		if n := countKeys(t, db); n != 0 {
			t.Errorf("%d rows survived rolled-back transactions", n)
		}
		if err := db.WithTx(ctx, func(tx *store.Tx) error { return insertKey(ctx, tx, "c") }); err != nil {
			t.Fatal(err)
		}
		if n := countKeys(t, db); n != 1 {
			t.Errorf("committed transaction left %d rows, want 1", n)
		}
		err = db.WithTx(ctx, func(tx *store.Tx) error { return insertKey(ctx, tx, "c") })
		if !store.IsUniqueViolation(err) {
			t.Errorf("duplicate primary key: IsUniqueViolation(%v) = false", err)
		}
	})
}

func TestOnceRunsARequestIDOnceEvenUnderConcurrency(t *testing.T) {
	t.Parallel()
	storetest.Each(t, testOnce)
}

func testOnce(t *testing.T, db *store.DB) {
	ctx := context.Background()
	req := wrapperspb.String("create key x")
	call := store.Call{Method: "/test/Create", Scope: "key-1", RequestID: "r-1", Request: req}
	var (
		mu    sync.Mutex
		runs  int
		wg    sync.WaitGroup
		first = make(chan string, 8)
	)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := store.Once(ctx, db, call, func(tx *store.Tx) (*wrapperspb.StringValue, error) {
				mu.Lock()
				runs++
				mu.Unlock()
				id := "k" + string(rune('0'+i))
				return wrapperspb.String(id), insertKey(ctx, tx, id)
			})
			if err != nil {
				t.Errorf("Once: %v", err)
				return
			}
			first <- resp.GetValue()
		}()
	}
	wg.Wait()
	close(first)
	var answers []string
	for a := range first {
		answers = append(answers, a)
	}
	for _, a := range answers {
		if a != answers[0] {
			t.Fatalf("concurrent retries got different answers: %v", answers)
		}
	}
	if n := countKeys(t, db); n != 1 {
		t.Errorf("%d rows written for one request id (callback ran %d times)", n, runs)
	}

	// Another caller's identical request id is its own request.
	other := call
	other.Scope = "key-2"
	if _, err := store.Once(ctx, db, other, func(tx *store.Tx) (*wrapperspb.StringValue, error) {
		return wrapperspb.String("k-other"), insertKey(ctx, tx, "k-other")
	}); err != nil {
		t.Fatal(err)
	}
	if n := countKeys(t, db); n != 2 {
		t.Errorf("request ids leaked across callers: %d rows, want 2", n)
	}

	// The same id with a different request is refused and writes nothing.
	changed := call
	changed.Request = structpb.NewStringValue("something else")
	_, err := store.Once(ctx, db, changed, func(tx *store.Tx) (*wrapperspb.StringValue, error) {
		return wrapperspb.String("k-x"), insertKey(ctx, tx, "k-x")
	})
	if status.Code(err) != codes.FailedPrecondition {
		t.Errorf("reused request id: %v, want FailedPrecondition", err)
	}
	if n := countKeys(t, db); n != 2 {
		t.Errorf("reused request id wrote a row: %d rows", n)
	}
}

func TestSQLiteIsConfiguredAsAServerDatabase(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "synchronous": "2", "busy_timeout": "10000"} {
		var got string
		if err := db.W.Get(&got, "PRAGMA "+pragma); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
	if n := db.W.Stats().MaxOpenConnections; n != 1 {
		t.Errorf("writer pool allows %d connections, want 1", n)
	}
	if _, err := db.R.Exec(`DELETE FROM api_keys`); err == nil {
		t.Error("the read pool accepted a write")
	}
}

func TestOpenRejectsUnknownDatabases(t *testing.T) {
	t.Parallel()
	if _, err := store.Open(context.Background(), "mysql://x"); err == nil {
		t.Error("Open(mysql://x) succeeded")
	}
}

func TestSchemaCurrentAfterMigrate(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ok, err := db.SchemaCurrent(context.Background())
		if err != nil || !ok {
			t.Fatalf("SchemaCurrent after Migrate = %v, %v", ok, err)
		}
	})
}
