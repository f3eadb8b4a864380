package stats

import (
	"errors"
	"math"
	"testing"
)

// {70, 80, 96}: n = 3, Σx = 246, Σx² = 4900 + 6400 + 9216 = 20516.
// mean = 82, Σx² − (Σx)²/n = 20516 − 60516/3 = 20516 − 20172 = 344,
// s² = 344/2 = 172, s = 13.1148770486, se = √(172/3) = 7.5718777944,
// t_{0.975,2} = 4.3026527297, half = 32.5791606614
// → [49.4208393386, 114.5791606614].
func TestMomentsMatchHandComputation(t *testing.T) {
	t.Parallel()
	m := MomentsOf(70, 80, 96)
	if m.N != 3 || m.Sum != 246 || m.SumSq != 20516 {
		t.Fatalf("moments = %+v, want {3 246 20516}", m)
	}
	assertNear(t, "variance", m.Variance(), 172, tol)
	assertNear(t, "std dev", m.StdDev(), 13.1148770486, tol)
	mean, ci, n := MeanCI95Moments(m)
	if n != 3 {
		t.Errorf("n = %d, want 3", n)
	}
	assertNear(t, "mean", mean, 82, tol)
	assertInterval(t, "ci", ci, Interval{49.4208393386, 114.5791606614}, tol)

	// Adding a value and removing it again gives the same figures, and
	// removing every value leaves exactly nothing.
	m.Add(50)
	m.Remove(50)
	assertNear(t, "variance after add and remove", m.Variance(), 172, tol)
	for _, x := range []float64{96, 80, 70} {
		m.Remove(x)
	}
	if m != (Moments{}) {
		t.Errorf("after removing every value: %+v, want zero", m)
	}
}

func TestMomentsAgreeWithValueStatistics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		xs   []float64
	}{
		{name: "empty", xs: nil},
		{name: "one value", xs: []float64{80}},
		{name: "equal whole numbers have no spread", xs: []float64{90, 90, 90}},
		{name: "two values", xs: []float64{2, 4}},
		{name: "site scores", xs: []float64{71.81818181818181, 86.66666666666667, 32.72727272727273, 55.5, 100, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			wantMean, wantCI, wantN := MeanCI95(tc.xs)
			mean, ci, n := MeanCI95Moments(MomentsOf(tc.xs...))
			if n != wantN {
				t.Errorf("n = %d, want %d", n, wantN)
			}
			assertNear(t, "mean", mean, wantMean, tol)
			assertInterval(t, "ci", ci, wantCI, tol)
			assertNear(t, "std dev", MomentsOf(tc.xs...).StdDev(), Summarize(tc.xs).StdDev, tol)
		})
	}
}

// The examples of TestWelchTTest and TestWelchTTestFractionalDF, from
// moments: A = {1,2,3} is n 3, Σ 6, Σ² 14 (s² = (14 − 12)/2 = 1); B =
// {2,4,6,8} is n 4, Σ 20, Σ² 120 (s² = (120 − 100)/3 = 20/3); T = 3/√2,
// DF = 216/53. {5,5,5} is n 3, Σ 15, Σ² 75: 75 − 225/3 = 0 exactly.
func TestWelchTTestMoments(t *testing.T) {
	t.Parallel()
	got, err := WelchTTestMoments(Moments{3, 6, 14}, Moments{4, 20, 120}, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	assertNear(t, "Diff", got.Diff, 3, tol)
	assertNear(t, "T", got.T, 2.1213203436, tol)
	assertNear(t, "DF", got.DF, 4.0754716981, tol)
	want, _ := WelchTTest([]float64{1, 2, 3}, []float64{2, 4, 6, 8}, 0.05)
	assertNear(t, "P", got.P, want.P, tol)

	got, err = WelchTTestMoments(MomentsOf(5, 5, 5), MomentsOf(1, 3), 0.05)
	if err != nil {
		t.Fatal(err)
	}
	assertNear(t, "T", got.T, -3, tol)
	assertNear(t, "DF", got.DF, 1, tol)
	assertNear(t, "P", got.P, 0.2048327647, tol)

	if _, err := WelchTTestMoments(MomentsOf(1, 2), MomentsOf(3), 0.05); !errors.Is(err, ErrTooFewValues) {
		t.Errorf("one value in B: err = %v, want ErrTooFewValues", err)
	}
}

// Equal scores that are not whole numbers (a site at 5 of 6 points is
// 83.333…) have no spread; the moments must not invent one from rounding.
func TestMomentsOfEqualValuesHaveNoSpread(t *testing.T) {
	t.Parallel()
	x := 500.0 / 6
	var m Moments
	for range 1000 {
		m.Add(x)
	}
	m.Add(17.3)
	m.Remove(17.3)
	if v := m.Variance(); v != 0 {
		t.Errorf("variance of 1000 × %v = %v, want 0", x, v)
	}
	if _, ci, _ := MeanCI95Moments(m); ci.Lo != ci.Hi {
		t.Errorf("interval %v, want a point", ci)
	}
	// A real spread far smaller than the values survives: 100 and 100.001
	// have variance 5e-7 × (1000/999).
	var s Moments
	for i := range 1000 {
		s.Add(100 + 0.001*float64(i%2))
	}
	if v, want := s.Variance(), 0.25e-6*1000/999; math.Abs(v-want) > 1e-9 {
		t.Errorf("variance = %v, want %v", v, want)
	}
}
