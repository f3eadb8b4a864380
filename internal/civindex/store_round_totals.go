package civindex

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/wenming/wenming/internal/scoring"
	"github.com/wenming/wenming/internal/scoring/stats"
	"github.com/wenming/wenming/internal/store"
)

// roundTotals owns civ_round_stats, each round's running aggregate of
// site scores (RoundStats): its methods are the table's only writers.
// Scores move it as they change (add, from refreshSiteScore), a site's
// category change moves its cells (moveSite), and rebuild recomputes it
// from the stored site scores; a test checks the two agree.
type roundTotals struct{}

// add adds change to a round's aggregate inside tx; with are statements
// to send in the same round trip on PostgreSQL (the site score's upsert).
func (roundTotals) add(ctx context.Context, tx *store.Tx, roundID string, change RoundStats, with ...store.Stmt) error {
	if err := store.ExecAll(ctx, tx, append(with, statStmts(roundID, change)...)); err != nil {
		return fmt.Errorf("civindex: update round stats: %w", err)
	}
	return nil
}

// statStmts returns the upserts that add change to a round's stored
// aggregate, one per cell. Cells are written in key order, so on
// PostgreSQL two writers of one round lock its rows in the same order and
// cannot deadlock (as feedback's rollup does). A cell whose count reaches
// 0 is set to exactly 0, so float rounding from adding and taking out a
// score does not outlive the scores themselves.
func statStmts(roundID string, change RoundStats) []store.Stmt {
	var stmts []store.Stmt
	for _, k := range change.keys() {
		m := change[k]
		if m == (stats.Moments{}) {
			continue
		}
		stmts = append(stmts, store.Stmt{SQL: `INSERT INTO civ_round_stats (round_id, category, dimension_id, n, sum, sumsq)
			 VALUES (?, ?, ?, ?, ?, ?)
			 ON CONFLICT (round_id, category, dimension_id) DO UPDATE SET
			     n = civ_round_stats.n + excluded.n,
			     sum = CASE WHEN civ_round_stats.n + excluded.n = 0 THEN 0 ELSE civ_round_stats.sum + excluded.sum END,
			     sumsq = CASE WHEN civ_round_stats.n + excluded.n = 0 THEN 0 ELSE civ_round_stats.sumsq + excluded.sumsq END`,
			Args: []any{roundID, k.Category, k.DimensionID, m.N, m.Sum, m.SumSq}})
	}
	return stmts
}

type roundStatRow struct {
	RoundID     string  `db:"round_id"`
	Category    string  `db:"category"`
	DimensionID string  `db:"dimension_id"`
	N           int     `db:"n"`
	Sum         float64 `db:"sum"`
	SumSq       float64 `db:"sumsq"`
}

// roundStats reads the stored aggregates of the given rounds, by round id;
// a round without scored sites has an empty aggregate.
func roundStats(ctx context.Context, db store.Queryer, roundIDs ...string) (map[string]RoundStats, error) {
	out := make(map[string]RoundStats, len(roundIDs))
	for _, id := range roundIDs {
		out[id] = RoundStats{}
	}
	if len(roundIDs) == 0 {
		return out, nil
	}
	q, args, err := sqlx.In(`SELECT round_id, category, dimension_id, n, sum, sumsq FROM civ_round_stats
	    WHERE round_id IN (?) AND n > 0`, roundIDs)
	if err != nil {
		return nil, fmt.Errorf("civindex: round stats: %w", err)
	}
	var rows []roundStatRow
	if err := db.SelectContext(ctx, &rows, db.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("civindex: round stats: %w", err)
	}
	for _, r := range rows {
		out[r.RoundID][statKey{r.Category, r.DimensionID}] = stats.Moments{N: r.N, Sum: r.Sum, SumSq: r.SumSq}
	}
	return out, nil
}

// moveSite moves a site's scores in every round from one category's cells
// to another's, when an admin changes its category; tx must hold the
// site's row lock (lockSite), which refreshSiteScore also takes.
func (rt roundTotals) moveSite(ctx context.Context, tx *store.Tx, siteID, from, to string) error {
	var rows []struct {
		RoundID string `db:"round_id"`
		siteScoreRow
	}
	if err := tx.SelectContext(ctx, &rows, tx.Rebind(
		`SELECT round_id, site_id, score, points, max_points, visits, dimensions, '' AS items
		 FROM civ_site_scores WHERE site_id = ? ORDER BY round_id`), siteID); err != nil {
		return fmt.Errorf("civindex: site scores: %w", err)
	}
	for _, r := range rows {
		s, err := r.stored()
		if err != nil {
			return err
		}
		change := RoundStats{}
		change.count(from, s.SiteScore, -1)
		change.count(to, s.SiteScore, 1)
		if err := rt.add(ctx, tx, r.RoundID, change); err != nil {
			return err
		}
	}
	return nil
}

// RebuildRoundStats recomputes every round's aggregate from the stored
// site scores in a transaction of its own. Submissions, amendments and
// category changes keep it current on their own and migration 00302 filled
// it for older databases; this is for data written behind the service's
// back (a restore, bulk loads) and for checking that nothing has drifted.
func RebuildRoundStats(ctx context.Context, db *store.DB) error {
	return db.WithTx(ctx, func(tx *store.Tx) error { return roundTotals{}.rebuild(ctx, tx) })
}

// rebuild recomputes every round's aggregate inside tx.
func (rt roundTotals) rebuild(ctx context.Context, tx *store.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM civ_round_stats`); err != nil {
		return fmt.Errorf("civindex: rebuild round stats: %w", err)
	}
	rows, err := tx.QueryxContext(ctx, `SELECT sc.round_id, s.category, sc.score, sc.max_points, sc.dimensions
	    FROM civ_site_scores sc JOIN civ_sites s ON s.id = sc.site_id`)
	if err != nil {
		return fmt.Errorf("civindex: rebuild round stats: %w", err)
	}
	defer rows.Close()
	byRound := map[string]RoundStats{}
	for rows.Next() {
		var roundID, category, dims string
		var s scoring.SiteScore
		if err := rows.Scan(&roundID, &category, &s.Score, &s.Max, &dims); err != nil {
			return fmt.Errorf("civindex: rebuild round stats: %w", err)
		}
		if err := json.Unmarshal([]byte(dims), &s.Dimensions); err != nil {
			return fmt.Errorf("civindex: rebuild round stats: round %s dimension scores: %w", roundID, err)
		}
		if byRound[roundID] == nil {
			byRound[roundID] = RoundStats{}
		}
		byRound[roundID].count(category, s, 1)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("civindex: rebuild round stats: %w", err)
	}
	rows.Close()
	for roundID, rs := range byRound {
		if err := rt.add(ctx, tx, roundID, rs); err != nil {
			return err
		}
	}
	return nil
}
