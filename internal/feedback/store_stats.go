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

func (r aggRow) agg() Agg {
	return Agg{N: r.N, Total: r.Total, Counts: [5]int64{r.C1, r.C2, r.C3, r.C4, r.C5}}
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

// sumDays sums the daily aggregates of the given targets per day in
// [from, to] (yyyymmdd keys).
func sumDays(ctx context.Context, db store.Queryer, ids []string, from, to int) (map[int]Agg, error) {
	out := map[int]Agg{}
	err := eachChunk(ids, func(chunk []string) error {
		q, args, err := sqlx.In(`SELECT CAST(d.day AS TEXT) AS k, `+sumDaily+`
			FROM feedback_daily d WHERE d.target_id IN (?) AND d.day >= ? AND d.day <= ?
			GROUP BY d.day`, chunk, from, to)
		if err != nil {
			return err
		}
		var rows []aggRow
		if err := db.SelectContext(ctx, &rows, db.Rebind(q), args...); err != nil {
			return fmt.Errorf("feedback: daily statistics: %w", err)
		}
		for _, r := range rows {
			var day int
			if _, err := fmt.Sscan(r.Key, &day); err != nil {
				return fmt.Errorf("feedback: daily statistics: day %q: %w", r.Key, err)
			}
			a := out[day]
			a.Add(r.agg())
			out[day] = a
		}
		return nil
	})
	return out, err
}

// sumDims sums the dimension aggregates of the given targets over [from, to].
func sumDims(ctx context.Context, db store.Queryer, ids []string, from, to int) ([]DimAgg, error) {
	by := map[string]*DimAgg{}
	err := eachChunk(ids, func(chunk []string) error {
		q, args, err := sqlx.In(`SELECT d.dimension, SUM(d.n) AS n, SUM(d.total) AS total
			FROM feedback_daily_dims d WHERE d.target_id IN (?) AND d.day >= ? AND d.day <= ?
			GROUP BY d.dimension`, chunk, from, to)
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
				d = &DimAgg{Key: r.Key}
				by[r.Key] = d
			}
			d.N += r.N
			d.Total += r.Total
		}
		return nil
	})
	out := make([]DimAgg, 0, len(by))
	for _, d := range by {
		out = append(out, *d)
	}
	return out, err
}

// rankCandidates sums, for every target of kind (owned by dept if set),
// the aggregates of its subtree over [from, to]. Targets without ratings
// in the period are not returned. Rather than join every candidate with
// every target below it, it sums once per rated target and rolls each sum
// up the path into the candidates above it, so the cost grows with the
// number of rated targets times the tree depth.
func rankCandidates(ctx context.Context, db store.Queryer, kind Kind, dept string, from, to int) ([]Candidate, error) {
	q := `SELECT id, name FROM feedback_targets WHERE kind = ?`
	args := []any{string(kind)}
	if dept != "" {
		q += ` AND department_id = ?`
		args = append(args, dept)
	}
	var cands []struct {
		ID   string `db:"id"`
		Name string `db:"name"`
	}
	if err := db.SelectContext(ctx, &cands, db.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("feedback: ranking candidates: %w", err)
	}
	byID := make(map[string]*Candidate, len(cands))
	for _, c := range cands {
		byID[c.ID] = &Candidate{TargetID: c.ID, Name: c.Name}
	}
	var rated []aggRow
	err := db.SelectContext(ctx, &rated, db.Rebind(
		`SELECT d.target_id AS k, `+sumDaily+`
		 FROM feedback_daily d WHERE d.day >= ? AND d.day <= ?
		 GROUP BY d.target_id`), from, to)
	if err != nil {
		return nil, fmt.Errorf("feedback: ranking: %w", err)
	}
	var paths []struct {
		ID   string `db:"id"`
		Path string `db:"path"`
	}
	if err := db.SelectContext(ctx, &paths, `SELECT id, path FROM feedback_targets`); err != nil {
		return nil, fmt.Errorf("feedback: ranking paths: %w", err)
	}
	pathOf := make(map[string]string, len(paths))
	for _, p := range paths {
		pathOf[p.ID] = p.Path
	}
	for _, r := range rated {
		for _, id := range strings.Split(strings.Trim(pathOf[r.Key], "/"), "/") {
			if c, ok := byID[id]; ok {
				c.Agg.Add(r.agg())
			}
		}
	}
	out := make([]Candidate, 0, len(byID))
	for _, c := range cands {
		if a := byID[c.ID]; a.Agg.N > 0 {
			out = append(out, *a)
		}
	}
	return out, nil
}
