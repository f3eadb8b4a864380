package civindex

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/scoring"
	"github.com/wenming/wenming/internal/store"
)

// storedScore is a site's materialised score in a round.
type storedScore struct {
	SiteID string
	Visits int
	scoring.SiteScore
}

// refreshSiteScore recomputes a site's score in a round from the current
// revisions of its inspections and stores it, and moves the round's
// aggregate from the site's previous score to the new one. It runs in the
// transaction that changed them, so neither is ever stale; at is the
// score's update time.
func refreshSiteScore(ctx context.Context, tx *store.Tx, roundID, siteID string, at time.Time) error {
	visits, err := siteVisits(ctx, tx, roundID, siteID)
	if err != nil {
		return err
	}
	inspected := len(visits)
	// Items fed by a questionnaire are one more visit, read now.
	if fed, err := surveyVisit(ctx, tx, roundID, siteID); err != nil {
		return err
	} else if len(fed) > 0 {
		visits = append(visits, fed)
	}
	s := scoring.ScoreSite(visits)
	category, err := siteCategory(ctx, tx, siteID)
	if err != nil {
		return err
	}
	prev, err := roundScores(ctx, tx, roundID, siteID, false)
	if err != nil {
		return err
	}
	change := RoundStats{}
	if len(prev) > 0 {
		change.count(category, prev[0].SiteScore, -1)
	}
	change.count(category, s, 1)
	dims, err := json.Marshal(s.Dimensions)
	if err != nil {
		return err
	}
	// The score and the aggregate's cells are separate rows: one round
	// trip on PostgreSQL writes them all.
	score := store.Stmt{SQL: `INSERT INTO civ_site_scores (round_id, site_id, score, points, max_points,
		     visits, dimensions, items, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (round_id, site_id) DO UPDATE SET score = excluded.score, points = excluded.points,
		     max_points = excluded.max_points, visits = excluded.visits, dimensions = excluded.dimensions,
		     items = excluded.items, update_time = excluded.update_time`,
		Args: []any{roundID, siteID, s.Score, s.Points, s.Max, inspected, string(dims), encodeItems(s.Items), store.Micros(at)},
	}
	return roundTotals{}.add(ctx, tx, roundID, change, score)
}

type siteScoreRow struct {
	SiteID     string  `db:"site_id"`
	Score      float64 `db:"score"`
	Points     float64 `db:"points"`
	MaxPoints  float64 `db:"max_points"`
	Visits     int     `db:"visits"`
	Dimensions string  `db:"dimensions"`
	Items      string  `db:"items"`
}

func (r siteScoreRow) stored() (storedScore, error) {
	out := storedScore{SiteID: r.SiteID, Visits: r.Visits, SiteScore: scoring.SiteScore{
		Score: r.Score, Points: r.Points, Max: r.MaxPoints,
	}}
	if err := json.Unmarshal([]byte(r.Dimensions), &out.Dimensions); err != nil {
		return storedScore{}, fmt.Errorf("civindex: site %s dimension scores: %w", r.SiteID, err)
	}
	items, err := decodeItems(r.Items)
	if err != nil {
		return storedScore{}, fmt.Errorf("civindex: site %s item scores: %w", r.SiteID, err)
	}
	out.Items = items
	return out, nil
}

// roundScores returns the stored score of the inspected sites of a round
// (of one site when siteID is set), with item averages only when items is
// true: they are most of the row and only shortfalls and site detail need
// them.
func roundScores(ctx context.Context, db store.Queryer, roundID, siteID string, items bool) ([]storedScore, error) {
	q := `SELECT site_id, score, points, max_points, visits, dimensions, '' AS items FROM civ_site_scores WHERE round_id = ?`
	if items {
		q = `SELECT site_id, score, points, max_points, visits, dimensions, items FROM civ_site_scores WHERE round_id = ?`
	}
	args := []any{roundID}
	if siteID != "" {
		q += ` AND site_id = ?`
		args = append(args, siteID)
	}
	out, err := store.SelectAll(ctx, db, siteScoreRow.stored, q+` ORDER BY site_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("civindex: round scores: %w", err)
	}
	return out, nil
}

// encodeItems stores item averages one per line as tab-separated id,
// dimension, max points, points and visits. Round shortfalls read every
// site's items (100,000 at 1,000 sites × 100 items), where JSON decoding
// took most of the time; ids are codes without tabs or newlines, and 'g'
// with precision -1 round-trips every float exactly.
func encodeItems(items []scoring.ItemAverage) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString(it.ItemID)
		b.WriteByte('\t')
		b.WriteString(it.DimensionID)
		b.WriteByte('\t')
		b.WriteString(strconv.FormatFloat(it.MaxPoints, 'g', -1, 64))
		b.WriteByte('\t')
		b.WriteString(strconv.FormatFloat(it.Points, 'g', -1, 64))
		b.WriteByte('\t')
		b.WriteString(strconv.Itoa(it.Visits))
		b.WriteByte('\n')
	}
	return b.String()
}

func decodeItems(s string) ([]scoring.ItemAverage, error) {
	if s == "" {
		return nil, nil
	}
	out := make([]scoring.ItemAverage, 0, strings.Count(s, "\n"))
	for line := range strings.Lines(s) {
		f := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("bad item line %q", line)
		}
		maxPts, err1 := strconv.ParseFloat(f[2], 64)
		points, err2 := strconv.ParseFloat(f[3], 64)
		visits, err3 := strconv.Atoi(f[4])
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, fmt.Errorf("bad item line %q: %w", line, err)
		}
		out = append(out, scoring.ItemAverage{ItemID: f[0], DimensionID: f[1], MaxPoints: maxPts, Points: points, Visits: visits})
	}
	return out, nil
}
