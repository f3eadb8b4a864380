package feedback

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/wenming/wenming/internal/store"
)

// aggRow is a sum over feedback_daily rows.
type aggRow struct {
	Key   string `db:"k"`
	N     int64  `db:"n"`
	Total int64  `db:"total"`
	C1    int64  `db:"c1"`
	C2    int64  `db:"c2"`
	C3    int64  `db:"c3"`
	C4    int64  `db:"c4"`
	C5    int64  `db:"c5"`
}

func (r aggRow) agg() agg {
	return agg{N: r.N, Total: r.Total, Counts: [5]int64{r.C1, r.C2, r.C3, r.C4, r.C5}}
}

const sumDaily = `COALESCE(SUM(d.n), 0) AS n, COALESCE(SUM(d.total), 0) AS total,
       COALESCE(SUM(d.c1), 0) AS c1, COALESCE(SUM(d.c2), 0) AS c2, COALESCE(SUM(d.c3), 0) AS c3,
       COALESCE(SUM(d.c4), 0) AS c4, COALESCE(SUM(d.c5), 0) AS c5`

// subtreeIDs lists the ids of the target at path and everything under it.
// The target table is small next to the aggregates, so this runs first and
// the aggregates are then read by primary key, never scanned.
func subtreeIDs(ctx context.Context, db store.Queryer, path string) ([]string, error) {
	var ids []string
	if err := db.SelectContext(ctx, &ids, db.Rebind(`SELECT id FROM feedback_targets WHERE path LIKE ?`), path+"%"); err != nil {
		return nil, fmt.Errorf("feedback: subtree: %w", err)
	}
	return ids, nil
}

// idChunk bounds the ids in one IN list, well under either dialect's
// parameter limit; sums over chunks add up exactly.
const idChunk = 2000

