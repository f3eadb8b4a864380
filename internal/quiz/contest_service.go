package quiz

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// Contests runs the life of contests: draft, publish, close.
type Contests struct {
	db  *store.DB
	now func() time.Time
}

// NewContests returns the contest operations over db with the given clock.
func NewContests(db *store.DB, now func() time.Time) *Contests {
	return &Contests{db: db, now: now}
}

func (cs *Contests) clock() time.Time { return store.Stamp(cs.now()) }

// Create writes a draft contest from validated settings inside tx.
func (cs *Contests) Create(ctx context.Context, tx *store.Tx, s Settings) (Contest, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return Contest{}, err
	}
	t := cs.clock()
	c := Contest{ID: id.String(), Settings: s, State: Draft, CreateTime: t, UpdateTime: t}
	return c, insertContest(ctx, tx, c)
}

// Get returns a contest.
func (cs *Contests) Get(ctx context.Context, id string) (Contest, error) {
	return getContest(ctx, cs.db.R, id)
}

// List returns up to limit contests after the given id, newest first.
func (cs *Contests) List(ctx context.Context, state ContestState, after string, limit int) ([]Contest, error) {
	return listContests(ctx, cs.db.R, contestFilter{State: state}, after, limit)
}

// ListOpen returns published contests whose window holds now and that are
// open to community ("": every open contest, for a kiosk that serves
// several communities).
func (cs *Contests) ListOpen(ctx context.Context, community, after string, limit int) ([]Contest, error) {
	f := contestFilter{OpenAt: store.Micros(cs.clock()), Community: community}
	return listContests(ctx, cs.db.R, f, after, limit)
}

// change loads a contest in a write transaction, lets fn change it, and
// stores it if fn reports a change.
func (cs *Contests) change(ctx context.Context, id string, fn func(tx *store.Tx, c *Contest) (bool, error)) (Contest, error) {
	var out Contest
	err := cs.db.WithTx(ctx, func(tx *store.Tx) error {
		c, err := getContest(ctx, tx, id)
		if err != nil {
			return err
		}
		changed, err := fn(tx, &c)
		if err != nil || !changed {
			out = c
			return err
		}
		c.UpdateTime = cs.clock()
		out = c
		return updateContest(ctx, tx, c)
	})
	return out, err
}

// Update replaces the settings of a draft contest.
func (cs *Contests) Update(ctx context.Context, id string, s Settings) (Contest, error) {
	return cs.change(ctx, id, func(_ *store.Tx, c *Contest) (bool, error) {
		if c.State != Draft {
			return false, apierr.FailedPrecondition(apierr.ContestStateForbids, "contest %s is %s; only a draft can be edited", id, c.State)
		}
		c.Settings = s
		return true, nil
	})
}

// Publish opens a draft for play once the bank can satisfy its paper rule.
// Publishing a published contest again changes nothing.
func (cs *Contests) Publish(ctx context.Context, id string) (Contest, error) {
	return cs.change(ctx, id, func(tx *store.Tx, c *Contest) (bool, error) {
		switch c.State {
		case Published:
			return false, nil
		case Closed:
			return false, apierr.FailedPrecondition(apierr.ContestStateForbids, "contest %s is closed and cannot be published again", id)
		}
		t := cs.clock()
		problems, err := paperProblems(ctx, tx, &c.Settings)
		if err != nil {
			return false, err
		}
		if !c.EndTime.After(t) {
			problems = append(problems, fmt.Sprintf("end_time %s has already passed", c.EndTime.Format(time.RFC3339)))
		}
		if len(problems) > 0 {
			return false, apierr.FailedPrecondition(apierr.ContestNotPublishable, "contest %s cannot be published: %s", id, strings.Join(problems, "; "))
		}
		c.State = Published
		c.PublishTime = t
		return true, nil
	})
}

// paperProblems says which parts of the paper rule the bank cannot satisfy.
func paperProblems(ctx context.Context, db store.Queryer, s *Settings) ([]string, error) {
	var problems []string
	if len(s.FixedQuestions) > 0 {
		refs, err := questionRefs(ctx, db, s.FixedQuestions)
		if err != nil {
			return nil, err
		}
		for i, id := range s.FixedQuestions {
			r, ok := refs[id]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("paper.fixed.question_ids[%d]: question %q does not exist", i, id))
			case r.State != string(Active):
				problems = append(problems, fmt.Sprintf("paper.fixed.question_ids[%d]: question %q is retired", i, id))
			}
		}
		return problems, nil
	}
	pools, err := drawPools(ctx, db, s.Draws)
	if err != nil {
		return nil, err
	}
	for i, d := range s.Draws {
		if n := len(pools[i]); n < d.Count {
			what := d.Category
			if d.Difficulty != "" {
				what += ", " + string(d.Difficulty)
			}
			problems = append(problems, fmt.Sprintf(
				"paper.random.draws[%d] (%s): needs %d active questions, the bank has %d", i, what, d.Count, n))
		}
	}
	return problems, nil
}

// Close ends a contest now: its window ends and attempts in progress take
// no answers after this moment. Closing twice changes nothing.
func (cs *Contests) Close(ctx context.Context, id string) (Contest, error) {
	return cs.change(ctx, id, func(tx *store.Tx, c *Contest) (bool, error) {
		switch c.State {
		case Closed:
			return false, nil
		case Draft:
			return false, apierr.FailedPrecondition(apierr.ContestStateForbids, "contest %s was never published; edit it or leave it as a draft", id)
		}
		t := cs.clock()
		c.State = Closed
		if t.Before(c.EndTime) {
			c.EndTime = t
		}
		return true, shortenDeadlines(ctx, tx, id, c.EndTime)
	})
}
