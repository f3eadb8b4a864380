package civindex

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/wenming/wenming/internal/apierr"
)

// maxTrendRounds caps how many rounds a trend reads.
const maxTrendRounds = 200

// reports gathers what the index computations need from the store.
type reports struct{ base }

// roundData is a round with its framework version and the stored scores of
// its inspected sites, for the reports that list sites.
type roundData struct {
	Round     Round
	Framework Framework
	// Sites holds every inspected site of the round, by site id; use
	// Scored to drop those where nothing applied.
	Sites []scoredSite
}

// RoundTotals is a round with its framework version and its aggregate:
// what the round index and trend read, whatever the number of sites.
type RoundTotals struct {
	Round     Round
	Framework Framework
	Stats     RoundStats
}

// Totals loads one round's aggregate in three queries whatever its size.
func (rp *reports) Totals(ctx context.Context, roundID string) (RoundTotals, error) {
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
func (rp *reports) Round(ctx context.Context, roundID string, items bool) (roundData, error) {
	r, err := getRoundHead(ctx, rp.db.R, roundID)
	if errors.Is(err, errNotFound) {
		return roundData{}, apierr.NotFound("round", roundID)
	}
	if err != nil {
		return roundData{}, err
	}
	return rp.roundData(ctx, r, items)
}

// roundData adds to the round head r its framework version, its scope and
// its scores. The scope query already reads the round's site ids, so r's
// are taken from it rather than read again.
func (rp *reports) roundData(ctx context.Context, r Round, items bool) (roundData, error) {
	f, err := getFramework(ctx, rp.db.R, r.FrameworkID, r.FrameworkVersion)
	if err != nil {
		return roundData{}, err
	}
	sites, err := roundSites(ctx, rp.db.R, r.ID)
	if err != nil {
		return roundData{}, err
	}
	r.SiteIDs = slices.Sorted(maps.Keys(sites))
	scores, err := roundScores(ctx, rp.db.R, r.ID, "", items)
	if err != nil {
		return roundData{}, err
	}
	d := roundData{Round: r, Framework: f}
	for _, s := range scores {
		d.Sites = append(d.Sites, scoredSite{Site: sites[s.SiteID], storedScore: s})
	}
	return d, nil
}

// Site loads one site's score in a round with its item averages; NOT_FOUND
// when the site is not in the round or has no inspection there.
func (rp *reports) Site(ctx context.Context, roundID, siteID string) (roundData, scoredSite, error) {
	r, err := getRound(ctx, rp.db.R, roundID)
	if errors.Is(err, errNotFound) {
		return roundData{}, scoredSite{}, apierr.NotFound("round", roundID)
	}
	if err != nil {
		return roundData{}, scoredSite{}, err
	}
	f, err := getFramework(ctx, rp.db.R, r.FrameworkID, r.FrameworkVersion)
	if err != nil {
		return roundData{}, scoredSite{}, err
	}
	if !slices.Contains(r.SiteIDs, siteID) {
		return roundData{}, scoredSite{}, apierr.NotFound("site in round", siteID)
	}
	scores, err := roundScores(ctx, rp.db.R, roundID, siteID, true)
	if err != nil {
		return roundData{}, scoredSite{}, err
	}
	if len(scores) == 0 {
		return roundData{}, scoredSite{}, apierr.NotFound("inspection of site", siteID)
	}
	site, err := getSite(ctx, rp.db.R, siteID)
	if err != nil {
		return roundData{}, scoredSite{}, err
	}
	s := scoredSite{Site: site, storedScore: scores[0]}
	return roundData{Round: r, Framework: f, Sites: []scoredSite{s}}, s, nil
}

// Trend loads the aggregate of every round of a framework (optionally of
// one kind), ordered by start time, reading each framework version once.
func (rp *reports) Trend(ctx context.Context, frameworkID, kind string) ([]RoundTotals, error) {
	if _, err := getFramework(ctx, rp.db.R, frameworkID, 0); errors.Is(err, errNotFound) {
		return nil, frameworkNotFound(frameworkID, 0)
	} else if err != nil {
		return nil, err
	}
	rounds, err := listRounds(ctx, rp.db.R, roundFilter{FrameworkID: frameworkID, Kind: kind}, "", maxTrendRounds)
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
