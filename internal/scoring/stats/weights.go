package stats

import (
	"math"
	"sort"
)

// Weighted is an estimate from weighted respondents with the quantities a
// reader needs to judge it: Kish's design effect and the effective sample
// size over the same respondents.
type Weighted struct {
	Estimate     float64
	CI           Interval
	DesignEffect float64
	EffectiveN   float64
}

// Kish returns Kish's design effect due to unequal weighting,
//
//	deff = n · Σw² / (Σw)²
//
// and the effective sample size n_eff = n / deff = (Σw)² / Σw². Equal
// weights give deff = 1 and n_eff = n; the more unequal the weights, the
// fewer respondents the estimate is worth. With no (positive) weight it
// returns deff = 1 and n_eff = 0.
func Kish(w []float64) (deff, nEff float64) {
	var sum, sq float64
	for _, x := range w {
		sum += x
		sq += x * x
	}
	if sum <= 0 || sq <= 0 {
		return 1, 0
	}
	n := float64(len(w))
	return n * sq / (sum * sum), sum * sum / sq
}

// WilsonN is the Wilson score 95% interval (see Wilson) for a proportion p
// estimated from n respondents, where n need not be whole: a weighted
// share's interval takes its effective sample size. It returns {0, 0} when
// n <= 0.
func WilsonN(p, n float64) Interval {
	if n <= 0 {
		return Interval{}
	}
	p = min(max(p, 0), 1)
	z2 := Z95 * Z95
	denom := 1 + z2/n
	centre := (p + z2/(2*n)) / denom
	half := Z95 / denom * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return Interval{Lo: max(centre-half, 0), Hi: min(centre+half, 1)}
}

// WeightedShare is the weighted share of respondents for whom hit is true,
// p_w = Σ w·[hit] / Σ w, with the Wilson interval at the effective sample
// size of the weights. w and hit are parallel.
func WeightedShare(w []float64, hit []bool) Weighted {
	var sum, yes float64
	for i, x := range w {
		sum += x
		if hit[i] {
			yes += x
		}
	}
	deff, nEff := Kish(w)
	if sum <= 0 {
		return Weighted{DesignEffect: deff}
	}
	p := yes / sum
	return Weighted{Estimate: p, CI: WilsonN(p, nEff), DesignEffect: deff, EffectiveN: nEff}
}

// WeightedMean is the weighted mean m_w = Σ w·x / Σ w with a 95% interval
// m_w ± t(0.975, n_eff − 1) · s_w / √n_eff, where
//
//	s_w² = n/(n − 1) · Σ w (x − m_w)² / Σ w
//
// is the weighted variance with the usual n − 1 correction (it equals the
// sample variance when all weights are equal, so equal weights give the
// unweighted t interval). With n_eff ≤ 1 the interval is {m_w, m_w}.
func WeightedMean(w, x []float64) Weighted {
	var sum, wx float64
	for i, wi := range w {
		sum += wi
		wx += wi * x[i]
	}
	deff, nEff := Kish(w)
	if sum <= 0 {
		return Weighted{DesignEffect: deff}
	}
	m := wx / sum
	out := Weighted{Estimate: m, CI: Interval{Lo: m, Hi: m}, DesignEffect: deff, EffectiveN: nEff}
	n := float64(len(w))
	if nEff <= 1 || n < 2 {
		return out
	}
	var ss float64
	for i, wi := range w {
		d := x[i] - m
		ss += wi * d * d
	}
	s2 := n / (n - 1) * ss / sum
	half := tQuantile(0.975, nEff-1) * math.Sqrt(s2/nEff)
	out.CI = Interval{Lo: m - half, Hi: m + half}
	return out
}

// CellWeights post-stratifies by cell weighting: each respondent of cell h
// gets
//
//	w_h = P'_h · n / n_h
//
// where n_h counts the cell's respondents, n = Σ n_h, and P'_h is the
// cell's population share rescaled over the cells that have respondents
// (P'_h = P_h / Σ_{n_k>0} P_k), so Σ w = n. Cells with a share and no
// respondents cannot be represented; they are returned, sorted, in empty.
// Respondents of a cell with no share get weight 0.
func CellWeights(counts map[string]int, shares map[string]float64) (w map[string]float64, empty []string) {
	var covered float64
	n := 0
	for h, c := range counts {
		n += c
		if c > 0 {
			covered += shares[h]
		}
	}
	for h, p := range shares {
		if p > 0 && counts[h] == 0 {
			empty = append(empty, h)
		}
	}
	sort.Strings(empty)
	w = map[string]float64{}
	for h, c := range counts {
		if c == 0 || covered <= 0 {
			continue
		}
		w[h] = shares[h] / covered * float64(n) / float64(c)
	}
	return w, empty
}

// Rake finds weights whose weighted margins match the population margins
// by iterative proportional fitting (raking): starting from w = 1, for each
// dimension d in turn and each of its levels l, every respondent at level l
// has its weight multiplied by
//
//	M_{d,l} · n / Σ_{i at l} w_i
//
// and passes repeat until every weighted margin is within tol (relative) of
// its target, or maxIter passes. levels[i][d] is respondent i's level index
// in dimension d; margins[d][l] is that level's population share. A level
// without respondents cannot be matched, so each dimension's shares are
// rescaled over the levels that have respondents. It returns the weights
// (Σ w = n), the passes made and whether they converged.
func Rake(levels [][]int, margins [][]float64, maxIter int, tol float64) (w []float64, passes int, converged bool) {
	n := len(levels)
	w = make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	if n == 0 {
		return w, 0, true
	}
	targets := make([][]float64, len(margins))
	for d, m := range margins {
		present := make([]bool, len(m))
		for _, lv := range levels {
			present[lv[d]] = true
		}
		var covered float64
		for l, p := range m {
			if present[l] {
				covered += p
			}
		}
		targets[d] = make([]float64, len(m))
		for l, p := range m {
			if present[l] && covered > 0 {
				targets[d][l] = p / covered * float64(n)
			}
		}
	}
	totals := func(d int) []float64 {
		t := make([]float64, len(margins[d]))
		for i, lv := range levels {
			t[lv[d]] += w[i]
		}
		return t
	}
	for passes = 1; passes <= maxIter; passes++ {
		for d := range margins {
			t := totals(d)
			for i, lv := range levels {
				if t[lv[d]] > 0 {
					w[i] *= targets[d][lv[d]] / t[lv[d]]
				}
			}
		}
		converged = true
		for d := range margins {
			for l, t := range totals(d) {
				if targets[d][l] > 0 && math.Abs(t/targets[d][l]-1) > tol {
					converged = false
				}
			}
		}
		if converged {
			return w, passes, true
		}
	}
	return w, maxIter, false
}
