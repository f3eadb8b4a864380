package stats

import "math"

// Moments are the count, sum and sum of squares of a set of values: enough
// for its mean, sample variance, mean interval and Welch's test, and kept
// current by adding and removing values without keeping the values, so a
// store can maintain them in a row whose size does not grow with the data.
//
// The variance Σx²/(n−1) − (Σx)²/(n(n−1)) cancels where the two-pass form
// used for value slices does not: for scores in [0, 100] the loss is about
// 1e-16 × Σx² per value added or removed, far below anything shown. Values
// that are all equal would leave a spread of ~1e-7 instead of 0, so a
// numerator under 1e-12 × Σx² — a standard deviation under a millionth of
// the values' size — counts as no spread.
type Moments struct {
	N          int
	Sum, SumSq float64
}

// MomentsOf returns the moments of xs.
func MomentsOf(xs ...float64) Moments {
	var m Moments
	for _, x := range xs {
		m.Add(x)
	}
	return m
}

// Add counts x in.
func (m *Moments) Add(x float64) {
	m.N++
	m.Sum += x
	m.SumSq += x * x
}

// Remove takes out an x that was added. Removing the last value leaves
// exactly zero moments rather than the rounding left by subtraction.
func (m *Moments) Remove(x float64) {
	m.N--
	m.Sum -= x
	m.SumSq -= x * x
	if m.N == 0 {
		*m = Moments{}
	}
}

// Merge adds the values counted in o.
func (m *Moments) Merge(o Moments) {
	m.N += o.N
	m.Sum += o.Sum
	m.SumSq += o.SumSq
}

// Mean returns Σx/n, 0 when N is 0.
func (m Moments) Mean() float64 {
	if m.N <= 0 {
		return 0
	}
	return m.Sum / float64(m.N)
}

// Variance returns the sample variance (n−1 denominator), 0 when N < 2.
// When every value is the same, rounding leaves Σx² − (Σx)²/n a little off
// zero, either way; anything within the rounding floor is 0.
func (m Moments) Variance() float64 {
	if m.N < 2 {
		return 0
	}
	n := float64(m.N)
	num := m.SumSq - m.Sum*m.Sum/n
	if num <= roundingFloor*m.SumSq {
		return 0
	}
	return num / (n - 1)
}

// roundingFloor is the share of Σx² under which Σx² − (Σx)²/n is taken as
// rounding: about 4,500 times float64's epsilon, so sums of thousands of
// values stay above it only when they really differ.
const roundingFloor = 1e-12

// StdDev returns the sample standard deviation, 0 when N < 2.
func (m Moments) StdDev() float64 { return math.Sqrt(m.Variance()) }

// MeanCI95Moments is MeanCI95 over the values counted in m.
func MeanCI95Moments(m Moments) (mean float64, ci Interval, n int) {
	return meanCI95(m.N, m.Mean(), m.Variance())
}

// WelchTTestMoments is WelchTTest over the values counted in a and b.
func WelchTTestMoments(a, b Moments, alpha float64) (WelchResult, error) {
	return welch(a.N, a.Mean(), a.Variance(), b.N, b.Mean(), b.Variance(), alpha)
}
