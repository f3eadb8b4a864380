package stats

import (
	"slices"
	"testing"
)

type wantItem struct {
	facility float64
	disc     float64
	discOK   bool
	flags    []string
}

func TestAnalyzeItems(t *testing.T) {
	t.Parallel()
	const (
		T = true
		F = false
	)
	tests := []struct {
		name      string
		correct   [][]bool
		minSample int
		items     []wantItem
		kr20      float64
		kr20OK    bool
	}{
		{
			// A Guttman staircase, 4 people × 3 items:
			//   person  i1 i2 i3  total
			//   P1       1  1  1    3
			//   P2       1  1  0    2
			//   P3       1  0  0    1
			//   P4       0  0  0    0
			// p = 3/4, 2/4, 1/4; q = 1/4, 2/4, 3/4;
			// p·q = 3/16, 4/16, 3/16, Σpq = 10/16 = 0.625.
			// Totals 3 2 1 0: mean 1.5, squared deviations 2.25 0.25 0.25
			// 2.25, σ² = 5/4 = 1.25 (population, ÷4).
			// KR-20 = 3/2 · (1 − 0.625/1.25) = 1.5 · 0.5 = 0.75.
			//
			// Discrimination, item vs rest score (total − item):
			// i1: x = 1 1 1 0 (mean .75), rest = 2 1 0 0 (mean .75).
			//   dx = .25 .25 .25 −.75, dy = 1.25 .25 −.75 −.75
			//   Sxy = .3125 + .0625 − .1875 + .5625 = .75
			//   Sxx = 3·.0625 + .5625 = .75, Syy = 1.5625+.0625+.5625+.5625 = 2.75
			//   r = .75/√(.75·2.75) = √(3/11) = 0.5222329679.
			// i2: x = 1 1 0 0 (mean .5), rest = 2 1 1 0 (mean 1).
			//   dx = .5 .5 −.5 −.5, dy = 1 0 0 −1; Sxy = 1, Sxx = 1, Syy = 2
			//   r = 1/√2 = 0.7071067812.
			// i3: x = 1 0 0 0 (mean .25), rest = 2 2 1 0 (mean 1.25).
			//   dx = .75 −.25 −.25 −.25, dy = .75 .75 −.25 −1.25
			//   Sxy = .5625 − .1875 + .0625 + .3125 = .75, Sxx = .75,
			//   Syy = .5625+.5625+.0625+1.5625 = 2.75 → r = √(3/11).
			// Facilities .75 .5 .25 are inside [0.2, 0.95] and every r > 0,
			// so no flags even though n = minSample.
			name: "staircase 4x3",
			correct: [][]bool{
				{T, T, T},
				{T, T, F},
				{T, F, F},
				{F, F, F},
			},
			minSample: 4,
			items: []wantItem{
				{facility: 0.75, disc: 0.5222329679, discOK: true},
				{facility: 0.5, disc: 0.7071067812, discOK: true},
				{facility: 0.25, disc: 0.5222329679, discOK: true},
			},
			kr20: 0.75, kr20OK: true,
		},
		{
			// 4 people × 4 items:
			//   person  A B C D  total
			//   P1      1 0 1 0    2
			//   P2      1 0 1 0    2
			//   P3      1 0 0 1    2
			//   P4      1 0 0 1    2
			// A: p = 1 > 0.95 → TOO_EASY; x constant → discrimination n/a.
			// B: p = 0 < 0.2 → TOO_HARD; x constant → n/a.
			// C: x = 1 1 0 0, rest = A+B+D = 1 1 2 2 → perfectly opposite,
			//    r = −1 → NON_DISCRIMINATING.
			// D: x = 0 0 1 1, rest = A+B+C = 2 2 1 1 → r = −1 likewise.
			// Totals all 2 → σ² = 0 → KR-20 undefined.
			name: "flags at minSample",
			correct: [][]bool{
				{T, F, T, F},
				{T, F, T, F},
				{T, F, F, T},
				{T, F, F, T},
			},
			minSample: 4,
			items: []wantItem{
				{facility: 1, flags: []string{FlagTooEasy}},
				{facility: 0, flags: []string{FlagTooHard}},
				{facility: 0.5, disc: -1, discOK: true, flags: []string{FlagNonDiscriminating}},
				{facility: 0.5, disc: -1, discOK: true, flags: []string{FlagNonDiscriminating}},
			},
			kr20OK: false,
		},
		{
			// Same matrix, n = 4 < minSample = 5: numbers, but no flags.
			name: "no flags below minSample",
			correct: [][]bool{
				{T, F, T, F},
				{T, F, T, F},
				{T, F, F, T},
				{T, F, F, T},
			},
			minSample: 5,
			items: []wantItem{
				{facility: 1},
				{facility: 0},
				{facility: 0.5, disc: -1, discOK: true},
				{facility: 0.5, disc: -1, discOK: true},
			},
			kr20OK: false,
		},
		{
			// 3 people × 2 items:  P1 1 0 (1), P2 0 1 (1), P3 1 1 (2).
			// p = 2/3, 2/3; pq = 2/9 each, Σpq = 4/9.
			// Totals 1 1 2: mean 4/3, squared deviations 1/9 1/9 4/9,
			// σ² = (6/9)/3 = 2/9.
			// KR-20 = 2/1 · (1 − (4/9)/(2/9)) = 2 · (1 − 2) = −2: negative,
			// and returned as computed.
			// Item 1: x = 1 0 1, rest = item 2 = 0 1 1; both means 2/3;
			//   dx = 1/3 −2/3 1/3, dy = −2/3 1/3 1/3;
			//   Sxy = −2/9 − 2/9 + 1/9 = −1/3, Sxx = Syy = 6/9 = 2/3,
			//   r = (−1/3)/(2/3) = −0.5. Item 2 is symmetric.
			name: "negative KR-20 and negative discrimination",
			correct: [][]bool{
				{T, F},
				{F, T},
				{T, T},
			},
			minSample: 3,
			items: []wantItem{
				{facility: 2.0 / 3, disc: -0.5, discOK: true, flags: []string{FlagNonDiscriminating}},
				{facility: 2.0 / 3, disc: -0.5, discOK: true, flags: []string{FlagNonDiscriminating}},
			},
			kr20: -2, kr20OK: true,
		},
		{
			// Rows of different length: P2's missing item 2 counts as wrong.
			// Matrix is then P1 1 1 (2), P2 1 0 (1), P3 0 0 (0).
			// p = 2/3, 1/3; Σpq = 2/9 + 2/9 = 4/9.
			// Totals 2 1 0: mean 1, σ² = (1+0+1)/3 = 2/3.
			// KR-20 = 2 · (1 − (4/9)/(2/3)) = 2 · (1 − 2/3) = 2/3.
			// Item 1: x = 1 1 0, rest = 1 0 0; means 2/3, 1/3;
			//   dx = 1/3 1/3 −2/3, dy = 2/3 −1/3 −1/3;
			//   Sxy = 2/9 − 1/9 + 2/9 = 1/3, Sxx = Syy = 2/3 → r = 0.5.
			// Item 2: x = 1 0 0, rest = 1 1 0 → the same pair swapped, r = 0.5.
			name: "short rows count missing items as wrong",
			correct: [][]bool{
				{T, T},
				{T},
				{F, F},
			},
			minSample: 100,
			items: []wantItem{
				{facility: 2.0 / 3, disc: 0.5, discOK: true},
				{facility: 1.0 / 3, disc: 0.5, discOK: true},
			},
			kr20: 2.0 / 3, kr20OK: true,
		},
		{
			// One person: facility is 0 or 1, no variance anywhere.
			name:      "single person",
			correct:   [][]bool{{T, F}},
			minSample: 1,
			items: []wantItem{
				{facility: 1, flags: []string{FlagTooEasy}},
				{facility: 0, flags: []string{FlagTooHard}},
			},
			kr20OK: false,
		},
		{
			// One item: KR-20 needs k ≥ 2; the rest score is 0 for all, so
			// discrimination is undefined as well.
			name:      "single item",
			correct:   [][]bool{{T}, {F}, {T}},
			minSample: 10,
			items:     []wantItem{{facility: 2.0 / 3}},
			kr20OK:    false,
		},
		{name: "no people", correct: nil, minSample: 1, items: nil, kr20OK: false},
		{name: "people with no items", correct: [][]bool{{}, {}}, minSample: 1, items: nil, kr20OK: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			items, kr20, ok := AnalyzeItems(tc.correct, tc.minSample)
			if ok != tc.kr20OK {
				t.Errorf("kr20OK = %v, want %v", ok, tc.kr20OK)
			}
			assertNear(t, "kr20", kr20, tc.kr20, tol)
			if len(items) != len(tc.items) {
				t.Fatalf("got %d items, want %d", len(items), len(tc.items))
			}
			n := len(tc.correct)
			for i, w := range tc.items {
				got := items[i]
				assertNear(t, "Facility", got.Facility, w.facility, tol)
				// Wilson itself is checked by hand in TestWilson; here the
				// interval must be Wilson's for this item's count.
				correctCount := int(w.facility*float64(n) + 0.5)
				assertInterval(t, "FacilityCI", got.FacilityCI, Wilson(correctCount, n), 0)
				assertNear(t, "Discrimination", got.Discrimination, w.disc, tol)
				if got.DiscriminationOK != w.discOK {
					t.Errorf("item %d DiscriminationOK = %v, want %v", i, got.DiscriminationOK, w.discOK)
				}
				if !slices.Equal(got.Flags, w.flags) {
					t.Errorf("item %d Flags = %q, want %q", i, got.Flags, w.flags)
				}
			}
		})
	}
}

