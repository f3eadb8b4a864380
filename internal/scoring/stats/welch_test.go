package stats

import (
	"errors"
	"math"
	"testing"
)

func TestWelchTTest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		a, b  []float64
		alpha float64
		want  WelchResult
	}{
		{
			// A = {1,3}: mean 2, s² = (1+1)/1 = 2, s²/n = 1.
			// B = {4,6}: mean 5, s² = 2, s²/n = 1.
			// se = √(1+1) = √2, T = (5−2)/√2 = 2.1213203436.
			// DF = (1+1)² / (1²/1 + 1²/1) = 4/2 = 2.
			// P (df 2) = 1 − T/√(2+T²) = 1 − √(4.5/6.5) = 1 − 3/√13
			//          = 1 − 0.8320502943 = 0.1679497057 ≥ 0.05.
			name: "equal sizes and spreads give df 2", a: []float64{1, 3}, b: []float64{4, 6}, alpha: 0.05,
			want: WelchResult{MeanA: 2, MeanB: 5, Diff: 3, T: 2.1213203436, DF: 2, P: 0.1679497057},
		},
		{
			// Same data with alpha 0.2: P = 0.1679 < 0.2 → significant.
			name: "alpha decides significance", a: []float64{1, 3}, b: []float64{4, 6}, alpha: 0.2,
			want: WelchResult{MeanA: 2, MeanB: 5, Diff: 3, T: 2.1213203436, DF: 2, P: 0.1679497057, Significant: true},
		},
		{
			// A = {5,5,5}: mean 5, s² = 0. B = {1,3}: mean 2, s² = 2, s²/n = 1.
			// Diff = 2 − 5 = −3, se = √(0 + 1) = 1, T = −3.
			// DF = 1² / (0 + 1²/1) = 1 (only B's variance counts).
			// P (df 1) = 1 − (2/π)·atan 3 = 1 − 0.6366197724·1.2490457724
			//          = 1 − 0.7951672353 = 0.2048327647.
			name: "one constant sample gives negative t and df n_b-1", a: []float64{5, 5, 5}, b: []float64{1, 3}, alpha: 0.05,
			want: WelchResult{MeanA: 5, MeanB: 2, Diff: -3, T: -3, DF: 1, P: 0.2048327647},
		},
		{
			name: "both constant and equal is not significant", a: []float64{5, 5}, b: []float64{5, 5, 5}, alpha: 0.05,
			want: WelchResult{MeanA: 5, MeanB: 5, Diff: 0, T: 0, DF: 3, P: 1},
		},
		{
			name: "both constant and different is significant", a: []float64{5, 5}, b: []float64{7, 7, 7}, alpha: 0.05,
			want: WelchResult{MeanA: 5, MeanB: 7, Diff: 2, T: math.Inf(1), DF: 3, P: 0, Significant: true},
		},
		{
			name: "both constant, B lower, gives minus infinity", a: []float64{7, 7}, b: []float64{5, 5}, alpha: 0.05,
			want: WelchResult{MeanA: 7, MeanB: 5, Diff: -2, T: math.Inf(-1), DF: 2, P: 0, Significant: true},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := WelchTTest(tc.a, tc.b, tc.alpha)
			if err != nil {
				t.Fatalf("WelchTTest: %v", err)
			}
			assertNear(t, "MeanA", got.MeanA, tc.want.MeanA, tol)
			assertNear(t, "MeanB", got.MeanB, tc.want.MeanB, tol)
			assertNear(t, "Diff", got.Diff, tc.want.Diff, tol)
			assertNear(t, "T", got.T, tc.want.T, tol)
			assertNear(t, "DF", got.DF, tc.want.DF, tol)
			assertNear(t, "P", got.P, tc.want.P, tol)
			if got.Significant != tc.want.Significant {
				t.Errorf("Significant = %v, want %v", got.Significant, tc.want.Significant)
			}
		})
	}
}

// Unequal sizes and spreads give a fractional df. T and DF are worked by
// hand; P has no closed form at fractional df, so it is pinned between the
// closed-form values at df 4 and df 5 (the tail shrinks as df grows).
func TestWelchTTestFractionalDF(t *testing.T) {
	t.Parallel()
	// A = {1,2,3}: mean 2, s² = 1, s²/n = 1/3.
	// B = {2,4,6,8}: mean 5, SS = 9+1+1+9 = 20, s² = 20/3, s²/n = 5/3.
	// se² = 1/3 + 5/3 = 2, T = 3/√2 = 2.1213203436.
	// DF = 2² / ((1/3)²/2 + (5/3)²/3) = 4 / (1/18 + 25/27) = 4 / (53/54)
	//    = 216/53 = 4.0754716981.
	// P at df 4 (closed form, see TestTTwoSidedPClosedForms) = 0.1011915072.
	// P at df 5: u = 1 + T²/5 = 1.9, F = ½ + (1/π)[T/(√5·u)·(1 + 2/(3u))
	//   + atan(T/√5)] = 0.9563203459 → P = 2(1 − F) = 0.0873593081.
	got, err := WelchTTest([]float64{1, 2, 3}, []float64{2, 4, 6, 8}, 0.05)
	if err != nil {
		t.Fatalf("WelchTTest: %v", err)
	}
	assertNear(t, "Diff", got.Diff, 3, tol)
	assertNear(t, "T", got.T, 2.1213203436, tol)
	assertNear(t, "DF", got.DF, 4.0754716981, tol)
	if !(got.P > 0.0873593081 && got.P < 0.1011915072) {
		t.Errorf("P = %v, want between 0.0873593081 (df 5) and 0.1011915072 (df 4)", got.P)
	}
	if got.Significant {
		t.Errorf("Significant = true with P = %v at alpha 0.05", got.P)
	}
}

func TestWelchTTestRejectsBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		a, b      []float64
		alpha     float64
		tooFewErr bool
	}{
		{name: "empty A", a: nil, b: []float64{1, 2}, alpha: 0.05, tooFewErr: true},
		{name: "one value in B", a: []float64{1, 2}, b: []float64{3}, alpha: 0.05, tooFewErr: true},
		{name: "alpha zero", a: []float64{1, 2}, b: []float64{3, 4}, alpha: 0},
		{name: "alpha one", a: []float64{1, 2}, b: []float64{3, 4}, alpha: 1},
		{name: "alpha NaN", a: []float64{1, 2}, b: []float64{3, 4}, alpha: math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := WelchTTest(tc.a, tc.b, tc.alpha)
			if err == nil {
				t.Fatal("WelchTTest succeeded, want an error")
			}
			if got := errors.Is(err, ErrTooFewValues); got != tc.tooFewErr {
				t.Errorf("errors.Is(%v, ErrTooFewValues) = %v, want %v", err, got, tc.tooFewErr)
			}
		})
	}
}
