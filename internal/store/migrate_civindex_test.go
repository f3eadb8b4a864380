package store

import (
	"context"
	"math"
	"testing"
)

// A database scored before civ_round_stats existed gets the same aggregate
// from migration 00302 as refreshSiteScore would have kept, and its rounds
// get their scope size.
//
// P1 and P2 are parks, S1 a street where nothing applied, S2 a street in
// scope without an inspection:
//
//	('PARK', '')   n 2, Σ 71.8181… + 80,   Σ² 71.8181…² + 6400
//	('PARK', 'D1') n 2, Σ 50 + 80 = 130,   Σ² 2500 + 6400 = 8900
//	('PARK', 'D2') n 1, Σ 90, Σ² 8100 (D2 did not apply at P1)
func TestMigrationBackfillsRoundStats(t *testing.T) {
	t.Parallel()
	const p1 = 790.0 / 11 // 71.8181…, not exact in binary
	for _, db := range testDBs(t) {
		t.Run(string(db.Dialect), func(t *testing.T) {
			ctx := context.Background()
			p, err := db.provider()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 301); err != nil {
				t.Fatal(err)
			}
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{`INSERT INTO civ_frameworks (id, version, state, name, content, create_time, update_time) VALUES ('f', 1, 'PUBLISHED', 'f', '{}', 0, 0)`, nil},
				{`INSERT INTO civ_sites (id, name, category, unit, create_time, update_time) VALUES
				      ('p1', 'p1', 'PARK', 'u', 0, 0), ('p2', 'p2', 'PARK', 'u', 0, 0),
				      ('s1', 's1', 'STREET', 'u', 0, 0), ('s2', 's2', 'STREET', 'u', 0, 0)`, nil},
				{`INSERT INTO civ_rounds (id, name, kind, state, framework_id, framework_version, start_time, end_time, create_time, update_time)
				      VALUES ('r', 'r', 'OFFICIAL', 'OPEN', 'f', 1, 0, 1, 0, 0), ('empty', 'e', 'OFFICIAL', 'OPEN', 'f', 1, 0, 1, 0, 0)`, nil},
				{`INSERT INTO civ_round_sites (round_id, site_id) VALUES ('r', 'p1'), ('r', 'p2'), ('r', 's1'), ('r', 's2'), ('empty', 'p1')`, nil},
				{`INSERT INTO civ_site_scores (round_id, site_id, score, points, max_points, visits, dimensions, items, update_time) VALUES
				      ('r', 'p1', ?, 7.9, 11, 1, '{"D1":{"Score":50,"Points":5,"Max":10},"D2":{"Score":0,"Points":0,"Max":0}}', '', 0),
				      ('r', 'p2', 80, 16, 20, 1, '{"D1":{"Score":80,"Points":8,"Max":10},"D2":{"Score":90,"Points":9,"Max":10}}', '', 0),
				      ('r', 's1', 0, 0, 0, 1, 'null', '', 0)`, []any{p1}},
			} {
				if _, err := db.W.ExecContext(ctx, db.W.Rebind(q.sql), q.args...); err != nil {
					t.Fatalf("%s: %v", q.sql, err)
				}
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}

			type cell struct {
				Category    string  `db:"category"`
				DimensionID string  `db:"dimension_id"`
				N           int     `db:"n"`
				Sum         float64 `db:"sum"`
				SumSq       float64 `db:"sumsq"`
			}
			var got []cell
			if err := db.R.SelectContext(ctx, &got, `SELECT category, dimension_id, n, sum, sumsq FROM civ_round_stats
			    WHERE round_id = 'r' ORDER BY category, dimension_id`); err != nil {
				t.Fatal(err)
			}
			want := []cell{
				{"PARK", "", 2, p1 + 80, p1*p1 + 6400},
				{"PARK", "D1", 2, 130, 8900},
				{"PARK", "D2", 1, 90, 8100},
			}
			if len(got) != len(want) {
				t.Fatalf("stats = %+v, want %+v", got, want)
			}
			for i, w := range want {
				g := got[i]
				if g.Category != w.Category || g.DimensionID != w.DimensionID || g.N != w.N ||
					math.Abs(g.Sum-w.Sum) > 1e-9 || math.Abs(g.SumSq-w.SumSq) > 1e-9 {
					t.Errorf("stats[%d] = %+v, want %+v", i, g, w)
				}
			}
			var counts []int
			if err := db.R.SelectContext(ctx, &counts, `SELECT site_count FROM civ_rounds ORDER BY id`); err != nil {
				t.Fatal(err)
			}
			if len(counts) != 2 || counts[0] != 1 || counts[1] != 4 {
				t.Errorf("site counts (empty, r) = %v, want [1 4]", counts)
			}

			if _, err := p.DownTo(ctx, 301); err != nil {
				t.Fatalf("down: %v", err)
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("up again: %v", err)
			}
		})
	}
}
