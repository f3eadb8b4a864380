package stats

import (
	"errors"
	"fmt"
	"math"
)

// WelchResult is the outcome of comparing two means, for example a site's
// or a round's index in two successive rounds. Diff is MeanB − MeanA, so a
// positive Diff (and T) means B is higher: pass the earlier round as A.
type WelchResult struct {
	MeanA, MeanB float64
	Diff         float64
	T            float64
	DF           float64
	P            float64 // two-sided
	Significant  bool    // P < alpha
}

// ErrTooFewValues is returned when a sample is too small to estimate its
// variance.
var ErrTooFewValues = errors.New("stats: each sample needs at least 2 values")

// WelchTTest runs Welch's two-sided t-test of equal means:
//
//	T  = (mean_B − mean_A) / √(s²_A/n_A + s²_B/n_B)
//	DF = (s²_A/n_A + s²_B/n_B)² / ((s²_A/n_A)²/(n_A−1) + (s²_B/n_B)²/(n_B−1))
//
// with sample variances s² and the Welch–Satterthwaite DF. Welch rather than
// Student's pooled test because rounds differ in size and in spread, and
// Welch loses almost nothing when they do not.
//
// It returns ErrTooFewValues when either sample has fewer than 2 values, and
// an error when alpha is not in (0, 1). When both variances are 0 the
// t statistic is undefined; the result is then decided by the means alone:
// equal means give T = 0, P = 1, not significant; different means give
// T = ±Inf, P = 0, significant. DF is then reported as n_A + n_B − 2, the
// pooled value, since Satterthwaite's formula is 0/0.
func WelchTTest(a, b []float64, alpha float64) (WelchResult, error) {
	return welch(len(a), mean(a), sampleVariance(a), len(b), mean(b), sampleVariance(b), alpha)
}

// welch is WelchTTest from each sample's size, mean and sample variance.
func welch(nA int, meanA, varA float64, nB int, meanB, varB float64, alpha float64) (WelchResult, error) {
	if nA < 2 || nB < 2 {
		return WelchResult{}, fmt.Errorf("%w (got %d and %d)", ErrTooFewValues, nA, nB)
	}
	if !(alpha > 0 && alpha < 1) {
		return WelchResult{}, fmt.Errorf("stats: alpha must be in (0, 1), got %v", alpha)
	}
	na, nb := float64(nA), float64(nB)
	r := WelchResult{MeanA: meanA, MeanB: meanB}
	r.Diff = r.MeanB - r.MeanA
	va := varA / na // squared standard error of mean A
	vb := varB / nb
	se2 := va + vb
	if se2 == 0 {
		r.DF = na + nb - 2
		if r.Diff == 0 {
			r.P = 1
		} else {
			r.T = math.Copysign(math.Inf(1), r.Diff)
			r.P = 0
			r.Significant = true
		}
		return r, nil
	}
	r.T = r.Diff / math.Sqrt(se2)
	r.DF = se2 * se2 / (va*va/(na-1) + vb*vb/(nb-1))
	r.P = tTwoSidedP(r.T, r.DF)
	r.Significant = r.P < alpha
	return r, nil
}
