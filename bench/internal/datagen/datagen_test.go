package datagen

import (
	"context"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/store"
)

func TestUUIDishIsUniqueAndShapedLikeAUUID(t *testing.T) {
	t.Parallel()
	shape := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for _, n := range []int64{0, 1, 999, 1 << 24, 1 << 36, 1<<48 + 5, 1_000_000} {
		id := uuidish(0xfb, n)
		if !shape.MatchString(id) {
			t.Errorf("uuidish(%d) = %q is not UUID-shaped", n, id)
		}
		if seen[id] {
			t.Errorf("uuidish(%d) = %q repeats", n, id)
		}
		seen[id] = true
	}
}

// The bulk writer must leave the feedback aggregates equal to what the
// ratings add up to, or the scaling figures read wrong data.
func TestBulkRatingsFillTheDailyAggregates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := migrated(t)
	ft := FeedbackTargets{DepartmentID: "d", WindowIDs: []string{"w1", "w2"}}
	for _, tg := range []struct{ id, parent, path string }{{"d", "", "/d/"}, {"w1", "d", "/d/w1/"}, {"w2", "d", "/d/w2/"}} {
		var parent any
		if tg.parent != "" {
			parent = tg.parent
		}
		if _, err := db.W.ExecContext(ctx, `INSERT INTO feedback_targets (id, kind, name, parent_id, department_id, path,
			active, form, create_time, update_time) VALUES (?, 'WINDOW', ?, ?, 'd', ?, TRUE, '', 0, 0)`,
			tg.id, tg.id, parent, tg.path); err != nil {
			t.Fatal(err)
		}
	}
	const n, days = 2345, 7
	if err := BulkRatings(ctx, db, ft, n, days, time.Now(), time.UTC); err != nil {
		t.Fatal(err)
	}
	var got struct {
		N, Total, Counted int64
		Days              int
	}
	if err := db.R.GetContext(ctx, &got.N, `SELECT SUM(n) FROM feedback_daily`); err != nil {
		t.Fatal(err)
	}
	if err := db.R.GetContext(ctx, &got.Total, `SELECT SUM(total) FROM feedback_daily`); err != nil {
		t.Fatal(err)
	}
	if err := db.R.GetContext(ctx, &got.Counted, `SELECT SUM(c1 + c2 + c3 + c4 + c5) FROM feedback_daily`); err != nil {
		t.Fatal(err)
	}
	if err := db.R.GetContext(ctx, &got.Days, `SELECT COUNT(DISTINCT day) FROM feedback_daily`); err != nil {
		t.Fatal(err)
	}
	var sumLevels int64
	if err := db.R.GetContext(ctx, &sumLevels, `SELECT SUM(level) FROM feedback_ratings`); err != nil {
		t.Fatal(err)
	}
	if got.N != n || got.Counted != n || got.Total != sumLevels || got.Days != days {
		t.Errorf("daily aggregates n=%d counted=%d total=%d days=%d, want %d, %d, %d, %d",
			got.N, got.Counted, got.Total, got.Days, n, n, sumLevels, days)
	}
	var dimN, dimTotal, want int64
	if err := db.R.GetContext(ctx, &dimN, `SELECT SUM(n) FROM feedback_daily_dims WHERE dimension = 'attitude'`); err != nil {
		t.Fatal(err)
	}
	if err := db.R.GetContext(ctx, &dimTotal, `SELECT SUM(total) FROM feedback_daily_dims`); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		want += int64(max(1, [...]int{5, 4, 5, 3, 4, 5, 2, 4, 5, 1}[i%10]-i%2))
	}
	if dimN != n || dimTotal != want {
		t.Errorf("dimension aggregates n=%d total=%d, want %d and %d", dimN, dimTotal, n, want)
	}
	var monthN int64
	if err := db.R.GetContext(ctx, &monthN, `SELECT SUM(n) FROM feedback_monthly`); err != nil {
		t.Fatal(err)
	}
	if monthN != n {
		t.Errorf("monthly aggregates count %d ratings, want %d", monthN, n)
	}
}

func TestBulkAttemptsKeepLeaderboardSizes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := migrated(t)
	c := Contest{ID: "c1", QuestionIDs: []string{"q1", "q2"}, Communities: []string{"东", "西", "南"}}
	if _, err := db.W.ExecContext(ctx, `INSERT INTO contests (id, state, community, start_time, end_time, settings,
		create_time, update_time) VALUES ('c1', 'PUBLISHED', '', 0, 1, '{}', 0, 0)`); err != nil {
		t.Fatal(err)
	}
	const n = 1001
	if err := BulkAttempts(ctx, db, c, n, false); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Community    string `db:"community"`
		Participants int    `db:"participants"`
	}
	if err := db.R.SelectContext(ctx, &rows, `SELECT community, participants FROM leaderboard_counts
		WHERE contest_id = 'c1' ORDER BY community`); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"": n, "东": 334, "西": 334, "南": 333}
	if len(rows) != len(want) {
		t.Fatalf("leaderboard_counts has %d rows, want %d: %v", len(rows), len(want), rows)
	}
	for _, r := range rows {
		if want[r.Community] != r.Participants {
			t.Errorf("community %q counts %d participants, want %d", r.Community, r.Participants, want[r.Community])
		}
	}
	// The participation days hold every attempt, by community.
	rows = nil
	if err := db.R.SelectContext(ctx, &rows, `SELECT community, SUM(first_attempts) AS participants FROM quiz_participation
		WHERE contest_id = 'c1' GROUP BY community ORDER BY community`); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("quiz_participation communities: %v", rows)
	}
	for _, r := range rows {
		if want[r.Community] != r.Participants {
			t.Errorf("participation of %q: %d, want %d", r.Community, r.Participants, want[r.Community])
		}
	}
}

func migrated(t *testing.T) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}
