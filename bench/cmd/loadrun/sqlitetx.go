package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/store"
)

// runSQLiteTx measures durable inserts straight into SQLite, opened with
// wenming's own settings (store.Open: WAL, synchronous=FULL, one writer
// connection): cfg.concurrency goroutines each commit transactions of
// rowsPerTx single-row INSERTs back to back. rowsPerTx 1 is "one
// transaction per rating", the baseline for group commit; a larger batch
// shows what sharing one fsync among many rows buys on this disk. RPS
// counts rows; latencies are per transaction.
func runSQLiteTx(ctx context.Context, cfg *config, tag string, rowsPerTx int) (measurement, error) {
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(cfg.work, "sqlitetx-"+tag+".db"))
	if err != nil {
		return measurement{}, err
	}
	defer db.Close()
	var sync string
	if err := db.W.GetContext(ctx, &sync, "PRAGMA synchronous"); err != nil {
		return measurement{}, err
	}
	if sync != "2" {
		return measurement{}, fmt.Errorf("store.Open gave synchronous=%s, want 2 (FULL)", sync)
	}
	if _, err := db.W.ExecContext(ctx, `CREATE TABLE bench_ratings (
	    id INTEGER PRIMARY KEY, target_id TEXT NOT NULL, level INTEGER NOT NULL,
	    comment TEXT NOT NULL, create_time BIGINT NOT NULL)`); err != nil {
		return measurement{}, err
	}
	if _, err := db.W.ExecContext(ctx, `CREATE INDEX bench_ratings_target ON bench_ratings (target_id, create_time)`); err != nil {
		return measurement{}, err
	}
	insert := "INSERT INTO bench_ratings (target_id, level, comment, create_time) VALUES " +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?),", rowsPerTx), ",")
	res := closedLoop(ctx, cfg.concurrency, cfg.duration, func(ctx context.Context, worker, n int) error {
		args := make([]any, 0, 4*rowsPerTx)
		for i := range rowsPerTx {
			args = append(args, "t-1", (worker+n+i)%5+1, "sqlite", time.Now().UnixMicro())
		}
		return db.WithTx(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, insert, args...)
			return err
		})
	})
	res.RPS *= float64(rowsPerTx)
	return res, nil
}
