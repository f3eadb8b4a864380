package supervision

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store"
)

// Scorecard states as stored.
const (
	ScorecardDraft     = "DRAFT"
	ScorecardPublished = "PUBLISHED"
)

// DefaultPriorWeight is the satisfaction component's prior weight when a
// scorecard gives none: the feedback rankings' default.
const DefaultPriorWeight = 10

// Scorecard is one version of a year's assessment rules.
type Scorecard struct {
	Year, Version           int
	State                   string
	Weights                 Weights
	PriorWeight             float64
	CreateTime, PublishTime time.Time
}

// CreateScorecard drafts the next version of a year's scorecard in tx.
func (s *Service) CreateScorecard(ctx context.Context, tx *store.Tx, year int, w Weights, priorWeight float64) (Scorecard, error) {
	var last sql.NullInt64
	if err := tx.GetContext(ctx, &last, tx.Rebind(`SELECT MAX(version) FROM civ_scorecards WHERE year = ?`), year); err != nil {
		return Scorecard{}, fmt.Errorf("supervision: scorecard versions: %w", err)
	}
	sc := Scorecard{Year: year, Version: int(last.Int64) + 1, State: ScorecardDraft, Weights: w, PriorWeight: priorWeight, CreateTime: s.now()}
	b, err := json.Marshal(w)
	if err != nil {
		return Scorecard{}, err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(`INSERT INTO civ_scorecards (year, version, state, weights, prior_weight, create_time)
		 VALUES (?, ?, ?, ?, ?, ?)`), sc.Year, sc.Version, sc.State, string(b), sc.PriorWeight, store.Micros(sc.CreateTime))
	if err != nil {
		return Scorecard{}, fmt.Errorf("supervision: insert scorecard: %w", err)
	}
	return sc, nil
}

// PublishScorecard publishes a draft; publishing a published version
// again returns it.
func (s *Service) PublishScorecard(ctx context.Context, year, version int) (Scorecard, error) {
	var out Scorecard
	err := s.db.WithTx(ctx, func(tx *store.Tx) error {
		sc, err := getScorecard(ctx, tx, year, version, forUpdate(tx))
		if errors.Is(err, errNotFound) {
			return apierr.NotFound("scorecard", fmt.Sprintf("%d v%d", year, version))
		}
		if err != nil {
			return err
		}
		out = sc
		if sc.State == ScorecardPublished {
			return nil
		}
		out.State, out.PublishTime = ScorecardPublished, s.now()
		_, err = tx.ExecContext(ctx, tx.Rebind(`UPDATE civ_scorecards SET state = ?, publish_time = ? WHERE year = ? AND version = ?`),
			out.State, store.Micros(out.PublishTime), year, version)
		if err != nil {
			return fmt.Errorf("supervision: publish scorecard: %w", err)
		}
		return nil
	})
	return out, err
}

// ListScorecards lists the versions of one year (every year when 0).
func (s *Service) ListScorecards(ctx context.Context, year int) ([]Scorecard, error) {
	q, args := selectScorecard+` WHERE 1 = 1`, []any{}
	if year != 0 {
		q += ` AND year = ?`
		args = append(args, year)
	}
	out, err := store.SelectAll(ctx, s.db.R, scorecardRow.scorecard, q+` ORDER BY year, version`, args...)
	if err != nil {
		return nil, fmt.Errorf("supervision: list scorecards: %w", err)
	}
	return out, nil
}

// Assessment is a year's assessment under one published scorecard.
type Assessment struct {
	Scorecard Scorecard
	PriorMean float64
	Formula   string
	Units     []UnitResult
}

// Assess computes the assessment of a year with a published version (the
// latest when version is 0), for every unit or one; an officer gets its
// own unit's line only, ranked among all units.
func (s *Service) Assess(ctx context.Context, p auth.Principal, year, version int, unit string) (Assessment, error) {
	if p.Role == auth.Officer {
		own, err := s.officerUnit(ctx, p)
		if err != nil {
			return Assessment{}, err
		}
		if unit != "" && unit != own {
			return Assessment{}, apierr.PermissionDenied(apierr.OutOfScope, "an officer of unit %s may only see that unit's assessment", own)
		}
		unit = own
	}
	var sc Scorecard
	var err error
	if version == 0 {
		sc, err = latestPublished(ctx, s.db.R, year)
	} else {
		sc, err = getScorecard(ctx, s.db.R, year, version, "")
	}
	if errors.Is(err, errNotFound) || (err == nil && sc.State != ScorecardPublished) {
		return Assessment{}, apierr.FailedPrecondition(apierr.ScorecardNotPublished,
			"year %d has no published scorecard%s; an admin creates and publishes one first", year, versionText(version))
	}
	if err != nil {
		return Assessment{}, err
	}
	inputs, priorMean, err := s.inputs(ctx, year)
	if err != nil {
		return Assessment{}, err
	}
	all := Assess(inputs, sc.Weights, priorMean, sc.PriorWeight)
	out := Assessment{Scorecard: sc, PriorMean: priorMean, Formula: Formula(year, sc.Version, sc.Weights, priorMean, sc.PriorWeight)}
	for _, r := range all {
		if unit == "" || r.Unit == unit {
			out.Units = append(out.Units, r)
		}
	}
	return out, nil
}

func versionText(v int) string {
	if v == 0 {
		return ""
	}
	return fmt.Sprintf(" version %d", v)
}

type scorecardRow struct {
	Year        int           `db:"year"`
	Version     int           `db:"version"`
	State       string        `db:"state"`
	Weights     string        `db:"weights"`
	PriorWeight float64       `db:"prior_weight"`
	CreateTime  int64         `db:"create_time"`
	PublishTime sql.NullInt64 `db:"publish_time"`
}

func (r scorecardRow) scorecard() (Scorecard, error) {
	sc := Scorecard{Year: r.Year, Version: r.Version, State: r.State, PriorWeight: r.PriorWeight, CreateTime: store.FromMicros(r.CreateTime)}
	if r.PublishTime.Valid {
		sc.PublishTime = store.FromMicros(r.PublishTime.Int64)
	}
	if err := json.Unmarshal([]byte(r.Weights), &sc.Weights); err != nil {
		return Scorecard{}, fmt.Errorf("supervision: scorecard %d v%d weights: %w", r.Year, r.Version, err)
	}
	return sc, nil
}

const selectScorecard = `SELECT year, version, state, weights, prior_weight, create_time, publish_time FROM civ_scorecards`

func getScorecard(ctx context.Context, q store.Queryer, year, version int, suffix string) (Scorecard, error) {
	var r scorecardRow
	err := q.GetContext(ctx, &r, q.Rebind(selectScorecard+` WHERE year = ? AND version = ?`+suffix), year, version)
	if errors.Is(err, sql.ErrNoRows) {
		return Scorecard{}, errNotFound
	}
	if err != nil {
		return Scorecard{}, fmt.Errorf("supervision: get scorecard: %w", err)
	}
	return r.scorecard()
}

func latestPublished(ctx context.Context, q store.Queryer, year int) (Scorecard, error) {
	var r scorecardRow
	err := q.GetContext(ctx, &r, q.Rebind(selectScorecard+` WHERE year = ? AND state = ? ORDER BY version DESC LIMIT 1`), year, ScorecardPublished)
	if errors.Is(err, sql.ErrNoRows) {
		return Scorecard{}, errNotFound
	}
	if err != nil {
		return Scorecard{}, fmt.Errorf("supervision: latest scorecard: %w", err)
	}
	return r.scorecard()
}
