package scoring

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
)

// ItemScore is one check item's result in one visit, as produced by
// Item.Score and tagged with the item's dimension.
type ItemScore struct {
	ItemID, DimensionID string
	MaxPoints           float64
	Points              float64
	Applicable          bool
}

// SiteScore is a site's index over all its visits in a round.
type SiteScore struct {
	// Score is Points / Max × 100, or 0 when Max is 0 (nothing applicable).
	Score float64
	// Points is the sum of the item averages; Max the sum of the max points
	// of the items applicable in at least one visit.
	Points, Max float64
	// Dimensions is keyed by DimensionID and holds every dimension that had
	// a result, including ones where nothing was applicable (Max 0).
	Dimensions map[string]DimScore
	// Items are sorted by ItemID.
	Items []ItemAverage
}

// DimScore is one dimension's part of a site's index.
type DimScore struct {
	Score, Points, Max float64
}

// ItemAverage is one item's points averaged over the visits where it was
// applicable. Visits is that number of visits; an item applicable in none
// has Visits 0 and Points 0 and counts nowhere.
type ItemAverage struct {
	ItemID, DimensionID string
	MaxPoints, Points   float64
	Visits              int
}

// ScoreSite computes a site's index from its visits in one round; each
// visit is the item results of one inspection.
//
// Several visits average per item over the visits where that item was
// applicable, so an item that was not applicable in one visit is scored on
// the others alone rather than dragged towards 0. An item applicable in no
// visit leaves both the numerator and the denominator. The site score is
// Σ item points / Σ applicable max × 100, and each dimension likewise.
//
// An item's DimensionID and MaxPoints are taken from its first result;
// within one round all visits use the same framework version, so they agree.
// A visit should hold at most one result per item; a repeated result counts
// as another visit.
func ScoreSite(visits [][]ItemScore) SiteScore {
	type acc struct {
		ItemAverage
		sum float64
	}
	byID := make(map[string]*acc)
	for _, visit := range visits {
		for _, r := range visit {
			a, ok := byID[r.ItemID]
			if !ok {
				a = &acc{ItemAverage: ItemAverage{ItemID: r.ItemID, DimensionID: r.DimensionID, MaxPoints: r.MaxPoints}}
				byID[r.ItemID] = a
			}
			if r.Applicable {
				a.sum += r.Points
				a.Visits++
			}
		}
	}

	site := SiteScore{Dimensions: make(map[string]DimScore), Items: make([]ItemAverage, 0, len(byID))}
	// Summed in item-id order, never map order: floating-point addition is
	// not associative, and two sites with identical visits must get
	// bit-identical scores, or a tie is ranked as two places.
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		a := byID[id]
		dim := site.Dimensions[a.DimensionID]
		if a.Visits > 0 {
			a.Points = a.sum / float64(a.Visits)
			site.Points += a.Points
			site.Max += a.MaxPoints
			dim.Points += a.Points
			dim.Max += a.MaxPoints
		}
		site.Dimensions[a.DimensionID] = dim
		site.Items = append(site.Items, a.ItemAverage)
	}
	site.Score = percent(site.Points, site.Max)
	for id, dim := range site.Dimensions {
		dim.Score = percent(dim.Points, dim.Max)
		site.Dimensions[id] = dim
	}
	return site
}

func percent(points, maximum float64) float64 {
	if maximum <= 0 {
		return 0
	}
	return points / maximum * 100
}

// Shortfall is an item scoring under the threshold share of its max.
type Shortfall struct {
	ItemID, DimensionID string
	Points, MaxPoints   float64
	// Lost is MaxPoints − Points, what fixing the item would gain.
	Lost float64
	// Share is Points / MaxPoints, in [0, 1].
	Share float64
}

// Shortfalls returns the items whose Points / MaxPoints is below threshold
// (a share such as 0.8), worst first: by points lost descending, then by
// ItemID. Ranking by points lost rather than by share puts first the fixes
// that raise the index most. Items with no applicable visit or no max
// points are skipped.
func Shortfalls(items []ItemAverage, threshold float64) []Shortfall {
	var out []Shortfall
	for _, it := range items {
		if it.Visits == 0 || it.MaxPoints <= 0 {
			continue
		}
		share := it.Points / it.MaxPoints
		if share >= threshold {
			continue
		}
		out = append(out, Shortfall{
			ItemID:      it.ItemID,
			DimensionID: it.DimensionID,
			Points:      it.Points,
			MaxPoints:   it.MaxPoints,
			Lost:        it.MaxPoints - it.Points,
			Share:       share,
		})
	}
	slices.SortFunc(out, func(a, b Shortfall) int {
		if c := cmp.Compare(b.Lost, a.Lost); c != 0 {
			return c
		}
		return cmp.Compare(a.ItemID, b.ItemID)
	})
	return out
}

// WeightedMean returns Σ wᵢ·vᵢ / Σ wᵢ, or the plain mean when weights is
// nil. It is the round index when sites are weighted by category.
//
// It returns 0 for no values or a total weight of 0, matching the
// "nothing to score" convention of ScoreSite. Weights are configuration, so
// a length mismatch or a negative or non-finite weight is a programming
// error and panics rather than producing a plausible wrong index.
func WeightedMean(values, weights []float64) float64 {
	if weights == nil {
		if len(values) == 0 {
			return 0
		}
		var sum float64
		for _, v := range values {
			sum += v
		}
		return sum / float64(len(values))
	}
	if len(weights) != len(values) {
		panic(fmt.Sprintf("scoring.WeightedMean: %d values but %d weights", len(values), len(weights)))
	}
	var sum, total float64
	for i, w := range weights {
		if !finite(w) || w < 0 {
			panic(fmt.Sprintf("scoring.WeightedMean: weight %d is %v, want a finite number ≥ 0", i, w))
		}
		sum += w * values[i]
		total += w
	}
	if total == 0 {
		return 0
	}
	return sum / total
}
