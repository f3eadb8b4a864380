package stats

import (
	"math"
	"testing"
)

func TestKishDesignEffectByHand(t *testing.T) {
	// w = 1, 1, 2, 4: n = 4, Σw = 8, Σw² = 1 + 1 + 4 + 16 = 22.
	// deff = 4 · 22 / 8² = 88/64 = 1.375; n_eff = 64/22 = 2.909090…
	deff, nEff := Kish([]float64{1, 1, 2, 4})
	assertNear(t, "deff", deff, 1.375, tol)
	assertNear(t, "n_eff", nEff, 64.0/22, tol)
	// Equal weights cost nothing: deff 1, n_eff = n.
	deff, nEff = Kish([]float64{0.5, 0.5, 0.5})
	assertNear(t, "equal deff", deff, 1, tol)
	assertNear(t, "equal n_eff", nEff, 3, tol)
	deff, nEff = Kish(nil)
	if deff != 1 || nEff != 0 {
		t.Errorf("Kish(nil) = %v, %v; want 1, 0", deff, nEff)
	}
}

// The cell-weighting example used below: cell A has 3 respondents, cell B
// 1 (n = 4); each is half the population.
//
//	w_A = 0.5 · 4 / 3 = 2/3     w_B = 0.5 · 4 / 1 = 2     Σw = 3·2/3 + 2 = 4
func cellExample(t *testing.T) []float64 {
	w, empty := CellWeights(map[string]int{"A": 3, "B": 1}, map[string]float64{"A": 0.5, "B": 0.5})
	if len(empty) != 0 {
		t.Fatalf("empty = %v", empty)
	}
	assertNear(t, "w_A", w["A"], 2.0/3, tol)
	assertNear(t, "w_B", w["B"], 2, tol)
	return []float64{w["A"], w["A"], w["A"], w["B"]}
}

func TestCellWeightsRescaleOverCellsWithRespondents(t *testing.T) {
	cellExample(t)
	// C holds 20% of the population but nobody answered: A and B share
	// the rest, 0.4/0.8 = 0.5 each, so the weights are the example's.
	w, empty := CellWeights(map[string]int{"A": 3, "B": 1, "C": 0},
		map[string]float64{"A": 0.4, "B": 0.4, "C": 0.2})
	assertNear(t, "w_A", w["A"], 2.0/3, tol)
	assertNear(t, "w_B", w["B"], 2, tol)
	if len(empty) != 1 || empty[0] != "C" {
		t.Errorf("empty = %v, want [C]", empty)
	}
}

func TestWeightedShareByHand(t *testing.T) {
	w := cellExample(t)
	// A answers yes, yes, no; B answers no. Unweighted 2/4 = 0.5;
	// weighted p = (2/3 + 2/3) / 4 = 1/3.
	// Σw² = 3 · 4/9 + 4 = 16/3, deff = 4 · (16/3) / 16 = 4/3, n_eff = 3.
	// Wilson at p = 1/3, n = 3, z² = 3.841459:
	//   denom  = 1 + 3.841459/3 = 2.280486
	//   centre = (0.333333 + 3.841459/6) / 2.280486 = 0.426913
	//   half   = 1.959964/2.280486 · √(0.222222/3 + 3.841459/36) = 0.365421
	//   → [0.061492, 0.792340]
	got := WeightedShare(w, []bool{true, true, false, false})
	assertNear(t, "estimate", got.Estimate, 1.0/3, tol)
	assertNear(t, "deff", got.DesignEffect, 4.0/3, tol)
	assertNear(t, "n_eff", got.EffectiveN, 3, tol)
	assertInterval(t, "ci", got.CI, Interval{Lo: 0.0614919, Hi: 0.7923404}, 1e-6)
	// At a whole n, WilsonN is Wilson.
	assertInterval(t, "WilsonN(1/3, 3)", WilsonN(1.0/3, 3), Wilson(1, 3), 1e-12)
}

func TestWeightedMeanByHand(t *testing.T) {
	w := cellExample(t)
	// x = 5, 4, 3 in A and 1 in B.
	// m = (2/3 · 12 + 2 · 1) / 4 = 10/4 = 2.5
	// Σw(x−m)² = 2/3 · (2.5² + 1.5² + 0.5²) + 2 · 1.5² = 2/3 · 8.75 + 4.5 = 10.333333
	// s² = 4/3 · 10.333333 / 4 = 3.444444; se = √(3.444444 / 3) = 1.071517
	// t(0.975, 2) = 4.302653; half = 4.610364 → [−2.110364, 7.110364]
	got := WeightedMean(w, []float64{5, 4, 3, 1})
	assertNear(t, "mean", got.Estimate, 2.5, tol)
	assertNear(t, "n_eff", got.EffectiveN, 3, tol)
	assertInterval(t, "ci", got.CI, Interval{Lo: -2.110364, Hi: 7.110364}, 1e-5)
	// Equal weights give the unweighted t interval.
	xs := []float64{3, 4, 5, 5}
	_, ci, _ := MeanCI95(xs)
	eq := WeightedMean([]float64{1, 1, 1, 1}, xs)
	assertInterval(t, "equal weights", eq.CI, ci, 1e-9)
}

func TestRakeMatchesTheClosedFormOfATwoByTwoTable(t *testing.T) {
	// Counts a1b1 = 2, a1b2 = 1, a2b2 = 1, a2b1 = 1 (n = 5); margins a:
	// ½, ½ and b: ½, ½. Raking converges to w = r_a · c_b; by symmetry
	// r = c, and with r2 = k·r1 the margins give
	//   a1: r1²(2 + k) = 2.5     a2: r1²(k + k²) = 2.5  ⇒ k² = 2, k = √2
	//   r1² = 2.5 / (2 + √2) = 2.5 − 1.25√2 = 0.732233
	// so w(a1b1) = 0.732233, w(a1b2) = w(a2b1) = √2 · 0.732233 = 1.035534,
	// w(a2b2) = 2 · 0.732233 = 1.464466.
	levels := [][]int{{0, 0}, {0, 0}, {0, 1}, {1, 0}, {1, 1}}
	w, _, ok := Rake(levels, [][]float64{{0.5, 0.5}, {0.5, 0.5}}, 100, 1e-10)
	if !ok {
		t.Fatal("did not converge")
	}
	r := 2.5 - 1.25*math.Sqrt2
	want := []float64{r, r, math.Sqrt2 * r, math.Sqrt2 * r, 2 * r}
	for i := range w {
		assertNear(t, "w", w[i], want[i], 1e-8)
	}
	// Σw² = 2·0.536165 + 2·1.072330 + 2.144661 = 5.361652;
	// deff = 5 · 5.361652 / 25 = 1.072330, n_eff = 25 / 5.361652 = 4.662742.
	deff, nEff := Kish(w)
	assertNear(t, "deff", deff, 1.0723305, 1e-6)
	assertNear(t, "n_eff", nEff, 4.6627417, 1e-6)
}
