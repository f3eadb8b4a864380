package scoring

import (
	"fmt"
	"math"
)

// QuestionType is the kind of a quiz question. The zero value is
// unspecified and is rejected by ScoreAnswer, mirroring the proto enum.
type QuestionType int

// Question types.
const (
	SingleChoice QuestionType = iota + 1
	MultipleChoice
	TrueFalse
)

// MultiPolicy says how a multiple-choice answer earns points. The zero value
// is unspecified; it is only accepted for question types that ignore it.
type MultiPolicy int

// Multiple-choice policies.
const (
	// AllOrNothing awards the points only for exactly the correct set.
	AllOrNothing MultiPolicy = iota + 1
	// Partial awards points in proportion to the correct options chosen,
	// and nothing if any wrong option is chosen.
	Partial
)

// ScoreAnswer scores one answer to one question worth points.
//
// correct holds the question's correct option keys ("A", "B", …) and chosen
// the keys the participant picked; duplicates in either count once and
// order does not matter. policy only matters for MultipleChoice.
//
//   - SingleChoice, TrueFalse: exactly the one correct key earns points;
//     no answer, a wrong key or more than one key earns 0.
//   - MultipleChoice, AllOrNothing: the chosen set must equal the correct set.
//   - MultipleChoice, Partial: any wrong key earns 0; otherwise
//     points × |chosen| / |correct| (an empty answer earns 0).
//
// fullyCorrect is true only when the chosen set equals the correct set, so a
// partial answer can earn points without counting as correct (facility
// statistics count fully correct answers).
//
// earned is rounded to 2 decimals. Partial credit is often a repeating
// fraction (1 of 3 options on a 10-point question is 3.333…); the attempt
// total, the leaderboard and the kiosk all show 3.33, so the rounded value
// is the score of record. Summing rounded values keeps a total equal to the
// sum of the numbers the participant was shown, and keeps leaderboard ties
// from being broken by floating-point noise.
//
// err reports a malformed question, not a wrong answer: an unknown type or
// (for MultipleChoice) policy, an empty correct set or an empty correct key,
// more than one correct key for SingleChoice or TrueFalse, and negative or
// non-finite points.
func ScoreAnswer(qt QuestionType, policy MultiPolicy, correct, chosen []string, points float64) (earned float64, fullyCorrect bool, err error) {
	if err := checkQuestion(qt, policy, correct, points); err != nil {
		return 0, false, err
	}
	want := keySet(correct)
	got := keySet(chosen)

	right := 0 // |chosen ∩ correct|
	for k := range got {
		if _, ok := want[k]; ok {
			right++
		}
	}
	wrong := len(got) - right
	exact := wrong == 0 && right == len(want)

	switch {
	case exact:
		return roundPoints(points), true, nil
	case qt == MultipleChoice && policy == Partial && wrong == 0 && right > 0:
		// Multiply before dividing so whole results (2 of 4 on 10 points)
		// stay exact.
		return roundPoints(points * float64(right) / float64(len(want))), false, nil
	default:
		return 0, false, nil
	}
}

func checkQuestion(qt QuestionType, policy MultiPolicy, correct []string, points float64) error {
	switch qt {
	case SingleChoice, TrueFalse:
	case MultipleChoice:
		if policy != AllOrNothing && policy != Partial {
			return fmt.Errorf("scoring: unknown multiple-choice policy %d", policy)
		}
	default:
		return fmt.Errorf("scoring: unknown question type %d", qt)
	}
	if math.IsNaN(points) || math.IsInf(points, 0) || points < 0 {
		return fmt.Errorf("scoring: question points must be a finite number ≥ 0, got %v", points)
	}
	if len(correct) == 0 {
		return fmt.Errorf("scoring: question has no correct option")
	}
	for _, k := range correct {
		if k == "" {
			return fmt.Errorf("scoring: question has an empty correct option key")
		}
	}
	if qt != MultipleChoice {
		if n := len(keySet(correct)); n != 1 {
			return fmt.Errorf("scoring: single-choice and true/false questions need exactly one correct option, got %d", n)
		}
	}
	return nil
}

func keySet(keys []string) map[string]struct{} {
	s := make(map[string]struct{}, len(keys))
	for _, k := range keys {
		s[k] = struct{}{}
	}
	return s
}

// roundPoints rounds to 2 decimals; see ScoreAnswer for why.
func roundPoints(x float64) float64 {
	return math.Round(x*100) / 100
}
