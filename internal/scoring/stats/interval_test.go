package stats

import (
	"math"
	"testing"
)

func TestWilson(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		s, n   int
		want   Interval
		tolera float64
	}{
		{
			// z = 1.959963984540054, z² = 3.841458820694125, n = 10, p̂ = 0.8.
			// denom  = 1 + z²/n = 1.3841458820694125
			// centre = (0.8 + z²/20)/denom = (0.8 + 0.1920729410)/1.3841458821
			//        = 0.9920729410/1.3841458821 = 0.7167401600
			// root   = √(0.8·0.2/10 + z²/400) = √(0.016 + 0.0096036471)
			//        = √0.0256036471 = 0.1600113966
			// half   = z/denom · root = 1.4160096923 · 0.1600113966 = 0.2265776885
			// → [0.7167401600 − 0.2265776885, 0.7167401600 + 0.2265776885]
			name: "8 of 10", s: 8, n: 10,
			want: Interval{0.4901624715, 0.9433178485}, tolera: tol,
		},
		{
			// p̂ = 0: centre = (z²/2n)/denom and half = z/denom · z/2n are
			// equal, so Lo = 0 exactly. n = 5: z²/n = 0.7682917641,
			// denom = 1.7682917641, centre = 0.3841458821/1.7682917641
			// = 0.2172412324; Hi = 2·centre = 0.4344824648.
			name: "0 of 5 starts at zero", s: 0, n: 5,
			want: Interval{0, 0.4344824648}, tolera: tol,
		},
		{
			// Mirror image of 0 of 5: [1 − 0.4344824648, 1].
			name: "5 of 5 ends at one", s: 5, n: 5,
			want: Interval{0.5655175352, 1}, tolera: tol,
		},
		{name: "no trials gives zero interval", s: 0, n: 0, want: Interval{}, tolera: 0},
		{name: "negative n gives zero interval", s: 1, n: -3, want: Interval{}, tolera: 0},
		{name: "successes above n are clamped", s: 7, n: 5, want: Interval{0.5655175352, 1}, tolera: tol},
		{name: "negative successes are clamped", s: -2, n: 5, want: Interval{0, 0.4344824648}, tolera: tol},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Wilson(tc.s, tc.n)
			assertInterval(t, "Wilson", got, tc.want, tc.tolera)
			if got.Lo < 0 || got.Hi > 1 || got.Lo > got.Hi {
				t.Errorf("Wilson(%d, %d) = %v, outside [0, 1] or inverted", tc.s, tc.n, got)
			}
		})
	}
}

// t quantiles have closed forms for 1 and 2 degrees of freedom, which pin
// down that the gonum call is wired with the right parameters:
// df = 1 (Cauchy): t_p = tan(π(p − ½)); df = 2: t_p = (2p − 1)/√(2p(1 − p)).
func TestTQuantileClosedForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		p, df float64
		want  float64
	}{
		// tan(0.475π) = 12.7062047362.
		{name: "df1 at 0.975", p: 0.975, df: 1, want: 12.7062047362},
		// 0.95/√(2·0.975·0.025) = 0.95/√0.04875 = 4.3026527297.
		{name: "df2 at 0.975", p: 0.975, df: 2, want: 4.3026527297},
		{name: "df2 at 0.025 is the negative", p: 0.025, df: 2, want: -4.3026527297},
		{name: "median is zero", p: 0.5, df: 7, want: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assertNear(t, "tQuantile", tQuantile(tc.p, tc.df), tc.want, tol)
		})
	}
}

// Two-sided tail probabilities with closed forms:
// df = 1: P = 1 − (2/π)·atan|t|; df = 2: P = 1 − |t|/√(2 + t²);
// df = 4: P = 1 − (3/4)·x·(1 − t²/(12u)) with u = 1 + t²/4, x = |t|/√u.
func TestTTwoSidedPClosedForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		tv, df float64
		want   float64
	}{
		// atan 1 = π/4 → 1 − ½ = 0.5.
		{name: "df1 t=1", tv: 1, df: 1, want: 0.5},
		// 1 − 2/√6 = 1 − 0.8164965809 = 0.1835034191.
		{name: "df2 t=2", tv: 2, df: 2, want: 0.1835034191},
		{name: "df2 t=-2 is symmetric", tv: -2, df: 2, want: 0.1835034191},
		// t = 3/√2 = 2.1213203436, t² = 4.5, u = 2.125, x = 1.4552137502,
		// 1 − 4.5/25.5 = 0.8235294118 → 1 − 0.75·1.4552137502·0.8235294118
		// = 1 − 0.8988084928 = 0.1011915072.
		{name: "df4 t=3/sqrt2", tv: 3 / math.Sqrt2, df: 4, want: 0.1011915072},
		{name: "t=0 gives 1", tv: 0, df: 3, want: 1},
		{name: "infinite t gives 0", tv: math.Inf(-1), df: 3, want: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assertNear(t, "tTwoSidedP", tTwoSidedP(tc.tv, tc.df), tc.want, tol)
		})
	}
}

func TestMeanCI95(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		xs       []float64
		wantMean float64
		wantCI   Interval
		wantN    int
	}{
		{name: "empty", xs: nil, wantMean: 0, wantCI: Interval{0, 0}, wantN: 0},
		{name: "single value gives point interval", xs: []float64{80}, wantMean: 80, wantCI: Interval{80, 80}, wantN: 1},
		{
			// All equal: s = 0 so the interval is the point even with n = 3.
			name: "zero variance gives point interval", xs: []float64{90, 90, 90},
			wantMean: 90, wantCI: Interval{90, 90}, wantN: 3,
		},
		{
			// mean 3, s² = ((2−3)² + (4−3)²)/1 = 2, se = √2/√2 = 1,
			// t_{0.975,1} = tan(0.475π) = 12.7062047362 → 3 ∓ 12.7062047362.
			name: "two values use t with 1 df", xs: []float64{2, 4},
			wantMean: 3, wantCI: Interval{-9.7062047362, 15.7062047362}, wantN: 2,
		},
		{
			// mean 2, s² = (1 + 0 + 1)/2 = 1, se = 1/√3 = 0.5773502692,
			// t_{0.975,2} = 4.3026527297, half = 4.3026527297·0.5773502692
			// = 2.4841377118 → [−0.4841377118, 4.4841377118].
			name: "three values use t with 2 df", xs: []float64{1, 2, 3},
			wantMean: 2, wantCI: Interval{-0.4841377118, 4.4841377118}, wantN: 3,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, ci, n := MeanCI95(tc.xs)
			if n != tc.wantN {
				t.Errorf("n = %d, want %d", n, tc.wantN)
			}
			assertNear(t, "mean", m, tc.wantMean, tol)
			assertInterval(t, "ci", ci, tc.wantCI, tol)
		})
	}
}
