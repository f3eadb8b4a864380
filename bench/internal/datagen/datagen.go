// Package datagen builds the data the load harness measures against: small
// fixtures made through the public RPCs (a feedback target, a quiz
// contest, a civility-index round) and large data sets for the
// analytic-scaling targets of issue 6, written with bulk SQL straight into
// a migrated wenming database where going through the RPCs would take
// hours (a million ratings, a million attempts).
//
// Each domain lives in its own file (feedback.go, quiz.go, civindex.go)
// because those schemas are still settling: when a migration changes, only
// that file needs to follow it. Every bulk writer fills the maintained
// aggregates the read RPCs use (feedback_daily, leaderboard, …) the way the
// service would, so the reads see a database the service could have made.
package datagen

import (
	"context"
	"fmt"
	"strings"

	"github.com/wenming/wenming/internal/store"
)

// Sizes of the analytic-scaling data sets at scale 1 (issue 6, part 4).
const (
	FullSites    = 1000
	FullItems    = 100
	FullRounds   = 10
	FullRatings  = 1_000_000
	FullAttempts = 1_000_000
)

// uuidish makes a UUID-shaped id (version 7 nibble, RFC 4122 variant) from
// a domain tag and a sequence number, so bulk rows have ids that sort and
// look like the server's without a random source per row.
func uuidish(tag uint16, n int64) string {
	return fmt.Sprintf("0190%04x-%04x-7%03x-8%03x-%012x", tag, (n>>48)&0xffff, (n>>36)&0xfff, (n>>24)&0xfff, n&0xffffffffffff)
}

// bulk inserts rows in multi-row INSERT statements inside one transaction
// per call. row(i) returns the values of row i in column order. It keeps
// each statement under both dialects' limit on bound parameters.
func bulk(ctx context.Context, db *store.DB, table string, cols []string, n int, row func(i int) []any) error {
	per := max(1, 30000/len(cols))
	per = min(per, 1000)
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	return db.WithTx(ctx, func(tx *store.Tx) error {
		var stmt string
		var stmtRows int
		args := make([]any, 0, per*len(cols))
		for start := 0; start < n; start += per {
			k := min(per, n-start)
			if k != stmtRows {
				stmt = tx.Rebind(head + strings.TrimSuffix(strings.Repeat(tuple+", ", k), ", "))
				stmtRows = k
			}
			args = args[:0]
			for i := start; i < start+k; i++ {
				args = append(args, row(i)...)
			}
			if _, err := tx.ExecContext(ctx, stmt, args...); err != nil {
				return fmt.Errorf("datagen: insert into %s: %w", table, err)
			}
		}
		return nil
	})
}

// Analyze refreshes the planner statistics after a bulk load, as an
// operator would after an import (autovacuum would get there on its own).
func Analyze(ctx context.Context, db *store.DB) error {
	q := "ANALYZE"
	_, err := db.W.ExecContext(ctx, q)
	return err
}
