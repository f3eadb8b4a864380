package supervision

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// inputs gathers every unit's raw figures for a year (docs/supervision.md
// says which rows count) and the mean of every rating of the year. The
// units are those registered (SetUnit) and those named on sites.
func (s *Service) inputs(ctx context.Context, year int) ([]UnitInputs, float64, error) {
	q := s.db.R
	from := time.Date(year, 1, 1, 0, 0, 0, 0, s.loc)
	to := from.AddDate(1, 0, 0)
	fromUS, toUS := from.UnixMicro(), to.UnixMicro()

	registered, err := s.ListUnits(ctx)
	if err != nil {
		return nil, 0, err
	}
	by := map[string]*UnitInputs{}
	get := func(name string) *UnitInputs {
		u := by[name]
		if u == nil {
			u = &UnitInputs{Unit: name}
			by[name] = u
		}
		return u
	}
	var siteUnits []string
	if err := q.SelectContext(ctx, &siteUnits, `SELECT DISTINCT unit FROM civ_sites`); err != nil {
		return nil, 0, fmt.Errorf("supervision: site units: %w", err)
	}
	for _, n := range siteUnits {
		get(n)
	}
	deptUnit := map[string]*UnitInputs{}
	communityUnits := map[string][]*UnitInputs{}
	for _, r := range registered {
		u := get(r.Name)
		u.Registered, u.QuizTarget = true, r.QuizTarget
		if r.DepartmentID != "" {
			deptUnit[r.DepartmentID] = u
		}
		for _, c := range r.Communities {
			communityUnits[c] = append(communityUnits[c], u)
		}
	}

	var scores []struct {
		Unit  string  `db:"unit"`
		Score float64 `db:"score"`
	}
	if err := q.SelectContext(ctx, &scores, q.Rebind(`SELECT s.unit, sc.score FROM civ_site_scores sc
		 JOIN civ_rounds r ON r.id = sc.round_id JOIN civ_sites s ON s.id = sc.site_id
		 WHERE r.kind IN ('SPOT_CHECK', 'OFFICIAL') AND r.start_time >= ? AND r.start_time < ? AND sc.max_points > 0
		 ORDER BY s.unit, sc.round_id, sc.site_id`), fromUS, toUS); err != nil {
		return nil, 0, fmt.Errorf("supervision: unit scores: %w", err)
	}
	for _, r := range scores {
		u := get(r.Unit)
		u.SiteScores = append(u.SiteScores, r.Score)
	}

	var ratings []struct {
		Dept  string `db:"dept"`
		N     int64  `db:"n"`
		Total int64  `db:"total"`
	}
	if err := q.SelectContext(ctx, &ratings, q.Rebind(`SELECT t.department_id AS dept, CAST(SUM(d.n) AS BIGINT) AS n,
		     CAST(SUM(d.total) AS BIGINT) AS total
		 FROM feedback_daily d JOIN feedback_targets t ON t.id = d.target_id
		 WHERE d.day >= ? AND d.day <= ? GROUP BY t.department_id`), year*10000+101, year*10000+1231); err != nil {
		return nil, 0, fmt.Errorf("supervision: ratings: %w", err)
	}
	var poolN, poolTotal int64
	for _, r := range ratings {
		poolN += r.N
		poolTotal += r.Total
		if u := deptUnit[r.Dept]; u != nil {
			u.RatingCount, u.RatingSum = int(r.N), float64(r.Total)
		}
	}
	priorMean := 3.0 // 基本满意, when the year has no rating at all
	if poolN > 0 {
		priorMean = float64(poolTotal) / float64(poolN)
	}

	var cases []struct {
		Dept   string `db:"dept"`
		N      int    `db:"n"`
		InTime int    `db:"in_time"`
	}
	if err := q.SelectContext(ctx, &cases, q.Rebind(`SELECT department_id AS dept, COUNT(*) AS n,
		     SUM(CASE WHEN state = 'CLOSED' AND close_time < due_time THEN 1 ELSE 0 END) AS in_time
		 FROM feedback_cases WHERE open_time >= ? AND open_time < ? AND state <> 'APPEAL_ACCEPTED'
		 GROUP BY department_id`), fromUS, toUS); err != nil {
		return nil, 0, fmt.Errorf("supervision: cases: %w", err)
	}
	for _, r := range cases {
		if u := deptUnit[r.Dept]; u != nil {
			u.Cases, u.CasesInTime = r.N, r.InTime
		}
	}

	tasks, err := taskSummary(ctx, q, "", s.now(), from, to)
	if err != nil {
		return nil, 0, err
	}
	for _, t := range tasks {
		u := get(t.Unit)
		u.Tasks, u.TasksInTime = t.Total, t.ClosedInTime
	}

	var quiz []struct {
		Community string `db:"community"`
		N         int    `db:"n"`
	}
	if err := q.SelectContext(ctx, &quiz, q.Rebind(`SELECT community, COUNT(DISTINCT pseudonym) AS n FROM attempts
		 WHERE start_time >= ? AND start_time < ? GROUP BY community`), fromUS, toUS); err != nil {
		return nil, 0, fmt.Errorf("supervision: quiz participants: %w", err)
	}
	for _, r := range quiz {
		for _, u := range communityUnits[r.Community] {
			u.Participants += r.N
		}
	}

	out := make([]UnitInputs, 0, len(by))
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range by {
			if !yield(k) {
				return
			}
		}
	}) {
		out = append(out, *by[name])
	}
	return out, priorMean, nil
}
