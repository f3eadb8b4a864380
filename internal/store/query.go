package store

import (
	"context"
	"fmt"
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

// Stmt is one SQL statement, with ? placeholders, and its arguments.
type Stmt struct {
	SQL  string
	Args []any
}

// ExecAll runs independent write statements (INSERT, UPDATE, DELETE) in
// q. On PostgreSQL they go as one statement, each a data-modifying WITH
// clause, so a batch of writes costs one round trip instead of one per
// statement — under load a round trip, not the work in it, is what a
// PostgreSQL write waits for. On SQLite, where a statement costs no round
// trip, they run one after another. The statements must not depend on each
// other's effects: on PostgreSQL they all see the data as it was before.
func ExecAll(ctx context.Context, q Queryer, stmts []Stmt) error {
	if len(stmts) > 1 && isPostgres(q) {
		var b strings.Builder
		var args []any
		for i, st := range stmts {
			if i == 0 {
				b.WriteString("WITH ")
			} else {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "w%d AS (%s)", i, st.SQL)
			args = append(args, st.Args...)
		}
		b.WriteString(" SELECT 1")
		stmts = []Stmt{{SQL: b.String(), Args: args}}
	}
	for _, st := range stmts {
		if _, err := q.ExecContext(ctx, q.Rebind(st.SQL), st.Args...); err != nil {
			return err
		}
	}
	return nil
}

func isPostgres(q Queryer) bool {
	d, ok := q.(interface{ DriverName() string })
	return ok && d.DriverName() == "pgx"
}

// InsertRows inserts rows (each a value per column of cols) into table
// with the statements of InsertStmts.
func InsertRows(ctx context.Context, q Queryer, table string, cols []string, rows [][]any) error {
	return ExecAll(ctx, q, InsertStmts(table, cols, rows))
}

// InsertStmts returns multi-row INSERT statements for rows (each a value
// per column of cols): one for up to 64 rows, so a batch of writes costs
// one statement rather than one per row. Each row count has its own
// statement text, so at most 64 texts per table sit in the statement
// caches. table and cols are names written in the code, never input.
func InsertStmts(table string, cols []string, rows [][]any) []Stmt {
	var out []Stmt
	for len(rows) > 0 {
		n := min(len(rows), 64)
		out = append(out, Stmt{SQL: insertText(table, cols, n), Args: flatten(rows[:n], len(cols))})
		rows = rows[n:]
	}
	return out
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
