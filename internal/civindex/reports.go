package civindex

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// MaxTrendRounds caps how many rounds a trend reads.
const MaxTrendRounds = 200

// Reports gathers what the index computations need from the store.
type Reports struct {
	db *store.DB
}

// NewReports returns the report reader over db.
func NewReports(db *store.DB) *Reports { return &Reports{db: db} }

// RoundData is a round with its framework version and the stored scores of
// its inspected sites.
type RoundData struct {
	Round     Round
	Framework Framework
	// Sites holds every inspected site of the round, by site id; use
	// Scored to drop those where nothing applied.
	Sites []ScoredSite
	// InScope is the number of sites in the round's scope.
	InScope int
}

// DimensionIDs lists the framework's dimensions in order.
func (d RoundData) DimensionIDs() []string {
	ids := make([]string, len(d.Framework.Dimensions))
	for i, dim := range d.Framework.Dimensions {
		ids[i] = dim.ID
	}
	return ids
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
	return rp.roundData(ctx, r, items, map[int]Framework{})
}

// roundData adds to the round head r its framework version (read once per
// version into fws, which a trend shares across its rounds), its scope and
// its scores. The scope query already reads the round's site ids, so r's
// are taken from it rather than read again.
func (rp *Reports) roundData(ctx context.Context, r Round, items bool, fws map[int]Framework) (RoundData, error) {
	f, ok := fws[r.FrameworkVersion]
	if !ok {
		var err error
		if f, err = getFramework(ctx, rp.db.R, r.FrameworkID, r.FrameworkVersion); err != nil {
			return RoundData{}, err
		}
		fws[r.FrameworkVersion] = f
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
	d := RoundData{Round: r, Framework: f, InScope: len(r.SiteIDs)}
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
	return RoundData{Round: r, Framework: f, Sites: []ScoredSite{s}, InScope: len(r.SiteIDs)}, s, nil
}

// Trend loads every round of a framework (optionally of one kind), ordered
// by start time.
func (rp *Reports) Trend(ctx context.Context, frameworkID, kind string) ([]RoundData, error) {
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
	out := make([]RoundData, 0, len(rounds))
	fws := map[int]Framework{}
	for _, r := range rounds {
		d, err := rp.roundData(ctx, r, false, fws)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}
