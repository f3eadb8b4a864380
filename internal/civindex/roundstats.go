package civindex

import (
	"cmp"
	"maps"
	"slices"

	"github.com/wenming/wenming/internal/scoring"
	"github.com/wenming/wenming/internal/scoring/stats"
)

// statKey names one cell of a round's aggregate: the sites of one category
// and either their scores (DimensionID "") or their scores in one
// dimension.
type statKey struct {
	Category, DimensionID string
}

func compareStatKeys(a, b statKey) int {
	if c := cmp.Compare(a.Category, b.Category); c != 0 {
		return c
	}
	return cmp.Compare(a.DimensionID, b.DimensionID)
}

// RoundStats is a round's aggregate, stored in civ_round_stats: per site
// category, the moments of the scores of the scored sites (Scored) and of
// each dimension's score over the sites where it applied (Max > 0). It is
// everything the round index and trend need, and its size depends on the categories and dimensions, not
// on the number of sites. A change to an aggregate has the same shape,
// with negative counts for what it takes out.
type RoundStats map[statKey]stats.Moments

// statsOf aggregates sites, leaving out those where nothing applied.
func statsOf(sites []scoredSite) RoundStats {
	rs := RoundStats{}
	for _, s := range sites {
		rs.count(s.Site.Category, s.SiteScore, 1)
	}
	return rs
}

// count adds (sign 1) or takes out (sign −1) what a site of category with
// score s contributes.
func (rs RoundStats) count(category string, s scoring.SiteScore, sign int) {
	if s.Max <= 0 {
		return
	}
	rs.put(statKey{category, ""}, s.Score, sign)
	for dim, d := range s.Dimensions {
		if d.Max > 0 {
			rs.put(statKey{category, dim}, d.Score, sign)
		}
	}
}

func (rs RoundStats) put(k statKey, x float64, sign int) {
	m := rs[k]
	m.N += sign
	m.Sum += float64(sign) * x
	m.SumSq += float64(sign) * x * x
	rs[k] = m
}

// keys lists the cells in a fixed order, so sums over them do not change
// with map order.
func (rs RoundStats) keys() []statKey {
	return slices.SortedFunc(maps.Keys(rs), compareStatKeys)
}

// Total merges the categories' moments of one dimension ("" for the site
// scores).
func (rs RoundStats) Total(dim string) stats.Moments {
	var m stats.Moments
	for _, k := range rs.keys() {
		if k.DimensionID == dim {
			m.Merge(rs[k])
		}
	}
	return m
}

// Index computes the round index from the aggregate: the mean of the
// scored sites' scores (weighted by category when weights is non-nil), the
// number of sites, the unweighted mean with its sample standard deviation
// and Student-t 95% interval, and each dimension's mean over the sites
// where it applied, in dimOrder (the framework's dimension ids).
//
// A weighted mean is scoring.WeightedMean with every site weighing its
// category's weight (1 when the category is not listed), summed by
// category: Σ(w·Σx) / Σ(w·n), and 0 when the weights total 0.
func (rs RoundStats) Index(weights map[string]float64, dimOrder []string) roundIndex {
	type sums struct {
		all        stats.Moments
		wsum, wtot float64
	}
	byDim := map[string]*sums{}
	for _, k := range rs.keys() {
		d := byDim[k.DimensionID]
		if d == nil {
			d = &sums{}
			byDim[k.DimensionID] = d
		}
		m := rs[k]
		d.all.Merge(m)
		w, ok := weights[k.Category]
		if !ok {
			w = 1
		}
		d.wsum += w * m.Sum
		d.wtot += w * float64(m.N)
	}
	mean := func(dim string) (float64, int) {
		d := byDim[dim]
		switch {
		case d == nil:
			return 0, 0
		case weights == nil:
			return d.all.Mean(), d.all.N
		case d.wtot == 0:
			return 0, d.all.N
		}
		return d.wsum / d.wtot, d.all.N
	}
	var all stats.Moments
	if d := byDim[""]; d != nil {
		all = d.all
	}
	m, ci, n := stats.MeanCI95Moments(all)
	index, _ := mean("")
	ri := roundIndex{
		Index:          index,
		UnweightedMean: m,
		StdDev:         all.StdDev(),
		CI:             ci,
		HasCI:          weights == nil,
		N:              n,
	}
	for _, dim := range dimOrder {
		score, n := mean(dim)
		ri.Dimensions = append(ri.Dimensions, dimMean{DimensionID: dim, Score: score, N: n})
	}
	return ri
}
