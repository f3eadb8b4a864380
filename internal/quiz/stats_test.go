package quiz

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/wenming/wenming/internal/scoring/stats"
)

// attemptsOf builds n attempts over items k1, k2, k3 where row i gets the
// items for which right(i, item) is true.
func attemptsOf(n int, keys []itemKey, right func(i, item int) bool) []scoredAttempt {
	out := make([]scoredAttempt, n)
	for i := range out {
		a := scoredAttempt{Pseudonym: fmt.Sprint("p", i)}
		for j, k := range keys {
			ok := right(i, j)
			a.Items = append(a.Items, scoredItem{Key: k, Answered: true, Correct: ok})
			if ok {
				a.ScoreCenti += 1000
			}
		}
		out[i] = a
	}
	return out
}

var threeKeys = []itemKey{{"q1", 1}, {"q2", 1}, {"q3", 1}}

func TestItemsAreFlaggedOnlyFromThirtyAttempts(t *testing.T) {
	t.Parallel()
	// q1 everyone gets right (facility 1 > 0.95: too easy); q2 nobody
	// (facility 0 < 0.2: too hard); q3 is right for the people who score
	// low elsewhere… but with q1 and q2 constant everyone's rest score is
	// equal, so q3's discrimination cannot be computed and it is not
	// flagged as non-discriminating.
	right := func(i, item int) bool { return item == 0 || item == 2 && i%2 == 0 }
	for _, n := range []int{flagMinAttempts - 1, flagMinAttempts} {
		r := analyze(attemptsOf(n, threeKeys, right), nil, 30, 0)
		var flags [][]string
		for _, it := range r.Items {
			flags = append(flags, it.Flags)
		}
		want := [][]string{{stats.FlagTooEasy}, {stats.FlagTooHard}, nil}
		if n < flagMinAttempts {
			want = [][]string{nil, nil, nil}
		}
		for i := range want {
			if !slices.Equal(flags[i], want[i]) {
				t.Errorf("%d attempts: item %d flags %v, want %v", n, i, flags[i], want[i])
			}
		}
	}
}

func TestNonDiscriminatingItemIsFlagged(t *testing.T) {
	t.Parallel()
	// 40 attempts; q1 and q2 go together (right for i < 20), q3 is right
	// exactly for the others: better scorers do worse on q3, r < 0.
	right := func(i, item int) bool {
		if item == 2 {
			return i >= 20
		}
		return i < 20
	}
	r := analyze(attemptsOf(40, threeKeys, right), nil, 30, 0)
	if !slices.Equal(r.Items[2].Flags, []string{stats.FlagNonDiscriminating}) || r.Items[2].Discrimination != -1 {
		t.Errorf("q3 = %+v, want r = −1 and NON_DISCRIMINATING", r.Items[2].ItemStats)
	}
}

func TestRandomPapersGetItemStatisticsButNoKR20(t *testing.T) {
	t.Parallel()
	// Two attempts saw q1+q2, two saw q1+q3.
	//   a  q1 q2 q3   a's rest for q1
	//   0  1  1  –    1
	//   1  0  0  –    0
	//   2  1  –  0    0
	//   3  1  –  1    1
	// q1: x 1 0 1 1, rest 1 0 0 1 → mean x .75, rest .5; dx .25 −.75 .25 .25,
	// dy .5 −.5 −.5 .5: Sxy = .125 + .375 − .125 + .125 = .5; Sxx = .75;
	// Syy = 1 → r = .5/√.75 = 0.577350269.
	mk := func(items ...scoredItem) scoredAttempt {
		a := scoredAttempt{Pseudonym: fmt.Sprint(len(items), items[0].Correct)}
		for _, it := range items {
			if it.Correct {
				a.ScoreCenti += 1000
			}
		}
		a.Items = items
		return a
	}
	it := func(k itemKey, ok bool) scoredItem { return scoredItem{Key: k, Answered: true, Correct: ok} }
	q1, q2, q3 := threeKeys[0], threeKeys[1], threeKeys[2]
	attempts := []scoredAttempt{
		mk(it(q1, true), it(q2, true)), mk(it(q1, false), it(q2, false)),
		mk(it(q1, true), it(q3, false)), mk(it(q1, true), it(q3, true)),
	}
	r := analyze(attempts, nil, 20, 0)
	if r.KR20OK {
		t.Error("KR-20 given for papers with different questions")
	}
	if r.Items[0].Shown != 4 || r.Items[1].Shown != 2 || r.Items[2].Shown != 2 {
		t.Errorf("shown = %d %d %d", r.Items[0].Shown, r.Items[1].Shown, r.Items[2].Shown)
	}
	if got := r.Items[0].Discrimination; math.Abs(got-0.5/math.Sqrt(0.75)) > 1e-9 || r.Items[0].Facility != 0.75 {
		t.Errorf("q1 = %+v", r.Items[0].ItemStats)
	}
	// Histogram default: tenths of the maximum 20 → bins of 2; scores
	// 20, 0, 10, 20 fall in bins 0 (0), 5 (10) and 9 (20, 20).
	if len(r.Histogram) != 10 || r.Histogram[0].Count != 1 || r.Histogram[5].Count != 1 || r.Histogram[9].Count != 2 {
		t.Errorf("histogram = %+v", r.Histogram)
	}
}

func TestNoAttemptsGiveEmptyStatistics(t *testing.T) {
	t.Parallel()
	r := analyze(nil, nil, 30, 0)
	if r.Attempts != 0 || len(r.Items) != 0 || r.KR20OK || r.Summary.Mean != 0 {
		t.Errorf("empty report = %+v", r)
	}
}
