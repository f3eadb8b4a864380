package feedback_test

import (
	"context"
	"testing"

	"github.com/wenming/wenming/internal/demo"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
)

func TestDemoBureauLoadsOnceWithConsistentAggregates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := demo.LoadFeedback(ctx, db); err != nil {
			t.Fatal(err)
		}
		for table, want := range map[string]int{"feedback_targets": 26, "feedback_ratings": 420} {
			if n := testserver.Count(t, db, table); n != want {
				t.Errorf("%s: %d rows, want %d", table, n, want)
			}
		}
		cases := testserver.Count(t, db, "feedback_cases")
		if cases < 10 || testserver.Count(t, db, "feedback_case_events") <= cases {
			t.Errorf("%d cases with %d events: want bad reviews worked to various points", cases, testserver.Count(t, db, "feedback_case_events"))
		}
		var departments []string
		if err := db.R.SelectContext(ctx, &departments, `SELECT name FROM feedback_targets WHERE kind = 'DEPARTMENT' ORDER BY name`); err != nil {
			t.Fatal(err)
		}
		if len(departments) != 5 {
			t.Errorf("departments %v", departments)
		}
		// What the loader's ratings left in the aggregates is what the
		// ratings add up to.
		before := aggregateSums(t, db)
		if err := feedback.RebuildAggregates(ctx, db); err != nil {
			t.Fatal(err)
		}
		if after := aggregateSums(t, db); after != before {
			t.Errorf("aggregates %v, rebuilt %v", before, after)
		}
		// A second load adds nothing.
		if err := demo.LoadFeedback(ctx, db); err != nil {
			t.Fatal(err)
		}
		if n := testserver.Count(t, db, "feedback_ratings"); n != 420 {
			t.Errorf("after a second load: %d ratings", n)
		}
	})
}

func aggregateSums(t *testing.T, db *store.DB) [4]int64 {
	t.Helper()
	var out [4]int64
	for i, q := range []string{
		`SELECT COALESCE(SUM(n), 0) FROM feedback_daily`, `SELECT COALESCE(SUM(total), 0) FROM feedback_monthly`,
		`SELECT COALESCE(SUM(total), 0) FROM feedback_daily_dims`, `SELECT COALESCE(SUM(n), 0) FROM feedback_monthly_dims`,
	} {
		if err := db.R.GetContext(context.Background(), &out[i], q); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
