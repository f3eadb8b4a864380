package store

import (
	"context"
	"strings"
)

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

// InsertRows inserts rows (each a value per column of cols) into table
// with multi-row INSERT statements: one round trip for up to 64 rows, so a
// batch of writes costs one statement rather than one per row. Each row
// count has its own statement text, so at most 64 texts per table sit in
// the statement caches. table and cols are names written in the code,
// never input.
func InsertRows(ctx context.Context, q Queryer, table string, cols []string, rows [][]any) error {
	for len(rows) > 0 {
		n := min(len(rows), 64)
		if _, err := q.ExecContext(ctx, q.Rebind(insertText(table, cols, n)), flatten(rows[:n], len(cols))...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func insertText(table string, cols []string, n int) string {
	row := "(" + strings.Repeat("?, ", len(cols)-1) + "?)"
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

func flatten(rows [][]any, width int) []any {
	out := make([]any, 0, len(rows)*width)
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
