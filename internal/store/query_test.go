package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

// letters is a table of three rows, a, b and c, that needs no migration.
const letters = `SELECT id FROM (SELECT 'a' AS id UNION ALL SELECT 'b' UNION ALL SELECT 'c') t WHERE 1 = 1`

type letterRow struct {
	ID string `db:"id"`
}

func upper(r letterRow) (string, error) { return strings.ToUpper(r.ID), nil }

func TestSelectAllConvertsEveryRowInOrder(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		got, err := store.SelectAll(ctx, db.R, upper, letters+` AND id <> ? ORDER BY id`, "b")
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"A", "C"}; !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}

		none, err := store.SelectAll(ctx, db.R, upper, letters+` AND id = ?`, "z")
		if err != nil || none == nil || len(none) != 0 {
			t.Errorf("no rows: got %#v, %v; want an empty non-nil slice", none, err)
		}

		boom := errors.New("boom")
		_, err = store.SelectAll(ctx, db.R, func(r letterRow) (string, error) {
			if r.ID == "b" {
				return "", boom
			}
			return r.ID, nil
		}, letters)
		if !errors.Is(err, boom) {
			t.Errorf("conversion error: got %v, want %v", err, boom)
		}

		if _, err := store.SelectAll(ctx, db.R, upper, `SELECT id FROM no_such_table`); err == nil {
			t.Error("query error: got nil")
		}
	})
}

func TestPageWalksKeysetPagesBothWays(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		walk := func(pageFn func(string, []any, string, string, int) (string, []any)) []string {
			var seen []string
			after := ""
			for range 5 {
				q, args := pageFn(letters, nil, "id", after, 2)
				got, err := store.SelectAll(ctx, db.R, upper, q, args...)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) == 0 {
					return seen
				}
				seen = append(seen, strings.Join(got, ""))
				after = strings.ToLower(got[len(got)-1])
			}
			t.Fatal("paging did not end")
			return nil
		}
		if got, want := walk(store.PageDesc), []string{"CB", "A"}; !slices.Equal(got, want) {
			t.Errorf("PageDesc pages = %q, want %q", got, want)
		}
		if got, want := walk(store.PageAsc), []string{"AB", "C"}; !slices.Equal(got, want) {
			t.Errorf("PageAsc pages = %q, want %q", got, want)
		}
	})
}

func TestPageSQL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, after string
		limit       int
		wantSQL     string
		wantArgs    []any
	}{
		{"first page", "", 10, `Q ORDER BY c.id DESC LIMIT ?`, []any{1, 10}},
		{"later page", "k", 10, `Q AND c.id < ? ORDER BY c.id DESC LIMIT ?`, []any{1, "k", 10}},
		{"no limit", "k", 0, `Q AND c.id < ? ORDER BY c.id DESC`, []any{1, "k"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q, args := store.PageDesc("Q", []any{1}, "c.id", tc.after, tc.limit)
			if q != tc.wantSQL || !slices.Equal(args, tc.wantArgs) {
				t.Errorf("PageDesc = %q %v, want %q %v", q, args, tc.wantSQL, tc.wantArgs)
			}
		})
	}
	if q, _ := store.PageAsc("Q", nil, "id", "k", 5); q != `Q AND id > ? ORDER BY id LIMIT ?` {
		t.Errorf("PageAsc = %q", q)
	}
}
