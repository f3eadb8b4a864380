package scoring

import (
	"errors"
	"math"
	"strings"
	"testing"
)

var grades = []Level{{"好", 1}, {"较好", 0.8}, {"一般", 0.5}, {"差", 0}}

func TestItemValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		item  Item
		field string // "" means valid
	}{
		{"binary", Item{ID: "b", MaxPoints: 5, Method: Binary}, ""},
		{"graded", Item{ID: "g", MaxPoints: 10, Method: Graded, Levels: grades}, ""},
		{"graded without a full level", Item{MaxPoints: 10, Method: Graded, Levels: []Level{{"较好", 0.8}, {"差", 0}}}, ""},
		{"rate without minimum", Item{MaxPoints: 10, Method: Rate}, ""},
		{"rate with minimum", Item{MaxPoints: 10, Method: Rate, MinObserved: 30}, ""},
		{"deduction", Item{MaxPoints: 10, Method: Deduction, PointsPerViolation: 0.5}, ""},
		{"binary ignores other fields", Item{MaxPoints: 5, Method: Binary, MinObserved: -1}, ""},

		{"zero max", Item{MaxPoints: 0, Method: Binary}, "max_points"},
		{"negative max", Item{MaxPoints: -5, Method: Binary}, "max_points"},
		{"NaN max", Item{MaxPoints: math.NaN(), Method: Binary}, "max_points"},
		{"unspecified method", Item{MaxPoints: 5}, "method"},
		{"unknown method", Item{MaxPoints: 5, Method: 42}, "method"},
		{"graded one level", Item{MaxPoints: 5, Method: Graded, Levels: []Level{{"好", 1}}}, "levels"},
		{"graded empty name", Item{MaxPoints: 5, Method: Graded, Levels: []Level{{"好", 1}, {" ", 0}}}, "levels[1].name"},
		{"graded duplicate name", Item{MaxPoints: 5, Method: Graded, Levels: []Level{{"好", 1}, {"差", 0}, {"好", 0.5}}}, "levels[2].name"},
		{"graded fraction above 1", Item{MaxPoints: 5, Method: Graded, Levels: []Level{{"好", 1.2}, {"差", 0}}}, "levels[0].fraction"},
		{"graded negative fraction", Item{MaxPoints: 5, Method: Graded, Levels: []Level{{"好", 1}, {"差", -0.1}}}, "levels[1].fraction"},
		{"graded NaN fraction", Item{MaxPoints: 5, Method: Graded, Levels: []Level{{"好", math.NaN()}, {"差", 0}}}, "levels[0].fraction"},
		{"rate negative minimum", Item{MaxPoints: 5, Method: Rate, MinObserved: -1}, "min_observed"},
		{"deduction zero per violation", Item{MaxPoints: 5, Method: Deduction}, "points_per_violation"},
		{"deduction negative per violation", Item{MaxPoints: 5, Method: Deduction, PointsPerViolation: -1}, "points_per_violation"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.item.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ie *ItemError
			if !errors.As(err, &ie) {
				t.Fatalf("Validate() = %v, want *ItemError", err)
			}
			if ie.Field != tc.field || ie.ItemID != tc.item.ID {
				t.Errorf("Validate() error item %q field %q, want item %q field %q (%v)", ie.ItemID, ie.Field, tc.item.ID, tc.field, err)
			}
		})
	}
}

