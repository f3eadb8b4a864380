package scoring

import (
	"fmt"
	"math"
	"strings"
)

// Method is how a civility-index check item turns an observation into
// points. The zero value is unspecified and invalid.
type Method int

// Scoring methods.
const (
	// Binary: the item is met (max points) or not (0).
	Binary Method = iota + 1
	// Graded: the inspector picks a named level worth a fraction of max.
	Graded
	// Rate: max × compliant / observed, e.g. 47 of 50 pedestrians waited.
	Rate
	// Deduction: max minus points per violation, floored at 0.
	Deduction
)

// Level is one named grade of a Graded item, worth Fraction of its max.
type Level struct {
	Name     string
	Fraction float64
}

// Item is one check item of a framework, as far as scoring needs it.
type Item struct {
	ID        string
	MaxPoints float64
	Method    Method
	// Levels are the grades of a Graded item.
	Levels []Level
	// MinObserved is the smallest sample a Rate item may be scored on, so
	// that 1 of 1 does not count as 100 %.
	MinObserved int
	// PointsPerViolation is what each violation costs a Deduction item.
	PointsPerViolation float64
}

// ItemError reports an invalid check-item definition. Field names the
// offending field in snake_case (e.g. "levels[1].fraction") so a framework
// editor can point at it.
type ItemError struct {
	ItemID string
	Field  string
	Reason string
}

func (e *ItemError) Error() string {
	return fmt.Sprintf("check item %q: %s: %s", e.ItemID, e.Field, e.Reason)
}

// ObservationError reports an observation that cannot be scored against its
// item. Field names the offending observation field ("na_reason", "level",
// "compliant", "observed", "violations") so the caller can build a
// field-level bad-request detail that also names the item.
type ObservationError struct {
	ItemID string
	Field  string
	Reason string
}

func (e *ObservationError) Error() string {
	return fmt.Sprintf("check item %q: %s: %s", e.ItemID, e.Field, e.Reason)
}

// Validate reports whether the item can score observations, as an
// *ItemError. The ID is not checked: it is server-generated and may be empty
// while a draft framework is validated. Fields that the item's method does
// not use are ignored.
func (it Item) Validate() error {
	bad := func(field, format string, args ...any) error {
		return &ItemError{ItemID: it.ID, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	if !finite(it.MaxPoints) || it.MaxPoints <= 0 {
		return bad("max_points", "must be a finite number > 0, got %v", it.MaxPoints)
	}
	switch it.Method {
	case Binary:
	case Graded:
		if len(it.Levels) < 2 {
			return bad("levels", "a graded item needs at least 2 levels, got %d", len(it.Levels))
		}
		for i, l := range it.Levels {
			if strings.TrimSpace(l.Name) == "" {
				return bad(fmt.Sprintf("levels[%d].name", i), "must not be empty")
			}
			for _, prev := range it.Levels[:i] {
				if prev.Name == l.Name {
					return bad(fmt.Sprintf("levels[%d].name", i), "duplicate level %q", l.Name)
				}
			}
			// No level has to be worth 1: a framework may cap an item
			// below its max until a higher grade is defined.
			if !(l.Fraction >= 0 && l.Fraction <= 1) {
				return bad(fmt.Sprintf("levels[%d].fraction", i), "must be between 0 and 1, got %v", l.Fraction)
			}
		}
	case Rate:
		if it.MinObserved < 0 {
			return bad("min_observed", "must be ≥ 0, got %d", it.MinObserved)
		}
	case Deduction:
		if !finite(it.PointsPerViolation) || it.PointsPerViolation <= 0 {
			return bad("points_per_violation", "must be a finite number > 0, got %v", it.PointsPerViolation)
		}
	default:
		return bad("method", "unknown scoring method %d", it.Method)
	}
	return nil
}

// Observation is what an inspector recorded for one item in one visit. Only
// the fields of the item's method are read.
type Observation struct {
	// NotApplicable takes the item out of both numerator and denominator
	// (e.g. no traffic light at this site); NAReason must say why, because
	// marking items NA raises the score and is audited.
	NotApplicable bool
	NAReason      string
	// Met is the Binary result.
	Met bool
	// Level is the Graded result, one of the item's level names.
	Level string
	// Compliant of Observed is the Rate result.
	Compliant, Observed int
	// Violations is the Deduction result.
	Violations int
}

// Score turns one observation into points for the item.
//
// A not-applicable observation returns (0, false, nil); otherwise applicable
// is true and points is in [0, MaxPoints]. Points are not rounded: the site
// and dimension aggregates are computed from exact values and rounded only
// for display.
//
// An invalid item returns its *ItemError from Validate; an observation that
// cannot be scored returns an *ObservationError naming the field.
func (it Item) Score(o Observation) (points float64, applicable bool, err error) {
	if err := it.Validate(); err != nil {
		return 0, false, err
	}
	bad := func(field, format string, args ...any) (float64, bool, error) {
		return 0, false, &ObservationError{ItemID: it.ID, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	if o.NotApplicable {
		if strings.TrimSpace(o.NAReason) == "" {
			return bad("na_reason", "a reason is required when the item is marked not applicable")
		}
		return 0, false, nil
	}
	switch it.Method {
	case Binary:
		if o.Met {
			return it.MaxPoints, true, nil
		}
		return 0, true, nil
	case Graded:
		if o.Level == "" {
			return bad("level", "a level is required; want one of %s", it.levelNames())
		}
		for _, l := range it.Levels {
			if l.Name == o.Level {
				return it.MaxPoints * l.Fraction, true, nil
			}
		}
		return bad("level", "unknown level %q; want one of %s", o.Level, it.levelNames())
	case Rate:
		switch {
		case o.Compliant < 0:
			return bad("compliant", "must be ≥ 0, got %d", o.Compliant)
		case o.Observed < 0:
			return bad("observed", "must be ≥ 0, got %d", o.Observed)
		case o.Compliant > o.Observed:
			return bad("compliant", "%d compliant is more than the %d observed", o.Compliant, o.Observed)
		case o.Observed < it.MinObserved:
			return bad("observed", "%d observed is below this item's minimum of %d", o.Observed, it.MinObserved)
		case o.Observed == 0:
			// A rate of nothing is undefined; an item that could not be
			// observed at all should be marked not applicable instead.
			return bad("observed", "nothing observed; at least 1 observation is required, or mark the item not applicable")
		}
		return it.MaxPoints * float64(o.Compliant) / float64(o.Observed), true, nil
	case Deduction:
		if o.Violations < 0 {
			return bad("violations", "must be ≥ 0, got %d", o.Violations)
		}
		return math.Max(0, it.MaxPoints-float64(o.Violations)*it.PointsPerViolation), true, nil
	}
	// Unreachable: Validate rejected any other method.
	return 0, false, &ItemError{ItemID: it.ID, Field: "method", Reason: fmt.Sprintf("unknown scoring method %d", it.Method)}
}

func (it Item) levelNames() string {
	names := make([]string, len(it.Levels))
	for i, l := range it.Levels {
		names[i] = fmt.Sprintf("%q", l.Name)
	}
	return strings.Join(names, ", ")
}

func finite(x float64) bool {
	return !math.IsNaN(x) && !math.IsInf(x, 0)
}
