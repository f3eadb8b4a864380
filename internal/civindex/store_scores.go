package civindex

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/survey"
)

// scoreDetail is the JSON kept beside a materialised site score.
type scoreDetail struct {
	Dimensions map[string]survey.DimScore `json:"dimensions"`
	Items      []survey.ItemAverage       `json:"items"`
}

// StoredScore is a site's materialised score in a round.
type StoredScore struct {
	SiteID string
	Visits int
	survey.SiteScore
}

// refreshSiteScore recomputes a site's score in a round from the current
// revisions of its inspections and stores it. It runs in the transaction
// that changed them, so the stored score is never stale.
func refreshSiteScore(ctx context.Context, tx *store.Tx, roundID, siteID string) error {
	visits, err := siteVisits(ctx, tx, roundID, siteID)
	if err != nil {
		return err
	}
	s := survey.ScoreSite(visits)
	detail, err := json.Marshal(scoreDetail{Dimensions: s.Dimensions, Items: s.Items})
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO civ_site_scores (round_id, site_id, score, points, max_points, visits, detail, update_time)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (round_id, site_id) DO UPDATE SET score = excluded.score, points = excluded.points,
		     max_points = excluded.max_points, visits = excluded.visits, detail = excluded.detail,
		     update_time = excluded.update_time`),
		roundID, siteID, s.Score, s.Points, s.Max, len(visits), string(detail), store.Micros(now()))
	if err != nil {
		return fmt.Errorf("civindex: store site score: %w", err)
	}
	return nil
}

type siteScoreRow struct {
	SiteID    string  `db:"site_id"`
	Score     float64 `db:"score"`
	Points    float64 `db:"points"`
	MaxPoints float64 `db:"max_points"`
	Visits    int     `db:"visits"`
	Detail    string  `db:"detail"`
}

func (r siteScoreRow) stored() (StoredScore, error) {
	var d scoreDetail
	if err := json.Unmarshal([]byte(r.Detail), &d); err != nil {
		return StoredScore{}, fmt.Errorf("civindex: site %s score detail: %w", r.SiteID, err)
	}
	return StoredScore{SiteID: r.SiteID, Visits: r.Visits, SiteScore: survey.SiteScore{
		Score: r.Score, Points: r.Points, Max: r.MaxPoints, Dimensions: d.Dimensions, Items: d.Items,
	}}, nil
}

const selectSiteScore = `SELECT site_id, score, points, max_points, visits, detail FROM civ_site_scores`

// roundScores returns the stored score of every inspected site of a round.
func roundScores(ctx context.Context, db store.Queryer, roundID string) ([]StoredScore, error) {
	var rows []siteScoreRow
	if err := db.SelectContext(ctx, &rows, db.Rebind(selectSiteScore+` WHERE round_id = ? ORDER BY site_id`), roundID); err != nil {
		return nil, fmt.Errorf("civindex: round scores: %w", err)
	}
	out := make([]StoredScore, 0, len(rows))
	for _, r := range rows {
		s, err := r.stored()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
