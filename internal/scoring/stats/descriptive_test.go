package stats

import (
	"math"
	"slices"
	"testing"
)

func TestSummarize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		xs   []float64
		want Summary
	}{
		{name: "empty gives all zeros", xs: nil, want: Summary{}},
		{
			// One value: no spread to estimate, so StdDev is 0 not NaN.
			name: "single value has zero stddev",
			xs:   []float64{7},
			want: Summary{N: 1, Mean: 7, Median: 7, StdDev: 0, Min: 7, Max: 7},
		},
		{
			name: "constant values have zero stddev",
			xs:   []float64{3, 3, 3},
			want: Summary{N: 3, Mean: 3, Median: 3, StdDev: 0, Min: 3, Max: 3},
		},
		{
			// Sorted 1 2 3 4 5: mean 15/5 = 3, median = middle = 3.
			// Deviations −2 −1 0 1 2, squares 4 1 0 1 4, SS = 10.
			// Sample variance 10/(5−1) = 2.5, StdDev √2.5 = 1.5811388.
			name: "odd count takes middle value as median",
			xs:   []float64{4, 1, 3, 2, 5},
			want: Summary{N: 5, Mean: 3, Median: 3, StdDev: 1.5811388, Min: 1, Max: 5},
		},
		{
			// Sorted 2 4 4 4 5 5 7 9: mean 40/8 = 5, median (4+5)/2 = 4.5.
			// Deviations −3 −1 −1 −1 0 0 2 4, squares 9 1 1 1 0 0 4 16, SS = 32.
			// Sample variance 32/7 = 4.5714286, StdDev = 2.1380899
			// (the population value would be √(32/8) = 2, a classic trap).
			name: "even count averages middle pair and uses n-1",
			xs:   []float64{9, 4, 5, 2, 4, 7, 4, 5},
			want: Summary{N: 8, Mean: 5, Median: 4.5, StdDev: 2.1380899, Min: 2, Max: 9},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := slices.Clone(tc.xs)
			got := Summarize(tc.xs)
			if got.N != tc.want.N {
				t.Errorf("N = %d, want %d", got.N, tc.want.N)
			}
			assertNear(t, "Mean", got.Mean, tc.want.Mean, tol)
			assertNear(t, "Median", got.Median, tc.want.Median, tol)
			assertNear(t, "StdDev", got.StdDev, tc.want.StdDev, tol)
			assertNear(t, "Min", got.Min, tc.want.Min, tol)
			assertNear(t, "Max", got.Max, tc.want.Max, tol)
			if !slices.Equal(tc.xs, in) {
				t.Errorf("Summarize modified its input: %v, was %v", tc.xs, in)
			}
		})
	}
}

func TestHistogram(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	tests := []struct {
		name          string
		xs            []float64
		lo, hi, width float64
		want          []Bin
	}{
		{
			// Bins [0,2.5) [2.5,5) [5,7.5) [7.5,10]:
			// −3 clamps to bin 0 with 0 and 2.4 → 3; 2.5 starts bin 1 → 1;
			// bin 2 empty; 7.5, 10 (closed end) and 12 (clamped) → 3.
			name: "half-open bins, closed last bin, clamped outliers",
			xs:   []float64{0, 2.4, 2.5, 7.5, 10, -3, 12},
			lo:   0, hi: 10, width: 2.5,
			want: []Bin{{0, 2.5, 3}, {2.5, 5, 1}, {5, 7.5, 0}, {7.5, 10, 3}},
		},
		{
			// 10/3 = 3.33 widths → 4 bins, the last cut short at hi:
			// [0,3) [3,6) [6,9) [9,10]; 8.99 → bin 2, 9.5 and 10 → bin 3.
			name: "partial last bin ends at hi",
			xs:   []float64{9.5, 10, 8.99},
			lo:   0, hi: 10, width: 3,
			want: []Bin{{0, 3, 0}, {3, 6, 0}, {6, 9, 1}, {9, 10, 2}},
		},
		{
			// Rating levels 1..5 centred in unit bins [0.5,1.5) … [4.5,5.5].
			name: "rating levels one per bin",
			xs:   []float64{5, 5, 4, 1, 3, 5},
			lo:   0.5, hi: 5.5, width: 1,
			want: []Bin{{0.5, 1.5, 1}, {1.5, 2.5, 0}, {2.5, 3.5, 1}, {3.5, 4.5, 1}, {4.5, 5.5, 3}},
		},
		{
			name: "empty input gives empty bins",
			xs:   nil,
			lo:   0, hi: 2, width: 1,
			want: []Bin{{0, 1, 0}, {1, 2, 0}},
		},
		{
			name: "zero width gives one bin with everything",
			xs:   []float64{-1, 0, 5, 100},
			lo:   0, hi: 10, width: 0,
			want: []Bin{{0, 10, 4}},
		},
		{
			name: "negative width gives one bin",
			xs:   []float64{1, 2},
			lo:   0, hi: 10, width: -1,
			want: []Bin{{0, 10, 2}},
		},
		{
			name: "hi equal to lo gives one bin",
			xs:   []float64{1, 2},
			lo:   5, hi: 5, width: 1,
			want: []Bin{{5, 5, 2}},
		},
		{
			name: "NaN values are skipped",
			xs:   []float64{1, nan, 3},
			lo:   0, hi: 4, width: 2,
			want: []Bin{{0, 2, 1}, {2, 4, 1}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Histogram(tc.xs, tc.lo, tc.hi, tc.width)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d bins %v, want %d %v", len(got), got, len(tc.want), tc.want)
			}
			for i := range got {
				assertNear(t, "Lo", got[i].Lo, tc.want[i].Lo, tol)
				assertNear(t, "Hi", got[i].Hi, tc.want[i].Hi, tol)
				if got[i].Count != tc.want[i].Count {
					t.Errorf("bin %d count = %d, want %d (bins %v)", i, got[i].Count, tc.want[i].Count, got)
				}
			}
		})
	}
}

// Decimal widths are inexact in binary: 1/0.1 must still give 10 bins, and
// a value on a boundary must land in the bin whose reported bounds hold it.
func TestHistogramDecimalWidthIsConsistentWithBounds(t *testing.T) {
	t.Parallel()
	xs := []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	bins := Histogram(xs, 0, 1, 0.1)
	if len(bins) != 10 {
		t.Fatalf("got %d bins, want 10", len(bins))
	}
	total := 0
	for _, b := range bins {
		total += b.Count
	}
	if total != len(xs) {
		t.Errorf("counts sum to %d, want %d", total, len(xs))
	}
	for _, x := range xs {
		for i, b := range bins {
			last := i == len(bins)-1
			if x >= b.Lo && (x < b.Hi || last && x == b.Hi) && b.Count == 0 {
				t.Errorf("%v lies in bin %d %v but that bin is empty", x, i, b)
			}
		}
	}
}

func TestHistogramCapsBinCount(t *testing.T) {
	t.Parallel()
	bins := Histogram([]float64{0.5}, 0, 1, 1e-9)
	if len(bins) != MaxBins {
		t.Fatalf("got %d bins, want MaxBins = %d", len(bins), MaxBins)
	}
	assertNear(t, "last Hi", bins[len(bins)-1].Hi, 1, 0)
	// 0.5 / (1/1000) = 500 → bin 500 = [0.5, 0.501).
	if bins[500].Count != 1 {
		t.Errorf("bin 500 %v count = %d, want 1", bins[500], bins[500].Count)
	}
}
