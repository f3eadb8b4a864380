package store

import "context"

// SelectAll runs query (written with ? placeholders; it is rebound for q's
// dialect) and converts each row to a T with conv, keeping the order. It
// stops at the first conversion error. No rows gives an empty, non-nil
// slice. Errors are returned as they are, for the caller to wrap with what
// it was doing.
func SelectAll[R, T any](ctx context.Context, q Queryer, conv func(R) (T, error), query string, args ...any) ([]T, error) {
	var rows []R
	if err := q.SelectContext(ctx, &rows, q.Rebind(query), args...); err != nil {
		return nil, err
	}
	out := make([]T, 0, len(rows))
	for _, r := range rows {
		t, err := conv(r)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// PageDesc finishes a list query that pages by keyset on col, a unique
// column, newest (largest) first: it keeps the rows whose col sorts before
// after when after is set (the key the previous page ended on), orders by
// col descending and returns at most limit rows (all of them when limit is
// 0 or less). q must already have a WHERE clause. col is a column name
// written in the code, never input; after and limit are passed as
// arguments, appended to args.
func PageDesc(q string, args []any, col, after string, limit int) (string, []any) {
	return page(q, args, col, " < ?", " DESC", after, limit)
}

// PageAsc is PageDesc in ascending order: rows whose col sorts after after,
// smallest first.
func PageAsc(q string, args []any, col, after string, limit int) (string, []any) {
	return page(q, args, col, " > ?", "", after, limit)
}

func page(q string, args []any, col, cmp, dir, after string, limit int) (string, []any) {
	if after != "" {
		q += ` AND ` + col + cmp
		args = append(args, after)
	}
	q += ` ORDER BY ` + col + dir
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	return q, args
}
