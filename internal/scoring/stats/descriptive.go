package stats

import (
	"math"
	"slices"
)

// Summary describes a set of scores. StdDev is the sample standard
// deviation (n−1 denominator), because the scores shown are nearly always a
// sample of the people who could have taken part; it is 0 when N < 2.
// Every field is 0 for empty input.
type Summary struct {
	N      int
	Mean   float64
	Median float64
	StdDev float64
	Min    float64
	Max    float64
}

// Summarize returns the summary of xs without modifying it. The median of
// an even number of values is the mean of the two middle values.
func Summarize(xs []float64) Summary {
	n := len(xs)
	if n == 0 {
		return Summary{}
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	median := sorted[n/2]
	if n%2 == 0 {
		median = (sorted[n/2-1] + sorted[n/2]) / 2
	}
	return Summary{
		N:      n,
		Mean:   mean(xs),
		Median: median,
		StdDev: math.Sqrt(sampleVariance(xs)),
		Min:    sorted[0],
		Max:    sorted[n-1],
	}
}

// mean returns the arithmetic mean of xs, 0 for empty input.
func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// sumSquaredDeviations returns Σ(x−mean)². Two passes (mean first) avoid the
// cancellation of the Σx² − n·mean² shortcut when scores are large and close.
func sumSquaredDeviations(xs []float64) float64 {
	m := mean(xs)
	var ss float64
	for _, x := range xs {
		d := x - m
		ss += d * d
	}
	return ss
}

// sampleVariance returns Σ(x−mean)²/(n−1), 0 when n < 2.
func sampleVariance(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	return sumSquaredDeviations(xs) / float64(len(xs)-1)
}

// populationVariance returns Σ(x−mean)²/n, 0 for empty input.
func populationVariance(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return sumSquaredDeviations(xs) / float64(len(xs))
}

// Bin is one histogram bar: values v with Lo <= v < Hi, except the last bin
// of a histogram, which also holds v == Hi.
type Bin struct {
	Lo, Hi float64
	Count  int
}

// MaxBins caps the number of bins Histogram returns, so a width chosen by a
// caller (an analyst's query) cannot make it allocate without bound. When
// (hi−lo)/width would exceed it, the width is widened to (hi−lo)/MaxBins.
const MaxBins = 1000

// Histogram counts xs into bins [lo, lo+w), [lo+w, lo+2w), …, with the last
// bin closed at hi so a perfect score is counted. If (hi−lo) is not a whole
// number of widths, the last bin is narrower and ends at hi.
//
// It never fails, because a chart with slightly odd bins is better than no
// chart: values below lo go into the first bin and values above hi into the
// last (so counts always sum to the number of non-NaN values); NaN values
// are skipped; width <= 0, hi <= lo or non-finite bounds give a single bin
// {lo, hi} holding every value.
func Histogram(xs []float64, lo, hi, width float64) []Bin {
	span := hi - lo
	if !(width > 0) || !(span > 0) || math.IsInf(span, 0) || math.IsInf(width, 0) {
		b := Bin{Lo: lo, Hi: hi}
		for _, x := range xs {
			if !math.IsNaN(x) {
				b.Count++
			}
		}
		return []Bin{b}
	}
	// The small slack keeps 1.0/0.1 = 10.000000000000002 from adding an
	// eleventh bin of width 2e-15.
	k := int(math.Ceil(span/width - 1e-9))
	if k > MaxBins {
		k = MaxBins
		width = span / MaxBins
	}
	k = max(k, 1)
	bins := make([]Bin, k)
	for i := range bins {
		bins[i].Lo = lo + float64(i)*width
		bins[i].Hi = lo + float64(i+1)*width
	}
	bins[k-1].Hi = hi
	for _, x := range xs {
		if math.IsNaN(x) {
			continue
		}
		i := int(math.Floor((x - lo) / width))
		i = min(max(i, 0), k-1)
		// Rounding in (x−lo)/width can disagree with the bounds reported
		// above (0.3/0.1 = 2.9999999999999996); settle on the bounds, which
		// are what the user sees.
		for i+1 < k && x >= bins[i+1].Lo {
			i++
		}
		for i > 0 && x < bins[i].Lo {
			i--
		}
		bins[i].Count++
	}
	return bins
}
