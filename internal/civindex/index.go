package civindex

import (
	"cmp"
	"errors"
	"slices"

	"github.com/wenming/wenming/internal/scoring"
	"github.com/wenming/wenming/internal/scoring/stats"
)

// alpha is the significance level of trend tests.
const alpha = 0.05

// defaultShortfallShare is the share of max points under which an item is a
// shortfall when the caller does not say.
const defaultShortfallShare = 0.6

// scoredSite is a site with its stored score in a round.
type scoredSite struct {
	Site Site
	storedScore
}

// scored keeps the sites that had at least one applicable item: a site
// where nothing applied has no score, not a score of 0.
func scored(sites []scoredSite) []scoredSite {
	var out []scoredSite
	for _, s := range sites {
		if s.Max > 0 {
			out = append(out, s)
		}
	}
	return out
}

// dimMean is one dimension's mean score over the sites where it applied.
type dimMean struct {
	DimensionID string
	Score       float64
	N           int
}

// roundIndex is a round's headline number (RoundStats.Index).
type roundIndex struct {
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
	Dimensions []dimMean
}

// rankedSite is a site with its place in a ranking.
type rankedSite struct {
	Rank int
	scoredSite
}

// rankSites orders sites best first (then by name and id, for a stable
// order) and gives equal scores the same rank: 1, 2, 2, 4.
func rankSites(sites []scoredSite) []rankedSite {
	out := make([]rankedSite, len(sites))
	for i, s := range sites {
		out[i] = rankedSite{scoredSite: s}
	}
	slices.SortFunc(out, func(a, b rankedSite) int {
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

// rankedUnit is a unit with the mean score of its sites.
type rankedUnit struct {
	Rank  int
	Unit  string
	Score float64
	Sites int
}

// rankUnits scores each unit as the mean of its sites' scores and ranks
// them like RankSites.
func rankUnits(sites []scoredSite) []rankedUnit {
	byUnit := map[string][]float64{}
	for _, s := range sites {
		byUnit[s.Site.Unit] = append(byUnit[s.Site.Unit], s.Score)
	}
	out := make([]rankedUnit, 0, len(byUnit))
	for unit, scores := range byUnit {
		// Summed in a fixed order, so equal sets of site scores give
		// equal unit scores whatever order the sites were read in.
		slices.Sort(scores)
		out = append(out, rankedUnit{Unit: unit, Score: scoring.WeightedMean(scores, nil), Sites: len(scores)})
	}
	slices.SortFunc(out, func(a, b rankedUnit) int {
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

// change compares two rounds' site scores with Welch's t-test. Tested is
// false (and Note says why) when either round has fewer than 2 sites.
type change struct {
	stats.WelchResult
	Tested bool
	Note   string
}

// compareRounds tests whether the later round's mean site score differs
// from the earlier one's at level Alpha, from the moments of each round's
// site scores (RoundStats.Total).
func compareRounds(earlier, later stats.Moments) change {
	r, err := stats.WelchTTestMoments(earlier, later, alpha)
	if errors.Is(err, stats.ErrTooFewValues) {
		a, b := earlier.Mean(), later.Mean()
		return change{
			WelchResult: stats.WelchResult{MeanA: a, MeanB: b, Diff: b - a},
			Note:        "not tested: each round needs at least 2 scored sites",
		}
	}
	if err != nil {
		return change{Note: "not tested: " + err.Error()}
	}
	return change{WelchResult: r, Tested: true}
}

// itemShortfalls lists the items under threshold share of their max over
// the given sites, worst first by points lost (scoring.Shortfalls). Each
// site contributes its per-item average over visits; over several sites an
// item's points are averaged across the sites where it applied, which is
// scoring.ScoreSite with each site's averages as one "visit".
func itemShortfalls(sites []scoredSite, threshold float64) []scoring.Shortfall {
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
