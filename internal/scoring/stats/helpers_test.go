package stats

import (
	"math"
	"testing"
)

// tol is the tolerance for numbers worked by hand to 7+ significant digits.
const tol = 1e-6

func assertNear(t *testing.T, what string, got, want, tolerance float64) {
	t.Helper()
	if math.IsInf(want, 0) || math.IsNaN(want) {
		if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
		return
	}
	if math.IsNaN(got) || math.Abs(got-want) > tolerance {
		t.Errorf("%s = %.10g, want %.10g (±%g)", what, got, want, tolerance)
	}
}

func assertInterval(t *testing.T, what string, got, want Interval, tolerance float64) {
	t.Helper()
	assertNear(t, what+".Lo", got.Lo, want.Lo, tolerance)
	assertNear(t, what+".Hi", got.Hi, want.Hi, tolerance)
}
