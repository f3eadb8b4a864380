package feedback

import (
	"context"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/workcal"
)

// Ranking defaults.
const (
	DefaultPriorWeight = 10
	DefaultMinCount    = 5
)

// ParsePeriod checks a start and end date ("YYYY-MM-DD", both included).
func ParsePeriod(v *apierr.Violations, start, end string) Period {
	var p Period
	var err error
	okFrom, okTo := false, false
	if v.Required("start_date", start) {
		if p.From, err = workcal.ParseDate(start); err != nil {
			v.Add("start_date", "%q is not a date YYYY-MM-DD", start)
		} else {
			okFrom = true
		}
	}
	if v.Required("end_date", end) {
		if p.To, err = workcal.ParseDate(end); err != nil {
			v.Add("end_date", "%q is not a date YYYY-MM-DD", end)
		} else {
			okTo = true
		}
	}
	if okFrom && okTo {
		switch {
		case p.To.Before(p.From):
			v.Add("end_date", "is before start_date")
		case p.To.AddDays(-MaxPeriodDays).After(p.From):
			v.Add("end_date", "the period is longer than %d days", MaxPeriodDays)
		}
	}
	return p
}

// TargetStats summarises a target and its subtree over a period.
func (s *Service) TargetStats(ctx context.Context, targetID string, p Period) (Target, Summary, error) {
	t, err := s.GetTarget(ctx, s.db.R, targetID)
	if err != nil {
		return Target{}, Summary{}, err
	}
	ids, err := subtreeIDs(ctx, s.db.R, t.Path)
	if err != nil {
		return Target{}, Summary{}, err
	}
	days, err := periodDays(ctx, s.db.R, ids, p, true)
	if err != nil {
		return Target{}, Summary{}, err
	}
	dims, err := periodDims(ctx, s.db.R, ids, p)
	if err != nil {
		return Target{}, Summary{}, err
	}
	var a Agg
	for _, d := range days {
		a.Add(d)
	}
	return t, summarizeRatings(a, dims), nil
}

// TargetTrend is the trend of a target and its subtree over a period.
func (s *Service) TargetTrend(ctx context.Context, targetID string, p Period, g Granularity) ([]Bucket, error) {
	t, err := s.GetTarget(ctx, s.db.R, targetID)
	if err != nil {
		return nil, err
	}
	ids, err := subtreeIDs(ctx, s.db.R, t.Path)
	if err != nil {
		return nil, err
	}
	// Whole months may come from the monthly roll-up only when the buckets
	// are months: Trend files a month's sum under its first day.
	days, err := periodDays(ctx, s.db.R, ids, p, g == Monthly)
	if err != nil {
		return nil, err
	}
	return Trend(days, p.From, p.To, g), nil
}

// RankTargets ranks the targets of one kind over a period.
func (s *Service) RankTargets(ctx context.Context, kind Kind, dept string, p Period, priorWeight float64, minCount int) (Ranking, error) {
	cands, err := rankCandidates(ctx, s.db.R, kind, dept, p)
	if err != nil {
		return Ranking{}, err
	}
	return Rank(cands, priorWeight, minCount), nil
}
