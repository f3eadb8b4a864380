package civindex

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/wenming/wenming/internal/apierr"
)

// MaxTrendRounds caps how many rounds a trend reads.
const MaxTrendRounds = 200

// Reports gathers what the index computations need from the store.
type Reports struct{ base }

// RoundData is a round with its framework version and the stored scores of
// its inspected sites, for the reports that list sites.
type RoundData struct {
	Round     Round
	Framework Framework
	// Sites holds every inspected site of the round, by site id; use
	// Scored to drop those where nothing applied.
	Sites []ScoredSite
}

// RoundTotals is a round with its framework version and its aggregate:
// what the round index and trend read, whatever the number of sites.
type RoundTotals struct {
	Round     Round
	Framework Framework
	Stats     RoundStats
}

// Totals loads one round's aggregate in three queries whatever its size.
func (rp *Reports) Totals(ctx context.Context, roundID string) (RoundTotals, error) {
	r, err := getRoundHead(ctx, rp.db.R, roundID)
	if errors.Is(err, errNotFound) {
		return RoundTotals{}, apierr.NotFound("round", roundID)
	}
	if err != nil {
		return RoundTotals{}, err
	}
	f, err := getFramework(ctx, rp.db.R, r.FrameworkID, r.FrameworkVersion)
	if err != nil {
		return RoundTotals{}, err
	}
	st, err := roundStats(ctx, rp.db.R, r.ID)
	if err != nil {
		return RoundTotals{}, err
	}
	return RoundTotals{Round: r, Framework: f, Stats: st[r.ID]}, nil
}

// Round loads one round's data in four queries whatever its size, with
// item averages only when items is true.
func (rp *Reports) Round(ctx context.Context, roundID string, items bool) (RoundData, error) {
	r, err := getRoundHead(ctx, rp.db.R, roundID)
	if errors.Is(err, errNotFound) {
		return RoundData{}, apierr.NotFound("round", roundID)
	}
	if err != nil {
		return RoundData{}, err
	}
	return rp.roundData(ctx, r, items)
}

// roundData adds to the round head r its framework version, its scope and
// its scores. The scope query already reads the round's site ids, so r's
// are taken from it rather than read again.
func (rp *Reports) roundData(ctx context.Context, r Round, items bool) (RoundData, error) {
	f, err := getFramework(ctx, rp.db.R, r.FrameworkID, r.FrameworkVersion)
	if err != nil {
		return RoundData{}, err
	}
	sites, err := roundSites(ctx, rp.db.R, r.ID)
	if err != nil {
		return RoundData{}, err
	}
	r.SiteIDs = slices.Sorted(maps.Keys(sites))
	scores, err := roundScores(ctx, rp.db.R, r.ID, "", items)
	if err != nil {
		return RoundData{}, err
	}
	d := RoundData{Round: r, Framework: f}
	for _, s := range scores {
		d.Sites = append(d.Sites, ScoredSite{Site: sites[s.SiteID], StoredScore: s})
	}
	return d, nil
}

// Site loads one site's score in a round with its item averages; NOT_FOUND
// when the site is not in the round or has no inspection there.
func (rp *Reports) Site(ctx context.Context, roundID, siteID string) (RoundData, ScoredSite, error) {
	r, err := getRound(ctx, rp.db.R, roundID)
	if errors.Is(err, errNotFound) {
		return RoundData{}, ScoredSite{}, apierr.NotFound("round", roundID)
	}
	if err != nil {
		return RoundData{}, ScoredSite{}, err
	}
	f, err := getFramework(ctx, rp.db.R, r.FrameworkID, r.FrameworkVersion)
	if err != nil {
		return RoundData{}, ScoredSite{}, err
	}
	if !slices.Contains(r.SiteIDs, siteID) {
		return RoundData{}, ScoredSite{}, apierr.NotFound("site in round", siteID)
	}
	scores, err := roundScores(ctx, rp.db.R, roundID, siteID, true)
	if err != nil {
		return RoundData{}, ScoredSite{}, err
	}
	if len(scores) == 0 {
		return RoundData{}, ScoredSite{}, apierr.NotFound("inspection of site", siteID)
	}
	site, err := getSite(ctx, rp.db.R, siteID)
	if err != nil {
		return RoundData{}, ScoredSite{}, err
	}
	s := ScoredSite{Site: site, StoredScore: scores[0]}
	return RoundData{Round: r, Framework: f, Sites: []ScoredSite{s}}, s, nil
}

// Trend loads the aggregate of every round of a framework (optionally of
// one kind), ordered by start time, reading each framework version once.
func (rp *Reports) Trend(ctx context.Context, frameworkID, kind string) ([]RoundTotals, error) {
	if _, err := getFramework(ctx, rp.db.R, frameworkID, 0); errors.Is(err, errNotFound) {
		return nil, frameworkNotFound(frameworkID, 0)
	} else if err != nil {
		return nil, err
	}
	rounds, err := listRounds(ctx, rp.db.R, RoundFilter{FrameworkID: frameworkID, Kind: kind}, "", MaxTrendRounds)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(rounds, func(a, b Round) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	ids := make([]string, len(rounds))
	for i, r := range rounds {
		ids[i] = r.ID
	}
	st, err := roundStats(ctx, rp.db.R, ids...)
	if err != nil {
		return nil, err
	}
	out := make([]RoundTotals, 0, len(rounds))
	fws := map[int]Framework{}
	for _, r := range rounds {
		f, ok := fws[r.FrameworkVersion]
		if !ok {
			if f, err = getFramework(ctx, rp.db.R, r.FrameworkID, r.FrameworkVersion); err != nil {
				return nil, err
			}
			fws[r.FrameworkVersion] = f
		}
		out = append(out, RoundTotals{Round: r, Framework: f, Stats: st[r.ID]})
	}
	return out, nil
}
