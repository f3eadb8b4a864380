package civindex

import (
	"context"
	"fmt"

	"github.com/wenming/wenming/internal/scoring"
	"github.com/wenming/wenming/internal/store"
)

// DefaultShortfallShare is the share of an item's max points under which
// it is a shortfall when no threshold is given.
const DefaultShortfallShare = defaultShortfallShare

// SiteResult is a site's stored result in a round, for the packages that
// build on the index (supervision): its unit, score, dimension scores and
// item averages.
type SiteResult struct {
	SiteID, Unit string
	scoring.SiteScore
}

// RoundResults reads the stored results of every scored site of a round
// (of one site when siteID is set), items included, by site id.
func RoundResults(ctx context.Context, q store.Queryer, roundID, siteID string) ([]SiteResult, error) {
	scores, err := roundScores(ctx, q, roundID, siteID, true)
	if err != nil {
		return nil, err
	}
	var units []struct {
		ID   string `db:"id"`
		Unit string `db:"unit"`
	}
	if err := q.SelectContext(ctx, &units, q.Rebind(
		`SELECT s.id, s.unit FROM civ_sites s JOIN civ_round_sites rs ON rs.site_id = s.id WHERE rs.round_id = ?`), roundID); err != nil {
		return nil, fmt.Errorf("civindex: round units: %w", err)
	}
	unit := make(map[string]string, len(units))
	for _, u := range units {
		unit[u.ID] = u.Unit
	}
	out := make([]SiteResult, len(scores))
	for i, s := range scores {
		out[i] = SiteResult{SiteID: s.SiteID, Unit: unit[s.SiteID], SiteScore: s.SiteScore}
	}
	return out, nil
}