// eachChunk calls fn with successive slices of at most idChunk ids.
func eachChunk(ids []string, fn func([]string) error) error {
	for len(ids) > 0 {
		n := min(len(ids), idChunk)
		if err := fn(ids[:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// sumKeys sums the aggregates of grain g for the given targets per key in
// [from, to] (yyyymmdd days or yyyymm months).
func sumKeys(ctx context.Context, db store.Queryer, g grain, ids []string, from, to int) (map[int]agg, error) {
	out := map[int]agg{}
	err := eachChunk(ids, func(chunk []string) error {
		q, args, err := sqlx.In(fmt.Sprintf(`SELECT CAST(d.%[2]s AS TEXT) AS k, `+sumDaily+`
			FROM %[1]s d WHERE d.target_id IN (?) AND d.%[2]s >= ? AND d.%[2]s <= ?
			GROUP BY d.%[2]s`, g.table, g.key), chunk, from, to)
		if err != nil {
			return err
		}
		var rows []aggRow
		if err := db.SelectContext(ctx, &rows, db.Rebind(q), args...); err != nil {
			return fmt.Errorf("feedback: statistics: %w", err)
		}
		for _, r := range rows {
			var key int
			if _, err := fmt.Sscan(r.Key, &key); err != nil {
				return fmt.Errorf("feedback: statistics: key %q: %w", r.Key, err)
			}
			a := out[key]
			a.Add(r.agg())
			out[key] = a
		}
		return nil
	})
	return out, err
}

// sumDims sums the dimension aggregates of grain g for the given targets
// over [from, to] into by.
func sumDims(ctx context.Context, db store.Queryer, g grain, ids []string, from, to int, by map[string]*dimAgg) error {
	return eachChunk(ids, func(chunk []string) error {
		q, args, err := sqlx.In(fmt.Sprintf(`SELECT d.dimension, SUM(d.n) AS n, SUM(d.total) AS total
			FROM %[1]s d WHERE d.target_id IN (?) AND d.%[2]s >= ? AND d.%[2]s <= ?
			GROUP BY d.dimension`, g.dims, g.key), chunk, from, to)
		if err != nil {
			return err
		}
		var rows []struct {
			Key   string `db:"dimension"`
			N     int64  `db:"n"`
			Total int64  `db:"total"`
		}
		if err := db.SelectContext(ctx, &rows, db.Rebind(q), args...); err != nil {
			return fmt.Errorf("feedback: dimension statistics: %w", err)
		}
		for _, r := range rows {
			d := by[r.Key]
			if d == nil {
				d = &dimAgg{Key: r.Key}
				by[r.Key] = d
			}
			d.N += r.N
			d.Total += r.Total
		}
		return nil
	})
}

// periodDays returns the aggregates of the given targets over p keyed by
// yyyymmdd. With months, whole months inside p come from the monthly
// roll-up, filed under their first day; only the days of partial months
// at either end are read day by day. Without, every day is its own key.
func periodDays(ctx context.Context, db store.Queryer, ids []string, p Period, months bool) (map[int]agg, error) {
	out := map[int]agg{}
	for _, r := range splitPeriod(p, months).ranges() {
		sums, err := sumKeys(ctx, db, r.g, ids, r.from, r.to)
		if err != nil {
			return nil, err
		}
		for k, a := range sums {
			if r.g == monthly {
				k = k*100 + 1
			}
			out[k] = a
		}
	}
	return out, nil
}

// periodDims sums the dimension aggregates of the given targets over p.
func periodDims(ctx context.Context, db store.Queryer, ids []string, p Period) ([]dimAgg, error) {
	by := map[string]*dimAgg{}
	for _, r := range splitPeriod(p, true).ranges() {
		if err := sumDims(ctx, db, r.g, ids, r.from, r.to, by); err != nil {
			return nil, err
		}
	}
	out := make([]dimAgg, 0, len(by))
	for _, d := range by {
		out = append(out, *d)
	}
	return out, nil
}

// rankCandidates sums, for every target of kind (owned by dept if set),
// the aggregates of its subtree over [from, to]. Targets without ratings
// in the period are not returned. Rather than join every candidate with
// every target below it, it sums once per rated target and rolls each sum
// up the path into the candidates above it, so the cost grows with the
// number of rated targets times the tree depth.
func rankCandidates(ctx context.Context, db store.Queryer, kind Kind, dept string, p Period) ([]candidate, error) {
	// Every target's path is needed to roll the sums up, so one read of
	// the targets gives both the candidates and the paths.
	var targets []struct {
		ID           string `db:"id"`
		Name         string `db:"name"`
		Kind         string `db:"kind"`
		DepartmentID string `db:"department_id"`
		Path         string `db:"path"`
	}
	if err := db.SelectContext(ctx, &targets, `SELECT id, name, kind, department_id, path FROM feedback_targets`); err != nil {
		return nil, fmt.Errorf("feedback: ranking targets: %w", err)
	}
	var cands []*candidate
	byID := map[string]*candidate{}
	pathOf := make(map[string]string, len(targets))
	for _, t := range targets {
		pathOf[t.ID] = t.Path
		if Kind(t.Kind) == kind && (dept == "" || t.DepartmentID == dept) {
			c := &candidate{TargetID: t.ID, Name: t.Name}
			cands = append(cands, c)
			byID[t.ID] = c
		}
	}
	var rated []aggRow
	for _, r := range splitPeriod(p, true).ranges() {
		var rows []aggRow
		err := db.SelectContext(ctx, &rows, db.Rebind(fmt.Sprintf(
			`SELECT d.target_id AS k, `+sumDaily+`
			 FROM %[1]s d WHERE d.%[2]s >= ? AND d.%[2]s <= ?
			 GROUP BY d.target_id`, r.g.table, r.g.key)), r.from, r.to)
		if err != nil {
			return nil, fmt.Errorf("feedback: ranking: %w", err)
		}
		rated = append(rated, rows...)
	}
	for _, r := range rated {
		for _, id := range strings.Split(strings.Trim(pathOf[r.Key], "/"), "/") {
			if c, ok := byID[id]; ok {
				c.Agg.Add(r.agg())
			}
		}
	}
	out := make([]candidate, 0, len(cands))
	for _, c := range cands {
		if c.Agg.N > 0 {
			out = append(out, *c)
		}
	}
	return out, nil
}
