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

// contests runs the life of contests: draft, publish, close.
type contests struct {
	db  *store.DB
	now func() time.Time
}

// newContests returns the contest operations over db with the given clock.
func newContests(db *store.DB, now func() time.Time) *contests {
	return &contests{db: db, now: now}
}

func (cs *contests) clock() time.Time { return store.Stamp(cs.now()) }

// Create writes a draft contest from validated settings inside tx.
func (cs *contests) Create(ctx context.Context, tx *store.Tx, s Settings) (contest, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return contest{}, err
	}
	t := cs.clock()
	c := contest{ID: id.String(), Settings: s, State: draft, CreateTime: t, UpdateTime: t}
	return c, insertContest(ctx, tx, c)
}

// Get returns a contest.
func (cs *contests) Get(ctx context.Context, id string) (contest, error) {
	return getContest(ctx, cs.db.R, id)
}

// List returns up to limit contests after the given id, newest first.
func (cs *contests) List(ctx context.Context, state contestState, after string, limit int) ([]contest, error) {
	return listContests(ctx, cs.db.R, contestFilter{State: state}, after, limit)
}

// ListOpen returns published contests whose window holds now and that are
// open to community ("": every open contest, for a kiosk that serves
// several communities).
func (cs *contests) ListOpen(ctx context.Context, community, after string, limit int) ([]contest, error) {
	f := contestFilter{OpenAt: store.Micros(cs.clock()), Community: community}
	return listContests(ctx, cs.db.R, f, after, limit)
}

// change loads a contest in a write transaction, lets fn change it, and
// stores it if fn reports a change.
func (cs *contests) change(ctx context.Context, id string, fn func(tx *store.Tx, c *contest) (bool, error)) (contest, error) {
	var out contest
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
func (cs *contests) Update(ctx context.Context, id string, s Settings) (contest, error) {
	return cs.change(ctx, id, func(_ *store.Tx, c *contest) (bool, error) {
		if c.State != draft {
			return false, apierr.FailedPrecondition(apierr.ContestStateForbids, "contest %s is %s; only a draft can be edited", id, c.State)
		}
		c.Settings = s
		return true, nil
	})
}

// Publish opens a draft for play once the bank can satisfy its paper rule.
// Publishing a published contest again changes nothing.
func (cs *contests) Publish(ctx context.Context, id string) (contest, error) {
	return cs.change(ctx, id, func(tx *store.Tx, c *contest) (bool, error) {
		switch c.State {
		case published:
			return false, nil
		case closed:
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
		c.State = published
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
			case r.State != string(active):
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
func (cs *contests) Close(ctx context.Context, id string) (contest, error) {
	return cs.change(ctx, id, func(tx *store.Tx, c *contest) (bool, error) {
		switch c.State {
		case closed:
			return false, nil
		case draft:
			return false, apierr.FailedPrecondition(apierr.ContestStateForbids, "contest %s was never published; edit it or leave it as a draft", id)
		}
		t := cs.clock()
		c.State = closed
		if t.Before(c.EndTime) {
			c.EndTime = t
		}
		return true, shortenDeadlines(ctx, tx, id, c.EndTime)
	})
}
