package feedback

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/wenming/wenming/internal/scoring/stats"
	"github.com/wenming/wenming/internal/store"
)

// accountability is one department's line of the accountability report.
type accountability struct {
	DepartmentID   string
	DepartmentName string
	// Opened counts the period's cases, accepted appeals not included.
	Opened int
	// Closed counts those now closed; ClosedInTime those closed before
	// their due time.
	Closed, ClosedInTime int
	// OverdueNow counts those still owed an answer and past due at now.
	OverdueNow int
	// MedianHoursToClose is over the closed ones; 0 if none.
	MedianHoursToClose float64
	AppealsAccepted    int
}

// accountabilities computes the report from the cases opened in a period,
// one line per department (the current owner), sorted by department name.
func accountabilities(cases []Case, names map[string]string, now time.Time) []accountability {
	by := map[string]*accountability{}
	hours := map[string][]float64{}
	for _, c := range cases {
		a := by[c.DepartmentID]
		if a == nil {
			a = &accountability{DepartmentID: c.DepartmentID, DepartmentName: names[c.DepartmentID]}
			by[c.DepartmentID] = a
		}
		if c.State == appealAccepted {
			a.AppealsAccepted++
			continue
		}
		a.Opened++
		switch {
		case c.State == closed:
			a.Closed++
			if c.CloseTime.Before(c.DueTime) {
				a.ClosedInTime++
			}
			hours[c.DepartmentID] = append(hours[c.DepartmentID], c.CloseTime.Sub(c.OpenTime).Hours())
		case c.Overdue(now):
			a.OverdueNow++
		}
	}
	out := make([]accountability, 0, len(by))
	for id, a := range by {
		a.MedianHoursToClose = stats.Summarize(hours[id]).Median
		out = append(out, *a)
	}
	slices.SortFunc(out, func(x, y accountability) int {
		if c := cmp.Compare(x.DepartmentName, y.DepartmentName); c != 0 {
			return c
		}
		return cmp.Compare(x.DepartmentID, y.DepartmentID)
	})
	return out
}

// AccountabilityReport reports the cases opened in period p, for one
// department or (dept "") all.
func (s *Service) AccountabilityReport(ctx context.Context, p Period, dept string) ([]accountability, error) {
	from, to := p.Bounds(s.loc)
	f := caseFilter{DepartmentID: dept, OpenFrom: store.Micros(from), OpenTo: store.Micros(to)}
	cases, err := listCases(ctx, s.db.R, f, "", 0)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, c := range cases {
		if !slices.Contains(ids, c.DepartmentID) {
			ids = append(ids, c.DepartmentID)
		}
	}
	depts, err := getTargets(ctx, s.db.R, ids)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for id, t := range depts {
		names[id] = t.Name
	}
	return accountabilities(cases, names, s.now()), nil
}
