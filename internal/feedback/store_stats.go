package feedback

import (
	"context"
	"fmt"

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

// subtreeDays sums the daily aggregates of every target whose path starts
// with path, per day in [from, to] (yyyymmdd keys).
func subtreeDays(ctx context.Context, db store.Queryer, path string, from, to int) (map[int]Agg, error) {
	var rows []aggRow
	err := db.SelectContext(ctx, &rows, db.Rebind(
		`SELECT CAST(d.day AS TEXT) AS k, `+sumDaily+`
		 FROM feedback_targets t JOIN feedback_daily d ON d.target_id = t.id
		 WHERE t.path LIKE ? AND d.day >= ? AND d.day <= ?
		 GROUP BY d.day`), path+"%", from, to)
	if err != nil {
		return nil, fmt.Errorf("feedback: daily statistics: %w", err)
	}
	out := make(map[int]Agg, len(rows))
	for _, r := range rows {
		var day int
		if _, err := fmt.Sscan(r.Key, &day); err != nil {
			return nil, fmt.Errorf("feedback: daily statistics: day %q: %w", r.Key, err)
		}
		out[day] = r.agg()
	}
	return out, nil
}

// subtreeDims sums the dimension aggregates of a subtree over [from, to].
func subtreeDims(ctx context.Context, db store.Queryer, path string, from, to int) ([]DimAgg, error) {
	var rows []struct {
		Key   string `db:"dimension"`
		N     int64  `db:"n"`
		Total int64  `db:"total"`
	}
	err := db.SelectContext(ctx, &rows, db.Rebind(
		`SELECT d.dimension, SUM(d.n) AS n, SUM(d.total) AS total
		 FROM feedback_targets t JOIN feedback_daily_dims d ON d.target_id = t.id
		 WHERE t.path LIKE ? AND d.day >= ? AND d.day <= ?
		 GROUP BY d.dimension`), path+"%", from, to)
	if err != nil {
		return nil, fmt.Errorf("feedback: dimension statistics: %w", err)
	}
	out := make([]DimAgg, len(rows))
	for i, r := range rows {
		out[i] = DimAgg{Key: r.Key, N: r.N, Total: r.Total}
	}
	return out, nil
}

// rankCandidates sums, for every target of kind (owned by dept if set),
// the aggregates of its subtree over [from, to]. Targets without ratings
// in the period are not returned.
func rankCandidates(ctx context.Context, db store.Queryer, kind Kind, dept string, from, to int) ([]Candidate, error) {
	q := `SELECT c.id AS k, c.name, ` + sumDaily + `
		 FROM feedback_targets c
		 JOIN feedback_targets t ON t.path LIKE c.path || '%'
		 JOIN feedback_daily d ON d.target_id = t.id
		 WHERE c.kind = ? AND d.day >= ? AND d.day <= ?`
	args := []any{string(kind), from, to}
	if dept != "" {
		q += ` AND c.department_id = ?`
		args = append(args, dept)
	}
	q += ` GROUP BY c.id, c.name`
	var rows []struct {
		aggRow
		Name string `db:"name"`
	}
	if err := db.SelectContext(ctx, &rows, db.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("feedback: ranking: %w", err)
	}
	out := make([]Candidate, len(rows))
	for i, r := range rows {
		out[i] = Candidate{TargetID: r.Key, Name: r.Name, Agg: r.agg()}
	}
	return out, nil
}
