package civindex

import (
	"cmp"
	"maps"
	"slices"

	"github.com/wenming/wenming/internal/survey"
	"github.com/wenming/wenming/internal/survey/stats"
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

// StatsOf aggregates sites, leaving out those where nothing applied.
func StatsOf(sites []ScoredSite) RoundStats {
	rs := RoundStats{}
	for _, s := range sites {
		rs.count(s.Site.Category, s.SiteScore, 1)
	}
	return rs
}

// count adds (sign 1) or takes out (sign −1) what a site of category with
// score s contributes.
func (rs RoundStats) count(category string, s survey.SiteScore, sign int) {
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

// mean is the mean of dim's scores with every site weighing its category's
// weight (1 when the category is not listed), or the plain mean when
// weights is nil: survey.WeightedMean, summed by category.
func (rs RoundStats) mean(dim string, weights map[string]float64) float64 {
	if weights == nil {
		return rs.Total(dim).Mean()
	}
	var sum, total float64
	for _, k := range rs.keys() {
		if k.DimensionID != dim {
			continue
		}
		w, ok := weights[k.Category]
		if !ok {
			w = 1
		}
		m := rs[k]
		sum += w * m.Sum
		total += w * float64(m.N)
	}
	if total == 0 {
		return 0
	}
	return sum / total
}

// Index computes the round index from the aggregate: the mean of the
// scored sites' scores (weighted by category when weights is non-nil), the
// number of sites, the unweighted mean with its sample standard deviation
// and Student-t 95% interval, and each dimension's mean over the sites
// where it applied, in dimOrder (the framework's dimension ids).
func (rs RoundStats) Index(weights map[string]float64, dimOrder []string) RoundIndex {
	all := rs.Total("")
	mean, ci, n := stats.MeanCI95Moments(all)
	ri := RoundIndex{
		Index:          rs.mean("", weights),
		UnweightedMean: mean,
		StdDev:         all.StdDev(),
		CI:             ci,
		HasCI:          weights == nil,
		N:              n,
	}
	for _, dim := range dimOrder {
		ri.Dimensions = append(ri.Dimensions, DimMean{DimensionID: dim, Score: rs.mean(dim, weights), N: rs.Total(dim).N})
	}
	return ri
}
