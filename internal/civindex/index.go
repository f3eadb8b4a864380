package civindex

import (
	"cmp"
	"errors"
	"slices"

	"github.com/wenming/wenming/internal/scoring"
	"github.com/wenming/wenming/internal/scoring/stats"
)

// Alpha is the significance level of trend tests.
const Alpha = 0.05

// DefaultShortfallShare is the share of max points under which an item is a
// shortfall when the caller does not say.
const DefaultShortfallShare = 0.6

// ScoredSite is a site with its stored score in a round.
type ScoredSite struct {
	Site Site
	StoredScore
}

// Scored keeps the sites that had at least one applicable item: a site
// where nothing applied has no score, not a score of 0.
func Scored(sites []ScoredSite) []ScoredSite {
	var out []ScoredSite
	for _, s := range sites {
		if s.Max > 0 {
			out = append(out, s)
		}
	}
	return out
}

// DimMean is one dimension's mean score over the sites where it applied.
type DimMean struct {
	DimensionID string
	Score       float64
	N           int
}

// RoundIndex is a round's headline number (RoundStats.Index).
type RoundIndex struct {
	// Index is the mean of site scores, weighted by category when weights
	// were given.
	Index          float64
	UnweightedMean float64
	StdDev         float64
	// CI is the Student-t 95% interval of the unweighted mean; HasCI is
	// false when weights were given, because no weighted interval is
	// defined in internal/scoring/stats.
	CI    stats.Interval
	HasCI bool
	N     int
	// Dimensions are in the order of first appearance in dimOrder.
	Dimensions []DimMean
}

// RankedSite is a site with its place in a ranking.
type RankedSite struct {
	Rank int
	ScoredSite
}

// RankSites orders sites best first (then by name and id, for a stable
// order) and gives equal scores the same rank: 1, 2, 2, 4.
func RankSites(sites []ScoredSite) []RankedSite {
	out := make([]RankedSite, len(sites))
	for i, s := range sites {
		out[i] = RankedSite{ScoredSite: s}
	}
	slices.SortFunc(out, func(a, b RankedSite) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Site.Name, b.Site.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.SiteID, b.SiteID)
	})
	for i := range out {
		out[i].Rank = i + 1
		if i > 0 && out[i].Score == out[i-1].Score {
			out[i].Rank = out[i-1].Rank
		}
	}
	return out
}

// RankedUnit is a unit with the mean score of its sites.
type RankedUnit struct {
	Rank  int
	Unit  string
	Score float64
	Sites int
}

// RankUnits scores each unit as the mean of its sites' scores and ranks
// them like RankSites.
func RankUnits(sites []ScoredSite) []RankedUnit {
	byUnit := map[string][]float64{}
	for _, s := range sites {
		byUnit[s.Site.Unit] = append(byUnit[s.Site.Unit], s.Score)
	}
	out := make([]RankedUnit, 0, len(byUnit))
	for unit, scores := range byUnit {
		// Summed in a fixed order, so equal sets of site scores give
		// equal unit scores whatever order the sites were read in.
		slices.Sort(scores)
		out = append(out, RankedUnit{Unit: unit, Score: scoring.WeightedMean(scores, nil), Sites: len(scores)})
	}
	slices.SortFunc(out, func(a, b RankedUnit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Unit, b.Unit)
	})
	for i := range out {
		out[i].Rank = i + 1
		if i > 0 && out[i].Score == out[i-1].Score {
			out[i].Rank = out[i-1].Rank
		}
	}
	return out
}

// Change compares two rounds' site scores with Welch's t-test. Tested is
// false (and Note says why) when either round has fewer than 2 sites.
type Change struct {
	stats.WelchResult
	Tested bool
	Note   string
}

// CompareRounds tests whether the later round's mean site score differs
// from the earlier one's at level Alpha, from the moments of each round's
// site scores (RoundStats.Total).
func CompareRounds(earlier, later stats.Moments) Change {
	r, err := stats.WelchTTestMoments(earlier, later, Alpha)
	if errors.Is(err, stats.ErrTooFewValues) {
		a, b := earlier.Mean(), later.Mean()
		return Change{
			WelchResult: stats.WelchResult{MeanA: a, MeanB: b, Diff: b - a},
			Note:        "not tested: each round needs at least 2 scored sites",
		}
	}
	if err != nil {
		return Change{Note: "not tested: " + err.Error()}
	}
	return Change{WelchResult: r, Tested: true}
}

// ItemShortfalls lists the items under threshold share of their max over
// the given sites, worst first by points lost (scoring.Shortfalls). Each
// site contributes its per-item average over visits; over several sites an
// item's points are averaged across the sites where it applied, which is
// scoring.ScoreSite with each site's averages as one "visit".
func ItemShortfalls(sites []ScoredSite, threshold float64) []scoring.Shortfall {
	visits := make([][]scoring.ItemScore, 0, len(sites))
	for _, s := range sites {
		visit := make([]scoring.ItemScore, 0, len(s.Items))
		for _, it := range s.Items {
			visit = append(visit, scoring.ItemScore{
				ItemID: it.ItemID, DimensionID: it.DimensionID, MaxPoints: it.MaxPoints,
				Points: it.Points, Applicable: it.Visits > 0,
			})
		}
		visits = append(visits, visit)
	}
	return scoring.Shortfalls(scoring.ScoreSite(visits).Items, threshold)
}
