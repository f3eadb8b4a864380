package scoring

import (
	"math"
	"testing"
)

func TestScoreAnswer(t *testing.T) {
	t.Parallel()
	abc := []string{"A", "B", "C"}
	tests := []struct {
		name    string
		qt      QuestionType
		policy  MultiPolicy
		correct []string
		chosen  []string
		points  float64
		earned  float64 // worked by hand in the comment on each row
		full    bool
	}{
		// Single choice, correct A, 10 points.
		{"single right earns all", SingleChoice, 0, []string{"A"}, []string{"A"}, 10, 10, true},            // {A} = {A} → 10
		{"single wrong earns 0", SingleChoice, 0, []string{"A"}, []string{"B"}, 10, 0, false},              // B ≠ A → 0
		{"single empty earns 0", SingleChoice, 0, []string{"A"}, nil, 10, 0, false},                        // no answer → 0
		{"single two keys earns 0", SingleChoice, 0, []string{"A"}, []string{"A", "B"}, 10, 0, false},      // superset: more than one chosen → 0
		{"single duplicate counts once", SingleChoice, 0, []string{"A"}, []string{"A", "A"}, 10, 10, true}, // {A,A} = {A} → 10
		{"single ignores policy", SingleChoice, Partial, []string{"A"}, []string{"A", "B"}, 10, 0, false},  // no partial credit outside multiple choice → 0
		{"single duplicate correct key", SingleChoice, 0, []string{"A", "A"}, []string{"A"}, 4, 4, true},   // correct {A,A} = {A} → 4
		{"single zero points", SingleChoice, 0, []string{"A"}, []string{"A"}, 0, 0, true},                  // right but worth 0 → 0, still correct

		// True/false, correct "T", 5 points.
		{"tf right earns all", TrueFalse, 0, []string{"T"}, []string{"T"}, 5, 5, true},            // {T} = {T} → 5
		{"tf wrong earns 0", TrueFalse, 0, []string{"T"}, []string{"F"}, 5, 0, false},             // F ≠ T → 0
		{"tf empty earns 0", TrueFalse, 0, []string{"T"}, []string{}, 5, 0, false},                // no answer → 0
		{"tf both earns 0", TrueFalse, 0, []string{"T"}, []string{"T", "F"}, 5, 0, false},         // both chosen → 0
		{"tf duplicate counts once", TrueFalse, 0, []string{"T"}, []string{"T", "T"}, 5, 5, true}, // {T} → 5
		{"tf ignores policy", TrueFalse, AllOrNothing, []string{"F"}, []string{"F"}, 5, 5, true},  // {F} = {F} → 5

		// Multiple choice, ALL_OR_NOTHING, correct {A,B,C}, 10 points.
		{"aon right in any order", MultipleChoice, AllOrNothing, abc, []string{"C", "A", "B"}, 10, 10, true},         // {A,B,C} = {A,B,C} → 10
		{"aon subset earns 0", MultipleChoice, AllOrNothing, abc, []string{"A", "B"}, 10, 0, false},                  // missing C → 0
		{"aon superset earns 0", MultipleChoice, AllOrNothing, abc, []string{"A", "B", "C", "D"}, 10, 0, false},      // extra D → 0
		{"aon one wrong among right", MultipleChoice, AllOrNothing, abc, []string{"A", "B", "D"}, 10, 0, false},      // D wrong → 0
		{"aon wrong earns 0", MultipleChoice, AllOrNothing, abc, []string{"D"}, 10, 0, false},                        // only D → 0
		{"aon empty earns 0", MultipleChoice, AllOrNothing, abc, nil, 10, 0, false},                                  // no answer → 0
		{"aon duplicates count once", MultipleChoice, AllOrNothing, abc, []string{"A", "B", "C", "A"}, 10, 10, true}, // {A,B,C,A} = {A,B,C} → 10
		{"aon single correct option", MultipleChoice, AllOrNothing, []string{"B"}, []string{"B"}, 3, 3, true},        // {B} = {B} → 3

		// Multiple choice, PARTIAL, correct {A,B,C}, 10 points unless noted.
		{"partial right earns all", MultipleChoice, Partial, abc, []string{"B", "C", "A"}, 10, 10, true},                    // 3 of 3 → 10
		{"partial one of three rounds", MultipleChoice, Partial, abc, []string{"A"}, 10, 3.33, false},                       // 10×1/3 = 3.333… → 3.33
		{"partial two of three rounds up", MultipleChoice, Partial, abc, []string{"A", "B"}, 10, 6.67, false},               // 10×2/3 = 6.666… → 6.67
		{"partial superset earns 0", MultipleChoice, Partial, abc, []string{"A", "B", "C", "D"}, 10, 0, false},              // D wrong → 0
		{"partial one wrong among right", MultipleChoice, Partial, abc, []string{"A", "B", "D"}, 10, 0, false},              // D wrong → 0 despite A, B
		{"partial wrong earns 0", MultipleChoice, Partial, abc, []string{"D"}, 10, 0, false},                                // only D → 0
		{"partial empty earns 0", MultipleChoice, Partial, abc, nil, 10, 0, false},                                          // 0 of 3 → 0
		{"partial duplicates count once", MultipleChoice, Partial, abc, []string{"A", "A"}, 10, 3.33, false},                // {A} → 1 of 3 → 3.33, not 6.67
		{"partial full with duplicates", MultipleChoice, Partial, abc, []string{"A", "B", "C", "C"}, 10, 10, true},          // {A,B,C} → 10
		{"partial half is exact", MultipleChoice, Partial, []string{"A", "B", "C", "D"}, []string{"A", "D"}, 5, 2.5, false}, // 5×2/4 = 2.5
		{"partial one third of one point", MultipleChoice, Partial, abc, []string{"C"}, 1, 0.33, false},                     // 1×1/3 = 0.333… → 0.33
		{"partial two thirds of two points", MultipleChoice, Partial, abc, []string{"A", "C"}, 2, 1.33, false},              // 2×2/3 = 1.333… → 1.33
		{"partial half cent rounds away from zero", MultipleChoice, Partial,
			[]string{"A", "B", "C", "D", "E", "F", "G", "H"}, []string{"E"}, 1, 0.13, false}, // 1×1/8 = 0.125 → 12.5 cents → 0.13
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			earned, full, err := ScoreAnswer(tc.qt, tc.policy, tc.correct, tc.chosen, tc.points)
			if err != nil {
				t.Fatalf("ScoreAnswer: unexpected error %v", err)
			}
			if earned != tc.earned || full != tc.full {
				t.Errorf("ScoreAnswer(%v of %v, %v pts) = (%v, %v), want (%v, %v)",
					tc.chosen, tc.correct, tc.points, earned, full, tc.earned, tc.full)
			}
		})
	}
}