func TestItemScore(t *testing.T) {
	t.Parallel()
	binary := Item{ID: "b", MaxPoints: 5, Method: Binary}
	graded := Item{ID: "g", MaxPoints: 10, Method: Graded, Levels: grades}
	rate := Item{ID: "r", MaxPoints: 20, Method: Rate, MinObserved: 10}
	rateAny := Item{ID: "r0", MaxPoints: 20, Method: Rate}
	deduction := Item{ID: "d", MaxPoints: 10, Method: Deduction, PointsPerViolation: 2}
	tests := []struct {
		name       string
		item       Item
		obs        Observation
		points     float64 // worked by hand in the comment on each row
		applicable bool
	}{
		{"binary met", binary, Observation{Met: true}, 5, true},                                                 // max → 5
		{"binary not met", binary, Observation{}, 0, true},                                                      // 0
		{"graded full level", graded, Observation{Level: "好"}, 10, true},                                        // 10 × 1 = 10
		{"graded partial level", graded, Observation{Level: "较好"}, 8, true},                                     // 10 × 0.8 = 8
		{"graded half level", graded, Observation{Level: "一般"}, 5, true},                                        // 10 × 0.5 = 5
		{"graded zero level", graded, Observation{Level: "差"}, 0, true},                                         // 10 × 0 = 0
		{"rate", rate, Observation{Compliant: 47, Observed: 50}, 18.8, true},                                    // 20 × 47/50 = 18.8
		{"rate all compliant", rate, Observation{Compliant: 12, Observed: 12}, 20, true},                        // 20 × 12/12 = 20
		{"rate none compliant", rate, Observation{Observed: 10}, 0, true},                                       // 20 × 0/10 = 0, at the minimum
		{"rate without minimum", rateAny, Observation{Compliant: 1, Observed: 3}, 20.0 / 3, true},               // 20 × 1/3 = 6.666…, not rounded
		{"deduction none", deduction, Observation{}, 10, true},                                                  // 10 − 0×2 = 10
		{"deduction some", deduction, Observation{Violations: 3}, 4, true},                                      // 10 − 3×2 = 4
		{"deduction exactly to zero", deduction, Observation{Violations: 5}, 0, true},                           // 10 − 5×2 = 0
		{"deduction floored", deduction, Observation{Violations: 7}, 0, true},                                   // 10 − 7×2 = −4 → 0
		{"not applicable", rate, Observation{NotApplicable: true, NAReason: "路口无信号灯", Compliant: 99}, 0, false}, // leaves the index; other fields ignored
		{"not applicable binary", binary, Observation{NotApplicable: true, NAReason: "无窗口", Met: true}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			points, applicable, err := tc.item.Score(tc.obs)
			if err != nil {
				t.Fatalf("Score: unexpected error %v", err)
			}
			if math.Abs(points-tc.points) > 1e-9 || applicable != tc.applicable {
				t.Errorf("Score(%+v) = (%v, %v), want (%v, %v)", tc.obs, points, applicable, tc.points, tc.applicable)
			}
		})
	}
}

func TestItemScoreRejectsBadObservations(t *testing.T) {
	t.Parallel()
	graded := Item{ID: "g", MaxPoints: 10, Method: Graded, Levels: grades}
	rate := Item{ID: "r", MaxPoints: 20, Method: Rate, MinObserved: 30}
	rateAny := Item{ID: "r0", MaxPoints: 20, Method: Rate}
	deduction := Item{ID: "d", MaxPoints: 10, Method: Deduction, PointsPerViolation: 2}
	tests := []struct {
		name    string
		item    Item
		obs     Observation
		field   string
		mention string // the message must contain this
	}{
		{"NA without reason", graded, Observation{NotApplicable: true}, "na_reason", "reason"},
		{"NA with blank reason", rate, Observation{NotApplicable: true, NAReason: "  "}, "na_reason", "reason"},
		{"graded unknown level", graded, Observation{Level: "优秀"}, "level", `"优秀"`},
		{"graded no level", graded, Observation{}, "level", `"较好"`},
		{"rate negative compliant", rate, Observation{Compliant: -1, Observed: 40}, "compliant", "-1"},
		{"rate negative observed", rate, Observation{Compliant: 0, Observed: -2}, "observed", "-2"},
		{"rate compliant above observed", rate, Observation{Compliant: 41, Observed: 40}, "compliant", "41"},
		{"rate below minimum", rate, Observation{Compliant: 20, Observed: 29}, "observed", "minimum of 30"},
		{"rate nothing observed", rateAny, Observation{}, "observed", "not applicable"},
		{"deduction negative violations", deduction, Observation{Violations: -1}, "violations", "-1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			points, applicable, err := tc.item.Score(tc.obs)
			var oe *ObservationError
			if !errors.As(err, &oe) {
				t.Fatalf("Score(%+v) = (%v, %v, %v), want *ObservationError", tc.obs, points, applicable, err)
			}
			if oe.ItemID != tc.item.ID || oe.Field != tc.field {
				t.Errorf("error names item %q field %q, want item %q field %q", oe.ItemID, oe.Field, tc.item.ID, tc.field)
			}
			if !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("error %q does not mention %q", err, tc.mention)
			}
			if points != 0 || applicable {
				t.Errorf("on error got (%v, %v), want (0, false)", points, applicable)
			}
		})
	}
}

func TestItemScoreRejectsInvalidItem(t *testing.T) {
	t.Parallel()
	it := Item{ID: "d", MaxPoints: 10, Method: Deduction} // no points per violation
	_, _, err := it.Score(Observation{Violations: 1})
	var ie *ItemError
	if !errors.As(err, &ie) || ie.Field != "points_per_violation" {
		t.Fatalf("Score on invalid item = %v, want *ItemError on points_per_violation", err)
	}
}
