package feedback

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/wenming/wenming/internal/store"
)

// RebuildAggregates recomputes every feedback aggregate (daily and monthly,
// overall and per dimension) from the stored ratings, leaving out excluded
// ones. Submit and accepted appeals keep them current on their own; this
// is for data loaded behind the service's back (bulk benchmark data, a
// restore) and for checking that nothing has drifted.
func RebuildAggregates(ctx context.Context, db *store.DB) error {
	type dayKey struct {
		target string
		day    int
	}
	type dimKey struct {
		dayKey
		dim string
	}
	return db.WithTx(ctx, func(tx *store.Tx) error {
		for _, t := range []string{"feedback_daily_dims", "feedback_daily", "feedback_monthly_dims", "feedback_monthly"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
				return fmt.Errorf("feedback: rebuild: clear %s: %w", t, err)
			}
		}
		aggs := map[dayKey]*Agg{}
		dims := map[dimKey]*DimAgg{}
		rows, err := tx.QueryContext(ctx, `SELECT target_id, level, dimensions, day FROM feedback_ratings WHERE NOT excluded`)
		if err != nil {
			return fmt.Errorf("feedback: rebuild: read ratings: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k dayKey
			var level int
			var raw string
			if err := rows.Scan(&k.target, &level, &raw, &k.day); err != nil {
				return fmt.Errorf("feedback: rebuild: %w", err)
			}
			if !validLevel(level) {
				return fmt.Errorf("feedback: rebuild: a rating of %s has level %d", k.target, level)
			}
			a := aggs[k]
			if a == nil {
				a = &Agg{}
				aggs[k] = a
			}
			a.N++
			a.Total += int64(level)
			a.Counts[level-1]++
			var ds []DimLevel
			if err := json.Unmarshal([]byte(raw), &ds); err != nil {
				return fmt.Errorf("feedback: rebuild: dimensions %q: %w", raw, err)
			}
			for _, d := range ds {
				dk := dimKey{k, d.Key}
				da := dims[dk]
				if da == nil {
					da = &DimAgg{Key: d.Key}
					dims[dk] = da
				}
				da.N++
				da.Total += int64(d.Level)
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		for k, a := range aggs {
			if _, err := tx.ExecContext(ctx, tx.Rebind(
				`INSERT INTO feedback_daily (target_id, day, n, total, c1, c2, c3, c4, c5) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
				k.target, k.day, a.N, a.Total, a.Counts[0], a.Counts[1], a.Counts[2], a.Counts[3], a.Counts[4]); err != nil {
				return fmt.Errorf("feedback: rebuild: %w", err)
			}
		}
		for k, d := range dims {
			if _, err := tx.ExecContext(ctx, tx.Rebind(
				`INSERT INTO feedback_daily_dims (target_id, day, dimension, n, total) VALUES (?, ?, ?, ?, ?)`),
				k.target, k.day, k.dim, d.N, d.Total); err != nil {
				return fmt.Errorf("feedback: rebuild: %w", err)
			}
		}
		// Months are sums of days; the same statement serves both dialects.
		for _, q := range []string{
			`INSERT INTO feedback_monthly (target_id, month, n, total, c1, c2, c3, c4, c5)
			 SELECT target_id, day / 100, SUM(n), SUM(total), SUM(c1), SUM(c2), SUM(c3), SUM(c4), SUM(c5)
			 FROM feedback_daily GROUP BY target_id, day / 100`,
			`INSERT INTO feedback_monthly_dims (target_id, month, dimension, n, total)
			 SELECT target_id, day / 100, dimension, SUM(n), SUM(total)
			 FROM feedback_daily_dims GROUP BY target_id, day / 100, dimension`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("feedback: rebuild months: %w", err)
			}
		}
		return nil
	})
}