func TestScoreAnswerRejectsMalformedQuestions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		qt      QuestionType
		policy  MultiPolicy
		correct []string
		points  float64
	}{
		{"unspecified type", 0, AllOrNothing, []string{"A"}, 10},
		{"unknown type", 9, AllOrNothing, []string{"A"}, 10},
		{"multiple choice without policy", MultipleChoice, 0, []string{"A", "B"}, 10},
		{"multiple choice unknown policy", MultipleChoice, 7, []string{"A", "B"}, 10},
		{"single empty correct set", SingleChoice, 0, nil, 10},
		{"multiple empty correct set", MultipleChoice, Partial, []string{}, 10},
		{"empty correct key", MultipleChoice, Partial, []string{"A", ""}, 10},
		{"single two correct keys", SingleChoice, 0, []string{"A", "B"}, 10},
		{"true/false two correct keys", TrueFalse, 0, []string{"T", "F"}, 10},
		{"negative points", SingleChoice, 0, []string{"A"}, -1},
		{"NaN points", SingleChoice, 0, []string{"A"}, math.NaN()},
		{"infinite points", MultipleChoice, AllOrNothing, []string{"A"}, math.Inf(1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			earned, full, err := ScoreAnswer(tc.qt, tc.policy, tc.correct, tc.correct, tc.points)
			if err == nil {
				t.Fatalf("ScoreAnswer = (%v, %v, nil), want an error", earned, full)
			}
			if earned != 0 || full {
				t.Errorf("on error got (%v, %v), want (0, false)", earned, full)
			}
		})
	}
}
