package feedback

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/wenming/wenming/internal/store"
)

// RebuildAggregates recomputes every feedback aggregate (daily and monthly,
// overall and per dimension) from the stored ratings, leaving out excluded
// ones. Submit and accepted appeals keep them current on their own; this
// is for data loaded behind the service's back (bulk benchmark data, a
// restore) and for checking that nothing has drifted. It sums the ratings
// with the same rollup Submit writes them with, so the two cannot differ.
func RebuildAggregates(ctx context.Context, db *store.DB) error {
	return db.WithTx(ctx, func(tx *store.Tx) error {
		for _, t := range []string{"feedback_daily_dims", "feedback_daily", "feedback_monthly_dims", "feedback_monthly"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
				return fmt.Errorf("feedback: rebuild: clear %s: %w", t, err)
			}
		}
		var sums rollup
		rows, err := tx.QueryContext(ctx, `SELECT target_id, level, dimensions, day FROM feedback_ratings WHERE NOT excluded`)
		if err != nil {
			return fmt.Errorf("feedback: rebuild: read ratings: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r Rating
			var raw string
			if err := rows.Scan(&r.TargetID, &r.Level, &raw, &r.Day); err != nil {
				return fmt.Errorf("feedback: rebuild: %w", err)
			}
			if !validLevel(r.Level) {
				return fmt.Errorf("feedback: rebuild: a rating of %s has level %d", r.TargetID, r.Level)
			}
			if err := json.Unmarshal([]byte(raw), &r.Dimensions); err != nil {
				return fmt.Errorf("feedback: rebuild: dimensions %q: %w", raw, err)
			}
			sums.add(r, 1)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		// Every statement writes a different row, so a chunk may go as one
		// statement; chunks keep it well under PostgreSQL's parameter limit.
		for chunk := range slices.Chunk(sums.stmts(), 64) {
			if err := store.ExecAll(ctx, tx, chunk); err != nil {
				return fmt.Errorf("feedback: rebuild: %w", err)
			}
		}
		return nil
	})
}
