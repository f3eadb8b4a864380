package stats

import "testing"

func TestBayesianAverage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                   string
		sum                    float64
		n                      int
		priorMean, priorWeight float64
		want                   float64
	}{
		{
			// Two 5-star ratings, prior 4.0 worth 10 ratings:
			// (10·4 + 10)/(10 + 2) = 50/12 = 4.1666666667.
			name: "tiny sample is pulled to the prior", sum: 10, n: 2, priorMean: 4, priorWeight: 10,
			want: 4.1666666667,
		},
		{
			// 200 ratings averaging 4.8 (sum 960): (40 + 960)/210 = 4.7619047619,
			// which outranks the two 5-star ratings above.
			name: "large sample keeps its own mean", sum: 960, n: 200, priorMean: 4, priorWeight: 10,
			want: 4.7619047619,
		},
		{name: "no ratings gives the prior", sum: 0, n: 0, priorMean: 3.5, priorWeight: 10, want: 3.5},
		{name: "zero weight is the plain mean", sum: 9, n: 2, priorMean: 1, priorWeight: 0, want: 4.5},
		{name: "nothing at all gives the prior", sum: 0, n: 0, priorMean: 3.5, priorWeight: 0, want: 3.5},
		{name: "negative weight is treated as zero", sum: 9, n: 2, priorMean: 1, priorWeight: -5, want: 4.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := BayesianAverage(tc.sum, tc.n, tc.priorMean, tc.priorWeight)
			assertNear(t, "BayesianAverage", got, tc.want, tol)
		})
	}
}

func TestRate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		k, n int
		want float64
	}{
		{name: "three of four", k: 3, n: 4, want: 0.75},
		{name: "none of five", k: 0, n: 5, want: 0},
		{name: "all", k: 7, n: 7, want: 1},
		{name: "empty period is zero not NaN", k: 0, n: 0, want: 0},
		{name: "negative n is zero", k: 1, n: -1, want: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assertNear(t, "Rate", Rate(tc.k, tc.n), tc.want, tol)
		})
	}
}
