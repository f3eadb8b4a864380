package civindex

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// Round kinds and states as stored.
const (
	selfCheck = "SELF_CHECK"
	spotCheck = "SPOT_CHECK"
	Official  = "OFFICIAL"

	Planned = "PLANNED"
	Open    = "OPEN"
	Closed  = "CLOSED"
)

// maxRoundSites caps a round's scope.
const maxRoundSites = 5000

// RoundSpec is what an admin writes to plan a round.
type RoundSpec struct {
	Name, Kind       string
	FrameworkID      string
	FrameworkVersion int
	Start, End       time.Time
	SiteIDs          []string
}

// Round is a campaign.
type Round struct {
	ID string
	RoundSpec
	State                  string
	CreateTime, UpdateTime time.Time
	// SiteCount is the size of the scope, stored when the round is created
	// (its scope never changes), so it is known without reading SiteIDs.
	SiteCount int
}

// Validate records every problem with the spec itself; references are
// checked by Rounds.Create.
func (s *RoundSpec) Validate(v *apierr.Violations) {
	v.RequiredText("name", s.Name, maxNameLen)
	if !slices.Contains([]string{selfCheck, spotCheck, Official}, s.Kind) {
		v.Add("kind", "is required: SELF_CHECK, SPOT_CHECK or OFFICIAL")
	}
	v.RequiredText("framework_id", s.FrameworkID, 64)
	if s.FrameworkVersion <= 0 {
		v.Add("framework_version", "must name a published version (1, 2, …)")
	}
	if s.Start.IsZero() {
		v.Add("start_time", "is required")
	}
	if s.End.IsZero() {
		v.Add("end_time", "is required")
	} else if !s.End.After(s.Start) {
		v.Add("end_time", "must be after start_time")
	}
	switch n := len(s.SiteIDs); {
	case n == 0:
		v.Add("site_ids", "a round needs at least one site")
	case n > maxRoundSites:
		v.Add("site_ids", "has %d sites; the limit is %d", n, maxRoundSites)
	}
	seen := map[string]bool{}
	for i, id := range s.SiteIDs {
		if seen[id] {
			v.Add("site_ids", "site %q is listed twice (at %d)", id, i)
		}
		seen[id] = true
	}
}

// rounds is the round register.
type rounds struct{ base }

// Create plans a round inside tx after checking that the framework version
// is published and every site exists.
func (rs *rounds) Create(ctx context.Context, tx *store.Tx, s RoundSpec) (Round, error) {
	f, err := getFramework(ctx, tx, s.FrameworkID, s.FrameworkVersion)
	if errors.Is(err, errNotFound) {
		return Round{}, frameworkNotFound(s.FrameworkID, s.FrameworkVersion)
	}
	if err != nil {
		return Round{}, err
	}
	if f.State != published {
		return Round{}, apierr.FailedPrecondition(apierr.FrameworkNotPublished, "framework %s version %d is a draft; publish it first", f.ID, f.Version)
	}
	exist, err := existingSites(ctx, tx, s.SiteIDs)
	if err != nil {
		return Round{}, err
	}
	var v apierr.Violations
	for i, id := range s.SiteIDs {
		if !exist[id] {
			v.Add("site_ids", "site %q (at %d) does not exist", id, i)
		}
	}
	if err := v.Err(); err != nil {
		return Round{}, err
	}
	id, err := newID()
	if err != nil {
		return Round{}, err
	}
	t := rs.now()
	r := Round{ID: id, RoundSpec: s, State: Planned, CreateTime: t, UpdateTime: t, SiteCount: len(s.SiteIDs)}
	return r, insertRound(ctx, tx, r)
}

// Get returns a round with its sites.
func (rs *rounds) Get(ctx context.Context, id string) (Round, error) {
	r, err := getRound(ctx, rs.db.R, id)
	if errors.Is(err, errNotFound) {
		return Round{}, apierr.NotFound("round", id)
	}
	return r, err
}

// List pages through rounds, newest first, without their site lists.
func (rs *rounds) List(ctx context.Context, f roundFilter, after string, limit int) ([]Round, error) {
	return listRounds(ctx, rs.db.R, f, after, limit)
}

// Transition moves a round from one state to the next (PLANNED → OPEN →
// CLOSED). Repeating a transition that already happened returns the round.
func (rs *rounds) Transition(ctx context.Context, id, from, to string) (Round, error) {
	var out Round
	err := rs.db.WithTx(ctx, func(tx *store.Tx) error {
		r, err := getRound(ctx, tx, id)
		if errors.Is(err, errNotFound) {
			return apierr.NotFound("round", id)
		}
		if err != nil {
			return err
		}
		out = r
		if r.State == to {
			return nil
		}
		if r.State != from {
			return apierr.FailedPrecondition(apierr.RoundStateForbids, "round %s is %s; only a %s round can become %s", id, r.State, from, to)
		}
		out.State, out.UpdateTime = to, rs.now()
		if err := setRoundState(ctx, tx, out); err != nil || to != Closed {
			return err
		}
		// Survey-fed items are read a last time, before anything that
		// reads the closed round's scores.
		if err := refreshSurveyItems(ctx, tx, id, out.UpdateTime); err != nil {
			return err
		}
		if rs.hooks.Closed != nil {
			return rs.hooks.Closed(ctx, tx, out)
		}
		return nil
	})
	return out, err
}
