package feedback

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/wenming/wenming/internal/store"
)

// ratingTotals owns the feedback aggregate tables (feedback_daily,
// feedback_monthly and their _dims tables): its methods are their only
// writers. The running totals move with every rating written (add) or
// excluded after an accepted appeal (remove); rebuild recomputes them from
// the ratings with the same rollup, and a test checks that the two agree.
type ratingTotals struct{}

// add puts rs into the totals inside tx. with are statements to send in the
// same round trip (the ratings' own insert).
func (ratingTotals) add(ctx context.Context, tx *store.Tx, rs []rating, with ...store.Stmt) error {
	var sums rollup
	for _, r := range rs {
		sums.add(r, 1)
	}
	return store.ExecAll(ctx, tx, append(with, sums.stmts()...))
}

// remove takes r out of the totals inside tx.
func (ratingTotals) remove(ctx context.Context, tx *store.Tx, r rating) error {
	var sums rollup
	sums.add(r, -1)
	if err := store.ExecAll(ctx, tx, sums.stmts()); err != nil {
		return fmt.Errorf("feedback: update aggregates: %w", err)
	}
	return nil
}

// RebuildAggregates recomputes every feedback aggregate from the stored
// ratings in a transaction of its own (ratingTotals.rebuild): for data
// loaded behind the service's back (bulk benchmark data, a restore) and for
// checking that nothing has drifted.
func RebuildAggregates(ctx context.Context, db *store.DB) error {
	_, err := RebuildAggregatesReporting(ctx, db, nil)
	return err
}

// RebuildAggregatesReporting is RebuildAggregates telling progress how
// many ratings it has read (every 10 000 and at the end); it returns how
// many it counted.
func RebuildAggregatesReporting(ctx context.Context, db *store.DB, progress func(n int)) (int, error) {
	var n int
	err := db.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		n, err = ratingTotals{}.rebuild(ctx, tx, progress)
		return err
	})
	return n, err
}

// CountRatings is how many ratings a rebuild reads (for a progress bar).
func CountRatings(ctx context.Context, db *store.DB) (int, error) {
	var n int
	err := db.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM feedback_ratings WHERE NOT excluded`)
	return n, err
}

// rebuild recomputes every aggregate (daily and monthly, overall and per
// dimension) inside tx from the stored ratings, leaving out excluded ones.
// It sums them with the same rollup add uses, so the two cannot differ.
func (ratingTotals) rebuild(ctx context.Context, tx *store.Tx, progress func(n int)) (int, error) {
	for _, t := range []string{"feedback_daily_dims", "feedback_daily", "feedback_monthly_dims", "feedback_monthly"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return 0, fmt.Errorf("feedback: rebuild: clear %s: %w", t, err)
		}
	}
	var sums rollup
	n := 0
	rows, err := tx.QueryContext(ctx, `SELECT target_id, level, dimensions, day FROM feedback_ratings WHERE NOT excluded`)
	if err != nil {
		return 0, fmt.Errorf("feedback: rebuild: read ratings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r rating
		var raw string
		if err := rows.Scan(&r.TargetID, &r.Level, &raw, &r.Day); err != nil {
			return 0, fmt.Errorf("feedback: rebuild: %w", err)
		}
		if !validLevel(r.Level) {
			return 0, fmt.Errorf("feedback: rebuild: a rating of %s has level %d", r.TargetID, r.Level)
		}
		if err := json.Unmarshal([]byte(raw), &r.Dimensions); err != nil {
			return 0, fmt.Errorf("feedback: rebuild: dimensions %q: %w", raw, err)
		}
		sums.add(r, 1)
		if n++; progress != nil && n%10000 == 0 {
			progress(10000)
		}
	}
	if progress != nil {
		progress(n % 10000)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	rows.Close()
	// Every statement writes a different row, so a chunk may go as one
	// statement; chunks keep it well under PostgreSQL's parameter limit.
	for chunk := range slices.Chunk(sums.stmts(), 64) {
		if err := store.ExecAll(ctx, tx, chunk); err != nil {
			return 0, fmt.Errorf("feedback: rebuild: %w", err)
		}
	}
	return n, nil
}

// rollup gathers what some ratings add to (or take from) the daily and
// monthly aggregates, so that each aggregate row is written once however
// many of the ratings touch it: in a QR-code burst at one window, every
// rating of the day lands on the same row.
type rollup struct {
	rows map[rollKey]*agg
	dims map[rollDimKey]*dimAgg
}

type rollKey struct {
	g      grain
	target string
	key    int
}

type rollDimKey struct {
	rollKey
	dim string
}

// add adds r to the sums (sign 1) or takes it out (sign -1).
func (u *rollup) add(r rating, sign int) {
	if u.rows == nil {
		u.rows, u.dims = map[rollKey]*agg{}, map[rollDimKey]*dimAgg{}
	}
	for _, g := range []grain{daily, monthly} {
		k := rollKey{g, r.TargetID, g.keyOf(r.Day)}
		a := u.rows[k]
		if a == nil {
			a = &agg{}
			u.rows[k] = a
		}
		a.N += int64(sign)
		a.Total += int64(sign * r.Level)
		a.Counts[r.Level-1] += int64(sign)
		for _, d := range r.Dimensions {
			dk := rollDimKey{k, d.Key}
			da := u.dims[dk]
			if da == nil {
				da = &dimAgg{Key: d.Key}
				u.dims[dk] = da
			}
			da.N += int64(sign)
			da.Total += int64(sign * d.Level)
		}
	}
}

// stmts returns one upsert per aggregate row, in key order so that
// concurrent writers take the rows' locks in the same order. The same
// upsert works on both dialects.
func (u *rollup) stmts() []store.Stmt {
	var out []store.Stmt
	for _, k := range slices.SortedFunc(maps.Keys(u.rows), compareRollKeys) {
		a := u.rows[k]
		out = append(out, store.Stmt{SQL: fmt.Sprintf(
			`INSERT INTO %[1]s (target_id, %[2]s, n, total, c1, c2, c3, c4, c5)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT (target_id, %[2]s) DO UPDATE SET
			     n = %[1]s.n + excluded.n, total = %[1]s.total + excluded.total,
			     c1 = %[1]s.c1 + excluded.c1, c2 = %[1]s.c2 + excluded.c2,
			     c3 = %[1]s.c3 + excluded.c3, c4 = %[1]s.c4 + excluded.c4,
			     c5 = %[1]s.c5 + excluded.c5`, k.g.table, k.g.key),
			Args: []any{k.target, k.key, a.N, a.Total, a.Counts[0], a.Counts[1], a.Counts[2], a.Counts[3], a.Counts[4]}})
	}
	for _, k := range slices.SortedFunc(maps.Keys(u.dims), func(a, b rollDimKey) int {
		return cmp.Or(compareRollKeys(a.rollKey, b.rollKey), cmp.Compare(a.dim, b.dim))
	}) {
		d := u.dims[k]
		out = append(out, store.Stmt{SQL: fmt.Sprintf(
			`INSERT INTO %[1]s (target_id, %[2]s, dimension, n, total) VALUES (?, ?, ?, ?, ?)
			 ON CONFLICT (target_id, %[2]s, dimension) DO UPDATE SET
			     n = %[1]s.n + excluded.n, total = %[1]s.total + excluded.total`, k.g.dims, k.g.key),
			Args: []any{k.target, k.key, k.dim, d.N, d.Total}})
	}
	return out
}

func compareRollKeys(a, b rollKey) int {
	return cmp.Or(cmp.Compare(a.g.table, b.g.table), cmp.Compare(a.target, b.target), cmp.Compare(a.key, b.key))
}
