package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Z95 is the standard normal quantile for a two-sided 95% interval,
// Φ⁻¹(0.975), to full float64 precision.
const Z95 = 1.959963984540054

// Interval is a closed confidence interval [Lo, Hi].
type Interval struct {
	Lo, Hi float64
}

// Wilson returns the Wilson score 95% interval for a proportion of
// successes out of n trials:
//
//	centre = (p̂ + z²/2n) / (1 + z²/n)
//	half   = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²)
//
// Wilson, not the textbook p̂ ± z√(p̂q̂/n), because facility and satisfaction
// rates are often 0%, 100% or based on a handful of answers, where the
// textbook interval collapses to a point or leaves [0, 1]. Its lower bound
// is also the ranking score that does not reward tiny samples.
//
// It returns {0, 0} when n <= 0. successes is clamped to [0, n].
func Wilson(successes, n int) Interval {
	if n <= 0 {
		return Interval{}
	}
	successes = min(max(successes, 0), n)
	nf := float64(n)
	p := float64(successes) / nf
	z2 := Z95 * Z95
	denom := 1 + z2/nf
	centre := (p + z2/(2*nf)) / denom
	half := Z95 / denom * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	// Clamp only float noise: mathematically the interval is inside [0, 1].
	return Interval{Lo: max(centre-half, 0), Hi: min(centre+half, 1)}
}

// MeanCI95 returns the mean of xs, the two-sided 95% confidence interval
// mean ± t_{0.975, n−1} · s/√n with s the sample standard deviation, and n.
// Student's t rather than z because a round of inspections often covers only
// a few sites. With n < 2 there is no spread to estimate, so ci is the
// degenerate {mean, mean} (and mean is 0 for empty input); callers show n so
// readers can tell.
func MeanCI95(xs []float64) (m float64, ci Interval, n int) {
	return meanCI95(len(xs), mean(xs), sampleVariance(xs))
}

// meanCI95 is MeanCI95 from n values' mean m and sample variance.
func meanCI95(n int, m, variance float64) (float64, Interval, int) {
	if n < 2 {
		return m, Interval{Lo: m, Hi: m}, n
	}
	se := math.Sqrt(variance / float64(n))
	half := tQuantile(0.975, float64(n-1)) * se
	return m, Interval{Lo: m - half, Hi: m + half}, n
}

// tQuantile returns the p quantile of Student's t with df degrees of
// freedom.
func tQuantile(p, df float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
}

// tTwoSidedP returns P(|T| >= |t|) for Student's t with df degrees of
// freedom. The upper tail is taken with Survival rather than 1−CDF so that
// small p-values keep their precision.
func tTwoSidedP(t, df float64) float64 {
	if math.IsInf(t, 0) {
		return 0
	}
	p := 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
	return min(p, 1)
}
