package stats

import "math"

// Item flags, stable strings that the API and the organiser's screen show.
const (
	FlagTooHard           = "TOO_HARD"
	FlagTooEasy           = "TOO_EASY"
	FlagNonDiscriminating = "NON_DISCRIMINATING"
)

// Flag thresholds on facility (share correct).
const (
	TooHardBelow = 0.2  // facility < 0.2 → TOO_HARD
	TooEasyAbove = 0.95 // facility > 0.95 → TOO_EASY
)

// discriminationEpsilon absorbs float noise so that a correlation that is
// zero on paper but computes as 1e-17 is still flagged as ≤ 0.
const discriminationEpsilon = 1e-12

// ItemStats is the classical item analysis of one question.
type ItemStats struct {
	// Facility is the share of people who answered correctly (p), with its
	// Wilson 95% interval.
	Facility   float64
	FacilityCI Interval
	// Discrimination is the corrected item–total point-biserial
	// correlation: Pearson's r between the item's 0/1 score and each
	// person's number correct on the other items. "Corrected" because
	// including the item in the total correlates it with itself and
	// inflates r, most on short papers. DiscriminationOK is false, and
	// Discrimination 0, when either side has no variance (everybody got the
	// item right, or everybody had the same rest score).
	Discrimination   float64
	DiscriminationOK bool
	// Flags lists FlagTooHard, FlagTooEasy and FlagNonDiscriminating as they
	// apply, in that order; nil when none apply or the sample is too small.
	Flags []string
}

// AnalyzeItems analyses a test of k dichotomously scored items taken by n
// people; correct[person][item] reports whether that person got that item
// right. k is the length of the longest row: a shorter row's missing items
// count as not correct, as an unanswered quiz question scores nothing.
// With no people (or no items) it returns nil, 0, false.
//
// kr20 is the Kuder–Richardson 20 reliability
//
//	KR-20 = k/(k−1) · (1 − Σ p_i q_i / σ²)
//
// with p_i the facility of item i, q_i = 1 − p_i, and σ² the population
// variance (divide by n) of the people's number-correct totals, which is the
// variance that makes KR-20 equal Cronbach's α for 0/1 items. kr20OK is false
// (and kr20 0) when k < 2, n < 2 or σ² = 0; KR-20 can legitimately be
// negative, and is returned as computed.
//
// Flags are raised only when n >= minSample, because a facility from five
// people says little about the question: TOO_HARD when facility < 0.2,
// TOO_EASY when facility > 0.95, and NON_DISCRIMINATING when the
// discrimination was computed and is <= 0 (better scorers do no better on
// the item). An item whose discrimination cannot be computed is not flagged
// NON_DISCRIMINATING: either everyone answered it alike, which TOO_EASY or
// TOO_HARD already reports, or everyone scored alike on the rest of the
// paper, which says nothing against this item.
func AnalyzeItems(correct [][]bool, minSample int) (items []ItemStats, kr20 float64, kr20OK bool) {
	n := len(correct)
	k := 0
	for _, row := range correct {
		k = max(k, len(row))
	}
	if n == 0 || k == 0 {
		return nil, 0, false
	}

	totals := make([]float64, n)
	counts := make([]int, k)
	for p, row := range correct {
		for i, ok := range row {
			if ok {
				totals[p]++
				counts[i]++
			}
		}
	}

	items = make([]ItemStats, k)
	x := make([]float64, n)    // the item's 0/1 scores
	rest := make([]float64, n) // each person's total on the other items
	var sumPQ float64
	for i := range items {
		for p, row := range correct {
			x[p] = 0
			if i < len(row) && row[i] {
				x[p] = 1
			}
			rest[p] = totals[p] - x[p]
		}
		it := &items[i]
		it.Facility = float64(counts[i]) / float64(n)
		it.FacilityCI = Wilson(counts[i], n)
		it.Discrimination, it.DiscriminationOK = PearsonCorrelation(x, rest)
		if n >= minSample {
			it.Flags = itemFlags(it.Facility, it.Discrimination, it.DiscriminationOK)
		}
		sumPQ += it.Facility * (1 - it.Facility)
	}

	variance := populationVariance(totals)
	if k < 2 || n < 2 || variance == 0 {
		return items, 0, false
	}
	kf := float64(k)
	return items, kf / (kf - 1) * (1 - sumPQ/variance), true
}

// itemFlags applies the thresholds documented on AnalyzeItems.
func itemFlags(facility, discrimination float64, discriminationOK bool) []string {
	var flags []string
	if facility < TooHardBelow {
		flags = append(flags, FlagTooHard)
	}
	if facility > TooEasyAbove {
		flags = append(flags, FlagTooEasy)
	}
	if discriminationOK && discrimination <= discriminationEpsilon {
		flags = append(flags, FlagNonDiscriminating)
	}
	return flags
}

// PearsonCorrelation returns Pearson's product-moment correlation of x and
// y. ok is false (and r 0) when the lengths differ, there are fewer than 2
// pairs, or either variable has zero variance, since r is then undefined.
// r is clamped to [−1, 1] against rounding.
func PearsonCorrelation(x, y []float64) (r float64, ok bool) {
	if len(x) != len(y) || len(x) < 2 {
		return 0, false
	}
	mx, my := mean(x), mean(y)
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0, false
	}
	r = sxy / math.Sqrt(sxx*syy)
	return min(max(r, -1), 1), true
}
