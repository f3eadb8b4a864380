package store

import (
	"context"
	"path/filepath"
	"testing"
)

func TestWriterReusesPreparedExecStatements(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// A script (several statements in one Exec) still runs whole.
	if _, err := db.W.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t (v);`); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := db.W.Exec(`INSERT INTO t (id, v) VALUES (?, ?)`, i, "x"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.W.Exec(`INSERT INTO t (id, v) VALUES (?, ?)`, 1, "dup"); !IsUniqueViolation(err) {
		t.Errorf("duplicate key through a cached statement: %v, want a unique violation", err)
	}
	var n int
	if err := db.W.Get(&n, `SELECT COUNT(*) FROM t`); err != nil || n != 5 {
		t.Fatalf("rows = %d, %v; want 5", n, err)
	}
	conn, err := db.W.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Raw(func(dc any) error {
		cc, ok := dc.(*cachingConn)
		if !ok {
			t.Fatalf("writer connection is %T, want the caching wrapper", dc)
		}
		if _, ok := cc.stmts[`INSERT INTO t (id, v) VALUES (?, ?)`]; !ok || len(cc.stmts) > 3 {
			t.Errorf("cache holds %d statements and not the INSERT", len(cc.stmts))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