func TestItemFlagThresholds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		facility float64
		disc     float64
		discOK   bool
		want     []string
	}{
		{name: "facility exactly 0.2 is not too hard", facility: 0.2, disc: 0.3, discOK: true},
		{name: "facility just under 0.2 is too hard", facility: 0.19, disc: 0.3, discOK: true, want: []string{FlagTooHard}},
		{name: "facility exactly 0.95 is not too easy", facility: 0.95, disc: 0.3, discOK: true},
		{name: "facility just over 0.95 is too easy", facility: 0.96, disc: 0.3, discOK: true, want: []string{FlagTooEasy}},
		{name: "zero discrimination is flagged", facility: 0.5, disc: 0, discOK: true, want: []string{FlagNonDiscriminating}},
		{name: "rounding noise above zero counts as zero", facility: 0.5, disc: 1e-17, discOK: true, want: []string{FlagNonDiscriminating}},
		{name: "small positive discrimination is not flagged", facility: 0.5, disc: 0.01, discOK: true},
		{name: "uncomputable discrimination is not flagged", facility: 0.5, disc: 0, discOK: false},
		{name: "flags combine in order", facility: 0.1, disc: -0.2, discOK: true, want: []string{FlagTooHard, FlagNonDiscriminating}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := itemFlags(tc.facility, tc.disc, tc.discOK); !slices.Equal(got, tc.want) {
				t.Errorf("itemFlags = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPearsonCorrelation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		x, y   []float64
		want   float64
		wantOK bool
	}{
		{name: "perfect positive", x: []float64{1, 2, 3}, y: []float64{2, 4, 6}, want: 1, wantOK: true},
		{name: "perfect negative", x: []float64{1, 2, 3}, y: []float64{3, 2, 1}, want: -1, wantOK: true},
		{
			// means 2.5, 2.5; dx = −1.5 −.5 .5 1.5, dy = −1.5 .5 −.5 1.5
			// Sxy = 2.25 − .25 − .25 + 2.25 = 4, Sxx = Syy = 5 → r = 0.8.
			name: "partial", x: []float64{1, 2, 3, 4}, y: []float64{1, 3, 2, 4}, want: 0.8, wantOK: true,
		},
		{
			// means 2, 1; dx = −1 0 1, dy = 1 −2 1; Sxy = −1 + 0 + 1 = 0.
			name: "uncorrelated", x: []float64{1, 2, 3}, y: []float64{2, -1, 2}, want: 0, wantOK: true,
		},
		{name: "x constant", x: []float64{1, 1, 1}, y: []float64{1, 2, 3}},
		{name: "y constant", x: []float64{1, 2, 3}, y: []float64{5, 5, 5}},
		{name: "one pair", x: []float64{1}, y: []float64{2}},
		{name: "empty", x: nil, y: nil},
		{name: "length mismatch", x: []float64{1, 2, 3}, y: []float64{1, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, ok := PearsonCorrelation(tc.x, tc.y)
			if ok != tc.wantOK {
				t.Errorf("ok = %v, want %v", ok, tc.wantOK)
			}
			assertNear(t, "r", r, tc.want, tol)
		})
	}
}
